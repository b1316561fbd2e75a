use abonent_domain::missing::Missing;
use abonent_domain::registry::{PremisesData, RegistryRefusal};
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::Row;

use super::{close_reason, diff, opt_i32};
use crate::history::{self, Actor, Change};
use crate::{search, Db, Result, StoreError};

#[derive(Debug, Clone, Serialize)]
pub struct Premises {
    pub id: i64,
    #[serde(flatten)]
    pub data: PremisesData,
    pub label: String,
    pub building_address: String,
    pub closed_at: Option<String>,
    pub close_reason: Option<String>,
}

const COLS: &str =
    "p.id, p.building_id, p.number, p.residential, p.area_centi, p.rooms, p.entrance, \
    p.floor, p.closed_at, p.close_reason, b.city, b.street, b.house, b.korpus, b.stroenie";

fn from_row(r: &AnyRow) -> Premises {
    let data = PremisesData {
        building_id: r.get("building_id"),
        number: r.get("number"),
        residential: r.get::<i64, _>("residential") != 0,
        area_centi: r.get("area_centi"),
        rooms: opt_i32(r.get("rooms")),
        entrance: opt_i32(r.get("entrance")),
        floor: opt_i32(r.get("floor")),
    };
    Premises {
        id: r.get("id"),
        label: data.label(),
        building_address: crate::search::address_of(r),
        data,
        closed_at: r.get("closed_at"),
        close_reason: r.get("close_reason"),
    }
}

async fn check_building(conn: &mut sqlx::AnyConnection, building_id: i64) -> Result<()> {
    let row = sqlx::query("SELECT closed_at FROM buildings WHERE id = $1")
        .bind(building_id)
        .fetch_optional(&mut *conn)
        .await?;
    match row {
        None => Err(RegistryRefusal::NoSuchBuilding { building_id }.into()),
        Some(r) if r.get::<Option<String>, _>(0).is_some() => {
            Err(RegistryRefusal::BuildingClosed.into())
        }
        Some(_) => Ok(()),
    }
}

fn duplicate(d: &PremisesData) -> StoreError {
    RegistryRefusal::PremisesNumberTaken {
        number: d.number.clone(),
    }
    .into()
}

pub async fn create(db: &Db, d: &PremisesData, actor: &Actor) -> Result<i64> {
    let mut tx = db.write().begin().await?;
    check_building(&mut tx, d.building_id).await?;
    let now = db.now_text();
    let res = sqlx::query(
        "INSERT INTO premises (building_id, number, residential, area_centi, rooms, entrance, floor, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
    )
    .bind(d.building_id)
    .bind(&d.number)
    .bind(d.residential as i64)
    .bind(d.area_centi)
    .bind(d.rooms.map(i64::from))
    .bind(d.entrance.map(i64::from))
    .bind(d.floor.map(i64::from))
    .bind(&now)
    .fetch_one(&mut *tx)
    .await
    .map_err(StoreError::from);
    let id: i64 = match res {
        Ok(r) => r.get(0),
        Err(e) if e.is_unique_violation() => return Err(duplicate(d)),
        Err(e) => return Err(e),
    };
    history::record(
        &mut tx,
        &now,
        actor,
        Change {
            entity: "premises",
            entity_id: id,
            parent: Some(("building", d.building_id)),
            action: "create",
            before: None,
            after: Some(serde_json::to_value(d).unwrap_or_default()),
            note: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn get(db: &Db, id: i64) -> Result<Premises> {
    sqlx::query(&format!(
        "SELECT {COLS} FROM premises p JOIN buildings b ON b.id = p.building_id WHERE p.id = $1"
    ))
    .bind(id)
    .fetch_optional(db.read())
    .await?
    .map(|r| from_row(&r))
    .ok_or_else(|| StoreError::from(Missing::Premises(id)))
}

pub async fn update(db: &Db, id: i64, d: &PremisesData, actor: &Actor) -> Result<()> {
    let old = get(db, id).await?;
    let mut tx = db.write().begin().await?;
    if old.data.building_id != d.building_id {
        check_building(&mut tx, d.building_id).await?;
    }
    let res = sqlx::query(
        "UPDATE premises SET building_id = $1, number = $2, residential = $3, area_centi = $4, \
         rooms = $5, entrance = $6, floor = $7, updated_at = $8 WHERE id = $9",
    )
    .bind(d.building_id)
    .bind(&d.number)
    .bind(d.residential as i64)
    .bind(d.area_centi)
    .bind(d.rooms.map(i64::from))
    .bind(d.entrance.map(i64::from))
    .bind(d.floor.map(i64::from))
    .bind(db.now_text())
    .bind(id)
    .execute(&mut *tx)
    .await
    .map_err(StoreError::from);
    match res {
        Err(e) if e.is_unique_violation() => return Err(duplicate(d)),
        Err(e) => return Err(e),
        Ok(_) => {}
    }
    if let Some((before, after)) = diff(
        &serde_json::to_value(&old.data).unwrap_or_default(),
        &serde_json::to_value(d).unwrap_or_default(),
    ) {
        history::record(
            &mut tx,
            &db.now_text(),
            actor,
            Change {
                entity: "premises",
                entity_id: id,
                parent: Some(("building", d.building_id)),
                action: "update",
                before: Some(before),
                after: Some(after),
                note: None,
            },
        )
        .await?;
    }
    let ids: Vec<i64> = sqlx::query("SELECT id FROM accounts WHERE premises_id = $1")
        .bind(id)
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .map(|r| r.get(0))
        .collect();
    for a in ids {
        search::reindex_account(&mut tx, a).await?;
    }
    tx.commit().await?;
    Ok(())
}

pub async fn close(db: &Db, id: i64, reason: &str, actor: &Actor) -> Result<()> {
    let reason = close_reason(reason)?;
    let p = get(db, id).await?;
    let mut tx = db.write().begin().await?;
    let open: i64 =
        sqlx::query("SELECT COUNT(*) FROM accounts WHERE premises_id = $1 AND closed_on IS NULL")
            .bind(id)
            .fetch_one(&mut *tx)
            .await?
            .get(0);
    if open > 0 {
        return Err(RegistryRefusal::PremisesHasOpenAccounts.into());
    }
    let now = db.now_text();
    sqlx::query(
        "UPDATE premises SET closed_at = $1, close_reason = $2, updated_at = $1 WHERE id = $3",
    )
    .bind(&now)
    .bind(&reason)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    history::record(
        &mut tx,
        &now,
        actor,
        Change {
            entity: "premises",
            entity_id: id,
            parent: Some(("building", p.data.building_id)),
            action: "close",
            before: None,
            after: Some(serde_json::json!({"closed_at": now})),
            note: Some(&reason),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Premises of a building, flats in natural number order.
pub async fn of_building(db: &Db, building_id: i64) -> Result<Vec<Premises>> {
    Ok(sqlx::query(&format!(
        "SELECT {COLS} FROM premises p JOIN buildings b ON b.id = p.building_id \
         WHERE p.building_id = $1 ORDER BY p.residential DESC, LENGTH(p.number), p.number"
    ))
    .bind(building_id)
    .fetch_all(db.read())
    .await?
    .iter()
    .map(from_row)
    .collect())
}
