//! What the appeals API answers and takes (see `api::types`).

use abonent_domain::appeal::{AppealKind, Channel, Priority, Status, Target};
use abonent_domain::correspondence::SenderKind;
use abonent_storage::appeals as store;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::types::mirror;

mirror! {
    /// An appeal as the intake form or the API sends it.
    #[derive(Debug, Default, Deserialize, ToSchema)]
    #[serde(default)]
    pub struct NewAppeal into store::NewAppeal {
        pub kind: Option<AppealKind>,
        pub channel: Option<Channel>,
        /// Who sent it: `person` (a resident, the default), `organization`, or a state body
        /// forwarding a citizen's appeal (`housing_inspectorate`, `prosecutor`, `other_state`:
        /// 59-ФЗ applies).
        #[schema(value_type = Option<String>)]
        pub sender_kind: Option<SenderKind>,
        /// Empty: an emergency when the classifier flags the text as one, otherwise normal (the
        /// intake use case of abonent-app decides; storage alone registers it as normal).
        pub priority: Option<Priority>,
        /// Empty: the classifier's suggestion, when the category exists.
        pub category_id: Option<i64>,
        pub building_id: Option<i64>,
        pub premises_id: Option<i64>,
        pub account_id: Option<i64>,
        pub person_id: Option<i64>,
        pub address_text: String,
        pub applicant_name: String,
        pub applicant_phone: String,
        pub applicant_email: String,
        pub anonymous: bool,
        /// The applicant agreed to be informed about this appeal by the phone and e-mail given
        /// (a person from the registry is informed by their own consent flags instead).
        pub applicant_consent: bool,
        pub substance: String,
        /// When the resident called or the letter arrived; empty — the moment of registration.
        /// Rules that count from receipt (ПП 354 п. 108) start here, so registering late never
        /// hides lateness.
        #[schema(value_type = Option<String>)]
        pub received_at: Option<DateTime<Utc>>,
    }
}

mirror! {
    /// What the specialist tells the resident: the number and the deadline.
    #[derive(Debug, Serialize, ToSchema)]
    pub struct Registered from store::Registered {
        pub id: i64,
        pub number: String,
        /// UTC, RFC 3339.
        pub deadline_at: Option<String>,
        pub deadline_rule: Option<String>,
        /// An emergency's second deadline, localisation of the damage (ПП 416 п. 13), UTC;
        /// `deadline_at` is then the elimination.
        pub localisation_at: Option<String>,
        pub priority: Priority,
        /// The phone could not be recognised: kept as typed, to be checked.
        pub phone_unchecked: bool,
        pub suggested_category: String,
        pub suggested_emergency: bool,
    }
}

mirror! {
    /// An appeal as stored.
    #[derive(Debug, Serialize, ToSchema)]
    pub struct Appeal from store::Appeal {
        pub id: i64,
        pub number: String,
        pub kind: String,
        pub channel: String,
        pub priority: String,
        pub status: String,
        pub category_id: Option<i64>,
        pub category_title: Option<String>,
        pub suggested_category: Option<String>,
        pub suggested_emergency: bool,
        pub building_id: Option<i64>,
        pub premises_id: Option<i64>,
        pub account_id: Option<i64>,
        pub person_id: Option<i64>,
        pub address: String,
        pub applicant_name: Option<String>,
        pub applicant_phone: Option<String>,
        pub applicant_email: Option<String>,
        pub anonymous: bool,
        pub substance: String,
        pub received_at: String,
        pub registered_at: String,
        pub deadline_rule: Option<String>,
        pub deadline_at: Option<String>,
        pub department_id: Option<i64>,
        pub contractor_id: Option<i64>,
        pub executor_id: Option<i64>,
        pub result: Option<String>,
        pub done_at: Option<String>,
        pub closed_at: Option<String>,
        pub quality_ok: Option<bool>,
        pub quality_comment: Option<String>,
        pub rating: Option<i64>,
        pub not_fixed: bool,
        pub cause: Option<String>,
        pub responsible: Option<String>,
        pub parties: Option<String>,
        pub decision: Option<String>,
        pub reject_reason: Option<String>,
        pub merged_into: Option<i64>,
        pub reopen_count: i64,
        /// `person` (a resident), `organization` or a state body (59-ФЗ): see `NewAppeal`.
        pub sender_kind: String,
        /// The phone could not be recognised at intake: `applicant_phone` is as typed.
        pub phone_unchecked: bool,
        /// An emergency's localisation deadline (ПП 416 п. 13, 30 minutes), UTC, and when the
        /// damage was localised; `deadline_at` is then the elimination (3 сутки).
        pub localisation_rule: Option<String>,
        pub localisation_at: Option<String>,
        pub localised_at: Option<String>,
    }
}

