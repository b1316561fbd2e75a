//! Deadlines of requests and appeals (срок исполнения), regulations §3.
//!
//! Time design: every computation works on `NaiveDateTime` in the organization's **local**
//! time, because the rules speak in local terms (a working day ends at 23:59:59 local, a
//! refuse chute is cleared 08:00–23:00 local). The caller converts at the edge, e.g. with
//! `chrono-tz`: `compute_deadline_in(&rule, &registered.with_timezone(&tz), &cal)`, which is
//! generic over any `chrono::TimeZone`, so this crate needs no time-zone database. Russia
//! has had no daylight-saving time since 2014, so local wall-clock arithmetic equals elapsed
//! time there; in a zone with DST, hour rules would be off by the DST shift.
//!
//! The hot path (`compute_deadline`, `compute_deadline_with_pauses`, `deadline_status`) never
//! allocates: rules are read by reference, pauses are a slice, the calendar is a bitset.

mod deferral;
mod rules;

pub use deferral::{check_deferral, deferred_deadline, Deferral, DeferralRequest};
pub use rules::{check_new_rule_code, default_rules, CountsFrom, Verification};

use crate::calendar::WorkCalendar;
use chrono::{DateTime, Days, NaiveDateTime, NaiveTime, Offset, TimeDelta, TimeZone};
use serde::{Deserialize, Serialize};

/// What a rule's `amount` counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineUnit {
    Minutes,
    Hours,
    /// Сутки: the same local time `amount` days later (ПП 416 «3 суток» = 72 hours).
    CalendarDays,
    /// The end (23:59:59 local) of the `amount`-th working day after the day of registration.
    WorkingDays,
}

impl DeadlineUnit {
    pub const ALL: [DeadlineUnit; 4] = [
        Self::Minutes,
        Self::Hours,
        Self::CalendarDays,
        Self::WorkingDays,
    ];

    /// The code in forms, the API and the database (as serde names it).
    pub fn code(self) -> &'static str {
        match self {
            Self::Minutes => "minutes",
            Self::Hours => "hours",
            Self::CalendarDays => "calendar_days",
            Self::WorkingDays => "working_days",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|u| u.code() == code.trim())
    }

    /// Days-counted rules are at risk one working day ahead, minute/hour rules 2 hours ahead.
    pub fn is_day_counted(self) -> bool {
        matches!(self, Self::CalendarDays | Self::WorkingDays)
    }
}

/// One deadline rule, stored as data (settings table) so it can follow the law.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadlineRule {
    /// Machine code, `[a-z0-9_]`, e.g. `ads_sewage_blockage`.
    pub code: String,
    /// Russian title shown to staff.
    pub title: String,
    pub amount: u32,
    pub unit: DeadlineUnit,
    /// The legal source, e.g. `ПП РФ № 416, п. 13`.
    pub source: String,
    /// The clock runs only inside this local daily window, e.g. 08:00–23:00 for refuse chutes
    /// (ПП 416 п. 13). Only for minute and hour rules; `start < end`.
    #[serde(default)]
    pub only_between: Option<(NaiveTime, NaiveTime)>,
    /// Whether the rule was checked against a published source (regulations §3).
    #[serde(default)]
    pub verification: Verification,
    /// The moment the term counts from, as the source says: the appeal's receipt or its
    /// registration. Rules stored before the field existed count from registration.
    #[serde(default)]
    pub counts_from: CountsFrom,
}

impl DeadlineRule {
    /// The moment this rule's term starts for an appeal received at `received` and
    /// registered at `registered`. A receipt later than the registration (a mistyped time)
    /// never delays the start.
    pub fn start(&self, received: NaiveDateTime, registered: NaiveDateTime) -> NaiveDateTime {
        match self.counts_from {
            CountsFrom::Receipt => received.min(registered),
            CountsFrom::Registration => registered,
        }
    }
}

/// A stop of the clock while the company waits for the applicant (access to the flat,
/// documents). `to = None`: still waiting. Local time, like everything here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pause {
    pub from: NaiveDateTime,
    pub to: Option<NaiveDateTime>,
}

