//! The account ledger in the database: services, ledger entries (append-only), imports of
//! charges and payment registers, the unmatched-payments queue, reference data (key rates,
//! penalty settings, due-date rules) with history, the monthly penalty run, the debt summary
//! the debtor list reads, and the turnover sheet. The rules themselves are in
//! `abonent_domain::ledger` and `abonent_domain::penalty`.

pub mod charges;
pub mod debt_cases;
pub mod debts;
pub mod entries;
pub mod load;
pub mod payments;
pub mod penalties;
pub mod profiles;
pub mod reference;
pub mod services;
pub mod turnover;
pub mod unnest;

use abonent_domain::ledger::checks::NO_SUCH_ACCOUNT;
use abonent_domain::ledger::words::internal;
use abonent_domain::ledger::{Entry, EntryKind, Period};
use chrono::NaiveDate;
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::{time, Db, Result, StoreError};

pub use entries::{CashPayment, LedgerEntry};

/// Code of a kind as stored.
pub fn kind_code(k: EntryKind) -> &'static str {
    match k {
        EntryKind::Opening => "opening",
        EntryKind::Charge => "charge",
        EntryKind::Recalculation => "recalculation",
        EntryKind::Payment => "payment",
        EntryKind::Reversal => "reversal",
        EntryKind::Penalty => "penalty",
    }
}

pub fn kind_from_code(s: &str) -> Option<EntryKind> {
    Some(match s {
        "opening" => EntryKind::Opening,
        "charge" => EntryKind::Charge,
        "recalculation" => EntryKind::Recalculation,
        "payment" => EntryKind::Payment,
        "reversal" => EntryKind::Reversal,
        "penalty" => EntryKind::Penalty,
        _ => return None,
    })
}

/// A service charges are made for (reference data the administrator edits, `services`).
#[derive(Debug, Clone, Serialize)]
pub struct Service {
    pub code: String,
    pub title: String,
    /// `utility`, `maintenance`, `capital_repair` or `other` (migration 0016).
    pub kind: String,
    /// May be limited or suspended for a debt (migration 0030).
    pub may_suspend: bool,
    /// Words a charges file names it by.
    pub names: Vec<String>,
    /// Its place in lists and its number in the history.
    pub number: i64,
}

/// The kind of a capital repair contribution (ЖК ст. 155 ч. 14.1).
pub const CAPITAL_REPAIR: &str = "capital_repair";

pub async fn services(db: &Db) -> Result<Vec<Service>> {
    Ok(sqlx::query(
        "SELECT code, title, kind, may_suspend, names, sort_order FROM services \
         ORDER BY sort_order, code",
    )
    .fetch_all(db.read())
    .await?
    .iter()
    .map(services::of)
    .collect())
}

/// Codes of the services that are capital repair contributions.
pub async fn capital_repair_services(db: &Db) -> Result<Vec<String>> {
    Ok(services(db)
        .await?
        .into_iter()
        .filter(|s| s.kind == CAPITAL_REPAIR)
        .map(|s| s.code)
        .collect())
}

/// `paid_to` of a payment credited to penalties.
pub const PAID_TO_PENALTIES: &str = "penalties";

/// The Russian title of a service code (the code itself when unknown; «—» for none).
pub fn service_title(services: &[Service], code: Option<&str>) -> String {
    match code {
        None | Some("") => "—".into(),
        Some(c) => services
            .iter()
            .find(|s| s.code == c)
            .map_or_else(|| c.to_string(), |s| s.title.clone()),
    }
}

/// Last day of a period: charges are dated there unless the file says otherwise.
pub fn period_end(p: Period) -> NaiveDate {
    p.next()
        .first_day()
        .pred_opt()
        .unwrap_or_else(|| p.first_day())
}

pub(crate) fn period_of(s: &str) -> Result<Period> {
    Period::parse(s).ok_or_else(|| StoreError::Other(internal::bad_period(s)))
}

pub(crate) fn date_of(s: &str) -> Result<NaiveDate> {
    time::parse_date(s).ok_or_else(|| StoreError::Other(internal::bad_date(s)))
}

pub(crate) fn domain_entry(r: &AnyRow) -> Result<Entry> {
    let kind: String = r.get("kind");
    Ok(Entry {
        id: r.get("id"),
        kind: kind_from_code(&kind)
            .ok_or_else(|| StoreError::Other(internal::unknown_journal_kind(&kind)))?,
        period: period_of(&r.get::<String, _>("period"))?,
        service: r.get("service"),
        amount: r.get("amount"),
        date: date_of(&r.get::<String, _>("entry_date"))?,
        paid_period: r
            .get::<Option<String>, _>("paid_period")
            .as_deref()
            .and_then(Period::parse),
        reverses: r.get("reverses"),
        for_penalties: r.get::<Option<String>, _>("paid_to").as_deref() == Some(PAID_TO_PENALTIES),
    })
}

/// Every entry of one account as the domain sees them, in posting order.
pub async fn domain_entries(db: &Db, account_id: i64) -> Result<Vec<Entry>> {
    let rows = sqlx::query(
        "SELECT id, kind, period, service, amount, entry_date, paid_period, reverses, paid_to \
         FROM ledger_entries WHERE account_id = $1 ORDER BY id",
    )
    .bind(account_id)
    .fetch_all(db.read())
    .await?;
    rows.iter().map(domain_entry).collect()
}

/// SQLite: a page cache that holds the growing indexes of a bulk load (the default spills
/// pages to the WAL in the middle of the transaction). Returns whether it was raised.
pub(crate) async fn big_cache(
    conn: &mut sqlx::AnyConnection,
    backend: crate::Backend,
) -> Result<bool> {
    if backend != crate::Backend::Sqlite {
        return Ok(false);
    }
    sqlx::query("PRAGMA cache_size=-262144")
        .execute(&mut *conn)
        .await?;
    Ok(true)
}

/// Back to the pool's usual cache (see `db.rs`).
pub(crate) async fn normal_cache(conn: &mut sqlx::AnyConnection, raised: bool) {
    if raised {
        let _ = sqlx::query("PRAGMA cache_size=-8000")
            .execute(&mut *conn)
            .await;
    }
}

/// The account must exist; its number for messages.
pub(crate) async fn account_number(
    conn: &mut sqlx::AnyConnection,
    account_id: i64,
) -> Result<String> {
    sqlx::query_scalar::<_, String>("SELECT number FROM accounts WHERE id = $1")
        .bind(account_id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| StoreError::invalid("account_id", NO_SUCH_ACCOUNT))
}
