//! The work on a registered appeal that people do — status changes (one or many), comments
//! and messages, deferrals, localising an emergency, acknowledging its alert, incidents,
//! ratings, files, the contractors and staff who work — as use cases: the front ends call
//! these. The decisions and their words are abonent_domain::appeal's (`check_transition`,
//! `work`, `incident`, `AppealRefusal`); storage reads the facts they need inside its
//! transaction, asks the domain, and writes.

use abonent_domain::appeal::Rating;
use abonent_domain::Role;
use abonent_storage::appeals::alerts::{self, Alert};
use abonent_storage::appeals::incidents::{self, CloseReport, NewIncident};
use abonent_storage::appeals::routing::{self, ContractorForm, StaffForm};
use abonent_storage::appeals::{self, batch, files, ratings, Appeal, StatusChange};
use abonent_storage::Actor;
use chrono::{DateTime, Utc};

use crate::{App, AppError};

pub async fn change_status(
    app: &App,
    id: i64,
    ch: &StatusChange,
    role: Role,
    actor: &Actor,
) -> Result<Appeal, AppError> {
    Ok(appeals::change_status(&app.db, id, ch, role, actor).await?)
}

/// One change applied to many appeals, all or nothing. Returns how many changed.
pub async fn change_status_many(
    app: &App,
    ids: &[i64],
    ch: &StatusChange,
    role: Role,
    actor: &Actor,
) -> Result<usize, AppError> {
    Ok(batch::change_status_many(&app.db, ids, ch, role, actor).await?)
}

/// An internal comment, or a message to the applicant through the outbox. Returns its id.
pub async fn comment(
    app: &App,
    id: i64,
    to_applicant: bool,
    body: &str,
    actor: &Actor,
) -> Result<i64, AppError> {
    Ok(appeals::comment(&app.db, id, to_applicant, body, actor).await?)
}

pub async fn defer(
    app: &App,
    id: i64,
    deadline: DateTime<Utc>,
    reason: &str,
    role: Role,
    actor: &Actor,
) -> Result<Appeal, AppError> {
    Ok(appeals::defer(&app.db, id, deadline, reason, role, actor).await?)
}

/// The emergency's damage is localised (ПП 416 п. 13).
pub async fn localised(app: &App, id: i64, actor: &Actor) -> Result<Appeal, AppError> {
    Ok(appeals::localised(&app.db, id, actor).await?)
}

pub async fn acknowledge_alert(app: &App, id: i64, actor: &Actor) -> Result<Alert, AppError> {
    Ok(alerts::acknowledge(&app.db, id, actor).await?)
}

pub async fn create_incident(app: &App, n: &NewIncident, actor: &Actor) -> Result<i64, AppError> {
    Ok(incidents::create(&app.db, n, actor).await?)
}

pub async fn link_to_incident(
    app: &App,
    incident_id: i64,
    appeal_ids: &[i64],
    actor: &Actor,
) -> Result<(), AppError> {
    Ok(incidents::link(&app.db, incident_id, appeal_ids, actor).await?)
}

/// Closes an incident with its appeals; each applicant is told by the channels the consent
/// rules allow (`abonent_domain::consent`).
pub async fn close_incident(
    app: &App,
    incident_id: i64,
    result: &str,
    role: Role,
    actor: &Actor,
) -> Result<CloseReport, AppError> {
    let to = &abonent_domain::consent::recipients;
    Ok(incidents::close(&app.db, incident_id, result, role, actor, to).await?)
}

/// The applicant's rating taken by a specialist on the phone.
pub async fn rate_by_phone(
    app: &App,
    id: i64,
    rating: Rating,
    actor: &Actor,
) -> Result<Appeal, AppError> {
    Ok(ratings::rate_by_phone(&app.db, id, rating, actor).await?)
}

/// The applicant's rating through the personal link of the rating question.
pub async fn rate_by_link(app: &App, token: &str, rating: Rating) -> Result<Appeal, AppError> {
    Ok(ratings::rate_by_link(&app.db, token, rating).await?)
}

pub async fn add_file(
    app: &App,
    appeal_id: i64,
    file_name: &str,
    content: &[u8],
    actor: &Actor,
) -> Result<i64, AppError> {
    Ok(files::add(&app.db, appeal_id, file_name, content, actor).await?)
}

pub async fn save_contractor(
    app: &App,
    id: Option<i64>,
    f: &ContractorForm,
    actor: &Actor,
) -> Result<i64, AppError> {
    Ok(routing::save_contractor(&app.db, id, f, actor).await?)
}

pub async fn save_staff(
    app: &App,
    user_id: i64,
    f: &StaffForm,
    actor: &Actor,
) -> Result<(), AppError> {
    Ok(routing::save_staff(&app.db, user_id, f, actor).await?)
}
