use super::*;
use chrono::{FixedOffset, NaiveDate, Timelike, Utc};

pub(super) fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(y, m, d)
        .unwrap()
        .and_hms_opt(h, min, 0)
        .unwrap()
}

pub(super) fn end_of(y: i32, m: u32, d: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(y, m, d)
        .unwrap()
        .and_time(END_OF_DAY)
}

pub(super) fn rule(code: &str) -> DeadlineRule {
    default_rules()
        .into_iter()
        .find(|r| r.code == code)
        .unwrap()
}

pub(super) fn custom(amount: u32, unit: DeadlineUnit) -> DeadlineRule {
    DeadlineRule {
        code: "t".into(),
        title: "т".into(),
        amount,
        unit,
        source: "тест".into(),
        only_between: None,
        verification: Verification::Unverified,
        counts_from: CountsFrom::Registration,
    }
}

pub(super) fn pause(from: NaiveDateTime, to: NaiveDateTime) -> Pause {
    Pause { from, to: Some(to) }
}

#[test]
fn default_rules_are_valid_unique_and_marked() {
    let rules = default_rules();
    for r in &rules {
        r.validate().unwrap_or_else(|e| panic!("{}: {e}", r.code));
    }
    let mut codes: Vec<&str> = rules.iter().map(|r| r.code.as_str()).collect();
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(codes.len(), rules.len());
    let expect = [
        ("ads_localisation", 30, DeadlineUnit::Minutes, true),
        ("ads_sewage_blockage", 2, DeadlineUnit::Hours, true),
        (
            "ads_emergency_elimination",
            3,
            DeadlineUnit::CalendarDays,
            true,
        ),
        ("quality_complaint_check", 2, DeadlineUnit::Hours, true),
        ("written_request", 10, DeadlineUnit::WorkingDays, true),
        ("works_information", 5, DeadlineUnit::WorkingDays, false),
        ("appeal_59fz", 30, DeadlineUnit::CalendarDays, false),
        ("basic_information", 1, DeadlineUnit::WorkingDays, false),
    ];
    for (code, amount, unit, confirmed) in expect {
        let r = rule(code);
        assert_eq!((r.amount, r.unit), (amount, unit), "{code}");
        assert_eq!(
            r.verification == Verification::Confirmed,
            confirmed,
            "{code}"
        );
    }
    assert!(rule("quality_complaint_check")
        .source
        .contains("354, п. 108"));
    assert!(rule("works_information").source.contains("491, п. 40 «а»"));
    let chute = rule("ads_refuse_chute_blockage");
    assert_eq!(chute.only_between.unwrap().0.hour(), 8);
    // Round trip through the settings-table JSON.
    let json = serde_json::to_string(&rules).unwrap();
    assert_eq!(
        serde_json::from_str::<Vec<DeadlineRule>>(&json).unwrap(),
        rules
    );
}

#[test]
fn validation_explains_in_russian() {
    let mut r = custom(0, DeadlineUnit::WorkingDays);
    r.code = "Засор".into();
    r.source = " ".into();
    r.only_between = rule("ads_refuse_chute_blockage").only_between;
    let e = r.validate().unwrap_err();
    for field in ["code", "source", "amount", "only_between"] {
        assert!(e.for_field(field).is_some(), "{field}");
    }
    let mut r = custom(2, DeadlineUnit::Hours);
    r.only_between = Some((
        NaiveTime::from_hms_opt(23, 0, 0).unwrap(),
        NaiveTime::from_hms_opt(8, 0, 0).unwrap(),
    ));
    assert!(r
        .validate()
        .unwrap_err()
        .for_field("only_between")
        .unwrap()
        .contains("23:00"));
    assert!(custom(251, DeadlineUnit::WorkingDays).validate().is_err());
    assert!(custom(250, DeadlineUnit::WorkingDays).validate().is_ok());
}

