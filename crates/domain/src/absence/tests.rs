use chrono::NaiveDate;
use proptest::prelude::*;

use super::*;

fn d(m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, day).unwrap()
}

fn water(month: NaiveDate, kopecks: i64) -> ChargeLine {
    ChargeLine {
        service: Some(Service::ColdWater),
        month,
        charge_kopecks: kopecks,
        metered: false,
        meter_impossible_act: true,
        gas_for_heating: false,
        persons: None,
    }
}

fn run(a: Absence, lines: &[ChargeLine]) -> Assessment {
    assess(
        &AbsenceRules::default(),
        &WorkCalendar::shipped(),
        &a,
        lines,
    )
    .unwrap()
}

#[test]
fn five_full_days_are_refused_six_qualify() {
    let five = run(
        Absence {
            left_on: d(3, 1),
            returned_on: d(3, 7),
            applied_on: d(3, 9),
        },
        &[water(d(3, 1), 31_00)],
    );
    assert_eq!(five.full_days, 5);
    assert!(five
        .refusal
        .as_deref()
        .unwrap()
        .contains("не менее 6 полных суток"));
    assert!(five.lines.is_empty() && five.total_kopecks == 0);
    let six = run(
        Absence {
            left_on: d(3, 1),
            returned_on: d(3, 8),
            applied_on: d(3, 9),
        },
        &[water(d(3, 1), 31_00)],
    );
    assert_eq!(
        (six.full_days, six.refusal.as_deref(), six.total_kopecks),
        (6, None, 6_00)
    );
}

#[test]
fn the_thirtieth_day_after_return_is_in_time_the_thirty_first_is_late() {
    let on = |applied| {
        run(
            Absence {
                left_on: d(3, 1),
                returned_on: d(3, 10),
                applied_on: applied,
            },
            &[],
        )
    };
    assert_eq!(on(d(4, 9)).refusal, None);
    assert!(on(d(4, 10))
        .refusal
        .as_deref()
        .unwrap()
        .contains("не позднее 09.04.2026"));
    assert_eq!(on(d(2, 20)).refusal, None); // before leaving
}

#[test]
fn return_before_leaving_is_refused_naming_the_field() {
    let e = assess(
        &AbsenceRules::default(),
        &WorkCalendar::shipped(),
        &Absence {
            left_on: d(3, 10),
            returned_on: d(3, 10),
            applied_on: d(3, 11),
        },
        &[],
    )
    .unwrap_err();
    assert!(e.for_field("returned_on").is_some());
}

#[test]
fn each_service_by_its_rule() {
    let a = Absence {
        left_on: d(3, 1),
        returned_on: d(3, 12),
        applied_on: d(3, 13),
    };
    let base = water(d(3, 1), 31_00);
    let lines = [
        base,
        ChargeLine {
            service: Some(Service::HotWater),
            metered: true,
            ..base
        },
        ChargeLine {
            service: Some(Service::Sewage),
            meter_impossible_act: false,
            ..base
        },
        ChargeLine {
            service: Some(Service::Heating),
            ..base
        },
        ChargeLine {
            service: Some(Service::Gas),
            gas_for_heating: true,
            ..base
        },
        ChargeLine {
            service: Some(Service::Gas),
            ..base
        },
        ChargeLine {
            service: Some(Service::Waste),
            metered: true,
            meter_impossible_act: false,
            ..base
        },
        ChargeLine {
            service: Some(Service::Electricity),
            ..base
        },
        ChargeLine {
            service: None,
            ..base
        },
    ];
    let r = run(a, &lines);
    let recalculated: Vec<bool> = r
        .lines
        .iter()
        .map(|(_, o)| matches!(o, LineOutcome::Recalculated { .. }))
        .collect();
    assert_eq!(
        recalculated,
        [true, false, false, false, false, true, true, true, false]
    );
    // 10 full days of 31 of a 31,00 ₽ charge: 10,00 ₽ each for four lines.
    assert_eq!(r.total_kopecks, 4 * 10_00);
    let LineOutcome::NotRecalculated { reason } = &r.lines[2].1 else {
        panic!()
    };
    assert!(reason.contains("акта"));
}

#[test]
fn an_absence_across_months_splits_by_days_in_each() {
    let a = Absence {
        left_on: d(1, 25),
        returned_on: d(2, 10),
        applied_on: d(2, 11),
    };
    let r = run(
        a,
        &[
            water(d(1, 1), 31_00),
            water(d(2, 1), 28_00),
            water(d(3, 1), 31_00),
        ],
    );
    let days: Vec<u32> = r
        .lines
        .iter()
        .map(|(_, o)| match o {
            LineOutcome::Recalculated { absent_days, .. } => *absent_days,
            _ => 99,
        })
        .collect();
    assert_eq!(days, [6, 9, 0]);
    assert_eq!(r.total_kopecks, 6_00 + 9_00);
}

#[test]
fn the_decision_is_due_in_five_working_days() {
    // Applied on Friday 06.03.2026; 09.03 is a holiday (8 March moved), so 10–13.03, 16.03.
    let r = run(
        Absence {
            left_on: d(2, 1),
            returned_on: d(2, 20),
            applied_on: d(3, 6),
        },
        &[],
    );
    let cal = WorkCalendar::shipped();
    assert_eq!(r.decide_by, cal.add_working_days(d(3, 6), 5));
    assert!(r.decide_by > d(3, 12));
}