/// Where a request stands against its deadline at a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineStatus {
    Ok,
    /// Minute/hour rules: 2 hours or less left; day-counted: the deadline is today or on the
    /// next working day.
    AtRisk,
    Overdue,
}

/// The end of a working day, local.
pub const END_OF_DAY: NaiveTime = match NaiveTime::from_hms_opt(23, 59, 59) {
    Some(t) => t,
    None => unreachable!(),
};

/// The deadline of a request registered at `registered_at` (local time).
///
/// # Panics
/// Only past the end of chrono's date range (amounts of millions of years).
pub fn compute_deadline(
    rule: &DeadlineRule,
    registered_at: NaiveDateTime,
    calendar: &WorkCalendar,
) -> NaiveDateTime {
    compute(rule, registered_at, &[], None, calendar).expect("no pauses, so no open pause")
}

/// The deadline moved by the pauses: minute/hour/day rules by the paused time (for rules with
/// a daily window, by the paused time inside the window); working-day rules by the working
/// days in `(pause start date, resume date]` — the term resumes on the resume date with the
/// working days that were left, as if registered anew. Pauses may overlap and come in any
/// order; the parts before registration are ignored, and so are pauses that start after the
/// deadline had already passed (they cannot hide an overdue request).
///
/// `None` while a pause that matters is still open: the clock is stopped, there is no date.
pub fn compute_deadline_with_pauses(
    rule: &DeadlineRule,
    registered_at: NaiveDateTime,
    pauses: &[Pause],
    calendar: &WorkCalendar,
) -> Option<NaiveDateTime> {
    compute(rule, registered_at, pauses, None, calendar)
}

/// The status at `now` of a deadline computed by the rules above.
pub fn deadline_status(
    unit: DeadlineUnit,
    deadline: NaiveDateTime,
    now: NaiveDateTime,
    calendar: &WorkCalendar,
) -> DeadlineStatus {
    if now > deadline {
        DeadlineStatus::Overdue
    } else if unit.is_day_counted() {
        if calendar.working_days_between(now.date(), deadline.date()) <= 1 {
            DeadlineStatus::AtRisk
        } else {
            DeadlineStatus::Ok
        }
    } else if deadline - now <= TimeDelta::hours(2) {
        DeadlineStatus::AtRisk
    } else {
        DeadlineStatus::Ok
    }
}

/// The status at `now` of a request with pauses. An open pause counts as ending `now`: the
/// time left is frozen, so a paused request is never overdue unless it was before the pause.
pub fn current_status(
    rule: &DeadlineRule,
    registered_at: NaiveDateTime,
    pauses: &[Pause],
    now: NaiveDateTime,
    calendar: &WorkCalendar,
) -> DeadlineStatus {
    let deadline = compute(rule, registered_at, pauses, Some(now), calendar)
        .expect("open pauses are closed at now");
    deadline_status(rule.unit, deadline, now, calendar)
}

/// [`compute_deadline`] for a zoned time: local arithmetic, result in the same zone. A local
/// time that falls into a DST gap is read with the offset in force before the gap; an
/// ambiguous one takes the earlier instant.
pub fn compute_deadline_in<Tz: TimeZone>(
    rule: &DeadlineRule,
    registered_at: &DateTime<Tz>,
    calendar: &WorkCalendar,
) -> DateTime<Tz> {
    let local = compute_deadline(rule, registered_at.naive_local(), calendar);
    from_local(&registered_at.timezone(), local)
}

/// A local time in `tz`, for converting results and pauses (see [`compute_deadline_in`]).
pub fn from_local<Tz: TimeZone>(tz: &Tz, local: NaiveDateTime) -> DateTime<Tz> {
    tz.from_local_datetime(&local)
        .earliest()
        .unwrap_or_else(|| {
            let before_gap = tz.offset_from_utc_datetime(&(local - TimeDelta::days(1)));
            tz.from_utc_datetime(&(local - before_gap.fix()))
        })
}

