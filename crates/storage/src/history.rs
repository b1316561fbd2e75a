//! The append-only history of every change and every personal-data read (152-ФЗ).
//! Rows are written in the same transaction as the change they describe.

use serde::Serialize;
use sqlx::{AnyConnection, Row};

use crate::{Db, Result};

/// Who did it: a staff user, an API token or the system itself.
#[derive(Debug, Clone, Serialize)]
pub struct Actor {
    pub user_id: Option<i64>,
    pub name: String,
}

impl Actor {
    pub fn system(what: &str) -> Actor {
        Actor {
            user_id: None,
            name: what.to_string(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct HistoryEntry {
    pub id: i64,
    pub entity: String,
    pub entity_id: i64,
    pub action: String,
    pub actor_name: String,
    pub at: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    pub note: Option<String>,
}

/// What to record. `parent` ties a link or benefit to the card it is shown on.
pub struct Change<'a> {
    pub entity: &'a str,
    pub entity_id: i64,
    pub parent: Option<(&'a str, i64)>,
    pub action: &'a str,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    pub note: Option<&'a str>,
}

/// Records `c` at `at` (the instant of the change, by the `Db`'s clock). A change about a
/// person is stored sealed with the person's key (`crate::personal`).
pub async fn record(
    conn: &mut AnyConnection,
    at: &str,
    actor: &Actor,
    c: Change<'_>,
) -> Result<()> {
    let mut note = String::new();
    let c = match crate::personal::subject(&c) {
        None => c,
        Some(person) => {
            let keys = crate::personal::keys_for(&mut *conn, &[person], at).await?;
            match keys.get(&person) {
                Some(key) => crate::personal::seal_change(key, person, c, &mut note),
                None => {
                    return Err(crate::StoreError::Other(format!(
                        "no key for person {person}"
                    )))
                }
            }
        }
    };
    sqlx::query(
        "INSERT INTO history (entity, entity_id, parent_entity, parent_id, action, actor_id, \
         actor_name, at, before_json, after_json, note) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(c.entity)
    .bind(c.entity_id)
    .bind(c.parent.map(|p| p.0))
    .bind(c.parent.map(|p| p.1))
    .bind(c.action)
    .bind(actor.user_id)
    .bind(&actor.name)
    .bind(at)
    .bind(c.before.map(|v| v.to_string()))
    .bind(c.after.map(|v| v.to_string()))
    .bind(c.note)
    .execute(conn)
    .await?;
    Ok(())
}

/// The history table's columns, in the order bulk writers give their values.
pub(crate) const COLUMNS: &[&str] = &[
    "entity",
    "entity_id",
    "parent_entity",
    "parent_id",
    "action",
    "actor_id",
    "actor_name",
    "at",
    "before_json",
    "after_json",
    "note",
];

/// The type of each of [`COLUMNS`], for bulk inserts.
pub(crate) const COLUMN_TYPES: &[crate::ledger::unnest::Col] = {
    use crate::ledger::unnest::Col::{Int, Text};
    &[
        Text, Int, Text, Int, Text, Int, Text, Text, Text, Text, Text,
    ]
};

/// One entry as a row of [`COLUMNS`], written at `at`.
pub(crate) fn row(actor: &Actor, at: &str, c: Change<'_>) -> Vec<crate::bulk::BulkValue> {
    use crate::bulk::BulkValue;
    vec![
        c.entity.into(),
        BulkValue::Int(c.entity_id),
        c.parent.map(|p| p.0).into(),
        c.parent.map(|p| p.1).into(),
        c.action.into(),
        actor.user_id.into(),
        (&actor.name).into(),
        at.into(),
        c.before.map(|v| v.to_string()).into(),
        c.after.map(|v| v.to_string()).into(),
        c.note.into(),
    ]
}

/// Several history entries in one statement (registrations written together), all at `at`.
pub(crate) async fn record_all(
    conn: &mut AnyConnection,
    backend: crate::Backend,
    at: &str,
    changes: Vec<(&Actor, Change<'_>)>,
) -> Result<()> {
    // Appeals (the hot path) are about no person: no key is read unless a change needs one.
    let persons: Vec<i64> = changes
        .iter()
        .filter_map(|(_, c)| crate::personal::subject(c))
        .collect();
    let keys = if persons.is_empty() {
        Default::default()
    } else {
        crate::personal::keys_for(&mut *conn, &persons, at).await?
    };
    let rows: Vec<_> = changes
        .into_iter()
        .map(|(actor, c)| match crate::personal::subject(&c) {
            Some(p) if keys.contains_key(&p) => {
                let mut note = String::new();
                let c = crate::personal::seal_change(&keys[&p], p, c, &mut note);
                row(actor, at, c)
            }
            _ => row(actor, at, c),
        })
        .collect();
    crate::ledger::unnest::insert(conn, backend, "history", COLUMNS, COLUMN_TYPES, &rows).await?;
    Ok(())
}

/// History shown on a card: the record itself and the records tied to it, newest first; a
/// person's card shows the changes of their links too (a link's entries name the account as
/// parent).
pub async fn for_card(db: &Db, entity: &str, id: i64, limit: i64) -> Result<Vec<HistoryEntry>> {
    card_entries(db, entity, id, "", limit).await
}

/// A card's history with the 152-ФЗ views apart: the last `limit` changes, then the last
/// `views` views of personal data, so that many views never push a change out of sight.
pub async fn for_card_apart(
    db: &Db,
    entity: &str,
    id: i64,
    limit: i64,
    views: i64,
) -> Result<Vec<HistoryEntry>> {
    let mut entries = card_entries(db, entity, id, "AND action <> 'view'", limit).await?;
    entries.extend(card_entries(db, entity, id, "AND action = 'view'", views).await?);
    Ok(entries)
}

async fn card_entries(
    db: &Db,
    entity: &str,
    id: i64,
    and: &str,
    limit: i64,
) -> Result<Vec<HistoryEntry>> {
    // Only a person's card asks for the links (the account card's query stays as indexed).
    let links = if entity == "person" {
        " OR (entity = 'account_person' AND entity_id IN \
         (SELECT id FROM account_persons WHERE person_id = $2))"
    } else {
        ""
    };
    let rows = sqlx::query(&format!(
        "SELECT id, entity, entity_id, action, actor_name, at, before_json, after_json, note \
         FROM history WHERE ((entity = $1 AND entity_id = $2) OR (parent_entity = $1 AND parent_id = $2){links}) \
         {and} ORDER BY id DESC LIMIT $3"
    ))
    .bind(entity)
    .bind(id)
    .bind(limit)
    .fetch_all(db.read())
    .await?;
    let mut entries: Vec<HistoryEntry> = rows
        .into_iter()
        .map(|r| {
            let json = |s: Option<String>| s.and_then(|s| serde_json::from_str(&s).ok());
            HistoryEntry {
                id: r.get(0),
                entity: r.get(1),
                entity_id: r.get(2),
                action: r.get(3),
                actor_name: r.get(4),
                at: r.get(5),
                before: json(r.get(6)),
                after: json(r.get(7)),
                note: r.get(8),
            }
        })
        .collect();
    crate::personal::open_entries(db, &mut entries).await?;
    Ok(entries)
}