#[test]
fn minute_hour_and_day_rules() {
    let cal = WorkCalendar::shipped();
    let reg = at(2026, 3, 6, 23, 40);
    assert_eq!(
        compute_deadline(&rule("ads_localisation"), reg, &cal),
        at(2026, 3, 7, 0, 10)
    );
    assert_eq!(
        compute_deadline(&rule("ads_sewage_blockage"), reg, &cal),
        at(2026, 3, 7, 1, 40)
    );
    // «3 суток» = 72 hours, holidays included (9 March 2026 is off).
    assert_eq!(
        compute_deadline(&rule("ads_emergency_elimination"), reg, &cal),
        at(2026, 3, 9, 23, 40)
    );
    assert_eq!(
        compute_deadline(&rule("appeal_59fz"), at(2026, 1, 31, 9, 0), &cal),
        at(2026, 3, 2, 9, 0)
    );
}

#[test]
fn refuse_chute_clock_runs_08_to_23() {
    let cal = WorkCalendar::shipped();
    let r = rule("ads_refuse_chute_blockage");
    let cases = [
        (at(2026, 3, 6, 10, 0), at(2026, 3, 6, 12, 0)),
        (at(2026, 3, 6, 7, 0), at(2026, 3, 6, 10, 0)),
        (at(2026, 3, 6, 21, 0), at(2026, 3, 6, 23, 0)),
        (at(2026, 3, 6, 22, 30), at(2026, 3, 7, 9, 30)),
        (at(2026, 3, 6, 23, 0), at(2026, 3, 7, 10, 0)),
        (at(2026, 3, 6, 23, 59), at(2026, 3, 7, 10, 0)),
        (at(2026, 3, 7, 0, 0), at(2026, 3, 7, 10, 0)),
    ];
    for (reg, due) in cases {
        assert_eq!(compute_deadline(&r, reg, &cal), due, "{reg}");
    }
    // A pause 22:30–23:30 takes the last half hour of the day's window.
    let p = [pause(at(2026, 3, 6, 22, 30), at(2026, 3, 6, 23, 30))];
    assert_eq!(
        compute_deadline_with_pauses(&r, at(2026, 3, 6, 22, 0), &p, &cal),
        Some(at(2026, 3, 7, 9, 30))
    );
}

#[test]
fn working_day_rules_end_at_end_of_day() {
    let cal = WorkCalendar::shipped();
    let r = rule("written_request");
    // Across the New Year holidays of 2026.
    assert_eq!(
        compute_deadline(&r, at(2025, 12, 25, 10, 0), &cal),
        end_of(2026, 1, 20)
    );
    // 2.03.2026 (Mon): 9 March is off, so the 10th working day is 17 March.
    assert_eq!(
        compute_deadline(&r, at(2026, 3, 2, 0, 0), &cal),
        end_of(2026, 3, 17)
    );
    assert_eq!(
        compute_deadline(&r, at(2026, 3, 2, 23, 59), &cal),
        end_of(2026, 3, 17)
    );
    // Registered on a non-working day: counting starts with the next working day.
    let next = rule("basic_information");
    assert_eq!(
        compute_deadline(&next, at(2026, 3, 8, 12, 0), &cal),
        end_of(2026, 3, 10)
    );
    assert_eq!(
        compute_deadline(&next, at(2026, 5, 8, 17, 0), &cal),
        end_of(2026, 5, 12)
    );
    // Working Saturday 1.11.2025: a request on Friday 31.10 is due that Saturday.
    assert_eq!(
        compute_deadline(&next, at(2025, 10, 31, 17, 0), &cal),
        end_of(2025, 11, 1)
    );
}

