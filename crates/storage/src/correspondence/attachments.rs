//! Scans attached to letters, kept in the database (every instance serves them). Removing
//! one only marks it, with a reason, so the evidence stays.

use abonent_domain::correspondence::{check_attachment, removal_reason, CorrespondenceRefusal};
use abonent_domain::missing::Missing;
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::any::AnyRow;
use sqlx::Row;

use super::Register;
use crate::history::{self, Actor, Change};
use crate::{Db, Result, StoreError};

#[derive(Debug, Clone, Serialize)]
pub struct Attachment {
    pub id: i64,
    pub register: Register,
    pub letter_id: i64,
    pub file_name: String,
    pub mime: String,
    pub size_bytes: i64,
    /// SHA-256 of the content, hex.
    pub sha256: String,
    pub created_at: String,
    pub removed_at: Option<String>,
    pub removed_reason: Option<String>,
}

const COLS: &str = "id, register, letter_id, file_name, mime, size_bytes, sha256, created_at, \
    removed_at, removed_reason";

fn from_row(r: &AnyRow) -> Attachment {
    Attachment {
        id: r.get("id"),
        register: Register::from_code(&r.get::<String, _>("register"))
            .unwrap_or(Register::Incoming),
        letter_id: r.get("letter_id"),
        file_name: r.get("file_name"),
        mime: r.get("mime"),
        size_bytes: r.get("size_bytes"),
        sha256: r.get("sha256"),
        created_at: r.get("created_at"),
        removed_at: r.get("removed_at"),
        removed_reason: r.get("removed_reason"),
    }
}

/// Attaches a scan after checking its type and size; history goes to the letter's card.
pub async fn add(
    db: &Db,
    register: Register,
    letter_id: i64,
    file_name: &str,
    content: &[u8],
    actor: &Actor,
) -> Result<i64> {
    let (name, mime) = check_attachment(file_name, content)?;
    let mut tx = db.write().begin().await?;
    let exists = sqlx::query(&format!(
        "SELECT id FROM {} WHERE id = $1",
        register.table()
    ))
    .bind(letter_id)
    .fetch_optional(&mut *tx)
    .await?
    .is_some();
    if !exists {
        return Err(Missing::Letter(letter_id).into());
    }
    let sha = hex::encode(Sha256::digest(content));
    let id: i64 = sqlx::query(
        "INSERT INTO letter_attachments (register, letter_id, file_name, mime, size_bytes, sha256, \
         content, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(register.code())
    .bind(letter_id)
    .bind(&name)
    .bind(mime)
    .bind(content.len() as i64)
    .bind(&sha)
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
            entity: "letter_attachment",
            entity_id: id,
            parent: Some((register.entity(), letter_id)),
            action: "create",
            before: None,
            after: Some(serde_json::json!({
                "file_name": name, "mime": mime, "size_bytes": content.len(), "sha256": sha,
            })),
            note: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// The scans of a letter, removed ones included (the card shows them struck out).
pub async fn of_letter(db: &Db, register: Register, letter_id: i64) -> Result<Vec<Attachment>> {
    Ok(sqlx::query(&format!(
        "SELECT {COLS} FROM letter_attachments WHERE register = $1 AND letter_id = $2 ORDER BY id"
    ))
    .bind(register.code())
    .bind(letter_id)
    .fetch_all(db.read())
    .await?
    .iter()
    .map(from_row)
    .collect())
}

/// A scan with its content.
pub async fn get(db: &Db, id: i64) -> Result<(Attachment, Vec<u8>)> {
    let r = sqlx::query(&format!(
        "SELECT {COLS}, content FROM letter_attachments WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(db.read())
    .await?
    .ok_or_else(|| StoreError::from(Missing::Attachment(id)))?;
    Ok((from_row(&r), r.get("content")))
}

/// Marks a scan removed (attached by mistake); the content stays for the record.
pub async fn remove(db: &Db, id: i64, reason: &str, actor: &Actor) -> Result<()> {
    let reason = removal_reason(reason)?;
    let (a, _) = get(db, id).await?;
    if a.removed_at.is_some() {
        return Err(CorrespondenceRefusal::AttachmentRemoved.into());
    }
    let mut tx = db.write().begin().await?;
    sqlx::query("UPDATE letter_attachments SET removed_at = $1, removed_reason = $2 WHERE id = $3")
        .bind(db.now_text())
        .bind(&reason)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    history::record(
        &mut tx,
        &db.now_text(),
        actor,
        Change {
            entity: "letter_attachment",
            entity_id: id,
            parent: Some((a.register.entity(), a.letter_id)),
            action: "remove",
            before: Some(serde_json::json!({"file_name": a.file_name})),
            after: None,
            note: Some(&reason),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
