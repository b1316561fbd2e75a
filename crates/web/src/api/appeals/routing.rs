//! Routing and feedback through the API: departments, contractors, staff duty, assignment
//! rules, emergency alerts, the applicant's rating recorded by a specialist, deferral.

use crate::extract::Path;
use abonent_app::appeals::reference as change;
use abonent_app::appeals::work;
use abonent_domain::appeal::Rating;
use abonent_storage::appeals::alerts;
use abonent_storage::appeals::routing;
use abonent_storage::history;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde::Deserialize;
use utoipa::{OpenApi, ToSchema};

use super::types::{
    Alert, Appeal, Contractor, ContractorForm, Department, DepartmentForm, RuleForm, RuleRow,
    Staff, StaffForm,
};
use crate::api::types::{list as rows, HistoryEntry};
use crate::api::{body, created, ApiResult};
use crate::auth::Principal;
use crate::{ApiError, AppError, AppState};

#[derive(OpenApi)]
#[openapi(
    paths(
        list_departments, create_department, update_department, department_history,
        list_contractors, create_contractor, show_contractor, update_contractor, contractor_history,
        list_staff, update_staff,
        list_rules, create_rule, delete_rule,
        list_alerts, acknowledge,
        rate, defer,
    ),
    tags((name = "Исполнители", description = "Отделы (в том числе аварийно-диспетчерская служба), подрядчики с обслуживаемыми домами, дежурные и правила назначения: при регистрации обращение получает исполнителя по самому точному правилу (категория, затем дом)."),
         (name = "Аварии", description = "Оповещения об аварийных обращениях: подтверждение дежурным; неподтверждённые вовремя передаются руководителю."))
)]
pub struct RoutingDoc;

/// Departments and services, the dispatch service first.
#[utoipa::path(get, path = "/api/v1/departments", summary = "Отделы и службы", tag = "Исполнители", responses((status = 200, body = Vec<Department>)))]
pub async fn list_departments(State(s): State<AppState>) -> ApiResult<Vec<Department>> {
    Ok(Json(rows(routing::departments(&s.db).await?)))
}

#[utoipa::path(post, path = "/api/v1/departments", summary = "Добавить отдел", tag = "Исполнители", request_body = DepartmentForm,
    responses((status = 201, body = Department), (status = 422, description = "Ошибки по полям")))]
pub async fn create_department(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    b: Bytes,
) -> Result<Response, ApiError> {
    let f = body::<DepartmentForm>(&b)?.into();
    let id = change::save_department(&s, None, &f, &p.actor()).await?;
    Ok(created(Department::from(
        routing::department(&s.db, id).await?,
    )))
}

#[utoipa::path(put, path = "/api/v1/departments/{id}", summary = "Изменить отдел", tag = "Исполнители", request_body = DepartmentForm,
    params(("id" = i64, Path)), responses((status = 200, body = Department)))]
pub async fn update_department(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    b: Bytes,
) -> ApiResult<Department> {
    let f = body::<DepartmentForm>(&b)?.into();
    routing::department(&s.db, id).await?;
    change::save_department(&s, Some(id), &f, &p.actor()).await?;
    Ok(Json(routing::department(&s.db, id).await?.into()))
}

#[utoipa::path(get, path = "/api/v1/departments/{id}/history", summary = "История отдела", tag = "Исполнители", params(("id" = i64, Path)), responses((status = 200, body = Vec<HistoryEntry>)))]
pub async fn department_history(
    State(s): State<AppState>,
    Path(id): Path<i64>,
) -> ApiResult<Vec<HistoryEntry>> {
    Ok(Json(rows(
        history::for_card(&s.db, "department", id, 500).await?,
    )))
}

#[utoipa::path(get, path = "/api/v1/contractors", summary = "Подрядчики", tag = "Исполнители", responses((status = 200, body = Vec<Contractor>)))]
pub async fn list_contractors(State(s): State<AppState>) -> ApiResult<Vec<Contractor>> {
    Ok(Json(rows(routing::contractors(&s.db).await?)))
}

/// A contractor: ИНН checked by its control digits, buildings it serves.
#[utoipa::path(post, path = "/api/v1/contractors", summary = "Добавить подрядчика", tag = "Исполнители", request_body = ContractorForm,
    responses((status = 201, body = Contractor), (status = 422, description = "Ошибки по полям")))]
pub async fn create_contractor(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    b: Bytes,
) -> Result<Response, ApiError> {
    let f = body::<ContractorForm>(&b)?.into();
    let id = work::save_contractor(&s, None, &f, &p.actor()).await?;
    Ok(created(Contractor::from(
        routing::contractor(&s.db, id).await?,
    )))
}

#[utoipa::path(get, path = "/api/v1/contractors/{id}", summary = "Подрядчик", tag = "Исполнители", params(("id" = i64, Path)), responses((status = 200, body = Contractor)))]
pub async fn show_contractor(
    State(s): State<AppState>,
    Path(id): Path<i64>,
) -> ApiResult<Contractor> {
    Ok(Json(routing::contractor(&s.db, id).await?.into()))
}

#[utoipa::path(put, path = "/api/v1/contractors/{id}", summary = "Изменить подрядчика", tag = "Исполнители", request_body = ContractorForm,
    params(("id" = i64, Path)), responses((status = 200, body = Contractor)))]
pub async fn update_contractor(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    b: Bytes,
) -> ApiResult<Contractor> {
    let f = body::<ContractorForm>(&b)?.into();
    routing::contractor(&s.db, id).await?;
    work::save_contractor(&s, Some(id), &f, &p.actor()).await?;
    Ok(Json(routing::contractor(&s.db, id).await?.into()))
}

