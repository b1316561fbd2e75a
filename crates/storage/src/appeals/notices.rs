//! Messages to the applicant, written to the outbox in the transaction of the change they
//! tell about: registration (number and deadline), each status change, a new deadline, and
//! after completion the satisfaction question with a personal rating link. Only by the
//! channels the person consented to (abonent_domain::consent); which message an event
//! yields and what fills it is abonent_domain::appeal::notice, the texts are settings.

use std::collections::BTreeMap;

use abonent_domain::appeal::notice::{self, StatusNotice};
use abonent_domain::appeal::Status;
use abonent_domain::outbox::OutboxChannel;
use abonent_domain::registry::PersonData;
use chrono_tz::Tz;
use sqlx::{AnyConnection, Row};

use super::Appeal;
use crate::outbox::{enqueue_in, NewMessage};
use crate::{settings, time, Actor, Db, Result};

/// The settings the messages need, read before the transaction (no second pool connection
/// inside it).
#[derive(Debug, Clone)]
pub struct Texts {
    s: BTreeMap<String, String>,
    pub tz: Tz,
    /// When they were read, by the `Db`'s clock: the instant the messages are queued at.
    pub now: chrono::DateTime<chrono::Utc>,
}

impl Texts {
    pub async fn load(db: &Db) -> Result<Texts> {
        let s = settings::all(db).await?;
        let tz = settings::zone_of(s.get("org.time_zone").map_or("", String::as_str));
        Ok(Texts {
            s,
            tz,
            now: db.now(),
        })
    }

    pub fn get(&self, key: &str) -> &str {
        self.s.get(key).map_or("", String::as_str)
    }

    pub fn number(&self, key: &str, default: i64) -> i64 {
        self.get(key).trim().parse().unwrap_or(default)
    }

    /// A UTC instant as the applicant reads it: local date and time.
    pub fn local(&self, utc: Option<&str>) -> String {
        notice::local_instant(
            utc.and_then(time::parse)
                .map(|t| t.with_timezone(&self.tz).naive_local()),
        )
    }
}

/// Where the applicant agreed to be informed: a registry person by their own consent flags,
/// otherwise the contacts given at intake when the applicant agreed then.
pub(crate) async fn recipients_in(
    conn: &mut AnyConnection,
    a: &Appeal,
) -> Result<Vec<(OutboxChannel, String)>> {
    if a.anonymous {
        return Ok(vec![]);
    }
    let agreed = match a.person_id {
        Some(_) => false,
        None => {
            sqlx::query("SELECT applicant_consent FROM appeals WHERE id = $1")
                .bind(a.id)
                .fetch_one(&mut *conn)
                .await?
                .get::<i64, _>(0)
                != 0
        }
    };
    let applicant = Applicant {
        anonymous: a.anonymous,
        person_id: a.person_id,
        phone: a.applicant_phone.as_deref(),
        email: a.applicant_email.as_deref(),
        consent: agreed,
    };
    recipients_of(conn, &applicant).await
}

/// Who asked, as the appeal records it.
pub struct Applicant<'a> {
    pub anonymous: bool,
    pub person_id: Option<i64>,
    pub phone: Option<&'a str>,
    pub email: Option<&'a str>,
    /// The consent given with the appeal (a person from the registry has their own).
    pub consent: bool,
}

/// Where the applicant may be written to: a registry person by their consent flags, anyone
/// else by the consent given with the appeal; an anonymous applicant nowhere.
pub(crate) async fn recipients_of(
    conn: &mut AnyConnection,
    a: &Applicant<'_>,
) -> Result<Vec<(OutboxChannel, String)>> {
    if a.anonymous {
        return Ok(vec![]);
    }
    let person = match a.person_id {
        Some(pid) => sqlx::query(
            "SELECT phones, email, consent_sms, consent_email FROM persons WHERE id = $1",
        )
        .bind(pid)
        .fetch_optional(&mut *conn)
        .await?
        .map(|r| {
            (
                r.get::<Option<String>, _>(0).unwrap_or_default(),
                r.get(1),
                r.get::<i64, _>(2) != 0,
                r.get::<i64, _>(3) != 0,
            )
        }),
        None => Some((
            a.phone.unwrap_or_default().to_string(),
            a.email.map(str::to_string),
            a.consent,
            a.consent,
        )),
    };
    let Some((phones, email, consent_sms, consent_email)) = person else {
        return Ok(vec![]);
    };
    Ok(contact_channels(&phones, email, consent_sms, consent_email))
}

