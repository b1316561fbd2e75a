//! Personal data under 152-ФЗ: every answer that shows people is logged as one entry naming
//! them (`record_views`), the auditor reads that log (`log`), and a person may ask for
//! everything held about them (`subject`, ст. 14).

pub mod log;
pub mod subject;
mod table;

use abonent_storage::pd_access::NewAccess;
use abonent_storage::{pd_access, Actor, Db, StoreError};

use crate::group_commit::{BatchWriter, GroupCommit};
use crate::{App, AppError};

/// What a person reads when the log itself could not be written: the data are not shown.
const NOT_LOGGED: &str =
    "Данные не показаны: не удалось записать журнал доступа к персональным данным. Повторите запрос.";

/// Entries of the access log, written several per transaction: every answer that shows
/// people writes one, and under load they share a commit instead of queueing for the writer.
pub struct AccessWrites;

impl BatchWriter for AccessWrites {
    type Item = NewAccess;
    type Out = i64;
    const MAX_BATCH: usize = 64;

    async fn write(db: &Db, items: &[&NewAccess]) -> Result<Vec<i64>, StoreError> {
        pd_access::write_batch(db, items).await
    }
}

/// This instance's writer of the access log; shared by the clones of an [`App`].
#[derive(Clone, Default)]
pub struct AccessLog(GroupCommit<AccessWrites>);

impl AccessLog {
    /// Writes the entry for `shown` (none when it names nothing) and waits for its commit.
    async fn record(
        &self,
        db: &Db,
        actor: &Actor,
        via: &str,
        shown: &Shown,
    ) -> Result<(), AppError> {
        if let Some(entry) = NewAccess::new(db, actor, via, shown) {
            self.0
                .submit(db, entry, || AppError::Internal(NOT_LOGGED.into()))
                .await?;
        }
        Ok(())
    }
}

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
    app.access_log
        .record(&app.db, actor, via, &Shown::people(person_ids))
        .await
}

pub use abonent_storage::pd_access::{RecordKind, Shown};

/// Records that `actor` was shown `shown` through `via`: the registry persons, and records
/// whose personal data is free text (appeals, letters, messages). Still one entry for the
/// whole answer, none when it showed nothing. The people a shown record is tied to (an
/// appeal's applicant in the registry, a letter's person) are named as well.
pub async fn record_views_of(
    app: &App,
    actor: &Actor,
    mut shown: Shown,
    via: &str,
) -> Result<(), AppError> {
    if shown.is_empty() {
        return Ok(());
    }
    shown
        .people
        .extend(pd_access::linked_people(&app.db, &shown.records).await?);
    app.access_log.record(&app.db, actor, via, &shown).await
}

/// A record's name in the log: «обращение № …», «входящее № Вх-7/26».
pub fn record_title(r: &pd_access::RecordShown) -> String {
    let n = if r.number.is_empty() {
        format!("id {}", r.id)
    } else {
        r.number.clone()
    };
    match r.kind {
        RecordKind::Appeal => format!("обращение № {n}"),
        RecordKind::IncomingLetter => format!("входящее № {n}"),
        RecordKind::OutgoingLetter => format!("исходящее № {n}"),
        RecordKind::Message => format!("сообщение № {}", r.id),
    }
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
