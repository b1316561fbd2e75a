//! The answer deadline of an incoming letter: a rule per sender kind (regulations §3), counted
//! on the production calendar, unless the letter itself sets the term.

use chrono::{NaiveDate, NaiveTime};
use serde::Serialize;

use super::SenderKind;
use crate::calendar::WorkCalendar;
use crate::deadline::{compute_deadline, default_rules, DeadlineRule, DeadlineUnit, Verification};

/// The computed deadline and why, shown next to it and kept with the letter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct AnswerDeadline {
    pub due: NaiveDate,
    /// Rule code (`written_request`, `appeal_59fz`…) or `letter_term` for a term set in the letter.
    pub rule: String,
    /// Russian explanation with the legal source.
    pub basis: String,
}

/// The default rule for a sender kind. Shipped rules come from `deadline::default_rules`, so
/// the appeals module and the registers answer by the same data.
pub fn rule_for(kind: SenderKind) -> DeadlineRule {
    let shipped = |code: &str| {
        default_rules()
            .into_iter()
            .find(|r| r.code == code)
            .expect("shipped rule exists")
    };
    let own = |code: &str, title: &str, source: &str| DeadlineRule {
        code: code.into(),
        title: title.into(),
        amount: 30,
        unit: DeadlineUnit::CalendarDays,
        source: source.into(),
        only_between: None,
        verification: Verification::Unverified,
        counts_from: Default::default(),
    };
    match kind {
        // A written request of an owner or user of premises to the company.
        SenderKind::Person => shipped("written_request"),
        // Citizens' appeals forwarded by the inspectorate: 59-ФЗ term.
        SenderKind::HousingInspectorate => shipped("appeal_59fz"),
        SenderKind::Prosecutor | SenderKind::OtherState => own(
            "state_body_letter",
            "Ответ на письмо государственного органа (если срок в письме не указан)",
            "Федеральный закон № 59-ФЗ, ст. 12 ч. 1 (по аналогии); срок из письма имеет приоритет",
        ),
        SenderKind::Organization => own(
            "organization_letter",
            "Ответ на письмо организации",
            "Срок законом не установлен: принятый в организации срок 30 дней",
        ),
    }
}

/// The deadline of a letter received on `received_on` by the shipped rule of its sender kind.
pub fn answer_deadline(
    kind: SenderKind,
    received_on: NaiveDate,
    letter_term: Option<NaiveDate>,
    calendar: &WorkCalendar,
) -> AnswerDeadline {
    answer_deadline_by(&rule_for(kind), received_on, letter_term, calendar)
}

/// The deadline by `rule` (an administrator may have edited it). `letter_term` is a date the
/// sender set. Calendar-day terms ending on a day off move to the next working day
/// (ГК РФ ст. 193).
pub fn answer_deadline_by(
    rule: &DeadlineRule,
    received_on: NaiveDate,
    letter_term: Option<NaiveDate>,
    calendar: &WorkCalendar,
) -> AnswerDeadline {
    if let Some(due) = letter_term {
        return AnswerDeadline {
            due,
            rule: "letter_term".into(),
            basis: "Срок, указанный в письме отправителя".into(),
        };
    }
    let rule = rule.clone();
    let start = received_on.and_time(NaiveTime::MIN);
    let mut due = compute_deadline(&rule, start, calendar).date();
    if rule.unit == DeadlineUnit::CalendarDays {
        due = calendar.next_working_day_on_or_after(due);
    }
    let unit = match rule.unit {
        DeadlineUnit::WorkingDays => {
            plural(rule.amount, "рабочий день", "рабочих дня", "рабочих дней")
        }
        DeadlineUnit::CalendarDays => plural(
            rule.amount,
            "календарный день",
            "календарных дня",
            "календарных дней",
        ),
        DeadlineUnit::Hours => plural(rule.amount, "час", "часа", "часов"),
        DeadlineUnit::Minutes => plural(rule.amount, "минута", "минуты", "минут"),
    };
    let unverified = if rule.verification == Verification::Unverified {
        " (норма не подтверждена юристом)"
    } else {
        ""
    };
    AnswerDeadline {
        due,
        basis: format!(
            "{}: {} {unit} — {}{unverified}",
            rule.title, rule.amount, rule.source
        ),
        rule: rule.code,
    }
}

/// Checks an answer rule an administrator edited: a valid rule counted in calendar or working
/// days (letters are answered by date, not by the hour).
pub fn check_answer_rule(rule: &DeadlineRule) -> Result<(), crate::ValidationErrors> {
    let mut e = match rule.validate() {
        Ok(()) => crate::ValidationErrors::new(),
        Err(e) => e,
    };
    if !rule.unit.is_day_counted() {
        e.add(
            "unit",
            "Срок ответа на письмо считается в календарных или рабочих днях: выберите одну из этих единиц.",
        );
    }
    e.into_result(())
}

fn plural(n: u32, one: &'static str, few: &'static str, many: &'static str) -> &'static str {
    match (n % 10, n % 100) {
        (1, r) if r != 11 => one,
        (2..=4, r) if !(12..=14).contains(&r) => few,
        _ => many,
    }
}
