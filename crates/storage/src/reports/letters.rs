//! Counts of letters for the correspondence report: incoming received on the days of a
//! period by sender kind and by where the answer stands, outgoing sent on those days. The
//! conditions are the incoming register's own (`correspondence::incoming::status_condition`).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use sqlx::Row;

use crate::correspondence::incoming::{status_condition, StatusFilter};
use crate::{time, Db, Result};

/// The groups of incoming letters the report counts, by the register's `status` code.
pub const GROUPS: [&str; 5] = [
    "overdue",
    "in_time",
    "answered_on_time",
    "answered_late",
    "closed",
];

#[derive(Debug, Clone, Default)]
pub struct LetterCounts {
    pub received: i64,
    /// By sender kind code.
    pub by_sender: BTreeMap<String, i64>,
    /// By group code ([`GROUPS`]).
    pub groups: BTreeMap<&'static str, i64>,
    pub sent: i64,
}

pub async fn counts(
    db: &Db,
    from: NaiveDate,
    to: NaiveDate,
    today: NaiveDate,
) -> Result<LetterCounts> {
    let range = "i.received_on >= $1 AND i.received_on <= $2";
    let (f, t) = (time::date_text(from), time::date_text(to));
    let mut c = LetterCounts::default();
    let rows = sqlx::query(&format!(
        "SELECT i.sender_kind, CAST(COUNT(*) AS BIGINT) FROM incoming_letters i WHERE {range} GROUP BY i.sender_kind"
    ))
    .bind(&f)
    .bind(&t)
    .fetch_all(db.read())
    .await?;
    for r in rows {
        c.by_sender.insert(r.get(0), r.get(1));
    }
    c.received = c.by_sender.values().sum();
    let cols: Vec<String> = GROUPS
        .iter()
        .map(|g| {
            let cond = match StatusFilter::from_code(g) {
                StatusFilter::Only(s) => format!("i.status = '{}'", s.code()),
                other => status_condition(other, "$3").unwrap_or_else(|| "1=1".into()),
            };
            format!("CAST(COALESCE(SUM(CASE WHEN {cond} THEN 1 ELSE 0 END), 0) AS BIGINT)")
        })
        .collect();
    let row = sqlx::query(&format!(
        "SELECT {} FROM incoming_letters i WHERE {range}",
        cols.join(", ")
    ))
    .bind(&f)
    .bind(&t)
    .bind(time::date_text(today))
    .fetch_one(db.read())
    .await?;
    for (i, g) in GROUPS.iter().enumerate() {
        c.groups.insert(*g, row.get(i));
    }
    c.sent = sqlx::query("SELECT CAST(COUNT(*) AS BIGINT) FROM outgoing_letters WHERE sent_on >= $1 AND sent_on <= $2")
        .bind(&f)
        .bind(&t)
        .fetch_one(db.read())
        .await?
        .get(0);
    Ok(c)
}
