//! Correspondence registers in the API: incoming and outgoing letters, scans, status changes,
//! history and the XLSX export of a period.

pub mod types;

use std::collections::BTreeMap;

use crate::extract::{Multipart, Path, Query};
use abonent_domain::correspondence::{
    IncomingForm, IncomingStatus, OutgoingForm, SendMethod, SenderKind,
};
use abonent_storage::correspondence::attachments;
use abonent_storage::correspondence::incoming::{self, IncomingFilter, StatusFilter};
use abonent_storage::correspondence::outgoing::{self, OutgoingFilter};
use abonent_storage::correspondence::{Period, Register};
use abonent_storage::history;
use abonent_storage::registry::PageReq;
use axum::body::Bytes;
use axum::extract::State;
use axum::response::Response;
use axum::{Extension, Json};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use self::types::{Attachment, Incoming, Outgoing};
use super::types::{list as rows, HistoryEntry, Page};
use super::{body, created, ApiResult, ListParams};
use crate::auth::Principal;
use crate::http::file_response;
use crate::{ApiError, AppError, AppState};
use abonent_app::correspondence as letters;
use abonent_app::correspondence::export::{self, ExportRequest};
use abonent_app::privacy::{RecordKind, Shown};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct IncomingParams {
    /// Words of the number, sender, their number or subject (case-insensitive).
    pub q: Option<String>,
    /// `awaiting` (sorted by deadline), `overdue`, `registered`, `in_work`, `answered`,
    /// `closed`; all when omitted.
    pub status: Option<String>,
    /// Received on or after, `2026-01-01`.
    pub from: Option<String>,
    /// Received on or before.
    pub to: Option<String>,
    /// `person`, `organization`, `housing_inspectorate`, `prosecutor`, `other_state`.
    pub sender_kind: Option<String>,
    pub executor_user_id: Option<i64>,
}

fn date_param(field: &str, v: &Option<String>) -> Result<Option<chrono::NaiveDate>, ApiError> {
    match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => abonent_domain::registry::parse_date(s)
            .map(Some)
            .ok_or_else(|| {
                ApiError(AppError::Invalid(abonent_domain::ValidationErrors::single(
                    field,
                    format!("«{s}» не дата: укажите 2026-11-27."),
                )))
            }),
    }
}

/// The incoming register, paginated: `status=awaiting` lists letters awaiting an answer by
/// deadline, nearest first; `overdue` in each letter says its deadline has passed.
#[utoipa::path(get, path = "/api/v1/correspondence/incoming", summary = "Журнал входящих писем", tag = "Корреспонденция", params(ListParams, IncomingParams), responses((status = 200, body = Page<Incoming>), (status = 422)))]
pub async fn list_incoming(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Query(page): Query<ListParams>,
    Query(q): Query<IncomingParams>,
) -> ApiResult<Page<Incoming>> {
    let f = IncomingFilter {
        q: q.q,
        period: Period {
            from: date_param("from", &q.from)?,
            to: date_param("to", &q.to)?,
        },
        status: q
            .status
            .as_deref()
            .map_or(StatusFilter::All, StatusFilter::from_code),
        sender_kind: q.sender_kind.as_deref().and_then(SenderKind::from_code),
        executor_user_id: q.executor_user_id,
    };
    let today = s.today().await?;
    let page = incoming::list(&s.db, &f, today, PageReq::new(page.page, page.per_page)).await?;
    let ids = page.items.iter().map(|l| l.id);
    shown(
        &s,
        &p,
        RecordKind::IncomingLetter,
        ids,
        "GET /api/v1/correspondence/incoming",
    )
    .await?;
    Ok(Json(page.into()))
}

/// Register an incoming letter: it gets the next number of its year and the answer deadline
/// by the rule of its sender kind (or the term set in the letter, `deadline_on`).
#[utoipa::path(post, path = "/api/v1/correspondence/incoming", summary = "Зарегистрировать входящее письмо", tag = "Корреспонденция", request_body = IncomingForm,
    responses((status = 201, body = Incoming), (status = 422, description = "Ошибки в полях")))]
pub async fn create_incoming(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    b: Bytes,
) -> Result<Response, ApiError> {
    let id = letters::register_incoming(&s, &body::<IncomingForm>(&b)?, &p.actor()).await?;
    let via = "POST /api/v1/correspondence/incoming";
    shown(&s, &p, RecordKind::IncomingLetter, [id], via).await?;
    Ok(created(Incoming::from(
        incoming::get(&s.db, id, s.today().await?).await?,
    )))
}

