//! Personal values in history, sealed with a key per person (`person_keys`, migration 21).
//!
//! History is append-only, yet 152-ФЗ wants a person's data destroyed when the ground to
//! keep it ends. So the before/after values and the note of every history row about a person
//! (entity `person`, or a row whose parent is the person: benefits) are stored sealed with
//! that person's key, as `{"enc": "<base64>", "person": <id>}`. Erasure deletes the key: the
//! rows stay, unchanged and unreadable. Reads open what they can; a row whose key is gone
//! reads as [`erased`].

use std::collections::HashMap;

use serde_json::Value;
use sqlx::{AnyConnection, Row};

use crate::crypto::Key;
use crate::history::{Change, HistoryEntry};
use crate::{Db, Result};

/// What a sealed value reads as once its person's key is deleted.
pub fn erased() -> Value {
    serde_json::json!({ "erased": true })
}

/// True for the marker of [`erased`].
pub fn is_erased(v: &Value) -> bool {
    v.get("erased").and_then(Value::as_bool) == Some(true)
        && v.as_object().map(|o| o.len()) == Some(1)
}

/// The person a history row is about, when its values must be sealed. Reads of a card
/// (`view`, the channel in the note) and the erasure itself carry no personal value.
pub(crate) fn subject(c: &Change<'_>) -> Option<i64> {
    if matches!(c.action, "view" | "erase") {
        return None;
    }
    if c.entity == "person" {
        return Some(c.entity_id);
    }
    match c.parent {
        Some(("person", id)) => Some(id),
        _ => None,
    }
}

fn aad(person: i64) -> Vec<u8> {
    format!("abonent history person {person}").into_bytes()
}

fn seal_value(key: &Key, person: i64, v: &Value) -> Value {
    serde_json::json!({ "enc": key.seal(v.to_string().as_bytes(), &aad(person)), "person": person })
}

/// `c` with its before/after and note sealed by the person's key.
pub(crate) fn seal_change<'a>(
    key: &Key,
    person: i64,
    c: Change<'a>,
    note: &'a mut String,
) -> Change<'a> {
    let before = c.before.as_ref().map(|v| seal_value(key, person, v));
    let after = c.after.as_ref().map(|v| seal_value(key, person, v));
    let had_note = c.note.is_some();
    if let Some(n) = c.note {
        *note = seal_value(key, person, &Value::String(n.to_string())).to_string();
    }
    let note: &'a String = note;
    Change {
        before,
        after,
        note: had_note.then_some(note.as_str()),
        ..c
    }
}

/// The keys of `persons`, created for those who have none yet (in the caller's
/// transaction, so a key is never left behind by a change that failed).
pub(crate) async fn keys_for(
    conn: &mut AnyConnection,
    persons: &[i64],
    now: &str,
) -> Result<HashMap<i64, Key>> {
    let mut ids: Vec<i64> = persons.to_vec();
    ids.sort_unstable();
    ids.dedup();
    let mut keys = read_keys(&mut *conn, &ids).await?;
    let missing: Vec<i64> = ids
        .iter()
        .copied()
        .filter(|id| !keys.contains_key(id))
        .collect();
    for chunk in missing.chunks(300) {
        let mut sql = String::from("INSERT INTO person_keys (person_id, key, created_at) VALUES ");
        for i in 0..chunk.len() {
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&format!("(${}, ${}, ${})", i * 3 + 1, i * 3 + 2, i * 3 + 3));
        }
        // Two writers creating the same person's key: the first one wins, both read it back.
        sql.push_str(" ON CONFLICT (person_id) DO NOTHING");
        let mut q = sqlx::query(&sql);
        for id in chunk {
            q = q.bind(*id).bind(Key::generate().bytes().to_vec()).bind(now);
        }
        q.execute(&mut *conn).await?;
    }
    if !missing.is_empty() {
        keys.extend(read_keys(&mut *conn, &missing).await?);
    }
    Ok(keys)
}

async fn read_keys(conn: &mut AnyConnection, ids: &[i64]) -> Result<HashMap<i64, Key>> {
    let mut out = HashMap::new();
    for chunk in ids.chunks(500) {
        let params: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT person_id, key FROM person_keys WHERE person_id IN ({})",
            params.join(", ")
        );
        let mut q = sqlx::query(&sql);
        for id in chunk {
            q = q.bind(*id);
        }
        for r in q.fetch_all(&mut *conn).await? {
            let bytes: Vec<u8> = r.get(1);
            if let Some(k) = Key::from_bytes(&bytes) {
                out.insert(r.get(0), k);
            }
        }
    }
    Ok(out)
}

/// The person of a sealed value, or `None` for a plain one.
fn sealed_by(v: &Value) -> Option<i64> {
    v.get("enc")?;
    v.get("person")?.as_i64()
}

fn open_value(keys: &HashMap<i64, Key>, v: Value) -> Value {
    let Some(person) = sealed_by(&v) else {
        return v;
    };
    let opened = keys.get(&person).and_then(|k| {
        let text = k.open(v.get("enc")?.as_str()?, &aad(person))?;
        serde_json::from_slice(&text).ok()
    });
    opened.unwrap_or_else(erased)
}

/// Opens the sealed values of `entries` (one read of the keys); values whose key is gone
/// become [`erased`], a sealed note becomes none.
pub async fn open_entries(db: &Db, entries: &mut [HistoryEntry]) -> Result<()> {
    let mut persons = Vec::new();
    for e in entries.iter() {
        let note = e
            .note
            .as_deref()
            .and_then(|n| serde_json::from_str::<Value>(n).ok());
        for v in [e.before.as_ref(), e.after.as_ref(), note.as_ref()]
            .into_iter()
            .flatten()
        {
            persons.extend(sealed_by(v));
        }
    }
    if persons.is_empty() {
        return Ok(());
    }
    persons.sort_unstable();
    persons.dedup();
    let mut conn = db.read().acquire().await?;
    let keys = read_keys(&mut conn, &persons).await?;
    for e in entries.iter_mut() {
        e.before = e.before.take().map(|v| open_value(&keys, v));
        e.after = e.after.take().map(|v| open_value(&keys, v));
        if let Some(n) = e.note.as_deref() {
            if let Some(v) = serde_json::from_str::<Value>(n)
                .ok()
                .filter(|v| sealed_by(v).is_some())
            {
                e.note = match open_value(&keys, v) {
                    Value::String(s) => Some(s),
                    _ => None,
                };
            }
        }
    }
    Ok(())
}
