//! Personal accounts: opening (with the duplicate question), changing and closing.

use abonent_domain::registry::{duplicate_account_conflict, AccountForm};
use abonent_storage::registry::account;
use abonent_storage::Actor;
use chrono::NaiveDate;

use crate::{settings, App, AppError};

/// Opens an account on premises; answers its id. Another open account on the same premises
/// is usually a mistake: unless `confirmed`, it is answered with [`AppError::Conflict`]
/// carrying the open numbers as `duplicates`.
pub async fn create_account(
    app: &App,
    form: &AccountForm,
    confirmed: bool,
    actor: &Actor,
) -> Result<i64, AppError> {
    let format = settings::account_number_format(app).await?;
    let d = form.validate(&format)?;
    let dups = account::open_on_premises(&app.db, d.premises_id, None).await?;
    if !dups.is_empty() && !confirmed {
        return Err(AppError::Conflict {
            detail: duplicate_account_conflict(&dups),
            extra: serde_json::json!({ "duplicates": dups }),
        });
    }
    Ok(account::create(&app.db, &d, actor).await?)
}

/// Changes an account (no duplicate question: the premises were asked about when opened).
pub async fn update_account(
    app: &App,
    id: i64,
    form: &AccountForm,
    actor: &Actor,
) -> Result<(), AppError> {
    let format = settings::account_number_format(app).await?;
    let d = form.validate(&format)?;
    Ok(account::update(&app.db, id, &d, actor).await?)
}

/// Closes an account on a date (today when none); it stays in the archive.
pub async fn close_account(
    app: &App,
    id: i64,
    on: Option<NaiveDate>,
    reason: &str,
    actor: &Actor,
) -> Result<(), AppError> {
    let on = app.day_or_today(on).await?;
    Ok(account::close(&app.db, id, on, reason, actor).await?)
}
