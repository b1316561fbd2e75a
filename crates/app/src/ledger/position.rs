//! Where an account stands on a date by the organization's rules: the one reading of debts,
//! advance and penalties for the account's page, the API and the payment document.

use abonent_domain::ledger::{allocate_with, balance_on, Outstanding, Period};
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

/// An account's money on a day, read once from the ledger: where it stands by the rules
/// ([`position`]), the balance of every entry up to that day, and how old the debt is.
#[derive(Debug, Clone)]
pub struct Standing {
    pub out: Outstanding,
    /// Charges less payments up to the day (negative: an advance).
    pub balance: i64,
    /// Past months with charges still unpaid (the current month is not debt yet).
    pub months: i64,
    /// The oldest of them.
    pub oldest: Option<Period>,
}

/// The account card's and the caller panel's figures (one read of the entries).
pub async fn standing(db: &Db, account_id: i64, on: NaiveDate) -> Result<Standing, AppError> {
    let entries = ledger::domain_entries(db, account_id).await?;
    let rule = reference::allocation_rule(db).await?;
    let credit = reference::penalty_credit(db).await?;
    let out = allocate_with(&entries, on, rule, credit);
    let now = Period::of(on);
    let mut months: Vec<Period> = out
        .lines
        .iter()
        .filter(|l| l.remaining() > 0 && l.period < now)
        .map(|l| l.period)
        .collect();
    months.sort();
    months.dedup();
    Ok(Standing {
        balance: balance_on(&entries, on),
        months: months.len() as i64,
        oldest: months.first().copied(),
        out,
    })
}
