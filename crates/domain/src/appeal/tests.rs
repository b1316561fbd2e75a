use chrono::NaiveDate;
use proptest::prelude::*;

use super::*;
use crate::Role;

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
}

/// A transition with every fact filled in, so each test removes the one it is about.
fn full(kind: AppealKind, from: Status, to: Status, role: Role) -> Transition<'static> {
    Transition {
        kind,
        from,
        to,
        role,
        has_executor: true,
        reason: Some("заявитель просил"),
        result: Some("заменили участок стояка"),
        quality_ok: Some(true),
        has_decision: true,
        merged_into: Some(7),
        finished_on: Some(day(20)),
        today: day(27),
        reopen_window_days: 30,
    }
}

fn fields(r: Result<(), crate::ValidationErrors>) -> Vec<String> {
    r.err()
        .map(|e| e.0.into_iter().map(|f| f.field).collect())
        .unwrap_or_default()
}

#[test]
fn the_main_path_goes_through() {
    use Status::*;
    let path = [
        Registered,
        Assigned,
        InProgress,
        Done,
        QualityChecked,
        Closed,
    ];
    for w in path.windows(2) {
        let t = full(AppealKind::Request, w[0], w[1], Role::Specialist);
        assert_eq!(check_transition(&t), Ok(()), "{:?} → {:?}", w[0], w[1]);
    }
}

#[test]
fn skipping_the_quality_check_is_refused_for_work_but_not_for_a_consultation() {
    let t = full(
        AppealKind::Request,
        Status::Done,
        Status::Closed,
        Role::Manager,
    );
    assert_eq!(fields(check_transition(&t)), ["status"]);
    let t = full(
        AppealKind::Consultation,
        Status::Done,
        Status::Closed,
        Role::Manager,
    );
    assert_eq!(check_transition(&t), Ok(()));
}

#[test]
fn required_facts_are_named() {
    let mut t = full(
        AppealKind::Request,
        Status::Registered,
        Status::Rejected,
        Role::Specialist,
    );
    t.reason = Some("   ");
    assert_eq!(fields(check_transition(&t)), ["reason"]);

    let mut t = full(
        AppealKind::Request,
        Status::InProgress,
        Status::Done,
        Role::Contractor,
    );
    t.result = None;
    assert_eq!(fields(check_transition(&t)), ["result"]);

    let mut t = full(
        AppealKind::Request,
        Status::Registered,
        Status::Assigned,
        Role::Dispatcher,
    );
    t.has_executor = false;
    assert_eq!(fields(check_transition(&t)), ["executor"]);

    let mut t = full(
        AppealKind::Request,
        Status::Done,
        Status::QualityChecked,
        Role::Specialist,
    );
    t.quality_ok = Some(false);
    assert_eq!(fields(check_transition(&t)), ["quality_ok"]);

    let mut t = full(
        AppealKind::Request,
        Status::Registered,
        Status::Duplicate,
        Role::Specialist,
    );
    t.merged_into = None;
    assert_eq!(fields(check_transition(&t)), ["merged_into"]);
}

#[test]
fn a_complaint_closes_only_with_a_decision() {
    let mut t = full(
        AppealKind::Complaint,
        Status::QualityChecked,
        Status::Closed,
        Role::Manager,
    );
    assert_eq!(check_transition(&t), Ok(()));
    t.has_decision = false;
    assert_eq!(fields(check_transition(&t)), ["decision"]);
    t.kind = AppealKind::Request;
    assert_eq!(check_transition(&t), Ok(()));
}

#[test]
fn reassignment_needs_a_reason_first_assignment_does_not() {
    let mut t = full(
        AppealKind::Request,
        Status::Registered,
        Status::Assigned,
        Role::Dispatcher,
    );
    t.reason = None;
    assert_eq!(check_transition(&t), Ok(()));
    t.from = Status::InProgress;
    assert_eq!(fields(check_transition(&t)), ["reason"]);
}

#[test]
fn reopen_window_counts_days_since_closing() {
    let mut t = full(
        AppealKind::Request,
        Status::Closed,
        Status::Reopened,
        Role::Specialist,
    );
    t.finished_on = Some(day(1));
    t.today = day(27);
    t.reopen_window_days = 26;
    assert_eq!(check_transition(&t), Ok(()));
    t.reopen_window_days = 25;
    assert_eq!(fields(check_transition(&t)), ["status"]);
    // From done the window does not apply: the work was never accepted.
    t.from = Status::Done;
    assert_eq!(check_transition(&t), Ok(()));
}

