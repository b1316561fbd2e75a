//! What the documents API answers (see `api::types`).

use abonent_storage::documents::{self as store, templates};
use serde::Serialize;
use utoipa::ToSchema;

use crate::api::types::mirror;

mirror! {
    /// An issued document without its PDF bytes.
    #[derive(Debug, Serialize, ToSchema)]
    pub struct Document from store::Document {
        pub id: i64,
        /// Kind code: `registration_certificate`, `account_statement`, `payment_document`, `letter`.
        pub kind: String,
        /// Registration number as printed.
        pub number: String,
        pub seq: i64,
        pub year: i32,
        /// Date printed on the document, `YYYY-MM-DD`.
        pub issued_on: String,
        /// Instant of issue, UTC RFC 3339.
        pub issued_at: String,
        pub issued_by: Option<i64>,
        pub issued_by_name: String,
        pub account_id: Option<i64>,
        pub person_id: Option<i64>,
        pub appeal_id: Option<i64>,
        /// The document this one corrects.
        pub corrects_id: Option<i64>,
        pub title: String,
        /// The data the document was printed from.
        #[schema(value_type = Object)]
        pub data: serde_json::Value,
        /// The organization's details printed on it.
        #[schema(value_type = Object)]
        pub org: serde_json::Value,
        /// Template version used; null = the shipped template.
        pub template_version_id: Option<i64>,
        pub pdf_size: i64,
        /// SHA-256 of the stored PDF, hex.
        pub sha256: String,
        /// The outgoing letter that registered it (letters).
        pub outgoing_id: Option<i64>,
    }
}

mirror! {
    /// A short reference to another document (corrections).
    #[derive(Debug, Serialize, ToSchema)]
    pub struct DocRef from store::DocRef {
        pub id: i64,
        pub number: String,
        pub issued_on: String,
    }
}

mirror! {
    /// The override in force for a kind.
    #[derive(Debug, Serialize, ToSchema)]
    pub struct Override from templates::Override {
        pub kind: String,
        pub source: String,
        /// The log entry that installed it.
        pub version_id: i64,
        pub updated_at: String,
        pub updated_by_name: String,
    }
}

mirror! {
    /// One entry of the log.
    #[derive(Debug, Serialize, ToSchema)]
    pub struct Version from templates::Version {
        pub id: i64,
        pub kind: String,
        /// `upload` or `revert` (back to the shipped template).
        pub action: String,
        pub sha256: Option<String>,
        pub note: Option<String>,
        pub at: String,
        pub by_name: String,
    }
}
