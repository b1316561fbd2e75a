//! Buildings under management and their premises.

use abonent_domain::registry::{BuildingForm, PremisesForm};
use abonent_storage::registry::{building, premises};
use abonent_storage::Actor;

use crate::{App, AppError};

/// Adds a building; answers its id.
pub async fn create_building(
    app: &App,
    form: &BuildingForm,
    actor: &Actor,
) -> Result<i64, AppError> {
    let d = form.validate()?;
    Ok(building::create(&app.db, &d, actor).await?)
}

/// Changes every field of a building.
pub async fn update_building(
    app: &App,
    id: i64,
    form: &BuildingForm,
    actor: &Actor,
) -> Result<(), AppError> {
    let d = form.validate()?;
    Ok(building::update(&app.db, id, &d, actor).await?)
}

/// The building leaves management (no open accounts may remain).
pub async fn close_building(
    app: &App,
    id: i64,
    reason: &str,
    actor: &Actor,
) -> Result<(), AppError> {
    Ok(building::close(&app.db, id, reason, actor).await?)
}

/// Adds premises (a flat or a non-residential unit) to a building; answers its id.
pub async fn create_premises(
    app: &App,
    form: &PremisesForm,
    actor: &Actor,
) -> Result<i64, AppError> {
    let d = form.validate()?;
    Ok(premises::create(&app.db, &d, actor).await?)
}

/// Changes premises.
pub async fn update_premises(
    app: &App,
    id: i64,
    form: &PremisesForm,
    actor: &Actor,
) -> Result<(), AppError> {
    let d = form.validate()?;
    Ok(premises::update(&app.db, id, &d, actor).await?)
}

/// Closes premises (no open accounts may remain).
pub async fn close_premises(
    app: &App,
    id: i64,
    reason: &str,
    actor: &Actor,
) -> Result<(), AppError> {
    Ok(premises::close(&app.db, id, reason, actor).await?)
}
