//! Photos and scans attached to an appeal, kept in the database (`appeal_files.content`) so
//! that every instance serves them. Size and types are settings (`appeals.file_max_mb`,
//! `appeals.file_types`); the type is read from the content. The upload is written to the
//! appeal's history.

use abonent_domain::appeal::file::{check_file, parse_types};
use abonent_domain::appeal::words;
use serde::Serialize;
use sqlx::Row;

use crate::history::{self, Actor, Change};
use crate::{settings, Db, Result, StoreError};

/// An attachment without its content.
#[derive(Debug, Clone, Serialize)]
pub struct AppealFile {
    pub id: i64,
    pub appeal_id: i64,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub uploaded_at: String,
}

/// The limits in force: bytes and allowed type codes.
pub async fn limits(db: &Db) -> Result<(usize, Vec<String>)> {
    let mb: f64 = settings::get(db, "appeals.file_max_mb")
        .await?
        .trim()
        .replace(',', ".")
        .parse()
        .ok()
        .filter(|v: &f64| *v > 0.0)
        .unwrap_or(10.0);
    let mut types = parse_types(&settings::get(db, "appeals.file_types").await?);
    if types.is_empty() {
        types = parse_types("jpeg, png, pdf, heic");
    }
    Ok(((mb * 1024.0 * 1024.0) as usize, types))
}

pub async fn add(
    db: &Db,
    appeal_id: i64,
    file_name: &str,
    content: &[u8],
    actor: &Actor,
) -> Result<i64> {
    let (max, types) = limits(db).await?;
    let (name, mime) = check_file(file_name, content, max, &types)?;
    let mut tx = db.write().begin().await?;
    if sqlx::query("SELECT 1 FROM appeals WHERE id = $1")
        .bind(appeal_id)
        .fetch_optional(&mut *tx)
        .await?
        .is_none()
    {
        return Err(StoreError::NotFound(words::noun::appeal(appeal_id)));
    }
    let id: i64 = sqlx::query(
        "INSERT INTO appeal_files (appeal_id, file_name, content_type, size, content, uploaded_by, \
         uploaded_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(appeal_id)
    .bind(&name)
    .bind(mime)
    .bind(content.len() as i64)
    .bind(content.to_vec())
    .bind(actor.user_id)
    .bind(db.now_text())
    .fetch_one(&mut *tx)
    .await?
    .get(0);
    history::record(
        &mut tx,
        &db.now_text(),
        actor,
        Change {
            entity: "appeal",
            entity_id: appeal_id,
            parent: None,
            action: "file",
            before: None,
            after: Some(serde_json::json!({
                "file_id": id, "file_name": name, "content_type": mime, "size": content.len(),
            })),
            note: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn of_appeal(db: &Db, appeal_id: i64) -> Result<Vec<AppealFile>> {
    Ok(sqlx::query(
        "SELECT id, appeal_id, file_name, content_type, size, uploaded_at FROM appeal_files \
         WHERE appeal_id = $1 ORDER BY id",
    )
    .bind(appeal_id)
    .fetch_all(db.read())
    .await?
    .iter()
    .map(|r| AppealFile {
        id: r.get(0),
        appeal_id: r.get(1),
        file_name: r.get(2),
        content_type: r.get(3),
        size: r.get(4),
        uploaded_at: r.get(5),
    })
    .collect())
}

/// One attachment of this appeal with its content (another appeal's id is not found).
pub async fn get(db: &Db, appeal_id: i64, file_id: i64) -> Result<(AppealFile, Vec<u8>)> {
    let r = sqlx::query(
        "SELECT id, appeal_id, file_name, content_type, size, uploaded_at, content \
         FROM appeal_files WHERE id = $1 AND appeal_id = $2",
    )
    .bind(file_id)
    .bind(appeal_id)
    .fetch_optional(db.read())
    .await?
    .ok_or_else(|| StoreError::NotFound(words::noun::attachment(file_id)))?;
    Ok((
        AppealFile {
            id: r.get(0),
            appeal_id: r.get(1),
            file_name: r.get(2),
            content_type: r.get(3),
            size: r.get(4),
            uploaded_at: r.get(5),
        },
        r.get(6),
    ))
}
