//! What an administrator edits for the appeals register: the category tree, the deadline
//! rules (each with its legal source) and the bindings that choose a rule for an appeal.

use std::collections::BTreeMap;

use crate::extract::{Path, Query};
use abonent_app::appeals::reference as change;
use abonent_domain::appeal::{AppealKind, Channel, Priority, RuleBinding};
use abonent_domain::correspondence::SenderKind;
use abonent_domain::deadline::{CountsFrom, DeadlineRule, DeadlineUnit, Verification};
use abonent_domain::ValidationErrors;
use abonent_storage::appeals::reference::{self, Category};
use abonent_storage::appeals::reference_admin::{self as admin, BindingRow, CategoryForm};
use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use axum::Extension;

use super::{channels, kinds, priorities, Opt};
use crate::auth::Principal;
use crate::forms::FormView;
use crate::pages::{flash_of, html, invalid, layout, to, PageResult};
use crate::views::Layout;
use crate::{AppError, AppState};

// ---------------------------------------------------------------- category tree

pub struct CategoryRow {
    pub c: Category,
    pub depth: usize,
}

impl CategoryRow {
    /// A class, not a style attribute: the pages' policy allows styles from files only.
    pub fn indent(&self) -> String {
        format!("indent-{}", self.depth.min(6))
    }
}

#[derive(Template)]
#[template(path = "admin/appeal_categories.html")]
struct CategoriesPage {
    l: Layout,
    rows: Vec<CategoryRow>,
    f: FormView,
}

async fn categories_page(
    s: &AppState,
    p: &Principal,
    f: FormView,
    flash: &str,
) -> Result<CategoriesPage, AppError> {
    let rows = admin::tree_with_depth(reference::categories(&s.db).await?)
        .into_iter()
        .map(|(c, depth)| CategoryRow { c, depth })
        .collect();
    Ok(CategoriesPage {
        l: layout(s, p, "Категории обращений", "appeal_categories")
            .await
            .map_err(|e| e.0)?
            .flash(flash),
        rows,
        f,
    })
}

pub async fn categories(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Query(q): Query<BTreeMap<String, String>>,
) -> PageResult {
    html(&categories_page(&s, &p, FormView::default(), flash_of(&q)).await?)
}

fn category_form(f: &FormView) -> Result<CategoryForm, AppError> {
    let parent_id = match f.v("parent_id").trim() {
        "" => None,
        v => Some(v.parse().map_err(|_| {
            AppError::Invalid(ValidationErrors::single(
                "parent_id",
                "Выберите родительскую категорию из списка.",
            ))
        })?),
    };
    Ok(CategoryForm {
        parent_id,
        title: f.v("title").to_string(),
        active: Some(f.checked("active")),
    })
}

async fn after_category_edit(
    s: &AppState,
    p: &Principal,
    f: FormView,
    result: Result<Category, AppError>,
) -> PageResult {
    match result {
        Ok(_) => to("/admin/appeal-categories?saved=1".into()),
        Err(AppError::Invalid(e)) => invalid(&categories_page(s, p, f.errors(e), "").await?),
        Err(e) => Err(e.into()),
    }
}

pub async fn create_category(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    body: Bytes,
) -> PageResult {
    let f = FormView::from_body(&body);
    let result = match category_form(&f) {
        Ok(form) => change::create_category(&s, &form, &p.actor()).await,
        Err(e) => Err(e),
    };
    after_category_edit(&s, &p, f, result).await
}

pub async fn update_category(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    body: Bytes,
) -> PageResult {
    let f = FormView::from_body(&body);
    let result = match category_form(&f) {
        Ok(form) => change::update_category(&s, id, &form, &p.actor()).await,
        Err(e) => Err(e),
    };
    after_category_edit(&s, &p, f, result).await
}

// ---------------------------------------------------------------- deadline rules and bindings

pub const UNITS: [(&str, &str); 4] = [
    ("minutes", "минут"),
    ("hours", "часов"),
    ("calendar_days", "суток (календарных дней)"),
    ("working_days", "рабочих дней"),
];

/// A binding row in words.
pub struct BindingView {
    pub id: i64,
    pub conditions: String,
    pub rule: String,
}

#[derive(Template)]
#[template(path = "admin/deadline_rules.html")]
struct RulesPage {
    l: Layout,
    rules: Vec<DeadlineRule>,
    bindings: Vec<BindingView>,
    categories: Vec<Category>,
    kinds: Vec<Opt>,
    channels: Vec<Opt>,
    priorities: Vec<Opt>,
    units: [(&'static str, &'static str); 4],
    /// What a rule counts from: code and Russian title.
    starts: Vec<(&'static str, &'static str)>,
    senders: Vec<Opt>,
    f: FormView,
}

