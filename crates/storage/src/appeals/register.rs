//! What registering an appeal takes and answers, and the registry checks of its address
//! (the use case is `abonent_app::appeals::register`; the writing is [`super::insert`]).

use abonent_domain::appeal::{AppealKind, AppealRefusal, Channel, Priority};
use abonent_domain::correspondence::SenderKind;
use abonent_domain::outbox::OutboxChannel;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use sqlx::{AnyConnection, Row};

use super::notices::Applicant;
use crate::{Db, Result};

/// An appeal as the intake form or the API sends it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct NewAppeal {
    pub kind: Option<AppealKind>,
    pub channel: Option<Channel>,
    /// Who sent it: `person` (a resident, the default), `organization`, or a state body
    /// forwarding a citizen's appeal (`housing_inspectorate`, `prosecutor`, `other_state`:
    /// 59-ФЗ applies).
    pub sender_kind: Option<SenderKind>,
    /// Empty: an emergency when the classifier flags the text as one, otherwise normal (the
    /// intake use case of abonent-app decides; storage alone registers it as normal).
    pub priority: Option<Priority>,
    /// Empty: the classifier's suggestion, when the category exists.
    pub category_id: Option<i64>,
    pub building_id: Option<i64>,
    pub premises_id: Option<i64>,
    pub account_id: Option<i64>,
    pub person_id: Option<i64>,
    pub address_text: String,
    pub applicant_name: String,
    pub applicant_phone: String,
    pub applicant_email: String,
    pub anonymous: bool,
    /// The applicant agreed to be informed about this appeal by the phone and e-mail given
    /// (a person from the registry is informed by their own consent flags instead).
    pub applicant_consent: bool,
    pub substance: String,
    /// When the resident called or the letter arrived; empty — the moment of registration.
    /// Rules that count from receipt (ПП 354 п. 108) start here, so registering late never
    /// hides lateness.
    pub received_at: Option<DateTime<Utc>>,
}

/// What the specialist tells the resident: the number and the deadline.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Registered {
    pub id: i64,
    pub number: String,
    /// UTC, RFC 3339.
    pub deadline_at: Option<String>,
    pub deadline_rule: Option<String>,
    /// An emergency's second deadline, localisation of the damage (ПП 416 п. 13), UTC;
    /// `deadline_at` is then the elimination.
    pub localisation_at: Option<String>,
    pub priority: Priority,
    /// The phone could not be recognised: kept as typed, to be checked.
    pub phone_unchecked: bool,
    pub suggested_category: String,
    pub suggested_emergency: bool,
}

/// The numbering scope of a kind: `appeal.request`, `appeal.complaint`…
pub fn scope(kind: AppealKind) -> String {
    format!("appeal.{}", kind.code())
}

/// What registration reads of the registry, on one read connection: the building and
/// premises the appeal is about (see [`place`]) and where the applicant may be written to.
pub async fn read_registry(
    db: &Db,
    a: &NewAppeal,
    applicant: &Applicant<'_>,
) -> Result<((Option<i64>, Option<i64>), Vec<(OutboxChannel, String)>)> {
    let mut conn = db.read().acquire().await?;
    let place = place(&mut conn, a).await?;
    let recipients = super::notices::recipients_of(&mut conn, applicant).await?;
    Ok((place, recipients))
}

/// The building and premises the appeal is about, from whatever the form gave; each id
/// given must exist and agree with the others.
async fn place(conn: &mut AnyConnection, a: &NewAppeal) -> Result<(Option<i64>, Option<i64>)> {
    let one = |sql: &'static str, id: i64| sqlx::query(sql).bind(id);
    let mut premises = a.premises_id;
    if let Some(acc) = a.account_id {
        let of_account: i64 = one("SELECT premises_id FROM accounts WHERE id = $1", acc)
            .fetch_optional(&mut *conn)
            .await?
            .map(|r| r.get(0))
            .ok_or(AppealRefusal::UnknownAccount)?;
        if premises.is_some_and(|p| p != of_account) {
            return Err(AppealRefusal::PremisesNotOfAccount.into());
        }
        premises = Some(of_account);
    }
    let mut building = a.building_id;
    if let Some(p) = premises {
        let of_premises: i64 = one("SELECT building_id FROM premises WHERE id = $1", p)
            .fetch_optional(&mut *conn)
            .await?
            .map(|r| r.get(0))
            .ok_or(AppealRefusal::UnknownPremises)?;
        if building.is_some_and(|b| b != of_premises) {
            return Err(AppealRefusal::BuildingNotOfPremises.into());
        }
        building = Some(of_premises);
    } else if let Some(b) = building {
        if one("SELECT 1 FROM buildings WHERE id = $1", b)
            .fetch_optional(&mut *conn)
            .await?
            .is_none()
        {
            return Err(AppealRefusal::UnknownBuilding.into());
        }
    }
    Ok((building, premises))
}
