//! What the outbox API answers (see `api::types`).

use abonent_domain::outbox::{OutboxChannel, OutboxState};
use abonent_storage::outbox as store;
use serde::Serialize;
use utoipa::ToSchema;

use crate::api::types::mirror;

mirror! {
    #[derive(Debug, Serialize, ToSchema)]
    pub struct Message from store::Message {
        pub id: i64,
        pub channel: OutboxChannel,
        pub recipient: String,
        pub subject: String,
        pub body: String,
        pub state: OutboxState,
        /// Delivery attempts started so far.
        pub attempts: i64,
        /// When a pending message is due (UTC).
        pub next_attempt_at: String,
        pub last_error: Option<String>,
        /// The instance sending it (or that sent it), and until when its lease holds.
        pub locked_by: Option<String>,
        pub locked_until: Option<String>,
        pub created_at: String,
        pub sent_at: Option<String>,
        pub source_entity: Option<String>,
        pub source_id: Option<i64>,
        pub dedup_key: Option<String>,
    }
}