#[test]
fn pauses_move_duration_rules() {
    let cal = WorkCalendar::shipped();
    let r = rule("ads_sewage_blockage");
    let reg = at(2026, 3, 2, 10, 0);
    let with = |p: &[Pause]| compute_deadline_with_pauses(&r, reg, p, &cal);
    assert_eq!(with(&[]), Some(at(2026, 3, 2, 12, 0)));
    assert_eq!(
        with(&[pause(at(2026, 3, 2, 10, 30), at(2026, 3, 2, 11, 30))]),
        Some(at(2026, 3, 2, 13, 0))
    );
    // Overlapping, unordered: the union 10:30–11:30 counts once.
    let overlapping = [
        pause(at(2026, 3, 2, 10, 45), at(2026, 3, 2, 11, 30)),
        pause(at(2026, 3, 2, 10, 30), at(2026, 3, 2, 11, 0)),
    ];
    assert_eq!(with(&overlapping), Some(at(2026, 3, 2, 13, 0)));
    // Before registration only the part after it counts; after the deadline nothing.
    assert_eq!(
        with(&[pause(at(2026, 3, 2, 9, 0), at(2026, 3, 2, 10, 30))]),
        Some(at(2026, 3, 2, 12, 30))
    );
    assert_eq!(
        with(&[pause(at(2026, 3, 2, 12, 30), at(2026, 3, 2, 15, 0))]),
        Some(at(2026, 3, 2, 12, 0))
    );
    // Open pause: no date while it matters; one opened after the deadline changes nothing.
    assert_eq!(
        with(&[Pause {
            from: at(2026, 3, 2, 11, 0),
            to: None
        }]),
        None
    );
    assert_eq!(
        with(&[Pause {
            from: at(2026, 3, 2, 12, 1),
            to: None
        }]),
        Some(at(2026, 3, 2, 12, 0))
    );
    // A pause that ends before it starts is ignored.
    assert_eq!(
        with(&[pause(at(2026, 3, 2, 11, 0), at(2026, 3, 2, 10, 30))]),
        Some(at(2026, 3, 2, 12, 0))
    );
}

#[test]
fn pauses_move_working_day_rules_by_working_days() {
    let cal = WorkCalendar::shipped();
    let r = rule("written_request");
    let reg = at(2026, 3, 2, 10, 0); // due 17.03 without pauses
    let with = |p: &[Pause]| compute_deadline_with_pauses(&r, reg, p, &cal);
    // Tue 3.03 → Thu 5.03: two working days (4 and 5 March).
    assert_eq!(
        with(&[pause(at(2026, 3, 3, 9, 0), at(2026, 3, 5, 9, 0))]),
        Some(end_of(2026, 3, 19))
    );
    // Fri 6.03 evening → Tue 10.03 morning: weekend and 9 March off, one working day (10.03).
    assert_eq!(
        with(&[pause(at(2026, 3, 6, 18, 0), at(2026, 3, 10, 9, 0))]),
        Some(end_of(2026, 3, 18))
    );
    // Within one day: no whole working day lost.
    assert_eq!(
        with(&[pause(at(2026, 3, 3, 9, 0), at(2026, 3, 3, 17, 0))]),
        Some(end_of(2026, 3, 17))
    );
    // Starting on the last day still counts; the day after, no longer.
    assert_eq!(
        with(&[pause(at(2026, 3, 17, 23, 0), at(2026, 3, 18, 9, 0))]),
        Some(end_of(2026, 3, 18))
    );
    assert_eq!(
        with(&[pause(at(2026, 3, 18, 0, 0), at(2026, 3, 19, 9, 0))]),
        Some(end_of(2026, 3, 17))
    );
    assert_eq!(
        with(&[Pause {
            from: at(2026, 3, 4, 9, 0),
            to: None
        }]),
        None
    );
}

#[test]
fn status_thresholds() {
    let cal = WorkCalendar::shipped();
    let due = at(2026, 3, 2, 12, 0);
    let s = |now| deadline_status(DeadlineUnit::Hours, due, now, &cal);
    assert_eq!(s(at(2026, 3, 2, 9, 59)), DeadlineStatus::Ok);
    assert_eq!(s(at(2026, 3, 2, 10, 0)), DeadlineStatus::AtRisk);
    assert_eq!(s(due), DeadlineStatus::AtRisk);
    assert_eq!(s(due + TimeDelta::seconds(1)), DeadlineStatus::Overdue);

    let due = end_of(2026, 3, 10); // Tuesday after the 9 March holiday
    let s = |now| deadline_status(DeadlineUnit::WorkingDays, due, now, &cal);
    assert_eq!(s(at(2026, 3, 5, 23, 0)), DeadlineStatus::Ok);
    assert_eq!(s(at(2026, 3, 6, 9, 0)), DeadlineStatus::AtRisk); // only 10.03 is left
    assert_eq!(s(at(2026, 3, 10, 23, 59)), DeadlineStatus::AtRisk);
    assert_eq!(s(at(2026, 3, 11, 0, 0)), DeadlineStatus::Overdue);
}