impl RulesPage {
    /// Rule fields are named `<code>.<field>`; new-rule fields `new.<field>`.
    fn field(&self, code: &str, field: &str) -> String {
        format!("{code}.{field}")
    }
    fn v(&self, code: &str, field: &str) -> String {
        self.f.v(&self.field(code, field)).to_string()
    }
    fn err(&self, code: &str, field: &str) -> String {
        self.f.err(&self.field(code, field)).to_string()
    }
}

fn binding_view(b: &BindingRow, categories: &[Category], rules: &[DeadlineRule]) -> BindingView {
    let mut parts = Vec::new();
    if let Some(k) = b.kind.as_deref().and_then(AppealKind::from_code) {
        parts.push(format!("вид: {}", k.title()));
    }
    if let Some(pr) = b.priority.as_deref().and_then(Priority::from_code) {
        parts.push(format!("приоритет: {}", pr.title()));
    }
    if let Some(ch) = b.channel.as_deref().and_then(Channel::from_code) {
        parts.push(format!("канал: {}", ch.title()));
    }
    if let Some(k) = b.sender_kind.as_deref().and_then(SenderKind::from_code) {
        parts.push(format!("отправитель: {}", k.title()));
    }
    if let Some(code) = &b.category_code {
        let title = categories
            .iter()
            .find(|c| &c.code == code)
            .map_or(code.as_str(), |c| c.title.as_str());
        parts.push(format!("категория: {title}"));
    }
    BindingView {
        id: b.id,
        conditions: if parts.is_empty() {
            "любое обращение".into()
        } else {
            parts.join("; ")
        },
        rule: rules
            .iter()
            .find(|r| r.code == b.rule_code)
            .map_or(b.rule_code.clone(), |r| r.title.clone()),
    }
}

async fn rules_page(
    s: &AppState,
    p: &Principal,
    f: Option<FormView>,
    flash: &str,
) -> Result<RulesPage, AppError> {
    let rules = admin::all_rules(&s.db).await?;
    let categories = admin::tree_with_depth(reference::categories(&s.db).await?)
        .into_iter()
        .map(|(c, _)| c)
        .collect::<Vec<_>>();
    let bindings = admin::binding_rows(&s.db)
        .await?
        .iter()
        .map(|b| binding_view(b, &categories, &rules))
        .collect();
    let f = f.unwrap_or_else(|| {
        let mut f = FormView::default();
        for r in &rules {
            f.set(&format!("{}.title", r.code), r.title.clone());
            f.set(&format!("{}.amount", r.code), r.amount.to_string());
            f.set(&format!("{}.unit", r.code), r.unit.code());
            f.set(&format!("{}.source", r.code), r.source.clone());
            f.set(&format!("{}.counts_from", r.code), r.counts_from.code());
            if r.verification == Verification::Confirmed {
                f.set(&format!("{}.confirmed", r.code), "on");
            }
        }
        f
    });
    Ok(RulesPage {
        l: layout(s, p, "Сроки обращений", "deadline_rules")
            .await
            .map_err(|e| e.0)?
            .flash(flash),
        rules,
        bindings,
        categories,
        kinds: kinds(),
        channels: channels(),
        priorities: priorities(),
        units: UNITS,
        starts: CountsFrom::ALL.map(|c| (c.code(), c.title())).to_vec(),
        senders: SenderKind::ALL
            .iter()
            .map(|k| Opt {
                code: k.code(),
                title: k.title(),
            })
            .collect(),
        f,
    })
}

pub async fn rules(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Query(q): Query<BTreeMap<String, String>>,
) -> PageResult {
    html(&rules_page(&s, &p, None, flash_of(&q)).await?)
}

