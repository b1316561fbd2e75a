//! A printed form handed back by the resident (issue 20 §5): which appeal or incoming letter
//! it was registered as is kept in the document's own history, so the register shows it
//! and a second hand-in of the same blank is recognised.

use serde_json::json;

use crate::history::{self, Actor, Change};
use crate::{Db, Result};

/// What a blank was registered as.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct HandedIn {
    /// `appeal` or `incoming`.
    pub register: String,
    pub id: i64,
    pub number: String,
    /// UTC, RFC 3339.
    pub at: String,
}

/// The registration of document `id` as handed in, if it was.
pub async fn of(db: &Db, id: i64) -> Result<Option<HandedIn>> {
    let entries = history::for_card(db, "document", id, 200).await?;
    Ok(entries
        .into_iter()
        .filter(|e| e.action == "hand_in" && e.entity_id == id)
        .find_map(|e| {
            let a = e.after?;
            Some(HandedIn {
                register: a["register"].as_str()?.to_string(),
                id: a["id"].as_i64()?,
                number: a["number"].as_str()?.to_string(),
                at: e.at,
            })
        }))
}

/// Records that document `id` was registered as `register` № `number` (record `record_id`).
pub async fn record(
    db: &Db,
    id: i64,
    register: &str,
    record_id: i64,
    number: &str,
    actor: &Actor,
) -> Result<()> {
    let now = db.now_text();
    let mut tx = db.write().begin().await?;
    history::record(
        &mut tx,
        &now,
        actor,
        Change {
            entity: "document",
            entity_id: id,
            parent: None,
            action: "hand_in",
            before: None,
            after: Some(json!({ "register": register, "id": record_id, "number": number })),
            note: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
