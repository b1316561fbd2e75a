//! The account ledger: charges, recalculations, payments, reversals and penalties by period
//! and service; balance at a date; debt by period and service after allocating payments;
//! aging; the turnover sheet. Money in kopecks; no I/O — the caller passes the entries.

mod aging;
mod allocate;
mod bill;
pub mod checks;
pub mod payer_address;
mod penalty_run;
mod period;
mod refusal;
pub mod service;
mod turnover;
pub mod words;

pub use aging::{aging, AgingBucket, AGING_BUCKETS};
pub use allocate::{
    allocate, allocate_with, allocate_within_limitation, penalty_credits, AllocationRule, DebtLine,
    Outstanding, PenaltyCredit,
};
pub use bill::{bill, Bill, BillLine};
pub use penalty_run::{check_run_period, run_lines, RunLine};
pub use period::Period;
pub use refusal::{check_cash_payment, check_reversal_reason, LedgerRefusal, PaymentFacts};
pub use turnover::{turnover, Turnover};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// What a ledger entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    /// Debt (positive) or advance (negative) when the company starts mid-life.
    Opening,
    Charge,
    /// A signed correction of a charge, with a reason.
    Recalculation,
    Payment,
    /// Cancels the payment it references (`reverses`); payments are never deleted.
    Reversal,
    Penalty,
}

impl EntryKind {
    pub fn title(self) -> &'static str {
        match self {
            EntryKind::Opening => "Входящее сальдо",
            EntryKind::Charge => "Начисление",
            EntryKind::Recalculation => "Перерасчёт",
            EntryKind::Payment => "Оплата",
            EntryKind::Reversal => "Сторно оплаты",
            EntryKind::Penalty => "Пени",
        }
    }
}

/// One line of an account's ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub id: i64,
    pub kind: EntryKind,
    /// The billing period the entry belongs to (for a payment: the period it was booked in).
    pub period: Period,
    /// Service code (`heating`, `cold_water`…); `None` for payments and opening balances
    /// kept as one sum.
    pub service: Option<String>,
    /// Kopecks. Charges, penalties and payments are positive; recalculations are signed.
    pub amount: i64,
    /// When it happened: the payment date, the date a charge was made.
    pub date: NaiveDate,
    /// The period a payer named; applied there first.
    pub paid_period: Option<Period>,
    /// For a reversal, the payment it cancels.
    pub reverses: Option<i64>,
    /// A payment whose purpose names penalties («пени»): it pays the penalties owed first.
    #[serde(default)]
    pub for_penalties: bool,
}

impl Entry {
    /// What the entry adds to the debt: charges up, payments down, a reversal gives the
    /// payment's amount back (its `amount` is that of the payment, positive).
    pub fn debt_effect(&self) -> i64 {
        match self.kind {
            EntryKind::Payment => -self.amount,
            _ => self.amount,
        }
    }
}

/// Whether a payment's purpose («назначение платежа») says it pays penalties: the word «пени»
/// in any of its forms («оплата пени за 10.2026», «ПЕНЯ», «в т.ч. пеней 120,00»).
pub fn purpose_names_penalties(purpose: &str) -> bool {
    const FORMS: [&str; 8] = [
        "пени",
        "пеня",
        "пеню",
        "пене",
        "пеней",
        "пеням",
        "пенями",
        "пенях",
    ];
    purpose
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| FORMS.contains(&w.to_lowercase().as_str()))
}

/// Debt (positive) or advance (negative) on a date: every entry dated up to it.
pub fn balance_on(entries: &[Entry], date: NaiveDate) -> i64 {
    entries
        .iter()
        .filter(|e| e.date <= date)
        .map(Entry::debt_effect)
        .sum()
}

#[cfg(test)]
mod limitation_tests;
#[cfg(test)]
mod tests;
