//! Organization settings: key–value rows an administrator edits. The catalogue (keys,
//! defaults, titles, checks) is `abonent_domain::settings`.

use std::collections::BTreeMap;

use abonent_domain::settings::{defaults, DEFAULT_TIME_ZONE};
use chrono_tz::Tz;
use sqlx::Row;

use crate::{Db, Result};

/// Every known setting (stored value or default) and any other stored one, read now: pages
/// read them through `abonent_app::settings`, which keeps a copy for a few seconds.
pub async fn all(db: &Db) -> Result<BTreeMap<String, String>> {
    let mut map = defaults();
    for r in sqlx::query("SELECT key, value FROM settings")
        .fetch_all(db.read())
        .await?
    {
        map.insert(r.get(0), r.get(1));
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
    .bind(value)
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
    Ok(())
}
