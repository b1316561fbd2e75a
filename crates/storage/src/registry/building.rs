use abonent_domain::missing::Missing;
use abonent_domain::registry::{BuildingData, RegistryRefusal};
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::Row;

use super::{close_reason, diff, opt_i32, Page, PageReq};
use crate::history::{self, Actor, Change};
use crate::{search, time, Db, Result, StoreError};

#[derive(Debug, Clone, Serialize)]
pub struct Building {
    pub id: i64,
    #[serde(flatten)]
    pub data: BuildingData,
    pub address: String,
    pub premises_count: i64,
    pub closed_at: Option<String>,
    pub close_reason: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct BuildingFilter {
    /// Fragment of the street (case as stored).
    pub street: Option<String>,
    pub include_closed: bool,
    /// `address`, `year_built`, `floors`, `premises`; `-` prefix for descending.
    pub sort: Option<String>,
}

macro_rules! base_cols {
    () => {
        "b.id, b.region, b.city, b.street, b.house, b.korpus, b.stroenie, b.fias_id, \
         b.year_built, b.floors, b.entrances, b.managed_since, b.closed_at, b.close_reason"
    };
}
const BASE_COLS: &str = base_cols!();
const COLS: &str = concat!(
    base_cols!(),
    ", (SELECT COUNT(*) FROM premises p WHERE p.building_id = b.id) AS premises_count"
);

fn from_row(r: &AnyRow) -> Building {
    let data = BuildingData {
        region: r.get("region"),
        city: r.get("city"),
        street: r.get("street"),
        house: r.get("house"),
        korpus: r.get("korpus"),
        stroenie: r.get("stroenie"),
        fias_id: r.get("fias_id"),
        year_built: opt_i32(r.get("year_built")),
        floors: opt_i32(r.get("floors")),
        entrances: opt_i32(r.get("entrances")),
        managed_since: time::opt_date(r.get("managed_since")),
    };
    Building {
        id: r.get("id"),
        address: data.address(),
        data,
        premises_count: r.get("premises_count"),
        closed_at: r.get("closed_at"),
        close_reason: r.get("close_reason"),
    }
}

fn binds<'q>(
    q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    d: &BuildingData,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    q.bind(d.region.clone())
        .bind(d.city.clone())
        .bind(d.street.clone())
        .bind(d.house.clone())
        .bind(d.korpus.clone())
        .bind(d.stroenie.clone())
        .bind(d.fias_id.clone())
        .bind(d.year_built.map(i64::from))
        .bind(d.floors.map(i64::from))
        .bind(d.entrances.map(i64::from))
        .bind(d.managed_since.map(time::date_text))
}

