//! Appeals through the API: register, read, the views, status changes, comments and the
//! classifier's suggestion. Incidents, the contractor's orders, attachments, routing and the
//! reference data of appeals have a module each below.

pub mod files;
pub mod incidents;
pub mod orders;
pub mod reference;
pub mod routing;
pub mod types;

use crate::extract::{Path, Query};
use abonent_app::appeals::work;
use abonent_app::privacy::{RecordKind, Shown};
use abonent_domain::appeal::classify;
use abonent_storage::appeals::{self, AppealFilter};
use abonent_storage::history;
use abonent_storage::registry::PageReq;
use axum::body::Bytes;
use axum::extract::State;
use axum::response::Response;
use axum::{Extension, Json};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use self::types::{
    Appeal, AppealListItem, CommentRow, DeadlineMove, NewAppeal, Registered, StatusChange, View,
};
use super::types::{list as rows, HistoryEntry, Page};
use super::{body, created, ApiResult};
use crate::auth::Principal;
use crate::{ApiError, AppState};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AppealParams {
    /// `all` (default), `open`, `overdue`, `at_risk`, `emergencies`, `mine`.
    pub view: Option<View>,
    /// A number, or words found by their Russian forms (протечка → протёк, протечки).
    pub q: Option<String>,
    pub kind: Option<String>,
    pub status: Option<String>,
    pub priority: Option<String>,
    pub category_id: Option<i64>,
    pub building_id: Option<i64>,
    pub department_id: Option<i64>,
    pub contractor_id: Option<i64>,
    pub executor_id: Option<i64>,
    pub person_id: Option<i64>,
    pub account_id: Option<i64>,
}

/// Appeals of a view, paginated.
#[utoipa::path(get, path = "/api/v1/appeals", summary = "Журнал обращений", tag = "Обращения", params(super::ListParams, AppealParams), responses((status = 200, body = Page<AppealListItem>)))]
pub async fn list(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Query(page): Query<super::ListParams>,
    Query(q): Query<AppealParams>,
) -> ApiResult<Page<AppealListItem>> {
    let f = AppealFilter {
        view: q.view.unwrap_or_default().into(),
        q: q.q,
        kind: q.kind,
        status: q.status,
        priority: q.priority,
        category_id: q.category_id,
        building_id: q.building_id,
        department_id: q.department_id,
        contractor_id: q.contractor_id,
        executor_id: q.executor_id,
        person_id: q.person_id,
        account_id: q.account_id,
        ..Default::default()
    };
    let page = appeals::list(&s.db, &f, PageReq::new(page.page, page.per_page), p.user_id).await?;
    // Each appeal's address and substance, and its applicant when a registry person.
    let shown = Shown::default().with(RecordKind::Appeal, page.items.iter().map(|a| a.id));
    abonent_app::privacy::record_views_of(&s, &p.actor(), shown, "GET /api/v1/appeals").await?;
    Ok(Json(page.into()))
}

/// Register an appeal: the answer carries the number and the deadline to tell the resident.
/// Missing details (address, substance, how to reach the applicant) are named per field; an
/// emergency needs only the address and the substance, and a phone that cannot be read is
/// kept as typed (`phone_unchecked`) instead of refusing it. Without `priority`, a text the
/// classifier takes for an emergency is registered as one (`localisation_at` and
/// `deadline_at`, the alert to the people on duty); downgrade it with
/// `POST /api/v1/appeals/{id}/priority` and a reason.
#[utoipa::path(post, path = "/api/v1/appeals", summary = "Зарегистрировать обращение", tag = "Обращения", request_body = NewAppeal,
    responses((status = 201, body = Registered), (status = 422, description = "Не хватает сведений — по каждому полю")))]
