use super::*;
use chrono::Weekday;
use proptest::prelude::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// Plain day-by-day reference implementation, to check the bitset arithmetic against.
fn naive_add(cal: &WorkCalendar, mut date: NaiveDate, n: u32) -> NaiveDate {
    for _ in 0..n {
        date = date.succ_opt().unwrap();
        while !cal.is_working_day(date) {
            date = date.succ_opt().unwrap();
        }
    }
    date
}

#[test]
fn shipped_years_have_247_working_days() {
    let cal = WorkCalendar::shipped();
    assert_eq!(cal.working_days_in_year(2025), 247);
    assert_eq!(cal.working_days_in_year(2026), 247);
    assert_eq!(
        cal.source(2025),
        &CalendarSource::Decree {
            reference: "ПП РФ от 04.10.2024 № 1335".into()
        }
    );
    assert!(matches!(cal.source(2026), CalendarSource::Decree { .. }));
    assert_eq!(cal.source(2027), &CalendarSource::BaseRules);
}

#[test]
fn specific_days_of_2025_and_2026() {
    let cal = WorkCalendar::shipped();
    let working = [
        d(2025, 1, 9),
        d(2025, 11, 1), // working Saturday (ПП 1335)
        d(2025, 12, 30),
        d(2026, 1, 12),
        d(2026, 3, 10),
        d(2026, 12, 30),
    ];
    let off = [
        d(2025, 1, 1),
        d(2025, 1, 8),
        d(2025, 5, 2),
        d(2025, 11, 2),
        d(2025, 11, 3),
        d(2025, 12, 31),
        d(2026, 1, 9),
        d(2026, 2, 23),
        d(2026, 3, 9), // 8 March falls on Sunday
        d(2026, 5, 11),
        d(2026, 12, 31),
    ];
    for day in working {
        assert!(cal.is_working_day(day), "{day} must be working");
    }
    for day in off {
        assert!(!cal.is_working_day(day), "{day} must be off");
    }
    // 2026 has no working Saturdays.
    let saturdays_2026 = (0..365)
        .map(|i| d(2026, 1, 1) + Days::new(i))
        .filter(|x| x.weekday() == Weekday::Sat);
    assert!(saturdays_2026.into_iter().all(|x| !cal.is_working_day(x)));
}

#[test]
fn add_working_days_across_new_year() {
    let cal = WorkCalendar::shipped();
    // 30.12.2025 (Tue): 31.12 and 1–11.01 are off, so the first working day is 12.01.2026.
    assert_eq!(cal.add_working_days(d(2025, 12, 30), 1), d(2026, 1, 12));
    assert_eq!(cal.add_working_days(d(2025, 12, 29), 1), d(2025, 12, 30));
    assert_eq!(cal.add_working_days(d(2025, 12, 29), 2), d(2026, 1, 12));
    assert_eq!(cal.add_working_days(d(2025, 12, 25), 10), d(2026, 1, 20));
    assert_eq!(
        cal.working_days_between(d(2025, 12, 25), d(2026, 1, 20)),
        10
    );
    assert_eq!(cal.add_working_days(d(2025, 1, 1), 247), d(2025, 12, 30));
    assert_eq!(cal.add_working_days(d(2025, 1, 1), 248), d(2026, 1, 12));
    assert_eq!(cal.add_working_days(d(2024, 12, 31), 0), d(2024, 12, 31));
    // Into 2027, built from the base rules: 1–8 Jan off, 11.01.2027 is a Monday.
    assert_eq!(cal.add_working_days(d(2026, 12, 30), 1), d(2027, 1, 11));
}

