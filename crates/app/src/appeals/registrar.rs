//! This instance's writer of registered appeals (group commit).
//!
//! The gapless number's counter row stays locked from the moment a number is taken until
//! the commit has reached the disk, so one transaction per appeal caps registration at one
//! commit flush at a time (about 400 a second on PostgreSQL here, with idle cores). Instead
//! each instance has one writer task: registrations prepared by the request handlers queue
//! for it, and it writes whatever has queued — up to [`MAX_BATCH`] appeals — in one
//! transaction (`abonent_storage::appeals::insert`). Under light load a batch is one appeal.
//! If a batch fails, each of its appeals is written alone, so an error reaches only the
//! registration that caused it (the machinery is [`crate::group_commit`]). Numbers stay
//! gapless: a failed transaction gives all its numbers back.

use abonent_storage::appeals::insert::{write_pooled, Prepared, Written, MAX_BATCH};
use abonent_storage::{Db, StoreError};

use crate::group_commit::{BatchWriter, GroupCommit};
use crate::AppError;

/// What the specialist reads when the writer itself failed (not the appeal's data).
const NOT_WRITTEN: &str =
    "Обращение не зарегистрировано: запись в базу прервалась. Повторите регистрацию.";

/// Registered appeals, written several per transaction.
pub struct AppealWrites;

impl BatchWriter for AppealWrites {
    type Item = Prepared;
    type Out = Written;
    const MAX_BATCH: usize = MAX_BATCH;

    async fn write(db: &Db, items: &[&Prepared]) -> Result<Vec<Written>, StoreError> {
        write_pooled(db, items).await
    }
}

/// The writer task's queue, started on first use; shared by the clones of an `App`.
#[derive(Clone, Default)]
pub struct Registrar(GroupCommit<AppealWrites>);

impl Registrar {
    /// Write `p` through this instance's writer task, starting it if needed.
    pub async fn submit(&self, db: &Db, p: Prepared) -> Result<Written, AppError> {
        self.0
            .submit(db, p, || AppError::Internal(NOT_WRITTEN.into()))
            .await
    }
}
