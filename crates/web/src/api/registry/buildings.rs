use crate::extract::{Path, Query};
use abonent_app::registry;
use abonent_domain::registry::BuildingForm;
use abonent_storage::history;
use abonent_storage::registry::{building, premises, BuildingFilter, PageReq};
use axum::body::Bytes;
use axum::extract::State;
use axum::response::Response;
use axum::{Extension, Json};
use serde::Deserialize;
use utoipa::IntoParams;

use super::types::{Building, Premises};
use crate::api::types::{list as rows, HistoryEntry, Page};
use crate::api::{body, created, ApiResult, CloseRequest};
use crate::auth::Principal;
use crate::{ApiError, AppState};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BuildingParams {
    /// Fragment of the street name.
    pub street: Option<String>,
    /// Include buildings no longer managed.
    pub include_closed: Option<bool>,
}

/// Buildings, paginated.
#[utoipa::path(get, path = "/api/v1/buildings", summary = "Дома", tag = "Дома", params(crate::api::ListParams, BuildingParams), responses((status = 200, body = Page<Building>)))]
pub async fn list(
    State(s): State<AppState>,
    Query(page): Query<crate::api::ListParams>,
    Query(q): Query<BuildingParams>,
) -> ApiResult<Page<Building>> {
    let f = BuildingFilter {
        street: q.street,
        include_closed: q.include_closed.unwrap_or(false),
        sort: page.sort,
    };
    Ok(Json(
        building::list(&s.db, &f, PageReq::new(page.page, page.per_page))
            .await?
            .into(),
    ))
}

/// Add a building.
#[utoipa::path(post, path = "/api/v1/buildings", summary = "Добавить дом", tag = "Дома", request_body = BuildingForm,
    responses((status = 201, body = Building), (status = 422, description = "Ошибки в полях (problem+json)")))]
pub async fn create(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    b: Bytes,
) -> Result<Response, ApiError> {
    let id = registry::create_building(&s, &body::<BuildingForm>(&b)?, &p.actor()).await?;
    Ok(created(Building::from(building::get(&s.db, id).await?)))
}

/// One building.
#[utoipa::path(get, path = "/api/v1/buildings/{id}", summary = "Дом", tag = "Дома", params(("id" = i64, Path)), responses((status = 200, body = Building), (status = 404)))]
pub async fn show(State(s): State<AppState>, Path(id): Path<i64>) -> ApiResult<Building> {
    Ok(Json(building::get(&s.db, id).await?.into()))
}

/// Change a building (all fields).
#[utoipa::path(put, path = "/api/v1/buildings/{id}", summary = "Изменить дом", tag = "Дома", params(("id" = i64, Path)), request_body = BuildingForm, responses((status = 200, body = Building), (status = 422)))]
pub async fn update(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    b: Bytes,
) -> ApiResult<Building> {
    registry::update_building(&s, id, &body::<BuildingForm>(&b)?, &p.actor()).await?;
    Ok(Json(building::get(&s.db, id).await?.into()))
}

/// The building leaves management (no open accounts may remain).
#[utoipa::path(post, path = "/api/v1/buildings/{id}/close", summary = "Дом выходит из управления", tag = "Дома", params(("id" = i64, Path)), request_body = CloseRequest, responses((status = 200, body = Building), (status = 422)))]
pub async fn close(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    b: Bytes,
) -> ApiResult<Building> {
    let r: CloseRequest = body(&b)?;
    registry::close_building(&s, id, &r.reason, &p.actor()).await?;
    Ok(Json(building::get(&s.db, id).await?.into()))
}

/// Premises of a building.
#[utoipa::path(get, path = "/api/v1/buildings/{id}/premises", summary = "Помещения дома", tag = "Дома", params(("id" = i64, Path)), responses((status = 200, body = [Premises])))]
pub async fn premises(State(s): State<AppState>, Path(id): Path<i64>) -> ApiResult<Vec<Premises>> {
    building::get(&s.db, id).await?;
    Ok(Json(rows(premises::of_building(&s.db, id).await?)))
}

/// History of a building and its premises.
#[utoipa::path(get, path = "/api/v1/buildings/{id}/history", summary = "История дома", tag = "Дома", params(("id" = i64, Path)), responses((status = 200, body = [HistoryEntry])))]
pub async fn history(
    State(s): State<AppState>,
    Path(id): Path<i64>,
) -> ApiResult<Vec<HistoryEntry>> {
    building::get(&s.db, id).await?;
    Ok(Json(rows(
        history::for_card(&s.db, "building", id, 500).await?,
    )))
}