/// An incoming letter with its answers and scans.
#[derive(Debug, Serialize, ToSchema)]
pub struct IncomingCard {
    pub letter: Incoming,
    pub answers: Vec<Outgoing>,
    pub attachments: Vec<Attachment>,
}

#[utoipa::path(get, path = "/api/v1/correspondence/incoming/{id}", summary = "Входящее письмо", tag = "Корреспонденция", params(("id" = i64, Path)), responses((status = 200, body = IncomingCard), (status = 404)))]
pub async fn show_incoming(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> ApiResult<IncomingCard> {
    let letter = incoming::get(&s.db, id, s.today().await?).await?;
    let answers = outgoing::answering(&s.db, id).await?;
    // The sender, and the addressees of the answers.
    let what = Shown::default()
        .with(RecordKind::IncomingLetter, [id])
        .with(RecordKind::OutgoingLetter, answers.iter().map(|o| o.id));
    let via = "GET /api/v1/correspondence/incoming/{id}";
    abonent_app::privacy::record_views_of(&s, &p.actor(), what, via).await?;
    Ok(Json(IncomingCard {
        letter: letter.into(),
        answers: rows(answers),
        attachments: rows(attachments::of_letter(&s.db, Register::Incoming, id).await?),
    }))
}

/// Correct an incoming letter; the deadline is computed again when the date, sender kind or
/// term changed. The number stays.
#[utoipa::path(put, path = "/api/v1/correspondence/incoming/{id}", summary = "Исправить входящее письмо", tag = "Корреспонденция", params(("id" = i64, Path)), request_body = IncomingForm, responses((status = 200, body = Incoming), (status = 422)))]
pub async fn update_incoming(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    b: Bytes,
) -> ApiResult<Incoming> {
    letters::update_incoming(&s, id, &body::<IncomingForm>(&b)?, &p.actor()).await?;
    let via = "PUT /api/v1/correspondence/incoming/{id}";
    shown(&s, &p, RecordKind::IncomingLetter, [id], via).await?;
    Ok(Json(
        incoming::get(&s.db, id, s.today().await?).await?.into(),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct StatusRequest {
    /// `in_work` or `closed` (closed without an answer). «answered» is set by registering the
    /// outgoing reply with `answers_incoming_id`.
    pub status: String,
    /// Required to close, and to return an answered or closed letter to work.
    pub reason: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/correspondence/incoming/{id}/status", summary = "Сменить статус входящего письма", tag = "Корреспонденция", params(("id" = i64, Path)), request_body = StatusRequest, responses((status = 200, body = Incoming), (status = 422)))]
pub async fn set_incoming_status(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    b: Bytes,
) -> ApiResult<Incoming> {
    let r: StatusRequest = body(&b)?;
    let to = IncomingStatus::from_code(r.status.trim()).ok_or_else(|| {
        AppError::Invalid(abonent_domain::ValidationErrors::single(
            "status",
            format!(
                "Неизвестное состояние «{}»: укажите in_work или closed.",
                r.status
            ),
        ))
    })?;
    letters::set_incoming_status(&s, id, to, r.reason.as_deref().unwrap_or(""), &p.actor()).await?;
    let via = "POST /api/v1/correspondence/incoming/{id}/status";
    shown(&s, &p, RecordKind::IncomingLetter, [id], via).await?;
    Ok(Json(
        incoming::get(&s.db, id, s.today().await?).await?.into(),
    ))
}

#[utoipa::path(get, path = "/api/v1/correspondence/incoming/{id}/history", summary = "История входящего письма", tag = "Корреспонденция", params(("id" = i64, Path)), responses((status = 200, body = [HistoryEntry])))]
pub async fn incoming_history(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> ApiResult<Vec<HistoryEntry>> {
    incoming::get(&s.db, id, s.today().await?).await?;
    // The history holds the sender's name and address as they were changed.
    let via = "GET /api/v1/correspondence/incoming/{id}/history";
    shown(&s, &p, RecordKind::IncomingLetter, [id], via).await?;
    Ok(Json(rows(
        history::for_card(&s.db, Register::Incoming.entity(), id, 500).await?,
    )))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OutgoingParams {
    /// Words of the number, addressee, subject or tracking number.
    pub q: Option<String>,
    /// Sent on or after, `2026-01-01`.
    pub from: Option<String>,
    pub to: Option<String>,
    /// `post`, `email`, `hand`, `portal`.
    pub method: Option<String>,
}

/// The outgoing register, newest first.
#[utoipa::path(get, path = "/api/v1/correspondence/outgoing", summary = "Журнал исходящих писем", tag = "Корреспонденция", params(ListParams, OutgoingParams), responses((status = 200, body = Page<Outgoing>), (status = 422)))]
pub async fn list_outgoing(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Query(page): Query<ListParams>,
    Query(q): Query<OutgoingParams>,
) -> ApiResult<Page<Outgoing>> {
    let f = OutgoingFilter {
        q: q.q,
        period: Period {
            from: date_param("from", &q.from)?,
            to: date_param("to", &q.to)?,
        },
        method: q.method.as_deref().and_then(SendMethod::from_code),
    };
    let page = outgoing::list(&s.db, &f, PageReq::new(page.page, page.per_page)).await?;
    let ids = page.items.iter().map(|l| l.id);
    shown(
        &s,
        &p,
        RecordKind::OutgoingLetter,
        ids,
        "GET /api/v1/correspondence/outgoing",
    )
    .await?;
    Ok(Json(page.into()))
}

/// Register an outgoing letter. With `answers_incoming_id` the incoming letter is marked
/// answered in the same transaction.
#[utoipa::path(post, path = "/api/v1/correspondence/outgoing", summary = "Зарегистрировать исходящее письмо", tag = "Корреспонденция", request_body = OutgoingForm,
    responses((status = 201, body = Outgoing), (status = 422, description = "Ошибки в полях")))]
pub async fn create_outgoing(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    b: Bytes,
) -> Result<Response, ApiError> {
    let id = letters::register_outgoing(&s, &body::<OutgoingForm>(&b)?, &p.actor()).await?;
    let via = "POST /api/v1/correspondence/outgoing";
    shown(&s, &p, RecordKind::OutgoingLetter, [id], via).await?;
    Ok(created(Outgoing::from(outgoing::get(&s.db, id).await?)))
}

/// An outgoing letter with its scans.
#[derive(Debug, Serialize, ToSchema)]
pub struct OutgoingCard {
    pub letter: Outgoing,
    pub attachments: Vec<Attachment>,
}

#[utoipa::path(get, path = "/api/v1/correspondence/outgoing/{id}", summary = "Исходящее письмо", tag = "Корреспонденция", params(("id" = i64, Path)), responses((status = 200, body = OutgoingCard), (status = 404)))]
pub async fn show_outgoing(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> ApiResult<OutgoingCard> {
    let letter = outgoing::get(&s.db, id).await?;
    let via = "GET /api/v1/correspondence/outgoing/{id}";
    shown(&s, &p, RecordKind::OutgoingLetter, [id], via).await?;
    Ok(Json(OutgoingCard {
        letter: letter.into(),
        attachments: rows(attachments::of_letter(&s.db, Register::Outgoing, id).await?),
    }))
}

#[utoipa::path(put, path = "/api/v1/correspondence/outgoing/{id}", summary = "Исправить исходящее письмо", tag = "Корреспонденция", params(("id" = i64, Path)), request_body = OutgoingForm, responses((status = 200, body = Outgoing), (status = 422)))]
pub async fn update_outgoing(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    b: Bytes,
) -> ApiResult<Outgoing> {
    letters::update_outgoing(&s, id, &body::<OutgoingForm>(&b)?, &p.actor()).await?;
    let via = "PUT /api/v1/correspondence/outgoing/{id}";
    shown(&s, &p, RecordKind::OutgoingLetter, [id], via).await?;
    Ok(Json(outgoing::get(&s.db, id).await?.into()))
}

#[utoipa::path(get, path = "/api/v1/correspondence/outgoing/{id}/history", summary = "История исходящего письма", tag = "Корреспонденция", params(("id" = i64, Path)), responses((status = 200, body = [HistoryEntry])))]
pub async fn outgoing_history(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> ApiResult<Vec<HistoryEntry>> {
    outgoing::get(&s.db, id).await?;
    // The history holds the addressee's name and address as they were changed.
    let via = "GET /api/v1/correspondence/outgoing/{id}/history";
    shown(&s, &p, RecordKind::OutgoingLetter, [id], via).await?;
    Ok(Json(rows(
        history::for_card(&s.db, Register::Outgoing.entity(), id, 500).await?,
    )))
}

/// Logs an answer showing letters (their senders' or addressees' names and addresses).
async fn shown(
    s: &AppState,
    p: &Principal,
    kind: RecordKind,
    ids: impl IntoIterator<Item = i64>,
    via: &str,
) -> Result<(), ApiError> {
    let what = Shown::default().with(kind, ids);
    abonent_app::privacy::record_views_of(s, &p.actor(), what, via).await?;
    Ok(())
}

/// A scan (multipart/form-data, field `file`).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ScanUpload {
    /// PDF, JPEG, PNG or TIFF up to 20 MB; the type is read from the content.
    #[schema(format = Binary, value_type = String)]
    file: Vec<u8>,
}

async fn upload(
    s: &AppState,
    p: &Principal,
    register: Register,
    id: i64,
    mut mp: Multipart,
) -> Result<Response, ApiError> {
    let bad = |e| ApiError(crate::extract::multipart_error(e));
    while let Some(field) = mp.next_field().await.map_err(bad)? {
        if field.name() == Some("file") {
            let name = field.file_name().unwrap_or("скан").to_string();
            let data = field.bytes().await.map_err(bad)?;
            let aid = letters::attach_scan(s, register, id, &name, &data, &p.actor()).await?;
            let list = attachments::of_letter(&s.db, register, id).await?;
            let a = list
                .into_iter()
                .find(|a| a.id == aid)
                .ok_or_else(|| AppError::NotFound(format!("вложение {aid}")))?;
            return Ok(created(Attachment::from(a)));
        }
    }
    Err(AppError::Invalid(abonent_domain::ValidationErrors::single(
        "file",
        "В запросе нет поля file со сканом письма.",
    ))
    .into())
}

#[utoipa::path(post, path = "/api/v1/correspondence/incoming/{id}/attachments", summary = "Приложить скан к входящему письму", tag = "Корреспонденция", params(("id" = i64, Path)),
    request_body(content = ScanUpload, content_type = "multipart/form-data"), responses((status = 201, body = Attachment), (status = 422)))]
pub async fn attach_incoming(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    mp: Multipart,
) -> Result<Response, ApiError> {
    upload(&s, &p, Register::Incoming, id, mp).await
}

#[utoipa::path(post, path = "/api/v1/correspondence/outgoing/{id}/attachments", summary = "Приложить скан к исходящему письму", tag = "Корреспонденция", params(("id" = i64, Path)),
    request_body(content = ScanUpload, content_type = "multipart/form-data"), responses((status = 201, body = Attachment), (status = 422)))]
pub async fn attach_outgoing(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    mp: Multipart,
) -> Result<Response, ApiError> {
    upload(&s, &p, Register::Outgoing, id, mp).await
}

/// The content of a scan, as an attachment with its type.
#[utoipa::path(get, path = "/api/v1/correspondence/attachments/{id}", summary = "Скан письма", tag = "Корреспонденция", params(("id" = i64, Path)),
    responses((status = 200, description = "Файл скана", content_type = "application/octet-stream"), (status = 404)))]
pub async fn download(
    State(s): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    let (a, content) = attachments::get(&s.db, id).await?;
    Ok(file_response(&a.mime, &a.file_name, content))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct ExportParams {
    /// `incoming` or `outgoing`.
    pub register: String,
    /// First day of the period, `2026-01-01`.
    pub from: String,
    /// Last day of the period, `2026-12-31`.
    pub to: String,
}

/// A register for a period as an XLSX workbook (one row per letter, dates as dates).
#[utoipa::path(get, path = "/api/v1/correspondence/export", summary = "Журнал за период в XLSX", tag = "Корреспонденция", params(ExportParams),
    responses((status = 200, description = "Книга XLSX", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 422)))]
pub async fn export_register(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Query(q): Query<BTreeMap<String, String>>,
) -> Result<Response, ApiError> {
    let r = ExportRequest::parse(&q).map_err(AppError::Invalid)?;
    let bytes = export::workbook(&s, &r, &p.actor(), "GET /api/v1/correspondence/export").await?;
    Ok(file_response(crate::xlsx::XLSX_MIME, &r.file_name(), bytes))
}
