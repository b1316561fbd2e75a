//! The knowledge base (issue 20 §4): articles kept as versions (every edit a new row in
//! article_versions, nothing changed in place), their search index of the current version,
//! and confirmations of reading legal-news articles. Ranking and weights are the domain's
//! (`abonent_domain::knowledge::search`); here the same sums are computed in SQL to pick the
//! best candidates without reading every article.

use abonent_domain::knowledge::search::{index_terms, Score};
use abonent_domain::knowledge::{words, ArticleDraft, Audience, LegalReference};
use abonent_domain::{Permission, Role};
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::history::{self, Actor, Change};
use crate::{time, Db, Result, StoreError};

/// The current version of an article.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleRecord {
    pub id: i64,
    pub version: i64,
    #[serde(flatten)]
    pub draft: ArticleDraft,
    /// Who wrote this version, and when (UTC, RFC 3339).
    pub author_name: String,
    pub updated_at: String,
    pub created_by_name: String,
    pub created_at: String,
}

/// One version in an article's history.
#[derive(Debug, Clone, Serialize)]
pub struct VersionRecord {
    pub version: i64,
    #[serde(flatten)]
    pub draft: ArticleDraft,
    pub author_name: String,
    pub created_at: String,
}

/// A candidate found by search, with its current text for the fragment.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub record: ArticleRecord,
    pub score: Score,
}

/// What a list or a search is limited to.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Only articles of this category (exact, as stored).
    pub category: Option<String>,
    /// Only articles that may be given to residents.
    pub residents_only: bool,
    /// Only «новое в законодательстве».
    pub legal_news: bool,
}

const COLS: &str = "a.id, a.version, a.created_by_name, a.created_at, v.title, v.body, \
    v.category, v.audience, v.legal_refs, v.legal_news_on, v.author_name, v.created_at AS updated_at";
const FROM: &str =
    "articles a JOIN article_versions v ON v.article_id = a.id AND v.version = a.version";

fn draft_of(r: &AnyRow) -> Result<ArticleDraft> {
    let refs: Vec<LegalReference> = serde_json::from_str(&r.get::<String, _>("legal_refs"))
        .map_err(|e| StoreError::Other(e.to_string()))?;
    let audience: String = r.get("audience");
    Ok(ArticleDraft {
        title: r.get("title"),
        body: r.get("body"),
        category: r.get("category"),
        audience: Audience::from_code(&audience)
            .ok_or_else(|| StoreError::Other(format!("unknown audience {audience}")))?,
        references: refs,
        legal_news_on: time::opt_date(r.get("legal_news_on")),
    })
}

fn from_row(r: &AnyRow) -> Result<ArticleRecord> {
    Ok(ArticleRecord {
        id: r.get("id"),
        version: r.get("version"),
        draft: draft_of(r)?,
        author_name: r.get("author_name"),
        updated_at: r.get("updated_at"),
        created_by_name: r.get("created_by_name"),
        created_at: r.get("created_at"),
    })
}

fn snapshot(d: &ArticleDraft, version: i64) -> serde_json::Value {
    serde_json::json!({
        "version": version, "title": d.title, "category": d.category,
        "audience": d.audience.code(), "references": d.references,
        "legal_news_on": d.legal_news_on, "body_chars": d.body.chars().count(),
    })
}

/// The history entry of a change to article `id`.
async fn record(
    conn: &mut AnyConnection,
    now: &str,
    actor: &Actor,
    id: i64,
    action: &str,
    before: Option<serde_json::Value>,
    after: serde_json::Value,
) -> Result<()> {
    let change = Change {
        entity: "article",
        entity_id: id,
        parent: None,
        action,
        before,
        after: Some(after),
        note: None,
    };
    history::record(conn, now, actor, change).await
}

