//! HTTP pieces both front ends (pages and the API) use: file answers, the file field of a
//! multipart body, the turnover sheet's query. They translate HTTP only.

use std::collections::BTreeMap;

use abonent_domain::ledger::Period;
use abonent_domain::ValidationErrors;
use abonent_storage::ledger::turnover::Scope;
use axum::extract::Multipart;
use axum::http::header;
use axum::response::{IntoResponse, Response};

use crate::AppError;

/// A file to save: an attachment with its type, never rendered inline.
pub fn file_response(mime: &str, file_name: &str, content: Vec<u8>) -> Response {
    let ascii: String = file_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = url::form_urlencoded::byte_serialize(file_name.as_bytes())
        .collect::<String>()
        .replace('+', "%20");
    (
        [
            (header::CONTENT_TYPE, mime.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}"),
            ),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
        ],
        content,
    )
        .into_response()
}

/// A stored document's PDF, shown inline.
pub fn pdf_response(id: i64, bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"document-{id}.pdf\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// A PDF answer with a file name.
pub fn pdf_download(bytes: Vec<u8>, file_name: &str) -> Response {
    let encoded: String = url::form_urlencoded::byte_serialize(file_name.as_bytes()).collect();
    (
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"document.pdf\"; filename*=UTF-8''{encoded}"),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// A file sent as it is made (a print run's PDF or ZIP): the bytes come from `chunks`.
pub fn stream_download(
    chunks: abonent_app::documents::print_run::Chunks,
    content_type: &str,
    file_name: &str,
) -> Response {
    struct Pieces(abonent_app::documents::print_run::Chunks);
    impl futures_core::Stream for Pieces {
        type Item = std::io::Result<Vec<u8>>;
        fn poll_next(
            mut self: std::pin::Pin<&mut Self>,
            cx: &mut std::task::Context<'_>,
        ) -> std::task::Poll<Option<Self::Item>> {
            self.0.poll_recv(cx)
        }
    }
    let encoded: String = url::form_urlencoded::byte_serialize(file_name.as_bytes()).collect();
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"file\"; filename*=UTF-8''{encoded}"),
            ),
        ],
        axum::body::Body::from_stream(Pieces(chunks)),
    )
        .into_response()
}

/// The first `file` field of a multipart body: its name and content.
pub async fn file_field(mut mp: Multipart) -> Result<(String, Vec<u8>), AppError> {
    let bad = crate::extract::multipart_error;
    while let Some(field) = mp.next_field().await.map_err(bad)? {
        if field.name() == Some("file") {
            let name = field.file_name().unwrap_or("файл").to_string();
            return Ok((name, field.bytes().await.map_err(bad)?.to_vec()));
        }
    }
    Err(AppError::Invalid(ValidationErrors::single(
        "file",
        "В запросе нет поля file с фото или сканом.",
    )))
}

/// `scope`, `id`, `from`, `to` of the turnover sheet; defaults: the company, this year.
pub fn turnover_params(
    q: &BTreeMap<String, String>,
    today: chrono::NaiveDate,
) -> Result<(Scope, Period, Period), AppError> {
    // `id`, or the picker of the scope chosen (`building_id`, `account_id`).
    let picked = match q.get("scope").map(String::as_str) {
        Some("account") => q.get("account_id"),
        Some("building") => q.get("building_id"),
        _ => None,
    };
    let id = q
        .get("id")
        .filter(|v| !v.trim().is_empty())
        .or(picked)
        .and_then(|v| v.trim().parse::<i64>().ok());
    let scope = match (q.get("scope").map(String::as_str), id) {
        (Some("account"), Some(id)) => Scope::Account(id),
        (Some("building"), Some(id)) => Scope::Building(id),
        (None | Some("") | Some("company"), _) => Scope::Company,
        _ => {
            return Err(AppError::Invalid(ValidationErrors::single(
                "id",
                "Для ведомости по дому выберите дом, по лицевому счёту — счёт.",
            )))
        }
    };
    let now = Period::of(today);
    let p = |k: &str, d: Period| -> Result<Period, AppError> {
        match q.get(k).map(|v| v.trim()).filter(|v| !v.is_empty()) {
            None => Ok(d),
            Some(v) => abonent_import::charges::parse_period(v).ok_or_else(|| {
                AppError::Invalid(ValidationErrors::single(
                    k,
                    format!("Период «{v}» пишите как 2026-10."),
                ))
            }),
        }
    };
    let from = p("from", Period::new(now.year, 1).unwrap_or(now))?;
    let to = p("to", now)?;
    Ok((scope, from, to))
}