#[test]
fn next_working_day_and_counting() {
    let cal = WorkCalendar::shipped();
    assert_eq!(
        cal.next_working_day_on_or_after(d(2025, 11, 1)),
        d(2025, 11, 1)
    );
    assert_eq!(
        cal.next_working_day_on_or_after(d(2025, 11, 2)),
        d(2025, 11, 5)
    );
    assert_eq!(
        cal.next_working_day_on_or_after(d(2026, 3, 7)),
        d(2026, 3, 10)
    );
    assert_eq!(cal.working_days_between(d(2026, 3, 6), d(2026, 3, 10)), 1);
    assert_eq!(cal.working_days_between(d(2026, 3, 10), d(2026, 3, 6)), -1);
    assert_eq!(cal.working_days_between(d(2026, 3, 6), d(2026, 3, 6)), 0);
    assert_eq!(
        cal.working_days_between(d(2024, 12, 31), d(2026, 12, 31)),
        494
    );
}

#[test]
fn base_rules_follow_tk_112() {
    let cal = WorkCalendar::base_rules_only();
    // 2027 has no decree: 1.05 (Sat) moves to 3.05, 9.05 (Sun) to 10.05, 12.06 (Sat) to 14.06;
    // January weekend holidays are not moved.
    for off in [d(2027, 1, 8), d(2027, 2, 23), d(2027, 5, 3), d(2027, 5, 10)] {
        assert!(!cal.is_working_day(off), "{off}");
    }
    assert!(!cal.is_working_day(d(2027, 6, 14)));
    assert!(cal.is_working_day(d(2027, 1, 11)));
    assert!(cal.is_working_day(d(2027, 5, 4)));
    assert_eq!(cal.working_days_in_year(2027), 249);
    let y = cal.year(2027);
    assert_eq!(y.source(), &CalendarSource::BaseRules);
    assert_eq!(y.working_days(), 249);
    assert_eq!(y.non_working().len(), 12);
    // 2025 by base rules differs from the decree: 24.02 (for 23.02, Sunday) would be off.
    assert!(!cal.is_working_day(d(2025, 2, 24)));
    assert!(WorkCalendar::shipped().is_working_day(d(2025, 2, 24)));
    // 2022: 1.05 (Sun) → 2.05; 8.03 (Tue) stays; 12.06 (Sun) → 13.06.
    assert!(!cal.is_working_day(d(2022, 5, 2)));
    assert!(!cal.is_working_day(d(2022, 6, 13)));
    assert!(cal.is_working_day(d(2022, 3, 9)));
}

#[test]
fn json_round_trip_and_replace() {
    let cal = WorkCalendar::shipped();
    let again = WorkCalendar::from_json(&cal.to_json()).unwrap();
    assert_eq!(again, cal);
    let y2025 = cal.year(2025);
    assert_eq!(YearCalendar::from_json(&y2025.to_json()).unwrap(), y2025);

    // An administrator loads a 2027 decree with a working Saturday.
    let mut cal = cal;
    cal.load_json(
        r#"{"year":2027,"source":"ПП РФ (тест)","non_working":["2027-01-01","2027-01-04"],
            "working_weekends":["2027-01-09"]}"#,
    )
    .unwrap();
    assert!(cal.is_working_day(d(2027, 1, 9)));
    assert!(cal.is_working_day(d(2027, 1, 5)));
    assert!(!cal.is_working_day(d(2027, 1, 4)));
    assert_eq!(cal.working_days_in_year(2027), 261 - 2 + 1);
    assert!(cal.remove_year(2027).is_some());
    assert_eq!(cal.working_days_in_year(2027), 249);
}

