//! What the documents API answers (see `api::types`).

use abonent_storage::documents::{self as store, templates};
use serde::{Deserialize, Serialize};
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
    /// One entry of a template's log (its own schema name: `Version` was the reference
    /// data's too, and one of them hid the other in the document).
    #[derive(Debug, Serialize, ToSchema)]
    #[schema(as = TemplateVersion)]
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

mirror! {
    /// What to issue. Which fields matter depends on `kind`; the rest are ignored.
    #[derive(Debug, Default, Deserialize, ToSchema)]
    pub struct IssueRequest into abonent_app::documents::issue::IssueRequest {
        /// `registration_certificate`, `account_statement`, `payment_document` or `letter`.
        pub kind: String,
        /// The account (certificate, statement and payment document need it).
        pub account_id: Option<i64>,
        /// The person it is issued for (payment document: the payer; by default the owner).
        pub person_id: Option<i64>,
        /// The appeal it answers (appeals issue).
        pub appeal_id: Option<i64>,
        /// The document this one corrects (same kind).
        pub corrects_id: Option<i64>,
        /// Certificate: «для предъявления в …»; payment document: the payment purpose (≤ 210).
        pub purpose: Option<String>,
        /// Payment document: the month, `2026-11` (from the ledger: the last charged by default).
        pub period: Option<String>,
        /// Payment document for a hand-written amount, in roubles as written, `1 234,56`;
        /// without it the document is made from the ledger.
        pub amount: Option<String>,
        /// Payment document: amount in kopecks (instead of `amount`).
        pub amount_kopecks: Option<i64>,
        /// Payment document: pay by, `2026-12-10` (not in the past; by default the next due date).
        pub due_date: Option<String>,
        /// Letter: the addressee, one line each.
        pub addressee: Option<String>,
        /// Letter: the subject.
        pub subject: Option<String>,
        /// Letter: «Уважаемый Иван Иванович!».
        pub salutation: Option<String>,
        /// Letter: the text; paragraphs separated by an empty line.
        pub body: Option<String>,
        /// Letter: who signs when not the director.
        pub signer_title: Option<String>,
        pub signer_name: Option<String>,
        /// Letter: «Исп. Петрова А. А., тел. …».
        pub executor: Option<String>,
        /// Letter: how it is sent: `post`, `email`, `hand`, `portal` (post by default).
        pub method: Option<String>,
        /// Letter: postal tracking number.
        pub tracking_number: Option<String>,
        /// Letter: the incoming letter it answers (becomes answered).
        pub answers_incoming_id: Option<i64>,
        /// Ledger statement: the first period, `2026-01` (12 months back by default).
        pub period_from: Option<String>,
        /// Ledger statement: the last period, `2026-11` (this month by default).
        pub period_to: Option<String>,
        /// Penalty calculation: the date it is made «на», `2026-11-27` (today by default).
        pub on: Option<String>,
        /// Resident's application (`resident_application`): which blank — `recalculation`,
        /// `absence`, `installment`, `claim`, `complaint` or `certificate`.
        pub form: Option<String>,
    }
}

mirror! {
    /// How a handed-in blank is registered.
    #[derive(Debug, Default, Deserialize, ToSchema)]
    #[serde(default)]
    pub struct HandInRequest into abonent_app::documents::issue::resident::HandInRequest {
        /// `appeal` (an appeal of the form's kind) or `incoming` (an incoming letter).
        #[serde(rename = "as")]
        pub register: Option<String>,
        /// What the resident wrote, in short; empty — the blank's heading.
        pub substance: Option<String>,
        /// Appeal: how it came, `visit` by default.
        pub channel: Option<String>,
        /// Incoming letter: pages handed in.
        pub pages: Option<String>,
    }
}

mirror! {
    /// What the handed-in blank became.
    #[derive(Debug, Serialize, ToSchema)]
    pub struct HandedIn from abonent_app::documents::issue::resident::HandedInOut {
        /// `appeal` or `incoming`.
        pub register: String,
        pub id: i64,
        pub number: String,
    }
}
