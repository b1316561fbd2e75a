//! Correspondence registers: incoming and outgoing letters, their scans, the export of a
//! register for a period to XLSX.

pub mod incoming;
pub mod outgoing;

use std::collections::BTreeMap;

use crate::extract::{Path, Query};
use abonent_app::correspondence as letters;
use abonent_domain::correspondence::{IncomingStatus, SendMethod, SenderKind};
use abonent_storage::correspondence::attachments::{self, Attachment};
use abonent_storage::correspondence::Register;
use abonent_storage::{users, Db};
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::response::Response;
use axum::Extension;

use super::{to, PageResult};
use crate::auth::Principal;
use crate::forms::FormView;
use crate::{AppError, AppState, PageError};

/// A `<select>` option.
pub struct Choice {
    pub code: String,
    pub title: String,
}

pub fn sender_kinds() -> Vec<Choice> {
    SenderKind::ALL
        .iter()
        .map(|k| Choice {
            code: k.code().into(),
            title: k.title().into(),
        })
        .collect()
}

pub fn methods() -> Vec<Choice> {
    SendMethod::ALL
        .iter()
        .map(|k| Choice {
            code: k.code().into(),
            title: k.title().into(),
        })
        .collect()
}

pub fn statuses() -> Vec<Choice> {
    IncomingStatus::ALL
        .iter()
        .map(|k| Choice {
            code: k.code().into(),
            title: k.title().into(),
        })
        .collect()
}

/// Active staff who may be executors.
pub async fn executors(db: &Db) -> Result<Vec<Choice>, AppError> {
    Ok(users::list(db)
        .await?
        .into_iter()
        .filter(|u| u.active)
        .map(|u| Choice {
            code: u.id.to_string(),
            title: u.full_name,
        })
        .collect())
}

/// A scan as listed on a card.
pub struct ScanView {
    pub id: i64,
    pub name: String,
    pub size: String,
    pub removed: String,
}

pub fn scan_views(list: Vec<Attachment>) -> Vec<ScanView> {
    list.into_iter()
        .map(|a| ScanView {
            id: a.id,
            name: a.file_name,
            size: human_size(a.size_bytes),
            removed: a.removed_reason.unwrap_or_default(),
        })
        .collect()
}

fn human_size(n: i64) -> String {
    if n < 1024 * 1024 {
        format!("{} КБ", (n + 1023) / 1024)
    } else {
        format!("{:.1} МБ", n as f64 / (1024.0 * 1024.0)).replace('.', ",")
    }
}

/// The file of a multipart upload (`file` field).
pub async fn read_upload(s: &AppState, req: Request) -> Result<(String, Vec<u8>), AppError> {
    let bad = crate::extract::unreadable;
    let mut mp = Multipart::from_request(req, s)
        .await
        .map_err(crate::extract::unreadable)?;
    while let Some(field) = mp.next_field().await.map_err(bad)? {
        if field.name() == Some("file") {
            let name = field.file_name().unwrap_or("скан").to_string();
            let data = field.bytes().await.map_err(bad)?;
            return Ok((name, data.to_vec()));
        }
    }
    Err(AppError::Invalid(abonent_domain::ValidationErrors::single(
        "file",
        "Файл не выбран: выберите скан письма (PDF, JPEG, PNG или TIFF).",
    )))
}

/// Attach a scan to a letter from its card; errors come back on the card's URL as a message.
pub async fn attach(
    s: &AppState,
    p: &Principal,
    register: Register,
    id: i64,
    req: Request,
) -> PageResult {
    let base = match register {
        Register::Incoming => "/correspondence/incoming",
        Register::Outgoing => "/correspondence/outgoing",
    };
    let uploaded = read_upload(s, req).await;
    let result = match uploaded {
        Ok((name, data)) => letters::attach_scan(s, register, id, &name, &data, &p.actor())
            .await
            .map(|_| ()),
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => to(format!("{base}/{id}?saved=1")),
        Err(AppError::Invalid(e)) => {
            let msg = e.0.first().map(|f| f.message.clone()).unwrap_or_default();
            let q = url::form_urlencoded::Serializer::new(String::new())
                .append_pair("scan_error", &msg)
                .finish();
            to(format!("{base}/{id}?{q}"))
        }
        Err(e) => Err(e.into()),
    }
}

/// Download a scan. Served as an attachment with its sniffed type: never rendered inline.
pub async fn download(
    State(s): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let (a, content) = attachments::get(&s.db, id).await?;
    Ok(crate::http::file_response(&a.mime, &a.file_name, content))
}

/// Mark a scan removed (with a reason) and go back to its letter.
pub async fn remove_scan(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    body: axum::body::Bytes,
) -> PageResult {
    let f = FormView::from_body(&body);
    let (a, _) = attachments::get(&s.db, id).await?;
    let base = match a.register {
        Register::Incoming => "/correspondence/incoming",
        Register::Outgoing => "/correspondence/outgoing",
    };
    match letters::remove_scan(&s, id, f.v("reason"), &p.actor()).await {
        Ok(()) => to(format!("{base}/{}?saved=1", a.letter_id)),
        Err(AppError::Invalid(e)) => {
            let msg = e.0.first().map(|f| f.message.clone()).unwrap_or_default();
            let q = url::form_urlencoded::Serializer::new(String::new())
                .append_pair("scan_error", &msg)
                .finish();
            to(format!("{base}/{}?{q}", a.letter_id))
        }
        Err(e) => Err(e.into()),
    }
}

/// `/correspondence` → the incoming register's awaiting view.
pub async fn index() -> PageResult {
    to("/correspondence/incoming".into())
}

/// The message `?scan_error=` carries back to a card.
/// Logs a page showing letters (their senders' or addressees' names and addresses).
pub async fn shown(
    s: &AppState,
    p: &Principal,
    what: abonent_app::privacy::Shown,
    via: &str,
) -> Result<(), AppError> {
    abonent_app::privacy::record_views_of(s, &p.actor(), what, via).await
}

pub fn scan_error(q: &BTreeMap<String, String>) -> String {
    q.get("scan_error").cloned().unwrap_or_default()
}

/// `GET /correspondence/export?register=incoming&from=…&to=…`: the XLSX file.
pub async fn export(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Query(q): Query<BTreeMap<String, String>>,
) -> Result<Response, PageError> {
    use crate::xlsx::XLSX_MIME;
    use abonent_app::correspondence::export::{workbook, ExportRequest};
    let r = ExportRequest::parse(&q).map_err(AppError::Invalid)?;
    let bytes = workbook(&s, &r, &p.actor(), "GET /correspondence/export").await?;
    Ok(crate::http::file_response(XLSX_MIME, &r.file_name(), bytes))
}
