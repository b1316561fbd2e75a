//! The outbox of notifications (e-mail, SMS): sending a waiting or failed message again
//! now, and cancelling one that has not gone yet. The state rules are the domain's
//! (`abonent_domain::outbox::check_retry`, `check_cancel`).

use abonent_storage::{outbox, Actor};

use crate::{App, AppError};

/// Send a message again at the next pass of the sender.
pub async fn retry(app: &App, id: i64, actor: &Actor) -> Result<(), AppError> {
    Ok(outbox::retry_now(&app.db, id, actor).await?)
}

/// Cancel a message that has not been sent, with an optional reason.
pub async fn cancel(app: &App, id: i64, reason: &str, actor: &Actor) -> Result<(), AppError> {
    Ok(outbox::cancel(&app.db, id, actor, reason).await?)
}
