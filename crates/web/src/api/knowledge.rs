//! `/api/v1/articles`: the knowledge base (issue 20 §4) — search with the matched words
//! marked, an article with its versions, create, a new version (the earlier ones stay),
//! confirm reading a legal-news article, who has not confirmed, suggestions for a text.

use abonent_app::knowledge::{self as kb, Hit};
use abonent_domain::knowledge::search::{Piece, Score};
use abonent_domain::knowledge::{ArticleDraft, Audience, LegalReference};
use abonent_storage::articles::{self, ArticleRecord, Filter};
use axum::body::Bytes;
use axum::extract::State;
use axum::response::Response;
use axum::{Extension, Json};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::{body, created, ApiResult};
use crate::auth::Principal;
use crate::extract::{Path, Query};
use crate::{ApiError, AppError, AppState};

/// An article found, with the matched words marked (`matched: true` pieces).
#[derive(Serialize, ToSchema)]
pub struct ArticleHit {
    pub id: i64,
    pub version: i64,
    pub title: String,
    pub title_pieces: Vec<Piece>,
    /// A fragment of the text around the matched words.
    pub fragment: Vec<Piece>,
    pub category: String,
    pub audience: Audience,
    /// «Новое в законодательстве» from this day.
    pub legal_news_on: Option<String>,
    /// UTC, RFC 3339.
    pub updated_at: String,
    /// Distinct query words matched and their weight (a title word counts 3, a text word 1).
    pub score: Score,
}

