//! Administrators' template overrides: the current source per kind and an append-only log
//! of every upload and revert. Checking a source (typesetting it) is the caller's job: this
//! crate does not know typst.

use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::history::{self, Actor, Change};
use crate::{Db, Result};

/// The override in force for a kind.
#[derive(Debug, Clone, Serialize)]
pub struct Override {
    pub kind: String,
    pub source: String,
    /// The log entry that installed it.
    pub version_id: i64,
    pub updated_at: String,
    pub updated_by_name: String,
}

/// One entry of the log.
#[derive(Debug, Clone, Serialize)]
pub struct Version {
    pub id: i64,
    pub kind: String,
    /// `upload` or `revert` (back to the shipped template).
    pub action: String,
    pub sha256: Option<String>,
    pub note: Option<String>,
    pub at: String,
    pub by_name: String,
}

/// The current override of `kind`, None = the shipped template is in force.
pub async fn current(db: &Db, kind: &str) -> Result<Option<Override>> {
    let row = sqlx::query(
        "SELECT kind, source, version_id, updated_at, updated_by_name FROM document_templates \
         WHERE kind = $1",
    )
    .bind(kind)
    .fetch_optional(db.read())
    .await?;
    Ok(row.map(|r| Override {
        kind: r.get(0),
        source: r.get(1),
        version_id: r.get(2),
        updated_at: r.get(3),
        updated_by_name: r.get(4),
    }))
}

/// The source stored with a log entry (None for a revert or an unknown id).
pub async fn version_source(db: &Db, id: i64) -> Result<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT source FROM document_template_versions WHERE id = $1")
            .bind(id)
            .fetch_optional(db.read())
            .await?
            .flatten(),
    )
}

/// The log of `kind`, newest first.
pub async fn versions(db: &Db, kind: &str) -> Result<Vec<Version>> {
    let rows = sqlx::query(
        "SELECT id, kind, action, sha256, note, at, by_name FROM document_template_versions \
         WHERE kind = $1 ORDER BY id DESC",
    )
    .bind(kind)
    .fetch_all(db.read())
    .await?;
    Ok(rows
        .iter()
        .map(|r| Version {
            id: r.get(0),
            kind: r.get(1),
            action: r.get(2),
            sha256: r.get(3),
            note: r.get(4),
            at: r.get(5),
            by_name: r.get(6),
        })
        .collect())
}

async fn log(
    conn: &mut sqlx::AnyConnection,
    now: &str,
    kind: &str,
    action: &str,
    source: Option<&str>,
    note: Option<&str>,
    actor: &Actor,
) -> Result<(i64, String)> {
    let sha = source.map(|s| hex::encode(Sha256::digest(s.as_bytes())));
    let id: i64 = sqlx::query(
        "INSERT INTO document_template_versions (kind, action, source, sha256, note, at, by_id, \
         by_name) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(kind)
    .bind(action)
    .bind(source)
    .bind(&sha)
    .bind(note)
    .bind(now)
    .bind(actor.user_id)
    .bind(&actor.name)
    .fetch_one(&mut *conn)
    .await?
    .get(0);
    history::record(
        conn,
        now,
        actor,
        Change {
            entity: "document_template",
            entity_id: id,
            parent: None,
            action,
            before: None,
            after: Some(serde_json::json!({ "kind": kind, "sha256": sha })),
            note,
        },
    )
    .await?;
    Ok((id, now.to_string()))
}

/// Installs an already checked source for `kind`. Returns the log entry id.
pub async fn save(
    db: &Db,
    kind: &str,
    source: &str,
    note: Option<&str>,
    actor: &Actor,
) -> Result<i64> {
    let mut tx = db.write().begin().await?;
    let (id, now) = log(
        &mut tx,
        &db.now_text(),
        kind,
        "upload",
        Some(source),
        note,
        actor,
    )
    .await?;
    sqlx::query("DELETE FROM document_templates WHERE kind = $1")
        .bind(kind)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO document_templates (kind, source, version_id, updated_at, updated_by_name) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(kind)
    .bind(source)
    .bind(id)
    .bind(&now)
    .bind(&actor.name)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Back to the shipped template (recorded in the log). False when none was overridden.
pub async fn revert(db: &Db, kind: &str, actor: &Actor) -> Result<bool> {
    let mut tx = db.write().begin().await?;
    let removed = sqlx::query("DELETE FROM document_templates WHERE kind = $1")
        .bind(kind)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if removed == 0 {
        return Ok(false);
    }
    log(&mut tx, &db.now_text(), kind, "revert", None, None, actor).await?;
    tx.commit().await?;
    Ok(true)
}
