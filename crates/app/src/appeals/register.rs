//! Registering an appeal: checked intake, a suggested category, a gapless number per kind
//! and year, the deadline by rule in the organization's time zone, the assignment, the
//! applicant's channels — everything that needs no lock — then the writer task writes it
//! with its search terms, history, messages and (for an emergency) alert in one
//! transaction, several appeals at a time (see [`super::registrar`]).

use abonent_domain::appeal::{
    check_intake, choose_rule, correction, phone_of, received_at, AppealKind, Channel, Intake,
    Phone, Priority, RuleFacts, Suggestion, LOCALISATION_RULE,
};
use abonent_domain::correspondence::SenderKind;
use abonent_domain::deadline::{compute_deadline, DeadlineRule};
use abonent_storage::appeals::insert::Prepared;
use abonent_storage::appeals::notices::{Applicant, Texts};
use abonent_storage::appeals::{self, scope, utc_text, NewAppeal, Registered};
use abonent_storage::{numbering, time, Actor};
use chrono::{DateTime, Datelike, Utc};

use crate::{App, AppError};

/// Registers an appeal with the classifier's suggestion `suggestion` for its text (category
/// when none was chosen). The priority is as given, normal when not: deciding that an
/// unflagged text is an emergency is [`super::register`]'s.
pub async fn register_with(
    app: &App,
    a: &NewAppeal,
    suggestion: Suggestion,
    actor: &Actor,
) -> Result<Registered, AppError> {
    let (prepared, pending) = prepare(app, a, suggestion, actor).await?;
    let written = app.appeals.registrar.submit(&app.db, prepared).await?;
    Ok(pending.registered(written))
}

/// What registering answers, less the id and number the writing gives.
pub struct Pending {
    deadline_at: Option<String>,
    deadline_rule: Option<String>,
    localisation_at: Option<String>,
    priority: Priority,
    phone_unchecked: bool,
    suggestion: Suggestion,
}

impl Pending {
    pub fn deadline_at(&self) -> Option<&str> {
        self.deadline_at.as_deref()
    }

    pub fn registered(self, (id, number): (i64, String)) -> Registered {
        Registered {
            id,
            number,
            deadline_at: self.deadline_at,
            deadline_rule: self.deadline_rule,
            localisation_at: self.localisation_at,
            priority: self.priority,
            phone_unchecked: self.phone_unchecked,
            suggested_category: self.suggestion.category,
            suggested_emergency: self.suggestion.emergency,
        }
    }
}

/// Checks and prepares a registration without writing it: for a use case that writes the
/// appeal together with a record of its own in one transaction (a temporary-absence
/// application, `abonent_storage::absences::register`).
pub async fn prepare(
    app: &App,
    a: &NewAppeal,
    suggestion: Suggestion,
    actor: &Actor,
) -> Result<(Prepared, Pending), AppError> {
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
    let now = app.clock().now();
    let received = received_at(a.received_at, now, &mut errors);
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let kind = a.kind.unwrap_or(AppealKind::Request);
    let channel = a.channel.unwrap_or(Channel::Phone);
    let sender = a.sender_kind.unwrap_or(SenderKind::Person);

    // The settings once (time zone, message texts, number pattern), and the reference data
    // from this instance's snapshot.
    let texts = Texts::load(&app.db).await?;
    let tz = texts.tz;
    let mut reference = app.appeals.reference(&app.db).await?;
    if a.category_id.is_some_and(|id| !reference.has_category(id)) {
        // Perhaps created on another instance a moment ago: read again before refusing.
        app.appeals.forget_reference();
        reference = app.appeals.reference(&app.db).await?;
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
        utc_text(&tz, compute_deadline(r, start, &reference.calendar))
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
    let ((building_id, premises_id), recipients) = appeals::read_registry(
        &app.db,
        a,
        &Applicant {
            anonymous: a.anonymous,
            person_id: a.person_id,
            // A phone not recognised gets no SMS until someone checks it.
            phone: phone_norm.as_deref(),
            email: opt(&a.applicant_email),
            consent: a.applicant_consent,
        },
    )
    .await?;
    let assigned = reference.assignment(&path_refs, building_id, priority);
    // A specialist's change of the suggestion is kept for the classifier to learn from. The
    // priority the intake use case filled in from the suggestion agrees with it, so only a
    // person's own choice can differ.
    let correction = correction(
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
    Ok((
        prepared,
        Pending {
            deadline_at,
            deadline_rule: rule.map(|r| r.code.clone()),
            localisation_at,
            priority,
            phone_unchecked,
            suggestion,
        },
    ))
}

fn opt(s: &str) -> Option<&str> {
    Some(s.trim()).filter(|s| !s.is_empty())
}
