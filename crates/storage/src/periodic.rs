//! The schedule of periodic tasks shared by every instance on one database (the runner is
//! `abonent_app::jobs`). A tick is claimed by moving the task's `next_at` forward in one
//! conditional update: of several instances asking at once, one changes the row and runs
//! the tick. Times come from the caller's clock.

use chrono::{DateTime, Utc};
use sqlx::Row;

use crate::{time, Db, Result};

/// Make the task known (due at once); a task already known keeps its schedule.
pub async fn register(db: &Db, name: &str, now: DateTime<Utc>) -> Result<()> {
    sqlx::query(
        "INSERT INTO periodic_tasks (name, next_at) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
    )
    .bind(name)
    .bind(time::fmt(now))
    .execute(db.write())
    .await?;
    Ok(())
}

/// Claim the tick due at `now` for `instance`: the next one is due at `next`, and no other
/// instance starts one before `held_until` unless the hold is released. Answers the moment
/// the claimed tick was due (its identity), or None when it is not due or another instance
/// holds the task.
pub async fn claim(
    db: &Db,
    name: &str,
    instance: &str,
    now: DateTime<Utc>,
    next: DateTime<Utc>,
    held_until: DateTime<Utc>,
) -> Result<Option<String>> {
    let now = time::fmt(now);
    // Mostly not due: answered from the read pool, leaving the (SQLite: single) writer free.
    let row = sqlx::query("SELECT next_at, held_until FROM periodic_tasks WHERE name = $1")
        .bind(name)
        .fetch_optional(db.read())
        .await?;
    let Some(row) = row else { return Ok(None) };
    let (due, held): (String, Option<String>) = (row.get(0), row.get(1));
    if due > now || held.is_some_and(|h| h > now) {
        return Ok(None);
    }
    let done = sqlx::query(
        "UPDATE periodic_tasks SET next_at = $1, held_by = $2, held_until = $3 \
         WHERE name = $4 AND next_at = $5 AND next_at <= $6 \
         AND (held_until IS NULL OR held_until <= $6)",
    )
    .bind(time::fmt(next))
    .bind(instance)
    .bind(time::fmt(held_until))
    .bind(name)
    .bind(&due)
    .bind(&now)
    .execute(db.write())
    .await?;
    Ok((done.rows_affected() == 1).then_some(due))
}

/// The tick `instance` ran is over: the next may start on any instance when due.
pub async fn release(db: &Db, name: &str, instance: &str) -> Result<()> {
    sqlx::query(
        "UPDATE periodic_tasks SET held_by = NULL, held_until = NULL \
         WHERE name = $1 AND held_by = $2",
    )
    .bind(name)
    .bind(instance)
    .execute(db.write())
    .await?;
    Ok(())
}