/// A rule from the form fields prefixed `prefix.`; errors named with the prefix.
fn rule_from_form(
    f: &FormView,
    prefix: &str,
    base: DeadlineRule,
) -> Result<DeadlineRule, ValidationErrors> {
    let v = |field: &str| f.v(&format!("{prefix}.{field}")).trim().to_string();
    let mut e = ValidationErrors::new();
    let amount = v("amount").parse::<u32>().unwrap_or_else(|_| {
        e.add(
            &format!("{prefix}.amount"),
            "Срок — целое число, например 30.",
        );
        1
    });
    let unit = DeadlineUnit::from_code(&v("unit")).unwrap_or_else(|| {
        e.add(
            &format!("{prefix}.unit"),
            "Выберите единицу: минуты, часы, сутки или рабочие дни.",
        );
        base.unit
    });
    // A form without the field (an older page) keeps what the rule says.
    let counts_from = match v("counts_from").as_str() {
        "" => base.counts_from,
        code => CountsFrom::from_code(code).unwrap_or_else(|| {
            e.add(
                &format!("{prefix}.counts_from"),
                "Выберите, от чего считается срок: с поступления или с регистрации.",
            );
            base.counts_from
        }),
    };
    let rule = DeadlineRule {
        title: v("title"),
        amount,
        unit,
        source: v("source"),
        counts_from,
        verification: if f.checked(&format!("{prefix}.confirmed")) {
            Verification::Confirmed
        } else {
            Verification::Unverified
        },
        ..base
    };
    if let Err(err) = rule.validate() {
        e.0.extend(err.prefixed(&format!("{prefix}.")).0);
    }
    if e.is_empty() {
        Ok(rule)
    } else {
        Err(e)
    }
}

/// Checks every rule of the form; saves the changed ones only when all are valid.
pub async fn save_rules(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    body: Bytes,
) -> PageResult {
    let f = FormView::from_body(&body);
    let current = admin::all_rules(&s.db).await?;
    let mut e = ValidationErrors::new();
    let mut edited = Vec::new();
    for r in &current {
        match rule_from_form(&f, &r.code, r.clone()) {
            Ok(rule) => edited.push(rule),
            Err(err) => e.0.extend(err.0),
        }
    }
    if !e.is_empty() {
        return invalid(&rules_page(&s, &p, Some(f.errors(e)), "").await?);
    }
    change::save_changed_rules(&s, &edited, &p.actor()).await?;
    to("/admin/deadline-rules?saved=1".into())
}

pub async fn create_rule(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    body: Bytes,
) -> PageResult {
    let f = FormView::from_body(&body);
    // Nobody types a code: a new rule is `own_<n>`, the first number not taken.
    let taken = abonent_storage::appeals::reference_admin::all_rules(&s.db).await?;
    let code = (1..)
        .map(|n| format!("own_{n}"))
        .find(|c| !taken.iter().any(|r| &r.code == c))
        .unwrap_or_default();
    let base = DeadlineRule {
        code: code.clone(),
        title: String::new(),
        amount: 1,
        unit: DeadlineUnit::WorkingDays,
        source: String::new(),
        only_between: None,
        verification: Verification::Unverified,
        counts_from: CountsFrom::Registration,
    };
    let result = match rule_from_form(&f, "new", base) {
        Ok(rule) => match change::create_rule(&s, &rule, &p.actor()).await {
            Ok(()) => Ok(()),
            // The code's refusal belongs to the new rule's field.
            Err(AppError::Invalid(e)) => Err(e.prefixed("new.")),
            Err(e) => return Err(e.into()),
        },
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => to("/admin/deadline-rules?saved=1".into()),
        Err(e) => {
            let mut page = rules_page(&s, &p, None, "").await?;
            for (k, v) in f.values {
                if k.starts_with("new.") {
                    page.f.set(&k, v);
                }
            }
            page.f = page.f.errors(e);
            invalid(&page)
        }
    }
}

pub async fn create_binding(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    body: Bytes,
) -> PageResult {
    let f = FormView::from_body(&body);
    let opt = |k: &str| Some(f.v(k).trim()).filter(|v| !v.is_empty());
    let b = RuleBinding {
        kind: opt("b.kind").and_then(AppealKind::from_code),
        priority: opt("b.priority").and_then(Priority::from_code),
        channel: opt("b.channel").and_then(Channel::from_code),
        sender: opt("b.sender").and_then(SenderKind::from_code),
        category: opt("b.category").map(str::to_string),
        rule: f.v("b.rule").trim().to_string(),
    };
    match change::add_binding(&s, &b, &p.actor()).await {
        Ok(_) => to("/admin/deadline-rules?saved=1#bindings".into()),
        Err(AppError::Invalid(e)) => {
            let mut page = rules_page(&s, &p, None, "").await?;
            for (k, v) in f.values {
                if k.starts_with("b.") {
                    page.f.set(&k, v);
                }
            }
            page.f = page.f.errors(e.prefixed("b."));
            invalid(&page)
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn remove_binding(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> PageResult {
    change::remove_binding(&s, id, &p.actor()).await?;
    to("/admin/deadline-rules?saved=1#bindings".into())
}