#[test]
fn roles_are_enforced() {
    let t = full(
        AppealKind::Request,
        Status::Done,
        Status::QualityChecked,
        Role::Contractor,
    );
    let e = check_transition(&t).unwrap_err();
    assert!(e.0[0].message.contains("Подрядчик"), "{e:?}");
    let t = full(
        AppealKind::Request,
        Status::Registered,
        Status::Assigned,
        Role::Auditor,
    );
    assert_eq!(fields(check_transition(&t)), ["status"]);
    let t = full(
        AppealKind::Request,
        Status::InProgress,
        Status::Done,
        Role::Contractor,
    );
    assert_eq!(check_transition(&t), Ok(()));
}

#[test]
fn final_statuses_lead_nowhere_but_closed_can_reopen() {
    for kind in AppealKind::ALL {
        assert!(allowed_targets(*kind, Status::Rejected).is_empty());
        assert!(allowed_targets(*kind, Status::Duplicate).is_empty());
        assert_eq!(allowed_targets(*kind, Status::Closed), [Status::Reopened]);
    }
}

#[test]
fn open_means_work_expected_and_the_clock_stops_while_waiting() {
    let open: Vec<Status> = Status::ALL.into_iter().filter(|s| s.is_open()).collect();
    assert_eq!(
        open,
        [
            Status::Registered,
            Status::Assigned,
            Status::InProgress,
            Status::WaitingForApplicant,
            Status::Reopened
        ]
    );
    assert!(!Status::WaitingForApplicant.clock_runs());
    assert!(!Status::Done.is_open());
}

#[test]
fn codes_round_trip() {
    for s in Status::ALL {
        assert_eq!(Status::from_code(s.code()), Some(s));
    }
    for k in AppealKind::ALL {
        assert_eq!(AppealKind::from_code(k.code()), Some(*k));
    }
    for c in Channel::ALL {
        assert_eq!(Channel::from_code(c.code()), Some(*c));
    }
    for p in Priority::ALL {
        assert_eq!(Priority::from_code(p.code()), Some(*p));
    }
    assert_eq!(Status::from_code("deleted"), None);
}

fn any_status() -> impl Strategy<Value = Status> {
    (0..Status::ALL.len()).prop_map(|i| Status::ALL[i])
}
fn any_kind() -> impl Strategy<Value = AppealKind> {
    (0..AppealKind::ALL.len()).prop_map(|i| AppealKind::ALL[i])
}
fn any_role() -> impl Strategy<Value = Role> {
    (0..Role::ALL.len()).prop_map(|i| Role::ALL[i])
}

proptest! {
    /// Whatever the facts, a change outside the graph is refused, and the auditor never writes.
    #[test]
    fn graph_and_auditor_hold(kind in any_kind(), from in any_status(), to in any_status(),
                              role in any_role(), exec in any::<bool>(), ok in any::<bool>()) {
        let mut t = full(kind, from, to, role);
        t.has_executor = exec;
        t.quality_ok = Some(ok);
        let r = check_transition(&t);
        if !allowed_targets(kind, from).contains(&to) || role == Role::Auditor {
            prop_assert!(r.is_err());
        }
        if r.is_ok() && to == Status::QualityChecked {
            prop_assert!(ok && role != Role::Contractor);
        }
    }

    /// Every non-final status can reach closed (no dead ends in the workflow).
    #[test]
    fn closed_is_reachable(kind in any_kind(), from in any_status()) {
        prop_assume!(!from.is_final());
        let mut seen = vec![from];
        let mut i = 0;
        while i < seen.len() {
            for &n in allowed_targets(kind, seen[i]) {
                if !seen.contains(&n) { seen.push(n); }
            }
            i += 1;
        }
        prop_assert!(seen.contains(&Status::Closed));
    }
}

#[test]
fn intake_names_what_is_missing() {
    let f = Intake {
        kind: Some(AppealKind::Request),
        ..Default::default()
    };
    let e: Vec<_> = check_intake(&f).0.into_iter().map(|e| e.field).collect();
    assert_eq!(e, ["substance", "address", "contact"]);
}

#[test]
fn an_emergency_needs_only_address_and_substance() {
    let f = Intake {
        priority: Some(Priority::Emergency),
        address_text: "ул. Ленина, 5, кв. 12",
        substance: "топит сверху",
        ..Default::default()
    };
    assert!(check_intake(&f).is_empty());
    let f = Intake {
        address_text: "",
        ..f
    };
    assert_eq!(check_intake(&f).0[0].field, "address");
}

#[test]
fn anonymous_and_informational_appeals() {
    let f = Intake {
        kind: Some(AppealKind::Complaint),
        has_registry_address: true,
        substance: "грязно в подъезде",
        anonymous: true,
        ..Default::default()
    };
    assert!(check_intake(&f).is_empty());
    let f = Intake {
        kind: Some(AppealKind::Consultation),
        substance: "как передать показания",
        phone: "8 (912) 345-67-89",
        ..Default::default()
    };
    assert!(check_intake(&f).is_empty());
    let f = Intake {
        phone: "12345",
        ..f
    };
    assert_eq!(check_intake(&f).0[0].field, "phone");
}
