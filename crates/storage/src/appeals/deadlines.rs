//! An appeal's deadlines after registration: deferrals (limited, with a reason), the
//! deadline a resume gives back (the rule's, or the latest deferral or reopening moved by
//! the pauses after it), an emergency's localisation, and a change of priority with its
//! reason. The decisions are abonent_domain's (`deadline::check_deferral`,
//! `deadline::deferred_deadline`, `appeal::check_downgrade`, `appeal::work`); this module
//! reads and writes.

use abonent_domain::appeal::work::{
    check_deferrable, check_localisable, check_priority_changeable, deferral_beyond_limit,
    raises_alert,
};
use abonent_domain::appeal::{check_downgrade, choose_rule, AppealKind, Channel, Priority};
use abonent_domain::appeal::{words, RuleFacts, Status, LOCALISATION_RULE};
use abonent_domain::calendar::WorkCalendar;
use abonent_domain::correspondence::SenderKind;
use abonent_domain::deadline::{
    check_deferral, compute_deadline, compute_deadline_with_pauses, deferred_deadline,
    DeadlineRule, Deferral, DeferralRequest, Pause,
};
use abonent_domain::Role;
use chrono::{DateTime, NaiveDateTime, Utc};
use chrono_tz::Tz;
use sqlx::{AnyConnection, Row};

use super::change;
use super::notices::{deadline_text, to_applicant_in, Texts};
use super::snapshot::Snapshot;
use super::{get, utc_text, Appeal};
use crate::history;
use crate::{settings, time, Actor, Db, Result, StoreError};

/// A time stored as UTC text, in the organization's local time.
fn local(tz: &Tz, s: &str) -> Option<NaiveDateTime> {
    time::parse(s).map(|t| t.with_timezone(tz).naive_local())
}

/// Defers the deadline of an open appeal (a new date agreed or forced by circumstances):
/// a reason, at most `appeals.deferral_max` times unless a manager defers, the history and
/// a message to the applicant. A later pause and resume keep the deferred date.
pub async fn defer(
    db: &Db,
    id: i64,
    deadline: DateTime<Utc>,
    reason: &str,
    role: Role,
    actor: &Actor,
) -> Result<Appeal> {
    let before = get(db, id).await?;
    let reason = reason.trim();
    check_deferrable(Status::from_code(&before.status))?;
    let max = settings::get(db, "appeals.deferral_max")
        .await?
        .trim()
        .parse()
        .unwrap_or(2);
    let done_before: i64 = sqlx::query(
        "SELECT COUNT(*) FROM appeal_deadline_moves WHERE appeal_id = $1 AND kind = 'deferral'",
    )
    .bind(id)
    .fetch_one(db.read())
    .await?
    .get(0);
    let done_before = u32::try_from(done_before).unwrap_or(u32::MAX);
    let now = db.now();
    check_deferral(&DeferralRequest {
        reason,
        to: deadline.naive_utc(),
        now: now.naive_utc(),
        done_before,
        max,
        role,
    })?;
    let t = Texts::load(db).await?;
    let new = time::fmt(deadline);
    let now_text = time::fmt(now);
    let mut tx = db.write().begin().await?;
    sqlx::query("UPDATE appeals SET deadline_at = $1, updated_at = $2 WHERE id = $3")
        .bind(&new)
        .bind(&now_text)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let beyond = deferral_beyond_limit(done_before, max);
    record_move(
        &mut tx,
        id,
        "deferral",
        &now_text,
        before.deadline_at.as_deref(),
        &new,
        reason,
        actor,
        beyond,
    )
    .await?;
    history::record(
        &mut tx,
        &db.now_text(),
        actor,
        change(
            id,
            "deadline",
            Some(serde_json::json!({"deadline_at": before.deadline_at})),
            serde_json::json!({
                "deadline_at": new, "deferral": done_before.saturating_add(1), "beyond_limit": beyond,
            }),
            Some(reason),
        ),
    )
    .await?;
    let a = super::views::get_in(&mut tx, id).await?;
    let body = deadline_text(&t, &a, Some(reason));
    to_applicant_in(&mut tx, &t, &a, &body, None).await?;
    tx.commit().await?;
    get(db, id).await
}

#[allow(clippy::too_many_arguments)]
async fn record_move(
    conn: &mut AnyConnection,
    id: i64,
    kind: &str,
    at: &str,
    from: Option<&str>,
    to: &str,
    reason: &str,
    actor: &Actor,
    beyond_limit: bool,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO appeal_deadline_moves (appeal_id, kind, moved_at, from_at, to_at, reason, \
         moved_by, beyond_limit) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(id)
    .bind(kind)
    .bind(at)
    .bind(from)
    .bind(to)
    .bind(reason)
    .bind(actor.user_id)
    .bind(i64::from(beyond_limit))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A deferral or reopening of an appeal's deadline, as the card and the API show it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DeadlineMove {
    /// `deferral` or `reopen`.
    pub kind: String,
    pub moved_at: String,
    pub from_at: Option<String>,
    pub to_at: String,
    pub reason: String,
    /// Beyond `appeals.deferral_max`: made by a manager.
    pub beyond_limit: bool,
}

