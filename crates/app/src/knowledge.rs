//! The knowledge base (issue 20 §4): articles checked by the domain and kept as versions;
//! search ranked by the domain's score with the matched words marked; suggestions for the
//! text of an appeal being registered; the legal-news feed with read confirmations and the
//! manager's list of who has not confirmed.

use abonent_domain::knowledge::search::{highlight, query_terms, rank, Piece, Score};
use abonent_domain::knowledge::{check, plain_text, words, ArticleDraft, Audience};
use abonent_domain::ValidationErrors;
use abonent_storage::articles::{self, ArticleRecord, Filter, Unread};
use abonent_storage::Actor;
use chrono::NaiveDate;
use serde::Serialize;

use crate::{App, AppError};

/// Characters of text shown around the matched words.
pub const FRAGMENT_CHARS: usize = 220;

/// An article as a list or a search shows it.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub id: i64,
    pub version: i64,
    pub title: String,
    /// The title with the matched words marked.
    pub title_pieces: Vec<Piece>,
    /// A fragment of the text around the matched words, marked.
    pub fragment: Vec<Piece>,
    pub category: String,
    pub audience: Audience,
    pub legal_news_on: Option<NaiveDate>,
    /// UTC, RFC 3339.
    pub updated_at: String,
    pub score: Score,
}

fn hit(r: ArticleRecord, score: Score, terms: &[String]) -> Hit {
    let body = plain_text(&r.draft.body);
    Hit {
        id: r.id,
        version: r.version,
        title_pieces: highlight(&r.draft.title, terms, usize::MAX),
        fragment: highlight(&body, terms, FRAGMENT_CHARS),
        title: r.draft.title,
        category: r.draft.category,
        audience: r.draft.audience,
        legal_news_on: r.draft.legal_news_on,
        updated_at: r.updated_at,
        score,
    }
}

/// Articles for `query` best first; an empty query lists the latest changed.
pub async fn search(
    app: &App,
    query: &str,
    filter: &Filter,
    limit: i64,
) -> Result<Vec<Hit>, AppError> {
    found(app, query, filter, None, limit).await
}

async fn found(
    app: &App,
    query: &str,
    filter: &Filter,
    bonus_category: Option<&str>,
    limit: i64,
) -> Result<Vec<Hit>, AppError> {
    let terms = query_terms(query);
    if terms.is_empty() {
        let list = articles::list(&app.db, filter, limit).await?;
        return Ok(list
            .into_iter()
            .map(|r| hit(r, Score::default(), &terms))
            .collect());
    }
    let candidates = articles::search(&app.db, &terms, filter, bonus_category, limit).await?;
    let mut ranked: Vec<(i64, Score, ArticleRecord)> = candidates
        .into_iter()
        .map(|c| (c.record.id, c.score, c.record))
        .collect();
    rank(&mut ranked);
    Ok(ranked
        .into_iter()
        .map(|(_, s, r)| hit(r, s, &terms))
        .collect())
}

/// Articles to suggest beside an appeal being registered: those matching its text, those of
/// the appeal's category (its title, when an article's category is named the same) first
/// among equals. At least two words of the text must match unless the text is short, so a
/// single common word does not fill the panel.
pub async fn suggest(
    app: &App,
    text: &str,
    category_title: Option<&str>,
    limit: i64,
) -> Result<Vec<Hit>, AppError> {
    let terms = query_terms(text);
    if terms.is_empty() {
        return Ok(Vec::new());
    }
    let need = if terms.len() >= 3 { 2 } else { 1 };
    let hits = found(app, text, &Filter::default(), category_title, limit).await?;
    Ok(hits
        .into_iter()
        .filter(|h| h.score.matched >= need)
        .collect())
}

/// [`suggest`] for an appeal of the category `category_id` (by its title).
pub async fn suggest_for(
    app: &App,
    text: &str,
    category_id: Option<i64>,
    limit: i64,
) -> Result<Vec<Hit>, AppError> {
    let category = match category_id {
        Some(id) => abonent_storage::appeals::reference::categories(&app.db)
            .await?
            .into_iter()
            .find(|c| c.id == id)
            .map(|c| c.title),
        None => None,
    };
    suggest(app, text, category.as_deref(), limit).await
}

/// Creates an article; nothing is saved unless every field is right.
pub async fn create(app: &App, d: &ArticleDraft, actor: &Actor) -> Result<i64, AppError> {
    let d = check(d).map_err(AppError::Invalid)?;
    Ok(articles::create(&app.db, &d, actor).await?)
}

/// Adds a version (the earlier ones stay). Returns its number.
pub async fn new_version(
    app: &App,
    id: i64,
    d: &ArticleDraft,
    actor: &Actor,
) -> Result<i64, AppError> {
    let d = check(d).map_err(AppError::Invalid)?;
    Ok(articles::add_version(&app.db, id, &d, actor).await?)
}

/// Confirms reading the current version of a legal-news article. Returns the version.
pub async fn confirm_read(app: &App, id: i64, actor: &Actor) -> Result<i64, AppError> {
    if actor.user_id.is_none() {
        return Err(AppError::Invalid(ValidationErrors::single(
            "user",
            words::NEEDS_PERSON,
        )));
    }
    Ok(articles::confirm_read(&app.db, id, actor).await?)
}

/// One legal-news article and who has not confirmed reading its current version.
#[derive(Debug, Clone, Serialize)]
pub struct UnreadLine {
    pub id: i64,
    pub version: i64,
    pub title: String,
    pub legal_news_on: Option<NaiveDate>,
    pub unread: Vec<Unread>,
}

/// For every legal-news article (the latest effective first), who has not confirmed.
pub async fn unread_report(app: &App, limit: i64) -> Result<Vec<UnreadLine>, AppError> {
    let feed = articles::feed(&app.db, None, limit).await?;
    let mut out = Vec::with_capacity(feed.len());
    for f in feed {
        let a = f.article;
        out.push(UnreadLine {
            unread: articles::unread(&app.db, a.id).await?,
            id: a.id,
            version: a.version,
            title: a.draft.title,
            legal_news_on: a.draft.legal_news_on,
        });
    }
    Ok(out)
}
