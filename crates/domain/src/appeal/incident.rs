//! Building-wide incidents (общедомовые аварии): which appeals may join one, its title, and
//! what closing it does to each appeal. Storage reads the facts and writes the rows.

use chrono::{DateTime, TimeDelta, Utc};

use super::{AppealRefusal, Status};
use crate::outbox::OutboxChannel;

/// Which open appeals of one building and category (registered at `at`, in order) are
/// proposed: all of them when an open incident of theirs exists (to link), else those in
/// some `window` holding `threshold` or more of them (a new incident).
pub fn proposed(
    open_incident: bool,
    at: &[DateTime<Utc>],
    threshold: usize,
    window: TimeDelta,
) -> Vec<bool> {
    if open_incident {
        return vec![true; at.len()];
    }
    let mut keep = vec![false; at.len()];
    let mut start = 0;
    for end in 0..at.len() {
        while at[end] - at[start] > window {
            start += 1;
        }
        if end + 1 - start >= threshold {
            keep[start..=end].iter_mut().for_each(|k| *k = true);
        }
    }
    keep
}

/// An appeal as read for joining an incident.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JoinFacts<'a> {
    pub number: &'a str,
    pub status: Option<Status>,
    pub building: Option<i64>,
    pub category: Option<i64>,
    /// It is in an incident already.
    pub linked: bool,
}

/// A building and (maybe) a category: where an incident is.
pub type Place = (i64, Option<i64>);

/// An incident needs appeals.
pub fn check_marked(ids: &[i64]) -> Result<(), AppealRefusal> {
    if ids.is_empty() {
        Err(AppealRefusal::NoIncidentAppeals)
    } else {
        Ok(())
    }
}

/// One more appeal for an incident at `place` (none yet: the first appeal's building and
/// category make it): open, not in an incident, of the same building. Returns the place.
pub fn join(place: Option<Place>, a: &JoinFacts<'_>) -> Result<Place, AppealRefusal> {
    let number = a.number.to_string();
    if !a.status.is_some_and(Status::is_open) {
        return Err(AppealRefusal::JoinNotOpen { number });
    }
    if a.linked {
        return Err(AppealRefusal::JoinLinked { number });
    }
    let Some(building) = a.building else {
        return Err(AppealRefusal::JoinNoBuilding { number });
    };
    match place {
        None => Ok((building, a.category)),
        Some((b, _)) if b != building => Err(AppealRefusal::JoinOtherBuilding { number }),
        Some(p) => Ok(p),
    }
}

/// The title as entered: `None` when empty (then [`default_title`] names it).
pub fn entered_title(title: &str) -> Result<Option<String>, AppealRefusal> {
    match title.trim() {
        "" => Ok(None),
        t if t.chars().count() > 300 => Err(AppealRefusal::IncidentTitleTooLong),
        t => Ok(Some(t.to_string())),
    }
}

/// «<category> — <address>»; an incident without a category is an «Авария».
pub fn default_title(category: Option<&str>, address: &str) -> String {
    format!("{} — {address}", category.unwrap_or("Авария"))
}

/// Appeals join an open incident only.
pub fn check_linkable(open: bool) -> Result<(), AppealRefusal> {
    if open {
        Ok(())
    } else {
        Err(AppealRefusal::IncidentClosedForLinks)
    }
}

/// Closing needs what was done (it is written into every appeal), trimmed.
pub fn check_result(result: &str) -> Result<&str, AppealRefusal> {
    match result.trim() {
        "" => Err(AppealRefusal::IncidentNoResult),
        r => Ok(r),
    }
}

/// A closed incident is not closed again.
pub fn check_closable(open: bool) -> Result<(), AppealRefusal> {
    if open {
        Ok(())
    } else {
        Err(AppealRefusal::IncidentClosed)
    }
}

/// The statuses an appeal of a closing incident goes through to «done»: through «in
/// progress» when it is not in work yet; none when it is no longer open.
pub fn steps_to_done(status: Option<Status>) -> &'static [Status] {
    match status {
        Some(Status::Registered | Status::Reopened | Status::WaitingForApplicant) => {
            &[Status::InProgress, Status::Done]
        }
        Some(s) if s.is_open() => &[Status::Done],
        _ => &[],
    }
}

/// Taking an appeal into work for the incident: the closing user becomes its executor
/// when it has none.
pub fn executor_to_set(has_executor: bool, closing_user: Option<i64>) -> Option<i64> {
    if has_executor {
        None
    } else {
        closing_user
    }
}

/// Whom an applicant of a completed appeal is told by: the channels their consent allows
/// (`by_consent`, a registry person's), else the e-mail left with the appeal when it is one.
pub fn recipients(
    by_consent: Vec<(OutboxChannel, String)>,
    applicant_email: Option<&str>,
) -> Vec<(OutboxChannel, String)> {
    if !by_consent.is_empty() {
        return by_consent;
    }
    applicant_email
        .filter(|e| e.contains('@'))
        .map(|e| vec![(OutboxChannel::Email, e.to_string())])
        .unwrap_or_default()
}

