//! Charges, recalculations and opening balances from the billing system's file: all or
//! nothing in one transaction; the same file (by SHA-256 of its bytes) only once.

use std::collections::{HashMap, HashSet};

use abonent_domain::ledger::checks::{charge_file_kind, charge_line, file};
use abonent_domain::ledger::{EntryKind, Period};
use abonent_domain::ValidationErrors;
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::{AnyConnection, Row};

use super::{kind_code, period_end};
use crate::bulk::BulkValue;
use crate::history::Actor;
use crate::{time, Db, Result, StoreError};

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// A file already loaded into the ledger.
#[derive(Debug, Clone, Serialize)]
pub struct LedgerImport {
    pub id: i64,
    pub kind: String,
    pub file_name: String,
    pub rows_total: i64,
    pub amount_total: i64,
    pub matched: i64,
    pub unmatched: i64,
    pub created_by_name: String,
    pub created_at: String,
}

const IMPORT_COLS: &str = "id, kind, file_name, rows_total, amount_total, matched, unmatched, created_by_name, created_at";

fn import_of(r: &sqlx::any::AnyRow) -> LedgerImport {
    LedgerImport {
        id: r.get(0),
        kind: r.get(1),
        file_name: r.get(2),
        rows_total: r.get(3),
        amount_total: r.get(4),
        matched: r.get(5),
        unmatched: r.get(6),
        created_by_name: r.get(7),
        created_at: r.get(8),
    }
}

/// The import of a file with these bytes, if it was loaded before.
pub async fn find_by_hash(db: &Db, sha256: &str) -> Result<Option<LedgerImport>> {
    Ok(sqlx::query(&format!(
        "SELECT {IMPORT_COLS} FROM ledger_imports WHERE sha256 = $1"
    ))
    .bind(sha256)
    .fetch_optional(db.read())
    .await?
    .as_ref()
    .map(import_of))
}

pub async fn imports(db: &Db, limit: i64) -> Result<Vec<LedgerImport>> {
    Ok(sqlx::query(&format!(
        "SELECT {IMPORT_COLS} FROM ledger_imports ORDER BY id DESC LIMIT $1"
    ))
    .bind(limit)
    .fetch_all(db.read())
    .await?
    .iter()
    .map(import_of)
    .collect())
}

/// Russian message for a file loaded before.
pub fn duplicate_message(prev: &LedgerImport) -> String {
    file::loaded_before(&prev.created_at, &prev.created_by_name, prev.id)
}

/// What identifies a file being loaded.
#[derive(Debug, Clone)]
pub struct FileMeta {
    /// `charges`, `register`, `client_bank`.
    pub kind: &'static str,
    pub file_name: String,
    pub sha256: String,
    pub profile_id: Option<i64>,
}

/// Start an import inside `conn`'s transaction: refuses a file loaded before; returns its id.
/// [`INSERT_IMPORT`] with its parameters bound, for the `Any` and the native PostgreSQL
/// driver alike.
macro_rules! insert_import {
    ($query:expr, $meta:expr, $actor:expr, $now:expr) => {
        $query
            .bind($meta.kind)
            .bind(&$meta.file_name)
            .bind(&$meta.sha256)
            .bind($meta.profile_id)
            .bind($actor.user_id)
            .bind(&$actor.name)
            .bind($now)
    };
}
pub(crate) use insert_import;

/// A new row of `ledger_imports`: kind, file name, hash, profile, user id, user name, time.
pub(crate) const INSERT_IMPORT: &str = "INSERT INTO ledger_imports (kind, file_name, sha256, profile_id, created_by, created_by_name, created_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id";
/// An import's totals: rows, amount, matched, unmatched, id.
pub(crate) const FINISH_IMPORT: &str =
    "UPDATE ledger_imports SET rows_total = $1, amount_total = $2, matched = $3, unmatched = $4 WHERE id = $5";
/// Account number → id, for matching.
pub(crate) const ACCOUNT_INDEX: &str = "SELECT number, id FROM accounts";

pub(crate) async fn begin_import(
    conn: &mut AnyConnection,
    now: &str,
    meta: &FileMeta,
    actor: &Actor,
) -> Result<i64> {
    let prev = sqlx::query(&format!(
        "SELECT {IMPORT_COLS} FROM ledger_imports WHERE sha256 = $1"
    ))
    .bind(&meta.sha256)
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(p) = prev {
        return Err(StoreError::invalid(
            "file",
            duplicate_message(&import_of(&p)),
        ));
    }
    Ok(
        insert_import!(sqlx::query_scalar(INSERT_IMPORT), meta, actor, now)
            .fetch_one(&mut *conn)
            .await?,
    )
}

