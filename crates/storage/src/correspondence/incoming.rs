//! The incoming register (входящая корреспонденция): number, deadline by the rule of the
//! sender kind on the production calendar, executor, status and the answer.

use abonent_domain::correspondence::{
    answer_deadline_by, answer_note, check_status_change, CorrespondenceRefusal, IncomingData,
    IncomingStatus, SenderKind,
};
use abonent_domain::missing::Missing;
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use super::{check_refs, like_pattern, rules, search_text, Period, Register};
use crate::history::{self, Actor, Change};
use crate::registry::{diff, Page, PageReq};
use crate::{calendar, numbering, time, Db, Result, StoreError};

/// Numbering scope of the register (setting `numbering.incoming`).
pub const SCOPE: &str = "incoming";

#[derive(Debug, Clone, Serialize)]
pub struct Incoming {
    pub id: i64,
    /// Registration number, e.g. `Вх-7/26`.
    pub number: String,
    pub year: i32,
    pub seq: i64,
    #[serde(flatten)]
    pub data: IncomingData,
    /// Answer due on this date (organization's local date).
    pub deadline_on: NaiveDate,
    /// Rule code or `letter_term`.
    pub deadline_rule: String,
    /// Why this deadline: the rule with its legal source.
    pub deadline_basis: String,
    pub status: IncomingStatus,
    /// Reason of closing without an answer or of reopening.
    pub status_reason: Option<String>,
    pub answered_by_outgoing_id: Option<i64>,
    pub answered_by_number: Option<String>,
    pub executor_name: Option<String>,
    /// Still awaiting an answer after its deadline (as of the organization's today).
    pub overdue: bool,
    pub created_at: String,
}

/// Which letters a list shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum StatusFilter {
    #[default]
    All,
    /// Registered or in work, sorted by deadline.
    Awaiting,
    /// Awaiting with the deadline passed.
    Overdue,
    /// Awaiting, the deadline not passed (reports).
    InTime,
    /// Answered by a letter sent on or before the deadline (reports).
    AnsweredOnTime,
    /// Answered by a letter sent after the deadline (reports).
    AnsweredLate,
    Only(IncomingStatus),
}