pub async fn moves(db: &Db, id: i64) -> Result<Vec<DeadlineMove>> {
    Ok(sqlx::query(
        "SELECT kind, moved_at, from_at, to_at, reason, beyond_limit FROM appeal_deadline_moves \
         WHERE appeal_id = $1 ORDER BY id",
    )
    .bind(id)
    .fetch_all(db.read())
    .await?
    .iter()
    .map(|r| DeadlineMove {
        kind: r.get(0),
        moved_at: r.get(1),
        from_at: r.get(2),
        to_at: r.get(3),
        reason: r.get(4),
        beyond_limit: r.get::<i64, _>(5) != 0,
    })
    .collect())
}

async fn rule_of(conn: &mut AnyConnection, code: Option<&str>) -> Result<Option<DeadlineRule>> {
    let Some(code) = code else {
        return Ok(None);
    };
    Ok(super::reference::rules(conn)
        .await?
        .into_iter()
        .find(|r| r.code == code))
}

async fn pauses_of(conn: &mut AnyConnection, id: i64, tz: &Tz) -> Result<Vec<Pause>> {
    Ok(
        sqlx::query("SELECT from_at, to_at FROM appeal_pauses WHERE appeal_id = $1 ORDER BY id")
            .bind(id)
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .filter_map(|r| {
                Some(Pause {
                    from: local(tz, &r.get::<String, _>(0))?,
                    to: r.get::<Option<String>, _>(1).and_then(|t| local(tz, &t)),
                })
            })
            .collect(),
    )
}

/// The deadline after the pauses (all closed now): the latest deferral or reopening moved
/// by the pauses after it, or — when there is none — the rule from its start (receipt or
/// registration) moved by every pause.
pub(crate) async fn resumed_in(
    conn: &mut AnyConnection,
    calendar: &WorkCalendar,
    a: &Appeal,
    tz: &Tz,
) -> Result<Option<String>> {
    let Some(rule) = rule_of(conn, a.deadline_rule.as_deref()).await? else {
        return Ok(None);
    };
    let pauses = pauses_of(conn, a.id, tz).await?;
    let last = sqlx::query(
        "SELECT moved_at, to_at FROM appeal_deadline_moves WHERE appeal_id = $1 \
         ORDER BY id DESC LIMIT 1",
    )
    .bind(a.id)
    .fetch_optional(&mut *conn)
    .await?
    .and_then(|r| {
        Some(Deferral {
            at: local(tz, &r.get::<String, _>(0))?,
            to: local(tz, &r.get::<String, _>(1))?,
        })
    });
    let due = match last {
        Some(d) => deferred_deadline(&rule, &d, &pauses, calendar),
        None => {
            let (Some(received), Some(registered)) =
                (local(tz, &a.received_at), local(tz, &a.registered_at))
            else {
                return Ok(None);
            };
            let start = rule.start(received, registered);
            compute_deadline_with_pauses(&rule, start, &pauses, calendar)
        }
    };
    Ok(due.map(|d| utc_text(tz, d)))
}

/// A reopened appeal gets the full term of its rule again, from now; the reopening is kept
/// so that a later pause and resume count from it.
pub(crate) async fn restart_in(
    conn: &mut AnyConnection,
    calendar: &WorkCalendar,
    a: &Appeal,
    tz: &Tz,
    now: chrono::DateTime<chrono::Utc>,
    reason: &str,
    actor: &Actor,
) -> Result<Option<String>> {
    let Some(rule) = rule_of(conn, a.deadline_rule.as_deref()).await? else {
        return Ok(None);
    };
    let due = utc_text(
        tz,
        compute_deadline(&rule, now.with_timezone(tz).naive_local(), calendar),
    );
    let now = time::fmt(now);
    record_move(
        conn,
        a.id,
        "reopen",
        &now,
        a.deadline_at.as_deref(),
        &due,
        reason,
        actor,
        false,
    )
    .await?;
    Ok(Some(due))
}

