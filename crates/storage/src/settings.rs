//! Organization settings: key–value rows an administrator edits. The catalogue (keys,
//! defaults, titles, checks) is `abonent_domain::settings`.

use std::collections::BTreeMap;

use abonent_domain::settings::{check_numbering, check_org_details, defaults, DEFAULT_TIME_ZONE, ORG_DETAILS};
use chrono_tz::Tz;
use sqlx::Row;

use crate::{Db, Result};

/// Kept by each instance for [`crate::fresh::KEEP_FOR`]: a change made on another instance
/// shows within that time.
pub(crate) type Cache = crate::fresh::Fresh<BTreeMap<String, String>>;

pub async fn all(db: &Db) -> Result<BTreeMap<String, String>> {
    if let Some(map) = db.settings_cache.get() {
        return Ok(map);
    }
    let map = read_all(db).await?;
    db.settings_cache.put(map.clone());
    Ok(map)
}

async fn read_all(db: &Db) -> Result<BTreeMap<String, String>> {
    let mut map = defaults();
    for r in sqlx::query("SELECT key, value FROM settings")
        .fetch_all(db.read())
        .await?
    {
        map.insert(r.get(0), r.get(1));
    }
    Ok(map)
}

/// A value from this instance's cache while it is fresh; `None` means "read it yourself".
pub(crate) fn cached(db: &Db, key: &str) -> Option<String> {
    db.settings_cache
        .with(|map| map.get(key).cloned().unwrap_or_default())
}

/// Drop this instance's cache (after a write).
pub(crate) fn forget(db: &Db) {
    db.settings_cache.forget();
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
    .bind(value)
    .bind(db.now_text())
    .bind(by)
    .execute(db.write())
    .await?;
    forget(db);
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
    let current = read_all(db).await?;
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
        .bind(value)
        .bind(&now)
        .bind(&actor.name)
        .execute(&mut *tx)
        .await?;
        before.insert(key.to_string(), old.into());
        after.insert(key.to_string(), value.clone().into());
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
    forget(db);
    Ok(())
}

/// The organization's details (`ORG_DETAILS` keys, missing ones as ""), as stored.
pub async fn org_details(db: &Db) -> Result<BTreeMap<String, String>> {
    let all = all(db).await?;
    Ok(ORG_DETAILS
        .iter()
        .map(|k| (k.to_string(), all.get(*k).cloned().unwrap_or_default()))
        .collect())
}

/// Checks and saves the organization's details: nothing is saved when any detail is wrong.
/// Values are trimmed; keys other than `ORG_DETAILS` are ignored.
pub async fn save_org_details(
    db: &Db,
    values: &BTreeMap<String, String>,
    actor: &crate::Actor,
) -> Result<()> {
    let pairs = check_org_details(values)?;
    save_many(db, &pairs, actor, "Реквизиты организации").await
}

/// Checks and saves numbering patterns (`scope` → pattern) of known scopes; errors are
/// named `numbering.<scope>`.
pub async fn save_numbering(
    db: &Db,
    patterns: &BTreeMap<String, String>,
    actor: &crate::Actor,
) -> Result<()> {
    let pairs = check_numbering(patterns)?;
    save_many(db, &pairs, actor, "Схемы нумерации").await
}
