//! Building-wide incidents and recurring problems through the API.

use crate::extract::Path;
use abonent_app::appeals::work;
use abonent_storage::appeals::incidents;
use abonent_storage::appeals::recurring;
use axum::body::Bytes;
use axum::extract::State;
use axum::response::Response;
use axum::{Extension, Json};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::types::{CloseReport, Incident, NewIncident, Proposal, Recurring};
use crate::api::types::list as rows;
use crate::api::{body, created, ApiResult};
use crate::auth::Principal;
use crate::{ApiError, AppState};

/// Incidents, open first.
#[utoipa::path(get, path = "/api/v1/incidents", summary = "Общедомовые аварии", tag = "Обращения", responses((status = 200, body = Vec<Incident>)))]
pub async fn list(State(s): State<AppState>) -> ApiResult<Vec<Incident>> {
    Ok(Json(rows(incidents::list_incidents(&s.db).await?)))
}

/// Proposed incidents: open appeals of one building and category that arrived within the
/// window (settings `appeals.incident_threshold`, `appeals.incident_window_minutes`), or
/// appeals to link to an open incident of that building and category.
#[utoipa::path(get, path = "/api/v1/incidents/proposals", summary = "Предлагаемые аварии: обращения одного дома и категории", tag = "Обращения", responses((status = 200, body = Vec<Proposal>)))]
pub async fn proposals(State(s): State<AppState>) -> ApiResult<Vec<Proposal>> {
    Ok(Json(rows(incidents::proposals(&s.db, None).await?)))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct IncidentId {
    pub id: i64,
}

/// Create an incident from open appeals of one building and link them.
#[utoipa::path(post, path = "/api/v1/incidents", summary = "Создать аварию из открытых обращений", tag = "Обращения", request_body = NewIncident,
    responses((status = 201, body = IncidentId), (status = 422, description = "Обращение закрыто, из другого дома или уже в аварии")))]
pub async fn create(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    b: Bytes,
) -> Result<Response, ApiError> {
    let n = body::<NewIncident>(&b)?.into();
    Ok(created(IncidentId {
        id: work::create_incident(&s, &n, &p.actor()).await?,
    }))
}

#[utoipa::path(get, path = "/api/v1/incidents/{id}", summary = "Авария с её обращениями", tag = "Обращения", params(("id" = i64, Path)), responses((status = 200, body = Incident), (status = 404)))]
pub async fn show(State(s): State<AppState>, Path(id): Path<i64>) -> ApiResult<Incident> {
    Ok(Json(incidents::get_incident(&s.db, id).await?.into()))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct AppealIds {
    pub appeal_ids: Vec<i64>,
}

/// Link more appeals (later ones too) to an open incident.
#[utoipa::path(post, path = "/api/v1/incidents/{id}/appeals", summary = "Привязать обращения к аварии", tag = "Обращения", params(("id" = i64, Path)), request_body = AppealIds,
    responses((status = 200, body = Incident), (status = 422)))]
pub async fn link(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    b: Bytes,
) -> ApiResult<Incident> {
    let ids = body::<AppealIds>(&b)?;
    work::link_to_incident(&s, id, &ids.appeal_ids, &p.actor()).await?;
    Ok(Json(incidents::get_incident(&s.db, id).await?.into()))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct CloseIncident {
    /// What was done: written into every appeal as its result.
    pub result: String,
}

/// Close the incident: each open appeal goes to «done» through the normal workflow checks
/// (history per appeal), applicants are written to through the outbox by the channels they
/// consented to. Appeals the rules refuse stay open and are listed in `failed`.
#[utoipa::path(post, path = "/api/v1/incidents/{id}/close", summary = "Закрыть аварию", tag = "Обращения", params(("id" = i64, Path)), request_body = CloseIncident,
    responses((status = 200, body = CloseReport), (status = 422)))]
pub async fn close(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    b: Bytes,
) -> ApiResult<CloseReport> {
    let c = body::<CloseIncident>(&b)?;
    Ok(Json(
        work::close_incident(&s, id, &c.result, p.role, &p.actor())
            .await?
            .into(),
    ))
}

/// Recurring problems: the same building and category N or more times within the period
/// (settings `appeals.recurring_threshold`, `appeals.recurring_days`).
#[utoipa::path(get, path = "/api/v1/recurring-problems", summary = "Повторяющиеся проблемы", tag = "Обращения", responses((status = 200, body = Vec<Recurring>)))]
pub async fn recurring(State(s): State<AppState>) -> ApiResult<Vec<Recurring>> {
    Ok(Json(rows(recurring::list(&s.db).await?)))
}
