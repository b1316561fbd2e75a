//! HTML pages. Handlers read, call storage, and render a template; writes answer with a
//! redirect (post/redirect/get) or the same form again with a message next to each bad field.

pub mod accounts;
pub mod admin;
pub mod appeal_reference;
pub mod appeals;
pub mod appeals_bulk;
pub mod appeals_incidents;
pub mod appeals_intake;
pub mod appeals_routing;
pub mod buildings;
pub mod correspondence;
pub mod debtors;
pub mod documents;
pub mod home;
pub mod import;
pub mod ledger;
pub mod ledger_admin;
pub mod ledger_docs;
pub mod ledger_import;
pub mod links;
pub mod login;
pub mod outbox;
pub mod persons;
pub mod premises;
pub mod profile;
pub mod reference;
pub mod search;
pub mod templates;

use abonent_storage::{settings, Db};
use askama::Template;
use axum::response::{Html, IntoResponse, Redirect, Response};

use crate::auth::Principal;
use crate::views::{self, Layout};
use crate::PageError;

pub type PageResult = Result<Response, PageError>;

/// The layout with the organization's name, for a page titled `title` under `nav`.
pub async fn layout(
    db: &Db,
    p: &Principal,
    title: impl Into<String>,
    nav: &'static str,
) -> Result<Layout, PageError> {
    let mut l = Layout::new(p, title, nav);
    l.org_name = settings::get(db, "org.name").await?;
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
        _ => "",
    }
}
