//! The monthly penalty run, per account: which month may be run, and which lines a run posts
//! so that the result does not depend on the order months are run in.
//!
//! A run for month P brings the penalty posted for P and earlier to the penalty accrued by the
//! end of P (`target`). Months already run form boundaries: the line of a month L covers the
//! accrual since the previous boundary. Running a month P for the first time when a later
//! month L was run before (October, then August) splits L's line: P gets its accrual and L
//! the same amount less, so the total is the one of running them in order. Running a month
//! again (after late payments) corrects that month only; the later months are corrected when
//! they are run again, as before. The total posted for an account never goes below zero.

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
/// of earlier runs (of any account).
pub fn run_lines(
    period: Period,
    target: i64,
    posted: &[RunLine],
    runs_before: &[Period],
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
    let total: i64 = posted.iter().chain(&lines).map(|l| l.1).sum();
    if total < 0 {
        // Only a fall of the rate between two runs can get here: the account's latest month
        // takes it back to zero, and its next run posts the rest.
        let latest = posted
            .iter()
            .chain(&lines)
            .map(|l| l.0)
            .max()
            .unwrap_or(period);
        lines.push((latest, -total));
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

    /// Plays a sequence of runs over fixed targets; the total posted.
    fn play(order: &[&str], target: impl Fn(Period) -> i64) -> (i64, Vec<RunLine>) {
        let mut posted: Vec<RunLine> = Vec::new();
        let mut runs: Vec<Period> = Vec::new();
        for m in order {
            let m = p(m);
            let lines = run_lines(m, target(m), &posted, &runs);
            posted.extend(lines);
            runs.push(m);
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
    fn a_rerun_corrects_its_month_only_and_never_goes_negative() {
        // March 602 and April 950 posted, then a late payment: March is 253, April 253.
        let posted = vec![(p("2025-03"), 602), (p("2025-04"), 950)];
        let runs = [p("2025-03"), p("2025-04")];
        assert_eq!(
            run_lines(p("2025-03"), 253, &posted, &runs),
            vec![(p("2025-03"), -349)]
        );
        // A rate that fell: the total would be −50; the latest month takes it back to zero.
        let posted = vec![(p("2025-03"), 100), (p("2025-04"), -50)];
        let lines = run_lines(p("2025-03"), 0, &posted, &runs);
        assert_eq!(lines, vec![(p("2025-03"), -100), (p("2025-04"), 50)]);
    }
}
