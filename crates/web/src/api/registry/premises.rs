use crate::extract::Path;
use abonent_app::registry;
use abonent_domain::registry::PremisesForm;
use abonent_storage::registry::premises;
use axum::body::Bytes;
use axum::extract::State;
use axum::response::Response;
use axum::{Extension, Json};

use super::types::Premises;
use crate::api::{body, created, ApiResult, CloseRequest};
use crate::auth::Principal;
use crate::{ApiError, AppState};

/// Add premises (a flat or a non-residential unit) to a building.
#[utoipa::path(post, path = "/api/v1/premises", summary = "Добавить помещение", tag = "Помещения", request_body = PremisesForm,
    responses((status = 201, body = Premises), (status = 422, description = "Ошибки в полях, например неизвестный дом")))]
pub async fn create(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    b: Bytes,
) -> Result<Response, ApiError> {
    let id = registry::create_premises(&s, &body::<PremisesForm>(&b)?, &p.actor()).await?;
    Ok(created(Premises::from(premises::get(&s.db, id).await?)))
}

/// One premises.
#[utoipa::path(get, path = "/api/v1/premises/{id}", summary = "Помещение", tag = "Помещения", params(("id" = i64, Path)), responses((status = 200, body = Premises), (status = 404)))]
pub async fn show(State(s): State<AppState>, Path(id): Path<i64>) -> ApiResult<Premises> {
    Ok(Json(premises::get(&s.db, id).await?.into()))
}

/// Change premises.
#[utoipa::path(put, path = "/api/v1/premises/{id}", summary = "Изменить помещение", tag = "Помещения", params(("id" = i64, Path)), request_body = PremisesForm, responses((status = 200, body = Premises), (status = 422)))]
pub async fn update(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    b: Bytes,
) -> ApiResult<Premises> {
    registry::update_premises(&s, id, &body::<PremisesForm>(&b)?, &p.actor()).await?;
    Ok(Json(premises::get(&s.db, id).await?.into()))
}

/// Close premises (no open accounts may remain).
#[utoipa::path(post, path = "/api/v1/premises/{id}/close", summary = "Закрыть помещение", tag = "Помещения", params(("id" = i64, Path)), request_body = CloseRequest, responses((status = 200, body = Premises), (status = 422)))]
pub async fn close(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    b: Bytes,
) -> ApiResult<Premises> {
    let r: CloseRequest = body(&b)?;
    registry::close_premises(&s, id, &r.reason, &p.actor()).await?;
    Ok(Json(premises::get(&s.db, id).await?.into()))
}
