//! Debtor work (regulations §6, §7): the stages from the first reminder to a court order,
//! the limitation threshold, which services may never be suspended, the 3-year limitation of
//! claims, and installment plans. The numbers are data ([`DebtRules`]) with their sources.

mod installment;
mod rules;
mod stage;

pub use installment::{installment_schedule, track_installments, Installment, InstallmentState};
pub use rules::{time_barred_before, DebtRules};
pub use stage::{check_stage_change, Stage, StageChange};

#[cfg(test)]
mod tests;
