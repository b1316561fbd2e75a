//! Recurring problems for the manager (issue 4 §8, prevention): the same building and category
//! `appeals.recurring_threshold` or more times (default 3) within `appeals.recurring_days`
//! (default 30) — counted over appeals registered in that period, whatever their status.

use abonent_domain::appeal::words;
use serde::Serialize;
use sqlx::Row;

use crate::{settings, time, Db, Result};

/// One recurring problem with the appeals behind it.
#[derive(Debug, Clone, Serialize)]
pub struct Recurring {
    pub building_id: i64,
    pub address: String,
    pub category_id: i64,
    pub category_title: String,
    pub count: i64,
    pub last_at: String,
    /// The appeals, newest first.
    pub appeals: Vec<AppealRef>,
}

/// An appeal by its id and number.
#[derive(Debug, Clone, Serialize)]
pub struct AppealRef {
    pub id: i64,
    pub number: String,
}

/// The threshold and period in force (from the settings).
pub async fn terms(db: &Db) -> Result<(i64, i64)> {
    let num = |v: String, d: i64| v.trim().parse::<i64>().ok().filter(|v| *v > 0).unwrap_or(d);
    Ok((
        num(settings::get(db, "appeals.recurring_threshold").await?, 3),
        num(settings::get(db, "appeals.recurring_days").await?, 30),
    ))
}

/// Recurring problems, most appeals first.
pub async fn list(db: &Db) -> Result<Vec<Recurring>> {
    let (threshold, days) = terms(db).await?;
    let since = time::fmt(db.now() - chrono::TimeDelta::days(days));
    let groups = sqlx::query(
        "SELECT a.building_id, a.category_id, COUNT(*), MAX(a.registered_at), \
         b.street, b.house, c.title \
         FROM appeals a JOIN buildings b ON b.id = a.building_id \
         JOIN appeal_categories c ON c.id = a.category_id \
         WHERE a.registered_at >= $1 \
         GROUP BY a.building_id, a.category_id, b.street, b.house, c.title \
         HAVING COUNT(*) >= $2 ORDER BY COUNT(*) DESC, MAX(a.registered_at) DESC LIMIT 500",
    )
    .bind(&since)
    .bind(threshold)
    .fetch_all(db.read())
    .await?;
    let mut out = Vec::with_capacity(groups.len());
    for g in groups {
        let (building_id, category_id): (i64, i64) = (g.get(0), g.get(1));
        let appeals = sqlx::query(
            "SELECT id, number FROM appeals WHERE building_id = $1 AND category_id = $2 \
             AND registered_at >= $3 ORDER BY registered_at DESC, id DESC",
        )
        .bind(building_id)
        .bind(category_id)
        .bind(&since)
        .fetch_all(db.read())
        .await?
        .iter()
        .map(|r| AppealRef {
            id: r.get(0),
            number: r.get(1),
        })
        .collect();
        out.push(Recurring {
            building_id,
            category_id,
            count: g.get(2),
            last_at: g.get(3),
            address: words::building_address(
                g.get::<Option<String>, _>(4).as_deref(),
                g.get::<Option<String>, _>(5).as_deref(),
            ),
            category_title: g.get(6),
            appeals,
        });
    }
    Ok(out)
}
