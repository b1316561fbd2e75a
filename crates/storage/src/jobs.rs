//! Long-running work (imports): status and progress in the database, so that any instance
//! can show the progress bar of a job another instance runs.

use serde::Serialize;
use sqlx::Row;

use crate::{Db, Result, StoreError};

#[derive(Debug, Clone, Serialize)]
pub struct Job {
    pub id: i64,
    pub kind: String,
    /// `running`, `done` or `failed`.
    pub status: String,
    pub done: i64,
    pub total: i64,
    pub message: Option<String>,
    pub result: Option<serde_json::Value>,
}

impl Job {
    pub fn percent(&self) -> i64 {
        if self.total <= 0 {
            0
        } else {
            (self.done * 100 / self.total).clamp(0, 100)
        }
    }
}

pub async fn start(db: &Db, kind: &str, total: i64, user_id: Option<i64>) -> Result<i64> {
    let now = db.now_text();
    let row = sqlx::query(
        "INSERT INTO jobs (kind, status, done, total, created_by, created_at, updated_at) VALUES ($1, 'running', 0, $2, $3, $4, $4) RETURNING id",
    )
    .bind(kind)
    .bind(total)
    .bind(user_id)
    .bind(&now)
    .fetch_one(db.write())
    .await?;
    Ok(row.get(0))
}

/// Record progress if a write connection is free at once; answers whether it was written.
/// Progress is a hint not worth waiting for: on SQLite the one writer is usually busy with
/// the job itself, and the instance running it keeps the figure in memory meanwhile.
pub async fn progress(db: &Db, id: i64, done: i64) -> Result<bool> {
    let Some(mut conn) = db.write().try_acquire() else {
        return Ok(false);
    };
    sqlx::query("UPDATE jobs SET done = $1, updated_at = $2 WHERE id = $3")
        .bind(done)
        .bind(db.now_text())
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(true)
}

pub async fn finish(
    db: &Db,
    id: i64,
    ok: bool,
    message: &str,
    result: Option<serde_json::Value>,
) -> Result<()> {
    sqlx::query(
        "UPDATE jobs SET status = $1, message = $2, result_json = $3, done = CASE WHEN $1 = 'done' THEN total ELSE done END, updated_at = $4 WHERE id = $5",
    )
    .bind(if ok { "done" } else { "failed" })
    .bind(message)
    .bind(result.map(|v| v.to_string()))
    .bind(db.now_text())
    .bind(id)
    .execute(db.write())
    .await?;
    Ok(())
}

pub async fn get(db: &Db, id: i64) -> Result<Job> {
    let r = sqlx::query(
        "SELECT id, kind, status, done, total, message, result_json FROM jobs WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(db.read())
    .await?
    .ok_or_else(|| StoreError::from(abonent_domain::missing::Missing::Job))?;
    Ok(Job {
        id: r.get(0),
        kind: r.get(1),
        status: r.get(2),
        done: r.get(3),
        total: r.get(4),
        message: r.get(5),
        result: r
            .get::<Option<String>, _>(6)
            .and_then(|s| serde_json::from_str(&s).ok()),
    })
}
