//! Where an account stands on a date by the organization's rules: the one reading of debts,
//! advance and penalties for the account's page, the API and the payment document.

use abonent_domain::ledger::{allocate_with, Outstanding};
use abonent_storage::ledger::{self, reference};
use abonent_storage::Db;
use chrono::NaiveDate;

use crate::AppError;

/// The account's charges unpaid per period and service, its advance, and its penalties
/// accrued, paid and owed on `on`, allocated by the organization's allocation rule and rule of
/// what pays penalties.
pub async fn position(db: &Db, account_id: i64, on: NaiveDate) -> Result<Outstanding, AppError> {
    let entries = ledger::domain_entries(db, account_id).await?;
    let rule = reference::allocation_rule(db).await?;
    let credit = reference::penalty_credit(db).await?;
    Ok(allocate_with(&entries, on, rule, credit))
}

/// The penalties still owed on `on`, kopecks: what a payment document asks for penalties (its
/// own line, the QR code's `AddAmount`). Paying it with the debt leaves nothing owed.
pub async fn penalties_owed(db: &Db, account_id: i64, on: NaiveDate) -> Result<i64, AppError> {
    Ok(position(db, account_id, on).await?.penalties_owed())
}
