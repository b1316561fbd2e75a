//! The monthly penalty run, per account: which month may be run, and which lines a run posts
//! so that the result does not depend on the order months are run in.
//!
//! A run for month P brings the penalty posted for P and earlier to the penalty accrued by the
//! end of P (`target`). Months already run form boundaries: the line of a month L covers the
//! accrual since the previous boundary. Running a month P for the first time when a later
//! month was run before (October, then August) splits that month's line: P gets its accrual
//! and the later month the same amount less, so the total is the one of running them in order.
//! When a later month was run, the latest one also takes whatever brings the account's total
//! to the penalty accrued by its end (late payments, reversals and recalculations imported
//! since): after every run the total posted equals the calculation for the latest month run,
//! whatever the order, and so never goes below zero.

use chrono::NaiveDate;

use super::Period;
use crate::error::ValidationErrors;

/// A run may only be made for a month that has ended on `today` (the organization's day).
pub fn check_run_period(period: Period, today: NaiveDate) -> Result<(), ValidationErrors> {
    let current = Period::of(today);
    if period < current {
        return Ok(());
    }
    let last = current.plus(-1);
    Err(ValidationErrors::single(
        "period",
        format!(
            "{} ещё не закончился (сегодня {}): пени начисляются только за прошедший месяц — \
             укажите {} или раньше.",
            capitalized(&period.title()),
            today.format("%d.%m.%Y"),
            last.title()
        ),
    ))
}

fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// One line a run posts: the month it belongs to and the signed amount in kopecks.
pub type RunLine = (Period, i64);

