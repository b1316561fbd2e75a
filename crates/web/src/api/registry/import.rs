use crate::api::types::Job;
use crate::extract::{Multipart, Path};
use abonent_import::ColumnMapping;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::Principal;
use crate::{ApiError, AppError, AppState};
use abonent_app::registry::import::{self as registry_import, Options, Preview};
use abonent_app::uploads::{self, UploadFor};

/// The registry file and its options (multipart/form-data).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct RegistryUpload {
    /// CSV (UTF-8 or windows-1251) or XLSX, header in the first line.
    #[schema(format = Binary, value_type = String)]
    file: Vec<u8>,
    /// Column mapping as JSON `{"account_number": 0, "address": 1}`; guessed from headers when omitted.
    mapping: Option<String>,
    region: Option<String>,
    city: Option<String>,
    /// Account opening date when the file has none.
    opened_on: Option<String>,
    /// `true`: only check the file and report every bad line.
    dry_run: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ImportReport {
    #[schema(value_type = Object)]
    pub preview: serde_json::Value,
    /// The background job committing the file, when not a dry run.
    pub job_id: Option<i64>,
}

/// Check and import the registry (buildings, premises, accounts, people, benefits) all or
/// nothing. A file with any bad line is answered 422 with every line and reason; nothing is saved.
#[utoipa::path(post, path = "/api/v1/imports/registry", summary = "Импорт реестра", tag = "Импорт", request_body(content = RegistryUpload, content_type = "multipart/form-data"),
    responses((status = 200, body = ImportReport, description = "Проверка (dry_run)"), (status = 202, body = ImportReport, description = "Загрузка начата"), (status = 422, description = "Ошибки в строках файла: `errors[]` с `line`, `field`, `message`, рядом `preview`; ничего не сохранено")))]
pub async fn registry(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    mut mp: Multipart,
) -> Result<Response, ApiError> {
    let bad = |e| ApiError(crate::extract::multipart_error(e));
    let (mut file, mut mapping, mut region, mut city, mut opened_on, mut dry_run) = (
        None,
        None,
        String::new(),
        String::new(),
        String::new(),
        false,
    );
    while let Some(field) = mp.next_field().await.map_err(bad)? {
        match field.name().unwrap_or("") {
            "file" => {
                let name = field.file_name().unwrap_or("реестр").to_string();
                file = Some((name, field.bytes().await.map_err(bad)?.to_vec()));
            }
            "mapping" => {
                let text = field.text().await.map_err(bad)?;
                if !text.trim().is_empty() {
                    mapping = Some(serde_json::from_str::<ColumnMapping>(&text).map_err(|e| {
                        ApiError(AppError::Invalid(abonent_domain::ValidationErrors::single("mapping", format!("Сопоставление столбцов не разобрано: {e}. Пример: {{\"account_number\": 0, \"address\": 1}}."))))
                    })?);
                }
            }
            "region" => region = field.text().await.map_err(bad)?,
            "city" => city = field.text().await.map_err(bad)?,
            "opened_on" => opened_on = field.text().await.map_err(bad)?,
            "dry_run" => {
                dry_run = matches!(field.text().await.map_err(bad)?.trim(), "true" | "1" | "on")
            }
            _ => {}
        }
    }
    let (name, bytes) = file.ok_or_else(|| {
        ApiError(AppError::Invalid(abonent_domain::ValidationErrors::single(
            "file",
            "Передайте файл реестра в поле file.",
        )))
    })?;
    let upload = uploads::save(&s, UploadFor::Registry, &name, &bytes, p.user_id).await?;
    let defaults = registry_import::defaults(&s, &region, &city, &opened_on).await?;
    let prev: Preview = registry_import::preview(&s, upload, Options { defaults, mapping }).await?;
    let preview = serde_json::to_value(&prev).unwrap_or_default();
    if !prev.errors.is_empty() {
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, [(axum::http::header::CONTENT_TYPE, "application/problem+json")], Json(serde_json::json!({
            "type": "about:blank", "title": "Ошибки в файле реестра", "status": 422,
            "detail": format!("В файле {}; ничего не сохранено. Исправьте строки и загрузите файл снова.", crate::format::counted(prev.errors.len(), crate::format::ERRORS)),
            "errors": prev.errors, "preview": preview,
        }))).into_response());
    }
    if dry_run {
        return Ok(Json(ImportReport {
            preview,
            job_id: None,
        })
        .into_response());
    }
    let job = registry_import::start_commit(&s, prev, p.actor(), p.user_id).await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(ImportReport {
            preview,
            job_id: Some(job),
        }),
    )
        .into_response())
}

/// State and progress of a background job.
#[utoipa::path(get, path = "/api/v1/jobs/{id}", summary = "Ход фоновой задачи", tag = "Импорт", params(("id" = i64, Path)), responses((status = 200, body = Job), (status = 404)))]
pub async fn job(State(s): State<AppState>, Path(id): Path<i64>) -> Result<Json<Job>, ApiError> {
    Ok(Json(registry_import::job(&s, id).await?.into()))
}
