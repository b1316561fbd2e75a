//! Debt by age: how many months have passed since the period was charged.

use serde::Serialize;

use super::{Outstanding, Period};

/// An age band in months, both ends inclusive; `to = None` is open-ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct AgingBucket {
    pub title: &'static str,
    pub from: i32,
    pub to: Option<i32>,
}

/// The bands of the debtor reports: 1, 2–3, 4–6, 7–12, 13–36 and over 36 months.
pub const AGING_BUCKETS: [AgingBucket; 6] = [
    AgingBucket {
        title: "1 мес.",
        from: 1,
        to: Some(1),
    },
    AgingBucket {
        title: "2–3 мес.",
        from: 2,
        to: Some(3),
    },
    AgingBucket {
        title: "4–6 мес.",
        from: 4,
        to: Some(6),
    },
    AgingBucket {
        title: "7–12 мес.",
        from: 7,
        to: Some(12),
    },
    AgingBucket {
        title: "13–36 мес.",
        from: 13,
        to: Some(36),
    },
    AgingBucket {
        title: "более 36 мес.",
        from: 37,
        to: None,
    },
];

/// Remaining debt per band as of `now`: a period's age is the months from it to `now`
/// (October's charge is 1 month old in November). The current period is not debt yet.
pub fn aging(out: &Outstanding, now: Period) -> [i64; 6] {
    let mut sums = [0i64; 6];
    for l in out.lines.iter().filter(|l| l.remaining() > 0) {
        let age = l.period.months_until(now);
        if let Some(b) = AGING_BUCKETS
            .iter()
            .position(|b| age >= b.from && b.to.is_none_or(|t| age <= t))
        {
            sums[b] += l.remaining();
        }
    }
    sums
}
