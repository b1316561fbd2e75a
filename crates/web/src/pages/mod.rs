//! HTML pages. Handlers read, call storage, and render a template; writes answer with a
//! redirect (post/redirect/get) or the same form again with a message next to each bad field.

pub mod absences;
pub mod admin;
pub mod appeals;
pub mod consultations;
pub mod correspondence;
pub mod documents;
pub mod home;
pub mod knowledge;
pub mod knowledge_news;
pub mod ledger;
pub mod login;
pub mod outages;
pub mod outbox;
pub mod privacy;
pub mod profile;
pub mod registry;
pub mod reports;
pub mod tariffs;

use abonent_app::{settings, App};
use askama::Template;
use axum::response::{Html, IntoResponse, Redirect, Response};

use crate::auth::Principal;
use crate::views::{self, Layout};
use crate::PageError;

pub type PageResult = Result<Response, PageError>;

/// The layout with the organization's name, for a page titled `title` under `nav`.
/// Pages whose work needs the first-run setup's details (payment documents on the account
/// card, court packets, messages to residents): they say at the top what is missing.
const NEEDS_SETUP: &[&str] = &[
    "accounts",
    "documents",
    "letter",
    "debtors",
    "appeals",
    "outbox",
];
/// Pages where the administrator is also told.
const ADMIN_SETUP: &[&str] = &["home", "settings_index", "settings", "organization"];

pub async fn layout(
    app: &App,
    p: &Principal,
    title: impl Into<String>,
    nav: &'static str,
) -> Result<Layout, PageError> {
    let mut l = Layout::new(p, title, nav);
    l.org_name = settings::get(app, "org.name").await?;
    l.tz = app.zone().await?;
    if NEEDS_SETUP.contains(&nav) || (l.can_reference && ADMIN_SETUP.contains(&nav)) {
        let all = settings::all(app).await?;
        l.setup_missing =
            abonent_domain::setup::missing(|k| all.get(k).cloned().unwrap_or_default())
                .into_iter()
                .map(|m| m.what)
                .collect();
    }
    Ok(l)
}

pub fn html<T: Template>(t: &T) -> PageResult {
    Ok(Html(views::render(t)).into_response())
}

/// 422 with the form shown again.
pub fn invalid<T: Template>(t: &T) -> PageResult {
    Ok((
        axum::http::StatusCode::UNPROCESSABLE_ENTITY,
        Html(views::render(t)),
    )
        .into_response())
}

pub fn to(url: String) -> PageResult {
    Ok(Redirect::to(&url).into_response())
}

/// `?saved=1` after a redirect shows a confirmation.
pub fn flash_of(q: &std::collections::BTreeMap<String, String>) -> &'static str {
    match q.get("saved").map(String::as_str) {
        Some("1") => "Сохранено.",
        Some("closed") => "Запись закрыта; она остаётся в архиве и в истории.",
        Some("erased") => {
            "Персональные данные удалены: записи реестров, обращения, письма и документы остались с прежними номерами, суммами и датами."
        }
        _ => "",
    }
}
