//! The contractor's own orders and the attachments of an appeal through the API.

use abonent_domain::Role;
use abonent_storage::appeals::files::{self, AppealFile};
use abonent_storage::appeals::{self, orders, Appeal, AppealFilter, AppealListItem, StatusChange};
use abonent_storage::registry::{Page, PageReq};
use axum::body::Bytes;
use axum::extract::{Multipart, Path, Query, State};
use axum::response::Response;
use axum::{Extension, Json};
use utoipa::ToSchema;

use super::appeals::AppealParams;
use super::{body, created, ApiResult};
use crate::auth::Principal;
use crate::http::file_response;
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
#[utoipa::path(get, path = "/api/v1/orders", tag = "Обращения", params(super::ListParams, AppealParams), responses((status = 200, body = Page<AppealListItem>), (status = 404)))]
pub async fn list(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Query(page): Query<super::ListParams>,
    Query(q): Query<AppealParams>,
) -> ApiResult<Page<AppealListItem>> {
    contractor_only(&p)?;
    let f = AppealFilter {
        view: q.view.unwrap_or_default(),
        q: q.q,
        status: q.status,
        ..Default::default()
    };
    Ok(Json(
        orders::my_orders(&s.db, p.user_id, f, PageReq::new(page.page, page.per_page)).await?,
    ))
}

/// One order of the contractor; another contractor's appeal answers 404.
#[utoipa::path(get, path = "/api/v1/orders/{id}", tag = "Обращения", params(("id" = i64, Path)), responses((status = 200, body = Appeal), (status = 404)))]
pub async fn show(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> ApiResult<Appeal> {
    contractor_only(&p)?;
    Ok(Json(orders::my_order(&s.db, p.user_id, id).await?))
}

/// The contractor reports on its order: in progress, waiting for the applicant, done.
#[utoipa::path(post, path = "/api/v1/orders/{id}/status", tag = "Обращения", params(("id" = i64, Path)), request_body = StatusChange,
    responses((status = 200, body = Appeal), (status = 404), (status = 422)))]
pub async fn status(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    b: Bytes,
) -> ApiResult<Appeal> {
    contractor_only(&p)?;
    orders::my_order(&s.db, p.user_id, id).await?;
    let ch = body::<StatusChange>(&b)?;
    Ok(Json(
        appeals::change_status(&s.db, id, &ch, p.role, &p.actor()).await?,
    ))
}

/// A photo or scan (multipart/form-data, field `file`).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct FileUpload {
    /// JPEG, PNG, PDF or HEIC up to the size in `appeals.file_max_mb` (10 MB); the type is read
    /// from the content.
    #[schema(format = Binary, value_type = String)]
    file: Vec<u8>,
}

/// The attachments of an appeal.
#[utoipa::path(get, path = "/api/v1/appeals/{id}/files", tag = "Обращения", params(("id" = i64, Path)), responses((status = 200, body = Vec<AppealFile>), (status = 404)))]
pub async fn files_list(
    State(s): State<AppState>,
    Path(id): Path<i64>,
) -> ApiResult<Vec<AppealFile>> {
    appeals::get(&s.db, id).await?;
    Ok(Json(files::of_appeal(&s.db, id).await?))
}

/// Attach a photo or scan; a wrong type or size is answered 422 naming the field `file`.
#[utoipa::path(post, path = "/api/v1/appeals/{id}/files", tag = "Обращения", params(("id" = i64, Path)),
    request_body(content = FileUpload, content_type = "multipart/form-data"), responses((status = 201, body = AppealFile), (status = 422)))]
pub async fn files_add(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    mp: Multipart,
) -> Result<Response, ApiError> {
    let (name, data) = crate::http::file_field(mp).await?;
    let fid = files::add(&s.db, id, &name, &data, &p.actor()).await?;
    Ok(created(files::get(&s.db, id, fid).await?.0))
}

/// The content of an attachment.
#[utoipa::path(get, path = "/api/v1/appeals/{id}/files/{file_id}", tag = "Обращения", params(("id" = i64, Path), ("file_id" = i64, Path)),
    responses((status = 200, description = "Файл", content_type = "application/octet-stream"), (status = 404)))]
pub async fn files_get(
    State(s): State<AppState>,
    Path((id, file_id)): Path<(i64, i64)>,
) -> Result<Response, ApiError> {
    let (f, content) = files::get(&s.db, id, file_id).await?;
    Ok(file_response(&f.content_type, &f.file_name, content))
}
