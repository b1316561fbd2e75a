use abonent_domain::missing::Missing;
use abonent_domain::registry::{AccountData, RegistryRefusal, Share};
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::Row;

use super::{close_reason, diff, Page, PageReq};
use crate::history::{self, Actor, Change};
use crate::{search, time, Db, Result, StoreError};

#[derive(Debug, Clone, Serialize)]
pub struct Account {
    pub id: i64,
    #[serde(flatten)]
    pub data: AccountData,
    pub building_id: i64,
    /// Building address with the flat: `г. Екатеринбург, ул. Ленина, д. 5, кв. 12`.
    pub address: String,
    pub premises_label: String,
    pub close_reason: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AccountListItem {
    pub id: i64,
    pub number: String,
    pub address: String,
    pub owners: String,
    pub opened_on: String,
    pub closed_on: Option<String>,
    /// The person `owners` names, for the personal-data access log.
    #[serde(skip)]
    pub owner_id: Option<i64>,
}

#[derive(Debug, Clone, Default)]
pub struct AccountFilter {
    pub number: Option<String>,
    pub building_id: Option<i64>,
    /// `open` (default), `closed`, `all`.
    pub status: Option<String>,
    /// `number`, `address`, `opened_on`; `-` prefix for descending.
    pub sort: Option<String>,
}

const COLS: &str =
    "a.id, a.number, a.premises_id, a.opened_on, a.closed_on, a.share_num, a.share_den, \
    a.close_reason, p.building_id, p.number AS premises_number, p.residential, \
    b.city, b.street, b.house, b.korpus, b.stroenie";
const FROM: &str =
    "accounts a JOIN premises p ON p.id = a.premises_id JOIN buildings b ON b.id = p.building_id";

fn premises_label(r: &AnyRow) -> String {
    abonent_domain::registry::premises_label(
        &r.get::<String, _>("premises_number"),
        r.get::<i64, _>("residential") != 0,
    )
}

fn from_row(r: &AnyRow) -> Account {
    let label = premises_label(r);
    Account {
        id: r.get("id"),
        data: AccountData {
            number: r.get("number"),
            premises_id: r.get("premises_id"),
            opened_on: time::opt_date(r.get("opened_on")).unwrap_or_default(),
            closed_on: time::opt_date(r.get("closed_on")),
            share: Share {
                num: r.get::<i64, _>("share_num") as i32,
                den: r.get::<i64, _>("share_den") as i32,
            },
        },
        building_id: r.get("building_id"),
        address: format!("{}, {label}", search::address_of(r)),
        premises_label: label,
        close_reason: r.get("close_reason"),
    }
}

fn duplicate(number: &str) -> StoreError {
    RegistryRefusal::AccountNumberTaken {
        number: number.to_string(),
    }
    .into()
}

async fn check_premises(conn: &mut sqlx::AnyConnection, premises_id: i64) -> Result<()> {
    let row = sqlx::query("SELECT closed_at FROM premises WHERE id = $1")
        .bind(premises_id)
        .fetch_optional(&mut *conn)
        .await?;
    match row {
        None => Err(RegistryRefusal::NoSuchPremises { premises_id }.into()),
        Some(r) if r.get::<Option<String>, _>(0).is_some() => {
            Err(RegistryRefusal::PremisesClosed.into())
        }
        Some(_) => Ok(()),
    }
}

/// Open accounts already on the premises: a likely duplicate the specialist should see.
pub async fn open_on_premises(
    db: &Db,
    premises_id: i64,
    except: Option<i64>,
) -> Result<Vec<String>> {
    Ok(sqlx::query("SELECT number FROM accounts WHERE premises_id = $1 AND closed_on IS NULL AND id <> $2 ORDER BY number")
        .bind(premises_id)
        .bind(except.unwrap_or(0))
        .fetch_all(db.read())
        .await?
        .iter()
        .map(|r| r.get(0))
        .collect())
}

pub async fn create(db: &Db, d: &AccountData, actor: &Actor) -> Result<i64> {
    let mut tx = db.write().begin().await?;
    check_premises(&mut tx, d.premises_id).await?;
    let now = db.now_text();
    let res = sqlx::query(
        "INSERT INTO accounts (number, premises_id, opened_on, closed_on, share_num, share_den, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
    )
    .bind(&d.number)
    .bind(d.premises_id)
    .bind(time::date_text(d.opened_on))
    .bind(d.closed_on.map(time::date_text))
    .bind(i64::from(d.share.num))
    .bind(i64::from(d.share.den))
    .bind(&now)
    .fetch_one(&mut *tx)
    .await
    .map_err(StoreError::from);
    let id: i64 = match res {
        Ok(r) => r.get(0),
        Err(e) if e.is_unique_violation() => return Err(duplicate(&d.number)),
        Err(e) => return Err(e),
    };
    history::record(
        &mut tx,
        &now,
        actor,
        Change {
            entity: "account",
            entity_id: id,
            parent: None,
            action: "create",
            before: None,
            after: Some(serde_json::to_value(d).unwrap_or_default()),
            note: None,
        },
    )
    .await?;
    search::reindex_account(&mut tx, id).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn get(db: &Db, id: i64) -> Result<Account> {
    sqlx::query(&format!("SELECT {COLS} FROM {FROM} WHERE a.id = $1"))
        .bind(id)
        .fetch_optional(db.read())
        .await?
        .map(|r| from_row(&r))
        .ok_or_else(|| StoreError::from(Missing::Account(id)))
}

pub async fn by_number(db: &Db, number: &str) -> Result<Option<Account>> {
    Ok(
        sqlx::query(&format!("SELECT {COLS} FROM {FROM} WHERE a.number = $1"))
            .bind(number.trim().to_uppercase())
            .fetch_optional(db.read())
            .await?
            .map(|r| from_row(&r)),
    )
}

pub async fn update(db: &Db, id: i64, d: &AccountData, actor: &Actor) -> Result<()> {
    let old = get(db, id).await?;
    let mut tx = db.write().begin().await?;
    if old.data.premises_id != d.premises_id {
        check_premises(&mut tx, d.premises_id).await?;
    }
    let res = sqlx::query(
        "UPDATE accounts SET number = $1, premises_id = $2, opened_on = $3, closed_on = $4, \
         share_num = $5, share_den = $6, updated_at = $7 WHERE id = $8",
    )
    .bind(&d.number)
    .bind(d.premises_id)
    .bind(time::date_text(d.opened_on))
    .bind(d.closed_on.map(time::date_text))
    .bind(i64::from(d.share.num))
    .bind(i64::from(d.share.den))
    .bind(db.now_text())
    .bind(id)
    .execute(&mut *tx)
    .await
    .map_err(StoreError::from);
    match res {
        Err(e) if e.is_unique_violation() => return Err(duplicate(&d.number)),
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
                entity: "account",
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
    search::reindex_account(&mut tx, id).await?;
    tx.commit().await?;
    Ok(())
}

/// Close the account on a date, with a reason. The record stays, as evidence.
pub async fn close(
    db: &Db,
    id: i64,
    on: chrono::NaiveDate,
    reason: &str,
    actor: &Actor,
) -> Result<()> {
    let reason = close_reason(reason)?;
    let a = get(db, id).await?;
    if a.data.closed_on.is_some() {
        return Err(RegistryRefusal::AccountClosed.into());
    }
    if on < a.data.opened_on {
        return Err(RegistryRefusal::ClosedBeforeOpened.into());
    }
    let mut tx = db.write().begin().await?;
    sqlx::query(
        "UPDATE accounts SET closed_on = $1, close_reason = $2, updated_at = $3 WHERE id = $4",
    )
    .bind(time::date_text(on))
    .bind(&reason)
    .bind(db.now_text())
    .bind(id)
    .execute(&mut *tx)
    .await?;
    history::record(
        &mut tx,
        &db.now_text(),
        actor,
        Change {
            entity: "account",
            entity_id: id,
            parent: None,
            action: "close",
            before: Some(serde_json::json!({"closed_on": null})),
            after: Some(serde_json::json!({"closed_on": time::date_text(on)})),
            note: Some(&reason),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn list(db: &Db, f: &AccountFilter, page: PageReq) -> Result<Page<AccountListItem>> {
    let mut wh = vec!["1=1".to_string()];
    let mut args: Vec<String> = Vec::new();
    match f.status.as_deref().unwrap_or("open") {
        "closed" => wh.push("a.closed_on IS NOT NULL".into()),
        "all" => {}
        _ => wh.push("a.closed_on IS NULL".into()),
    }
    if let Some(n) = f.number.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        args.push(n.to_uppercase());
        args.push(abonent_domain::search::prefix_upper_bound(
            &n.to_uppercase(),
        ));
        wh.push(format!(
            "a.number >= ${} AND a.number < ${}",
            args.len() - 1,
            args.len()
        ));
    }
    if let Some(b) = f.building_id {
        wh.push(format!("p.building_id = {b}"));
    }
    let order = match f.sort.as_deref().unwrap_or("number") {
        "-number" => "a.number DESC",
        "address" => "b.street, LENGTH(b.house), b.house, LENGTH(p.number), p.number",
        "-address" => "b.street DESC, LENGTH(b.house) DESC, b.house DESC, LENGTH(p.number) DESC, p.number DESC",
        "opened_on" => "a.opened_on, a.number",
        "-opened_on" => "a.opened_on DESC, a.number",
        _ => "a.number",
    };
    let wh = wh.join(" AND ");
    let owners = "(SELECT MIN(pe.last_name || ' ' || pe.first_name) FROM account_persons ap \
        JOIN persons pe ON pe.id = ap.person_id WHERE ap.account_id = a.id AND ap.role IN ('owner','tenant') \
        AND ap.closed_at IS NULL) AS owners, \
        (SELECT pe.id FROM account_persons ap JOIN persons pe ON pe.id = ap.person_id \
        WHERE ap.account_id = a.id AND ap.role IN ('owner','tenant') AND ap.closed_at IS NULL \
        ORDER BY pe.last_name || ' ' || pe.first_name, pe.id LIMIT 1) AS owner_id";
    let sql = format!(
        "SELECT {COLS}, {owners} FROM {FROM} WHERE {wh} ORDER BY {order} LIMIT {} OFFSET {}",
        page.per_page,
        page.offset()
    );
    let mut q = sqlx::query(&sql);
    let count_sql = format!("SELECT COUNT(*) FROM {FROM} WHERE {wh}");
    let mut c = sqlx::query_scalar::<_, i64>(&count_sql);
    for a in &args {
        q = q.bind(a.clone());
        c = c.bind(a.clone());
    }
    let items = q
        .fetch_all(db.read())
        .await?
        .iter()
        .map(|r| {
            let a = from_row(r);
            AccountListItem {
                id: a.id,
                number: a.data.number,
                address: a.address,
                owners: r.get::<Option<String>, _>("owners").unwrap_or_default(),
                opened_on: time::date_text(a.data.opened_on),
                closed_on: a.data.closed_on.map(time::date_text),
                owner_id: r.get("owner_id"),
            }
        })
        .collect();
    let total = c.fetch_one(db.read()).await?;
    Ok(Page {
        items,
        total,
        page: page.page,
        per_page: page.per_page,
    })
}

/// Accounts of a premises (the premises card).
pub async fn of_premises(db: &Db, premises_id: i64) -> Result<Vec<Account>> {
    Ok(sqlx::query(&format!(
        "SELECT {COLS} FROM {FROM} WHERE a.premises_id = $1 ORDER BY a.number"
    ))
    .bind(premises_id)
    .fetch_all(db.read())
    .await?
    .iter()
    .map(from_row)
    .collect())
}