/// Writes version `version` of article `id` and rebuilds its search index.
async fn write_version(
    conn: &mut AnyConnection,
    id: i64,
    version: i64,
    d: &ArticleDraft,
    actor: &Actor,
    now: &str,
) -> Result<()> {
    let refs =
        serde_json::to_string(&d.references).map_err(|e| StoreError::Other(e.to_string()))?;
    sqlx::query(
        "INSERT INTO article_versions (article_id, version, title, body, category, audience, \
         legal_refs, legal_news_on, author_id, author_name, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(id)
    .bind(version)
    .bind(&d.title)
    .bind(&d.body)
    .bind(&d.category)
    .bind(d.audience.code())
    .bind(&refs)
    .bind(d.legal_news_on.map(time::date_text))
    .bind(actor.user_id)
    .bind(&actor.name)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    // The index is of the current version only: it is derived data, rebuilt, not history.
    sqlx::query("DELETE FROM article_terms WHERE article_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    let terms = index_terms(&d.title, &d.category, &d.body);
    for chunk in terms.chunks(300) {
        let mut sql = String::from("INSERT INTO article_terms (term, article_id, weight) VALUES ");
        for i in 0..chunk.len() {
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&format!("(${}, ${}, ${})", i * 3 + 1, i * 3 + 2, i * 3 + 3));
        }
        let mut q = sqlx::query(&sql);
        for (t, w) in chunk {
            q = q.bind(t).bind(id).bind(*w);
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// Creates an article with its first version (checked by the domain). Returns its id.
pub async fn create(db: &Db, d: &ArticleDraft, actor: &Actor) -> Result<i64> {
    let mut tx = db.write().begin().await?;
    let now = db.now_text();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO articles (version, title, category, audience, legal_news_on, \
         created_by_name, created_at, updated_at) VALUES (1, $1, $2, $3, $4, $5, $6, $6) RETURNING id",
    )
    .bind(&d.title)
    .bind(&d.category)
    .bind(d.audience.code())
    .bind(d.legal_news_on.map(time::date_text))
    .bind(&actor.name)
    .bind(&now)
    .fetch_one(&mut *tx)
    .await?;
    write_version(&mut tx, id, 1, d, actor, &now).await?;
    record(&mut tx, &now, actor, id, "create", None, snapshot(d, 1)).await?;
    tx.commit().await?;
    Ok(id)
}

/// Adds a new version of article `id`; the earlier versions stay. Returns the version number.
pub async fn add_version(db: &Db, id: i64, d: &ArticleDraft, actor: &Actor) -> Result<i64> {
    let mut tx = db.write().begin().await?;
    let now = db.now_text();
    // Taking the row first (an update of itself) serialises two editors on PostgreSQL.
    let moved = sqlx::query("UPDATE articles SET version = version + 1 WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if moved == 0 {
        return Err(StoreError::NotFound(words::NOUN.into()));
    }
    let version: i64 = sqlx::query_scalar("SELECT version FROM articles WHERE id = $1")
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
    let before = sqlx::query(
        "SELECT v.title, v.body, v.category, v.audience, v.legal_refs, v.legal_news_on \
         FROM article_versions v WHERE v.article_id = $1 AND v.version = $2",
    )
    .bind(id)
    .bind(version - 1)
    .fetch_one(&mut *tx)
    .await?;
    let before = draft_of(&before)?;
    sqlx::query(
        "UPDATE articles SET title = $1, category = $2, audience = $3, legal_news_on = $4, \
         updated_at = $5 WHERE id = $6",
    )
    .bind(&d.title)
    .bind(&d.category)
    .bind(d.audience.code())
    .bind(d.legal_news_on.map(time::date_text))
    .bind(&now)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    write_version(&mut tx, id, version, d, actor, &now).await?;
    let before = snapshot(&before, version - 1);
    record(
        &mut tx,
        &now,
        actor,
        id,
        "version",
        Some(before),
        snapshot(d, version),
    )
    .await?;
    tx.commit().await?;
    Ok(version)
}

pub async fn get(db: &Db, id: i64) -> Result<ArticleRecord> {
    let r = sqlx::query(&format!("SELECT {COLS} FROM {FROM} WHERE a.id = $1"))
        .bind(id)
        .fetch_optional(db.read())
        .await?
        .ok_or_else(|| StoreError::NotFound(words::NOUN.into()))?;
    from_row(&r)
}

/// Every version of an article, newest first.
pub async fn versions(db: &Db, id: i64) -> Result<Vec<VersionRecord>> {
    let rows = sqlx::query(
        "SELECT version, title, body, category, audience, legal_refs, legal_news_on, \
         author_name, created_at FROM article_versions WHERE article_id = $1 ORDER BY version DESC",
    )
    .bind(id)
    .fetch_all(db.read())
    .await?;
    if rows.is_empty() {
        return Err(StoreError::NotFound(words::NOUN.into()));
    }
    rows.iter()
        .map(|r| {
            Ok(VersionRecord {
                version: r.get("version"),
                draft: draft_of(r)?,
                author_name: r.get("author_name"),
                created_at: r.get("created_at"),
            })
        })
        .collect()
}

/// The filter as SQL conditions on `a`, with their parameters numbered from `first`.
fn conditions(f: &Filter, first: usize) -> (Vec<String>, Vec<String>) {
    let mut sql = Vec::new();
    let mut params = Vec::new();
    if let Some(c) = &f.category {
        params.push(c.clone());
        sql.push(format!("a.category = ${}", first + params.len() - 1));
    }
    if f.residents_only {
        params.push(Audience::Residents.code().to_string());
        sql.push(format!("a.audience = ${}", first + params.len() - 1));
    }
    if f.legal_news {
        sql.push("a.legal_news_on IS NOT NULL".to_string());
    }
    (sql, params)
}

/// Articles by the filter, the latest changed first.
pub async fn list(db: &Db, f: &Filter, limit: i64) -> Result<Vec<ArticleRecord>> {
    let (cond, params) = conditions(f, 1);
    let wh = if cond.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", cond.join(" AND "))
    };
    let sql = format!(
        "SELECT {COLS} FROM {FROM} {wh} ORDER BY a.updated_at DESC, a.id DESC LIMIT {limit}"
    );
    let mut q = sqlx::query(&sql);
    for p in &params {
        q = q.bind(p);
    }
    let rows = q.fetch_all(db.read()).await?;
    rows.iter().map(from_row).collect()
}

/// The best `limit` articles having any of `terms` (query stems from the domain), with
/// their scores; `bonus_category` counts as one more matched term (suggestions for an
/// appeal of that category). The ranking and the limit are applied to the index alone, so
/// only the `limit` articles found are read whole.
pub async fn search(
    db: &Db,
    terms: &[String],
    f: &Filter,
    bonus_category: Option<&str>,
    limit: i64,
) -> Result<Vec<Candidate>> {
    if terms.is_empty() {
        return Ok(Vec::new());
    }
    let marks: Vec<String> = (1..=terms.len()).map(|i| format!("${i}")).collect();
    let (cond, params) = conditions(f, terms.len() + 1);
    let bonus_mark = terms.len() + params.len() + 1;
    let bonus = match bonus_category {
        Some(_) => format!("MAX(CASE WHEN a.category = ${bonus_mark} THEN 1 ELSE 0 END)"),
        None => "0".to_string(),
    };
    // The articles table is joined only when a filter or the bonus needs it.
    let join = if cond.is_empty() && bonus_category.is_none() {
        ""
    } else {
        "JOIN articles a ON a.id = t.article_id"
    };
    let extra: String = cond.iter().map(|c| format!(" AND {c}")).collect();
    let sql = format!(
        "SELECT {COLS}, s.matched AS matched, s.weight AS weight FROM \
         (SELECT t.article_id, COUNT(*) + {bonus} AS matched, CAST(SUM(t.weight) AS BIGINT) AS weight \
          FROM article_terms t {join} WHERE t.term IN ({}){extra} GROUP BY t.article_id \
          ORDER BY matched DESC, weight DESC, t.article_id DESC LIMIT {limit}) s \
         JOIN articles a ON a.id = s.article_id \
         JOIN article_versions v ON v.article_id = a.id AND v.version = a.version \
         ORDER BY s.matched DESC, s.weight DESC, a.id DESC",
        marks.join(", ")
    );
    let mut q = sqlx::query(&sql);
    for t in terms {
        q = q.bind(t);
    }
    for p in &params {
        q = q.bind(p);
    }
    if let Some(c) = bonus_category {
        q = q.bind(c);
    }
    let rows = q.fetch_all(db.read()).await?;
    rows.iter()
        .map(|r| {
            Ok(Candidate {
                record: from_row(r)?,
                score: Score {
                    matched: r.get::<i64, _>("matched"),
                    weight: r.get::<i64, _>("weight"),
                },
            })
        })
        .collect()
}

/// A legal-news article in a person's feed, with when they confirmed its current version.
#[derive(Debug, Clone, Serialize)]
pub struct FeedItem {
    pub article: ArticleRecord,
    pub confirmed_at: Option<String>,
}

/// The «новое в законодательстве» articles, the latest effective date first.
pub async fn feed(db: &Db, user_id: Option<i64>, limit: i64) -> Result<Vec<FeedItem>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLS}, r.read_at FROM {FROM} LEFT JOIN article_reads r ON r.article_id = a.id \
         AND r.version = a.version AND r.user_id = $1 WHERE a.legal_news_on IS NOT NULL \
         ORDER BY a.legal_news_on DESC, a.id DESC LIMIT {limit}"
    ))
    .bind(user_id.unwrap_or(-1))
    .fetch_all(db.read())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(FeedItem {
                article: from_row(r)?,
                confirmed_at: r.get("read_at"),
            })
        })
        .collect()
}

