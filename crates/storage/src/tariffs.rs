//! The register of tariffs and consumption norms (issue 20 §1), the tariff groups of
//! buildings, and the charge lines of an account's month that «why this sum» explains.
//!
//! Rows are added, never edited in place: a new tariff (norm) supersedes the one in force on
//! its first day, which gets its last day. The whole set of new rows (a form's one, or a
//! file's many) is checked against the stored register by the domain's rules and written in
//! one transaction with a history entry per row touched — or not at all.

use abonent_domain::ledger::{EntryKind, Period};
use abonent_domain::tariff::{supersede, supersede_norm, Norm, NormBasis, Tariff, Unit};
use abonent_domain::ValidationErrors;
use chrono::NaiveDate;
use serde::Serialize;
use sqlx::any::{AnyArguments, AnyRow};
use sqlx::query::Query;
use sqlx::{Any, Row};

use crate::history::{self, Actor, Change};
use crate::ledger::{kind_code, kind_from_code};
use crate::{time, Db, Result, StoreError};

/// A stored tariff.
#[derive(Debug, Clone, Serialize)]
pub struct TariffRow {
    pub id: i64,
    pub tariff: Tariff,
}

/// A stored norm.
#[derive(Debug, Clone, Serialize)]
pub struct NormRow {
    pub id: i64,
    pub norm: Norm,
}

const TARIFF_COLS: &str = "id, service, group_name, zone, from_date, to_date, price, unit, basis";
const NORM_COLS: &str = "id, service, group_name, from_date, to_date, per, value, unit, basis";

fn unit_of(code: &str) -> Unit {
    Unit::parse(code).unwrap_or(Unit::Account)
}

fn tariff_of(r: &AnyRow) -> TariffRow {
    TariffRow {
        id: r.get("id"),
        tariff: Tariff {
            service: r.get("service"),
            group: r.get("group_name"),
            zone: r.get("zone"),
            from: time::parse_date(&r.get::<String, _>("from_date")).unwrap_or_default(),
            to: time::opt_date(r.get("to_date")),
            price: r.get("price"),
            unit: unit_of(&r.get::<String, _>("unit")),
            basis: r.get("basis"),
        },
    }
}

fn norm_of(r: &AnyRow) -> NormRow {
    NormRow {
        id: r.get("id"),
        norm: Norm {
            service: r.get("service"),
            group: r.get("group_name"),
            from: time::parse_date(&r.get::<String, _>("from_date")).unwrap_or_default(),
            to: time::opt_date(r.get("to_date")),
            per: NormBasis::from_code(&r.get::<String, _>("per")).unwrap_or(NormBasis::PerPerson),
            value: r.get("value"),
            unit: Some(unit_of(&r.get::<String, _>("unit"))),
            basis: r.get("basis"),
        },
    }
}

/// Every tariff, by service, group, zone and start.
pub async fn tariffs(db: &Db) -> Result<Vec<TariffRow>> {
    read_tariffs(&mut *db.read().acquire().await?).await
}

async fn read_tariffs(conn: &mut sqlx::AnyConnection) -> Result<Vec<TariffRow>> {
    Ok(sqlx::query(&format!(
        "SELECT {TARIFF_COLS} FROM tariffs ORDER BY service, group_name, zone, from_date, id"
    ))
    .fetch_all(conn)
    .await?
    .iter()
    .map(tariff_of)
    .collect())
}

/// Every norm, by service, group and start.
pub async fn norms(db: &Db) -> Result<Vec<NormRow>> {
    read_norms(&mut *db.read().acquire().await?).await
}

async fn read_norms(conn: &mut sqlx::AnyConnection) -> Result<Vec<NormRow>> {
    Ok(sqlx::query(&format!(
        "SELECT {NORM_COLS} FROM norms ORDER BY service, group_name, from_date, id"
    ))
    .fetch_all(conn)
    .await?
    .iter()
    .map(norm_of)
    .collect())
}

