//! Consultations (issue 20 §6): a caller's question answered by a specialist is registered as
//! an appeal of kind consultation (its number; the topic is its category, the question its
//! substance) with what was answered, whether a written answer was promised and which
//! knowledge-base articles the answer used. Answered on the spot, it is closed at once with
//! the answer; with a written answer promised it stays open with its deadline.

use abonent_domain::Role;
use serde::Serialize;
use sqlx::Row;

use crate::appeals::insert::{write_in, Prepared};
use crate::history::{self, Actor, Change};
use crate::{Db, Result, StoreError};

/// What a consultation adds to its appeal.
#[derive(Debug, Clone, Default)]
pub struct NewConsultation {
    pub answer: String,
    pub written_promised: bool,
    /// Knowledge-base article ids.
    pub articles: Vec<i64>,
}

/// A recorded consultation with its appeal's number, topic and status.
#[derive(Debug, Clone, Serialize)]
pub struct Consultation {
    pub appeal_id: i64,
    pub number: String,
    pub status: String,
    pub category_id: Option<i64>,
    /// The topic: the appeal's category.
    pub topic: Option<String>,
    pub question: String,
    pub answer: String,
    pub written_promised: bool,
    pub articles: Vec<i64>,
    pub account_id: Option<i64>,
    /// UTC, RFC 3339.
    pub created_at: String,
    pub deadline_at: Option<String>,
}

const COLS: &str =
    "x.appeal_id, a.number, a.status, a.category_id, c.title, a.substance, x.answer, \
    x.written_promised, x.articles, a.account_id, x.created_at, a.deadline_at";
const FROM: &str = "consultations x JOIN appeals a ON a.id = x.appeal_id \
    LEFT JOIN appeal_categories c ON c.id = a.category_id";

fn row(r: &sqlx::any::AnyRow) -> Consultation {
    let articles: String = r.get(8);
    Consultation {
        appeal_id: r.get(0),
        number: r.get(1),
        status: r.get(2),
        category_id: r.get(3),
        topic: r.get(4),
        question: r.get(5),
        answer: r.get(6),
        written_promised: r.get::<i64, _>(7) != 0,
        articles: serde_json::from_str(&articles).unwrap_or_default(),
        account_id: r.get(9),
        created_at: r.get(10),
        deadline_at: r.get(11),
    }
}

/// Writes the appeal `appeal` (kind consultation) and its consultation in one transaction;
/// answered on the spot, it is closed with the answer in the same transaction. Returns the
/// appeal's id and number.
pub async fn record(
    db: &Db,
    appeal: &Prepared,
    c: &NewConsultation,
    role: Role,
    actor: &Actor,
) -> Result<(i64, String)> {
    let ctx = crate::appeals::Context::load(db).await?;
    let articles =
        serde_json::to_string(&c.articles).map_err(|e| StoreError::Other(e.to_string()))?;
    let now = db.now_text();
    let mut tx = db.write().begin().await?;
    let (id, number) = write_in(&mut tx, db.backend(), &[appeal])
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| StoreError::Other("appeal not written".into()))?;
    sqlx::query(
        "INSERT INTO consultations (appeal_id, answer, written_promised, articles, created_by, \
         created_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id)
    .bind(c.answer.trim())
    .bind(i64::from(c.written_promised))
    .bind(&articles)
    .bind(actor.user_id)
    .bind(&now)
    .execute(&mut *tx)
    .await?;
    history::record(
        &mut tx,
        &now,
        actor,
        Change {
            entity: "appeal",
            entity_id: id,
            parent: None,
            action: "consultation",
            before: None,
            after: Some(serde_json::json!({
                "answer": c.answer.trim(), "written_promised": c.written_promised,
                "articles": c.articles,
            })),
            note: None,
        },
    )
    .await?;
    if !c.written_promised {
        crate::appeals::answered_in(&mut tx, db, id, c.answer.trim(), role, actor, ctx).await?;
    }
    tx.commit().await?;
    Ok((id, number))
}

/// The consultation recorded with appeal `appeal_id`, if it is one.
pub async fn get(db: &Db, appeal_id: i64) -> Result<Option<Consultation>> {
    let r = sqlx::query(&format!("SELECT {COLS} FROM {FROM} WHERE x.appeal_id = $1"))
        .bind(appeal_id)
        .fetch_optional(db.read())
        .await?;
    Ok(r.as_ref().map(row))
}

/// The newest `limit` consultations, of one account when given.
pub async fn list(db: &Db, account_id: Option<i64>, limit: i64) -> Result<Vec<Consultation>> {
    let rows = match account_id {
        Some(a) => {
            sqlx::query(&format!(
                "SELECT {COLS} FROM {FROM} WHERE a.account_id = $1 \
                 ORDER BY x.appeal_id DESC LIMIT $2"
            ))
            .bind(a)
            .bind(limit)
            .fetch_all(db.read())
            .await?
        }
        None => {
            sqlx::query(&format!(
                "SELECT {COLS} FROM {FROM} ORDER BY x.appeal_id DESC LIMIT $1"
            ))
            .bind(limit)
            .fetch_all(db.read())
            .await?
        }
    };
    Ok(rows.iter().map(row).collect())
}
