//! The outage register (issue 19 §5): planned and emergency interruptions of a service at
//! some buildings (and entrances), with planned and actual times as UTC instants, the
//! measurements where quality fell, and who reported it. Every change is kept in history.
//! Quality recalculations posted for an outage are in [`postings`].

pub mod notices;
pub mod postings;

use abonent_domain::outage::{words, Effect, OutageKind, Parameters, Place};
use abonent_domain::quality::Cause;
use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::history::{self, Actor, Change};
use crate::{time, Db, Result, StoreError};

/// An outage as checked by the use case, times in UTC.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NewOutage {
    pub service: String,
    pub kind: OutageKind,
    pub effect: Effect,
    pub cause: Cause,
    pub reason: String,
    pub places: Vec<Place>,
    pub planned_from: Option<DateTime<Utc>>,
    pub planned_to: Option<DateTime<Utc>>,
    pub actual_from: Option<DateTime<Utc>>,
    pub actual_to: Option<DateTime<Utc>>,
    pub parameters: Parameters,
}

/// A stored outage.
#[derive(Debug, Clone, Serialize)]
pub struct OutageRecord {
    pub id: i64,
    #[serde(flatten)]
    pub data: NewOutage,
    pub contractor_id: Option<i64>,
    pub reported_by: Option<i64>,
    pub reported_by_name: String,
    pub created_at: String,
    pub updated_at: String,
}

fn cause_code(c: Cause) -> &'static str {
    match c {
        Cause::Ordinary => "ordinary",
        Cause::DeadEndAccident => "dead_end_accident",
        Cause::AnnualMaintenance => "annual_maintenance",
    }
}

fn cause_of(code: &str) -> Cause {
    match code {
        "dead_end_accident" => Cause::DeadEndAccident,
        "annual_maintenance" => Cause::AnnualMaintenance,
        _ => Cause::Ordinary,
    }
}

fn instant(r: &AnyRow, col: &str) -> Option<DateTime<Utc>> {
    r.get::<Option<String>, _>(col)
        .as_deref()
        .and_then(time::parse)
}

fn text(t: Option<DateTime<Utc>>) -> Option<String> {
    t.map(time::fmt)
}

