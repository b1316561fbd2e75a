//! Messages about an appeal: to the applicant (registration, a status change, a new
//! deadline, the rating question after completion) and to the staff (an emergency's alert
//! and its two escalations). The bodies are settings with `{name}` fields ([`fill`]); what
//! is fixed here is which message an event yields, what fills it and the subject lines.

use chrono::NaiveDateTime;

use super::{fill, Status};

/// An instant as the applicant reads it (local date and time), or that there is none.
pub fn local_instant(t: Option<NaiveDateTime>) -> String {
    t.map(|t| t.format("%d.%m.%Y %H:%M").to_string())
        .unwrap_or_else(|| "без срока".into())
}

/// The subject of an e-mail to the applicant.
pub fn subject(template: &str, number: &str) -> String {
    fill(template, &[("number", number)])
}

/// On registration: the number and the deadline (`deadline` as [`local_instant`] gives it).
pub fn registered(template: &str, number: &str, deadline: &str) -> String {
    fill(template, &[("number", number), ("deadline", deadline)])
}

/// What a status change tells the applicant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusNotice {
    /// The work is done: «Устранено ли?» with a personal rating link instead.
    RatingQuestion,
    /// The new status with the reason or result; the new deadline too when it moved.
    Status { deadline_moved: bool },
}

/// The message a change to status `to` yields, the deadline being `before` and then `after`
/// (stored UTC text; only a deadline that is there and differs has moved).
pub fn status_notice(
    to: Option<Status>,
    before: Option<&str>,
    after: Option<&str>,
) -> StatusNotice {
    if to == Some(Status::Done) {
        return StatusNotice::RatingQuestion;
    }
    StatusNotice::Status {
        deadline_moved: after.is_some() && after != before,
    }
}

/// The text of [`StatusNotice::Status`]: `deadline_line` ([`deadline`]) follows when the
/// deadline moved.
pub fn status(
    template: &str,
    number: &str,
    to: Option<Status>,
    note: Option<&str>,
    deadline_line: Option<&str>,
) -> String {
    let title = to.map_or("", Status::title).to_lowercase();
    let body = fill(
        template,
        &[
            ("number", number),
            ("status", &title),
            ("note", note.unwrap_or("")),
        ],
    );
    match deadline_line {
        Some(line) => format!("{} {line}", body.trim()).trim().to_string(),
        None => body.trim().to_string(),
    }
}

/// A new deadline with its reason (a deferral) or alone (after a status change).
pub fn deadline(template: &str, number: &str, deadline: &str, note: Option<&str>) -> String {
    fill(
        template,
        &[
            ("number", number),
            ("deadline", deadline),
            ("note", note.unwrap_or("")),
        ],
    )
    .trim()
    .to_string()
}

/// The rating question with the personal link `{public_url}/rate/{token}`.
pub fn rating_question(template: &str, number: &str, public_url: &str, token: &str) -> String {
    let link = format!("{}/rate/{token}", public_url.trim_end_matches('/'));
    fill(template, &[("number", number), ("link", &link)])
}

/// What the staff's messages about an emergency name.
#[derive(Debug, Clone, Copy)]
pub struct Emergency<'a> {
    pub number: &'a str,
    pub address: &'a str,
    pub substance: &'a str,
}

/// A message with a fixed subject (e-mail) and its body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub subject: String,
    pub body: String,
}

fn to_staff(template: &str, e: &Emergency, extra: &[(&str, &str)], subject: String) -> Message {
    let mut vars = vec![
        ("number", e.number),
        ("address", e.address),
        ("substance", e.substance),
    ];
    vars.extend_from_slice(extra);
    Message {
        subject,
        body: fill(template, &vars),
    }
}

/// To each person on duty when an emergency is registered or raised to one.
pub fn duty_alert(template: &str, e: &Emergency) -> Message {
    to_staff(
        template,
        e,
        &[],
        format!("АВАРИЯ: обращение № {}", e.number),
    )
}

/// To the managers when nobody acknowledged the alert within `minutes`.
pub fn escalation(template: &str, e: &Emergency, minutes: i64) -> Message {
    to_staff(
        template,
        e,
        &[("minutes", &minutes.to_string())],
        format!("Не подтверждена авария: обращение № {}", e.number),
    )
}