/// The channels a person's stored contacts and consents allow (152-ФЗ: none without consent).
pub(crate) fn contact_channels(
    phones: &str,
    email: Option<String>,
    consent_sms: bool,
    consent_email: bool,
) -> Vec<(OutboxChannel, String)> {
    let data = PersonData {
        last_name: String::new(),
        first_name: String::new(),
        middle_name: None,
        birth_date: None,
        phones: phones
            .split(',')
            .map(|p| p.trim().to_string())
            .filter(|p| !p.is_empty())
            .collect(),
        email,
        id_document: None,
        consent_sms,
        consent_email,
        legal_capacity: Default::default(),
        capacity_basis: None,
    };
    abonent_domain::consent::recipients(&data)
}

/// Writes one text to every channel the applicant agreed to. `dedup` (when given) gets
/// the channel appended.
pub(crate) async fn to_applicant_in(
    conn: &mut AnyConnection,
    t: &Texts,
    a: &Appeal,
    body: &str,
    dedup: Option<&str>,
) -> Result<usize> {
    let to = recipients_in(conn, a).await?;
    send_in(conn, t, a.id, &a.number, &to, body, dedup).await
}

/// Writes one text to each of `to` about appeal `id` numbered `number`.
async fn send_in(
    conn: &mut AnyConnection,
    t: &Texts,
    id: i64,
    number: &str,
    to: &[(OutboxChannel, String)],
    body: &str,
    dedup: Option<&str>,
) -> Result<usize> {
    let subject = notice::subject(t.get("appeals.notice.subject"), number);
    let mut n = 0;
    for (channel, to) in to {
        let m = match channel {
            OutboxChannel::Email => NewMessage::email(to, &subject, body),
            OutboxChannel::Sms => NewMessage::sms(to, body),
        };
        let mut m = m.about("appeal", id);
        if let Some(k) = dedup {
            m = m.dedup(format!("{k}:{}", channel.code()));
        }
        if enqueue_in(conn, &time::fmt(t.now), &m).await?.is_some() {
            n += 1;
        }
    }
    Ok(n)
}

/// On registration: the number and the deadline, to the recipients found before the
/// number was taken (so nothing is read while the number's row is locked).
pub(crate) async fn registered_in(
    conn: &mut AnyConnection,
    t: &Texts,
    id: i64,
    number: &str,
    deadline_at: Option<&str>,
    to: &[(OutboxChannel, String)],
) -> Result<usize> {
    let body = notice::registered(
        t.get("appeals.notice.registered"),
        number,
        &t.local(deadline_at),
    );
    let dedup = format!("appeal:{id}:registered");
    send_in(conn, t, id, number, to, &body, Some(&dedup)).await
}

/// After a status change: its title with the reason or result, and the new deadline when
/// it moved. `done` asks the satisfaction question instead (with a rating link).
pub(crate) async fn status_in(
    conn: &mut AnyConnection,
    t: &Texts,
    id: i64,
    note: Option<&str>,
    deadline_before: Option<&str>,
    actor: &Actor,
) -> Result<usize> {
    let a = super::views::get_in(conn, id).await?;
    let status = Status::from_code(&a.status);
    match notice::status_notice(status, deadline_before, a.deadline_at.as_deref()) {
        StatusNotice::RatingQuestion => super::ratings::ask_in(conn, t, &a, actor).await,
        StatusNotice::Status { deadline_moved } => {
            let line = deadline_moved.then(|| deadline_text(t, &a, None));
            let body = notice::status(
                t.get("appeals.notice.status"),
                &a.number,
                status,
                note,
                line.as_deref(),
            );
            to_applicant_in(conn, t, &a, &body, None).await
        }
    }
}

pub(crate) fn deadline_text(t: &Texts, a: &Appeal, note: Option<&str>) -> String {
    notice::deadline(
        t.get("appeals.notice.deadline"),
        &a.number,
        &t.local(a.deadline_at.as_deref()),
        note,
    )
}