mirror! {
    /// A row of a list.
    #[derive(Debug, Serialize, ToSchema)]
    pub struct AppealListItem from store::AppealListItem {
        pub id: i64,
        pub number: String,
        pub kind: String,
        pub priority: String,
        pub status: String,
        pub category_title: Option<String>,
        pub address: String,
        pub substance: String,
        pub registered_at: String,
        pub deadline_at: Option<String>,
        /// An emergency's localisation deadline and when it was localised (see `Appeal`).
        pub localisation_at: Option<String>,
        pub localised_at: Option<String>,
        /// Past either deadline: `deadline_overdue` or an emergency not localised in time.
        pub overdue: bool,
        /// Past `deadline_at` while the clock runs.
        pub deadline_overdue: bool,
        /// Localised late, or not localised and past `localisation_at`.
        pub localisation_overdue: bool,
    }
}

mirror! {
    /// The ready-made views of the register.
    #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
    #[serde(rename_all = "snake_case")]
    pub enum View into store::View {
        /// Every appeal, newest first.
        #[default]
        All,
        /// Open ones, nearest deadline first.
        Open,
        /// Open and past the deadline.
        Overdue,
        /// Open and due within the next two hours (day-counted rules: by the end of the next day).
        AtRisk,
        /// Open emergencies.
        Emergencies,
        /// Open ones where the user is the executor.
        Mine,
    }
}

mirror! {
    /// A requested change with what the new status needs.
    #[derive(Debug, Default, Deserialize, ToSchema)]
    #[serde(default)]
    pub struct StatusChange into store::StatusChange {
        #[schema(value_type = String)]
        pub to: Option<Status>,
        pub reason: Option<String>,
        pub result: Option<String>,
        pub quality_ok: Option<bool>,
        pub quality_comment: Option<String>,
        pub department_id: Option<i64>,
        pub contractor_id: Option<i64>,
        pub executor_id: Option<i64>,
        pub merged_into: Option<i64>,
        /// Complaint analysis: cause, who is responsible, parties, decision.
        pub cause: Option<String>,
        pub responsible: Option<String>,
        pub parties: Option<String>,
        pub decision: Option<String>,
    }
}

mirror! {
    /// A comment as shown on the card.
    #[derive(Debug, Serialize, ToSchema)]
    pub struct CommentRow from store::CommentRow {
        pub id: i64,
        pub kind: String,
        pub body: String,
        pub author: String,
        pub created_at: String,
    }
}

mirror! {
    /// A deferral or reopening of an appeal's deadline, as the card and the API show it.
    #[derive(Debug, Serialize, ToSchema)]
    pub struct DeadlineMove from store::deadlines::DeadlineMove {
        /// `deferral` or `reopen`.
        pub kind: String,
        pub moved_at: String,
        pub from_at: Option<String>,
        pub to_at: String,
        pub reason: String,
        /// Beyond `appeals.deferral_max`: made by a manager.
        pub beyond_limit: bool,
    }
}

mirror! {
    /// An attachment without its content.
    #[derive(Debug, Serialize, ToSchema)]
    pub struct AppealFile from store::files::AppealFile {
        pub id: i64,
        pub appeal_id: i64,
        pub file_name: String,
        pub content_type: String,
        pub size: i64,
        pub uploaded_at: String,
    }
}

