//! `/api/v1/services`: adding and editing services (reference data; the list is in `mod.rs`).

use abonent_app::ledger::services as app_services;
use abonent_domain::ledger::service::ServiceForm;
use axum::body::Bytes;
use axum::extract::State;
use axum::response::Response;
use axum::{Extension, Json};

use super::types::Service;
use crate::api::{body, created, ApiResult};
use crate::auth::Principal;
use crate::extract::Path;
use crate::{ApiError, AppState};

/// Add a service.
#[utoipa::path(post, path = "/api/v1/services", summary = "Добавить услугу", tag = "Расчёты", request_body = ServiceForm, responses((status = 201, body = Service), (status = 422)))]
pub async fn create(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    b: Bytes,
) -> Result<Response, ApiError> {
    let f: ServiceForm = body(&b)?;
    Ok(created(Service::from(
        app_services::create(&s, &f, &p.actor()).await?,
    )))
}

/// Change a service's title, kind, suspension and words (the code stays).
#[utoipa::path(put, path = "/api/v1/services/{code}", summary = "Изменить услугу", tag = "Расчёты", params(("code" = String, Path)), request_body = ServiceForm, responses((status = 200, body = Service), (status = 404), (status = 422)))]
pub async fn update(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(code): Path<String>,
    b: Bytes,
) -> ApiResult<Service> {
    let f: ServiceForm = body(&b)?;
    Ok(Json(
        app_services::update(&s, &code, &f, &p.actor())
            .await?
            .into(),
    ))
}
