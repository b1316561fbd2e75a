//! Registering an appeal: checked intake, a suggested category, a gapless number per kind
//! and year, the deadline by rule in the organization's time zone, the search terms, the
//! history entry and — for an emergency — an alert, all in one transaction.

use abonent_domain::appeal::{
    check_intake, choose_rule, classify, phone_of, AppealKind, Channel, Intake, Phone, Priority,
    RuleFacts, Suggestion, LOCALISATION_RULE,
};
use abonent_domain::correspondence::SenderKind;
use abonent_domain::deadline::{compute_deadline, DeadlineRule};
use chrono::{DateTime, Datelike, Utc};
use serde::Deserialize;
use sqlx::{AnyConnection, Row};

use super::registrar::{self, Prepared};
use crate::{numbering, time, Actor, Db, Result, StoreError};

/// An appeal as the intake form or the API sends it.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct NewAppeal {
    pub kind: Option<AppealKind>,
    pub channel: Option<Channel>,
    /// Who sent it: `person` (a resident, the default), `organization`, or a state body
    /// forwarding a citizen's appeal (`housing_inspectorate`, `prosecutor`, `other_state`:
    /// 59-ФЗ applies).
    #[schema(value_type = Option<String>)]
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
    #[schema(value_type = Option<String>)]
    pub received_at: Option<DateTime<Utc>>,
}

/// What the specialist tells the resident: the number and the deadline.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
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

/// Registers an appeal with the classifier's suggestion for its text (category when none was
/// chosen). The priority is as given, normal when not: deciding that an unflagged text is an
/// emergency is the intake use case's (`abonent_app::appeals::register`).
pub async fn register(db: &Db, a: &NewAppeal, actor: &Actor) -> Result<Registered> {
    register_with(db, a, classify(&a.substance), actor).await
}

