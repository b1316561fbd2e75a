//! Building-wide incidents and recurring problems in the browser: proposals with the appeals
//! to link, the incident card (link later appeals, close with the result), the manager's
//! list of recurring problems.

use std::collections::BTreeMap;

use abonent_storage::appeals::incidents::{self, Incident, NewIncident, Proposal};
use abonent_storage::appeals::recurring::{self, Recurring};
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::Extension;

use super::appeals::status_title;
use super::{html, invalid, layout, to, PageResult};
use crate::auth::Principal;
use crate::views::{local_time, Layout};
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

macro_rules! local {
    ($t:ty) => {
        impl $t {
            fn when(&self, utc: &str) -> String {
                local_time(utc, self.tz)
            }
            #[allow(dead_code)]
            fn status(&self, code: &str) -> &'static str {
                status_title(code)
            }
        }
    };
}
local!(ListPage);
local!(CardPage);
local!(RecurringPage);

/// The ids ticked in a form (`appeal_ids` repeated) and the other fields.
fn ids_and_fields(body: &[u8]) -> (Vec<i64>, BTreeMap<String, String>) {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body).unwrap_or_default();
    let ids = pairs
        .iter()
        .filter(|(k, _)| k == "appeal_ids")
        .filter_map(|(_, v)| v.trim().parse().ok())
        .collect();
    (ids, pairs.into_iter().collect())
}

fn message(e: AppError) -> Result<String, AppError> {
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
        l: layout(&s.db, p, "Общедомовые аварии", "appeals").await?,
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
    match incidents::create(&s.db, &n, &p.actor()).await {
        Ok(id) => to(format!("/incidents/{id}")),
        Err(e) => list_page(&s, &p, message(e.into())?).await,
    }
}

async fn card(s: &AppState, p: &Principal, id: i64, report: String, error: String) -> PageResult {
    let i = incidents::get_incident(&s.db, id).await?;
    let candidates = match (i.building_id, i.category_id, i.status.as_str()) {
        (Some(b), Some(c), "open") => incidents::proposals(&s.db, Some((b, c))).await?,
        _ => Vec::new(),
    };
    let page = CardPage {
        l: layout(&s.db, p, format!("Авария: {}", i.title), "appeals").await?,
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
    match incidents::link(&s.db, id, &ids, &p.actor()).await {
        Ok(()) => to(format!("/incidents/{id}")),
        Err(e) => card(&s, &p, id, String::new(), message(e.into())?).await,
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
    match incidents::close(
        &s.db,
        id,
        &result,
        p.role,
        &p.actor(),
        &abonent_notify::recipients,
    )
    .await
    {
        Ok(r) => {
            let mut text = format!(
                "{} Выполнено обращений: {}; сообщений заявителям: {}.",
                if r.failed.is_empty() {
                    "Авария закрыта."
                } else {
                    "Авария остаётся открытой: не все обращения удалось выполнить."
                },
                r.completed.len(),
                r.messages
            );
            for f in &r.failed {
                text.push_str(&format!(" {} не изменено: {}", f.number, f.reason));
            }
            card(&s, &p, id, text, String::new()).await
        }
        Err(e) => card(&s, &p, id, String::new(), message(e.into())?).await,
    }
}

pub async fn recurring(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
) -> PageResult {
    let (threshold, days) = recurring::terms(&s.db).await?;
    html(&RecurringPage {
        l: layout(&s.db, &p, "Повторяющиеся проблемы", "appeals").await?,
        rows: recurring::list(&s.db).await?,
        threshold,
        days,
        tz: s.zone().await?,
    })
}

/// Attach a photo or scan from the card; a wrong type or size is shown next to the field.
pub async fn file_add(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    mp: axum::extract::Multipart,
) -> PageResult {
    let (name, data) = crate::http::file_field(mp).await?;
    match abonent_storage::appeals::files::add(&s.db, id, &name, &data, &p.actor())
        .await
        .map_err(AppError::from)
    {
        Ok(_) => to(format!("/appeals/{id}?saved=file#files")),
        Err(AppError::Invalid(e)) => {
            let f = crate::forms::FormView::default().errors(e);
            super::appeals::card(&s, &p, id, f, "", true).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn file_get(
    State(s): State<AppState>,
    Path((id, file_id)): Path<(i64, i64)>,
) -> PageResult {
    let (f, content) = abonent_storage::appeals::files::get(&s.db, id, file_id).await?;
    Ok(crate::http::file_response(
        &f.content_type,
        &f.file_name,
        content,
    ))
}

#[derive(Template)]
#[template(path = "orders/list.html")]
struct OrdersPage {
    l: Layout,
    page: abonent_storage::registry::Page<abonent_storage::appeals::AppealListItem>,
    view: String,
    tz: chrono_tz::Tz,
}

#[derive(Template)]
#[template(path = "orders/card.html")]
struct OrderCard {
    l: Layout,
    a: abonent_storage::appeals::Appeal,
    error: String,
    tz: chrono_tz::Tz,
}

local!(OrdersPage);
local!(OrderCard);

fn contractor_only(p: &Principal) -> Result<(), AppError> {
    if p.role == abonent_domain::Role::Contractor {
        Ok(())
    } else {
        Err(AppError::NotFound("заказы подрядчика".into()))
    }
}

/// The contractor's journal: only the appeals assigned to its contractor.
pub async fn orders(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Query(q): Query<BTreeMap<String, String>>,
) -> PageResult {
    contractor_only(&p)?;
    let view = q.get("view").cloned().unwrap_or_else(|| "open".into());
    let f = abonent_storage::appeals::AppealFilter {
        view: serde_json::from_value(serde_json::Value::String(view.clone())).unwrap_or_default(),
        ..Default::default()
    };
    let page = abonent_storage::appeals::orders::my_orders(
        &s.db,
        p.user_id,
        f,
        abonent_storage::registry::PageReq::new(q.get("page").and_then(|v| v.parse().ok()), None),
    )
    .await?;
    html(&OrdersPage {
        l: layout(&s.db, &p, "Мои заказы", "orders").await?,
        page,
        view,
        tz: s.zone().await?,
    })
}

async fn order_card(s: &AppState, p: &Principal, id: i64, error: String) -> PageResult {
    let a = abonent_storage::appeals::orders::my_order(&s.db, p.user_id, id).await?;
    let page = OrderCard {
        l: layout(&s.db, p, format!("Заказ № {}", a.number), "orders").await?,
        a,
        tz: s.zone().await?,
        error,
    };
    if page.error.is_empty() {
        html(&page)
    } else {
        invalid(&page)
    }
}

pub async fn order(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> PageResult {
    contractor_only(&p)?;
    order_card(&s, &p, id, String::new()).await
}

pub async fn order_status(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    body: Bytes,
) -> PageResult {
    contractor_only(&p)?;
    abonent_storage::appeals::orders::my_order(&s.db, p.user_id, id).await?;
    let (_, fields) = ids_and_fields(&body);
    let text = |k: &str| {
        fields
            .get(k)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let ch = abonent_storage::appeals::StatusChange {
        to: fields
            .get("to")
            .and_then(|c| abonent_domain::appeal::Status::from_code(c)),
        reason: text("reason"),
        result: text("result"),
        ..Default::default()
    };
    match abonent_storage::appeals::change_status(&s.db, id, &ch, p.role, &p.actor()).await {
        Ok(_) => to(format!("/orders/{id}")),
        Err(e) => order_card(&s, &p, id, message(e.into())?).await,
    }
}