// Incidents and recurring problems.

mirror! {
    /// An incident with its appeals.
    #[derive(Debug, Serialize, ToSchema)]
    pub struct Incident from store::incidents::Incident {
        pub id: i64,
        pub building_id: Option<i64>,
        pub address: String,
        pub category_id: Option<i64>,
        pub category_title: Option<String>,
        pub title: String,
        /// `open` or `closed`.
        pub status: String,
        pub result: Option<String>,
        pub created_at: String,
        pub closed_at: Option<String>,
        pub appeals: Vec<LinkedAppeal>,
    }
}

mirror! {
    /// An appeal as listed on an incident or a proposal.
    #[derive(Debug, Serialize, ToSchema)]
    pub struct LinkedAppeal from store::incidents::LinkedAppeal {
        pub id: i64,
        pub number: String,
        pub status: String,
        pub registered_at: String,
        pub substance: String,
    }
}

mirror! {
    /// Appeals that look like one building-wide problem: a new incident, or — when an open
    /// incident of the building and category exists — appeals to link to it.
    #[derive(Debug, Serialize, ToSchema)]
    pub struct Proposal from store::incidents::Proposal {
        pub building_id: i64,
        pub address: String,
        pub category_id: i64,
        pub category_title: String,
        /// Link to this open incident instead of creating one.
        pub incident_id: Option<i64>,
        pub appeals: Vec<LinkedAppeal>,
    }
}

mirror! {
    /// A new incident from the specialist: its title and the appeals to link.
    #[derive(Debug, Default, Deserialize, ToSchema)]
    #[serde(default)]
    pub struct NewIncident into store::incidents::NewIncident {
        /// Empty: «<category> — <address>».
        pub title: String,
        pub appeal_ids: Vec<i64>,
    }
}

mirror! {
    /// An appeal an action left unchanged, and why.
    #[derive(Debug, Serialize, ToSchema)]
    pub struct Failed from store::incidents::Failed {
        pub number: String,
        pub reason: String,
    }
}

mirror! {
    /// What closing did to each appeal.
    #[derive(Debug, Serialize, ToSchema)]
    pub struct CloseReport from store::incidents::CloseReport {
        /// Numbers of the appeals taken to «done».
        pub completed: Vec<String>,
        /// Appeals left as they were, with the reason (e.g. a transition the role may not make).
        pub failed: Vec<Failed>,
        /// Messages queued to applicants.
        pub messages: usize,
    }
}

mirror! {
    /// One recurring problem with the appeals behind it.
    #[derive(Debug, Serialize, ToSchema)]
    pub struct Recurring from store::recurring::Recurring {
        pub building_id: i64,
        pub address: String,
        pub category_id: i64,
        pub category_title: String,
        pub count: i64,
        pub last_at: String,
        /// The appeals, newest first.
        pub appeals: Vec<AppealRef>,
    }
}

mirror! {
    /// An appeal by its id and number.
    #[derive(Debug, Serialize, ToSchema)]
    pub struct AppealRef from store::recurring::AppealRef {
        pub id: i64,
        pub number: String,
    }
}

// Reference data.

mirror! {
    /// A category of the tree.
    #[derive(Debug, Serialize, ToSchema)]
    pub struct Category from store::reference::Category {
        pub id: i64,
        pub code: String,
        pub parent_id: Option<i64>,
        pub title: String,
        pub active: bool,
    }
}

mirror! {
    /// A new category or a change of one. `parent_id` is used only when creating.
    #[derive(Debug, Default, Deserialize, ToSchema)]
    #[serde(default)]
    pub struct CategoryForm into store::reference_admin::CategoryForm {
        pub parent_id: Option<i64>,
        pub title: String,
        /// `false` hides the category from the intake form; appeals keep it.
        pub active: Option<bool>,
    }
}

