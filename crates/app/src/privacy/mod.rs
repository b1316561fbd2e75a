//! Personal data under 152-ФЗ: every answer that shows people is logged as one entry naming
//! them (`record_views`), the auditor reads that log (`log`), and a person may ask for
//! everything held about them (`subject`, ст. 14).

pub mod log;
pub mod subject;
mod table;

use abonent_storage::{pd_access, Actor};

use crate::{App, AppError};

/// Records that `actor` was shown the personal data of `person_ids` through `via` (the page
/// or API call, e.g. `GET /api/v1/persons`): one entry for the whole answer, none when it
/// showed nobody. Every front end calls it for every answer that shows people, and fails the
/// answer when the log cannot be written: data shown unlogged is what 152-ФЗ forbids.
pub async fn record_views(
    app: &App,
    actor: &Actor,
    person_ids: &[i64],
    via: &str,
) -> Result<(), AppError> {
    pd_access::record(&app.db, actor, via, person_ids).await?;
    Ok(())
}

/// The people a history names: the `person_id` of the links and benefits it shows changed
/// (their entries carry the person's name with the account, or the benefit's documents).
pub fn people_in_history(entries: &[abonent_storage::history::HistoryEntry]) -> Vec<i64> {
    let mut ids: Vec<i64> = entries
        .iter()
        .flat_map(|e| [&e.before, &e.after])
        .filter_map(|v| v.as_ref()?.get("person_id")?.as_i64())
        .collect();
    ids.extend(
        entries
            .iter()
            .filter(|e| e.entity == "person")
            .map(|e| e.entity_id),
    );
    ids.sort_unstable();
    ids.dedup();
    ids
}
