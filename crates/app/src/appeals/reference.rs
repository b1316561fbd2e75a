//! Changes of what registration reads — the work calendar, categories, deadline rules and
//! their bindings, departments (the dispatch service), assignment rules. Each drops this
//! instance's copy of the reference data ([`super::Appeals`]) once written, so the next
//! registration here sees it at once.

use std::future::Future;

use abonent_domain::appeal::RuleBinding;
use abonent_domain::calendar::YearCalendar;
use abonent_domain::deadline::{check_new_rule_code, DeadlineRule};
use abonent_storage::appeals::reference::{self, Category};
use abonent_storage::appeals::reference_admin::{self, CategoryForm};
use abonent_storage::appeals::routing::{self, DepartmentForm, RuleForm};
use abonent_storage::{calendar, Actor, StoreError};

use crate::{App, AppError};

/// The write `w`, then this instance forgets the reference data.
async fn changing<T>(
    app: &App,
    w: impl Future<Output = Result<T, StoreError>>,
) -> Result<T, AppError> {
    let done = w.await?;
    app.appeals.forget_reference();
    Ok(done)
}

pub async fn save_year(app: &App, y: &YearCalendar, actor: &Actor) -> Result<(), AppError> {
    changing(app, calendar::save_year(&app.db, y, actor)).await
}

pub async fn remove_year(app: &App, year: i32, actor: &Actor) -> Result<(), AppError> {
    changing(app, calendar::remove_year(&app.db, year, actor)).await
}

pub async fn create_category(
    app: &App,
    f: &CategoryForm,
    actor: &Actor,
) -> Result<Category, AppError> {
    changing(app, reference_admin::create_category(&app.db, f, actor)).await
}

pub async fn update_category(
    app: &App,
    id: i64,
    f: &CategoryForm,
    actor: &Actor,
) -> Result<Category, AppError> {
    changing(app, reference_admin::update_category(&app.db, id, f, actor)).await
}

pub async fn add_binding(app: &App, b: &RuleBinding, actor: &Actor) -> Result<i64, AppError> {
    changing(app, reference_admin::add_binding(&app.db, b, actor)).await
}

pub async fn remove_binding(app: &App, id: i64, actor: &Actor) -> Result<(), AppError> {
    changing(app, reference_admin::remove_binding(&app.db, id, actor)).await
}

pub async fn save_rule(app: &App, rule: &DeadlineRule, actor: &Actor) -> Result<(), AppError> {
    changing(app, reference::save_rule(&app.db, rule, actor)).await
}

/// Save the rules of a batch that differ from the stored ones with their codes; nothing is
/// written when none changed. Returns how many were saved.
pub async fn save_changed_rules(
    app: &App,
    rules: &[DeadlineRule],
    actor: &Actor,
) -> Result<usize, AppError> {
    let current = reference_admin::all_rules(&app.db).await?;
    let mut saved = 0;
    for rule in rules {
        if current.iter().any(|r| r == rule) {
            continue;
        }
        save_rule(app, rule, actor).await?;
        saved += 1;
    }
    Ok(saved)
}

/// Add a deadline rule with a new code (refused, on the field `code`, when it is taken).
pub async fn create_rule(app: &App, rule: &DeadlineRule, actor: &Actor) -> Result<(), AppError> {
    let taken = reference_admin::all_rules(&app.db)
        .await?
        .iter()
        .any(|r| r.code == rule.code);
    check_new_rule_code(&rule.code, taken)?;
    save_rule(app, rule, actor).await
}

pub async fn save_department(
    app: &App,
    id: Option<i64>,
    f: &DepartmentForm,
    actor: &Actor,
) -> Result<i64, AppError> {
    changing(app, routing::save_department(&app.db, id, f, actor)).await
}

pub async fn add_assignment_rule(app: &App, f: &RuleForm, actor: &Actor) -> Result<i64, AppError> {
    changing(app, routing::add_rule(&app.db, f, actor)).await
}

pub async fn delete_assignment_rule(app: &App, id: i64, actor: &Actor) -> Result<(), AppError> {
    changing(app, routing::delete_rule(&app.db, id, actor)).await
}