/// To the managers when the damage was not localised by `deadline` (ПП 416 п. 13).
pub fn localisation_overdue(template: &str, e: &Emergency, deadline: &str) -> Message {
    to_staff(
        template,
        e,
        &[("deadline", deadline)],
        format!("Авария не локализована в срок: обращение № {}", e.number),
    )
}

/// To the applicant of an appeal completed with the incident (a building's emergency) it
/// was linked to: the incident's result.
pub fn incident_done(number: &str, result: &str) -> Message {
    Message {
        subject: format!("Обращение {number} выполнено"),
        body: format!("Обращение {number}: работы по аварии в доме выполнены. {result}"),
    }
}

/// The history's notes of the alerts' events.
pub const ALERT_ACKNOWLEDGED: &str = "Аварийное оповещение принято";
pub const ALERT_ESCALATED: &str = "Оповещение не подтверждено вовремя: передано руководителю";
pub const LOCALISATION_ESCALATED: &str =
    "Авария не локализована в срок (ПП 416 п. 13): передано руководителю";
/// Who the history names for the escalation job.
pub const ESCALATION_ACTOR: &str = "эскалация оповещений";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completion_asks_for_a_rating_and_other_changes_tell_the_status() {
        let d = Some("2026-12-07T10:00:00.000000Z");
        assert_eq!(
            status_notice(Some(Status::Done), d, None),
            StatusNotice::RatingQuestion
        );
        assert_eq!(
            status_notice(Some(Status::InProgress), d, d),
            StatusNotice::Status {
                deadline_moved: false
            }
        );
        let later = Some("2026-12-08T10:00:00.000000Z");
        assert_eq!(
            status_notice(Some(Status::WaitingForApplicant), d, later),
            StatusNotice::Status {
                deadline_moved: true
            }
        );
        // A deadline dropped is not news to the applicant.
        assert_eq!(
            status_notice(Some(Status::Assigned), d, None),
            StatusNotice::Status {
                deadline_moved: false
            }
        );
    }

    #[test]
    fn applicant_texts_fill_their_fields() {
        let at = chrono::NaiveDate::from_ymd_opt(2026, 12, 7)
            .unwrap()
            .and_hms_opt(15, 5, 0);
        assert_eq!(local_instant(at), "07.12.2026 15:05");
        assert_eq!(local_instant(None), "без срока");
        assert_eq!(
            registered("№ {number} до {deadline}", "З-1", "07.12.2026 15:05"),
            "№ З-1 до 07.12.2026 15:05"
        );
        let line = deadline("Срок {deadline}. {note}", "З-1", "08.12.2026 10:00", None);
        assert_eq!(line, "Срок 08.12.2026 10:00.");
        assert_eq!(
            status(
                "№ {number}: {status}. {note}",
                "З-1",
                Some(Status::InProgress),
                None,
                Some(&line)
            ),
            "№ З-1: в работе. Срок 08.12.2026 10:00."
        );
        assert_eq!(
            rating_question("{number}: {link}", "З-1", "https://uk.example/", "ab"),
            "З-1: https://uk.example/rate/ab"
        );
    }

    #[test]
    fn staff_messages_name_the_emergency() {
        let e = Emergency {
            number: "З-7",
            address: "ул. Ленина, 5",
            substance: "Запах газа",
        };
        let m = duty_alert("{number} {address}: {substance}", &e);
        assert_eq!(m.subject, "АВАРИЯ: обращение № З-7");
        assert_eq!(m.body, "З-7 ул. Ленина, 5: Запах газа");
        let m = escalation("{number} не подтверждена {minutes} мин", &e, 10);
        assert_eq!(m.subject, "Не подтверждена авария: обращение № З-7");
        assert_eq!(m.body, "З-7 не подтверждена 10 мин");
        let m = localisation_overdue("{number} к {deadline}", &e, "07.12.2026 15:05");
        assert_eq!(m.subject, "Авария не локализована в срок: обращение № З-7");
        assert_eq!(m.body, "З-7 к 07.12.2026 15:05");
    }

    #[test]
    fn an_incident_closed_tells_each_applicant_its_result() {
        let m = incident_done("З-7", "Заменён участок стояка.");
        assert_eq!(m.subject, "Обращение З-7 выполнено");
        assert_eq!(
            m.body,
            "Обращение З-7: работы по аварии в доме выполнены. Заменён участок стояка."
        );
    }
}
