//! The production calendar as data: years an administrator loads (with the decree they come
//! from) override the years shipped in the program. Deadlines of letters and appeals read it.

use abonent_domain::calendar::{CalendarSource, WorkCalendar, YearCalendar};
use abonent_domain::missing::Missing;
use serde::Serialize;
use sqlx::Row;

use crate::history::{self, Actor, Change};
use crate::{Db, Result};

/// A year loaded into the database.
#[derive(Debug, Clone, Serialize)]
pub struct StoredYear {
    pub year: i32,
    pub source: String,
    pub updated_at: String,
    pub updated_by: Option<String>,
}

/// The shipped decrees, parsed once per process.
fn shipped() -> WorkCalendar {
    static SHIPPED: std::sync::OnceLock<WorkCalendar> = std::sync::OnceLock::new();
    SHIPPED.get_or_init(WorkCalendar::shipped).clone()
}

/// The shipped calendar with the stored years on top.
pub async fn load(db: &Db) -> Result<WorkCalendar> {
    let mut cal = shipped();
    for r in sqlx::query("SELECT data FROM work_calendar_years ORDER BY year")
        .fetch_all(db.read())
        .await?
    {
        let json: String = r.get(0);
        // Stored years were checked when saved; a bad row must not stop every deadline.
        match YearCalendar::from_json(&json) {
            Ok(y) => {
                cal.insert_year(y);
            }
            Err(e) => tracing::error!("stored calendar year unreadable: {e}"),
        }
    }
    Ok(cal)
}

pub async fn stored_years(db: &Db) -> Result<Vec<StoredYear>> {
    Ok(sqlx::query(
        "SELECT year, source, updated_at, updated_by FROM work_calendar_years ORDER BY year",
    )
    .fetch_all(db.read())
    .await?
    .iter()
    .map(|r| StoredYear {
        year: r.get::<i64, _>(0) as i32,
        source: r.get(1),
        updated_at: r.get(2),
        updated_by: r.get(3),
    })
    .collect())
}

/// Saves a year (replacing a stored one), with history of what changed.
pub async fn save_year(db: &Db, y: &YearCalendar, actor: &Actor) -> Result<()> {
    let reference = abonent_domain::calendar::decree_reference(y)?;
    let before = load(db).await?.year(y.year());
    let mut tx = db.write().begin().await?;
    sqlx::query(
        "INSERT INTO work_calendar_years (year, data, source, updated_at, updated_by) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (year) DO UPDATE SET data = excluded.data, \
         source = excluded.source, updated_at = excluded.updated_at, updated_by = excluded.updated_by",
    )
    .bind(i64::from(y.year()))
    .bind(y.to_json())
    .bind(reference)
    .bind(db.now_text())
    .bind(&actor.name)
    .execute(&mut *tx)
    .await?;
    history::record(
        &mut tx,
        &db.now_text(),
        actor,
        Change {
            entity: "work_calendar",
            entity_id: i64::from(y.year()),
            parent: None,
            action: "update",
            before: Some(summary(&before)),
            after: Some(summary(y)),
            note: Some(reference),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Removes a stored year: the shipped decree, or the base rules, apply again.
pub async fn remove_year(db: &Db, year: i32, actor: &Actor) -> Result<()> {
    let before = load(db).await?.year(year);
    let mut tx = db.write().begin().await?;
    let n = sqlx::query("DELETE FROM work_calendar_years WHERE year = $1")
        .bind(i64::from(year))
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if n == 0 {
        return Err(Missing::CalendarYear(year).into());
    }
    history::record(
        &mut tx,
        &db.now_text(),
        actor,
        Change {
            entity: "work_calendar",
            entity_id: i64::from(year),
            parent: None,
            action: "remove",
            before: Some(summary(&before)),
            after: None,
            note: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

fn summary(y: &YearCalendar) -> serde_json::Value {
    let source = match y.source() {
        CalendarSource::BaseRules => None,
        CalendarSource::Decree { reference } => Some(reference.clone()),
    };
    serde_json::json!({
        "source": source,
        "non_working": y.non_working().iter().map(|d| d.to_string()).collect::<Vec<_>>(),
        "working_weekends": y.working_weekends().iter().map(|d| d.to_string()).collect::<Vec<_>>(),
        "working_days": y.working_days(),
    })
}
