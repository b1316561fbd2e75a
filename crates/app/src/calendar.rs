//! The work calendar (производственный календарь) as the administrator keeps it: a year's
//! non-working days and working weekends, with its source. Deadlines of appeals read it, so
//! a change drops the appeals' copy of the reference data
//! ([`crate::appeals::reference::save_year`]).

use abonent_domain::calendar::year_from_form;
use abonent_storage::Actor;

use crate::appeals::reference;
use crate::{App, AppError};

/// Check and save a year from its form (dates as typed, one per line or separated by
/// commas); returns the year.
pub async fn save_year(
    app: &App,
    year: &str,
    source: &str,
    non_working: &str,
    working_weekends: &str,
    actor: &Actor,
) -> Result<i32, AppError> {
    let y = year_from_form(year, source, non_working, working_weekends)?;
    reference::save_year(app, &y, actor).await?;
    Ok(y.year())
}

/// Remove a year: its days count by the weekday again.
pub async fn remove_year(app: &App, year: i32, actor: &Actor) -> Result<(), AppError> {
    reference::remove_year(app, year, actor).await
}
