//! `/api/v1/print-runs`: the monthly print run of payment documents — start it as a job, follow
//! its progress, get the one PDF for printing (each document is also in the archive).

use abonent_app::documents::print_run;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::types::Job;
use crate::api::{body, ApiResult};
use crate::auth::Principal;
use crate::extract::Path;
use crate::{ApiError, AppState};

#[derive(Debug, Deserialize, ToSchema)]
pub struct PrintRunRequest {
    /// The buildings whose open accounts get a payment document.
    pub building_ids: Vec<i64>,
    /// The month, `2026-11`.
    pub period: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PrintRunStarted {
    pub job_id: i64,
}

/// Start the monthly print run: a payment document for every open account of the buildings,
/// numbered and archived; the report lists the documents in print order and the accounts
/// left out.
#[utoipa::path(post, path = "/api/v1/print-runs", summary = "Печать квитанций за месяц", tag = "Документы", request_body = PrintRunRequest,
    responses((status = 202, body = PrintRunStarted), (status = 422)))]
pub async fn start(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    b: Bytes,
) -> Result<Response, ApiError> {
    let r: PrintRunRequest = body(&b)?;
    let job_id = print_run::start(&s, &r.building_ids, &r.period, &p.actor()).await?;
    Ok((StatusCode::ACCEPTED, Json(PrintRunStarted { job_id })).into_response())
}

/// A print run's progress and, when done, its report (`document_ids`, `skipped`).
#[utoipa::path(get, path = "/api/v1/print-runs/{id}", summary = "Ход печати квитанций", tag = "Документы", params(("id" = i64, Path)), responses((status = 200, body = Job), (status = 404)))]
pub async fn show(State(s): State<AppState>, Path(id): Path<i64>) -> ApiResult<Job> {
    Ok(Json(print_run::job(&s, id).await?.into()))
}

/// The run's payment documents as one PDF for printing (building, entrance, flat), sent as
/// it is joined from the run's parts.
#[utoipa::path(get, path = "/api/v1/print-runs/{id}/pdf", summary = "Квитанции одним PDF для печати", tag = "Документы", params(("id" = i64, Path)),
    responses((status = 200, content_type = "application/pdf", description = "PDF"), (status = 404), (status = 422)))]
pub async fn pdf(State(s): State<AppState>, Path(id): Path<i64>) -> Result<Response, ApiError> {
    let chunks = print_run::pdf(&s, id).await?;
    Ok(crate::http::stream_download(
        chunks,
        "application/pdf",
        "Квитанции для печати.pdf",
    ))
}

/// The run's payment documents one file per account (for e-mail), as one ZIP.
#[utoipa::path(get, path = "/api/v1/print-runs/{id}/zip", summary = "Квитанции по счетам одним ZIP", tag = "Документы", params(("id" = i64, Path)),
    responses((status = 200, content_type = "application/zip", description = "ZIP"), (status = 404), (status = 422)))]
pub async fn zip(State(s): State<AppState>, Path(id): Path<i64>) -> Result<Response, ApiError> {
    let chunks = print_run::accounts_zip(&s, id).await?;
    Ok(crate::http::stream_download(
        chunks,
        "application/zip",
        "Квитанции по счетам.zip",
    ))
}
