//! Organization settings: key–value rows an administrator edits. Defaults live here once.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sqlx::Row;

use crate::{time, Db, Result};

/// Every setting with its default and Russian title.
pub const KNOWN: &[(&str, &str, &str)] = &[
    (
        "org.name",
        "ООО «Управляющая компания»",
        "Наименование организации",
    ),
    (
        "org.time_zone",
        "Asia/Yekaterinburg",
        "Часовой пояс организации (IANA)",
    ),
    (
        "org.default_region",
        "Свердловская обл.",
        "Регион по умолчанию для адресов",
    ),
    (
        "org.default_city",
        "г. Екатеринбург",
        "Населённый пункт по умолчанию",
    ),
    (
        "ledger.bank_account",
        "",
        "Расчётный счёт организации: из выписок 1С берутся поступления на него",
    ),
    (
        "account.number_format",
        "",
        "Формат номера ЛС (# — цифра, A — буква; пусто — любой)",
    ),
];

/// How long an instance keeps settings before reading them again: a change made on another
/// instance shows within this time.
const CACHE_FOR: Duration = Duration::from_secs(5);

pub(crate) type Cache = Arc<Mutex<Option<(Instant, BTreeMap<String, String>)>>>;

pub async fn all(db: &Db) -> Result<BTreeMap<String, String>> {
    if let Ok(c) = db.settings_cache.lock() {
        if let Some((at, map)) = c.as_ref() {
            if at.elapsed() < CACHE_FOR {
                return Ok(map.clone());
            }
        }
    }
    let map = read_all(db).await?;
    if let Ok(mut c) = db.settings_cache.lock() {
        *c = Some((Instant::now(), map.clone()));
    }
    Ok(map)
}

async fn read_all(db: &Db) -> Result<BTreeMap<String, String>> {
    let mut map: BTreeMap<String, String> = KNOWN
        .iter()
        .map(|(k, v, _)| (k.to_string(), v.to_string()))
        .collect();
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
    .bind(time::now_text())
    .bind(by)
    .execute(db.write())
    .await?;
    if let Ok(mut c) = db.settings_cache.lock() {
        *c = None;
    }
    Ok(())
}

pub async fn account_number_format(
    db: &Db,
) -> Result<abonent_domain::registry::AccountNumberFormat> {
    Ok(abonent_domain::registry::AccountNumberFormat::new(
        &get(db, "account.number_format").await?,
    ))
}
