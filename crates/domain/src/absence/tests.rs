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
