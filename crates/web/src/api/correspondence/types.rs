//! What the correspondence API answers (see `api::types`).

use abonent_domain::correspondence::{IncomingData, IncomingStatus, OutgoingData};
use abonent_storage::correspondence as store;
use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

use crate::api::types::mirror;

mirror! {
    /// Which register a letter is in (numbering scope and history entity follow from it).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
    #[serde(rename_all = "snake_case")]
    pub enum Register from store::Register {
        Incoming,
        Outgoing,
    }
}

mirror! {
    #[derive(Debug, Serialize, ToSchema)]
    pub struct Incoming from store::incoming::Incoming {
        pub id: i64,
        /// Registration number, e.g. `Вх-7/26`.
        pub number: String,
        pub year: i32,
        pub seq: i64,
        #[serde(flatten)]
        pub data: IncomingData,
        /// Answer due on this date (organization's local date).
        pub deadline_on: NaiveDate,
        /// Rule code or `letter_term`.
        pub deadline_rule: String,
        /// Why this deadline: the rule with its legal source.
        pub deadline_basis: String,
        pub status: IncomingStatus,
        /// Reason of closing without an answer or of reopening.
        pub status_reason: Option<String>,
        pub answered_by_outgoing_id: Option<i64>,
        pub answered_by_number: Option<String>,
        pub executor_name: Option<String>,
        /// Still awaiting an answer after its deadline (as of the organization's today).
        pub overdue: bool,
        pub created_at: String,
    }
}

mirror! {
    #[derive(Debug, Serialize, ToSchema)]
    pub struct Outgoing from store::outgoing::Outgoing {
        pub id: i64,
        /// Registration number, e.g. `Исх-12/26`.
        pub number: String,
        pub year: i32,
        pub seq: i64,
        #[serde(flatten)]
        pub data: OutgoingData,
        /// Number of the incoming letter answered, when there is one.
        pub answers_incoming_number: Option<String>,
        pub created_at: String,
    }
}

mirror! {
    #[derive(Debug, Serialize, ToSchema)]
    pub struct Attachment from store::attachments::Attachment {
        pub id: i64,
        pub register: Register,
        pub letter_id: i64,
        pub file_name: String,
        pub mime: String,
        pub size_bytes: i64,
        /// SHA-256 of the content, hex.
        pub sha256: String,
        pub created_at: String,
        pub removed_at: Option<String>,
        pub removed_reason: Option<String>,
    }
}
