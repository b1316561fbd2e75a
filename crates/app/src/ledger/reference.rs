//! New versions of the ledger's reference data: key rates, penalty settings, due-date rules,
//! the allocation rule and the penalty credit. Each version needs its basis (`source`); the
//! checks are the domain's.

use abonent_domain::due_date::DueDateRule;
use abonent_domain::ledger::{AllocationRule, PenaltyCredit};
use abonent_domain::penalty::{KeyRateTable, PenaltySettings};
use abonent_storage::ledger::reference;
use abonent_storage::Actor;

use crate::{App, AppError};

/// One change of the reference data, already read from its form or document.
#[derive(Debug, Clone)]
pub enum ReferenceChange {
    KeyRates(KeyRateTable),
    PenaltySettings(PenaltySettings),
    DueDateRules(Vec<DueDateRule>),
    /// The allocation rule alone: the penalty credit in force stays.
    AllocationRule(AllocationRule),
    /// The allocation rule together with the penalty credit.
    AllocationRules(AllocationRule, PenaltyCredit),
    /// The penalty credit alone: the allocation rule in force stays.
    PenaltyCredit(PenaltyCredit),
}

/// Store a new version; returns its id.
pub async fn save(
    app: &App,
    change: &ReferenceChange,
    source: &str,
    actor: &Actor,
) -> Result<i64, AppError> {
    let db = &app.db;
    Ok(match change {
        ReferenceChange::KeyRates(t) => reference::save_key_rates(db, t, source, actor).await?,
        ReferenceChange::PenaltySettings(v) => {
            reference::save_penalty_settings(db, v, source, actor).await?
        }
        ReferenceChange::DueDateRules(v) => {
            reference::save_due_date_rules(db, v, source, actor).await?
        }
        ReferenceChange::AllocationRule(r) => {
            reference::save_allocation_rule(db, *r, source, actor).await?
        }
        ReferenceChange::AllocationRules(r, c) => {
            reference::save_allocation_rules(db, *r, *c, source, actor).await?
        }
        ReferenceChange::PenaltyCredit(c) => {
            reference::save_penalty_credit(db, *c, source, actor).await?
        }
    })
}