/// The incident closes only when no appeal was refused; otherwise it stays open with
/// them, to be closed again once the reason is fixed.
pub fn closes(refused: usize) -> bool {
    refused == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::appeal::{allowed_targets, AppealKind};

    fn facts(status: Status, building: Option<i64>, linked: bool) -> JoinFacts<'static> {
        JoinFacts {
            number: "З-1",
            status: Some(status),
            building,
            category: Some(4),
            linked,
        }
    }

    fn at(minutes: &[i64]) -> Vec<DateTime<Utc>> {
        minutes
            .iter()
            .map(|m| DateTime::<Utc>::UNIX_EPOCH + TimeDelta::minutes(*m))
            .collect()
    }

    #[test]
    fn clusters_need_threshold_within_window() {
        let w = TimeDelta::minutes(120);
        // Three within two hours: proposed; the one a day earlier is not.
        assert_eq!(
            proposed(false, &at(&[0, 1440, 1500, 1550]), 3, w),
            [false, true, true, true]
        );
        // Three spread over more than the window: nothing, unless two make a cluster.
        assert_eq!(proposed(false, &at(&[0, 100, 200]), 3, w), [false; 3]);
        assert_eq!(proposed(false, &at(&[0, 100, 200]), 2, w), [true; 3]);
        // An open incident takes every appeal of its building and category.
        assert_eq!(proposed(true, &at(&[0, 1440]), 3, w), [true; 2]);
        assert!(proposed(false, &[], 1, w).is_empty());
    }

    #[test]
    fn appeals_join_open_of_one_building() {
        assert_eq!(check_marked(&[]), Err(AppealRefusal::NoIncidentAppeals));
        assert_eq!(check_marked(&[1]), Ok(()));
        let ok = facts(Status::Registered, Some(7), false);
        assert_eq!(join(None, &ok), Ok((7, Some(4))));
        // The first appeal's category stays the incident's.
        assert_eq!(join(Some((7, None)), &ok), Ok((7, None)));
        let number = "З-1".to_string();
        assert_eq!(
            join(Some((8, None)), &ok),
            Err(AppealRefusal::JoinOtherBuilding {
                number: number.clone()
            })
        );
        assert_eq!(
            join(None, &facts(Status::Done, Some(7), false)),
            Err(AppealRefusal::JoinNotOpen {
                number: number.clone()
            })
        );
        let unknown = JoinFacts {
            status: None,
            ..ok.clone()
        };
        assert!(matches!(
            join(None, &unknown),
            Err(AppealRefusal::JoinNotOpen { .. })
        ));
        assert_eq!(
            join(None, &facts(Status::InProgress, Some(7), true)),
            Err(AppealRefusal::JoinLinked {
                number: number.clone()
            })
        );
        assert_eq!(
            join(None, &facts(Status::InProgress, None, false)),
            Err(AppealRefusal::JoinNoBuilding { number })
        );
    }

    #[test]
    fn titles_are_entered_or_made() {
        assert_eq!(entered_title("  "), Ok(None));
        assert_eq!(entered_title(" Прорыв "), Ok(Some("Прорыв".into())));
        assert_eq!(
            entered_title(&"а".repeat(301)),
            Err(AppealRefusal::IncidentTitleTooLong)
        );
        assert!(entered_title(&"а".repeat(300)).is_ok());
        assert_eq!(
            default_title(Some("Протечка"), "ул. Ленина, д. 5"),
            "Протечка — ул. Ленина, д. 5"
        );
        assert_eq!(default_title(None, ""), "Авария — ");
    }

    #[test]
    fn closing_needs_a_result_and_an_open_incident() {
        assert_eq!(check_result(" "), Err(AppealRefusal::IncidentNoResult));
        assert_eq!(check_result(" Заменён стояк "), Ok("Заменён стояк"));
        assert_eq!(check_closable(false), Err(AppealRefusal::IncidentClosed));
        assert_eq!(check_closable(true), Ok(()));
        assert_eq!(
            check_linkable(false),
            Err(AppealRefusal::IncidentClosedForLinks)
        );
        assert_eq!(check_linkable(true), Ok(()));
        assert!(closes(0));
        assert!(!closes(1));
    }

    #[test]
    fn each_open_appeal_is_taken_to_done() {
        for s in Status::ALL {
            let steps = steps_to_done(Some(s));
            assert_eq!(steps.is_empty(), !s.is_open(), "{s:?}");
            if s.is_open() {
                assert_eq!(steps.last(), Some(&Status::Done));
            }
        }
        assert_eq!(
            steps_to_done(Some(Status::WaitingForApplicant)),
            &[Status::InProgress, Status::Done]
        );
        assert_eq!(steps_to_done(Some(Status::Assigned)), &[Status::Done]);
        assert!(steps_to_done(None).is_empty());
        assert_eq!(executor_to_set(true, Some(3)), None);
        assert_eq!(executor_to_set(false, Some(3)), Some(3));
    }

    #[test]
    fn applicants_are_told_by_consent_or_their_email() {
        let sms = vec![(OutboxChannel::Sms, "+79123456789".to_string())];
        assert_eq!(recipients(sms.clone(), Some("a@b.ru")), sms);
        assert_eq!(
            recipients(vec![], Some("a@b.ru")),
            vec![(OutboxChannel::Email, "a@b.ru".to_string())]
        );
        assert!(recipients(vec![], Some("не почта")).is_empty());
        assert!(recipients(vec![], None).is_empty());
    }

    proptest::proptest! {
        /// Closing an incident goes through the workflow: each step is a transition the
        /// graph allows from where the appeal is, whatever its kind.
        #[test]
        fn steps_to_done_follow_the_workflow(kind in 0..AppealKind::ALL.len(), from in 0..Status::ALL.len()) {
            let kind = AppealKind::ALL[kind];
            let mut at = Status::ALL[from];
            for step in steps_to_done(Some(at)) {
                proptest::prop_assert!(allowed_targets(kind, at).contains(step), "{at:?} -> {step:?}");
                at = *step;
            }
        }
    }
}
