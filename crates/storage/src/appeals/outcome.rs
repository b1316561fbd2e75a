//! The groups of appeals the reports count and the journal filters by (issue 18): where an
//! appeal stands against its deadline, its rating, and the registration period in the
//! organization's days. One definition serves both, so a report's figure and the journal
//! its link opens always count the same appeals. The deadline is the stored one the card
//! shows (`deadline_at`, `done_at`), never recomputed here.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::views::Bind;
use super::{open_condition, AppealFilter};
use crate::{time, Db, Result};

/// Where an appeal stands. The first six split every appeal into exactly one group; the
/// rest are marks beside them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Open, the clock running, past the deadline now.
    OpenOverdue,
    /// Open, the clock running, the deadline not yet passed (or none).
    OpenInTime,
    /// Waiting for the applicant: the clock stopped.
    Paused,
    /// Done by its deadline (or without one).
    DoneOnTime,
    /// Done after its deadline.
    DoneLate,
    /// Finished without being done: rejected, a duplicate, closed without a result.
    NoResult,
    /// Reopened at least once.
    Reopened,
    /// The applicant answered «not fixed».
    NotFixed,
    /// Done, and the applicant gave neither a rating nor «not fixed».
    NoAnswer,
}

impl Outcome {
    /// The groups that split every appeal.
    pub const STATES: [Outcome; 6] = [
        Outcome::OpenOverdue,
        Outcome::OpenInTime,
        Outcome::Paused,
        Outcome::DoneOnTime,
        Outcome::DoneLate,
        Outcome::NoResult,
    ];

    pub const ALL: [Outcome; 9] = [
        Outcome::OpenOverdue,
        Outcome::OpenInTime,
        Outcome::Paused,
        Outcome::DoneOnTime,
        Outcome::DoneLate,
        Outcome::NoResult,
        Outcome::Reopened,
        Outcome::NotFixed,
        Outcome::NoAnswer,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Outcome::OpenOverdue => "open_overdue",
            Outcome::OpenInTime => "open_in_time",
            Outcome::Paused => "paused",
            Outcome::DoneOnTime => "done_on_time",
            Outcome::DoneLate => "done_late",
            Outcome::NoResult => "no_result",
            Outcome::Reopened => "reopened",
            Outcome::NotFixed => "not_fixed",
            Outcome::NoAnswer => "no_answer",
        }
    }

    pub fn parse(code: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|o| o.code() == code.trim())
    }

    /// The condition over `appeals a`; `now` is the placeholder of the moment (UTC text).
    pub fn sql(self, now: &str) -> String {
        let open = open_condition();
        let running = running_condition();
        let done = format!("NOT ({open}) AND a.done_at IS NOT NULL");
        match self {
            Outcome::OpenOverdue => format!("{running} AND a.deadline_at < {now}"),
            Outcome::OpenInTime => {
                format!("{running} AND (a.deadline_at IS NULL OR a.deadline_at >= {now})")
            }
            Outcome::Paused => "a.status = 'waiting_for_applicant'".into(),
            Outcome::DoneOnTime => {
                format!("{done} AND (a.deadline_at IS NULL OR a.done_at <= a.deadline_at)")
            }
            Outcome::DoneLate => {
                format!("{done} AND a.deadline_at IS NOT NULL AND a.done_at > a.deadline_at")
            }
            Outcome::NoResult => format!("NOT ({open}) AND a.done_at IS NULL"),
            Outcome::Reopened => "a.reopen_count > 0".into(),
            Outcome::NotFixed => "a.not_fixed = 1".into(),
            Outcome::NoAnswer => {
                "a.done_at IS NOT NULL AND a.rating IS NULL AND a.not_fixed = 0".into()
            }
        }
    }
}

/// `a.status IN (…)` for the statuses in which the deadline clock runs.
fn running_condition() -> String {
    let codes: Vec<String> = abonent_domain::appeal::Status::ALL
        .into_iter()
        .filter(|s| s.clock_runs())
        .map(|s| format!("'{}'", s.code()))
        .collect();
    format!("a.status IN ({})", codes.join(", "))
}

/// The registration days `from..=to` of the organization's time zone as UTC text bounds
/// `[start, end)`.
pub async fn registered_bounds(
    db: &Db,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Result<(Option<String>, Option<String>)> {
    let tz = crate::settings::time_zone(db).await?;
    let day = |d: NaiveDate| abonent_domain::report::ReportPeriod::range(d, d).utc_bounds(tz);
    Ok((
        from.map(|d| time::fmt(day(d).0)),
        to.map(|d| time::fmt(day(d).1)),
    ))
}

/// The journal's conditions of these groups, appended to `conds` with their `binds`.
pub(crate) async fn conditions(
    db: &Db,
    f: &AppealFilter,
    conds: &mut Vec<String>,
    binds: &mut Vec<Bind>,
) -> Result<()> {
    let mut push = |sql: &str, b: Bind, conds: &mut Vec<String>| {
        binds.push(b);
        conds.push(sql.replace('?', &format!("${}", binds.len())));
    };
    let (start, end) = registered_bounds(db, f.registered_from, f.registered_to).await?;
    if let Some(s) = start {
        push("a.registered_at >= ?", Bind::Text(s), conds);
    }
    if let Some(e) = end {
        push("a.registered_at < ?", Bind::Text(e), conds);
    }
    if let Some(c) = f.channel.as_deref().filter(|c| !c.is_empty()) {
        push("a.channel = ?", Bind::Text(c.to_string()), conds);
    }
    if let Some(g) = f.category_group {
        push(
            "a.category_id IN (SELECT g.id FROM appeal_categories g WHERE g.id = ? OR g.parent_id = ?)",
            Bind::Int(g),
            conds,
        );
        // Both marks are the same bind: `?` becomes one `$n`.
    }
    match f.without.as_deref() {
        Some("category") => conds.push("a.category_id IS NULL".into()),
        Some("building") => conds.push("a.building_id IS NULL".into()),
        _ => {}
    }
    if let Some(r) = f.rating {
        push("a.rating = ?", Bind::Int(r), conds);
    }
    if let Some(o) = f.outcome {
        binds.push(Bind::Text(time::fmt(db.now())));
        conds.push(o.sql(&format!("${}", binds.len())));
    }
    Ok(())
}