/// [`register`] with the suggestion already made (the intake use case classifies first).
pub async fn register_with(
    db: &Db,
    a: &NewAppeal,
    suggestion: Suggestion,
    actor: &Actor,
) -> Result<Registered> {
    let priority = a.priority.unwrap_or(Priority::Normal);
    let (phone_kept, phone_norm, phone_unchecked) = match phone_of(&a.applicant_phone) {
        Phone::None => (None, None, false),
        Phone::Parsed(p) => (Some(p.clone()), Some(p), false),
        Phone::Unchecked(typed) => (Some(typed), None, true),
    };
    let has_registry_address =
        a.building_id.is_some() || a.premises_id.is_some() || a.account_id.is_some();
    let mut errors = check_intake(&Intake {
        kind: a.kind,
        priority: Some(priority),
        has_registry_address,
        address_text: &a.address_text,
        substance: &a.substance,
        has_person: a.person_id.is_some(),
        phone: &a.applicant_phone,
        email: &a.applicant_email,
        anonymous: a.anonymous,
    });
    let now = db.now();
    // A receipt in the future is a typo; a minute of clock difference between machines is not.
    if a.received_at
        .is_some_and(|r| r > now + chrono::TimeDelta::minutes(1))
    {
        errors.add(
            "received_at",
            "Время поступления позже текущего: укажите, когда житель позвонил или письмо пришло.",
        );
    }
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let kind = a.kind.unwrap_or(AppealKind::Request);
    let channel = a.channel.unwrap_or(Channel::Phone);
    let sender = a.sender_kind.unwrap_or(SenderKind::Person);
    let received = a.received_at.unwrap_or(now).min(now);

    // The settings once (time zone, message texts, number pattern), and the reference data
    // from this instance's snapshot.
    let texts = super::notices::Texts::load(db).await?;
    let tz = texts.tz;
    let mut reference = super::snapshot::get(db).await?;
    if a.category_id.is_some_and(|id| !reference.has_category(id)) {
        // Perhaps created on another instance a moment ago: read again before refusing.
        super::snapshot::forget(db);
        reference = super::snapshot::get(db).await?;
    }
    let category_id = match a.category_id {
        Some(id) => Some(id),
        None => reference.category_by_code(&suggestion.category),
    };
    let path = match category_id {
        Some(id) => reference.category_path(id)?,
        None => Vec::new(),
    };
    let path_refs: Vec<&str> = path.iter().map(String::as_str).collect();
    let facts = RuleFacts {
        kind,
        priority,
        channel,
        sender,
        category_path: &path_refs,
    };
    let rule = choose_rule(&reference.bindings, &facts).and_then(|code| reference.rule(code));
    // Each rule counts from what its source says: receipt or registration.
    let local = |t: DateTime<Utc>| t.with_timezone(&tz).naive_local();
    let due = |r: &DeadlineRule| {
        let start = r.start(local(received), local(now));
        super::utc_text(&tz, compute_deadline(r, start, &reference.calendar))
    };
    let deadline_at = rule.map(due);
    let localisation = match priority {
        Priority::Emergency => reference.rule(LOCALISATION_RULE),
        _ => None,
    };
    let localisation_at = localisation.map(due);
    let year = now.with_timezone(&tz).year();
    let scope = scope(kind);
    let scheme = numbering::scheme_of(&scope, texts.get(&format!("numbering.{scope}")))?;

    // The checks and reads of the registry go through the read pool: the writer's
    // transaction only writes (see registrar).
    let mut conn = db.read().acquire().await?;
    let (building_id, premises_id) = place(&mut conn, a).await?;
    let assigned = reference.assignment(&path_refs, building_id, priority);
    let recipients = super::notices::recipients_of(
        &mut conn,
        &super::notices::Applicant {
            anonymous: a.anonymous,
            person_id: a.person_id,
            // A phone not recognised gets no SMS until someone checks it.
            phone: phone_norm.as_deref(),
            email: opt(&a.applicant_email),
            consent: a.applicant_consent,
        },
    )
    .await?;
    drop(conn);
    // A specialist's change of the suggestion is kept for the classifier to learn from. The
    // priority the intake use case filled in from the suggestion agrees with it, so only a
    // person's own choice can differ.
    let correction = super::learning::correction(
        &a.substance,
        &suggestion,
        a.category_id.and(path.first().map(String::as_str)),
        a.priority.map(|p| p == Priority::Emergency),
    );
    let prepared = Prepared {
        scope,
        year,
        scheme,
        kind: kind.code(),
        channel: channel.code(),
        sender_kind: sender.code(),
        priority: priority.code(),
        emergency: priority == Priority::Emergency,
        status: if assigned.is_some() {
            "assigned"
        } else {
            "registered"
        },
        category_id,
        suggested_category: suggestion.category.clone(),
        suggested_emergency: suggestion.emergency,
        correction,
        building_id,
        premises_id,
        account_id: a.account_id,
        person_id: a.person_id,
        address_text: opt(&a.address_text).map(str::to_string),
        applicant_name: opt(&a.applicant_name).map(str::to_string),
        applicant_phone: phone_kept,
        phone_unchecked,
        applicant_email: opt(&a.applicant_email).map(str::to_string),
        anonymous: a.anonymous,
        substance: a.substance.trim().to_string(),
        received_at: time::fmt(received),
        registered_at: time::fmt(now),
        deadline_rule: rule.map(|r| r.code.clone()),
        deadline_at: deadline_at.clone(),
        localisation_rule: localisation.map(|r| r.code.clone()),
        localisation_at: localisation_at.clone(),
        applicant_consent: a.applicant_consent,
        assigned,
        recipients,
        texts,
        actor: actor.clone(),
    };
    let (id, number) = registrar::submit(&db.registrar, db.write(), db.backend(), prepared).await?;
    Ok(Registered {
        id,
        number,
        deadline_at,
        deadline_rule: rule.map(|r| r.code.clone()),
        localisation_at,
        priority,
        phone_unchecked,
        suggested_category: suggestion.category,
        suggested_emergency: suggestion.emergency,
    })
}

fn opt(s: &str) -> Option<&str> {
    Some(s.trim()).filter(|s| !s.is_empty())
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
            .ok_or_else(|| {
                StoreError::invalid(
                    "account_id",
                    "Такого лицевого счёта нет: выберите счёт из реестра.",
                )
            })?;
        if premises.is_some_and(|p| p != of_account) {
            return Err(StoreError::invalid(
                "premises_id",
                "Помещение не совпадает с помещением лицевого счёта: выберите одно из них.",
            ));
        }
        premises = Some(of_account);
    }
    let mut building = a.building_id;
    if let Some(p) = premises {
        let of_premises: i64 = one("SELECT building_id FROM premises WHERE id = $1", p)
            .fetch_optional(&mut *conn)
            .await?
            .map(|r| r.get(0))
            .ok_or_else(|| {
                StoreError::invalid(
                    "premises_id",
                    "Такого помещения нет: выберите помещение из реестра.",
                )
            })?;
        if building.is_some_and(|b| b != of_premises) {
            return Err(StoreError::invalid(
                "building_id",
                "Дом не совпадает с домом помещения: выберите одно из них.",
            ));
        }
        building = Some(of_premises);
    } else if let Some(b) = building {
        if one("SELECT 1 FROM buildings WHERE id = $1", b)
            .fetch_optional(&mut *conn)
            .await?
            .is_none()
        {
            return Err(StoreError::invalid(
                "building_id",
                "Такого дома нет в реестре: выберите дом из списка или запишите адрес текстом.",
            ));
        }
    }
    Ok((building, premises))
}
