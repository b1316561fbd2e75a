//! The organization's settings as the use cases read and save them. They are read on
//! almost every page, so each instance keeps a copy for a few seconds
//! ([`abonent_storage::fresh::KEEP_FOR`]): a save made here drops it at once, one made on
//! another instance shows within that time. The catalogue (keys, defaults, titles, the
//! checks of the forms) is `abonent_domain::settings`; storage reads and writes the rows.

use std::collections::BTreeMap;

use abonent_domain::registry::AccountNumberFormat;
use abonent_domain::settings as catalogue;
use abonent_storage::fresh::Fresh;
use abonent_storage::{settings, Actor};
use chrono_tz::Tz;

use crate::{App, AppError};

/// This instance's copy of the settings; clones of an `App` share it.
#[derive(Clone, Default)]
pub struct Cache(Fresh<BTreeMap<String, String>>);

/// Every known setting (stored value or default) and any other stored one.
pub async fn all(app: &App) -> Result<BTreeMap<String, String>, AppError> {
    if let Some(map) = app.settings.0.get() {
        return Ok(map);
    }
    let map = settings::all(&app.db).await?;
    app.settings.0.put(map.clone());
    Ok(map)
}

/// One setting ("" when neither stored nor known).
pub async fn get(app: &App, key: &str) -> Result<String, AppError> {
    if let Some(v) = app
        .settings
        .0
        .with(|map| map.get(key).cloned().unwrap_or_default())
    {
        return Ok(v);
    }
    Ok(all(app).await?.get(key).cloned().unwrap_or_default())
}

/// The organization's time zone: dates, deadlines and periods are computed in it.
pub async fn time_zone(app: &App) -> Result<Tz, AppError> {
    Ok(settings::zone_of(&get(app, "org.time_zone").await?))
}

pub async fn account_number_format(app: &App) -> Result<AccountNumberFormat, AppError> {
    Ok(AccountNumberFormat::new(
        &get(app, "account.number_format").await?,
    ))
}

/// The organization's details (`ORG_DETAILS` keys, missing ones as ""), as stored.
pub async fn org_details(app: &App) -> Result<BTreeMap<String, String>, AppError> {
    let all = all(app).await?;
    Ok(catalogue::ORG_DETAILS
        .iter()
        .map(|k| (k.to_string(), all.get(*k).cloned().unwrap_or_default()))
        .collect())
}

/// Saves one setting as `by`, without a history entry (the general settings page).
pub async fn set(app: &App, key: &str, value: &str, by: &str) -> Result<(), AppError> {
    let r = settings::set(&app.db, key, value, by).await;
    app.settings.0.forget();
    Ok(r?)
}

/// Saves the general settings page's values, each as entered (others trimmed; a secret kept
/// as typed, spaces and all). A secret (`catalogue::SECRETS`) is never shown back in the
/// form, so an empty one means «unchanged»; it is emptied only when listed in `clear`.
pub async fn save_general(
    app: &App,
    values: &[(&str, String)],
    clear: &[&str],
    by: &str,
) -> Result<(), AppError> {
    for (key, value) in values {
        if catalogue::is_secret(key) {
            if clear.contains(key) {
                set(app, key, "", by).await?;
            } else if !value.is_empty() {
                set(app, key, value, by).await?;
            }
        } else {
            set(app, key, value.trim(), by).await?;
        }
    }
    Ok(())
}

/// Seals secrets saved in plain text before they were sealed (run at the server's start);
/// answers how many.
pub async fn seal_legacy_secrets(app: &App) -> Result<usize, AppError> {
    let n = settings::seal_legacy(&app.db).await?;
    app.settings.0.forget();
    Ok(n)
}

/// Saves several settings with one history entry listing what changed.
pub async fn save_many(
    app: &App,
    values: &[(&str, String)],
    actor: &Actor,
    note: &str,
) -> Result<(), AppError> {
    let r = settings::save_many(&app.db, values, actor, note).await;
    app.settings.0.forget();
    Ok(r?)
}

/// Checks and saves the organization's details: nothing is saved when any detail is wrong.
pub async fn save_org_details(
    app: &App,
    values: &BTreeMap<String, String>,
    actor: &Actor,
) -> Result<(), AppError> {
    let pairs = catalogue::check_org_details(values)?;
    save_many(app, &pairs, actor, "Реквизиты организации").await
}

/// Checks and saves the organization's details and its time zone: nothing is saved when a
/// detail or the zone is wrong (the zone's error joins the details'). The details are saved
/// first, then the zone, each with its history entry.
pub async fn save_organization(
    app: &App,
    values: &BTreeMap<String, String>,
    time_zone: &str,
    actor: &Actor,
) -> Result<(), AppError> {
    let tz = time_zone.trim();
    if let Err(zone) = catalogue::check_time_zone(tz) {
        let mut all = catalogue::check_org_details(values)
            .err()
            .unwrap_or_default();
        all.0.extend(zone.0);
        return Err(AppError::Invalid(all));
    }
    save_org_details(app, values, actor).await?;
    save_many(
        app,
        &[(catalogue::TIME_ZONE_KEY, tz.to_string())],
        actor,
        "Часовой пояс",
    )
    .await
}

/// Checks and saves numbering patterns (`scope` → pattern) of the known scopes.
pub async fn save_numbering(
    app: &App,
    patterns: &BTreeMap<String, String>,
    actor: &Actor,
) -> Result<(), AppError> {
    let pairs = catalogue::check_numbering(patterns)?;
    save_many(app, &pairs, actor, "Схемы нумерации").await
}
