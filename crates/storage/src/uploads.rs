//! Uploaded files kept in the database, so that the preview and the commit of an import may
//! be served by different instances.

use sqlx::Row;

use crate::{Db, Result, StoreError};

pub async fn save(db: &Db, file_name: &str, content: &[u8], user_id: Option<i64>) -> Result<i64> {
    let row = sqlx::query(
        "INSERT INTO uploads (file_name, content, size_bytes, created_by, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(file_name)
    .bind(content.to_vec())
    .bind(content.len() as i64)
    .bind(user_id)
    .bind(db.now_text())
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