/// Marks an emergency's damage localised (ПП 416 п. 13: within 30 minutes), with history.
/// Once only: the first moment stays, so a late localisation stays late.
pub async fn localised(db: &Db, id: i64, actor: &Actor) -> Result<Appeal> {
    let a = get(db, id).await?;
    // The specialist reads the organization's time, not the stored UTC.
    let localised_local = match (&a.localisation_at, &a.localised_at) {
        (Some(_), Some(at)) => Some(Texts::load(db).await?.local(Some(at))),
        _ => None,
    };
    check_localisable(a.localisation_at.is_some(), localised_local.as_deref())?;
    let now = db.now_text();
    let mut tx = db.write().begin().await?;
    sqlx::query(
        "UPDATE appeals SET localised_at = $1, updated_at = $1 WHERE id = $2 AND localised_at IS NULL",
    )
    .bind(&now)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    history::record(
        &mut tx,
        &db.now_text(),
        actor,
        change(
            id,
            "localised",
            None,
            serde_json::json!({
                "localised_at": now, "localisation_at": a.localisation_at,
                "late": a.localisation_overdue(&now),
            }),
            None,
        ),
    )
    .await?;
    tx.commit().await?;
    get(db, id).await
}

/// Changes the priority of an open appeal with a reason kept in the history — typically a
/// specialist downgrading what the classifier took for an emergency. The deadline follows
/// the rule of the new priority from the appeal's start (pauses counted); an emergency gets
/// its localisation deadline and the alert to the people on duty, a former one loses it.
/// `reference`: the reference data as the use case keeps it.
pub async fn change_priority(
    db: &Db,
    reference: &Snapshot,
    id: i64,
    to: Priority,
    reason: &str,
    actor: &Actor,
) -> Result<Appeal> {
    let a = get(db, id).await?;
    let from = Priority::from_code(&a.priority).unwrap_or(Priority::Normal);
    check_downgrade(from, to, reason)?;
    check_priority_changeable(Status::from_code(&a.status))?;
    let t = Texts::load(db).await?;
    let tz = t.tz;
    let path = match a.category_id {
        Some(c) => reference.category_path(c)?,
        None => Vec::new(),
    };
    let path_refs: Vec<&str> = path.iter().map(String::as_str).collect();
    let facts = RuleFacts {
        kind: AppealKind::from_code(&a.kind).unwrap_or(AppealKind::Request),
        priority: to,
        channel: Channel::from_code(&a.channel).unwrap_or(Channel::Other),
        sender: SenderKind::from_code(&a.sender_kind).unwrap_or(SenderKind::Person),
        category_path: &path_refs,
    };
    let rule = choose_rule(&reference.bindings, &facts).and_then(|c| reference.rule(c));
    let (Some(received), Some(registered)) =
        (local(&tz, &a.received_at), local(&tz, &a.registered_at))
    else {
        return Err(StoreError::Other(words::fault::unreadable_times(&a.number)));
    };
    let localisation = if raises_alert(to) {
        reference.rule(LOCALISATION_RULE)
    } else {
        None
    };
    let localisation_at = localisation.map(|r| {
        let start = r.start(received, registered);
        utc_text(&tz, compute_deadline(r, start, &reference.calendar))
    });
    let now = db.now_text();
    let mut tx = db.write().begin().await?;
    let pauses = pauses_of(&mut tx, id, &tz).await?;
    let deadline_at = rule.and_then(|r| {
        let start = r.start(received, registered);
        compute_deadline_with_pauses(r, start, &pauses, &reference.calendar)
            .map(|d| utc_text(&tz, d))
    });
    sqlx::query(
        "UPDATE appeals SET priority = $1, deadline_rule = $2, deadline_at = $3, \
         localisation_rule = $4, localisation_at = $5, updated_at = $6 WHERE id = $7",
    )
    .bind(to.code())
    .bind(rule.map(|r| r.code.as_str()))
    .bind(&deadline_at)
    .bind(localisation.map(|r| r.code.as_str()))
    .bind(&localisation_at)
    .bind(&now)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if raises_alert(to) {
        super::alerts::notify_duty_in(&mut tx, &t, id).await?;
        sqlx::query("INSERT INTO alerts (appeal_id, raised_at) VALUES ($1, $2)")
            .bind(id)
            .bind(&now)
            .execute(&mut *tx)
            .await?;
    }
    history::record(
        &mut tx,
        &db.now_text(),
        actor,
        change(
            id,
            "priority",
            Some(serde_json::json!({
                "priority": a.priority, "deadline_rule": a.deadline_rule,
                "deadline_at": a.deadline_at, "localisation_at": a.localisation_at,
            })),
            serde_json::json!({
                "priority": to.code(), "deadline_rule": rule.map(|r| &r.code),
                "deadline_at": deadline_at, "localisation_at": localisation_at,
            }),
            Some(reason.trim()),
        ),
    )
    .await?;
    tx.commit().await?;
    get(db, id).await
}
