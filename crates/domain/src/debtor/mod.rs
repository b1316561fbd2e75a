//! Debtor work (regulations §6, §7): the stages from the first reminder to a court order,
//! the limitation threshold, which services may never be suspended, the 3-year limitation of
//! claims, and installment plans. The numbers are data ([`DebtRules`]) with their sources.

mod charges;
mod court;
mod installment;
mod liability;
mod monthly_fee;
mod refusal;
mod rules;
mod stage;
mod words;

pub use charges::{deduct_paid, split_by_charges, Charges};
pub use court::{check_collection, CollectionForm, CourtRecord, CourtRecordForm};
pub use installment::{installment_schedule, track_installments, Installment, InstallmentState};
pub use liability::{applications, split_kopecks, Application, Basis, Holder, LiabilityRefusal};
pub use monthly_fee::{average_monthly_charge, monthly_fee, FeeBasis, MonthlyFee};
pub use refusal::{
    check_accounts_chosen, check_break_reason, check_delivery, check_move, check_norm_fees,
    check_plan, check_plan_allows, check_stage_order, explain_missing_norm, for_account,
    missing_in_batch, DebtCaseRefusal, DELIVERY_METHODS,
};
pub use rules::{time_barred_before, DebtRules};
pub use stage::{check_stage_change, Stage, StageChange};
pub use words::{
    agreement_title, delivery_method_title, notice_message, notice_subject, notice_title,
};

#[cfg(test)]
mod tests;