proptest! {
    #[test]
    fn months_share_the_days_without_losing_any(left in 0u32..400, away in 1u32..120, charge in 0i64..50_000_00) {
        let left_on = d(1, 1) + chrono::Days::new(u64::from(left));
        let returned_on = left_on + chrono::Days::new(u64::from(away));
        let a = Absence { left_on, returned_on, applied_on: returned_on };
        let months: Vec<ChargeLine> = (0..20).map(|m| water(d(1, 1) + chrono::Months::new(m), charge)).collect();
        let r = run(a, &months);
        let full = full_days(left_on, returned_on);
        if r.refusal.is_none() {
            let mut sum = 0;
            for (line, o) in &r.lines {
                let LineOutcome::Recalculated { absent_days, days_in_month, kopecks } = o else { panic!() };
                prop_assert!(*kopecks >= 0 && *kopecks <= line.charge_kopecks);
                prop_assert!(absent_days <= days_in_month);
                sum += absent_days;
            }
            prop_assert_eq!(sum, full);
        } else {
            prop_assert!(full < 6);
        }
    }
}

fn check(a: Absence, persons: usize) -> Result<(), ValidationErrors> {
    check_application(
        &AbsenceRules::default(),
        &a,
        d(6, 1),
        "командировка",
        "командировочное удостоверение",
        a.applied_on,
        persons,
    )
}

#[test]
fn an_absence_of_five_days_is_refused_at_its_field_six_pass() {
    let five = check(
        Absence {
            left_on: d(3, 1),
            returned_on: d(3, 7),
            applied_on: d(3, 9),
        },
        1,
    )
    .unwrap_err();
    assert!(five
        .for_field("returned_on")
        .unwrap()
        .contains("Отсутствие 5 полн. суток"));
    assert!(check(
        Absence {
            left_on: d(3, 1),
            returned_on: d(3, 8),
            applied_on: d(3, 9),
        },
        1
    )
    .is_ok());
}

#[test]
fn an_application_names_every_missing_field() {
    let e = check_application(
        &AbsenceRules::default(),
        &Absence {
            left_on: d(3, 1),
            returned_on: d(3, 20),
            applied_on: d(7, 1),
        },
        d(6, 1),
        " ",
        "",
        d(6, 2),
        0,
    )
    .unwrap_err();
    for field in [
        "applied_on",
        "documents_received_on",
        "reason",
        "documents",
        "persons",
    ] {
        assert!(e.for_field(field).is_some(), "{field}");
    }
}

#[test]
fn a_late_application_is_refused_with_the_rule_as_reason() {
    let r = run(
        Absence {
            left_on: d(3, 1),
            returned_on: d(3, 10),
            applied_on: d(4, 10),
        },
        &[water(d(3, 1), 31_00)],
    );
    let reason = r.refusal_reason().unwrap();
    assert!(reason.contains("не позднее 09.04.2026") && reason.contains("30 дней"));
}

#[test]
fn a_metered_service_alone_is_refused_because_of_the_meter() {
    let a = Absence {
        left_on: d(3, 1),
        returned_on: d(3, 12),
        applied_on: d(3, 13),
    };
    let metered = ChargeLine {
        metered: true,
        ..water(d(3, 1), 31_00)
    };
    let r = run(a, &[metered]);
    assert_eq!(r.refusal, None);
    assert!(r
        .refusal_reason()
        .unwrap()
        .contains("Установлен прибор учёта"));
    assert_eq!(
        run(a, &[]).refusal_reason().unwrap(),
        NOTHING_TO_RECALCULATE
    );
    assert_eq!(run(a, &[water(d(3, 1), 31_00)]).refusal_reason(), None);
}

#[test]
fn a_charge_per_person_comes_off_for_the_absent_persons_only() {
    let a = Absence {
        left_on: d(3, 1),
        returned_on: d(3, 12),
        applied_on: d(3, 13),
    };
    // 10 days of 31 of 93,00 ₽ for 3 persons, one away: 93,00 × 10/31 × 1/3 = 10,00 ₽.
    let line = ChargeLine {
        persons: Some(PersonShare {
            absent: 1,
            counted: 3,
        }),
        ..water(d(3, 1), 93_00)
    };
    assert_eq!(run(a, &[line]).total_kopecks, 10_00);
    // Everyone away: the whole share, as without persons.
    let all = ChargeLine {
        persons: Some(PersonShare {
            absent: 3,
            counted: 3,
        }),
        ..line
    };
    assert_eq!(run(a, &[all]).total_kopecks, 30_00);
    // Rounding half up to the kopeck: 1,00 ₽ × 1/31 = 3,2258… → 3 kopecks; × 16/31 → 52.
    assert_eq!(share_kopecks(1_00, 1, 31, None), 3);
    assert_eq!(share_kopecks(1_00, 16, 31, None), 52);
    // 1 kopeck × 1/2 → 0,5 rounds up.
    assert_eq!(share_kopecks(1, 1, 2, None), 1);
}

proptest! {
    #[test]
    fn the_share_is_never_negative_never_above_the_charge_and_grows_with_days(
        charge in -1_000_00i64..100_000_00,
        days in 0u32..31,
        dim in 28u32..32,
        absent in 0u32..6,
        counted in 0u32..6,
    ) {
        let persons = Some(PersonShare { absent, counted });
        let k = share_kopecks(charge, days, dim, persons);
        prop_assert!(k >= 0);
        prop_assert!(k <= charge.max(0));
        prop_assert!(share_kopecks(charge, days + 1, dim, persons) >= k);
        prop_assert!(share_kopecks(charge, dim, dim, None) == charge.max(0));
    }
}
