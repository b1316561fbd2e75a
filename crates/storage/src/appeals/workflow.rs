//! Status changes, checked by abonent_domain::appeal::check_transition on the server, with
//! the deadline clock stopped while the company waits for the applicant.

use abonent_domain::appeal::{check_transition, forms, words, AppealKind, AppealRefusal};
use abonent_domain::appeal::{Status, Transition};
use abonent_domain::Role;
use chrono::Utc;
use serde::Deserialize;
use sqlx::{AnyConnection, Row};

use super::{get, terms, Appeal};
use crate::history::{self, Change};
use crate::{settings, time, Actor, Db, Result, StoreError};

/// A requested change with what the new status needs.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct StatusChange {
    pub to: Option<Status>,
    pub reason: Option<String>,
    pub result: Option<String>,
    pub quality_ok: Option<bool>,
    pub quality_comment: Option<String>,
    pub department_id: Option<i64>,
    pub contractor_id: Option<i64>,
    pub executor_id: Option<i64>,
    pub merged_into: Option<i64>,
    /// Complaint analysis: cause, who is responsible, parties, decision.
    pub cause: Option<String>,
    pub responsible: Option<String>,
    pub parties: Option<String>,
    pub decision: Option<String>,
}

fn text(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

pub async fn change_status(
    db: &Db,
    id: i64,
    ch: &StatusChange,
    role: Role,
    actor: &Actor,
) -> Result<Appeal> {
    let plan = prepare(db, id, ch, role, actor).await?;
    let mut tx = db.write().begin().await?;
    apply_in(&mut tx, &plan, ch, actor).await?;
    tx.commit().await?;
    get(db, id).await
}

/// What every status change reads besides the appeal itself: loaded once, shared by the
/// changes of a bulk action.
pub(crate) struct Context {
    tz: chrono_tz::Tz,
    now: chrono::DateTime<Utc>,
    calendar: abonent_domain::calendar::WorkCalendar,
    texts: super::notices::Texts,
    reopen_window_days: u32,
}

impl Context {
    pub(crate) async fn load(db: &Db) -> Result<std::sync::Arc<Context>> {
        Ok(std::sync::Arc::new(Context {
            tz: settings::time_zone(db).await?,
            now: db.now(),
            // Read before the transaction (see register): no second pool connection inside it.
            calendar: super::work_calendar(db).await?,
            texts: super::notices::Texts::load(db).await?,
            reopen_window_days: settings::get(db, "appeals.reopen_days")
                .await?
                .parse()
                .unwrap_or(30),
        }))
    }
}

/// A checked status change with what was read for it before the transaction.
pub(crate) struct Plan {
    before: Appeal,
    from: Status,
    to: Status,
    ctx: std::sync::Arc<Context>,
    /// Writes no message to the applicant (a step the caller answers for itself).
    quiet: bool,
}

/// Reads and checks a status change (role, fields, reopen window); writes nothing.
pub(crate) async fn prepare(
    db: &Db,
    id: i64,
    ch: &StatusChange,
    role: Role,
    actor: &Actor,
) -> Result<Plan> {
    let before = get(db, id).await?;
    check(db, before, ch, role, actor, Context::load(db).await?).await
}

/// Checks a status change of an appeal already read; writes nothing.
pub(crate) async fn check(
    db: &Db,
    before: Appeal,
    ch: &StatusChange,
    role: Role,
    actor: &Actor,
    ctx: std::sync::Arc<Context>,
) -> Result<Plan> {
    let to = ch.to.ok_or(AppealRefusal::NoTargetStatus)?;
    let from = Status::from_code(&before.status)
        .ok_or_else(|| StoreError::Other(words::fault::unknown_status(&before.status)))?;
    let kind = AppealKind::from_code(&before.kind).unwrap_or(AppealKind::Request);
    if role == Role::Contractor && !own_contractor_order(db, &before, actor).await? {
        return Err(StoreError::NotFound(words::noun::appeal(before.id)));
    }
    let has_executor = ch
        .department_id
        .or(ch.contractor_id)
        .or(ch.executor_id)
        .is_some()
        || before
            .department_id
            .or(before.contractor_id)
            .or(before.executor_id)
            .is_some();
    let finished_on = before
        .closed_at
        .as_deref()
        .or(before.done_at.as_deref())
        .and_then(time::parse)
        .map(|t| t.with_timezone(&ctx.tz).date_naive());
    check_transition(&Transition {
        kind,
        from,
        to,
        role,
        has_executor,
        reason: text(&ch.reason),
        result: text(&ch.result),
        quality_ok: ch.quality_ok,
        has_decision: text(&ch.decision).is_some() || before.decision.is_some(),
        merged_into: ch.merged_into,
        finished_on,
        today: ctx.now.with_timezone(&ctx.tz).date_naive(),
        reopen_window_days: ctx.reopen_window_days,
    })?;
    Ok(Plan {
        before,
        from,
        to,
        ctx,
        quiet: false,
    })
}

/// The status changes that record a decision taken on the appeal's own register (an
/// absence application approved or refused) as its result: an open appeal is given to the
/// deciding user when nobody executes it (quietly: the decision is the answer), then marked
/// done with `result`, which asks the applicant to rate it. Read and checked before the
/// caller's transaction; an appeal no longer open needs none, nor one nobody executes when
/// the decision comes through a service token.
pub(crate) async fn decided(
    db: &Db,
    id: i64,
    result: &str,
    role: Role,
    actor: &Actor,
) -> Result<Vec<(Plan, StatusChange)>> {
    let before = get(db, id).await?;
    let from = Status::from_code(&before.status)
        .ok_or_else(|| StoreError::Other(words::fault::unknown_status(&before.status)))?;
    let unexecuted = before.department_id.is_none()
        && before.contractor_id.is_none()
        && before.executor_id.is_none();
    // A service token is nobody to execute it: the appeal waits for a person to close it.
    if !from.is_open() || (unexecuted && actor.user_id.is_none()) {
        return Ok(Vec::new());
    }
    let ctx = Context::load(db).await?;
    let mut plans = Vec::new();
    let mut done_from = before.clone();
    if !matches!(from, Status::Assigned | Status::InProgress) {
        let ch = StatusChange {
            to: Some(Status::Assigned),
            executor_id: if unexecuted { actor.user_id } else { None },
            ..Default::default()
        };
        let mut plan = check(db, before, &ch, role, actor, ctx.clone()).await?;
        plan.quiet = true;
        done_from.status = Status::Assigned.code().to_string();
        done_from.executor_id = done_from.executor_id.or(ch.executor_id);
        plans.push((plan, ch));
    }
    let ch = StatusChange {
        to: Some(Status::Done),
        result: Some(result.to_string()),
        ..Default::default()
    };
    plans.push((check(db, done_from, &ch, role, actor, ctx).await?, ch));
    Ok(plans)
}

/// Closes an informational appeal just written in `tx` that was answered on the spot (a
/// consultation by phone): done with `answer`, then closed, each step checked by the state
/// machine, quietly — the caller has heard the answer. `ctx` is read before the transaction.
pub(crate) async fn answered_in(
    tx: &mut AnyConnection,
    db: &Db,
    id: i64,
    answer: &str,
    role: Role,
    actor: &Actor,
    ctx: std::sync::Arc<Context>,
) -> Result<()> {
    let before = super::views::get_in(tx, id).await?;
    let mut closed_from = before.clone();
    let done = StatusChange {
        to: Some(Status::Done),
        result: Some(answer.to_string()),
        ..Default::default()
    };
    let mut plan = check(db, before, &done, role, actor, ctx.clone()).await?;
    plan.quiet = true;
    apply_in(tx, &plan, &done, actor).await?;
    closed_from.status = Status::Done.code().to_string();
    closed_from.done_at = Some(time::fmt(ctx.now));
    let close = StatusChange {
        to: Some(Status::Closed),
        ..Default::default()
    };
    let mut plan = check(db, closed_from, &close, role, actor, ctx).await?;
    plan.quiet = true;
    apply_in(tx, &plan, &close, actor).await
}

/// Writes a prepared status change, its history and the message to the applicant in the
/// caller's transaction.
pub(crate) async fn apply_in(
    tx: &mut AnyConnection,
    plan: &Plan,
    ch: &StatusChange,
    actor: &Actor,
) -> Result<()> {
    let Plan {
        before,
        from,
        to,
        ctx,
        quiet,
    } = plan;
    let Context {
        tz,
        now,
        calendar,
        texts,
        ..
    } = &**ctx;
    let (from, to, now, id) = (*from, *to, *now, before.id);
    let now_text = time::fmt(now);
    let mut sets: Vec<(&str, Val)> = vec![
        ("status", Val::T(to.code().into())),
        ("updated_at", Val::T(now_text.clone())),
    ];
    for (col, v) in [
        ("department_id", ch.department_id),
        ("contractor_id", ch.contractor_id),
        ("executor_id", ch.executor_id),
    ] {
        if let Some(v) = v {
            sets.push((col, Val::I(v)));
        }
    }
    for (col, v) in [
        ("cause", &ch.cause),
        ("responsible", &ch.responsible),
        ("parties", &ch.parties),
        ("decision", &ch.decision),
    ] {
        if let Some(v) = text(v) {
            sets.push((col, Val::T(v.into())));
        }
    }
    match to {
        Status::Done => {
            sets.push((
                "result",
                Val::T(text(&ch.result).unwrap_or_default().into()),
            ));
            sets.push(("done_at", Val::T(now_text.clone())));
            // Eliminated means localised too, at the latest now (a late one stays late).
            if before.localisation_at.is_some() && before.localised_at.is_none() {
                sets.push(("localised_at", Val::T(now_text.clone())));
            }
            terms::index(tx, id, text(&ch.result).unwrap_or_default()).await?;
        }
        Status::QualityChecked => {
            sets.push(("quality_ok", Val::I(1)));
            sets.push(("quality_by", Val::OptI(actor.user_id)));
            sets.push(("quality_at", Val::T(now_text.clone())));
            if let Some(c) = text(&ch.quality_comment) {
                sets.push(("quality_comment", Val::T(c.into())));
            }
        }
        Status::Closed => sets.push(("closed_at", Val::T(now_text.clone()))),
        Status::Rejected => sets.push((
            "reject_reason",
            Val::T(text(&ch.reason).unwrap_or_default().into()),
        )),
        Status::Duplicate => sets.push(("merged_into", Val::I(ch.merged_into.unwrap_or_default()))),
        Status::Reopened => {
            sets.push(("reopen_count", Val::I(before.reopen_count + 1)));
            sets.push(("closed_at", Val::Null));
            sets.push(("done_at", Val::Null));
        }
        _ => {}
    }
    // The clock: a waiting appeal has no deadline; resuming moves it by the paused time;
    // reopening starts the rule anew.
    if to == Status::WaitingForApplicant && from != Status::WaitingForApplicant {
        sqlx::query("INSERT INTO appeal_pauses (appeal_id, from_at, reason) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(&now_text)
            .bind(text(&ch.reason).unwrap_or_default())
            .execute(&mut *tx)
            .await?;
        sets.push(("deadline_at", Val::Null));
    } else if from == Status::WaitingForApplicant {
        sqlx::query("UPDATE appeal_pauses SET to_at = $1 WHERE appeal_id = $2 AND to_at IS NULL")
            .bind(&now_text)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let d = super::deadlines::resumed_in(tx, calendar, before, tz).await?;
        sets.push(("deadline_at", d.map_or(Val::Null, Val::T)));
    } else if to == Status::Reopened {
        let reason = text(&ch.reason).unwrap_or_default();
        let d = super::deadlines::restart_in(tx, calendar, before, tz, now, reason, actor).await?;
        sets.push(("deadline_at", d.map_or(Val::Null, Val::T)));
    }
    let sql = format!(
        "UPDATE appeals SET {} WHERE id = ${}",
        sets.iter()
            .enumerate()
            .map(|(i, (c, _))| format!("{c} = ${}", i + 1))
            .collect::<Vec<_>>()
            .join(", "),
        sets.len() + 1
    );
    let mut q = sqlx::query(&sql);
    for (_, v) in &sets {
        q = match v {
            Val::T(s) => q.bind(s.as_str()),
            Val::I(i) => q.bind(*i),
            Val::OptI(i) => q.bind(*i),
            Val::Null => q.bind(None::<String>),
        };
    }
    q.bind(id).execute(&mut *tx).await?;
    let changed: serde_json::Map<String, serde_json::Value> = sets
        .iter()
        .filter(|(c, _)| *c != "updated_at")
        .map(|(c, v)| (c.to_string(), v.json()))
        .collect();
    history::record(
        tx,
        &time::fmt(now),
        actor,
        Change {
            entity: "appeal",
            entity_id: id,
            parent: None,
            action: "status",
            before: Some(
                serde_json::json!({ "status": before.status, "deadline_at": before.deadline_at }),
            ),
            after: Some(serde_json::Value::Object(changed)),
            note: text(&ch.reason),
        },
    )
    .await?;
    if !quiet {
        let note = text(&ch.reason).or(text(&ch.result));
        super::notices::status_in(tx, texts, id, note, before.deadline_at.as_deref(), actor)
            .await?;
    }
    Ok(())
}

/// A comment: internal, or a message to the applicant, queued in the notifications outbox
/// in the same transaction by the channels the applicant agreed to. Returns the comment's
/// id.
pub async fn comment(
    db: &Db,
    id: i64,
    to_applicant: bool,
    body: &str,
    actor: &Actor,
) -> Result<i64> {
    let mut e = abonent_domain::ValidationErrors::new();
    let body = abonent_domain::text::required(&mut e, "body", forms::COMMENT_LABEL, body, 5000);
    e.into_result(())?;
    get(db, id).await?;
    let texts = if to_applicant {
        Some(super::notices::Texts::load(db).await?)
    } else {
        None
    };
    let mut tx = db.write().begin().await?;
    let kind = if to_applicant {
        "to_applicant"
    } else {
        "internal"
    };
    let cid: i64 = sqlx::query(
        "INSERT INTO appeal_comments (appeal_id, kind, body, author_id, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(id)
    .bind(kind)
    .bind(&body)
    .bind(actor.user_id)
    .bind(db.now_text())
    .fetch_one(&mut *tx)
    .await?
    .get(0);
    terms::index(&mut tx, id, &body).await?;
    history::record(
        &mut tx,
        &db.now_text(),
        actor,
        Change {
            entity: "appeal",
            entity_id: id,
            parent: None,
            action: if to_applicant { "message" } else { "comment" },
            before: None,
            after: Some(serde_json::json!({ "kind": kind, "body": body })),
            note: None,
        },
    )
    .await?;
    if let Some(t) = &texts {
        let a = super::views::get_in(&mut tx, id).await?;
        let dedup = format!("appeal:{id}:comment:{cid}");
        super::notices::to_applicant_in(&mut tx, t, &a, &body, Some(&dedup)).await?;
    }
    tx.commit().await?;
    Ok(cid)
}

enum Val {
    T(String),
    I(i64),
    OptI(Option<i64>),
    Null,
}

impl Val {
    fn json(&self) -> serde_json::Value {
        match self {
            Val::T(s) => s.clone().into(),
            Val::I(i) => (*i).into(),
            Val::OptI(i) => (*i).into(),
            Val::Null => serde_json::Value::Null,
        }
    }
}

async fn own_contractor_order(db: &Db, a: &Appeal, actor: &Actor) -> Result<bool> {
    let Some(c) = a.contractor_id else {
        return Ok(false);
    };
    Ok(
        sqlx::query("SELECT 1 FROM contractors WHERE id = $1 AND user_id = $2")
            .bind(c)
            .bind(actor.user_id.unwrap_or(-1))
            .fetch_optional(db.read())
            .await?
            .is_some(),
    )
}

/// A comment as shown on the card.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CommentRow {
    pub id: i64,
    pub kind: String,
    pub body: String,
    pub author: String,
    pub created_at: String,
}

pub async fn comments(db: &Db, id: i64) -> Result<Vec<CommentRow>> {
    Ok(sqlx::query(
        "SELECT c.id, c.kind, c.body, u.full_name, c.created_at \
         FROM appeal_comments c LEFT JOIN users u ON u.id = c.author_id WHERE c.appeal_id = $1 ORDER BY c.id",
    )
    .bind(id)
    .fetch_all(db.read())
    .await?
    .iter()
    .map(|r| CommentRow {
        id: r.get(0),
        kind: r.get(1),
        body: r.get(2),
        author: r
            .get::<Option<String>, _>(3)
            .unwrap_or_else(|| words::SYSTEM_AUTHOR.into()),
        created_at: r.get(4),
    })
    .collect())
}
