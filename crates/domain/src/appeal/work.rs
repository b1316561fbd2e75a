//! The decisions of work on a registered appeal besides the status workflow
//! ([`super::check_transition`]): what a deferral, a localisation, a change of priority, a
//! rating and a bulk action may be done to, from the facts storage read.

use super::{AppealRefusal, Priority, Rating, Status};

/// A deferral moves a running deadline only (not a paused, finished or closed one).
pub fn check_deferrable(status: Option<Status>) -> Result<(), AppealRefusal> {
    if status.is_some_and(Status::clock_runs) {
        Ok(())
    } else {
        Err(AppealRefusal::DeferralNotRunning)
    }
}

/// Deferrals beyond the limit (`appeals.deferral_max`) are a manager's, and marked so.
pub fn deferral_beyond_limit(done_before: u32, max: u32) -> bool {
    done_before >= max
}

/// An emergency is marked localised once: `has_deadline` tells it has a localisation
/// deadline, `localised` when it was localised (as shown to the person).
pub fn check_localisable(has_deadline: bool, localised: Option<&str>) -> Result<(), AppealRefusal> {
    if !has_deadline {
        return Err(AppealRefusal::NoLocalisationDeadline);
    }
    match localised {
        Some(at) => Err(AppealRefusal::AlreadyLocalised { at: at.to_string() }),
        None => Ok(()),
    }
}

/// The priority of an open appeal only may change (the downgrade's reason is checked by
/// [`super::check_downgrade`]).
pub fn check_priority_changeable(status: Option<Status>) -> Result<(), AppealRefusal> {
    if status.is_some_and(Status::is_open) {
        Ok(())
    } else {
        Err(AppealRefusal::PriorityNotOpen)
    }
}

/// An emergency, and only it, gets a localisation deadline and an alert to the people on
/// duty when raised to that priority.
pub fn raises_alert(to: Priority) -> bool {
    to == Priority::Emergency
}

/// A rating is taken after the work is done.
pub fn check_rateable(status: Option<Status>) -> Result<(), AppealRefusal> {
    if matches!(
        status,
        Some(Status::Done | Status::QualityChecked | Status::Closed)
    ) {
        Ok(())
    } else {
        Err(AppealRefusal::RatingBeforeDone)
    }
}

/// The history's note of a rating, also the reason of the reopening it may cause.
pub fn rating_note(rating: Rating) -> String {
    format!("Оценка заявителя: {}", rating.title())
}

/// The reopen threshold from its setting: a mark 0–5 (0 reopens on «не устранено» only).
pub fn reopen_threshold(setting: i64) -> u8 {
    u8::try_from(setting.clamp(0, 5)).unwrap_or(2)
}

/// What the rating page says instead of the question when the link is spent.
pub fn link_closed(used: bool, expired: bool) -> Option<&'static str> {
    if used {
        Some("Оценка по этой ссылке уже получена. Спасибо!")
    } else if expired {
        Some("Срок действия ссылки истёк. Позвоните нам, если работы не устранили неисправность.")
    } else {
        None
    }
}

/// A bulk action needs something marked and at most `max` appeals.
pub fn check_bulk(marked: usize, max: usize) -> Result<(), AppealRefusal> {
    if marked == 0 {
        return Err(AppealRefusal::NothingMarked);
    }
    if marked > max {
        return Err(AppealRefusal::TooManyMarked { max, marked });
    }
    Ok(())
}

/// One appeal of a bulk action refused: its number and the reasons.
pub fn bulk_failure<'a>(number: &str, reasons: impl IntoIterator<Item = &'a str>) -> String {
    format!(
        "{number}: {}",
        reasons.into_iter().collect::<Vec<_>>().join(" ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deferral_needs_a_running_clock() {
        for s in Status::ALL {
            assert_eq!(check_deferrable(Some(s)).is_ok(), s.clock_runs(), "{s:?}");
        }
        assert_eq!(
            check_deferrable(Some(Status::WaitingForApplicant)),
            Err(AppealRefusal::DeferralNotRunning)
        );
        assert!(check_deferrable(None).is_err());
        assert!(!deferral_beyond_limit(1, 2));
        assert!(deferral_beyond_limit(2, 2));
    }

    #[test]
    fn localisation_needs_an_emergency_and_happens_once() {
        assert_eq!(
            check_localisable(false, None),
            Err(AppealRefusal::NoLocalisationDeadline)
        );
        assert_eq!(
            check_localisable(true, Some("07.12.2026 15:05")),
            Err(AppealRefusal::AlreadyLocalised {
                at: "07.12.2026 15:05".into()
            })
        );
        assert_eq!(check_localisable(true, None), Ok(()));
    }

    #[test]
    fn priority_changes_while_open_and_emergency_alerts() {
        assert!(check_priority_changeable(Some(Status::WaitingForApplicant)).is_ok());
        assert_eq!(
            check_priority_changeable(Some(Status::Done)),
            Err(AppealRefusal::PriorityNotOpen)
        );
        assert!(check_priority_changeable(None).is_err());
        assert!(raises_alert(Priority::Emergency));
        assert!(!raises_alert(Priority::Urgent));
    }

    #[test]
    fn ratings_follow_the_work() {
        for s in [Status::Done, Status::QualityChecked, Status::Closed] {
            assert!(check_rateable(Some(s)).is_ok());
        }
        assert_eq!(
            check_rateable(Some(Status::InProgress)),
            Err(AppealRefusal::RatingBeforeDone)
        );
        assert!(check_rateable(None).is_err());
        assert_eq!(rating_note(Rating::Mark(2)), "Оценка заявителя: 2 из 5");
        assert_eq!(reopen_threshold(9), 5);
        assert_eq!(reopen_threshold(-1), 0);
        assert_eq!(reopen_threshold(3), 3);
    }

    #[test]
    fn a_spent_link_says_why() {
        assert!(link_closed(true, true).unwrap().contains("уже получена"));
        assert!(link_closed(false, true).unwrap().contains("истёк"));
        assert_eq!(link_closed(false, false), None);
    }

    #[test]
    fn bulk_actions_are_bounded() {
        assert_eq!(check_bulk(0, 5), Err(AppealRefusal::NothingMarked));
        assert_eq!(
            check_bulk(6, 5),
            Err(AppealRefusal::TooManyMarked { max: 5, marked: 6 })
        );
        assert_eq!(check_bulk(5, 5), Ok(()));
        assert_eq!(
            bulk_failure("З-1", ["Одно.", "Другое."]),
            "З-1: Одно. Другое."
        );
    }
}