pub async fn create(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    b: Bytes,
) -> Result<Response, ApiError> {
    let a = body::<NewAppeal>(&b)?.into();
    Ok(created(Registered::from(
        abonent_app::appeals::register(&s, &a, &p.actor()).await?,
    )))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AppealCard {
    pub appeal: Appeal,
    pub comments: Vec<CommentRow>,
    /// Deferrals and reopenings of the deadline, oldest first.
    pub deadline_moves: Vec<DeadlineMove>,
}

#[utoipa::path(get, path = "/api/v1/appeals/{id}", summary = "Обращение", tag = "Обращения", params(("id" = i64, Path)), responses((status = 200, body = AppealCard), (status = 404)))]
pub async fn show(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> ApiResult<AppealCard> {
    let a = appeals::get(&s.db, id).await?;
    // The applicant's name, contacts and address, free text or a registry person (152-ФЗ).
    let shown = Shown::default().with(RecordKind::Appeal, [a.id]);
    abonent_app::privacy::record_views_of(&s, &p.actor(), shown, "GET /api/v1/appeals/{id}")
        .await?;
    Ok(Json(AppealCard {
        appeal: a.into(),
        comments: rows(appeals::comments(&s.db, id).await?),
        deadline_moves: rows(appeals::deadlines::moves(&s.db, id).await?),
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct PriorityChange {
    /// `emergency`, `urgent`, `normal`, `planned`.
    #[schema(value_type = String)]
    pub priority: abonent_domain::appeal::Priority,
    /// Why: kept in the history (required).
    #[serde(default)]
    pub reason: String,
}

/// Change the priority with a reason (a specialist downgrading what the classifier took for
/// an emergency, or raising one). The deadlines follow the new priority's rule; an emergency
/// gets the localisation deadline and the alert to the people on duty.
#[utoipa::path(post, path = "/api/v1/appeals/{id}/priority", summary = "Сменить приоритет обращения", tag = "Обращения", params(("id" = i64, Path)), request_body = PriorityChange,
    responses((status = 200, body = Appeal), (status = 422, description = "Нет причины или приоритет тот же")))]
pub async fn priority(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    b: Bytes,
) -> ApiResult<Appeal> {
    let c = body::<PriorityChange>(&b)?;
    let a =
        abonent_app::appeals::change_priority(&s, id, c.priority, &c.reason, &p.actor()).await?;
    shown_appeal(&s, &p, a.id, "POST /api/v1/appeals/{id}/priority").await?;
    Ok(Json(a.into()))
}

/// Mark an emergency's damage localised (the first deadline of ПП 416 п. 13); once only.
#[utoipa::path(post, path = "/api/v1/appeals/{id}/localised", summary = "Авария локализована", tag = "Обращения", params(("id" = i64, Path)),
    responses((status = 200, body = Appeal), (status = 422, description = "Не аварийное или уже отмечено")))]
pub async fn localised(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> ApiResult<Appeal> {
    let a = work::localised(&s, id, &p.actor()).await?;
    shown_appeal(&s, &p, a.id, "POST /api/v1/appeals/{id}/localised").await?;
    Ok(Json(a.into()))
}

/// Change the status. Forbidden transitions and missing fields are answered 422 with a
/// Russian message (for example: a complaint does not close without a decision).
#[utoipa::path(post, path = "/api/v1/appeals/{id}/status", summary = "Сменить статус обращения", tag = "Обращения", params(("id" = i64, Path)), request_body = StatusChange,
    responses((status = 200, body = Appeal), (status = 422, description = "Переход запрещён или не хватает полей")))]
pub async fn status(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    b: Bytes,
) -> ApiResult<Appeal> {
    let ch = body::<StatusChange>(&b)?.into();
    let a = work::change_status(&s, id, &ch, p.role, &p.actor()).await?;
    shown_appeal(&s, &p, a.id, "POST /api/v1/appeals/{id}/status").await?;
    Ok(Json(a.into()))
}

/// Logs an answer carrying one appeal (its applicant's name, contacts and address).
async fn shown_appeal(s: &AppState, p: &Principal, id: i64, via: &str) -> Result<(), ApiError> {
    let shown = Shown::default().with(RecordKind::Appeal, [id]);
    abonent_app::privacy::record_views_of(s, &p.actor(), shown, via).await?;
    Ok(())
}

/// A bulk action of the journal: one change for many appeals.
#[derive(Debug, Deserialize, ToSchema)]
pub struct BulkChange {
    /// Appeal ids (at most `appeals.bulk_max`, 500 by default).
    pub ids: Vec<i64>,
    /// The change: `to: "assigned"` with `department_id`, `contractor_id` or `executor_id`
    /// and a `reason` for reassignment; any other status with the fields it needs.
    pub change: StatusChange,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BulkResult {
    pub changed: usize,
}

/// All or nothing: when any appeal cannot take the change, nothing is written and the 422
/// names each failed appeal by its number and the reason.
#[utoipa::path(post, path = "/api/v1/appeals/bulk", summary = "Массовое действие над обращениями", tag = "Обращения", request_body = BulkChange,
    responses((status = 200, body = BulkResult), (status = 422)))]