/// The lines a run for `period` posts for one account. `target`: the penalty accrued by the
/// end of `period`; `posted`: the account's penalty lines so far; `runs_before`: the months
/// of earlier runs (of any account); `latest`: when a month later than `period` was run, the
/// latest such month and the penalty accrued by its end.
pub fn run_lines(
    period: Period,
    target: i64,
    posted: &[RunLine],
    runs_before: &[Period],
    latest: Option<(Period, i64)>,
) -> Vec<RunLine> {
    let upto: i64 = posted
        .iter()
        .filter(|(p, _)| *p <= period)
        .map(|l| l.1)
        .sum();
    let diff = target - upto;
    let mut lines = Vec::new();
    if diff != 0 {
        lines.push((period, diff));
        if !runs_before.contains(&period) {
            if let Some(next) = runs_before.iter().filter(|p| **p > period).min() {
                lines.push((*next, -diff));
            }
        }
    }
    if let Some((month, accrued)) = latest.filter(|l| l.0 > period) {
        let total: i64 = posted.iter().chain(&lines).map(|l| l.1).sum();
        if total != accrued {
            lines.push((month, accrued - total));
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Period {
        Period::parse(s).unwrap()
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn only_an_ended_month_is_run() {
        let today = d(2026, 12, 6);
        assert!(check_run_period(p("2026-11"), today).is_ok());
        assert!(check_run_period(p("2020-01"), today).is_ok());
        for bad in ["2026-12", "2027-06", "2030-01"] {
            let e = check_run_period(p(bad), today).unwrap_err();
            let msg = e.for_field("period").unwrap();
            assert!(msg.contains("ещё не закончился"), "{msg}");
            assert!(msg.contains("ноябрь 2026 или раньше"), "{msg}");
        }
        let e = check_run_period(p("2027-06"), today).unwrap_err();
        assert!(e.for_field("period").unwrap().starts_with("Июнь 2027"));
        // The last day of the month is still inside it.
        assert!(check_run_period(p("2026-11"), d(2026, 11, 30)).is_err());
        assert!(check_run_period(p("2026-11"), d(2026, 12, 1)).is_ok());
    }

    /// Runs `m` over `target`, as the monthly run does: the latest month run before, if later
    /// than `m`, with its target too.
    fn run_one(
        m: Period,
        target: impl Fn(Period) -> i64,
        posted: &mut Vec<RunLine>,
        runs: &mut Vec<Period>,
    ) {
        let latest = runs.iter().copied().max().filter(|l| *l > m);
        let lines = run_lines(m, target(m), posted, runs, latest.map(|l| (l, target(l))));
        posted.extend(lines);
        runs.push(m);
    }

    /// Plays a sequence of runs over fixed targets; the total posted.
    fn play(order: &[&str], target: impl Fn(Period) -> i64) -> (i64, Vec<RunLine>) {
        let mut posted: Vec<RunLine> = Vec::new();
        let mut runs: Vec<Period> = Vec::new();
        for m in order {
            run_one(p(m), &target, &mut posted, &mut runs);
        }
        (posted.iter().map(|l| l.1).sum(), posted)
    }

    #[test]
    fn months_out_of_order_post_what_in_order_posts() {
        let target = |m: Period| i64::from(m.month) * 100;
        let (in_order, _) = play(&["2026-08", "2026-09", "2026-10"], target);
        let (october_first, lines) = play(&["2026-10", "2026-08"], target);
        assert_eq!(in_order, 1_000);
        assert_eq!(october_first, 1_000);
        // August's accrual moved out of October's line.
        let of = |m: &str| -> i64 { lines.iter().filter(|l| l.0 == p(m)).map(|l| l.1).sum() };
        assert_eq!((of("2026-08"), of("2026-10")), (800, 200));
        // Any order, repeats included.
        let (mixed, _) = play(
            &["2026-09", "2026-10", "2026-08", "2026-09", "2026-08"],
            target,
        );
        assert_eq!(mixed, 1_000);
    }

    #[test]
    fn a_rerun_of_an_earlier_month_brings_the_total_to_the_latest_calculation() {
        // March 602 and April 950 posted, then a late March payment: March accrues 253 and
        // the whole by the end of April 600. Rerunning March corrects March, and April takes
        // the rest: the total is April's calculation at once (before issue 14, 1 203 stayed
        // posted until April was run again).
        let posted = vec![(p("2025-03"), 602), (p("2025-04"), 950)];
        let runs = [p("2025-03"), p("2025-04")];
        assert_eq!(
            run_lines(p("2025-03"), 253, &posted, &runs, Some((p("2025-04"), 600))),
            vec![(p("2025-03"), -349), (p("2025-04"), -603)]
        );
        // Everything reversed away: both months back to zero, never below.
        let lines = run_lines(p("2025-03"), 0, &posted, &runs, Some((p("2025-04"), 0)));
        assert_eq!(lines, vec![(p("2025-03"), -602), (p("2025-04"), -950)]);
        // The latest month itself: no second line.
        assert_eq!(
            run_lines(p("2025-04"), 1_000, &posted, &runs, None),
            vec![(p("2025-04"), -552)]
        );
    }

    use proptest::prelude::*;

    proptest! {
        /// Runs of random months while the accrual changes between them (late payments,
        /// reversals, recalculations): after every run the total posted is the accrual by
        /// the end of the latest month run, so never below zero.
        #[test]
        fn after_every_run_the_total_is_the_latest_calculation(
            steps in prop::collection::vec((0i32..12, prop::collection::vec(0i64..5_000, 12)), 1..12),
        ) {
            let mut posted: Vec<RunLine> = Vec::new();
            let mut runs: Vec<Period> = Vec::new();
            let first = p("2025-01");
            for (month, table) in steps {
                // The accrual by the end of each month: never falls from month to month.
                let by_end: Vec<i64> = table
                    .iter()
                    .scan(0, |acc, x| {
                        *acc += x;
                        Some(*acc)
                    })
                    .collect();
                let target = |m: Period| by_end[first.months_until(m) as usize];
                run_one(first.plus(month), target, &mut posted, &mut runs);
                let latest = runs.iter().copied().max().unwrap();
                let total: i64 = posted.iter().map(|l| l.1).sum();
                prop_assert_eq!(total, target(latest));
            }
        }
    }
}
