//! The letters about one account, incoming and outgoing together, newest first: what the
//! account card shows without opening the registers.

use serde::Serialize;
use sqlx::Row;

use super::Register;
use crate::{Db, Result};

/// One letter about the account.
#[derive(Debug, Clone, Serialize)]
pub struct AccountLetter {
    pub register: Register,
    pub id: i64,
    pub number: String,
    /// Received (incoming) or sent (outgoing) on, `YYYY-MM-DD`.
    pub on: String,
    /// The sender of an incoming letter, the addressee of an outgoing one.
    pub party: String,
    pub subject: String,
    /// The status code of an incoming letter (`registered`, `answered`, …); none for outgoing.
    pub status: Option<String>,
    /// The answer deadline of an incoming letter, `YYYY-MM-DD`.
    pub deadline_on: Option<String>,
}

/// The newest `limit` letters about the account and how many there are in all.
pub async fn of_account(db: &Db, account_id: i64, limit: i64) -> Result<(Vec<AccountLetter>, i64)> {
    let rows = sqlx::query(&format!(
        "SELECT * FROM (\
         SELECT 'incoming' AS register, id, number, received_on AS on_date, sender_name AS party, \
         subject, status, deadline_on, created_at FROM incoming_letters WHERE account_id = $1 \
         UNION ALL \
         SELECT 'outgoing' AS register, id, number, sent_on AS on_date, addressee AS party, \
         subject, NULL AS status, NULL AS deadline_on, created_at FROM outgoing_letters \
         WHERE account_id = $1) x ORDER BY on_date DESC, created_at DESC, id DESC LIMIT {}",
        limit.max(0)
    ))
    .bind(account_id)
    .fetch_all(db.read())
    .await?;
    let total: i64 = sqlx::query(
        "SELECT (SELECT COUNT(*) FROM incoming_letters WHERE account_id = $1) + \
         (SELECT COUNT(*) FROM outgoing_letters WHERE account_id = $1)",
    )
    .bind(account_id)
    .fetch_one(db.read())
    .await?
    .get(0);
    let items = rows
        .iter()
        .map(|r| AccountLetter {
            register: Register::from_code(&r.get::<String, _>("register"))
                .unwrap_or(Register::Incoming),
            id: r.get("id"),
            number: r.get("number"),
            on: r.get("on_date"),
            party: r.get("party"),
            subject: r.get("subject"),
            status: r.get("status"),
            deadline_on: r.get("deadline_on"),
        })
        .collect();
    Ok((items, total))
}
