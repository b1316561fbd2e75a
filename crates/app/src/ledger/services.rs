//! Services as reference data: the administrator adds one or edits its title, kind, whether
//! it may be suspended and the words a charges file names it by (the charges import reads
//! them from here). The checks are the domain's.

use abonent_domain::ledger::service::ServiceForm;
use abonent_storage::ledger::{services, Service};
use abonent_storage::Actor;

use crate::{App, AppError};

pub async fn create(app: &App, form: &ServiceForm, actor: &Actor) -> Result<Service, AppError> {
    let s = form.validate().map_err(AppError::Invalid)?;
    Ok(services::create(&app.db, &s, actor).await?)
}

/// Edits the service `code` (the code itself stays: charges refer to it).
pub async fn update(
    app: &App,
    code: &str,
    form: &ServiceForm,
    actor: &Actor,
) -> Result<Service, AppError> {
    let form = ServiceForm {
        code: code.to_string(),
        ..form.clone()
    };
    let s = form.validate().map_err(AppError::Invalid)?;
    Ok(services::update(&app.db, code, &s, actor).await?)
}