pub(crate) async fn finish_import(
    conn: &mut AnyConnection,
    id: i64,
    rows: i64,
    amount: i64,
    matched: i64,
    unmatched: i64,
) -> Result<()> {
    sqlx::query(FINISH_IMPORT)
        .bind(rows)
        .bind(amount)
        .bind(matched)
        .bind(unmatched)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Account number (trimmed, upper case) → (id, premises open).
pub(crate) async fn account_index(conn: &mut AnyConnection) -> Result<HashMap<String, i64>> {
    Ok(sqlx::query(ACCOUNT_INDEX)
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(|r| (r.get::<String, _>(0), r.get::<i64, _>(1)))
        .collect())
}

/// Every account number as stored (for matching a file before it is loaded).
pub async fn account_numbers(db: &Db) -> Result<HashSet<String>> {
    Ok(sqlx::query_scalar("SELECT number FROM accounts")
        .fetch_all(db.read())
        .await?
        .into_iter()
        .collect())
}

pub(crate) fn norm_number(n: &str) -> String {
    n.trim().to_uppercase()
}

/// One line of a charges file, checked by the import crate.
#[derive(Debug, Clone)]
pub struct ChargeLine {
    pub line: usize,
    pub account_number: String,
    pub period: Period,
    pub service: Option<String>,
    pub amount: i64,
    pub volume: Option<String>,
    pub tariff: Option<String>,
    pub unit: Option<String>,
    /// Charge, Recalculation or Opening.
    pub kind: EntryKind,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct ChargesSummary {
    pub import_id: i64,
    pub rows: usize,
    pub accounts: usize,
    pub charged: i64,
    pub recalculated: i64,
    pub opening: i64,
    #[serde(skip)]
    pub account_ids: Vec<i64>,
}

const COLS: &[&str] = &[
    "account_id",
    "kind",
    "period",
    "service",
    "amount",
    "entry_date",
    "volume",
    "tariff",
    "unit",
    "reason",
    "import_id",
    "created_by",
    "created_at",
];

const TYPES: &[super::unnest::Col] = {
    use super::unnest::Col::{Int, Text};
    &[
        Int, Text, Text, Text, Int, Text, Text, Text, Text, Text, Int, Int, Text,
    ]
};

/// Rows per statement round (and per progress report).
const SLICE: usize = 5_000;

/// Store the lines of a charges file. Unknown accounts or services refuse the whole file
/// with a message per line; so does a file loaded before.
pub async fn import_charges(
    db: &Db,
    meta: &FileMeta,
    lines: &[ChargeLine],
    actor: &Actor,
    progress: &(dyn Fn(usize) + Sync),
) -> Result<ChargesSummary> {
    if lines.is_empty() {
        return Err(StoreError::invalid("file", file::NO_CHARGES));
    }
    let mut tx = db.write().begin().await?;
    let import_id = begin_import(&mut tx, &db.now_text(), meta, actor).await?;
    let accounts = account_index(&mut tx).await?;
    let services: HashSet<String> = sqlx::query_scalar("SELECT code FROM services")
        .fetch_all(&mut *tx)
        .await?
        .into_iter()
        .collect();
    let mut errors = ValidationErrors::new();
    let mut ids = Vec::with_capacity(lines.len());
    for l in lines {
        match accounts.get(&norm_number(&l.account_number)) {
            Some(id) => ids.push(*id),
            None => {
                ids.push(0);
                errors.add(
                    &format!("rows[{}].account_number", l.line),
                    charge_line::unknown_account(l.line, &l.account_number),
                );
            }
        }
        if let Some(s) = &l.service {
            if !services.contains(s) {
                errors.add(
                    &format!("rows[{}].service", l.line),
                    charge_line::unknown_service(l.line, s),
                );
            }
        }
        if !charge_file_kind(l.kind) {
            errors.add(
                &format!("rows[{}].kind", l.line),
                charge_line::wrong_kind(l.line),
            );
        }
    }
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let now = db.now_text();
    let mut sum = ChargesSummary {
        import_id,
        rows: lines.len(),
        ..Default::default()
    };
    let mut done = 0;
    for (chunk, chunk_ids) in lines.chunks(SLICE).zip(ids.chunks(SLICE)) {
        let rows: Vec<Vec<BulkValue>> = chunk
            .iter()
            .zip(chunk_ids)
            .map(|(l, id)| {
                match l.kind {
                    EntryKind::Recalculation => sum.recalculated += l.amount,
                    EntryKind::Opening => sum.opening += l.amount,
                    _ => sum.charged += l.amount,
                }
                vec![
                    BulkValue::Int(*id),
                    kind_code(l.kind).into(),
                    l.period.to_string().into(),
                    l.service.as_ref().into(),
                    BulkValue::Int(l.amount),
                    time::date_text(period_end(l.period)).into(),
                    l.volume.as_ref().into(),
                    l.tariff.as_ref().into(),
                    l.unit.as_ref().into(),
                    l.reason.as_ref().into(),
                    BulkValue::Int(import_id),
                    actor.user_id.into(),
                    (&now).into(),
                ]
            })
            .collect();
        super::unnest::insert(&mut tx, db.backend(), "ledger_entries", COLS, TYPES, &rows).await?;
        done += chunk.len();
        progress(done);
    }
    let mut distinct = ids;
    distinct.sort_unstable();
    distinct.dedup();
    sum.accounts = distinct.len();
    sum.account_ids = distinct;
    finish_import(
        &mut tx,
        import_id,
        lines.len() as i64,
        sum.charged + sum.recalculated + sum.opening,
        lines.len() as i64,
        0,
    )
    .await?;
    tx.commit().await.map_err(|e| match StoreError::from(e) {
        e if e.is_unique_violation() => StoreError::invalid("file", file::LOADED_JUST_NOW),
        e => e,
    })?;
    Ok(sum)
}
