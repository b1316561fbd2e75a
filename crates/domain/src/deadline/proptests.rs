//! Property tests of the deadline computation against brute-force scans.

use super::tests::{at, custom, end_of, pause, rule};
use super::*;
use chrono::Timelike;
use proptest::prelude::*;

fn minutes(n: i64) -> TimeDelta {
    TimeDelta::minutes(n)
}

fn any_pauses(base: NaiveDateTime) -> impl Strategy<Value = Vec<Pause>> {
    prop::collection::vec((0i64..600, 0i64..300), 0..4).prop_map(move |v| {
        v.into_iter()
            .map(|(s, len)| pause(base + minutes(s - 60), base + minutes(s - 60 + len)))
            .collect()
    })
}

fn paused_at(pauses: &[Pause], t: NaiveDateTime) -> bool {
    pauses
        .iter()
        .any(|p| p.from <= t && p.to.is_some_and(|to| t < to))
}

proptest! {
    /// Minute by minute: the clock ran exactly `amount` minutes (inside the window, outside
    /// pauses) before the deadline, and the last minute before it did count.
    #[test]
    fn duration_rules_match_a_minute_scan(
        day in 0u64..700, start in 0i64..1440, pauses in any_pauses(at(2025, 1, 1, 0, 0)),
        amount in 1u32..300, windowed in any::<bool>(),
    ) {
        let cal = WorkCalendar::shipped();
        let shift = TimeDelta::days(day as i64);
        let reg = at(2025, 1, 1, 0, 0) + shift + minutes(start);
        let pauses: Vec<Pause> = pauses.iter().map(|p| pause(p.from + shift + minutes(start), p.to.unwrap() + shift + minutes(start))).collect();
        let mut r = custom(amount, DeadlineUnit::Minutes);
        if windowed {
            r.only_between = rule("ads_refuse_chute_blockage").only_between;
        }
        let due = compute_deadline_with_pauses(&r, reg, &pauses, &cal).unwrap();
        let counts = |t: NaiveDateTime| {
            !paused_at(&pauses, t) && (!windowed || (8..23).contains(&t.hour()))
        };
        let mut ran = 0;
        let mut t = reg;
        while t < due {
            ran += u32::from(counts(t));
            t += minutes(1);
        }
        prop_assert_eq!(ran, amount);
        prop_assert!(counts(due - minutes(1)));
        prop_assert!(due >= compute_deadline(&r, reg, &cal));
    }

    #[test]
    fn working_day_deadlines_are_working_days_and_monotone(
        day in 0u64..700, amount in 1u32..30, pauses in any_pauses(at(2025, 1, 1, 0, 0)),
        stretch in 1i64..2000,
    ) {
        let cal = WorkCalendar::shipped();
        let reg = at(2025, 1, 1, 9, 0) + TimeDelta::days(day as i64);
        // Pauses spread over days rather than minutes.
        let pauses: Vec<Pause> = pauses.iter().map(|p| {
            let from = reg + (p.from - at(2025, 1, 1, 0, 0)) * stretch as i32 / 60;
            pause(from, from + (p.to.unwrap() - p.from) * stretch as i32 / 60)
        }).collect();
        let r = custom(amount, DeadlineUnit::WorkingDays);
        let plain = compute_deadline(&r, reg, &cal);
        let due = compute_deadline_with_pauses(&r, reg, &pauses, &cal).unwrap();
        prop_assert!(cal.is_working_day(due.date()));
        prop_assert_eq!(due.time(), END_OF_DAY);
        prop_assert!(due >= plain);
        prop_assert_eq!(cal.working_days_between(reg.date(), plain.date()), i64::from(amount));
        let more = compute_deadline_with_pauses(&custom(amount + 1, DeadlineUnit::WorkingDays), reg, &pauses, &cal).unwrap();
        prop_assert!(more > due);
    }

    #[test]
    fn overdue_exactly_after_the_deadline(offset in -5000i64..5000, hours in any::<bool>()) {
        let cal = WorkCalendar::shipped();
        let unit = if hours { DeadlineUnit::Hours } else { DeadlineUnit::WorkingDays };
        let due = end_of(2026, 3, 17);
        let now = due + minutes(offset);
        let status = deadline_status(unit, due, now, &cal);
        prop_assert_eq!(status == DeadlineStatus::Overdue, offset > 0);
    }
}