/// Field names of the domain's checks, moved under the row they came from: a file's row
/// `rows[i].from`, a form's `from`.
fn under(mut e: ValidationErrors, prefix: &str) -> StoreError {
    for x in e.0.iter_mut() {
        // The domain names a register position (`tariffs[3].from`) or a bare field.
        let field = x.field.rsplit('.').next().unwrap_or(&x.field).to_string();
        x.field = format!("{prefix}{field}");
    }
    StoreError::Invalid(e)
}

/// What [`add_tariffs`] would refuse, without writing: the number of rows it would add.
pub async fn check_tariffs(
    db: &Db,
    new: &[Tariff],
    prefix: &(dyn Fn(usize) -> String + Sync),
) -> Result<usize> {
    let mut register: Vec<Tariff> = tariffs(db).await?.into_iter().map(|r| r.tariff).collect();
    for (i, t) in new.iter().enumerate() {
        register = supersede(&register, t.clone()).map_err(|e| under(e, &prefix(i)))?;
    }
    Ok(new.len())
}

/// What the register's rows share: the last day a later row sets, and how one is stored.
trait Ruled: Serialize + Sync {
    const TABLE: &'static str;
    const ENTITY: &'static str;
    fn last_day(&self) -> Option<NaiveDate>;
    fn insert<'q>(&'q self, now: &'q str) -> Query<'q, Any, AnyArguments<'q>>;
}

impl Ruled for Tariff {
    const TABLE: &'static str = "tariffs";
    const ENTITY: &'static str = "tariff";

    fn last_day(&self) -> Option<NaiveDate> {
        self.to
    }

    fn insert<'q>(&'q self, now: &'q str) -> Query<'q, Any, AnyArguments<'q>> {
        sqlx::query(
            "INSERT INTO tariffs (service, group_name, zone, from_date, to_date, price, unit, \
             basis, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(&self.service)
        .bind(self.group.as_deref())
        .bind(self.zone.as_deref())
        .bind(time::date_text(self.from))
        .bind(self.to.map(time::date_text))
        .bind(self.price)
        .bind(self.unit.code())
        .bind(&self.basis)
        .bind(now)
    }
}

impl Ruled for Norm {
    const TABLE: &'static str = "norms";
    const ENTITY: &'static str = "norm";

    fn last_day(&self) -> Option<NaiveDate> {
        self.to
    }

    fn insert<'q>(&'q self, now: &'q str) -> Query<'q, Any, AnyArguments<'q>> {
        sqlx::query(
            "INSERT INTO norms (service, group_name, from_date, to_date, per, value, unit, \
             basis, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(&self.service)
        .bind(self.group.as_deref())
        .bind(time::date_text(self.from))
        .bind(self.to.map(time::date_text))
        .bind(self.per.code())
        .bind(self.value)
        .bind(self.unit.map(Unit::code).unwrap_or("account"))
        .bind(&self.basis)
        .bind(now)
    }
}

/// Stores the register as the new rows left it: the stored rows whose last day they set,
/// then the new rows (with their last days, a later row of a file may end an earlier one),
/// each with its history entry.
async fn write<R: Ruled>(
    tx: &mut sqlx::AnyConnection,
    now: &str,
    actor: &Actor,
    stored: &[(i64, &R)],
    register: &[R],
) -> Result<Vec<i64>> {
    let update = format!("UPDATE {} SET to_date = $1 WHERE id = $2", R::TABLE);
    for ((id, before), after) in stored.iter().zip(register) {
        if before.last_day() != after.last_day() {
            sqlx::query(&update)
                .bind(after.last_day().map(time::date_text))
                .bind(id)
                .execute(&mut *tx)
                .await?;
            record(tx, now, actor, R::ENTITY, *id, "update", *before, after).await?;
        }
    }
    let mut ids = Vec::with_capacity(register.len() - stored.len());
    for row in &register[stored.len()..] {
        let id: i64 = row.insert(now).fetch_one(&mut *tx).await?.get(0);
        created(tx, now, actor, R::ENTITY, id, row).await?;
        ids.push(id);
    }
    Ok(ids)
}

