//! The appeals register (обращения): the writes of registration and the workflow, views and
//! search. Rules and message texts live in abonent_domain::appeal, the use cases (what is
//! registered, the writer task, the reference data kept per instance) in
//! abonent_app::appeals; this module stores and queries.

pub mod alerts;
pub mod batch;
pub mod deadlines;
pub mod files;
pub mod incidents;
pub mod insert;
pub mod learning;
pub mod notices;
pub mod orders;
pub mod outcome;
pub mod ratings;
pub mod recurring;
pub mod reference;
pub mod reference_admin;
mod register;
pub mod routing;
pub mod snapshot;
pub mod terms;
mod views;
mod workflow;

pub use deadlines::{change_priority, defer, localised};
pub use register::{read_registry, scope, NewAppeal, Registered};
pub(crate) use views::get_in;
pub(crate) use views::Bind;
pub use views::{get, list, Appeal, AppealFilter, AppealListItem, View};
pub(crate) use workflow::{answered_in, apply_in, decided, Context};
pub use workflow::{change_status, comment, comments, CommentRow, StatusChange};

use abonent_domain::appeal::AppealRefusal;
use abonent_domain::calendar::WorkCalendar;

use crate::{Db, Result, StoreError};

/// Refusals found against stored appeals are shown like any invalid input (the callers and
/// front ends read `Invalid`); the domain words them.
impl From<AppealRefusal> for StoreError {
    fn from(r: AppealRefusal) -> Self {
        StoreError::Invalid(r.into())
    }
}

/// `a.status IN (…)` for the statuses in which work is still expected (the views' «open»).
fn open_condition() -> String {
    let codes: Vec<String> = abonent_domain::appeal::Status::ALL
        .into_iter()
        .filter(|s| s.is_open())
        .map(|s| format!("'{}'", s.code()))
        .collect();
    format!("a.status IN ({})", codes.join(", "))
}

/// A change of appeal `id` for the history, with what it was and what it became.
pub(crate) fn change<'a>(
    id: i64,
    action: &'a str,
    before: Option<serde_json::Value>,
    after: serde_json::Value,
    note: Option<&'a str>,
) -> crate::history::Change<'a> {
    crate::history::Change {
        entity: "appeal",
        entity_id: id,
        parent: None,
        action,
        before,
        after: Some(after),
        note,
    }
}

/// A local time of the organization's zone as stored: UTC text.
pub fn utc_text(tz: &chrono_tz::Tz, local: chrono::NaiveDateTime) -> String {
    crate::time::fmt(abonent_domain::deadline::from_local(tz, local).with_timezone(&chrono::Utc))
}

/// The production calendar the deadlines follow: shipped years overridden by the ones an
/// administrator saved (shared with the correspondence registers).
pub async fn work_calendar(db: &Db) -> Result<WorkCalendar> {
    crate::calendar::load(db).await
}

#[cfg(test)]
mod tests {
    /// The partial indexes of migrations 0011 and 0017 serve the views only while their
    /// predicates are the views' own conditions, term for term.
    #[test]
    fn open_indexes_match_the_open_condition() {
        let condition = super::open_condition().replace("a.status", "status");
        let by_deadline = include_str!("../../migrations/0011_open_by_deadline.sql");
        assert!(
            by_deadline.contains(&format!("WHERE {condition};")),
            "{condition}\n{by_deadline}"
        );
        let unlocalised = include_str!("../../migrations/0017_open_unlocalised.sql");
        assert!(
            unlocalised.contains(&format!("WHERE localised_at IS NULL AND {condition};")),
            "{condition}\n{unlocalised}"
        );
    }
}