pub async fn bulk(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    b: Bytes,
) -> ApiResult<BulkResult> {
    let c = body::<BulkChange>(&b)?;
    let change = c.change.into();
    let changed = work::change_status_many(&s, &c.ids, &change, p.role, &p.actor()).await?;
    Ok(Json(BulkResult { changed }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewComment {
    pub body: String,
    /// Send to the applicant instead of an internal note: queued in the notifications outbox
    /// by the channels they consented to, in the same transaction.
    #[serde(default)]
    pub to_applicant: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CommentId {
    pub id: i64,
}

#[utoipa::path(post, path = "/api/v1/appeals/{id}/comments", summary = "Комментарий к обращению", tag = "Обращения", params(("id" = i64, Path)), request_body = NewComment,
    responses((status = 201, body = CommentId), (status = 422)))]
pub async fn comment(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    b: Bytes,
) -> Result<Response, ApiError> {
    let c = body::<NewComment>(&b)?;
    let id = work::comment(&s, id, c.to_applicant, &c.body, &p.actor()).await?;
    Ok(created(CommentId { id }))
}

#[utoipa::path(get, path = "/api/v1/appeals/{id}/history", summary = "История обращения", tag = "Обращения", params(("id" = i64, Path)), responses((status = 200, body = Vec<HistoryEntry>)))]
pub async fn history(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> ApiResult<Vec<HistoryEntry>> {
    appeals::get(&s.db, id).await?;
    // The history holds the applicant's details as they were registered and changed.
    let shown = Shown::default().with(RecordKind::Appeal, [id]);
    let via = "GET /api/v1/appeals/{id}/history";
    abonent_app::privacy::record_views_of(&s, &p.actor(), shown, via).await?;
    Ok(Json(rows(
        history::for_card(&s.db, "appeal", id, 500).await?,
    )))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ClassifyParams {
    pub text: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ClassifyAnswer {
    pub category: String,
    pub emergency: bool,
    /// Why it looks like an emergency: the concepts found («запах газа»); empty if not.
    pub reasons: Vec<String>,
    pub matched: Vec<String>,
}

/// The built-in classifier's suggestion for a text: a category of the default tree and
/// whether it looks like an emergency. A suggestion only: the specialist decides.
#[utoipa::path(get, path = "/api/v1/appeals/classify", summary = "Подсказка категории и аварийности по тексту", tag = "Обращения", params(ClassifyParams), responses((status = 200, body = ClassifyAnswer)))]
pub async fn suggest(Query(q): Query<ClassifyParams>) -> ApiResult<ClassifyAnswer> {
    let s = classify(&q.text);
    Ok(Json(ClassifyAnswer {
        category: s.category,
        emergency: s.emergency,
        reasons: s.reasons.iter().map(|c| c.title.to_string()).collect(),
        matched: s.matched.iter().map(|m| m.to_string()).collect(),
    }))
}
