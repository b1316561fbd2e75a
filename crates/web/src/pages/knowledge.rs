//! «База знаний» (issue 20 §4): the list with search (matched words marked), an article with
//! its versions, the forms that add a version, the feed of legal changes with «Прочитал»,
//! who has not confirmed (for editors), and the articles suggested beside the appeal form.

use std::collections::BTreeMap;

use abonent_app::knowledge::{self as kb, Hit};
use abonent_domain::knowledge::search::Piece;
use abonent_domain::knowledge::{format_references, parse_references, ArticleDraft, Audience};
use abonent_domain::{Permission, ValidationErrors};
use abonent_storage::articles::{self, ArticleRecord, Filter, VersionRecord};
use abonent_storage::{appeals, history};
use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use axum::Extension;
use chrono::NaiveDate;

use crate::auth::Principal;
use crate::extract::{Path, Query};
use crate::format;
use crate::forms::FormView;
use crate::pages::ledger::lay;
use crate::pages::{html, invalid, to, PageResult};
use crate::views::Layout;
use crate::{AppError, AppState};

/// Articles a list or a search shows.
const LIST_LIMIT: i64 = 50;

/// A hit as the list shows it.
pub struct HitView {
    pub id: i64,
    pub title: Vec<Piece>,
    pub fragment: Vec<Piece>,
    pub category: String,
    pub audience: &'static str,
    pub news: String,
}

pub(crate) fn hit_view(h: Hit) -> HitView {
    HitView {
        id: h.id,
        title: h.title_pieces,
        fragment: h.fragment,
        category: h.category,
        audience: h.audience.title(),
        news: h
            .legal_news_on
            .map(|d| format::date(&d))
            .unwrap_or_default(),
    }
}

#[derive(Template)]
#[template(path = "knowledge/list.html")]
struct ListPage {
    l: Layout,
    q: String,
    category: String,
    categories: Vec<String>,
    hits: Vec<HitView>,
    can_edit: bool,
}

/// Categories in use and the appeal categories' titles (an article named like an appeal
/// category is suggested for appeals of it).
async fn categories(s: &AppState) -> Result<Vec<String>, AppError> {
    let mut all: Vec<String> = articles::categories(&s.db).await?;
    for c in appeals::reference::categories(&s.db).await? {
        if c.active && !all.contains(&c.title) {
            all.push(c.title);
        }
    }
    all.sort();
    Ok(all)
}

pub async fn list(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Query(q): Query<BTreeMap<String, String>>,
) -> PageResult {
    let query = q.get("q").cloned().unwrap_or_default();
    let category = q.get("category").cloned().unwrap_or_default();
    let filter = Filter {
        category: (!category.is_empty()).then(|| category.clone()),
        ..Default::default()
    };
    let hits = kb::search(&s, &query, &filter, LIST_LIMIT).await?;
    let mut l = lay(&s, &p, "База знаний", "knowledge").await?;
    if q.contains_key("saved") {
        l = l.flash("Статья сохранена.");
    }
    html(&ListPage {
        l,
        categories: articles::categories(&s.db).await?,
        hits: hits.into_iter().map(hit_view).collect(),
        q: query,
        category,
        can_edit: p.can(Permission::EditKnowledge),
    })
}

/// One block of an article's text: Markdown read as headings, list items and paragraphs
/// (everything escaped by the template; no HTML passes through).
pub struct Block {
    pub heading: bool,
    pub item: bool,
    pub text: String,
}

