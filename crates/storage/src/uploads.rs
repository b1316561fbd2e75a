//! Uploaded files kept in the database, so that the preview and the commit of an import may
//! be served by different instances — and only as long as that: each row says what it is for
//! and which job loaded it, and [`delete_expired`] removes the ones no longer needed, leaving
//! a history row for each. Scans of letters and files of appeals are not uploads: they live
//! with their letter or appeal (`letter_attachments`, `appeal_files`) for as long as it does.

use serde_json::json;
use sqlx::Row;

use crate::history::{self, Actor, Change};
use crate::{Db, Result, StoreError};

/// What a file was uploaded for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    RegistryImport,
    ChargesImport,
    PaymentsImport,
    TariffsImport,
}

impl Purpose {
    pub fn code(self) -> &'static str {
        match self {
            Purpose::RegistryImport => "registry_import",
            Purpose::ChargesImport => "charges_import",
            Purpose::PaymentsImport => "payments_import",
            Purpose::TariffsImport => "tariffs_import",
        }
    }
}

pub async fn save(
    db: &Db,
    purpose: Purpose,
    file_name: &str,
    content: &[u8],
    user_id: Option<i64>,
) -> Result<i64> {
    let row = sqlx::query(
        "INSERT INTO uploads (file_name, content, size_bytes, created_by, created_at, purpose) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(file_name)
    .bind(content.to_vec())
    .bind(content.len() as i64)
    .bind(user_id)
    .bind(db.now_text())
    .bind(purpose.code())
    .fetch_one(db.write())
    .await?;
    Ok(row.get(0))
}

pub async fn load(db: &Db, id: i64) -> Result<(String, Vec<u8>)> {
    let row = sqlx::query("SELECT file_name, content FROM uploads WHERE id = $1")
        .bind(id)
        .fetch_optional(db.read())
        .await?
        .ok_or_else(|| StoreError::from(abonent_domain::missing::Missing::Upload))?;
    Ok((row.get(0), row.get(1)))
}

/// The job that loads the file: from now on the file is kept for as long as that job's
/// outcome may be looked into, not as a file nobody loaded.
pub async fn attach_job(db: &Db, upload_id: i64, job_id: i64) -> Result<()> {
    sqlx::query("UPDATE uploads SET job_id = $1 WHERE id = $2")
        .bind(job_id)
        .bind(upload_id)
        .execute(db.write())
        .await?;
    Ok(())
}

/// The purpose of files stored before migration 0018: whether a job loaded them is not
/// known, so they are kept as long as loaded ones, counted from their upload.
const LEGACY: &str = "import";

/// When files stop being needed (instants as stored).
pub struct Cutoffs {
    /// A file whose job was last heard of before this (done, failed, or abandoned by a
    /// crashed instance).
    pub loaded_before: String,
    /// A file no job loaded (a dry run, a refused file, a preview nobody committed),
    /// uploaded before this.
    pub unused_before: String,
}

/// A file [`delete_expired`] removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deleted {
    pub id: i64,
    pub file_name: String,
    pub purpose: String,
    pub size_bytes: i64,
}

/// Deletes up to `limit` files past their cutoff, each with a history row (entity `upload`,
/// action `delete`, what the file was), in one transaction. Call again while it returns
/// `limit` files.
pub async fn delete_expired(
    db: &Db,
    cutoffs: &Cutoffs,
    actor: &Actor,
    limit: i64,
) -> Result<Vec<Deleted>> {
    let now = db.now_text();
    let mut tx = db.write().begin().await?;
    let rows = sqlx::query(
        "SELECT u.id, u.file_name, u.purpose, u.size_bytes, u.created_at, u.job_id \
         FROM uploads u LEFT JOIN jobs j ON j.id = u.job_id \
         WHERE (u.job_id IS NULL AND u.purpose <> $4 AND u.created_at < $1) \
            OR (u.job_id IS NULL AND u.purpose = $4 AND u.created_at < $2) \
            OR (j.id IS NOT NULL AND j.updated_at < $2) \
            OR (u.job_id IS NOT NULL AND j.id IS NULL AND u.created_at < $2) \
         ORDER BY u.id LIMIT $3",
    )
    .bind(&cutoffs.unused_before)
    .bind(&cutoffs.loaded_before)
    .bind(limit)
    .bind(LEGACY)
    .fetch_all(&mut *tx)
    .await?;
    let mut deleted = Vec::with_capacity(rows.len());
    for r in rows {
        let d = Deleted {
            id: r.get(0),
            file_name: r.get(1),
            purpose: r.get(2),
            size_bytes: r.get(3),
        };
        let created_at: String = r.get(4);
        let job_id: Option<i64> = r.get(5);
        sqlx::query("DELETE FROM uploads WHERE id = $1")
            .bind(d.id)
            .execute(&mut *tx)
            .await?;
        let before = json!({
            "file_name": d.file_name,
            "purpose": d.purpose,
            "size_bytes": d.size_bytes,
            "created_at": created_at,
            "job_id": job_id,
        });
        let change = Change {
            entity: "upload",
            entity_id: d.id,
            parent: job_id.map(|j| ("job", j)),
            action: "delete",
            before: Some(before),
            after: None,
            note: Some("retention"),
        };
        history::record(&mut tx, &now, actor, change).await?;
        deleted.push(d);
    }
    tx.commit().await?;
    Ok(deleted)
}

/// The purpose and job of an upload, or None once it is deleted (tests and support).
pub async fn info(db: &Db, id: i64) -> Result<Option<(String, Option<i64>)>> {
    let row = sqlx::query("SELECT purpose, job_id FROM uploads WHERE id = $1")
        .bind(id)
        .fetch_optional(db.read())
        .await?;
    Ok(row.map(|r| (r.get(0), r.get(1))))
}

/// A checked import file not loaded (yet): no job loaded it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaitingUpload {
    pub id: i64,
    pub file_name: String,
    pub purpose: String,
    pub created_at: String,
    pub created_by: Option<String>,
}

/// The files of `purposes` uploaded and checked but not loaded — of `user` when given, of
/// everyone otherwise — newest first (at most `limit`), and how many there are.
pub async fn waiting(
    db: &Db,
    purposes: &[Purpose],
    user: Option<i64>,
    limit: i64,
) -> Result<(i64, Vec<WaitingUpload>)> {
    let codes: Vec<String> = purposes.iter().map(|p| format!("'{}'", p.code())).collect();
    let mut cond = format!("u.job_id IS NULL AND u.purpose IN ({})", codes.join(", "));
    if user.is_some() {
        cond.push_str(" AND u.created_by = $1");
    }
    let count_sql = format!("SELECT COUNT(*) FROM uploads u WHERE {cond}");
    let list_sql = format!(
        "SELECT u.id, u.file_name, u.purpose, u.created_at, us.full_name FROM uploads u \
         LEFT JOIN users us ON us.id = u.created_by WHERE {cond} ORDER BY u.id DESC LIMIT {limit}"
    );
    let mut count = sqlx::query_scalar::<_, i64>(&count_sql);
    let mut list = sqlx::query(&list_sql);
    if let Some(u) = user {
        count = count.bind(u);
        list = list.bind(u);
    }
    let total = count.fetch_one(db.read()).await?;
    let rows = list
        .fetch_all(db.read())
        .await?
        .iter()
        .map(|r| WaitingUpload {
            id: r.get(0),
            file_name: r.get(1),
            purpose: r.get(2),
            created_at: r.get(3),
            created_by: r.get(4),
        })
        .collect();
    Ok((total, rows))
}
