//! An appeal's attachments through the API: the list, adding a photo or scan (multipart),
//! downloading one.

use crate::extract::{Multipart, Path};
use abonent_app::appeals::work;
use abonent_storage::appeals;
use abonent_storage::appeals::files;
use axum::extract::State;
use axum::response::Response;
use axum::{Extension, Json};
use utoipa::ToSchema;

use super::types::AppealFile;
use crate::api::types::list as rows;
use crate::api::{created, ApiResult};
use crate::auth::Principal;
use crate::http::file_response;
use crate::{ApiError, AppState};

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
#[utoipa::path(get, path = "/api/v1/appeals/{id}/files", summary = "Вложения обращения", tag = "Обращения", params(("id" = i64, Path)), responses((status = 200, body = Vec<AppealFile>), (status = 404)))]
pub async fn files_list(
    State(s): State<AppState>,
    Path(id): Path<i64>,
) -> ApiResult<Vec<AppealFile>> {
    appeals::get(&s.db, id).await?;
    Ok(Json(rows(files::of_appeal(&s.db, id).await?)))
}

/// Attach a photo or scan; a wrong type or size is answered 422 naming the field `file`.
#[utoipa::path(post, path = "/api/v1/appeals/{id}/files", summary = "Приложить фото или скан к обращению", tag = "Обращения", params(("id" = i64, Path)),
    request_body(content = FileUpload, content_type = "multipart/form-data"), responses((status = 201, body = AppealFile), (status = 422)))]
pub async fn files_add(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    mp: Multipart,
) -> Result<Response, ApiError> {
    let (name, data) = crate::http::file_field(mp.0).await?;
    let fid = work::add_file(&s, id, &name, &data, &p.actor()).await?;
    Ok(created(AppealFile::from(
        files::get(&s.db, id, fid).await?.0,
    )))
}

/// The content of an attachment.
#[utoipa::path(get, path = "/api/v1/appeals/{id}/files/{file_id}", summary = "Содержимое вложения", tag = "Обращения", params(("id" = i64, Path), ("file_id" = i64, Path)),
    responses((status = 200, description = "Файл", content_type = "application/octet-stream"), (status = 404)))]
pub async fn files_get(
    State(s): State<AppState>,
    Path((id, file_id)): Path<(i64, i64)>,
) -> Result<Response, ApiError> {
    let (f, content) = files::get(&s.db, id, file_id).await?;
    Ok(file_response(&f.content_type, &f.file_name, content))
}
