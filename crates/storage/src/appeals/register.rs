//! Registering an appeal: checked intake, a suggested category, a gapless number per kind
//! and year, the deadline by rule in the organization's time zone, the search terms, the
//! history entry and — for an emergency — an alert, all in one transaction.

use abonent_domain::appeal::{
    check_intake, choose_rule, classify, AppealKind, Channel, Intake, Priority,
};
use abonent_domain::deadline::compute_deadline;
use abonent_domain::phone;
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
    /// Empty: normal (the classifier's emergency flag is only a suggestion).
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
    /// When the resident called or wrote; empty — now.
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
    pub priority: Priority,
    pub suggested_category: String,
    pub suggested_emergency: bool,
}

/// The numbering scope of a kind: `appeal.request`, `appeal.complaint`…
pub fn scope(kind: AppealKind) -> String {
    format!("appeal.{}", kind.code())
}

pub async fn register(db: &Db, a: &NewAppeal, actor: &Actor) -> Result<Registered> {
    let priority = a.priority.unwrap_or(Priority::Normal);
    let phone_norm = match a.applicant_phone.trim() {
        "" => None,
        p => phone::normalize(p),
    };
    let has_registry_address =
        a.building_id.is_some() || a.premises_id.is_some() || a.account_id.is_some();
    let errors = check_intake(&Intake {
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
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let kind = a.kind.unwrap_or(AppealKind::Request);
    let channel = a.channel.unwrap_or(Channel::Phone);
    let suggestion = classify(&a.substance);
    let received = a.received_at.unwrap_or_else(time::now);
    let now = time::now();

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
    let rule = choose_rule(&reference.bindings, kind, priority, channel, &path_refs)
        .and_then(|code| reference.rules.iter().find(|r| r.code == code));
    // The clock starts at registration: the rules count from when the company knew.
    let local_now = now.with_timezone(&tz).naive_local();
    let deadline = rule.map(|r| {
        let local = compute_deadline(r, local_now, &reference.calendar);
        abonent_domain::deadline::from_local(&tz, local).with_timezone(&Utc)
    });
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
            phone: phone_norm.as_deref(),
            email: opt(&a.applicant_email),
            consent: a.applicant_consent,
        },
    )
    .await?;
    drop(conn);
    let deadline_at = deadline.map(time::fmt);
    // A specialist's change of the suggestion is kept for the classifier to learn from.
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
        applicant_phone: phone_norm,
        applicant_email: opt(&a.applicant_email).map(str::to_string),
        anonymous: a.anonymous,
        substance: a.substance.trim().to_string(),
        received_at: time::fmt(received),
        registered_at: time::fmt(now),
        deadline_rule: rule.map(|r| r.code.clone()),
        deadline_at: deadline_at.clone(),
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
        priority,
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
