//! Moving a deadline (перенос срока): a reason, a limit on how many times, and a deferred
//! deadline that a pause moves like any other instead of being lost on resume.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use super::{merged, DeadlineRule, DeadlineUnit, Pause, END_OF_DAY};
use crate::calendar::WorkCalendar;
use crate::{Role, ValidationErrors};

/// A deferral in force: made at `at` (local), the deadline moved to `to` (local).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deferral {
    pub at: NaiveDateTime,
    pub to: NaiveDateTime,
}

/// A requested deferral with the facts the limit needs.
#[derive(Debug, Clone, Copy)]
pub struct DeferralRequest<'a> {
    pub reason: &'a str,
    /// The new deadline and the moment of the request (same clock).
    pub to: NaiveDateTime,
    pub now: NaiveDateTime,
    /// How many times this appeal's deadline was already moved.
    pub done_before: u32,
    /// The setting `appeals.deferral_max`: moves anyone may make; beyond them a manager.
    pub max: u32,
    pub role: Role,
}

/// Whether a deferral may be made: a reason, a future deadline, and within the limit unless
/// a manager (or an administrator) approves it by making it. Russian messages per field.
pub fn check_deferral(r: &DeferralRequest<'_>) -> Result<(), ValidationErrors> {
    let mut e = ValidationErrors::new();
    if r.reason.trim().is_empty() {
        e.add(
            "reason",
            "Укажите причину переноса срока: она попадёт в историю и заявителю.",
        );
    }
    if r.to <= r.now {
        e.add(
            "deadline",
            "Новый срок уже прошёл: укажите будущие дату и время.",
        );
    }
    let approves = matches!(r.role, Role::Manager | Role::Administrator);
    if r.done_before >= r.max && !approves {
        e.add(
            "deadline",
            format!(
                "Срок этого обращения уже переносили {}, больше без руководителя нельзя \
                 (настройка «Сколько раз можно перенести срок обращения» — {}): попросите \
                 руководителя перенести срок.",
                crate::money::counted(i64::from(r.done_before), ["раз", "раза", "раз"]),
                r.max
            ),
        );
    }
    e.into_result(())
}

/// The deferred deadline moved by the pauses that began after the deferral: minute, hour and
/// day rules by the paused time, working-day rules by the paused working days — the same
/// way [`super::compute_deadline_with_pauses`] moves a deadline from its rule. `None` while a
/// pause that matters is still open.
pub fn deferred_deadline(
    rule: &DeadlineRule,
    d: &Deferral,
    pauses: &[Pause],
    calendar: &WorkCalendar,
) -> Option<NaiveDateTime> {
    if rule.unit == DeadlineUnit::WorkingDays {
        let mut due = d.to.date();
        for (from, to) in merged(pauses, d.at) {
            if from > due.and_time(END_OF_DAY) {
                break;
            }
            let paused = calendar
                .working_days_between(from.date(), to?.date())
                .max(0);
            due = calendar.add_working_days(due, u32::try_from(paused).unwrap_or(u32::MAX));
        }
        return Some(due.and_time(d.to.time()));
    }
    let mut due = d.to;
    for (from, to) in merged(pauses, d.at) {
        if from > due {
            break;
        }
        due += to? - from;
    }
    Some(due)
}

#[cfg(test)]
mod tests {
    use super::super::tests::{at, end_of, rule};
    use super::*;

    fn req(done_before: u32, role: Role) -> DeferralRequest<'static> {
        DeferralRequest {
            reason: "нет доступа в подвал",
            to: at(2026, 3, 10, 12, 0),
            now: at(2026, 3, 5, 12, 0),
            done_before,
            max: 2,
            role,
        }
    }

    #[test]
    fn a_deferral_needs_a_reason_and_a_future_deadline() {
        let e = check_deferral(&DeferralRequest {
            reason: " ",
            to: at(2026, 3, 1, 0, 0),
            ..req(0, Role::Specialist)
        })
        .unwrap_err();
        let fields: Vec<_> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["reason", "deadline"]);
    }

    #[test]
    fn beyond_the_limit_only_a_manager_defers() {
        assert!(check_deferral(&req(1, Role::Specialist)).is_ok());
        let e = check_deferral(&req(2, Role::Specialist)).unwrap_err();
        assert!(
            e.for_field("deadline").unwrap().contains("руководител"),
            "{e:?}"
        );
        assert!(check_deferral(&req(2, Role::Manager)).is_ok());
        assert!(check_deferral(&req(5, Role::Administrator)).is_ok());
    }

    #[test]
    fn a_pause_after_the_deferral_moves_the_deferred_deadline() {
        let cal = WorkCalendar::shipped();
        let d = Deferral {
            at: at(2026, 3, 5, 12, 0),
            to: at(2026, 3, 7, 12, 0),
        };
        let hours = rule("quality_complaint_check");
        // Paused a day after the deferral, for 5 hours: the deferred deadline moves 5 hours.
        let p = [super::super::tests::pause(
            at(2026, 3, 6, 9, 0),
            at(2026, 3, 6, 14, 0),
        )];
        assert_eq!(
            deferred_deadline(&hours, &d, &p, &cal),
            Some(at(2026, 3, 7, 17, 0))
        );
        // A pause before the deferral was already in the deferred date.
        let before = [super::super::tests::pause(
            at(2026, 3, 5, 9, 0),
            at(2026, 3, 5, 11, 0),
        )];
        assert_eq!(deferred_deadline(&hours, &d, &before, &cal), Some(d.to));
        // Still waiting: no date.
        let open = [Pause {
            from: at(2026, 3, 6, 9, 0),
            to: None,
        }];
        assert_eq!(deferred_deadline(&hours, &d, &open, &cal), None);
        // Working days: by the working days paused.
        let days = rule("written_request");
        let wd = Deferral {
            at: at(2026, 3, 2, 10, 0),
            to: end_of(2026, 3, 13),
        };
        let p = [super::super::tests::pause(
            at(2026, 3, 3, 10, 0),
            at(2026, 3, 5, 10, 0),
        )];
        assert_eq!(
            deferred_deadline(&days, &wd, &p, &cal),
            Some(end_of(2026, 3, 17))
        );
    }
}
