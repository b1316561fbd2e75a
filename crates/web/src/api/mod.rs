//! JSON API under `/api/v1`. Errors are `application/problem+json` with a Russian message per
//! field; every handler is described in the OpenAPI document (`openapi.rs`).

pub mod absences;
pub mod appeals;
pub mod consultations;
pub mod correspondence;
pub mod documents;
pub mod knowledge;
pub mod ledger;
pub mod openapi;
pub mod outages;
pub mod outbox;
pub mod privacy;
pub mod registry;
pub mod reports;
pub mod tariffs;
pub mod types;

use abonent_storage::search::{self as store_search, HitKind};
use axum::extract::State;

use crate::extract::Query;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use types::SearchHit;
use utoipa::{IntoParams, ToSchema};

use crate::auth::Principal;
use crate::{ApiError, AppError, AppState};

pub type ApiResult<T> = Result<Json<T>, ApiError>;

/// Parse a JSON body: broken JSON is named by line and column, a missing or wrong field by
/// its name, in Russian.
pub fn body<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let broken = |e: &serde_json::Error| {
        ApiError(AppError::BadRequest(format!(
            "Тело запроса — не JSON: ошибка в строке {}, столбце {}. Сверьтесь со справочником /api/docs.",
            e.line(),
            e.column()
        )))
    };
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        if !e.inner().is_data() {
            return broken(e.inner());
        }
        let json: Option<serde_json::Value> = serde_json::from_slice(bytes).ok();
        let value_of = |path: &str| {
            json.as_ref()
                .and_then(|j| j.pointer(&format!("/{}", path.replace('.', "/"))))
                .map(|v| v.to_string().trim_matches('"').to_string())
        };
        let (field, detail) = crate::extract::serde_message(
            &e.path().to_string(),
            &e.inner().to_string(),
            "поле JSON",
            value_of,
        );
        ApiError(AppError::field(&field, detail))
    })?;
    de.end().map_err(|e| broken(&e))?;
    Ok(value)
}

pub fn created<T: Serialize>(v: T) -> Response {
    (StatusCode::CREATED, Json(v)).into_response()
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Page number, from 1.
    pub page: Option<i64>,
    /// Rows per page, 1–500 (50 by default).
    pub per_page: Option<i64>,
    /// Sort field; a leading `-` sorts descending.
    pub sort: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CloseRequest {
    /// Why the record is closed; kept in the history.
    pub reason: String,
    /// Closing date (accounts, links; a person's archiving ends their links on it):
    /// `2026-11-27` or `27.11.2026`; today when omitted; an unreadable date is refused.
    pub date: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    pub login: String,
    pub name: String,
    pub role: abonent_domain::Role,
}

/// Who is calling.
#[utoipa::path(get, path = "/api/v1/me", summary = "Кто обращается", tag = "Доступ", responses((status = 200, body = Me)))]
pub async fn me(Extension(p): Extension<Principal>) -> Json<Me> {
    Json(Me {
        login: p.login,
        name: p.name,
        role: p.role,
    })
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// Account number, address (`ленина 5 12`), surname or phone in any format.
    pub q: String,
    /// Up to 100 hits (20 by default).
    pub limit: Option<i64>,
}

/// The search box: accounts and people.
#[utoipa::path(get, path = "/api/v1/search", summary = "Поиск счетов и людей", tag = "Поиск", params(SearchParams), responses((status = 200, body = [SearchHit])))]
pub async fn search(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Query(q): Query<SearchParams>,
) -> ApiResult<Vec<SearchHit>> {
    let hits: Vec<_> = store_search::search(&s.db, &q.q, q.limit.unwrap_or(20).clamp(1, 100))
        .await?
        .into_iter()
        .filter(|h| {
            h.kind == HitKind::Account || p.can(abonent_domain::Permission::ViewPersonalData)
        })
        .collect();
    let ids: Vec<i64> = hits.iter().flat_map(|h| h.people.clone()).collect();
    abonent_app::privacy::record_views(&s, &p.actor(), &ids, "GET /api/v1/search").await?;
    Ok(Json(hits.into_iter().map(SearchHit::from).collect()))
}

pub fn close_date(
    r: &CloseRequest,
    today: chrono::NaiveDate,
) -> Result<chrono::NaiveDate, ApiError> {
    let on = abonent_domain::registry::closing_date(r.date.as_deref(), "date", "Дата")
        .map_err(AppError::Invalid)?;
    Ok(on.unwrap_or(today))
}