/// Adds `new` (in order), each superseding the tariff in force on its first day. `prefix`
/// names a row's fields in refusals (`|i| format!("rows[{i}].")`).
pub async fn add_tariffs(
    db: &Db,
    new: &[Tariff],
    prefix: &(dyn Fn(usize) -> String + Sync),
    actor: &Actor,
) -> Result<Vec<i64>> {
    let now = db.now_text();
    let mut tx = db.write().begin().await?;
    let stored = read_tariffs(&mut tx).await?;
    let mut register: Vec<Tariff> = stored.iter().map(|r| r.tariff.clone()).collect();
    for (i, t) in new.iter().enumerate() {
        register = supersede(&register, t.clone()).map_err(|e| under(e, &prefix(i)))?;
    }
    let rows: Vec<(i64, &Tariff)> = stored.iter().map(|r| (r.id, &r.tariff)).collect();
    let ids = write(&mut tx, &now, actor, &rows, &register).await?;
    tx.commit().await?;
    Ok(ids)
}

/// Adds `new` (in order), each superseding the norm in force on its first day.
pub async fn add_norms(
    db: &Db,
    new: &[Norm],
    prefix: &(dyn Fn(usize) -> String + Sync),
    actor: &Actor,
) -> Result<Vec<i64>> {
    let now = db.now_text();
    let mut tx = db.write().begin().await?;
    let stored = read_norms(&mut tx).await?;
    let mut register: Vec<Norm> = stored.iter().map(|r| r.norm.clone()).collect();
    for (i, n) in new.iter().enumerate() {
        register = supersede_norm(&register, n.clone()).map_err(|e| under(e, &prefix(i)))?;
    }
    let rows: Vec<(i64, &Norm)> = stored.iter().map(|r| (r.id, &r.norm)).collect();
    let ids = write(&mut tx, &now, actor, &rows, &register).await?;
    tx.commit().await?;
    Ok(ids)
}

#[allow(clippy::too_many_arguments)]
async fn record<T: Serialize>(
    tx: &mut sqlx::AnyConnection,
    now: &str,
    actor: &Actor,
    entity: &str,
    id: i64,
    action: &str,
    before: &T,
    after: &T,
) -> Result<()> {
    history::record(
        tx,
        now,
        actor,
        Change {
            entity,
            entity_id: id,
            parent: None,
            action,
            before: Some(serde_json::to_value(before).unwrap_or_default()),
            after: Some(serde_json::to_value(after).unwrap_or_default()),
            note: None,
        },
    )
    .await
}

async fn created<T: Serialize>(
    tx: &mut sqlx::AnyConnection,
    now: &str,
    actor: &Actor,
    entity: &str,
    id: i64,
    row: &T,
) -> Result<()> {
    history::record(
        tx,
        now,
        actor,
        Change {
            entity,
            entity_id: id,
            parent: None,
            action: "create",
            before: None,
            after: Some(serde_json::to_value(row).unwrap_or_default()),
            note: None,
        },
    )
    .await
}

/// A building with its tariff group (none: the organization's tariffs).
#[derive(Debug, Clone, Serialize)]
pub struct BuildingGroup {
    pub building_id: i64,
    pub address: String,
    pub group: Option<String>,
}

/// Every open building with its group, by address.
pub async fn building_groups(db: &Db) -> Result<Vec<BuildingGroup>> {
    let rows = sqlx::query(
        "SELECT b.id, b.city, b.street, b.house, b.korpus, b.stroenie, g.group_name \
         FROM buildings b LEFT JOIN tariff_groups g ON g.building_id = b.id \
         WHERE b.closed_at IS NULL ORDER BY b.street, b.house, b.id",
    )
    .fetch_all(db.read())
    .await?;
    Ok(rows
        .iter()
        .map(|r| BuildingGroup {
            building_id: r.get("id"),
            address: crate::search::address_of(r),
            group: r.get("group_name"),
        })
        .collect())
}