pub async fn create(db: &Db, d: &BuildingData, actor: &Actor) -> Result<i64> {
    let now = db.now_text();
    let mut tx = db.write().begin().await?;
    let q = sqlx::query(
        "INSERT INTO buildings (region, city, street, house, korpus, stroenie, fias_id, year_built, \
         floors, entrances, managed_since, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id",
    );
    let id: i64 = binds(q, d).bind(&now).fetch_one(&mut *tx).await?.get(0);
    history::record(
        &mut tx,
        &now,
        actor,
        Change {
            entity: "building",
            entity_id: id,
            parent: None,
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

pub async fn get(db: &Db, id: i64) -> Result<Building> {
    sqlx::query(&format!("SELECT {COLS} FROM buildings b WHERE b.id = $1"))
        .bind(id)
        .fetch_optional(db.read())
        .await?
        .map(|r| from_row(&r))
        .ok_or_else(|| StoreError::from(Missing::Building(id)))
}

pub async fn update(db: &Db, id: i64, d: &BuildingData, actor: &Actor) -> Result<()> {
    let old = get(db, id).await?;
    let mut tx = db.write().begin().await?;
    let q = sqlx::query(
        "UPDATE buildings SET region = $1, city = $2, street = $3, house = $4, korpus = $5, \
         stroenie = $6, fias_id = $7, year_built = $8, floors = $9, entrances = $10, \
         managed_since = $11, updated_at = $12 WHERE id = $13",
    );
    binds(q, d)
        .bind(db.now_text())
        .bind(id)
        .execute(&mut *tx)
        .await?;
    if let Some((before, after)) = diff(
        &serde_json::to_value(&old.data).unwrap_or_default(),
        &serde_json::to_value(d).unwrap_or_default(),
    ) {
        history::record(
            &mut tx,
            &db.now_text(),
            actor,
            Change {
                entity: "building",
                entity_id: id,
                parent: None,
                action: "update",
                before: Some(before),
                after: Some(after),
                note: None,
            },
        )
        .await?;
    }
    if old.data.street != d.street || old.data.house != d.house {
        search::reindex_building_accounts(&mut tx, id).await?;
    }
    tx.commit().await?;
    Ok(())
}

pub async fn close(db: &Db, id: i64, reason: &str, actor: &Actor) -> Result<()> {
    let reason = close_reason(reason)?;
    get(db, id).await?;
    let mut tx = db.write().begin().await?;
    let open_accounts: i64 = sqlx::query(
        "SELECT COUNT(*) FROM accounts a JOIN premises p ON p.id = a.premises_id \
         WHERE p.building_id = $1 AND a.closed_on IS NULL",
    )
    .bind(id)
    .fetch_one(&mut *tx)
    .await?
    .get(0);
    if open_accounts > 0 {
        return Err(RegistryRefusal::BuildingHasOpenAccounts { open_accounts }.into());
    }
    let now = db.now_text();
    sqlx::query(
        "UPDATE buildings SET closed_at = $1, close_reason = $2, updated_at = $1 WHERE id = $3",
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
            entity: "building",
            entity_id: id,
            parent: None,
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

/// Every building in management, (id, address) in address order: for pickers and filters,
/// without the premises counts [`list`] computes.
pub async fn addresses(db: &Db) -> Result<Vec<(i64, String)>> {
    Ok(sqlx::query(&format!(
        "SELECT {BASE_COLS}, 0 AS premises_count FROM buildings b WHERE b.closed_at IS NULL \
         ORDER BY b.street, LENGTH(b.house), b.house"
    ))
    .fetch_all(db.read())
    .await?
    .iter()
    .map(|r| {
        let b = from_row(r);
        (b.id, b.address)
    })
    .collect())
}

pub async fn list(db: &Db, f: &BuildingFilter, page: PageReq) -> Result<Page<Building>> {
    let mut wh = vec!["1=1".to_string()];
    if !f.include_closed {
        wh.push("b.closed_at IS NULL".into());
    }
    if f.street.as_deref().is_some_and(|s| !s.trim().is_empty()) {
        wh.push("b.street LIKE $1".into());
    }
    let order = match f.sort.as_deref().unwrap_or("address") {
        "-address" => "b.street DESC, b.house DESC",
        "year_built" => "b.year_built, b.id",
        "-year_built" => "b.year_built DESC, b.id",
        "floors" => "b.floors, b.id",
        "-floors" => "b.floors DESC, b.id",
        "premises" => "premises_count, b.id",
        "-premises" => "premises_count DESC, b.id",
        _ => "b.street, LENGTH(b.house), b.house",
    };
    let wh = wh.join(" AND ");
    let pattern = format!("%{}%", f.street.as_deref().unwrap_or("").trim());
    let sql = format!(
        "SELECT {COLS} FROM buildings b WHERE {wh} ORDER BY {order} LIMIT {} OFFSET {}",
        page.per_page,
        page.offset()
    );
    let mut q = sqlx::query(&sql);
    let count_sql = format!("SELECT COUNT(*) FROM buildings b WHERE {wh}");
    let mut c = sqlx::query(&count_sql);
    if wh.contains("$1") {
        q = q.bind(pattern.clone());
        c = c.bind(pattern);
    }
    let items = q.fetch_all(db.read()).await?.iter().map(from_row).collect();
    let total = c.fetch_one(db.read()).await?.get(0);
    Ok(Page {
        items,
        total,
        page: page.page,
        per_page: page.per_page,
    })
}