pub fn blocks(markdown: &str) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::new();
    let mut para = String::new();
    let flush = |para: &mut String, out: &mut Vec<Block>| {
        if !para.trim().is_empty() {
            out.push(Block {
                heading: false,
                item: false,
                text: para.trim().replace("**", ""),
            });
        }
        para.clear();
    };
    for line in markdown.lines() {
        let t = line.trim();
        if t.is_empty() {
            flush(&mut para, &mut out);
        } else if let Some(h) = t.strip_prefix('#') {
            flush(&mut para, &mut out);
            out.push(Block {
                heading: true,
                item: false,
                text: h.trim_start_matches('#').trim().to_string(),
            });
        } else if let Some(i) = t.strip_prefix("- ").or_else(|| t.strip_prefix("* ")) {
            flush(&mut para, &mut out);
            out.push(Block {
                heading: false,
                item: true,
                text: i.trim().replace("**", ""),
            });
        } else {
            if !para.is_empty() {
                para.push(' ');
            }
            para.push_str(t);
        }
    }
    flush(&mut para, &mut out);
    out
}

pub struct VersionRow {
    pub version: i64,
    pub title: String,
    pub author: String,
    pub at: String,
}

pub struct RefRow {
    pub title: String,
    pub effective: String,
}

#[derive(Template)]
#[template(path = "knowledge/article.html")]
struct ArticlePage {
    l: Layout,
    id: i64,
    /// The version shown, and the current one.
    shown: i64,
    current: i64,
    title: String,
    category: String,
    audience: &'static str,
    news: String,
    blocks: Vec<Block>,
    refs: Vec<RefRow>,
    versions: Vec<VersionRow>,
    confirmed: String,
    can_confirm: bool,
    can_edit: bool,
    unread: Vec<String>,
    history: Vec<crate::timeline::HistoryView>,
}

pub async fn show(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    Query(q): Query<BTreeMap<String, String>>,
) -> PageResult {
    let a = articles::get(&s.db, id).await?;
    let versions = articles::versions(&s.db, id).await?;
    let wanted: Option<i64> = q.get("version").and_then(|v| v.parse().ok());
    let shown: &VersionRecord = match wanted {
        Some(n) => versions.iter().find(|v| v.version == n).ok_or_else(|| {
            AppError::NotFound(abonent_domain::knowledge::words::version_missing(n))
        })?,
        None => &versions[0],
    };
    let tz = s.zone().await?;
    let when = |t: &str| format::instant(t, tz).unwrap_or_else(|| t.to_string());
    let news = a.draft.legal_news_on.is_some();
    let confirmed = match (news, p.user_id) {
        (true, Some(u)) => articles::reads(&s.db, id)
            .await?
            .into_iter()
            .find(|r| r.user_id == u && r.version == a.version)
            .map(|r| when(&r.read_at))
            .unwrap_or_default(),
        _ => String::new(),
    };
    let can_edit = p.can(Permission::EditKnowledge);
    let unread = if news && can_edit {
        articles::unread(&s.db, id)
            .await?
            .into_iter()
            .map(|u| u.full_name)
            .collect()
    } else {
        Vec::new()
    };
    let mut l = lay(&s, &p, a.draft.title.clone(), "knowledge").await?;
    match q.get("saved").map(String::as_str) {
        Some("read") => l = l.flash("Прочтение подтверждено."),
        Some(_) => l = l.flash("Статья сохранена."),
        None => {}
    }
    let d = &shown.draft;
    html(&ArticlePage {
        l,
        id,
        shown: shown.version,
        current: a.version,
        title: d.title.clone(),
        category: d.category.clone(),
        audience: d.audience.title(),
        news: d
            .legal_news_on
            .map(|x| format::date(&x))
            .unwrap_or_default(),
        blocks: blocks(&d.body),
        refs: d
            .references
            .iter()
            .map(|r| RefRow {
                title: r.title.clone(),
                effective: format::date(&r.effective_on),
            })
            .collect(),
        versions: versions
            .iter()
            .map(|v| VersionRow {
                version: v.version,
                title: v.draft.title.clone(),
                author: v.author_name.clone(),
                at: when(&v.created_at),
            })
            .collect(),
        can_confirm: news && p.can(Permission::ConfirmKnowledge) && p.user_id.is_some(),
        confirmed,
        can_edit,
        unread,
        history: crate::timeline::show(&s, &history::for_card(&s.db, "article", id, 50).await?)
            .await?,
    })
}

