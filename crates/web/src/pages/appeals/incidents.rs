//! Building-wide incidents and recurring problems in the browser: proposals with the appeals
//! to link, the incident card (link later appeals, close with the result), the manager's
//! list of recurring problems.

use std::collections::BTreeMap;

use crate::extract::{Path, Query};
use abonent_app::appeals::work;
use abonent_storage::appeals::incidents::{self, Incident, NewIncident, Proposal};
use abonent_storage::appeals::recurring::{self, Recurring};
use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use axum::Extension;

use crate::auth::Principal;
use crate::pages::{html, invalid, layout, to, PageResult};
use crate::views::Layout;
use crate::{AppError, AppState};

#[derive(Template)]
#[template(path = "incidents/list.html")]
struct ListPage {
    l: Layout,
    proposals: Vec<Proposal>,
    incidents: Vec<Incident>,
    error: String,
    tz: chrono_tz::Tz,
}

#[derive(Template)]
#[template(path = "incidents/card.html")]
struct CardPage {
    l: Layout,
    i: Incident,
    candidates: Vec<Proposal>,
    report: String,
    error: String,
    tz: chrono_tz::Tz,
}

#[derive(Template)]
#[template(path = "incidents/recurring.html")]
struct RecurringPage {
    l: Layout,
    rows: Vec<Recurring>,
    threshold: i64,
    days: i64,
    tz: chrono_tz::Tz,
}

shows!(ListPage);
shows!(CardPage);
shows!(RecurringPage);

/// The ids ticked in a form (`appeal_ids` repeated) and the other fields.
pub(super) fn ids_and_fields(body: &[u8]) -> (Vec<i64>, BTreeMap<String, String>) {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body).unwrap_or_default();
    let ids = pairs
        .iter()
        .filter(|(k, _)| k == "appeal_ids")
        .filter_map(|(_, v)| v.trim().parse().ok())
        .collect();
    (ids, pairs.into_iter().collect())
}

pub(super) fn message(e: AppError) -> Result<String, AppError> {
    match e {
        AppError::Invalid(v) => Ok(v
            .0
            .iter()
            .map(|f| f.message.clone())
            .collect::<Vec<_>>()
            .join(" ")),
        e => Err(e),
    }
}

async fn list_page(s: &AppState, p: &Principal, error: String) -> PageResult {
    let page = ListPage {
        l: layout(s, p, "Общедомовые аварии", "appeals").await?,
        proposals: incidents::proposals(&s.db, None).await?,
        incidents: incidents::list_incidents(&s.db).await?,
        tz: s.zone().await?,
        error,
    };
    if page.error.is_empty() {
        html(&page)
    } else {
        invalid(&page)
    }
}

pub async fn list(State(s): State<AppState>, Extension(p): Extension<Principal>) -> PageResult {
    list_page(&s, &p, String::new()).await
}

pub async fn create(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    body: Bytes,
) -> PageResult {
    let (appeal_ids, fields) = ids_and_fields(&body);
    let n = NewIncident {
        title: fields.get("title").cloned().unwrap_or_default(),
        appeal_ids,
    };
    match work::create_incident(&s, &n, &p.actor()).await {
        Ok(id) => to(format!("/incidents/{id}")),
        Err(e) => list_page(&s, &p, message(e)?).await,
    }
}

async fn card(s: &AppState, p: &Principal, id: i64, report: String, error: String) -> PageResult {
    let i = incidents::get_incident(&s.db, id).await?;
    let candidates = match (i.building_id, i.category_id, i.status.as_str()) {
        (Some(b), Some(c), "open") => incidents::proposals(&s.db, Some((b, c))).await?,
        _ => Vec::new(),
    };
    let page = CardPage {
        l: layout(s, p, format!("Авария: {}", i.title), "appeals").await?,
        i,
        candidates,
        report,
        tz: s.zone().await?,
        error,
    };
    if page.error.is_empty() {
        html(&page)
    } else {
        invalid(&page)
    }
}

pub async fn show(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    Query(q): Query<BTreeMap<String, String>>,
) -> PageResult {
    let report = q.get("report").cloned().unwrap_or_default();
    card(&s, &p, id, report, String::new()).await
}

pub async fn link(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    body: Bytes,
) -> PageResult {
    let (ids, _) = ids_and_fields(&body);
    match work::link_to_incident(&s, id, &ids, &p.actor()).await {
        Ok(()) => to(format!("/incidents/{id}")),
        Err(e) => card(&s, &p, id, String::new(), message(e)?).await,
    }
}

pub async fn close(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    body: Bytes,
) -> PageResult {
    let (_, fields) = ids_and_fields(&body);
    let result = fields.get("result").cloned().unwrap_or_default();
    match work::close_incident(&s, id, &result, p.role, &p.actor()).await {
        Ok(r) => {
            let mut text = format!(
                "{} Выполнено обращений: {}; сообщений заявителям: {}.",
                if r.failed.is_empty() {
                    "Авария закрыта."
                } else {
                    "Авария остаётся открытой: не все обращения удалось выполнить."
                },
                crate::format::grouped(r.completed.len()),
                crate::format::grouped(r.messages)
            );
            for f in &r.failed {
                text.push_str(&format!(" {} не изменено: {}", f.number, f.reason));
            }
            card(&s, &p, id, text, String::new()).await
        }
        Err(e) => card(&s, &p, id, String::new(), message(e)?).await,
    }
}

pub async fn recurring(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
) -> PageResult {
    let (threshold, days) = recurring::terms(&s.db).await?;
    html(&RecurringPage {
        l: layout(&s, &p, "Повторяющиеся проблемы", "appeals").await?,
        rows: recurring::list(&s.db).await?,
        threshold,
        days,
        tz: s.zone().await?,
    })
}
