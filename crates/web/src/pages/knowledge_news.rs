//! The legal-changes feed of the knowledge base with «Прочитал», the editors' list of who has
//! not confirmed, and the articles suggested beside the appeal form (an htmx fragment).

use std::collections::BTreeMap;

use abonent_app::knowledge as kb;
use abonent_domain::Permission;
use abonent_storage::articles;
use askama::Template;
use axum::extract::State;
use axum::Extension;

use super::knowledge::HitView;
use crate::auth::Principal;
use crate::extract::{Path, Query};
use crate::format;
use crate::pages::ledger::lay;
use crate::pages::{html, to, PageResult};
use crate::views::Layout;
use crate::AppState;

/// Legal-news articles the feed and the report show.
const FEED_LIMIT: i64 = 100;
/// Articles suggested beside the appeal form.
const SUGGEST_LIMIT: i64 = 5;

pub struct FeedRow {
    pub id: i64,
    pub title: String,
    pub effective: String,
    pub category: String,
    /// When this person confirmed the current version; empty if not yet.
    pub confirmed: String,
}

#[derive(Template)]
#[template(path = "knowledge/news.html")]
struct NewsPage {
    l: Layout,
    rows: Vec<FeedRow>,
    can_confirm: bool,
    can_edit: bool,
}

pub async fn feed(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Query(q): Query<BTreeMap<String, String>>,
) -> PageResult {
    let tz = s.zone().await?;
    let rows = articles::feed(&s.db, p.user_id, FEED_LIMIT)
        .await?
        .into_iter()
        .map(|f| FeedRow {
            id: f.article.id,
            effective: f
                .article
                .draft
                .legal_news_on
                .map(|d| format::date(&d))
                .unwrap_or_default(),
            title: f.article.draft.title,
            category: f.article.draft.category,
            confirmed: f
                .confirmed_at
                .map(|t| format::instant(&t, tz).unwrap_or(t))
                .unwrap_or_default(),
        })
        .collect();
    let mut l = lay(&s, &p, "Новое в законодательстве", "knowledge_news").await?;
    if q.contains_key("read") {
        l = l.flash("Прочтение подтверждено.");
    }
    html(&NewsPage {
        l,
        rows,
        can_confirm: p.can(Permission::ConfirmKnowledge) && p.user_id.is_some(),
        can_edit: p.can(Permission::EditKnowledge),
    })
}

/// «Прочитал»: back to the feed, or to the article when confirmed there.
pub async fn confirm(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    Query(q): Query<BTreeMap<String, String>>,
) -> PageResult {
    kb::confirm_read(&s, id, &p.actor()).await?;
    if q.get("from").map(String::as_str) == Some("article") {
        to(format!("/knowledge/{id}?saved=read"))
    } else {
        to("/knowledge/news?read=1".into())
    }
}

pub struct UnreadRow {
    pub id: i64,
    pub title: String,
    pub effective: String,
    pub names: Vec<String>,
}

#[derive(Template)]
#[template(path = "knowledge/unread.html")]
struct UnreadPage {
    l: Layout,
    rows: Vec<UnreadRow>,
}

pub async fn unread(State(s): State<AppState>, Extension(p): Extension<Principal>) -> PageResult {
    let rows = kb::unread_report(&s, FEED_LIMIT)
        .await?
        .into_iter()
        .map(|r| UnreadRow {
            id: r.id,
            title: r.title,
            effective: r
                .legal_news_on
                .map(|d| format::date(&d))
                .unwrap_or_default(),
            names: r.unread.into_iter().map(|u| u.full_name).collect(),
        })
        .collect();
    html(&UnreadPage {
        l: lay(&s, &p, "Кто не подтвердил прочтение", "knowledge_news").await?,
        rows,
    })
}

#[derive(Template)]
#[template(path = "knowledge/suggest.html")]
struct SuggestPanel {
    hits: Vec<HitView>,
    /// Beside a consultation: each article can be marked as used in the answer.
    pick: bool,
}

/// The articles matching the appeal being typed (its text; its category when an article is
/// filed under the category's title), as a fragment beside the form.
pub async fn suggest(
    State(s): State<AppState>,
    Query(q): Query<BTreeMap<String, String>>,
) -> PageResult {
    // An appeal's substance, or a consultation's question (whose articles can be marked used).
    let pick = q.contains_key("question");
    let text = q
        .get("substance")
        .or(q.get("question"))
        .map(String::as_str)
        .unwrap_or("");
    let category_id: Option<i64> = q.get("category_id").and_then(|v| v.parse().ok());
    let hits = kb::suggest_for(&s, text, category_id, SUGGEST_LIMIT).await?;
    html(&SuggestPanel {
        hits: hits.into_iter().map(super::knowledge::hit_view).collect(),
        pick,
    })
}
