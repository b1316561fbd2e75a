//! Reading an account's ledger lines, and the two entries made by hand: a cash-desk payment
//! with its receipt, and the reversal of a payment. Nothing is ever edited or deleted.

use abonent_domain::ledger::words::{internal, noun, reversal_note, CASH_PAYMENT_NOTE};
use abonent_domain::ledger::{
    check_cash_payment, check_reversal_reason, EntryKind, LedgerRefusal, Period,
};
use abonent_domain::ValidationErrors;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sqlx::Row;

use super::{account_number, kind_code, kind_from_code, period_of};
use crate::history::{self, Actor, Change};
use crate::{time, Db, Result, StoreError};

/// One ledger line with everything that explains it.
#[derive(Debug, Clone, Serialize)]
pub struct LedgerEntry {
    pub id: i64,
    pub account_id: i64,
    pub kind: EntryKind,
    pub period: Period,
    pub service: Option<String>,
    /// Kopecks.
    pub amount: i64,
    pub date: NaiveDate,
    pub paid_period: Option<Period>,
    pub reverses: Option<i64>,
    /// The reversal that cancelled this payment, if any.
    pub reversed_by: Option<i64>,
    pub volume: Option<String>,
    pub tariff: Option<String>,
    pub unit: Option<String>,
    pub reason: Option<String>,
    pub import_id: Option<i64>,
    pub run_id: Option<i64>,
    pub operation_id: Option<String>,
    pub receipt_no: Option<String>,
    pub payer: Option<String>,
    pub created_at: String,
    /// A payment credited to penalties first (its purpose named them).
    pub for_penalties: bool,
}

const COLS: &str = "e.id, e.account_id, e.kind, e.period, e.service, e.amount, e.entry_date, \
    e.paid_period, e.reverses, e.volume, e.tariff, e.unit, e.reason, e.import_id, e.run_id, \
    e.operation_id, e.receipt_no, e.payer, e.created_at, e.paid_to, \
    (SELECT r.id FROM ledger_entries r WHERE r.kind = 'reversal' AND r.reverses = e.id) AS reversed_by";

fn from_row(r: &sqlx::any::AnyRow) -> Result<LedgerEntry> {
    let kind: String = r.get("kind");
    Ok(LedgerEntry {
        id: r.get("id"),
        account_id: r.get("account_id"),
        kind: kind_from_code(&kind)
            .ok_or_else(|| StoreError::Other(internal::unknown_entry_kind(&kind)))?,
        period: period_of(&r.get::<String, _>("period"))?,
        service: r.get("service"),
        amount: r.get("amount"),
        date: super::date_of(&r.get::<String, _>("entry_date"))?,
        paid_period: r
            .get::<Option<String>, _>("paid_period")
            .as_deref()
            .and_then(Period::parse),
        reverses: r.get("reverses"),
        reversed_by: r.get("reversed_by"),
        volume: r.get("volume"),
        tariff: r.get("tariff"),
        unit: r.get("unit"),
        reason: r.get("reason"),
        import_id: r.get("import_id"),
        run_id: r.get("run_id"),
        operation_id: r.get("operation_id"),
        receipt_no: r.get("receipt_no"),
        payer: r.get("payer"),
        created_at: r.get("created_at"),
        for_penalties: r.get::<Option<String>, _>("paid_to").as_deref()
            == Some(super::PAID_TO_PENALTIES),
    })
}

/// Lines of an account, newest period first, optionally within `from..=to`.
pub async fn list(
    db: &Db,
    account_id: i64,
    from: Option<Period>,
    to: Option<Period>,
) -> Result<Vec<LedgerEntry>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLS} FROM ledger_entries e WHERE e.account_id = $1 \
         AND e.period >= $2 AND e.period <= $3 ORDER BY e.period DESC, e.entry_date DESC, e.id DESC"
    ))
    .bind(account_id)
    .bind(from.map_or_else(|| "0000-00".into(), |p| p.to_string()))
    .bind(to.map_or_else(|| "9999-99".into(), |p| p.to_string()))
    .fetch_all(db.read())
    .await?;
    rows.iter().map(from_row).collect()
}

pub async fn get(db: &Db, id: i64) -> Result<LedgerEntry> {
    let r = sqlx::query(&format!(
        "SELECT {COLS} FROM ledger_entries e WHERE e.id = $1"
    ))
    .bind(id)
    .fetch_optional(db.read())
    .await?
    .ok_or_else(|| StoreError::NotFound(noun::ENTRY.into()))?;
    from_row(&r)
}

/// A payment taken at the cash desk.
#[derive(Debug, Clone, Deserialize)]
pub struct CashPayment {
    pub account_id: i64,
    /// Kopecks, more than zero.
    pub amount: i64,
    pub paid_on: NaiveDate,
    /// The period the payer named (`2026-10`); none: oldest debt first.
    pub paid_period: Option<Period>,
    /// Number of the cash receipt (чек ККТ or ПКО).
    pub receipt_no: String,
    pub payer: Option<String>,
    /// The payer pays penalties («оплата пени» at the cash desk): the payment pays the
    /// penalties owed first, as a bank payment whose purpose names them.
    #[serde(default)]
    pub for_penalties: bool,
}

