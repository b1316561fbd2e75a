//! Organization settings: key–value rows an administrator edits. The catalogue (keys,
//! defaults, titles, checks) is `abonent_domain::settings`.

use std::collections::BTreeMap;

use abonent_domain::settings::{defaults, is_secret, DEFAULT_TIME_ZONE, SECRETS};
use chrono_tz::Tz;
use sqlx::Row;

use crate::{Db, Result, StoreError};

/// How a sealed secret starts in the `value` column; anything else is a value stored before
/// secrets were sealed (sealed by [`seal_legacy`] at the server's start).
const SEALED: &str = "sealed1:";

fn aad(key: &str) -> Vec<u8> {
    format!("abonent setting {key}").into_bytes()
}

/// The value as stored: a secret sealed with the server's key. Without a key (tools and
/// tests that opened the database without one) it is refused rather than kept in plain.
fn stored(db: &Db, key: &str, value: &str) -> Result<String> {
    if !is_secret(key) || value.is_empty() {
        return Ok(value.to_string());
    }
    match db.secret_key() {
        Some(k) => Ok(format!("{SEALED}{}", k.seal(value.as_bytes(), &aad(key)))),
        None => Err(StoreError::Other(format!(
            "setting {key} is a secret: the server's secret key is needed to save it"
        ))),
    }
}

/// The value as read: a sealed secret opened; "" when it cannot be (no key, or another key).
fn readable(db: &Db, key: &str, value: String) -> String {
    let Some(sealed) = value.strip_prefix(SEALED) else {
        return value;
    };
    let opened = db
        .secret_key()
        .and_then(|k| k.open(sealed, &aad(key)))
        .and_then(|b| String::from_utf8(b).ok());
    if opened.is_none() {
        tracing::warn!(
            key,
            "a secret setting cannot be opened with this server's key"
        );
    }
    opened.unwrap_or_default()
}

/// Seals secrets stored in plain text (saved before they were sealed); answers how many.
pub async fn seal_legacy(db: &Db) -> Result<usize> {
    let mut count = 0;
    for key in SECRETS {
        let row = sqlx::query("SELECT value FROM settings WHERE key = $1")
            .bind(*key)
            .fetch_optional(db.read())
            .await?;
        let Some(value) = row.map(|r| r.get::<String, _>(0)) else {
            continue;
        };
        if value.is_empty() || value.starts_with(SEALED) {
            continue;
        }
        // Conditional: another instance sealing it at the same moment changes nothing.
        let done = sqlx::query("UPDATE settings SET value = $1 WHERE key = $2 AND value = $3")
            .bind(stored(db, key, &value)?)
            .bind(*key)
            .bind(&value)
            .execute(db.write())
            .await?;
        count += done.rows_affected() as usize;
    }
    Ok(count)
}

/// Every known setting (stored value or default) and any other stored one, read now: pages
/// read them through `abonent_app::settings`, which keeps a copy for a few seconds.
pub async fn all(db: &Db) -> Result<BTreeMap<String, String>> {
    let mut map = defaults();
    for r in sqlx::query("SELECT key, value FROM settings")
        .fetch_all(db.read())
        .await?
    {
        let key: String = r.get(0);
        let value = readable(db, &key, r.get(1));
        map.insert(key, value);
    }
    Ok(map)
}

pub async fn get(db: &Db, key: &str) -> Result<String> {
    Ok(all(db).await?.get(key).cloned().unwrap_or_default())
}

pub async fn set(db: &Db, key: &str, value: &str, by: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO settings (key, value, updated_at, updated_by) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, updated_by = excluded.updated_by",
    )
    .bind(key)
    .bind(stored(db, key, value)?)
    .bind(db.now_text())
    .bind(by)
    .execute(db.write())
    .await?;
    Ok(())
}

/// The zone named by an `org.time_zone` value, or the default one.
pub fn zone_of(name: &str) -> Tz {
    name.trim()
        .parse()
        .unwrap_or_else(|_| DEFAULT_TIME_ZONE.parse().unwrap_or(Tz::UTC))
}

/// The organization's time zone: dates, deadlines and periods are computed in it.
pub async fn time_zone(db: &Db) -> Result<Tz> {
    Ok(zone_of(&get(db, "org.time_zone").await?))
}

pub async fn account_number_format(
    db: &Db,
) -> Result<abonent_domain::registry::AccountNumberFormat> {
    Ok(abonent_domain::registry::AccountNumberFormat::new(
        &get(db, "account.number_format").await?,
    ))
}

/// Writes several settings in one transaction with one history entry (entity `settings`)
/// listing what changed. Unchanged values are not rewritten.
pub async fn save_many(
    db: &Db,
    values: &[(&str, String)],
    actor: &crate::Actor,
    note: &str,
) -> Result<()> {
    let current = all(db).await?;
    let mut before = serde_json::Map::new();
    let mut after = serde_json::Map::new();
    let mut tx = db.write().begin().await?;
    let now = db.now_text();
    for (key, value) in values {
        let old = current.get(*key).cloned().unwrap_or_default();
        if &old == value {
            continue;
        }
        sqlx::query(
            "INSERT INTO settings (key, value, updated_at, updated_by) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, updated_by = excluded.updated_by",
        )
        .bind(*key)
        .bind(stored(db, key, value)?)
        .bind(&now)
        .bind(&actor.name)
        .execute(&mut *tx)
        .await?;
        // History tells that a secret changed, never what it is.
        let shown = |v: &str| match (is_secret(key), v.is_empty()) {
            (true, false) => "********".to_string(),
            _ => v.to_string(),
        };
        before.insert(key.to_string(), shown(&old).into());
        after.insert(key.to_string(), shown(value).into());
    }
    if !after.is_empty() {
        crate::history::record(
            &mut tx,
            &now,
            actor,
            crate::history::Change {
                entity: "settings",
                entity_id: 0,
                parent: None,
                action: "update",
                before: Some(before.into()),
                after: Some(after.into()),
                note: Some(note),
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}
