//! Intake of appeals, whatever the channel (the staff's form, the API, and later e-mail and
//! the residents' portal): one rule for all of them — an appeal without a priority whose text
//! the classifier flags as an emergency is registered as an emergency, with its two
//! deadlines (ПП 416 п. 13) and the alert to the people on duty. A person may downgrade it
//! afterwards with a reason (`abonent_storage::appeals::change_priority`), which the history
//! keeps. A priority given by a person is never overridden.

use abonent_domain::appeal::{classify, intake_priority};
use abonent_storage::appeals::{self, NewAppeal, Registered};
use abonent_storage::Actor;

use crate::{App, AppError};

/// Registers an appeal: classifies its text, decides the priority, and hands it to the
/// register (number, deadlines, assignment, alert, messages — one transaction).
pub async fn register(app: &App, a: &NewAppeal, actor: &Actor) -> Result<Registered, AppError> {
    let suggestion = classify(&a.substance);
    let priority = intake_priority(a.priority, suggestion.emergency);
    let decided = NewAppeal {
        priority: Some(priority),
        ..a.clone()
    };
    Ok(appeals::register_with(&app.db, &decided, suggestion, actor).await?)
}