impl CashPayment {
    pub fn validate(&self, today: NaiveDate) -> std::result::Result<(), ValidationErrors> {
        check_cash_payment(self.amount, &self.receipt_no, self.paid_on, today)
    }
}

/// Post a cash-desk payment. The same receipt number on the same day is refused. The
/// account's debt summary is refreshed as of `today` in the same transaction.
pub async fn cash_payment(
    db: &Db,
    p: &CashPayment,
    today: NaiveDate,
    actor: &Actor,
) -> Result<i64> {
    p.validate(today)?;
    let receipt = p.receipt_no.trim();
    let mut tx = db.write().begin().await?;
    let number = account_number(&mut tx, p.account_id).await?;
    let dup: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM ledger_entries WHERE kind = 'payment' AND receipt_no = $1 AND entry_date = $2",
    )
    .bind(receipt)
    .bind(time::date_text(p.paid_on))
    .fetch_optional(&mut *tx)
    .await?;
    if dup.is_some() {
        return Err(LedgerRefusal::ReceiptPosted {
            receipt: receipt.to_string(),
            paid_on: p.paid_on,
        }
        .into());
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO ledger_entries (account_id, kind, period, amount, entry_date, paid_period, \
         receipt_no, payer, reason, created_by, created_at, paid_to) \
         VALUES ($1, 'payment', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(p.account_id)
    .bind(Period::of(p.paid_on).to_string())
    .bind(p.amount)
    .bind(time::date_text(p.paid_on))
    .bind(p.paid_period.map(|x| x.to_string()))
    .bind(receipt)
    .bind(p.payer.as_deref().map(str::trim).filter(|s| !s.is_empty()))
    .bind(CASH_PAYMENT_NOTE)
    .bind(actor.user_id)
    .bind(db.now_text())
    .bind(p.for_penalties.then_some(super::PAID_TO_PENALTIES))
    .fetch_one(&mut *tx)
    .await?;
    history::record(
        &mut tx,
        &db.now_text(),
        actor,
        Change {
            entity: "ledger_entry",
            entity_id: id,
            parent: Some(("account", p.account_id)),
            action: "cash_payment",
            before: None,
            after: Some(serde_json::json!({
                "account": number, "amount": p.amount, "paid_on": p.paid_on,
                "receipt_no": receipt, "paid_period": p.paid_period,
                "for_penalties": p.for_penalties,
            })),
            note: Some(CASH_PAYMENT_NOTE),
        },
    )
    .await?;
    super::debts::refresh_in(db, &mut tx, &[p.account_id], today).await?;
    tx.commit().await?;
    Ok(id)
}

/// Cancel a payment by a reversal entry dated `on` with a reason; the payment itself stays.
/// The account's debt summary is refreshed as of `today` in the same transaction.
pub async fn reverse_payment(
    db: &Db,
    entry_id: i64,
    reason: &str,
    on: NaiveDate,
    today: NaiveDate,
    actor: &Actor,
) -> Result<i64> {
    check_reversal_reason(reason)?;
    let reason = reason.trim();
    let mut tx = db.write().begin().await?;
    let row = sqlx::query(
        "SELECT account_id, kind, amount, entry_date, \
         (SELECT r.id FROM ledger_entries r WHERE r.kind = 'reversal' AND r.reverses = e.id) AS reversed_by \
         FROM ledger_entries e WHERE e.id = $1",
    )
    .bind(entry_id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| StoreError::NotFound(noun::PAYMENT.into()))?;
    let (account_id, kind, amount): (i64, String, i64) = (row.get(0), row.get(1), row.get(2));
    if kind != kind_code(EntryKind::Payment) {
        return Err(LedgerRefusal::NotAPayment.into());
    }
    if row.get::<Option<i64>, _>(4).is_some() {
        return Err(LedgerRefusal::AlreadyReversed.into());
    }
    let paid_on = super::date_of(&row.get::<String, _>(3))?;
    if on < paid_on {
        return Err(LedgerRefusal::ReversalBeforePayment { paid_on }.into());
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO ledger_entries (account_id, kind, period, amount, entry_date, reverses, reason, \
         created_by, created_at) VALUES ($1, 'reversal', $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(account_id)
    .bind(Period::of(on).to_string())
    .bind(amount)
    .bind(time::date_text(on))
    .bind(entry_id)
    .bind(reason)
    .bind(actor.user_id)
    .bind(db.now_text())
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| match StoreError::from(e) {
        e if e.is_unique_violation() => LedgerRefusal::AlreadyReversed.into(),
        e => e,
    })?;
    history::record(
        &mut tx,
        &db.now_text(),
        actor,
        Change {
            entity: "ledger_entry",
            entity_id: id,
            parent: Some(("account", account_id)),
            action: "reversal",
            before: None,
            after: Some(serde_json::json!({
                "reverses": entry_id, "amount": amount, "date": on,
            })),
            note: Some(&reversal_note(amount, reason)),
        },
    )
    .await?;
    super::debts::refresh_in(db, &mut tx, &[account_id], today).await?;
    tx.commit().await?;
    Ok(id)
}