fn compute(
    rule: &DeadlineRule,
    registered_at: NaiveDateTime,
    pauses: &[Pause],
    close_open_at: Option<NaiveDateTime>,
    calendar: &WorkCalendar,
) -> Option<NaiveDateTime> {
    let span = match rule.unit {
        DeadlineUnit::Minutes => TimeDelta::minutes(i64::from(rule.amount)),
        DeadlineUnit::Hours => TimeDelta::hours(i64::from(rule.amount)),
        DeadlineUnit::CalendarDays => TimeDelta::days(i64::from(rule.amount)),
        DeadlineUnit::WorkingDays => {
            return working_days(rule.amount, registered_at, pauses, close_open_at, calendar)
        }
    };
    let mut left = span;
    let mut t = registered_at;
    for (from, to) in merged(pauses, registered_at) {
        if let Some(end) = run(t, Some(from), &mut left, rule.only_between) {
            return Some(end);
        }
        // An open pause closed "now" before it began (a clock skew) resumes at its start.
        t = from.max(to.or(close_open_at)?);
    }
    run(t, None, &mut left, rule.only_between)
}

fn working_days(
    amount: u32,
    registered_at: NaiveDateTime,
    pauses: &[Pause],
    close_open_at: Option<NaiveDateTime>,
    calendar: &WorkCalendar,
) -> Option<NaiveDateTime> {
    let mut due = calendar.add_working_days(registered_at.date(), amount);
    for (from, to) in merged(pauses, registered_at) {
        if from > due.and_time(END_OF_DAY) {
            break;
        }
        let to = to.or(close_open_at)?;
        let paused = calendar.working_days_between(from.date(), to.date()).max(0);
        due = calendar.add_working_days(due, u32::try_from(paused).unwrap_or(u32::MAX));
    }
    Some(due.and_time(END_OF_DAY))
}

/// Runs the clock from `t` until `until` (or forever), spending `left`; the moment `left`
/// reaches zero, if it does before `until`. With a window, only time inside it counts.
fn run(
    t: NaiveDateTime,
    until: Option<NaiveDateTime>,
    left: &mut TimeDelta,
    window: Option<(NaiveTime, NaiveTime)>,
) -> Option<NaiveDateTime> {
    let Some((open, close)) = window.filter(|(open, close)| open < close) else {
        let end = t + *left;
        if until.is_none_or(|u| end <= u) {
            return Some(end);
        }
        *left -= until? - t;
        return None;
    };
    let mut day = t.date();
    loop {
        let start = t.max(day.and_time(open));
        let mut stop = day.and_time(close);
        if let Some(u) = until {
            if start >= u {
                return None;
            }
            stop = stop.min(u);
        }
        if start < stop {
            if start + *left <= stop {
                return Some(start + *left);
            }
            *left -= stop - start;
        }
        day = day + Days::new(1);
    }
}

/// The pauses as disjoint intervals in time order, starting no earlier than `after`; an
/// interval that contains an open pause comes last with `None` as its end. O(p²), no heap:
/// a request has a handful of pauses.
fn merged(pauses: &[Pause], after: NaiveDateTime) -> impl Iterator<Item = Merged> + '_ {
    let mut cursor = Some(after);
    std::iter::from_fn(move || {
        let at = cursor?;
        let live = |p: &&Pause| p.to.is_none_or(|to| to > at && to > p.from);
        let start = pauses.iter().filter(live).map(|p| p.from.max(at)).min()?;
        let mut end = start;
        loop {
            let mut grown = false;
            for p in pauses {
                match p.to {
                    _ if p.from > end => {}
                    None => {
                        cursor = None;
                        return Some((start, None));
                    }
                    Some(to) if to > end => {
                        end = to;
                        grown = true;
                    }
                    Some(_) => {}
                }
            }
            if !grown {
                cursor = Some(end);
                return Some((start, Some(end)));
            }
        }
    })
}

type Merged = (NaiveDateTime, Option<NaiveDateTime>);

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;