#[test]
fn invalid_files_are_explained_in_russian() {
    let err = YearCalendar::from_json(
        r#"{"year":2025,"source":"ПП","non_working":["2024-12-31","2025-01-04","2025-01-03",
            "2025-01-03","05.01.2025"],"working_weekends":["2025-11-03"]}"#,
    )
    .unwrap_err();
    // The unparsable date is reported first, alone (the others need parsed dates).
    assert_eq!(err.0.len(), 1);
    assert!(err
        .for_field("non_working[4]")
        .unwrap()
        .contains("ГГГГ-ММ-ДД"));

    let err = YearCalendar::from_json(
        r#"{"year":2025,"source":"ПП","non_working":["2024-12-31","2025-01-04","2025-01-03",
            "2025-01-03"],"working_weekends":["2025-11-03"]}"#,
    )
    .unwrap_err();
    let msg = |f: &str| err.for_field(f).unwrap_or_default().to_string();
    assert!(msg("non_working[0]").contains("31.12.2024"));
    assert!(msg("non_working[0]").contains("2025"));
    assert!(msg("non_working[1]").contains("04.01.2025 — суббота"));
    assert!(err.for_field("non_working[2]").is_none());
    assert!(msg("non_working[3]").contains("дважды"));
    assert!(msg("working_weekends[0]").contains("03.11.2025 — понедельник"));
    assert_eq!(err.0.len(), 4);

    let err = YearCalendar::from_json(r#"{"year":2027,"source":" ","non_working":[]}"#);
    assert!(err.unwrap_err().for_field("source").is_some());
    let err = YearCalendar::from_json(r#"{"year":2027,"non_working":[],"extra":1}"#);
    assert!(err.unwrap_err().for_field("json").is_some());
    // A base-rules year is written with no source and must get one before loading.
    let base = WorkCalendar::default().year(2027).to_json();
    assert!(base.contains("\"source\": null"));
    assert!(YearCalendar::from_json(&base).is_err());
    let named = base.replace("\"source\": null", "\"source\": \"ПП РФ (2027)\"");
    assert_eq!(YearCalendar::from_json(&named).unwrap().working_days(), 249);
}

#[test]
fn bad_array_loads_nothing() {
    let mut cal = WorkCalendar::shipped();
    let before = cal.clone();
    let err = cal
        .load_json(
            r#"[{"year":2027,"source":"ПП","non_working":[]},
                {"year":2027,"source":"ПП","non_working":[]},
                {"year":2028,"source":"ПП","non_working":["2028-01-01"],"working_weekends":["2028-01-03"]}]"#,
        )
        .unwrap_err();
    assert!(err.for_field("[1].year").unwrap().contains("дважды"));
    assert!(err.for_field("[2].working_weekends[0]").is_some());
    assert_eq!(cal, before);
    assert!(WorkCalendar::from_json("not json").is_err());
}

fn any_date() -> impl Strategy<Value = NaiveDate> {
    (2000i32..2040, 0u64..366).prop_map(|(y, o)| d(y, 1, 1) + Days::new(o))
}

proptest! {
    #[test]
    fn add_working_days_properties(start in any_date(), n in 0u32..600) {
        let cal = WorkCalendar::shipped();
        let end = cal.add_working_days(start, n);
        if n > 0 {
            prop_assert!(cal.is_working_day(end));
            prop_assert!(end > start);
            prop_assert!(cal.add_working_days(start, n - 1) < end);
        }
        prop_assert_eq!(cal.working_days_between(start, end), i64::from(n));
        prop_assert_eq!(end, naive_add(&cal, start, n));
    }

    #[test]
    fn between_is_additive_and_antisymmetric(a in any_date(), b in any_date(), c in any_date()) {
        let cal = WorkCalendar::shipped();
        prop_assert_eq!(
            cal.working_days_between(a, b) + cal.working_days_between(b, c),
            cal.working_days_between(a, c)
        );
        prop_assert_eq!(cal.working_days_between(a, b), -cal.working_days_between(b, a));
    }

    #[test]
    fn next_working_day_is_the_first_one(start in any_date()) {
        let cal = WorkCalendar::shipped();
        let next = cal.next_working_day_on_or_after(start);
        prop_assert!(cal.is_working_day(next));
        let mut x = start;
        while x < next {
            prop_assert!(!cal.is_working_day(x));
            x = x.succ_opt().unwrap();
        }
    }

    #[test]
    fn base_years_have_plausible_size(year in 1990i32..2200) {
        // 365/366 days minus ~104 weekend days minus 6–14 holidays.
        let n = WorkCalendar::default().working_days_in_year(year);
        prop_assert!((245..=255).contains(&n), "{year}: {n}");
    }
}