/// The tariff group of a building.
pub async fn group_of(db: &Db, building_id: i64) -> Result<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT group_name FROM tariff_groups WHERE building_id = $1")
            .bind(building_id)
            .fetch_optional(db.read())
            .await?,
    )
}

/// Puts a building into a tariff group (`None`: back to the organization's tariffs).
pub async fn set_group(
    db: &Db,
    building_id: i64,
    group: Option<&str>,
    actor: &Actor,
) -> Result<()> {
    let now = db.now_text();
    let mut tx = db.write().begin().await?;
    let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM buildings WHERE id = $1")
        .bind(building_id)
        .fetch_optional(&mut *tx)
        .await?;
    if exists.is_none() {
        let refusal = abonent_domain::registry::RegistryRefusal::NoSuchBuilding { building_id };
        return Err(StoreError::Invalid(refusal.into()));
    }
    let before: Option<String> =
        sqlx::query_scalar("SELECT group_name FROM tariff_groups WHERE building_id = $1")
            .bind(building_id)
            .fetch_optional(&mut *tx)
            .await?;
    if before.as_deref() == group {
        return Ok(());
    }
    sqlx::query("DELETE FROM tariff_groups WHERE building_id = $1")
        .bind(building_id)
        .execute(&mut *tx)
        .await?;
    if let Some(g) = group {
        sqlx::query("INSERT INTO tariff_groups (building_id, group_name) VALUES ($1, $2)")
            .bind(building_id)
            .bind(g)
            .execute(&mut *tx)
            .await?;
    }
    history::record(
        &mut tx,
        &now,
        actor,
        Change {
            entity: "building",
            entity_id: building_id,
            parent: None,
            action: "update",
            before: Some(serde_json::json!({ "tariff_group": before })),
            after: Some(serde_json::json!({ "tariff_group": group })),
            note: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A charge or recalculation line of an account's month as the ledger holds it.
#[derive(Debug, Clone, Serialize)]
pub struct MonthLine {
    pub kind: EntryKind,
    pub service: Option<String>,
    pub service_title: Option<String>,
    pub amount: i64,
    /// As the charges file wrote them (decimal text).
    pub volume: Option<String>,
    pub tariff: Option<String>,
    pub unit: Option<String>,
    pub reason: Option<String>,
}

/// The charges and recalculations of `account_id` for `period`, in ledger order.
pub async fn month_lines(db: &Db, account_id: i64, period: Period) -> Result<Vec<MonthLine>> {
    let rows = sqlx::query(
        "SELECT e.kind, e.service, s.title, e.amount, e.volume, e.tariff, e.unit, e.reason \
         FROM ledger_entries e LEFT JOIN services s ON s.code = e.service \
         WHERE e.account_id = $1 AND e.period = $2 AND e.kind IN ($3, $4) ORDER BY e.id",
    )
    .bind(account_id)
    .bind(period.to_string())
    .bind(kind_code(EntryKind::Charge))
    .bind(kind_code(EntryKind::Recalculation))
    .fetch_all(db.read())
    .await?;
    Ok(rows
        .iter()
        .map(|r| MonthLine {
            kind: kind_from_code(&r.get::<String, _>(0)).unwrap_or(EntryKind::Charge),
            service: r.get(1),
            service_title: r.get(2),
            amount: r.get(3),
            volume: r.get(4),
            tariff: r.get(5),
            unit: r.get(6),
            reason: r.get(7),
        })
        .collect())
}

/// The last month with a charge or recalculation on the account.
pub async fn last_charged_period(db: &Db, account_id: i64) -> Result<Option<Period>> {
    let p: Option<String> = sqlx::query_scalar(
        "SELECT MAX(period) FROM ledger_entries WHERE account_id = $1 AND kind IN ($2, $3)",
    )
    .bind(account_id)
    .bind(kind_code(EntryKind::Charge))
    .bind(kind_code(EntryKind::Recalculation))
    .fetch_one(db.read())
    .await?;
    Ok(p.as_deref().and_then(Period::parse))
}
