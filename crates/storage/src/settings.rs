//! Organization settings: key–value rows an administrator edits. Defaults live here once.

use std::collections::BTreeMap;

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
        "account.number_format",
        "",
        "Формат номера ЛС (# — цифра, A — буква; пусто — любой)",
    ),
];

pub async fn all(db: &Db) -> Result<BTreeMap<String, String>> {
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
    let row = sqlx::query("SELECT value FROM settings WHERE key = $1")
        .bind(key)
        .fetch_optional(db.read())
        .await?;
    Ok(match row {
        Some(r) => r.get(0),
        None => KNOWN
            .iter()
            .find(|(k, _, _)| *k == key)
            .map(|(_, v, _)| v.to_string())
            .unwrap_or_default(),
    })
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
    Ok(())
}

pub async fn account_number_format(
    db: &Db,
) -> Result<abonent_domain::registry::AccountNumberFormat> {
    Ok(abonent_domain::registry::AccountNumberFormat::new(
        &get(db, "account.number_format").await?,
    ))
}