#[test]
fn current_status_freezes_time_left_in_open_pause() {
    let cal = WorkCalendar::shipped();
    let r = rule("ads_emergency_elimination"); // 72 h
    let reg = at(2026, 3, 2, 10, 0);
    let open = [Pause {
        from: at(2026, 3, 3, 10, 0),
        to: None,
    }];
    // 48 h left when paused; a week later still 48 h left.
    assert_eq!(
        current_status(&r, reg, &open, at(2026, 3, 10, 10, 0), &cal),
        DeadlineStatus::Ok
    );
    let late = [Pause {
        from: at(2026, 3, 6, 10, 0),
        to: None,
    }];
    assert_eq!(
        current_status(&r, reg, &late, at(2026, 3, 7, 10, 0), &cal),
        DeadlineStatus::Overdue
    );
    let r = rule("ads_sewage_blockage");
    let open = [Pause {
        from: at(2026, 3, 2, 11, 0),
        to: None,
    }];
    assert_eq!(
        current_status(&r, reg, &open, at(2026, 3, 2, 15, 0), &cal),
        DeadlineStatus::AtRisk
    );
}

#[test]
fn zoned_wrapper_uses_local_dates() {
    let cal = WorkCalendar::shipped();
    let msk = FixedOffset::east_opt(3 * 3600).unwrap();
    let r = rule("basic_information");
    // 22:30 UTC on Thursday 5.03 is already Friday 6.03 in Moscow: the next working day is
    // 10.03 there (weekend, 9 March off), but 6.03 when read in UTC.
    let utc = Utc.from_utc_datetime(&at(2026, 3, 5, 22, 30));
    let due = compute_deadline_in(&r, &utc.with_timezone(&msk), &cal);
    assert_eq!(due.naive_local(), end_of(2026, 3, 10));
    assert_eq!(due.naive_utc(), end_of(2026, 3, 10) - TimeDelta::hours(3));
    assert_eq!(
        compute_deadline_in(&r, &utc, &cal).naive_utc(),
        end_of(2026, 3, 6)
    );
    // from_local: a fixed offset has neither gaps nor overlaps.
    assert_eq!(
        from_local(&msk, at(2026, 3, 1, 3, 0)).naive_utc(),
        at(2026, 3, 1, 0, 0)
    );
}

#[test]
fn each_rule_counts_from_what_its_source_says() {
    let received = at(2026, 3, 5, 9, 0);
    let registered = at(2026, 3, 5, 12, 0);
    // ПП 354 п. 108: two hours from the report, so registering three hours late is overdue.
    let check = rule("quality_complaint_check");
    assert_eq!(check.counts_from, CountsFrom::Receipt);
    assert_eq!(check.start(received, registered), received);
    let cal = WorkCalendar::shipped();
    let due = compute_deadline(&check, check.start(received, registered), &cal);
    assert_eq!(due, at(2026, 3, 5, 11, 0));
    assert_eq!(
        deadline_status(check.unit, due, registered, &cal),
        DeadlineStatus::Overdue
    );
    // ПП 416 п. 13 localisation: from registration.
    let local = rule("ads_localisation");
    assert_eq!(local.start(received, registered), registered);
    assert_eq!(rule("appeal_59fz").counts_from, CountsFrom::Registration);
    assert_eq!(
        rule("ads_emergency_elimination").counts_from,
        CountsFrom::Receipt
    );
    // A receipt typed later than the registration never delays the start.
    assert_eq!(check.start(registered, received), received);
    // A rule stored before the field existed counts from registration.
    let old: DeadlineRule =
        serde_json::from_str(r#"{"code":"x","title":"x","amount":1,"unit":"hours","source":"x"}"#)
            .unwrap();
    assert_eq!(old.counts_from, CountsFrom::Registration);
}
