//! What the ledger and debtor API answers and takes (see `api::types`).

use std::collections::BTreeMap;

use abonent_domain::debtor::{InstallmentState, Stage};
use abonent_domain::ledger::{EntryKind, Period, Turnover};
use abonent_storage::ledger::{self as store, debt_cases as dc};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::documents::types::Document;
use crate::api::types::mirror;

mirror! {
    /// A service charges are made for.
    #[derive(Debug, Serialize, ToSchema)]
    pub struct Service from store::Service {
        pub code: String,
        pub title: String,
        /// `utility`, `maintenance`, `capital_repair` or `other` (migration 0016).
        pub kind: String,
        /// May be limited or suspended for a debt.
        pub may_suspend: bool,
        /// Words a charges file names it by (besides the code and the title).
        pub names: Vec<String>,
        /// Its place in lists.
        pub number: i64,
    }
}

mirror! {
    /// One ledger line with everything that explains it.
    #[derive(Debug, Serialize, ToSchema)]
    pub struct LedgerEntry from store::LedgerEntry {
        pub id: i64,
        pub account_id: i64,
        pub kind: EntryKind,
        #[schema(value_type = String)]
        pub period: Period,
        pub service: Option<String>,
        /// Kopecks.
        pub amount: i64,
        #[schema(value_type = String)]
        pub date: NaiveDate,
        #[schema(value_type = Option<String>)]
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
}

mirror! {
    /// A payment taken at the cash desk.
    #[derive(Debug, Deserialize, ToSchema)]
    pub struct CashPayment into store::CashPayment {
        pub account_id: i64,
        /// Kopecks, more than zero.
        pub amount: i64,
        #[schema(value_type = String)]
        pub paid_on: NaiveDate,
        /// The period the payer named (`2026-10`); none: oldest debt first.
        #[schema(value_type = Option<String>)]
        pub paid_period: Option<Period>,
        /// Number of the cash receipt (чек ККТ or ПКО).
        pub receipt_no: String,
        pub payer: Option<String>,
        /// The payer pays penalties: the payment pays the penalties owed first.
        #[serde(default)]
        pub for_penalties: bool,
    }
}

mirror! {
    #[derive(Debug, Serialize, ToSchema)]
    pub struct TurnoverRow from store::turnover::TurnoverRow {
        /// Service code, account id or building id.
        pub key: String,
        pub title: String,
        /// Page of the row's account or building, if any.
        pub href: Option<String>,
        pub figures: Turnover,
    }
}

mirror! {
    #[derive(Debug, Serialize, ToSchema)]
    pub struct TurnoverSheet from store::turnover::TurnoverSheet {
        pub title: String,
        pub from: String,
        pub to: String,
        pub rows: Vec<TurnoverRow>,
        pub total: Turnover,
    }
}

mirror! {
    /// Filters of the debtor list.
    #[derive(Debug, Clone, Default, Deserialize, IntoParams)]
    #[into_params(parameter_in = Query)]
    pub struct DebtorFilter into store::debts::DebtorFilter {
        /// Debt at least this many kopecks (for `service`: that service's debt).
        pub min_debt: Option<i64>,
        /// At least this many months of debt.
        pub min_months: Option<i64>,
        pub building_id: Option<i64>,
        /// Service code (`heating`).
        pub service: Option<String>,
        /// `debt` (default, largest first), `months`, `number`.
        pub sort: Option<String>,
        /// Stage code of debtor work (`notice_served`); `none` for accounts with no case yet.
        pub stage: Option<String>,
        /// Only accounts with (true) or without (false) an active installment plan.
        pub has_plan: Option<bool>,
        /// true: only debtor actions due — the case stands at the notice served, the notice
        /// was delivered at least 20 days (the debt rules' `notice_days`) ago, no active plan.
        pub notice_due: Option<bool>,
    }
}

mirror! {
    #[derive(Debug, Serialize, ToSchema)]
    pub struct DebtorRow from store::debts::DebtorRow {
        pub account_id: i64,
        pub number: String,
        pub address: String,
        pub debt: i64,
        /// The service's debt when the list is filtered by a service.
        pub service_debt: Option<i64>,
        pub penalties: i64,
        pub months: i64,
        pub oldest_period: Option<String>,
        /// Stage of debtor work; none before the first move.
        pub stage: Option<String>,
        pub stage_title: Option<String>,
        /// An active installment plan.
        pub has_plan: bool,
        /// The active plan has a due part not fully paid.
        pub missed_installment: bool,
    }
}

mirror! {
    /// A file already loaded into the ledger.
    #[derive(Debug, Serialize, ToSchema)]
    pub struct LedgerImport from store::charges::LedgerImport {
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
}

mirror! {
    /// A payment waiting for its account.
    #[derive(Debug, Serialize, ToSchema)]
    pub struct Unmatched from store::payments::Unmatched {
        pub id: i64,
        pub import_id: Option<i64>,
        pub file_name: Option<String>,
        pub line: Option<i64>,
        pub operation_id: Option<String>,
        pub paid_on: String,
        pub amount: i64,
        /// As the bank wrote it (may be empty).
        pub account_number: String,
        pub payer: Option<String>,
        pub address: Option<String>,
        pub purpose: Option<String>,
        pub paid_period: Option<String>,
        /// `open` or `resolved`.
        pub status: String,
        pub account_id: Option<i64>,
        pub entry_id: Option<i64>,
        pub resolved_by: Option<String>,
        pub resolved_at: Option<String>,
    }
}

mirror! {
    /// An account that may be the one a payment meant.
    #[derive(Debug, Serialize, ToSchema)]
    pub struct Suggestion from store::payments::Suggestion {
        pub account_id: i64,
        pub number: String,
        pub address: String,
        /// Why it is suggested: «похожий номер», «адрес», «ФИО плательщика».
        pub why: String,
    }
}

mirror! {
    /// Past runs, newest first.
    #[derive(Debug, Serialize, ToSchema)]
    pub struct RunRecord from store::penalties::RunRecord {
        pub id: i64,
        pub period: String,
        pub calc_date: String,
        pub accounts: i64,
        pub posted: i64,
        pub amount: i64,
        pub created_by_name: String,
        pub created_at: String,
    }
}

mirror! {
    #[derive(Debug, Serialize, ToSchema)]
    pub struct StoredProfile from store::profiles::StoredProfile {
        pub id: i64,
        pub name: String,
        #[schema(value_type = Object)]
        pub profile: serde_json::Value,
        pub updated_at: String,
    }
}

mirror! {
    /// One stored version of reference data.
    #[derive(Debug, Serialize, ToSchema)]
    #[schema(as = ReferenceVersion)]
    pub struct Version from store::reference::Version {
        pub id: i64,
        pub kind: String,
        /// The value as `GET /api/v1/ledger/reference` shows its kind: an object, a list
        /// (`due_date_rules`) or a string (`allocation_rule`, `penalty_credit`).
        pub value: serde_json::Value,
        /// Why it changed: a decree, a file name.
        pub source: String,
        pub created_by_name: String,
        pub created_at: String,
    }
}

// Debtor work.

mirror! {
    /// Monthly fee at the consumption norm, kopecks, per service code: the limitation threshold
    /// is `threshold_monthly_fees` of these.
    #[derive(Debug, Serialize, Deserialize, ToSchema)]
    pub struct NormFees both dc::NormFees {
        pub fees: BTreeMap<String, i64>,
    }
}

mirror! {
    /// One service's debt against the limitation threshold.
    #[derive(Debug, Serialize, ToSchema)]
    pub struct ServiceDebt from dc::ServiceDebt {
        pub service: String,
        pub title: String,
        pub debt: i64,
        /// The monthly fee the threshold counts in (ПП 354 п. 117), kopecks: at the norm
        /// from the register of tariffs and norms; else the account's average monthly
        /// charge of the service; else the organization's norm fee; none when none exists.
        pub monthly_fee: Option<i64>,
        /// `tariff_norm`, `account_average` or `organization_norm`.
        pub basis: Option<abonent_domain::debtor::FeeBasis>,
        /// The basis as the page says it.
        pub basis_title: String,
        /// Debt must be above this to limit the service.
        pub threshold: Option<i64>,
        pub exceeded: bool,
        /// Whether the service may be limited or suspended: the services reference data
        /// (`services.may_suspend`; never heating or cold water, ПП 354 п. 119).
        pub may_suspend: bool,
    }
}

mirror! {
    #[derive(Debug, Serialize, ToSchema)]
    pub struct StageMove from dc::StageMove {
        pub id: i64,
        /// The account's case the move belongs to: 1, 2 …
        pub case_no: i64,
        /// `move`, `plan_created`, `plan_broken`.
        pub event: String,
        pub from_stage: Option<Stage>,
        pub to_stage: Option<Stage>,
        pub moved_on: String,
        pub service: Option<String>,
        pub reason: Option<String>,
        pub document_id: Option<i64>,
        pub moved_by_name: String,
        pub created_at: String,
    }
}

mirror! {
    #[derive(Debug, Serialize, ToSchema)]
    pub struct Delivery from dc::Delivery {
        pub id: i64,
        /// `post`, `hand`, `email`, `sms`.
        pub method: String,
        pub method_title: String,
        pub delivered_on: String,
        pub note: Option<String>,
        pub recorded_by_name: String,
    }
}

mirror! {
    #[derive(Debug, Serialize, ToSchema)]
    pub struct Notice from dc::Notice {
        pub id: i64,
        pub account_id: i64,
        pub document_id: i64,
        pub document_number: String,
        pub issued_on: String,
        pub debt: i64,
        pub deliveries: Vec<Delivery>,
        /// The first delivery: the 20 days run from it.
        pub delivered_on: Option<String>,
        /// The first day limitation may start.
        pub limitation_from: Option<String>,
    }
}

mirror! {
    #[derive(Debug, Serialize, ToSchema)]
    pub struct Plan from dc::Plan {
        pub id: i64,
        pub account_id: i64,
        pub total: i64,
        pub parts: i64,
        pub first_due: String,
        pub agreed_on: String,
        pub document_id: Option<i64>,
        /// `active`, `broken`, `completed`.
        pub status: String,
        pub broken_on: Option<String>,
        pub broken_reason: Option<String>,
        pub installments: Vec<InstallmentState>,
        /// Paid under the plan since the agreement.
        pub paid: i64,
        /// A due part is not fully paid.
        pub missed: bool,
        /// Active and no part missed: the case is paused.
        pub kept: bool,
    }
}

mirror! {
    #[derive(Debug, Serialize, ToSchema)]
    pub struct NextStep from dc::NextStep {
        pub stage: Stage,
        pub title: String,
    }
}

mirror! {
    /// The debtor work of one account, as the card and the API show it.
    #[derive(Debug, Serialize, ToSchema)]
    pub struct DebtCase from dc::DebtCase {
        pub account_id: i64,
        pub account_number: String,
        /// The account's case in force: 1 for the first, 2 … after an ended one; 0 before any.
        pub case_no: i64,
        /// Earlier cases of the account, ended (repaid, written off), oldest first.
        pub earlier_cases: Vec<EarlierCase>,
        /// The court record and the sums collected of the case in force.
        pub court: CourtSide,
        /// None until the first move.
        pub stage: Option<Stage>,
        pub stage_title: Option<String>,
        pub stage_on: Option<String>,
        /// The service limited or suspended.
        pub service: Option<String>,
        pub limited_on: Option<String>,
        /// Unpaid charges, kopecks (without penalties).
        pub debt: i64,
        pub penalties: i64,
        pub services: Vec<ServiceDebt>,
        pub threshold_monthly_fees: u32,
        /// The latest notice.
        pub notice: Option<Notice>,
        pub limitation_from: Option<String>,
        pub suspension_from: Option<String>,
        /// Stages allowed next (none while a kept plan pauses the case, except repayment).
        pub next: Vec<NextStep>,
        /// A kept installment plan pauses the case.
        pub paused: bool,
        pub plan: Option<Plan>,
        /// Newest first.
        pub moves: Vec<StageMove>,
    }
}

mirror! {
    /// An ended case of the account, kept with its moves.
    #[derive(Debug, Serialize, ToSchema)]
    pub struct EarlierCase from dc::EarlierCase {
        pub case_no: i64,
        pub opened_on: String,
        /// `repaid` or `written_off`.
        pub ended: Option<Stage>,
        pub ended_on: String,
    }
}

mirror! {
    /// A sum collected under the court's decision.
    #[derive(Debug, Serialize, ToSchema)]
    pub struct Collection from dc::Collection {
        pub id: i64,
        pub collected_on: String,
        /// Kopecks.
        pub amount: i64,
        pub note: Option<String>,
        pub recorded_by_name: String,
    }
}

mirror! {
    /// What the court decided on the case in force and what was collected.
    #[derive(Debug, Serialize, ToSchema)]
    pub struct CourtSide from dc::CourtSide {
        /// Court case number, decision date, sums awarded (kopecks), the writ, ФССП.
        pub record: abonent_domain::debtor::CourtRecord,
        pub collections: Vec<Collection>,
        /// Kopecks collected so far.
        pub collected: i64,
        /// Awarded minus collected; none before the sums awarded are entered.
        pub outstanding: Option<i64>,
    }
}

mirror! {
    /// A requested stage move.
    #[derive(Debug, Deserialize, ToSchema)]
    pub struct MoveRequest into dc::MoveRequest {
        /// Stage code: `informed`, `notice_served`, `limitation`, `suspension`,
        /// `court_order_prepared`, `filed`, `order_issued`, `order_cancelled`, `claim_prepared`,
        /// `claim_filed`, `judgment`, `enforcement`,
        /// `repaid`, `written_off`.
        pub stage: String,
        /// Date of the move, `YYYY-MM-DD`; today when absent.
        pub on: Option<String>,
        /// Service code to limit or suspend (`electricity`).
        pub service: Option<String>,
        pub reason: Option<String>,
        /// The document it rests on; for `notice_served` the latest notice by default.
        pub document_id: Option<i64>,
    }
}

mirror! {
    /// A notice issued by [`issue_notices`].
    #[derive(Debug, Serialize, ToSchema)]
    pub struct IssuedNotice from dc::IssuedNotice {
        pub notice_id: i64,
        pub account_id: i64,
        pub account_number: String,
        pub document_id: i64,
        /// Messages queued for the debtor (e-mail, SMS) where consented.
        pub messages: usize,
    }
}

mirror! {
    /// A delivery of a notice to record.
    #[derive(Debug, Deserialize, ToSchema)]
    pub struct DeliveryForm into dc::DeliveryForm {
        /// `post`, `hand`, `email`, `sms`.
        pub method: String,
        /// `YYYY-MM-DD`.
        pub delivered_on: String,
        pub note: Option<String>,
    }
}

mirror! {
    /// A plan to agree.
    #[derive(Debug, Deserialize, ToSchema)]
    pub struct PlanForm into dc::PlanForm {
        /// Kopecks; the account's debt when absent.
        pub total: Option<i64>,
        pub parts: u32,
        /// `YYYY-MM-DD`.
        pub first_due: String,
    }
}

mirror! {
    /// One application of the court packet: one per owner for their share, or one joint
    /// application (ЖК ст. 69 ч. 2, common joint property).
    #[derive(Debug, Serialize, ToSchema)]
    pub struct CourtApplication from abonent_app::documents::issue::ledger::CourtApplication {
        pub document: Document,
        /// The debtors named; more than one — jointly liable.
        pub debtors: Vec<String>,
        /// The part of the account's debt claimed, `1/2`; absent for the whole.
        pub share: Option<String>,
        pub debt_kopecks: i64,
        /// Penalties claimed: calculated on the filing date less those already paid.
        pub penalty_kopecks: i64,
        pub claim_kopecks: i64,
        pub duty_kopecks: i64,
        pub duty_formula: String,
    }
}

mirror! {
    /// What the court packet claims, for the answer and the page: the totals over its
    /// applications; `document` is the first application.
    #[derive(Debug, Serialize, ToSchema)]
    pub struct CourtPacket from abonent_app::documents::issue::ledger::CourtPacket {
        pub document: Document,
        /// Every application of the packet, each with its own calculation and duty.
        pub applications: Vec<CourtApplication>,
        pub debt_kopecks: i64,
        /// Penalties claimed: calculated on the filing date less those already paid.
        pub penalty_kopecks: i64,
        pub claim_kopecks: i64,
        pub duty_kopecks: i64,
        /// How the duty was computed, and by which rule.
        pub duty_formula: String,
        /// Charges due before this date are time-barred and left out.
        #[schema(value_type = String)]
        pub time_barred_before: NaiveDate,
        pub time_barred_kopecks: i64,
        /// «май 2023, Отопление: 1 812,40 ₽» per time-barred charge left out.
        pub time_barred: Vec<String>,
    }
}

mirror! {
    /// What to issue from the account's ledger.
    #[derive(Debug, Default, Deserialize, ToSchema)]
    pub struct LedgerDocumentRequest into abonent_app::documents::issue::ledger::LedgerDocumentRequest {
        /// `payment_document` (amount due from the ledger), `no_debt_certificate` or
        /// `ledger_statement`.
        pub kind: String,
        /// Ledger statement: first period, `2026-01` (12 months back by default).
        pub period_from: Option<String>,
        /// Ledger statement: last period, `2026-11` (this month by default).
        pub period_to: Option<String>,
        /// Certificate: «для предъявления в …».
        pub purpose: Option<String>,
        /// The person it is issued for (payment document: the payer; by default the owner).
        pub person_id: Option<i64>,
    }
}
