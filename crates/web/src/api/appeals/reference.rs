//! The appeals reference data through the API: the category tree, deadline rules and the
//! bindings that choose a rule. Reading is open to staff; changes are the administrator's.

use crate::extract::Path;
use abonent_app::appeals::reference as change;
use abonent_domain::appeal::{AppealKind, Channel, Priority, RuleBinding};
use abonent_domain::correspondence::SenderKind;
use abonent_domain::deadline::{CountsFrom, DeadlineRule, DeadlineUnit, Verification};
use abonent_domain::ValidationErrors;
use abonent_storage::appeals::reference;
use abonent_storage::appeals::reference_admin as admin;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::types::{BindingRow, Category, CategoryForm};
use crate::api::types::list as rows;
use crate::api::{body, created, ApiResult};
use crate::auth::Principal;
use crate::{ApiError, AppError, AppState};

#[utoipa::path(get, path = "/api/v1/appeal-categories", summary = "Категории обращений", tag = "Обращения", responses((status = 200, body = Vec<Category>)))]
pub async fn categories(State(s): State<AppState>) -> ApiResult<Vec<Category>> {
    let tree = admin::tree_with_depth(reference::categories(&s.db).await?);
    Ok(Json(tree.into_iter().map(|(c, _)| c.into()).collect()))
}

#[utoipa::path(post, path = "/api/v1/appeal-categories", summary = "Добавить категорию обращений", tag = "Обращения", request_body = CategoryForm,
    responses((status = 201, body = Category), (status = 422)))]
pub async fn create_category(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    b: Bytes,
) -> Result<Response, ApiError> {
    let f = body::<CategoryForm>(&b)?.into();
    Ok(created(Category::from(
        change::create_category(&s, &f, &p.actor()).await?,
    )))
}

/// Rename a category or turn it off (`active: false`): it is no longer offered at intake.
#[utoipa::path(put, path = "/api/v1/appeal-categories/{id}", summary = "Изменить категорию обращений", tag = "Обращения", params(("id" = i64, Path)), request_body = CategoryForm,
    responses((status = 200, body = Category), (status = 404), (status = 422)))]
pub async fn update_category(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    b: Bytes,
) -> ApiResult<Category> {
    let f = body::<CategoryForm>(&b)?.into();
    Ok(Json(
        change::update_category(&s, id, &f, &p.actor())
            .await?
            .into(),
    ))
}

/// A deadline rule: `amount` of `unit` (`minutes`, `hours`, `calendar_days`,
/// `working_days`), with its legal source.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RuleJson {
    pub code: String,
    pub title: String,
    pub amount: u32,
    pub unit: String,
    pub source: String,
    /// Checked against the published source.
    #[serde(default)]
    pub confirmed: bool,
    /// Local daily window the clock runs in, `["08:00", "23:00"]` (read only here).
    #[serde(default)]
    pub only_between: Option<[String; 2]>,
    /// What the term counts from, as the source says: `receipt` (when the appeal arrived)
    /// or `registration`. Left out when saving: the rule keeps what it says (a new rule:
    /// registration).
    #[serde(default)]
    pub counts_from: Option<String>,
}

impl From<&DeadlineRule> for RuleJson {
    fn from(r: &DeadlineRule) -> Self {
        RuleJson {
            code: r.code.clone(),
            title: r.title.clone(),
            amount: r.amount,
            unit: r.unit.code().into(),
            source: r.source.clone(),
            confirmed: r.verification == Verification::Confirmed,
            counts_from: Some(r.counts_from.code().into()),
            only_between: r
                .only_between
                .map(|(a, b)| [a.format("%H:%M").to_string(), b.format("%H:%M").to_string()]),
        }
    }
}

#[utoipa::path(get, path = "/api/v1/deadline-rules", summary = "Правила сроков обращений", tag = "Обращения", responses((status = 200, body = Vec<RuleJson>)))]
pub async fn rules(State(s): State<AppState>) -> ApiResult<Vec<RuleJson>> {
    Ok(Json(
        admin::all_rules(&s.db)
            .await?
            .iter()
            .map(RuleJson::from)
            .collect(),
    ))
}

/// Create or change a rule (the code in the path wins). Appeals registered earlier keep
/// their deadlines. The daily window of an existing rule is kept.
#[utoipa::path(put, path = "/api/v1/deadline-rules/{code}", summary = "Создать или изменить правило срока", tag = "Обращения", params(("code" = String, Path)), request_body = RuleJson,
    responses((status = 200, body = RuleJson), (status = 422)))]
