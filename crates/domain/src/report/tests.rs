use chrono::{NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;

use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

#[test]
fn periods_parse_and_name_themselves_in_russian() {
    let m = ReportPeriod::parse("2026-11").unwrap();
    assert_eq!(
        (m.from, m.to, m.title()),
        (d(2026, 11, 1), d(2026, 11, 30), "ноябрь 2026".into())
    );
    let q = ReportPeriod::parse("2026-Q4").unwrap();
    assert_eq!(
        (q.from, q.to, q.title()),
        (d(2026, 10, 1), d(2026, 12, 31), "IV квартал 2026".into())
    );
    let y = ReportPeriod::parse("2024").unwrap();
    assert_eq!((y.days(), y.title()), (366, "2024 год".into()));
    assert_eq!(
        ReportPeriod::range(d(2026, 11, 1), d(2026, 11, 15)).title(),
        "01.11.2026 — 15.11.2026"
    );
    for bad in ["", "2026-13", "2026-Q5", "ноябрь", "26-11", "2026-"] {
        let e = ReportPeriod::parse(bad).unwrap_err();
        assert!(e.for_field("period").unwrap().contains("2026-Q4"), "{bad}");
    }
}

#[test]
fn bad_periods_name_the_field_and_the_fix() {
    let today = d(2026, 12, 6);
    let backwards = ReportPeriod::range(d(2026, 11, 30), d(2026, 11, 1))
        .validate(today)
        .unwrap_err();
    assert!(backwards
        .for_field("to")
        .unwrap()
        .contains("раньше его начала"));
    let future = ReportPeriod::month_of(d(2027, 1, 1))
        .validate(today)
        .unwrap_err();
    assert!(future
        .for_field("from")
        .unwrap()
        .contains("ещё не наступило"));
    let long = ReportPeriod::range(d(2016, 1, 1), d(2026, 1, 1))
        .validate(today)
        .unwrap_err();
    assert!(long.for_field("to").unwrap().contains("10 лет"));
    assert!(ReportPeriod::range(d(2016, 1, 2), d(2026, 1, 1))
        .validate(today)
        .is_ok());
    // The current month, not over yet, is a valid period.
    assert!(ReportPeriod::month_of(today).validate(today).is_ok());
}

#[test]
fn previous_and_year_earlier_periods() {
    let mar = ReportPeriod::month(2024, 3).unwrap();
    assert_eq!(mar.previous(), ReportPeriod::month(2024, 2).unwrap());
    assert_eq!(mar.previous().to, d(2024, 2, 29));
    assert_eq!(mar.year_earlier(), ReportPeriod::month(2023, 3).unwrap());
    let jan = ReportPeriod::month(2026, 1).unwrap();
    assert_eq!(jan.previous(), ReportPeriod::month(2025, 12).unwrap());
    let q1 = ReportPeriod::quarter(2026, 1).unwrap();
    assert_eq!(q1.previous(), ReportPeriod::quarter(2025, 4).unwrap());
    assert_eq!(
        ReportPeriod::year(2026).unwrap().previous(),
        ReportPeriod::year(2025).unwrap()
    );
    let r = ReportPeriod::range(d(2026, 11, 10), d(2026, 11, 19));
    assert_eq!(
        r.previous(),
        ReportPeriod::range(d(2026, 10, 31), d(2026, 11, 9))
    );
    let leap = ReportPeriod::range(d(2024, 2, 29), d(2024, 3, 5));
    assert_eq!(
        leap.year_earlier(),
        ReportPeriod::range(d(2023, 2, 28), d(2023, 3, 5))
    );
}

#[test]
fn a_month_in_yekaterinburg_starts_and_ends_at_local_midnight() {
    let tz: Tz = "Asia/Yekaterinburg".parse().unwrap();
    let (start, end) = ReportPeriod::month(2026, 10).unwrap().utc_bounds(tz);
    assert_eq!(start, Utc.with_ymd_and_hms(2026, 9, 30, 19, 0, 0).unwrap());
    assert_eq!(end, Utc.with_ymd_and_hms(2026, 10, 31, 19, 0, 0).unwrap());
    // 23:30 local on 31.10 is 18:30 UTC on 31.10: inside; 00:30 local on 01.11 is outside.
    let late = Utc.with_ymd_and_hms(2026, 10, 31, 18, 30, 0).unwrap();
    let next = Utc.with_ymd_and_hms(2026, 10, 31, 19, 30, 0).unwrap();
    assert!(start <= late && late < end);
    assert!(next >= end);
}

#[test]
fn a_missing_local_midnight_starts_the_day_at_its_first_instant() {
    // Moscow skipped 02:00–03:00 on 27.03.2011, not midnight; Santiago skips midnight.
    let tz: Tz = "America/Santiago".parse().unwrap();
    let (start, _) = ReportPeriod::range(d(2022, 9, 11), d(2022, 9, 11)).utc_bounds(tz);
    assert_eq!(start, Utc.with_ymd_and_hms(2022, 9, 11, 4, 0, 0).unwrap());
}

#[test]
fn billing_months_of_a_period() {
    assert_eq!(
        ReportPeriod::quarter(2026, 4).unwrap().billing_months(),
        ["2026-10", "2026-11", "2026-12"]
    );
    assert_eq!(
        ReportPeriod::range(d(2026, 1, 31), d(2026, 2, 1)).billing_months(),
        ["2026-01", "2026-02"]
    );
}

#[test]
fn plan_against_fact() {
    let rate = PlanFact {
        measure: PlanMeasure::CollectionRate,
        plan: 9_500,
        fact: ratio_bp(955, 1_000),
    };
    assert_eq!(
        (rate.fact, rate.deviation(), rate.met()),
        (Some(9_550), Some(50), Some(true))
    );
    assert_eq!(PlanMeasure::CollectionRate.format(9_550), "95,5 %");
    let overdue = PlanFact {
        measure: PlanMeasure::OverdueAtMonthEnd,
        plan: 10,
        fact: Some(12),
    };
    assert_eq!((overdue.deviation(), overdue.met()), (Some(2), Some(false)));
    assert_eq!(PlanMeasure::OverdueAtMonthEnd.format(1_250), "1 250");
    let none = PlanFact {
        measure: PlanMeasure::OnTimeShare,
        plan: 9_000,
        fact: ratio_bp(0, 0),
    };
    assert_eq!((none.fact, none.met()), (None, None));
    assert_eq!(PlanMeasure::DebtReduction.format(-1_250_00), "-1 250,00 ₽");
    assert_eq!(PlanMeasure::AverageRating.format(425), "4,25");
    for m in PlanMeasure::ALL {
        assert_eq!(PlanMeasure::parse(m.code()), Some(m));
    }
}

#[test]
fn ratios_round_half_up_in_basis_points() {
    assert_eq!(ratio_bp(1, 3), Some(3_333));
    assert_eq!(ratio_bp(2, 3), Some(6_667));
    assert_eq!(ratio_bp(1, 20_000), Some(1)); // 0,5 б.п.
    assert_eq!(ratio_bp(-1, 3), Some(-3_333));
    assert_eq!(ratio_bp(5, 0), None);
}
