//! Payments without a named period and the limitation period (Пленум ВС РФ № 22, п. 32).

use chrono::NaiveDate;

use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn entry(id: i64, kind: EntryKind, period: Period, amount: i64, date: NaiveDate) -> Entry {
    Entry {
        id,
        kind,
        period,
        service: (kind == EntryKind::Charge).then(|| "heating".into()),
        amount,
        date,
        paid_period: None,
        reverses: None,
        for_penalties: false,
    }
}

/// Due on the 10th of the next month; barred three years later.
fn barred(period: Period, on: NaiveDate) -> bool {
    let due = period.next().first_day().with_day0(9).unwrap();
    due < on.with_year(on.year() - 3).unwrap()
}

use chrono::Datelike;

#[test]
fn unnamed_money_pays_periods_within_the_limitation_first() {
    let old = Period::new(2020, 1).unwrap();
    let recent = Period::new(2025, 6).unwrap();
    let e = vec![
        entry(1, EntryKind::Charge, old, 1_000_00, d(2020, 1, 31)),
        entry(2, EntryKind::Charge, recent, 1_000_00, d(2025, 6, 30)),
        entry(3, EntryKind::Payment, recent, 600_00, d(2026, 3, 1)),
    ];
    let on = d(2026, 11, 1);
    let rule = AllocationRule::NamedPeriodThenOldest;
    // Oldest first (ГК ст. 319.1 ч. 3 alone) pays the time-barred January 2020.
    let plain = allocate(&e, on, rule);
    assert_eq!(
        (plain.lines[0].remaining(), plain.lines[1].remaining()),
        (400_00, 1_000_00)
    );
    let limited = allocate_within_limitation(&e, on, rule, PenaltyCredit::default(), &barred);
    assert_eq!(
        (limited.lines[0].remaining(), limited.lines[1].remaining()),
        (1_000_00, 400_00)
    );
    assert_eq!(
        limited.debt(),
        plain.debt(),
        "the same money, placed elsewhere"
    );
}

#[test]
fn a_payment_made_before_the_limitation_ran_out_still_pays_the_oldest() {
    let old = Period::new(2020, 1).unwrap();
    let later = Period::new(2021, 6).unwrap();
    let e = vec![
        entry(1, EntryKind::Charge, old, 1_000_00, d(2020, 1, 31)),
        entry(2, EntryKind::Charge, later, 1_000_00, d(2021, 6, 30)),
        // Paid in 2021: January 2020 was well within the limitation then.
        entry(3, EntryKind::Payment, later, 600_00, d(2021, 8, 1)),
    ];
    let out = allocate_within_limitation(
        &e,
        d(2026, 11, 1),
        AllocationRule::NamedPeriodThenOldest,
        PenaltyCredit::default(),
        &barred,
    );
    assert_eq!(out.lines[0].remaining(), 400_00);
    assert_eq!(out.lines[1].remaining(), 1_000_00);
}
