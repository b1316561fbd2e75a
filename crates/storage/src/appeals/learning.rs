//! The specialists' corrections of the classifier's suggestions at intake (table
//! `classifier_examples`), which the model learns from at start (`abonent_app::appeals::
//! learning`).

use abonent_domain::appeal::{Correction, Labelled};
use sqlx::{AnyConnection, Row};

use crate::{Db, Result};

/// Writes a correction inside the registration's transaction.
pub async fn record_in(
    conn: &mut AnyConnection,
    c: &Correction,
    appeal_id: i64,
    at: &str,
    by: Option<i64>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO classifier_examples (text, category, emergency, suggested_category, \
         suggested_emergency, appeal_id, created_at, created_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&c.text)
    .bind(&c.category)
    .bind(i64::from(c.emergency))
    .bind(&c.suggested_category)
    .bind(i64::from(c.suggested_emergency))
    .bind(appeal_id)
    .bind(at)
    .bind(by)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The corrections kept so far, oldest first.
pub async fn corrections(db: &Db) -> Result<Vec<Labelled>> {
    let rows = sqlx::query("SELECT text, category, emergency FROM classifier_examples ORDER BY id")
        .fetch_all(db.read())
        .await?;
    Ok(rows
        .iter()
        .map(|r| Labelled {
            text: r.get(0),
            category: r.get(1),
            emergency: r.get::<i64, _>(2) != 0,
        })
        .collect())
}