fn entrances_text(e: &[i64]) -> String {
    e.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

const COLS: &str = "o.id, o.service, o.kind, o.effect, o.cause, o.reason, o.planned_from, \
    o.planned_to, o.actual_from, o.actual_to, o.parameters, o.contractor_id, o.reported_by, \
    o.reported_by_name, o.created_at, o.updated_at";

fn from_row(r: &AnyRow, places: Vec<Place>) -> Result<OutageRecord> {
    Ok(OutageRecord {
        id: r.get("id"),
        data: NewOutage {
            service: r.get("service"),
            kind: OutageKind::parse(&r.get::<String, _>("kind")).unwrap_or_default(),
            effect: Effect::parse(&r.get::<String, _>("effect")).unwrap_or_default(),
            cause: cause_of(&r.get::<String, _>("cause")),
            reason: r.get("reason"),
            places,
            planned_from: instant(r, "planned_from"),
            planned_to: instant(r, "planned_to"),
            actual_from: instant(r, "actual_from"),
            actual_to: instant(r, "actual_to"),
            parameters: serde_json::from_str(&r.get::<String, _>("parameters"))
                .map_err(|e| StoreError::Other(e.to_string()))?,
        },
        contractor_id: r.get("contractor_id"),
        reported_by: r.get("reported_by"),
        reported_by_name: r.get("reported_by_name"),
        created_at: r.get("created_at"),
        updated_at: r.get("updated_at"),
    })
}

fn snapshot(o: &NewOutage) -> serde_json::Value {
    serde_json::to_value(o).unwrap_or(serde_json::Value::Null)
}

async fn write_places(conn: &mut AnyConnection, id: i64, places: &[Place]) -> Result<()> {
    sqlx::query("DELETE FROM outage_buildings WHERE outage_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    for p in places {
        sqlx::query(
            "INSERT INTO outage_buildings (outage_id, building_id, entrances) VALUES ($1, $2, $3)",
        )
        .bind(id)
        .bind(p.building_id)
        .bind(entrances_text(&p.entrances))
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Registers `o`, reported by `actor` (for `contractor_id` when a contractor's login), with
/// its history row, in one transaction. Returns its id.
pub async fn create(
    db: &Db,
    o: &NewOutage,
    contractor_id: Option<i64>,
    actor: &Actor,
) -> Result<i64> {
    let now = db.now_text();
    let params =
        serde_json::to_string(&o.parameters).map_err(|e| StoreError::Other(e.to_string()))?;
    let mut tx = db.write().begin().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO outages (service, kind, effect, cause, reason, planned_from, planned_to, \
         actual_from, actual_to, parameters, contractor_id, reported_by, reported_by_name, \
         created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14) RETURNING id",
    )
    .bind(&o.service)
    .bind(o.kind.code())
    .bind(o.effect.code())
    .bind(cause_code(o.cause))
    .bind(&o.reason)
    .bind(text(o.planned_from))
    .bind(text(o.planned_to))
    .bind(text(o.actual_from))
    .bind(text(o.actual_to))
    .bind(&params)
    .bind(contractor_id)
    .bind(actor.user_id)
    .bind(&actor.name)
    .bind(&now)
    .fetch_one(&mut *tx)
    .await?;
    write_places(&mut tx, id, &o.places).await?;
    history::record(
        &mut tx,
        &now,
        actor,
        Change {
            entity: "outage",
            entity_id: id,
            parent: None,
            action: "create",
            before: None,
            after: Some(snapshot(o)),
            note: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Replaces the outage's data with `o` (history keeps what it was), in one transaction.
pub async fn update(db: &Db, id: i64, o: &NewOutage, actor: &Actor) -> Result<()> {
    let before = get(db, id).await?;
    if before.data == *o {
        return Ok(());
    }
    let now = db.now_text();
    let params =
        serde_json::to_string(&o.parameters).map_err(|e| StoreError::Other(e.to_string()))?;
    let mut tx = db.write().begin().await?;
    sqlx::query(
        "UPDATE outages SET service = $1, kind = $2, effect = $3, cause = $4, reason = $5, \
         planned_from = $6, planned_to = $7, actual_from = $8, actual_to = $9, parameters = $10, \
         updated_at = $11 WHERE id = $12",
    )
    .bind(&o.service)
    .bind(o.kind.code())
    .bind(o.effect.code())
    .bind(cause_code(o.cause))
    .bind(&o.reason)
    .bind(text(o.planned_from))
    .bind(text(o.planned_to))
    .bind(text(o.actual_from))
    .bind(text(o.actual_to))
    .bind(&params)
    .bind(&now)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    write_places(&mut tx, id, &o.places).await?;
    history::record(
        &mut tx,
        &now,
        actor,
        Change {
            entity: "outage",
            entity_id: id,
            parent: None,
            action: "update",
            before: Some(snapshot(&before.data)),
            after: Some(snapshot(o)),
            note: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

async fn places_of(db: &Db, ids: &[i64]) -> Result<Vec<(i64, Place)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    let rows = sqlx::query(&format!(
        "SELECT outage_id, building_id, entrances FROM outage_buildings \
         WHERE outage_id IN ({list}) ORDER BY outage_id, building_id"
    ))
    .fetch_all(db.read())
    .await?;
    Ok(rows
        .iter()
        .map(|r| {
            let entrances = r
                .get::<String, _>(2)
                .split(',')
                .filter_map(|e| e.trim().parse().ok())
                .collect();
            (
                r.get(0),
                Place {
                    building_id: r.get(1),
                    entrances,
                },
            )
        })
        .collect())
}

async fn with_places(db: &Db, rows: Vec<AnyRow>) -> Result<Vec<OutageRecord>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.get("id")).collect();
    let mut places = places_of(db, &ids).await?;
    rows.iter()
        .map(|r| {
            let id: i64 = r.get("id");
            let (mine, rest): (Vec<_>, Vec<_>) = places.drain(..).partition(|(o, _)| *o == id);
            places = rest;
            from_row(r, mine.into_iter().map(|(_, p)| p).collect())
        })
        .collect()
}

pub async fn get(db: &Db, id: i64) -> Result<OutageRecord> {
    let r = sqlx::query(&format!("SELECT {COLS} FROM outages o WHERE o.id = $1"))
        .bind(id)
        .fetch_optional(db.read())
        .await?
        .ok_or_else(|| StoreError::NotFound(words::NOUN.into()))?;
    Ok(with_places(db, vec![r]).await?.remove(0))
}

/// Which outages a list shows.
#[derive(Debug, Clone, Default)]
pub struct OutageFilter {
    /// Only this contractor's (a contractor's login sees only its own).
    pub contractor_id: Option<i64>,
    /// Only those at this building.
    pub building_id: Option<i64>,
    /// Only those not ended by `now` (`Some(true)`), or only ended (`Some(false)`).
    pub active: Option<bool>,
    pub service: Option<String>,
}

/// Outages by the filter, newest first, at most `limit`.
pub async fn list(db: &Db, f: &OutageFilter, limit: i64) -> Result<Vec<OutageRecord>> {
    // Ids are integers, written into the text; the two texts are bound in order.
    let mut sql = format!("SELECT {COLS} FROM outages o WHERE 1 = 1");
    if let Some(c) = f.contractor_id {
        sql += &format!(" AND o.contractor_id = {c}");
    }
    if let Some(b) = f.building_id {
        sql += &format!(
            " AND o.id IN (SELECT outage_id FROM outage_buildings WHERE building_id = {b})"
        );
    }
    let mut texts: Vec<String> = Vec::new();
    if let Some(active) = f.active {
        texts.push(db.now_text());
        // Ended: the actual end has passed, or nothing started and the planned end has.
        let ended = format!(
            "(COALESCE(o.actual_to, CASE WHEN o.actual_from IS NULL THEN o.planned_to END) <= ${})",
            texts.len()
        );
        sql += &if active {
            format!(" AND NOT COALESCE({ended}, FALSE)")
        } else {
            format!(" AND COALESCE({ended}, FALSE)")
        };
    }
    if let Some(s) = &f.service {
        texts.push(s.clone());
        sql += &format!(" AND o.service = ${}", texts.len());
    }
    sql += &format!(" ORDER BY o.id DESC LIMIT {}", limit.max(1));
    let mut q = sqlx::query(&sql);
    for t in texts {
        q = q.bind(t);
    }
    let rows = q.fetch_all(db.read()).await?;
    with_places(db, rows).await
}

/// Outages of `service` at any of `buildings` other than `except` whose span (actual where
/// started, planned otherwise; open ones to the end of time) meets `[from, to)`.
pub async fn overlapping(
    db: &Db,
    service: &str,
    buildings: &[i64],
    from: DateTime<Utc>,
    to: Option<DateTime<Utc>>,
    except: Option<i64>,
) -> Result<Vec<OutageRecord>> {
    if buildings.is_empty() {
        return Ok(Vec::new());
    }
    let list = buildings
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(",");
    let rows = sqlx::query(&format!(
        "SELECT {COLS} FROM outages o WHERE o.service = $1 AND o.id <> $2 \
         AND o.id IN (SELECT outage_id FROM outage_buildings WHERE building_id IN ({list})) \
         AND COALESCE(o.actual_from, o.planned_from) < $3 \
         AND (CASE WHEN o.actual_from IS NULL THEN o.planned_to ELSE o.actual_to END IS NULL \
              OR CASE WHEN o.actual_from IS NULL THEN o.planned_to ELSE o.actual_to END > $4) \
         ORDER BY o.id"
    ))
    .bind(service)
    .bind(except.unwrap_or(0))
    .bind(to.map_or_else(|| "9999".to_string(), time::fmt))
    .bind(time::fmt(from))
    .fetch_all(db.read())
    .await?;
    with_places(db, rows).await
}

/// Outages of `service` at `building` that actually started before `to` and did not end
/// before `from`: what a month's recalculation counts.
pub async fn actual_in(
    db: &Db,
    service: &str,
    building: i64,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<OutageRecord>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLS} FROM outages o JOIN outage_buildings ob ON ob.outage_id = o.id \
         WHERE o.service = $1 AND ob.building_id = $2 AND o.actual_from IS NOT NULL \
         AND o.actual_from < $3 AND (o.actual_to IS NULL OR o.actual_to > $4) ORDER BY o.actual_from"
    ))
    .bind(service)
    .bind(building)
    .bind(time::fmt(to))
    .bind(time::fmt(from))
    .fetch_all(db.read())
    .await?;
    with_places(db, rows).await
}
