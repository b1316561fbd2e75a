//! Administration → Уведомления: the outbox with each message's state, attempts and last
//! error; filters by state and channel; send again or cancel.

use std::collections::BTreeMap;

use crate::extract::{Path, Query};
use abonent_app::privacy::{RecordKind, Shown};
use abonent_domain::outbox::{OutboxChannel, OutboxState};
use abonent_notify::Config;
use abonent_storage::outbox::{self, Message, OutboxFilter};
use abonent_storage::registry::{Page, PageReq};
use askama::Template;
use axum::extract::State;
use axum::Extension;

use super::{html, layout, to, PageResult};
use crate::auth::Principal;
use crate::views::{self, Layout, ListQuery, PagerItem};
use crate::{AppError, AppState};

pub struct Tab {
    pub title: &'static str,
    pub count: i64,
    pub href: String,
    pub active: bool,
}

pub struct Row {
    pub id: i64,
    pub channel: &'static str,
    pub recipient: String,
    /// Subject of a letter, or the start of an SMS.
    pub summary: String,
    pub state: &'static str,
    pub badge: &'static str,
    pub attempts: i64,
    pub created: String,
    /// Next attempt for a pending message, delivery time for a sent one.
    pub when: String,
    pub last_error: String,
    pub source: String,
    pub can_retry: bool,
    pub can_cancel: bool,
}

#[derive(Template)]
#[template(path = "admin/outbox.html")]
struct OutboxPage {
    l: Layout,
    tabs: Vec<Tab>,
    rows: Vec<Row>,
    total: i64,
    q: ListQuery,
    pager: Vec<PagerItem>,
    warnings: Vec<String>,
}

fn badge(s: OutboxState) -> &'static str {
    match s {
        OutboxState::Sent => "badge-ok",
        OutboxState::Pending | OutboxState::Sending => "badge-warn",
        OutboxState::Failed => "badge-danger",
        OutboxState::Cancelled => "badge-muted",
    }
}

fn row(m: &Message, zone: chrono_tz::Tz) -> Row {
    let summary = match m.channel {
        OutboxChannel::Email => m.subject.clone(),
        OutboxChannel::Sms => {
            let mut s: String = m.body.chars().take(70).collect();
            if m.body.chars().count() > 70 {
                s.push('…');
            }
            s
        }
    };
    let when = match m.state {
        OutboxState::Sent => m
            .sent_at
            .as_deref()
            .map(|t| format!("отправлено {}", views::local_time(t, zone))),
        OutboxState::Pending if m.attempts > 0 => Some(format!(
            "следующая попытка {}",
            views::local_time(&m.next_attempt_at, zone)
        )),
        OutboxState::Sending => m
            .locked_until
            .as_deref()
            .map(|t| format!("аренда до {}", views::local_time(t, zone))),
        _ => None,
    };
    Row {
        id: m.id,
        channel: m.channel.title(),
        recipient: m.recipient.clone(),
        summary,
        state: m.state.title(),
        badge: badge(m.state),
        attempts: m.attempts,
        created: views::local_time(&m.created_at, zone),
        when: when.unwrap_or_default(),
        last_error: m.last_error.clone().unwrap_or_default(),
        source: match (m.source_entity.as_deref(), m.source_id) {
            (Some("appeal"), Some(id)) => format!("обращение {id}"),
            (Some(e), Some(id)) => format!("{e} {id}"),
            _ => String::new(),
        },
        can_retry: m.state.can_retry(),
        can_cancel: m.state.can_cancel(),
    }
}

/// What keeps messages from leaving, in words for the administrator.
fn warnings(config: &Config) -> Vec<String> {
    let mut v = Vec::new();
    match &config.smtp {
        None => v.push("Почта не настроена: письма ждут в очереди, пока в «Настройках» не указан адрес SMTP-сервера.".to_string()),
        Some(Err(e)) => v.push(format!("Почта настроена неверно, письма ждут: {e}")),
        Some(Ok(_)) => {}
    }
    match &config.sms {
        None => v.push("SMS-шлюз не настроен: SMS ждут в очереди, пока в «Настройках» не указан адрес шлюза (sms.url).".to_string()),
        Some(Err(e)) => v.push(format!("SMS-шлюз настроен неверно, SMS ждут: {e}")),
        Some(Ok(_)) => {}
    }
    v
}

pub async fn list(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Query(params): Query<BTreeMap<String, String>>,
) -> PageResult {
    let q = ListQuery::new("/admin/outbox", &params);
    let state = OutboxState::from_code(q.get("state"));
    let filter = OutboxFilter {
        state,
        channel: OutboxChannel::from_code(q.get("channel")),
        recipient: Some(q.get("recipient").to_string()),
        source: None,
    };
    let page: Page<Message> = outbox::list(
        &s.db,
        &filter,
        PageReq::new(q.get("page").parse().ok(), None),
    )
    .await?;
    // Each message's recipient (a resident's phone or e-mail) and text.
    let shown = Shown::default().with(RecordKind::Message, page.items.iter().map(|m| m.id));
    abonent_app::privacy::record_views_of(&s, &p.actor(), shown, "GET /admin/outbox").await?;
    let zone = s.zone().await?;
    let counts = outbox::counts(&s.db).await?;
    let mut tabs = vec![Tab {
        title: "Все",
        count: counts.iter().map(|c| c.1).sum(),
        href: q.href_with("state", ""),
        active: state.is_none(),
    }];
    tabs.extend(counts.iter().map(|(st, n)| Tab {
        title: st.title(),
        count: *n,
        href: q.href_with("state", st.code()),
        active: state == Some(*st),
    }));
    let flash = match q.get("done") {
        "retry" => "Сообщение будет отправлено в ближайшие секунды.",
        "cancel" => "Отправка отменена; сообщение осталось в списке.",
        _ => "",
    };
    let config = Config::from_settings(&abonent_app::settings::all(&s).await?);
    html(&OutboxPage {
        l: layout(&s, &p, "Уведомления", "outbox").await?.flash(flash),
        tabs,
        rows: page.items.iter().map(|m| row(m, zone)).collect(),
        total: page.total,
        pager: views::pager(&q, page.page, page.pages()),
        q,
        warnings: warnings(&config),
    })
}

/// A refused action comes back as a page with the reason (the row's state changed).
fn refused(e: AppError) -> AppError {
    match e {
        AppError::Invalid(v) => AppError::BadRequest(
            v.0.into_iter()
                .map(|f| f.message)
                .collect::<Vec<_>>()
                .join(" "),
        ),
        other => other,
    }
}

pub async fn retry(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> PageResult {
    abonent_app::outbox::retry(&s, id, &p.actor())
        .await
        .map_err(refused)?;
    to("/admin/outbox?done=retry".into())
}

pub async fn cancel(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> PageResult {
    abonent_app::outbox::cancel(&s, id, "", &p.actor())
        .await
        .map_err(refused)?;
    to("/admin/outbox?done=cancel".into())
}