fn hit_out(h: Hit) -> ArticleHit {
    ArticleHit {
        id: h.id,
        version: h.version,
        title: h.title,
        title_pieces: h.title_pieces,
        fragment: h.fragment,
        category: h.category,
        audience: h.audience,
        legal_news_on: h.legal_news_on.map(|d| d.to_string()),
        updated_at: h.updated_at,
        score: h.score,
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ArticleParams {
    /// Words to find, in any form («перерасчёта» finds «перерасчёт»); empty: the latest changed.
    pub q: Option<String>,
    pub category: Option<String>,
    /// Only articles that may be given to residents.
    pub residents_only: Option<bool>,
    /// Only «новое в законодательстве».
    pub legal_news: Option<bool>,
    /// 1–200, 50 by default.
    pub limit: Option<i64>,
}

/// Articles by relevance to `q` (the words matched, a title word above a text word).
#[utoipa::path(get, path = "/api/v1/articles", summary = "Поиск по базе знаний", tag = "База знаний", params(ArticleParams), responses((status = 200, body = Vec<ArticleHit>)))]
pub async fn list(
    State(s): State<AppState>,
    Query(q): Query<ArticleParams>,
) -> ApiResult<Vec<ArticleHit>> {
    let filter = Filter {
        category: q.category.filter(|c| !c.trim().is_empty()),
        residents_only: q.residents_only.unwrap_or(false),
        legal_news: q.legal_news.unwrap_or(false),
    };
    let limit = q.limit.unwrap_or(50).clamp(1, 200);
    let hits = kb::search(&s, q.q.as_deref().unwrap_or(""), &filter, limit).await?;
    Ok(Json(hits.into_iter().map(hit_out).collect()))
}

/// A version in the history.
#[derive(Serialize, ToSchema)]
pub struct VersionOut {
    pub version: i64,
    pub title: String,
    pub body: String,
    pub category: String,
    pub audience: Audience,
    pub references: Vec<LegalReference>,
    pub legal_news_on: Option<String>,
    pub author_name: String,
    /// UTC, RFC 3339.
    pub created_at: String,
}

/// A confirmation of reading.
#[derive(Serialize, ToSchema)]
pub struct ReadOut {
    pub version: i64,
    pub user_id: i64,
    pub user_name: String,
    pub read_at: String,
}

/// An article: its current version, every version newest first, and who confirmed reading.
#[derive(Serialize, ToSchema)]
pub struct ArticleOut {
    pub id: i64,
    pub version: i64,
    pub title: String,
    /// Markdown.
    pub body: String,
    pub category: String,
    pub audience: Audience,
    pub references: Vec<LegalReference>,
    pub legal_news_on: Option<String>,
    pub created_by_name: String,
    pub created_at: String,
    pub updated_at: String,
    pub versions: Vec<VersionOut>,
    pub reads: Vec<ReadOut>,
}

async fn article_out(s: &AppState, id: i64) -> Result<ArticleOut, AppError> {
    let a: ArticleRecord = articles::get(&s.db, id).await?;
    let versions = articles::versions(&s.db, id)
        .await?
        .into_iter()
        .map(|v| VersionOut {
            version: v.version,
            title: v.draft.title,
            body: v.draft.body,
            category: v.draft.category,
            audience: v.draft.audience,
            references: v.draft.references,
            legal_news_on: v.draft.legal_news_on.map(|d| d.to_string()),
            author_name: v.author_name,
            created_at: v.created_at,
        })
        .collect();
    let reads = articles::reads(&s.db, id)
        .await?
        .into_iter()
        .map(|r| ReadOut {
            version: r.version,
            user_id: r.user_id,
            user_name: r.user_name,
            read_at: r.read_at,
        })
        .collect();
    Ok(ArticleOut {
        id: a.id,
        version: a.version,
        title: a.draft.title,
        body: a.draft.body,
        category: a.draft.category,
        audience: a.draft.audience,
        references: a.draft.references,
        legal_news_on: a.draft.legal_news_on.map(|d| d.to_string()),
        created_by_name: a.created_by_name,
        created_at: a.created_at,
        updated_at: a.updated_at,
        versions,
        reads,
    })
}

#[utoipa::path(get, path = "/api/v1/articles/{id}", summary = "Статья базы знаний с версиями", tag = "База знаний", params(("id" = i64, Path)), responses((status = 200, body = ArticleOut), (status = 404)))]
pub async fn show(State(s): State<AppState>, Path(id): Path<i64>) -> ApiResult<ArticleOut> {
    Ok(Json(article_out(&s, id).await?))
}

/// Create an article (its version 1). Every field is checked first: an article without a
/// title is refused at `title` (422) and nothing is saved.
#[utoipa::path(post, path = "/api/v1/articles", summary = "Создать статью", tag = "База знаний", request_body = ArticleDraft, responses((status = 201, body = ArticleOut), (status = 422)))]
pub async fn create(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    b: Bytes,
) -> Result<Response, ApiError> {
    let d: ArticleDraft = body(&b)?;
    let id = kb::create(&s, &d, &p.actor()).await?;
    Ok(created(article_out(&s, id).await?))
}

/// Add a version: the whole article as it is to read now. The earlier versions stay.
#[utoipa::path(post, path = "/api/v1/articles/{id}/versions", summary = "Новая версия статьи", tag = "База знаний", params(("id" = i64, Path)), request_body = ArticleDraft, responses((status = 201, body = ArticleOut), (status = 404), (status = 422)))]
pub async fn new_version(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    b: Bytes,
) -> Result<Response, ApiError> {
    let d: ArticleDraft = body(&b)?;
    kb::new_version(&s, id, &d, &p.actor()).await?;
    Ok(created(article_out(&s, id).await?))
}

/// What confirming answers.
#[derive(Serialize, ToSchema)]
pub struct ConfirmedOut {
    pub id: i64,
    /// The version confirmed (the current one).
    pub version: i64,
}

/// Confirm having read the current version of a legal-news article (422 for other
/// articles). Confirming again keeps the first time.
#[utoipa::path(post, path = "/api/v1/articles/{id}/read", summary = "Подтвердить прочтение", tag = "База знаний", params(("id" = i64, Path)), responses((status = 200, body = ConfirmedOut), (status = 404), (status = 422)))]
pub async fn confirm(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> ApiResult<ConfirmedOut> {
    let version = kb::confirm_read(&s, id, &p.actor()).await?;
    Ok(Json(ConfirmedOut { id, version }))
}

#[derive(Serialize, ToSchema)]
pub struct UnreadPerson {
    pub user_id: i64,
    pub full_name: String,
    /// Role code.
    pub role: String,
}

/// One legal-news article and the staff who have not confirmed its current version.
#[derive(Serialize, ToSchema)]
pub struct UnreadOut {
    pub id: i64,
    pub version: i64,
    pub title: String,
    pub legal_news_on: Option<String>,
    pub unread: Vec<UnreadPerson>,
}

/// Every legal-news article (the latest effective first) with who has not confirmed
/// reading it: active staff of the roles that confirm.
#[utoipa::path(get, path = "/api/v1/articles/unread", summary = "Кто не подтвердил прочтение", tag = "База знаний", responses((status = 200, body = Vec<UnreadOut>)))]
pub async fn unread(State(s): State<AppState>) -> ApiResult<Vec<UnreadOut>> {
    let lines = kb::unread_report(&s, 200).await?;
    Ok(Json(
        lines
            .into_iter()
            .map(|l| UnreadOut {
                id: l.id,
                version: l.version,
                title: l.title,
                legal_news_on: l.legal_news_on.map(|d| d.to_string()),
                unread: l
                    .unread
                    .into_iter()
                    .map(|u| UnreadPerson {
                        user_id: u.user_id,
                        full_name: u.full_name,
                        role: u.role,
                    })
                    .collect(),
            })
            .collect(),
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SuggestParams {
    /// The text of the appeal or consultation.
    pub text: String,
    /// The appeal's category: articles filed under its title come first among equals.
    pub category_id: Option<i64>,
}

/// Articles to suggest for the text of an appeal being registered.
#[utoipa::path(get, path = "/api/v1/articles/suggest", summary = "Статьи для обращения", tag = "База знаний", params(SuggestParams), responses((status = 200, body = Vec<ArticleHit>)))]
pub async fn suggest(
    State(s): State<AppState>,
    Query(q): Query<SuggestParams>,
) -> ApiResult<Vec<ArticleHit>> {
    let hits = kb::suggest_for(&s, &q.text, q.category_id, 5).await?;
    Ok(Json(hits.into_iter().map(hit_out).collect()))
}
