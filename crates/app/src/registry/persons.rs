//! People, their links to accounts (owner, tenant, registered, representative) and their
//! benefits.

use abonent_domain::registry::{
    duplicate_person_conflict, erasure, BenefitForm, LinkForm, PersonForm,
};
use abonent_domain::roles::{Permission, Role};
use abonent_storage::registry::erasure::{Erased, Erasure};
use abonent_storage::registry::{link, person, SimilarPerson};
use abonent_storage::Actor;
use chrono::NaiveDate;

use crate::{App, AppError};

/// A person just added, and the account they were linked to at once, if any.
#[derive(Debug, Clone, Copy)]
pub struct NewPerson {
    pub id: i64,
    pub account_id: Option<i64>,
}

/// The likely duplicates a [`create_person`] or [`update_person`] conflict carries.
pub fn duplicates_of(e: &AppError) -> Option<Vec<SimilarPerson>> {
    match e {
        AppError::Conflict { extra, .. } => {
            serde_json::from_value(extra.get("duplicates")?.clone()).ok()
        }
        _ => None,
    }
}

/// Refuses a likely duplicate (same full name, or a shared phone) unless `confirmed`.
async fn ask_about_duplicates(
    app: &App,
    d: &abonent_domain::registry::PersonData,
    except: Option<i64>,
    confirmed: bool,
) -> Result<(), AppError> {
    let similar = person::similar(&app.db, d, except).await?;
    if !similar.is_empty() && !confirmed {
        return Err(AppError::Conflict {
            detail: duplicate_person_conflict().into(),
            extra: serde_json::json!({ "duplicates": similar }),
        });
    }
    Ok(())
}

/// Adds a person, and when `link` is given (adding from an account card) links them to the
/// account. The link is checked before anything is saved. A likely duplicate is answered
/// with [`AppError::Conflict`] (see [`duplicates_of`]) unless `confirmed`.
pub async fn create_person(
    app: &App,
    form: &PersonForm,
    link: Option<&LinkForm>,
    confirmed: bool,
    actor: &Actor,
) -> Result<NewPerson, AppError> {
    let d = form.validate(app.today().await?)?;
    // The person's id is not known yet: a placeholder passes the form's check, storage
    // puts the new id in and saves the two in one transaction.
    let link = match link {
        Some(lf) => Some(
            LinkForm {
                person_id: Some("1".into()),
                ..lf.clone()
            }
            .validate()?,
        ),
        None => None,
    };
    ask_about_duplicates(app, &d, None, confirmed).await?;
    let id = person::create_with_link(&app.db, &d, link.as_ref(), actor).await?;
    Ok(NewPerson {
        id,
        account_id: link.map(|l| l.account_id),
    })
}

/// Changes a person's data. A likely duplicate of someone else is answered with
/// [`AppError::Conflict`] unless `confirmed`.
pub async fn update_person(
    app: &App,
    id: i64,
    form: &PersonForm,
    confirmed: bool,
    actor: &Actor,
) -> Result<(), AppError> {
    let d = form.validate(app.today().await?)?;
    ask_about_duplicates(app, &d, Some(id), confirmed).await?;
    Ok(person::update(&app.db, id, &d, actor).await?)
}

/// Moves a person to the archive on a date (today when none): their links end on that
/// date; the record and its history stay.
pub async fn close_person(
    app: &App,
    id: i64,
    on: Option<NaiveDate>,
    reason: &str,
    actor: &Actor,
) -> Result<(), AppError> {
    let on = app.day_or_today(on).await?;
    Ok(person::close(&app.db, id, on, reason, actor).await?)
}

/// Links a person to an account; answers the link's id.
pub async fn create_link(app: &App, form: &LinkForm, actor: &Actor) -> Result<i64, AppError> {
    let d = form.validate()?;
    Ok(link::create_link(&app.db, &d, actor).await?)
}

/// Changes a link's role, share or dates.
pub async fn update_link(
    app: &App,
    id: i64,
    form: &LinkForm,
    actor: &Actor,
) -> Result<(), AppError> {
    let d = form.validate()?;
    Ok(link::update_link(&app.db, id, &d, actor).await?)
}

/// Ends a link on a date (today when none).
pub async fn close_link(
    app: &App,
    id: i64,
    on: Option<NaiveDate>,
    reason: &str,
    actor: &Actor,
) -> Result<(), AppError> {
    let on = app.day_or_today(on).await?;
    Ok(link::close_link(&app.db, id, on, reason, actor).await?)
}

/// Adds a benefit to a person; answers its id.
pub async fn create_benefit(app: &App, form: &BenefitForm, actor: &Actor) -> Result<i64, AppError> {
    let d = form.validate()?;
    Ok(link::create_benefit(&app.db, &d, actor).await?)
}

/// Changes a benefit.
pub async fn update_benefit(
    app: &App,
    id: i64,
    form: &BenefitForm,
    actor: &Actor,
) -> Result<(), AppError> {
    let d = form.validate()?;
    Ok(link::update_benefit(&app.db, id, &d, actor).await?)
}

/// Ends a benefit.
pub async fn close_benefit(
    app: &App,
    id: i64,
    reason: &str,
    actor: &Actor,
) -> Result<(), AppError> {
    Ok(link::close_benefit(&app.db, id, reason, actor).await?)
}

/// Opens a person's card: the person, and the view recorded in their history (152-ФЗ) with
/// the way they were opened (`through`: the page or the API) and in the personal-data access
/// log (`via`: the route).
pub async fn open_card(
    app: &App,
    id: i64,
    actor: &Actor,
    through: &str,
    via: &str,
) -> Result<person::Person, AppError> {
    let p = person::get(&app.db, id).await?;
    person::record_view(&app.db, id, actor, through).await?;
    crate::privacy::record_views(app, actor, &[id], via).await?;
    Ok(p)
}

/// Erases a person's personal data when the legal ground to keep it has ended (152-ФЗ
/// ст. 21 ч. 7): the card keeps only a placeholder name, every copy of the person's values
/// in other records is replaced, the sealed history about them becomes unreadable; appeals,
/// letters, the ledger and documents keep their numbers, sums and dates. Only an
/// administrator; the ground is required and kept in the history.
pub async fn erase_person(
    app: &App,
    id: i64,
    ground: &str,
    role: Role,
    actor: &Actor,
) -> Result<Erased, AppError> {
    if !role.can(Permission::ErasePersonalData) {
        return Err(AppError::field("role", erasure::ONLY_ADMIN));
    }
    let ground = erasure::check_ground(ground)?;
    let p = person::get(&app.db, id).await?;
    let placeholder = erasure::placeholder(id);
    if p.data.last_name == placeholder {
        return Err(AppError::field("person_id", erasure::ALREADY_ERASED));
    }
    let e = Erasure {
        person_id: id,
        forms: erasure::forms(&p.data),
        placeholder,
        ground,
    };
    Ok(abonent_storage::registry::erasure::erase(&app.db, &e, actor).await?)
}