#[utoipa::path(get, path = "/api/v1/contractors/{id}/history", summary = "История подрядчика", tag = "Исполнители", params(("id" = i64, Path)), responses((status = 200, body = Vec<HistoryEntry>)))]
pub async fn contractor_history(
    State(s): State<AppState>,
    Path(id): Path<i64>,
) -> ApiResult<Vec<HistoryEntry>> {
    Ok(Json(rows(
        history::for_card(&s.db, "contractor", id, 500).await?,
    )))
}

/// Staff as executors: contacts and the duty flag.
#[utoipa::path(get, path = "/api/v1/staff", summary = "Сотрудники как исполнители", tag = "Исполнители", responses((status = 200, body = Vec<Staff>)))]
pub async fn list_staff(State(s): State<AppState>) -> ApiResult<Vec<Staff>> {
    Ok(Json(rows(routing::staff(&s.db).await?)))
}

#[utoipa::path(put, path = "/api/v1/staff/{id}", summary = "Контакты и дежурство сотрудника", tag = "Исполнители", request_body = StaffForm,
    params(("id" = i64, Path)), responses((status = 204)))]
pub async fn update_staff(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    b: Bytes,
) -> Result<Response, ApiError> {
    let f = body::<StaffForm>(&b)?.into();
    work::save_staff(&s, id, &f, &p.actor()).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[utoipa::path(get, path = "/api/v1/assignment-rules", summary = "Правила назначения", tag = "Исполнители", responses((status = 200, body = Vec<RuleRow>)))]
pub async fn list_rules(State(s): State<AppState>) -> ApiResult<Vec<RuleRow>> {
    Ok(Json(rows(routing::rules(&s.db).await?)))
}

/// A rule: category and/or building (empty — any) and exactly one target.
#[utoipa::path(post, path = "/api/v1/assignment-rules", summary = "Добавить правило назначения", tag = "Исполнители", request_body = RuleForm,
    responses((status = 201, body = RuleRow), (status = 422, description = "Ошибки по полям")))]
pub async fn create_rule(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    b: Bytes,
) -> Result<Response, ApiError> {
    let f = body::<RuleForm>(&b)?.into();
    let id = change::add_assignment_rule(&s, &f, &p.actor()).await?;
    let row = routing::rules(&s.db)
        .await?
        .into_iter()
        .find(|r| r.id == id)
        .ok_or_else(|| AppError::NotFound(format!("правило с кодом {id}")))?;
    Ok(created(RuleRow::from(row)))
}

#[utoipa::path(delete, path = "/api/v1/assignment-rules/{id}", summary = "Удалить правило назначения", tag = "Исполнители", params(("id" = i64, Path)), responses((status = 204)))]
pub async fn delete_rule(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    change::delete_assignment_rule(&s, id, &p.actor()).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Alerts nobody has acknowledged yet.
#[utoipa::path(get, path = "/api/v1/alerts", summary = "Неподтверждённые оповещения об авариях", tag = "Аварии", responses((status = 200, body = Vec<Alert>)))]
pub async fn list_alerts(State(s): State<AppState>) -> ApiResult<Vec<Alert>> {
    Ok(Json(rows(alerts::open(&s.db).await?)))
}

/// Take the emergency: records who and when; a second acknowledgement is refused (422).
#[utoipa::path(post, path = "/api/v1/alerts/{id}/acknowledge", summary = "Подтвердить оповещение об аварии", tag = "Аварии", params(("id" = i64, Path)), responses((status = 200, body = Alert)))]
pub async fn acknowledge(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> ApiResult<Alert> {
    Ok(Json(
        work::acknowledge_alert(&s, id, &p.actor()).await?.into(),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct RatingRequest {
    /// `1`…`5` or `not_fixed`.
    pub rating: String,
}

/// The applicant's answer given by phone; a bad mark or «не устранено» reopens the appeal.
#[utoipa::path(post, path = "/api/v1/appeals/{id}/rating", summary = "Оценка заявителя", tag = "Обращения", request_body = RatingRequest,
    params(("id" = i64, Path)), responses((status = 200, body = Appeal)))]
pub async fn rate(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    b: Bytes,
) -> ApiResult<Appeal> {
    let r = body::<RatingRequest>(&b)?;
    let rating = Rating::parse(&r.rating).ok_or_else(|| {
        AppError::Invalid(abonent_domain::ValidationErrors::single(
            "rating",
            "Оценка — число от 1 до 5 или not_fixed («не устранено»).",
        ))
    })?;
    Ok(Json(
        work::rate_by_phone(&s, id, rating, &p.actor())
            .await?
            .into(),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct DeferRequest {
    /// The new deadline, UTC (RFC 3339).
    #[schema(value_type = String)]
    pub deadline_at: chrono::DateTime<chrono::Utc>,
    pub reason: String,
}

/// Defer the deadline with a reason (history, message to the applicant). At most
/// `appeals.deferral_max` times (setting, 2 by default); beyond that only a manager or an
/// administrator defers (422 with the field `deadline` otherwise). A later pause and resume
/// keep the deferred deadline, moved by the time paused.
#[utoipa::path(post, path = "/api/v1/appeals/{id}/deadline", summary = "Перенести срок обращения", tag = "Обращения", request_body = DeferRequest,
    params(("id" = i64, Path)), responses((status = 200, body = Appeal)))]
pub async fn defer(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    b: Bytes,
) -> ApiResult<Appeal> {
    let r = body::<DeferRequest>(&b)?;
    Ok(Json(
        work::defer(&s, id, r.deadline_at, &r.reason, p.role, &p.actor())
            .await?
            .into(),
    ))
}