mirror! {
    /// A binding as stored, with its id for removal.
    #[derive(Debug, Serialize, ToSchema)]
    pub struct BindingRow from store::reference_admin::BindingRow {
        pub id: i64,
        pub kind: Option<String>,
        pub priority: Option<String>,
        pub channel: Option<String>,
        pub category_code: Option<String>,
        pub rule_code: String,
        /// Who sent the appeal (`housing_inspectorate`…); empty — anyone.
        pub sender_kind: Option<String>,
    }
}

// Routing and alerts.

mirror! {
    #[derive(Debug, Serialize, ToSchema)]
    pub struct Department from store::routing::Department {
        pub id: i64,
        pub name: String,
        /// The emergency dispatch service: emergencies no rule covers go here.
        pub is_dispatch: bool,
        pub phone: Option<String>,
        pub email: Option<String>,
        pub active: bool,
    }
}

mirror! {
    #[derive(Debug, Default, Deserialize, ToSchema)]
    #[serde(default)]
    pub struct DepartmentForm into store::routing::DepartmentForm {
        pub name: String,
        pub is_dispatch: bool,
        pub phone: String,
        pub email: String,
        /// Inactive departments keep their appeals but get no new ones.
        pub active: Option<bool>,
    }
}

mirror! {
    #[derive(Debug, Serialize, ToSchema)]
    pub struct Contractor from store::routing::Contractor {
        pub id: i64,
        pub name: String,
        pub inn: Option<String>,
        pub contact_person: Option<String>,
        pub phone: Option<String>,
        pub email: Option<String>,
        /// Services it performs, comma-separated words (сантехника, лифты…).
        pub services: String,
        pub active: bool,
        /// Buildings it serves.
        pub building_ids: Vec<i64>,
    }
}

mirror! {
    #[derive(Debug, Default, Deserialize, ToSchema)]
    #[serde(default)]
    pub struct ContractorForm into store::routing::ContractorForm {
        pub name: String,
        pub inn: String,
        pub contact_person: String,
        pub phone: String,
        pub email: String,
        pub services: String,
        pub active: Option<bool>,
        pub building_ids: Vec<i64>,
    }
}

mirror! {
    /// A staff member as an executor: contacts and whether on duty for emergencies.
    #[derive(Debug, Serialize, ToSchema)]
    pub struct Staff from store::routing::Staff {
        pub id: i64,
        pub login: String,
        pub full_name: String,
        pub role: String,
        pub active: bool,
        /// Marked on duty by an administrator (dispatchers are always on duty).
        pub on_duty: bool,
        pub email: Option<String>,
        pub phone: Option<String>,
    }
}

mirror! {
    #[derive(Debug, Default, Deserialize, ToSchema)]
    #[serde(default)]
    pub struct StaffForm into store::routing::StaffForm {
        pub on_duty: bool,
        pub email: String,
        pub phone: String,
    }
}

mirror! {
    #[derive(Debug, Serialize, ToSchema)]
    pub struct RuleRow from store::routing::RuleRow {
        pub id: i64,
        pub category_id: Option<i64>,
        pub category_title: Option<String>,
        pub building_id: Option<i64>,
        pub building_address: Option<String>,
        pub target: Target,
        pub target_title: String,
        pub note: Option<String>,
    }
}

mirror! {
    /// A new rule: empty category or building mean «any»; exactly one of the targets.
    #[derive(Debug, Default, Deserialize, ToSchema)]
    #[serde(default)]
    pub struct RuleForm into store::routing::RuleForm {
        pub category_id: Option<i64>,
        pub building_id: Option<i64>,
        pub department_id: Option<i64>,
        pub contractor_id: Option<i64>,
        pub user_id: Option<i64>,
        pub note: String,
    }
}

mirror! {
    #[derive(Debug, Serialize, ToSchema)]
    pub struct Alert from store::alerts::Alert {
        pub id: i64,
        pub appeal_id: i64,
        pub number: String,
        pub substance: String,
        pub raised_at: String,
        pub acknowledged_at: Option<String>,
        pub acknowledged_by: Option<String>,
        pub escalated_at: Option<String>,
        /// Whom it escalated to (names).
        pub escalated_to: Option<String>,
    }
}