pub async fn save_rule(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(code): Path<String>,
    b: Bytes,
) -> ApiResult<RuleJson> {
    let j = body::<RuleJson>(&b)?;
    let unit = DeadlineUnit::from_code(&j.unit).ok_or_else(|| {
        AppError::Invalid(ValidationErrors::single(
            "unit",
            "Единица: minutes, hours, calendar_days или working_days.",
        ))
    })?;
    let current = admin::all_rules(&s.db).await?;
    let stored = current.iter().find(|r| r.code == code);
    let counts_from = match j.counts_from.as_deref() {
        None => stored.map_or(CountsFrom::Registration, |r| r.counts_from),
        Some(c) => CountsFrom::from_code(c).ok_or_else(|| {
            AppError::Invalid(ValidationErrors::single(
                "counts_from",
                "От чего считается срок: receipt (с поступления) или registration (с регистрации).",
            ))
        })?,
    };
    let rule = DeadlineRule {
        code: code.clone(),
        title: j.title,
        amount: j.amount,
        unit,
        source: j.source,
        only_between: stored
            .and_then(|r| r.only_between)
            .filter(|_| !unit.is_day_counted()),
        verification: if j.confirmed {
            Verification::Confirmed
        } else {
            Verification::Unverified
        },
        counts_from,
    };
    change::save_rule(&s, &rule, &p.actor()).await?;
    Ok(Json(RuleJson::from(&rule)))
}

#[utoipa::path(get, path = "/api/v1/deadline-bindings", summary = "Привязки правил сроков", tag = "Обращения", responses((status = 200, body = Vec<BindingRow>)))]
pub async fn bindings(State(s): State<AppState>) -> ApiResult<Vec<BindingRow>> {
    Ok(Json(rows(admin::binding_rows(&s.db).await?)))
}

/// «Appeals like this get that rule»: any of the conditions may be left out.
#[derive(Debug, Deserialize, ToSchema)]
pub struct BindingJson {
    pub kind: Option<String>,
    pub priority: Option<String>,
    pub channel: Option<String>,
    /// A category code; also matches its subcategories.
    pub category: Option<String>,
    /// Who sent the appeal: `person`, `organization`, `housing_inspectorate`, `prosecutor`,
    /// `other_state`. Outweighs every other condition (59-ФЗ for state bodies).
    pub sender: Option<String>,
    pub rule: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BindingId {
    pub id: i64,
}

fn code_of<T>(
    field: &str,
    value: &Option<String>,
    parse: fn(&str) -> Option<T>,
    e: &mut ValidationErrors,
) -> Option<T> {
    let v = value.as_deref()?;
    let found = parse(v);
    if found.is_none() {
        e.add(
            field,
            format!("Неизвестный код «{v}»: см. справочник /api/docs."),
        );
    }
    found
}

#[utoipa::path(post, path = "/api/v1/deadline-bindings", summary = "Добавить привязку правила срока", tag = "Обращения", request_body = BindingJson,
    responses((status = 201, body = BindingId), (status = 422)))]
pub async fn create_binding(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    b: Bytes,
) -> Result<Response, ApiError> {
    let j = body::<BindingJson>(&b)?;
    let mut e = ValidationErrors::new();
    let binding = RuleBinding {
        kind: code_of("kind", &j.kind, AppealKind::from_code, &mut e),
        priority: code_of("priority", &j.priority, Priority::from_code, &mut e),
        channel: code_of("channel", &j.channel, Channel::from_code, &mut e),
        sender: code_of("sender", &j.sender, SenderKind::from_code, &mut e),
        category: j.category,
        rule: j.rule,
    };
    if !e.is_empty() {
        return Err(AppError::Invalid(e).into());
    }
    let id = change::add_binding(&s, &binding, &p.actor()).await?;
    Ok(created(BindingId { id }))
}

/// Remove a binding (kept in the history).
#[utoipa::path(delete, path = "/api/v1/deadline-bindings/{id}", summary = "Удалить привязку правила срока", tag = "Обращения", params(("id" = i64, Path)),
    responses((status = 204), (status = 404)))]
pub async fn remove_binding(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    change::remove_binding(&s, id, &p.actor()).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