impl StatusFilter {
    pub fn from_code(s: &str) -> StatusFilter {
        match s {
            "awaiting" => StatusFilter::Awaiting,
            "overdue" => StatusFilter::Overdue,
            "in_time" => StatusFilter::InTime,
            "answered_on_time" => StatusFilter::AnsweredOnTime,
            "answered_late" => StatusFilter::AnsweredLate,
            other => IncomingStatus::from_code(other).map_or(StatusFilter::All, StatusFilter::Only),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct IncomingFilter {
    /// Words of the number, sender, their number or subject.
    pub q: Option<String>,
    /// On the date received.
    pub period: Period,
    pub status: StatusFilter,
    pub sender_kind: Option<SenderKind>,
    pub executor_user_id: Option<i64>,
}

const COLS: &str = "i.id, i.year, i.seq, i.number, i.received_on, i.sender_kind, i.sender_name, \
    i.sender_ref_number, i.sender_ref_date, i.subject, i.pages, i.executor_user_id, i.letter_term, \
    i.deadline_on, i.deadline_rule, i.deadline_basis, i.status, i.status_reason, \
    i.answered_by_outgoing_id, i.account_id, i.person_id, i.note, i.created_at, \
    u.full_name AS executor_name, o.number AS answer_number";
const FROM: &str = "incoming_letters i LEFT JOIN users u ON u.id = i.executor_user_id \
    LEFT JOIN outgoing_letters o ON o.id = i.answered_by_outgoing_id";

fn from_row(r: &AnyRow, today: NaiveDate) -> Incoming {
    let status = IncomingStatus::from_code(&r.get::<String, _>("status"))
        .unwrap_or(IncomingStatus::Registered);
    let deadline_on = time::opt_date(r.get("deadline_on")).unwrap_or_default();
    Incoming {
        id: r.get("id"),
        number: r.get("number"),
        year: r.get::<i64, _>("year") as i32,
        seq: r.get("seq"),
        data: IncomingData {
            received_on: time::opt_date(r.get("received_on")).unwrap_or_default(),
            sender_kind: SenderKind::from_code(&r.get::<String, _>("sender_kind"))
                .unwrap_or(SenderKind::Organization),
            sender_name: r.get("sender_name"),
            sender_ref_number: r.get("sender_ref_number"),
            sender_ref_date: time::opt_date(r.get("sender_ref_date")),
            subject: r.get("subject"),
            pages: r.get("pages"),
            executor_user_id: r.get("executor_user_id"),
            letter_term: time::opt_date(r.get("letter_term")),
            account_id: r.get("account_id"),
            person_id: r.get("person_id"),
            note: r.get("note"),
        },
        deadline_on,
        deadline_rule: r.get("deadline_rule"),
        deadline_basis: r.get("deadline_basis"),
        status,
        status_reason: r.get("status_reason"),
        answered_by_outgoing_id: r.get("answered_by_outgoing_id"),
        answered_by_number: r.get("answer_number"),
        executor_name: r.get("executor_name"),
        overdue: status.is_awaiting() && deadline_on < today,
        created_at: r.get("created_at"),
    }
}

fn search_of(number: &str, d: &IncomingData) -> String {
    search_text(&[
        Some(number),
        Some(&d.sender_name),
        d.sender_ref_number.as_deref(),
        Some(&d.subject),
    ])
}

/// The answer deadline of `d` by the current rules and calendar.
async fn deadline_of(
    db: &Db,
    d: &IncomingData,
) -> Result<abonent_domain::correspondence::AnswerDeadline> {
    let rule = rules::rule(db, d.sender_kind).await?;
    let cal = calendar::load(db).await?;
    Ok(answer_deadline_by(
        &rule,
        d.received_on,
        d.letter_term,
        &cal,
    ))
}

/// Registers a letter: number of the year received, deadline by the rule of its sender kind.
/// A letter with an executor starts «in work».
pub async fn create(db: &Db, d: &IncomingData, actor: &Actor) -> Result<(i64, String)> {
    let deadline = deadline_of(db, d).await?;
    let mut tx = db.write().begin().await?;
    check_refs(&mut tx, d.executor_user_id, d.account_id, d.person_id).await?;
    let year = d.received_on.year();
    let (seq, number) = numbering::issue(&mut tx, SCOPE, year).await?;
    let status = if d.executor_user_id.is_some() {
        IncomingStatus::InWork
    } else {
        IncomingStatus::Registered
    };
    let now = db.now_text();
    let id: i64 = sqlx::query(
        "INSERT INTO incoming_letters (year, seq, number, received_on, sender_kind, sender_name, \
         sender_ref_number, sender_ref_date, subject, pages, executor_user_id, letter_term, \
         deadline_on, deadline_rule, deadline_basis, status, account_id, person_id, note, \
         search_text, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, \
         $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $22) RETURNING id",
    )
    .bind(i64::from(year))
    .bind(seq)
    .bind(&number)
    .bind(time::date_text(d.received_on))
    .bind(d.sender_kind.code())
    .bind(&d.sender_name)
    .bind(&d.sender_ref_number)
    .bind(d.sender_ref_date.map(time::date_text))
    .bind(&d.subject)
    .bind(d.pages)
    .bind(d.executor_user_id)
    .bind(d.letter_term.map(time::date_text))
    .bind(time::date_text(deadline.due))
    .bind(&deadline.rule)
    .bind(&deadline.basis)
    .bind(status.code())
    .bind(d.account_id)
    .bind(d.person_id)
    .bind(&d.note)
    .bind(search_of(&number, d))
    .bind(actor.user_id)
    .bind(&now)
    .fetch_one(&mut *tx)
    .await?
    .get(0);
    let mut after = serde_json::to_value(d).unwrap_or_default();
    after["number"] = number.clone().into();
    after["deadline_on"] = time::date_text(deadline.due).into();
    after["status"] = status.code().into();
    history::record(
        &mut tx,
        &now,
        actor,
        Change {
            entity: Register::Incoming.entity(),
            entity_id: id,
            parent: None,
            action: "create",
            before: None,
            after: Some(after),
            note: Some(&deadline.basis),
        },
    )
    .await?;
    tx.commit().await?;
    Ok((id, number))
}

pub async fn get(db: &Db, id: i64, today: NaiveDate) -> Result<Incoming> {
    sqlx::query(&format!("SELECT {COLS} FROM {FROM} WHERE i.id = $1"))
        .bind(id)
        .fetch_optional(db.read())
        .await?
        .map(|r| from_row(&r, today))
        .ok_or_else(|| StoreError::from(Missing::Incoming(id)))
}

/// Corrects a letter. The deadline is computed again when the date, sender kind or term
/// changed; the number and its year stay. Assigning an executor puts a registered letter
/// in work.
pub async fn update(db: &Db, id: i64, d: &IncomingData, actor: &Actor) -> Result<()> {
    let old = get(db, id, NaiveDate::MIN).await?;
    if d.received_on.year() != old.year {
        return Err(CorrespondenceRefusal::ReceivedInOtherYear {
            number: old.number,
            year: old.year,
        }
        .into());
    }
    let recompute = d.received_on != old.data.received_on
        || d.sender_kind != old.data.sender_kind
        || d.letter_term != old.data.letter_term;
    let deadline = if recompute {
        let a = deadline_of(db, d).await?;
        (a.due, a.rule, a.basis)
    } else {
        (
            old.deadline_on,
            old.deadline_rule.clone(),
            old.deadline_basis.clone(),
        )
    };
    let status = if old.status == IncomingStatus::Registered && d.executor_user_id.is_some() {
        IncomingStatus::InWork
    } else {
        old.status
    };
    let mut tx = db.write().begin().await?;
    check_refs(&mut tx, d.executor_user_id, d.account_id, d.person_id).await?;
    sqlx::query(
        "UPDATE incoming_letters SET received_on = $1, sender_kind = $2, sender_name = $3, \
         sender_ref_number = $4, sender_ref_date = $5, subject = $6, pages = $7, \
         executor_user_id = $8, letter_term = $9, deadline_on = $10, deadline_rule = $11, \
         deadline_basis = $12, status = $13, account_id = $14, person_id = $15, note = $16, \
         search_text = $17, updated_at = $18 WHERE id = $19",
    )
    .bind(time::date_text(d.received_on))
    .bind(d.sender_kind.code())
    .bind(&d.sender_name)
    .bind(&d.sender_ref_number)
    .bind(d.sender_ref_date.map(time::date_text))
    .bind(&d.subject)
    .bind(d.pages)
    .bind(d.executor_user_id)
    .bind(d.letter_term.map(time::date_text))
    .bind(time::date_text(deadline.0))
    .bind(&deadline.1)
    .bind(&deadline.2)
    .bind(status.code())
    .bind(d.account_id)
    .bind(d.person_id)
    .bind(&d.note)
    .bind(search_of(&old.number, d))
    .bind(db.now_text())
    .bind(id)
    .execute(&mut *tx)
    .await?;
    let mut before = serde_json::to_value(&old.data).unwrap_or_default();
    before["deadline_on"] = time::date_text(old.deadline_on).into();
    before["status"] = old.status.code().into();
    let mut after = serde_json::to_value(d).unwrap_or_default();
    after["deadline_on"] = time::date_text(deadline.0).into();
    after["status"] = status.code().into();
    if let Some((before, after)) = diff(&before, &after) {
        history::record(
            &mut tx,
            &db.now_text(),
            actor,
            Change {
                entity: Register::Incoming.entity(),
                entity_id: id,
                parent: None,
                action: "update",
                before: Some(before),
                after: Some(after),
                note: recompute.then_some(deadline.2.as_str()),
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Moves a letter to `to`: in work (also reopening an answered or closed one, with a reason)
/// or closed without an answer (reason required). «Answered» comes only from registering the
/// outgoing reply, so the register always shows which letter answered.
pub async fn set_status(
    db: &Db,
    id: i64,
    to: IncomingStatus,
    reason: &str,
    actor: &Actor,
) -> Result<()> {
    let old = get(db, id, NaiveDate::MIN).await?;
    let reason = abonent_domain::text::clean(reason);
    check_status_change(old.status, to, reason.as_deref())?;
    let mut tx = db.write().begin().await?;
    sqlx::query(
        "UPDATE incoming_letters SET status = $1, status_reason = $2, updated_at = $3 WHERE id = $4",
    )
    .bind(to.code())
    .bind(&reason)
    .bind(db.now_text())
    .bind(id)
    .execute(&mut *tx)
    .await?;
    history::record(
        &mut tx,
        &db.now_text(),
        actor,
        Change {
            entity: Register::Incoming.entity(),
            entity_id: id,
            parent: None,
            action: "status",
            before: Some(serde_json::json!({"status": old.status.code()})),
            after: Some(serde_json::json!({"status": to.code()})),
            note: reason.as_deref(),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The letter `id` exists and may be answered (a field error on `answers_incoming_id` if not).
pub(crate) async fn check_answerable(conn: &mut AnyConnection, id: i64) -> Result<()> {
    let found = sqlx::query("SELECT id FROM incoming_letters WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .is_some();
    if found {
        Ok(())
    } else {
        Err(CorrespondenceRefusal::NoSuchAnswered(id).into())
    }
}

/// Marks the letter answered by the outgoing letter `outgoing_id`, in the caller's transaction.
pub(crate) async fn mark_answered(
    conn: &mut AnyConnection,
    now: &str,
    id: i64,
    outgoing_id: i64,
    outgoing_number: &str,
    actor: &Actor,
) -> Result<()> {
    let old: String = sqlx::query("SELECT status FROM incoming_letters WHERE id = $1")
        .bind(id)
        .fetch_one(&mut *conn)
        .await?
        .get(0);
    sqlx::query(
        "UPDATE incoming_letters SET status = $1, status_reason = NULL, \
         answered_by_outgoing_id = $2, updated_at = $3 WHERE id = $4",
    )
    .bind(IncomingStatus::Answered.code())
    .bind(outgoing_id)
    .bind(now)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    let note = answer_note(outgoing_number);
    history::record(
        conn,
        now,
        actor,
        Change {
            entity: Register::Incoming.entity(),
            entity_id: id,
            parent: None,
            action: "answer",
            before: Some(serde_json::json!({"status": old})),
            after: Some(serde_json::json!({
                "status": IncomingStatus::Answered.code(),
                "answered_by_outgoing_id": outgoing_id,
            })),
            note: Some(&note),
        },
    )
    .await
}

fn where_of(f: &IncomingFilter, today: NaiveDate) -> (String, Vec<String>) {
    let mut wh = vec!["1=1".to_string()];
    let mut args = Vec::new();
    if let Some(q) = f.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        args.push(like_pattern(q));
        wh.push(format!("i.search_text LIKE ${} ESCAPE '\\'", args.len()));
    }
    if let Some(from) = f.period.from {
        args.push(time::date_text(from));
        wh.push(format!("i.received_on >= ${}", args.len()));
    }
    if let Some(to) = f.period.to {
        args.push(time::date_text(to));
        wh.push(format!("i.received_on <= ${}", args.len()));
    }
    match f.status {
        StatusFilter::All => {}
        StatusFilter::Only(s) => {
            args.push(s.code().into());
            wh.push(format!("i.status = ${}", args.len()));
        }
        other => {
            // Today is bound only where the condition reads it (PostgreSQL types each bind).
            let today_n = format!("${}", args.len() + 1);
            if let Some(c) = status_condition(other, &today_n) {
                if c.contains(&today_n) {
                    args.push(time::date_text(today));
                }
                wh.push(c);
            }
        }
    }
    if let Some(k) = f.sender_kind {
        args.push(k.code().into());
        wh.push(format!("i.sender_kind = ${}", args.len()));
    }
    if let Some(u) = f.executor_user_id {
        wh.push(format!("i.executor_user_id = {u}"));
    }
    (wh.join(" AND "), args)
}

/// The condition of a view that needs no value but today (`today` is its placeholder);
/// shared with the correspondence report, so its figures are what the register finds.
pub fn status_condition(s: StatusFilter, today: &str) -> Option<String> {
    let awaiting = "i.status IN ('registered', 'in_work')";
    let answer = "i.status = 'answered' AND EXISTS (SELECT 1 FROM outgoing_letters ao \
        WHERE ao.id = i.answered_by_outgoing_id AND ao.sent_on";
    match s {
        StatusFilter::All | StatusFilter::Only(_) => None,
        StatusFilter::Awaiting => Some(awaiting.into()),
        StatusFilter::Overdue => Some(format!("{awaiting} AND i.deadline_on < {today}")),
        StatusFilter::InTime => Some(format!("{awaiting} AND i.deadline_on >= {today}")),
        StatusFilter::AnsweredOnTime => Some(format!("{answer} <= i.deadline_on)")),
        StatusFilter::AnsweredLate => Some(format!("{answer} > i.deadline_on)")),
    }
}

/// The register: awaiting views by deadline (nearest first), the rest newest first.
pub async fn list(
    db: &Db,
    f: &IncomingFilter,
    today: NaiveDate,
    page: PageReq,
) -> Result<Page<Incoming>> {
    let (wh, args) = where_of(f, today);
    let order = match f.status {
        StatusFilter::Awaiting | StatusFilter::Overdue => "i.deadline_on, i.year, i.seq",
        _ => "i.year DESC, i.seq DESC",
    };
    let sql = format!(
        "SELECT {COLS} FROM {FROM} WHERE {wh} ORDER BY {order} LIMIT {} OFFSET {}",
        page.per_page,
        page.offset()
    );
    let count_sql = format!("SELECT COUNT(*) FROM incoming_letters i WHERE {wh}");
    let mut q = sqlx::query(&sql);
    let mut c = sqlx::query_scalar::<_, i64>(&count_sql);
    for a in &args {
        q = q.bind(a.clone());
        c = c.bind(a.clone());
    }
    let items = q
        .fetch_all(db.read())
        .await?
        .iter()
        .map(|r| from_row(r, today))
        .collect();
    Ok(Page {
        items,
        total: c.fetch_one(db.read()).await?,
        page: page.page,
        per_page: page.per_page,
    })
}

/// Every letter received in the period, in register order (for the XLSX export).
pub async fn for_period(db: &Db, period: Period, today: NaiveDate) -> Result<Vec<Incoming>> {
    let f = IncomingFilter {
        period,
        ..Default::default()
    };
    let (wh, args) = where_of(&f, today);
    let sql = format!("SELECT {COLS} FROM {FROM} WHERE {wh} ORDER BY i.year, i.seq");
    let mut q = sqlx::query(&sql);
    for a in &args {
        q = q.bind(a.clone());
    }
    Ok(q.fetch_all(db.read())
        .await?
        .iter()
        .map(|r| from_row(r, today))
        .collect())
}

/// How many letters await an answer and how many of them are overdue (home page, menu).
pub async fn awaiting_counts(db: &Db, today: NaiveDate) -> Result<(i64, i64)> {
    let r = sqlx::query(
        "SELECT COUNT(*), COALESCE(SUM(CASE WHEN deadline_on < $1 THEN 1 ELSE 0 END), 0) \
         FROM incoming_letters WHERE status IN ('registered', 'in_work')",
    )
    .bind(time::date_text(today))
    .fetch_one(db.read())
    .await?;
    Ok((r.get(0), r.get(1)))
}