#[derive(Template)]
#[template(path = "knowledge/form.html")]
struct FormPage {
    l: Layout,
    /// The article a new version is for; `None` for a new article.
    id: Option<i64>,
    f: FormView,
    categories: Vec<String>,
    audiences: Vec<(&'static str, &'static str)>,
}

async fn form_page(
    s: &AppState,
    p: &Principal,
    id: Option<i64>,
    f: FormView,
) -> Result<FormPage, AppError> {
    let title = match id {
        Some(_) => "Новая версия статьи",
        None => "Новая статья",
    };
    Ok(FormPage {
        l: lay(s, p, title, "knowledge").await?,
        id,
        f,
        categories: categories(s).await?,
        audiences: Audience::ALL
            .iter()
            .map(|a| (a.code(), a.title()))
            .collect(),
    })
}

pub async fn new(State(s): State<AppState>, Extension(p): Extension<Principal>) -> PageResult {
    let mut f = FormView::default();
    f.set("audience", Audience::Staff.code());
    html(&form_page(&s, &p, None, f).await?)
}

pub async fn edit(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> PageResult {
    let a: ArticleRecord = articles::get(&s.db, id).await?;
    let mut f = FormView::default();
    f.set("title", a.draft.title.clone());
    f.set("category", a.draft.category.clone());
    f.set("audience", a.draft.audience.code());
    f.set("body", a.draft.body.clone());
    f.set("references", format_references(&a.draft.references));
    if let Some(d) = a.draft.legal_news_on {
        f.set("legal_news_on", d.to_string());
    }
    html(&form_page(&s, &p, Some(id), f).await?)
}

/// The form read into a version; a date or a reference that does not read is named.
fn draft_of(f: &FormView) -> Result<ArticleDraft, ValidationErrors> {
    let mut e = ValidationErrors::new();
    let references = parse_references(f.v("references")).unwrap_or_else(|x| {
        e.0.extend(x.0);
        Vec::new()
    });
    let legal_news_on = f.opt("legal_news_on").and_then(|v| {
        NaiveDate::parse_from_str(&v, "%Y-%m-%d")
            .or_else(|_| NaiveDate::parse_from_str(&v, "%d.%m.%Y"))
            .map_err(|_| {
                e.add(
                    "legal_news_on",
                    format!("Дата «{v}» не прочитана: укажите её как 01.03.2026"),
                )
            })
            .ok()
    });
    let draft = ArticleDraft {
        title: f.v("title").to_string(),
        body: f.v("body").to_string(),
        category: f.v("category").to_string(),
        audience: Audience::from_code(f.v("audience")).unwrap_or_default(),
        references,
        legal_news_on,
    };
    // Every field's message at once: what the form could not read and what the rules refuse.
    if !e.is_empty() {
        if let Err(more) = abonent_domain::knowledge::check(&draft) {
            e.0.extend(more.0);
        }
    }
    e.into_result(draft)
}

/// Saves a new article or a new version; a bad field is shown at its place, nothing saved.
async fn save(s: &AppState, p: &Principal, id: Option<i64>, body: &[u8]) -> PageResult {
    let f = FormView::from_body(body);
    let saved = match draft_of(&f) {
        Err(e) => Err(AppError::Invalid(e)),
        Ok(d) => match id {
            Some(id) => kb::new_version(s, id, &d, &p.actor()).await.map(|_| id),
            None => kb::create(s, &d, &p.actor()).await,
        },
    };
    match saved {
        Ok(id) => to(format!("/knowledge/{id}?saved=1")),
        Err(AppError::Invalid(e)) => invalid(&form_page(s, p, id, f.errors(e)).await?),
        Err(e) => Err(e.into()),
    }
}

pub async fn create(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    body: Bytes,
) -> PageResult {
    save(&s, &p, None, &body).await
}

pub async fn update(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    body: Bytes,
) -> PageResult {
    articles::get(&s.db, id).await?;
    save(&s, &p, Some(id), &body).await
}
