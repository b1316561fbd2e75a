//! The contractor's own orders through the API: the appeals assigned to the contractor of
//! this login, one order, its status report. Anyone else gets 404.

use crate::extract::{Path, Query};
use abonent_app::appeals::work;
use abonent_app::privacy::{RecordKind, Shown};
use abonent_domain::Role;
use abonent_storage::appeals::{orders, AppealFilter};
use abonent_storage::registry::PageReq;
use axum::body::Bytes;
use axum::extract::State;
use axum::{Extension, Json};

use super::types::{Appeal, AppealListItem, StatusChange};
use super::AppealParams;
use crate::api::types::Page;
use crate::api::{body, ApiResult};
use crate::auth::Principal;
use crate::{ApiError, AppError, AppState};

fn contractor_only(p: &Principal) -> Result<(), ApiError> {
    if p.role == Role::Contractor {
        Ok(())
    } else {
        Err(
            AppError::NotFound("заказы подрядчика (только для учётной записи подрядчика)".into())
                .into(),
        )
    }
}

/// The contractor's orders: appeals assigned to the contractor of this login, by view.
#[utoipa::path(get, path = "/api/v1/orders", summary = "Заказы подрядчика", tag = "Обращения", params(crate::api::ListParams, AppealParams), responses((status = 200, body = Page<AppealListItem>), (status = 404)))]
pub async fn list(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Query(page): Query<crate::api::ListParams>,
    Query(q): Query<AppealParams>,
) -> ApiResult<Page<AppealListItem>> {
    contractor_only(&p)?;
    let f = AppealFilter {
        view: q.view.unwrap_or_default().into(),
        q: q.q,
        status: q.status,
        ..Default::default()
    };
    let page =
        orders::my_orders(&s.db, p.user_id, f, PageReq::new(page.page, page.per_page)).await?;
    let shown = Shown::default().with(RecordKind::Appeal, page.items.iter().map(|a| a.id));
    abonent_app::privacy::record_views_of(&s, &p.actor(), shown, "GET /api/v1/orders").await?;
    Ok(Json(page.into()))
}

/// One order of the contractor; another contractor's appeal answers 404.
#[utoipa::path(get, path = "/api/v1/orders/{id}", summary = "Заказ подрядчика", tag = "Обращения", params(("id" = i64, Path)), responses((status = 200, body = Appeal), (status = 404)))]
pub async fn show(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> ApiResult<Appeal> {
    contractor_only(&p)?;
    let a = orders::my_order(&s.db, p.user_id, id).await?;
    let shown = Shown::default().with(RecordKind::Appeal, [a.id]);
    abonent_app::privacy::record_views_of(&s, &p.actor(), shown, "GET /api/v1/orders/{id}").await?;
    Ok(Json(a.into()))
}

/// The contractor reports on its order: in progress, waiting for the applicant, done.
#[utoipa::path(post, path = "/api/v1/orders/{id}/status", summary = "Отчёт подрядчика о заказе", tag = "Обращения", params(("id" = i64, Path)), request_body = StatusChange,
    responses((status = 200, body = Appeal), (status = 404), (status = 422)))]
pub async fn status(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    b: Bytes,
) -> ApiResult<Appeal> {
    contractor_only(&p)?;
    orders::my_order(&s.db, p.user_id, id).await?;
    let ch = body::<StatusChange>(&b)?.into();
    Ok(Json(
        work::change_status(&s, id, &ch, p.role, &p.actor())
            .await?
            .into(),
    ))
}
