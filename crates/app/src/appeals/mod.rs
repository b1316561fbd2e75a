//! Appeals use cases. Intake, whatever the channel (the staff's form, the API, and later
//! e-mail and the residents' portal), follows one rule: an appeal without a priority whose
//! text the classifier flags as an emergency is registered as an emergency, with its two
//! deadlines (ПП 416 п. 13) and the alert to the people on duty. A person may downgrade it
//! afterwards with a reason ([`change_priority`]), which the history keeps. A priority given
//! by a person is never overridden.
//!
//! This instance's share of the appeals lives in [`Appeals`], held by the [`App`]: the
//! writer task of registrations and the reference data registration reads.

pub mod learning;
pub mod reference;
mod register;
pub mod registrar;
pub mod work;

use std::sync::Arc;

use abonent_domain::appeal::{classify, intake_priority, Priority};
use abonent_storage::appeals::snapshot::{self, Snapshot};
use abonent_storage::appeals::{self, Appeal, NewAppeal, Registered};
use abonent_storage::fresh::Fresh;
use abonent_storage::{Actor, Db};

use crate::{App, AppError};

pub use register::{prepare, register_with, Pending};

/// This instance's appeals machinery; cheap to clone, shared by the clones of an [`App`].
#[derive(Clone, Default)]
pub struct Appeals {
    /// The writer of registrations (group commit), started on first use.
    pub registrar: registrar::Registrar,
    /// What registering reads besides the appeal (calendar, categories, deadline rules,
    /// assignment rules), kept for a few seconds: a change saved through
    /// [`reference`] drops it at once, one saved on another instance shows within
    /// `abonent_storage::fresh::KEEP_FOR`.
    reference: Fresh<Arc<Snapshot>>,
}

impl Appeals {
    /// The reference data: this instance's copy while fresh, else read anew.
    pub async fn reference(&self, db: &Db) -> Result<Arc<Snapshot>, AppError> {
        if let Some(s) = self.reference.get() {
            return Ok(s);
        }
        let s = Arc::new(snapshot::read(db).await?);
        self.reference.put(s.clone());
        Ok(s)
    }

    /// Drop this instance's copy of the reference data (after a change of it).
    pub fn forget_reference(&self) {
        self.reference.forget();
    }
}

/// Registers an appeal: classifies its text, decides the priority, and hands it to the
/// register (number, deadlines, assignment, alert, messages — one transaction).
pub async fn register(app: &App, a: &NewAppeal, actor: &Actor) -> Result<Registered, AppError> {
    let suggestion = classify(&a.substance);
    let priority = intake_priority(a.priority, suggestion.emergency);
    let decided = NewAppeal {
        priority: Some(priority),
        ..a.clone()
    };
    register_with(app, &decided, suggestion, actor).await
}

/// Changes an open appeal's priority with a reason: the deadlines follow the new priority's
/// rule; raising it to an emergency alerts the people on duty.
pub async fn change_priority(
    app: &App,
    id: i64,
    to: Priority,
    reason: &str,
    actor: &Actor,
) -> Result<Appeal, AppError> {
    let reference = app.appeals.reference(&app.db).await?;
    Ok(appeals::change_priority(&app.db, &reference, id, to, reason, actor).await?)
}
