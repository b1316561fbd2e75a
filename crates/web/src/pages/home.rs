use askama::Template;
use axum::extract::State;
use axum::Extension;

use super::{html, layout, PageResult};
use crate::auth::Principal;
use crate::views::Layout;
use crate::AppState;

#[derive(Template)]
#[template(path = "home.html")]
struct Home {
    l: Layout,
    buildings: i64,
    accounts: i64,
    persons: i64,
}

pub async fn index(State(s): State<AppState>, Extension(p): Extension<Principal>) -> PageResult {
    let l = layout(&s, &p, "Главная", "home").await?;
    let c = abonent_storage::registry::counts(&s.db).await?;
    html(&Home {
        l,
        buildings: c.buildings,
        accounts: c.open_accounts,
        persons: c.persons,
    })
}

/// For load balancers: answers when the database does.
pub async fn health(State(s): State<AppState>) -> (axum::http::StatusCode, &'static str) {
    match s.db.ping().await {
        Ok(_) => (axum::http::StatusCode::OK, "ok"),
        Err(_) => (
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            "database unavailable",
        ),
    }
}
