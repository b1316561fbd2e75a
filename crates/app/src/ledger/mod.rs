//! The ledger (расчёты): loading charges and payment files, cash payments, reversals,
//! assigning unidentified payments, penalty runs, and where an account stands (`position`).
//! Every write that changes an account's ledger leaves its debt summary current: the
//! few-account writes refresh it in their own transaction (storage), the bulk ones right after
//! their commit (here).

pub mod charges;
pub mod payments;
pub mod penalties;
pub mod position;
pub mod reference;
pub mod services;

use abonent_storage::ledger::charges::{duplicate_message, find_by_hash, sha256_hex};
use abonent_storage::ledger::debts;
use abonent_storage::ledger::entries::{self, CashPayment};
use abonent_storage::{jobs, Actor};
use chrono::NaiveDate;

use crate::{App, AppError};

/// Kinds of the ledger's jobs start with this.
const JOB_PREFIX: &str = "ledger_";

/// A ledger job's state.
pub async fn job(app: &App, id: i64) -> Result<jobs::Job, AppError> {
    let j = app.jobs.get(id).await?;
    if !j.kind.starts_with(JOB_PREFIX) {
        return Err(AppError::NotFound("задача расчётов".into()));
    }
    Ok(j)
}

fn file_error(msg: impl Into<String>) -> AppError {
    AppError::field("file", msg)
}

/// The message for a file loaded before, if it was.
async fn duplicate_of(app: &App, bytes: &[u8]) -> Result<Option<String>, AppError> {
    Ok(find_by_hash(&app.db, &sha256_hex(bytes))
        .await?
        .map(|p| duplicate_message(&p)))
}

/// After a bulk load has committed: the debts of the accounts it touched (all when
/// `None`). A failure is the job's failure, in words that say the load itself stands.
async fn refresh_after(app: &App, accounts: Option<&[i64]>, what: &str) -> Result<(), String> {
    let today = app.today().await.map_err(|e| e.to_string())?;
    debts::refresh(&app.db, accounts, today)
        .await
        .map(|_| ())
        .map_err(|e| {
            format!(
                "{what}, но долги по счетам не пересчитаны: {e}. Список должников покажет их \
                 после следующего начисления пени."
            )
        })
}

/// A cash-desk payment; returns the entry's id.
pub async fn pay_cash(app: &App, p: &CashPayment, actor: &Actor) -> Result<i64, AppError> {
    let today = app.today().await?;
    Ok(entries::cash_payment(&app.db, p, today, actor).await?)
}

/// Reverse a payment on `on` (today when `None`); returns the reversal's id.
pub async fn reverse(
    app: &App,
    entry_id: i64,
    reason: &str,
    on: Option<NaiveDate>,
    actor: &Actor,
) -> Result<i64, AppError> {
    let today = app.today().await?;
    let on = on.unwrap_or(today);
    Ok(entries::reverse_payment(&app.db, entry_id, reason, on, today, actor).await?)
}

/// Post a queued unidentified payment to `account_id`; returns the entry's id.
pub async fn assign_unmatched(
    app: &App,
    id: i64,
    account_id: i64,
    actor: &Actor,
) -> Result<i64, AppError> {
    let today = app.today().await?;
    Ok(abonent_storage::ledger::payments::resolve(&app.db, id, account_id, today, actor).await?)
}