/// Records that `actor` has read the current version of article `id`. Confirming twice
/// keeps the first time. Returns the version confirmed.
pub async fn confirm_read(db: &Db, id: i64, actor: &Actor) -> Result<i64> {
    let user_id = actor
        .user_id
        .ok_or_else(|| StoreError::Other("a confirmation needs a user".into()))?;
    let mut tx = db.write().begin().await?;
    let row = sqlx::query("SELECT version, legal_news_on FROM articles WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| StoreError::NotFound(words::NOUN.into()))?;
    let version: i64 = row.get(0);
    if row.get::<Option<String>, _>(1).is_none() {
        return Err(StoreError::invalid("id", words::NOT_NEWS));
    }
    sqlx::query(
        "INSERT INTO article_reads (article_id, version, user_id, user_name, read_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
    )
    .bind(id)
    .bind(version)
    .bind(user_id)
    .bind(&actor.name)
    .bind(db.now_text())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(version)
}

/// Who confirmed reading: one row per version and person.
#[derive(Debug, Clone, Serialize)]
pub struct ReadRecord {
    pub version: i64,
    pub user_id: i64,
    pub user_name: String,
    pub read_at: String,
}

pub async fn reads(db: &Db, id: i64) -> Result<Vec<ReadRecord>> {
    let rows = sqlx::query(
        "SELECT version, user_id, user_name, read_at FROM article_reads WHERE article_id = $1 \
         ORDER BY version DESC, read_at",
    )
    .bind(id)
    .fetch_all(db.read())
    .await?;
    Ok(rows
        .iter()
        .map(|r| ReadRecord {
            version: r.get(0),
            user_id: r.get(1),
            user_name: r.get(2),
            read_at: r.get(3),
        })
        .collect())
}

/// A staff member who has not confirmed reading.
#[derive(Debug, Clone, Serialize)]
pub struct Unread {
    pub user_id: i64,
    pub full_name: String,
    pub role: String,
}

/// Active staff whose role confirms reading and who have not confirmed the current version
/// of article `id`, by name.
pub async fn unread(db: &Db, id: i64) -> Result<Vec<Unread>> {
    let roles: Vec<&str> = Role::ALL
        .into_iter()
        .filter(|r| r.can(Permission::ConfirmKnowledge))
        .map(Role::code)
        .collect();
    let marks: Vec<String> = (2..roles.len() + 2).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT u.id, u.full_name, u.role FROM users u WHERE u.active = 1 AND u.role IN ({}) \
         AND NOT EXISTS (SELECT 1 FROM article_reads r JOIN articles a ON a.id = r.article_id \
         AND a.version = r.version WHERE r.article_id = $1 AND r.user_id = u.id) \
         ORDER BY u.full_name, u.id",
        marks.join(", ")
    );
    let mut q = sqlx::query(&sql).bind(id);
    for r in &roles {
        q = q.bind(*r);
    }
    let rows = q.fetch_all(db.read()).await?;
    Ok(rows
        .iter()
        .map(|r| Unread {
            user_id: r.get(0),
            full_name: r.get(1),
            role: r.get(2),
        })
        .collect())
}

/// The categories articles are filed under, in order.
pub async fn categories(db: &Db) -> Result<Vec<String>> {
    Ok(
        sqlx::query_scalar("SELECT DISTINCT category FROM articles ORDER BY category")
            .fetch_all(db.read())
            .await?,
    )
}
