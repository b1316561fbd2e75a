//! The contractor's own orders in the browser: the journal of the appeals assigned to the
//! contractor of this login and the order card with its status change. Anyone else gets 404.

use std::collections::BTreeMap;

use crate::extract::{Path, Query};
use abonent_app::appeals::work;
use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use axum::Extension;

use super::incidents::{ids_and_fields, message};
use crate::auth::Principal;
use crate::pages::{html, invalid, layout, to, PageResult};
use crate::views::Layout;
use crate::{AppError, AppState};

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

shows!(OrdersPage);
shows!(OrderCard);

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
    let shown = abonent_app::privacy::Shown::default().with(
        abonent_app::privacy::RecordKind::Appeal,
        page.items.iter().map(|a| a.id),
    );
    abonent_app::privacy::record_views_of(&s, &p.actor(), shown, "GET /orders").await?;
    html(&OrdersPage {
        l: layout(&s, &p, "Мои заказы", "orders").await?,
        page,
        view,
        tz: s.zone().await?,
    })
}

async fn order_card(s: &AppState, p: &Principal, id: i64, error: String) -> PageResult {
    let a = abonent_storage::appeals::orders::my_order(&s.db, p.user_id, id).await?;
    let shown = abonent_app::privacy::Shown::default()
        .with(abonent_app::privacy::RecordKind::Appeal, [a.id]);
    let via = if error.is_empty() {
        "GET /orders/{id}"
    } else {
        "POST /orders/{id}/status"
    };
    abonent_app::privacy::record_views_of(s, &p.actor(), shown, via).await?;
    let page = OrderCard {
        l: layout(s, p, format!("Заказ № {}", a.number), "orders").await?,
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
    match work::change_status(&s, id, &ch, p.role, &p.actor()).await {
        Ok(_) => to(format!("/orders/{id}")),
        Err(e) => order_card(&s, &p, id, message(e)?).await,
    }
}
