//! The notifications outbox for administrators: list, one message, send again, cancel.

pub mod types;

use crate::extract::{Path, Query};
use abonent_app::privacy::{RecordKind, Shown};
use abonent_domain::outbox::{OutboxChannel, OutboxState};
use abonent_domain::ValidationErrors;
use abonent_storage::outbox::{self, OutboxFilter};
use abonent_storage::registry::PageReq;
use axum::body::Bytes;
use axum::extract::State;
use axum::{Extension, Json};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use self::types::Message;
use super::types::Page;
use super::{body, ApiResult};
use crate::auth::Principal;
use crate::{ApiError, AppError, AppState};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OutboxParams {
    /// `pending`, `sending`, `sent`, `failed` or `cancelled`.
    pub state: Option<String>,
    /// `email` or `sms`.
    pub channel: Option<String>,
    /// Part of the address or phone.
    pub recipient: Option<String>,
    /// Messages about one record: its kind (`appeal`) and code.
    pub source_entity: Option<String>,
    pub source_id: Option<i64>,
    /// Page number, from 1.
    pub page: Option<i64>,
    /// Rows per page, 1–500 (50 by default).
    pub per_page: Option<i64>,
}

fn filter(q: OutboxParams) -> Result<(OutboxFilter, PageReq), ApiError> {
    let mut e = ValidationErrors::new();
    let given = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let state = given(&q.state).and_then(|s| {
        let v = OutboxState::from_code(&s);
        if v.is_none() {
            e.add(
                "state",
                format!(
                    "Неизвестное состояние «{s}»: pending, sending, sent, failed или cancelled."
                ),
            );
        }
        v
    });
    let channel = given(&q.channel).and_then(|c| {
        let v = OutboxChannel::from_code(&c);
        if v.is_none() {
            e.add(
                "channel",
                format!("Неизвестный канал «{c}»: email или sms."),
            );
        }
        v
    });
    let source = match (given(&q.source_entity), q.source_id) {
        (Some(entity), Some(id)) => Some((entity, id)),
        (None, None) => None,
        _ => {
            e.add(
                "source_id",
                "Укажите вместе source_entity и source_id (например appeal и 17).",
            );
            None
        }
    };
    if !e.is_empty() {
        return Err(ApiError(AppError::Invalid(e)));
    }
    Ok((
        OutboxFilter {
            state,
            channel,
            recipient: q.recipient,
            source,
        },
        PageReq::new(q.page, q.per_page),
    ))
}

/// Messages of the outbox, newest first.
#[utoipa::path(get, path = "/api/v1/outbox", summary = "Очередь уведомлений", tag = "Уведомления", params(OutboxParams),
    responses((status = 200, body = Page<Message>), (status = 422, description = "Неизвестное состояние или канал (problem+json)")))]
pub async fn list(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Query(q): Query<OutboxParams>,
) -> ApiResult<Page<Message>> {
    let (f, page) = filter(q)?;
    let page = outbox::list(&s.db, &f, page).await?;
    shown(
        &s,
        &p,
        page.items.iter().map(|m| m.id),
        "GET /api/v1/outbox",
    )
    .await?;
    Ok(Json(page.into()))
}

/// Logs an answer showing messages (each recipient's phone or e-mail and the text).
async fn shown(
    s: &AppState,
    p: &Principal,
    ids: impl IntoIterator<Item = i64>,
    via: &str,
) -> Result<(), ApiError> {
    let what = Shown::default().with(RecordKind::Message, ids);
    abonent_app::privacy::record_views_of(s, &p.actor(), what, via).await?;
    Ok(())
}

/// One message.
#[utoipa::path(get, path = "/api/v1/outbox/{id}", summary = "Уведомление", tag = "Уведомления", params(("id" = i64, Path)), responses((status = 200, body = Message), (status = 404)))]
pub async fn show(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> ApiResult<Message> {
    let m = outbox::get(&s.db, id).await?;
    shown(&s, &p, [id], "GET /api/v1/outbox/{id}").await?;
    Ok(Json(m.into()))
}

/// Send again now: a pending message is due at once, a failed or cancelled one starts its
/// attempts anew. A sent message or one being sent is refused (422).
#[utoipa::path(post, path = "/api/v1/outbox/{id}/retry", summary = "Отправить уведомление снова", tag = "Уведомления", params(("id" = i64, Path)),
    responses((status = 200, body = Message), (status = 404), (status = 422, description = "Сообщение уже отправлено или отправляется")))]
pub async fn retry(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> ApiResult<Message> {
    abonent_app::outbox::retry(&s, id, &p.actor()).await?;
    shown(&s, &p, [id], "POST /api/v1/outbox/{id}/retry").await?;
    Ok(Json(outbox::get(&s.db, id).await?.into()))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct CancelRequest {
    /// Why it is not sent; kept in the history.
    pub reason: Option<String>,
}

/// Never send a pending or failed message; it stays in the list.
#[utoipa::path(post, path = "/api/v1/outbox/{id}/cancel", summary = "Отменить уведомление", tag = "Уведомления", params(("id" = i64, Path)), request_body(content = CancelRequest, description = "Необязательно"),
    responses((status = 200, body = Message), (status = 404), (status = 422, description = "Сообщение уже отправлено или отправляется")))]
pub async fn cancel(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    b: Bytes,
) -> ApiResult<Message> {
    let r: CancelRequest = if b.iter().all(u8::is_ascii_whitespace) {
        CancelRequest::default()
    } else {
        body(&b)?
    };
    abonent_app::outbox::cancel(&s, id, r.reason.as_deref().unwrap_or(""), &p.actor()).await?;
    shown(&s, &p, [id], "POST /api/v1/outbox/{id}/cancel").await?;
    Ok(Json(outbox::get(&s.db, id).await?.into()))
}
