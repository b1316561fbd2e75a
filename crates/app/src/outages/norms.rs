//! The table of allowed interruptions and reductions (ПП 354, приложение № 1): shipped with
//! the program with a source per service, replaceable by an administrator as a whole (kept
//! in the settings, with history, like other reference data laws change).

use abonent_domain::quality::QualityNorms;
use abonent_storage::Actor;

use crate::{settings, App, AppError};

/// The settings key of a replaced table; empty means the shipped one.
pub const KEY: &str = "quality.norms";
/// The last closed billing month (`YYYY-MM`): no recalculation is posted into it or before.
pub const CLOSED_THROUGH: &str = "ledger.closed_through";

/// The table in force: the administrator's, or the shipped one.
pub async fn current(app: &App) -> Result<QualityNorms, AppError> {
    let stored = settings::get(app, KEY).await?;
    if stored.trim().is_empty() {
        return Ok(QualityNorms::default());
    }
    Ok(QualityNorms::from_json(&stored)?)
}

/// Replaces the table with `json` after checking it (nothing saved when it is wrong); an
/// empty text returns to the shipped table.
pub async fn save(app: &App, json: &str, actor: &Actor) -> Result<QualityNorms, AppError> {
    let table = if json.trim().is_empty() {
        QualityNorms::default()
    } else {
        QualityNorms::from_json(json)?
    };
    let value = if json.trim().is_empty() {
        String::new()
    } else {
        table.to_json()
    };
    settings::save_many(
        app,
        &[(KEY, value)],
        actor,
        "Таблица допустимых перерывов и снижения платы (ПП 354, прил. 1)",
    )
    .await?;
    Ok(table)
}
