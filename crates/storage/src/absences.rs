//! Applications for recalculation during a temporary absence (issue 20 §3): registered with
//! their appeal in one transaction, decided (approved with the lines computed by
//! `abonent_domain::absence`, or refused with the rule's reason), and posted into the
//! ledger as recalculation entries that name the application. Posting twice writes nothing.

use abonent_domain::absence::words;
use abonent_domain::ledger::{EntryKind, Period};
use abonent_domain::Role;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::appeals::insert::{write_in, Prepared};
use crate::appeals::notices::{to_applicant_in, Texts};
use crate::history::{self, Actor, Change};
use crate::ledger::kind_code;
use crate::{time, Db, Result, StoreError};

/// Where an application is.
pub const REGISTERED: &str = "registered";
pub const APPROVED: &str = "approved";
pub const REFUSED: &str = "refused";
pub const POSTED: &str = "posted";

/// An application as checked by the use case, ready to be written.
#[derive(Debug, Clone, Serialize)]
pub struct NewAbsence {
    pub account_id: i64,
    pub persons: Vec<i64>,
    pub left_on: NaiveDate,
    pub returned_on: NaiveDate,
    pub applied_on: NaiveDate,
    pub reason: String,
    pub documents: String,
    pub documents_received_on: NaiveDate,
    pub metered: Vec<String>,
    pub meter_acts: Vec<String>,
    pub gas_for_heating: bool,
    pub decide_by: NaiveDate,
}

/// One approved recalculation line: what posting writes (a negative recalculation of
/// `kopecks` for `service` in `period`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostLine {
    pub period: String,
    pub service: String,
    pub kopecks: i64,
}

/// A stored application with its appeal's number and deadline.
#[derive(Debug, Clone, Serialize)]
pub struct AbsenceRecord {
    pub id: i64,
    pub appeal_id: i64,
    pub appeal_number: String,
    /// UTC, RFC 3339.
    pub appeal_deadline_at: Option<String>,
    pub account_number: String,
    #[serde(flatten)]
    pub data: NewAbsence,
    pub status: String,
    pub refusal: Option<String>,
    pub lines: Vec<PostLine>,
    pub total: Option<i64>,
    pub decided_by_name: Option<String>,
    pub decided_at: Option<String>,
    pub posted_by_name: Option<String>,
    pub posted_at: Option<String>,
    pub created_at: String,
}

fn codes(list: &[String]) -> String {
    list.join(",")
}

fn split(s: &str) -> Vec<String> {
    s.split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_string)
        .collect()
}

fn date(r: &AnyRow, col: &str) -> Result<NaiveDate> {
    crate::ledger::date_of(&r.get::<String, _>(col))
}

const COLS: &str = "x.id, x.appeal_id, ap.number AS appeal_number, ap.deadline_at, x.account_id, \
    ac.number AS account_number, x.persons, x.left_on, x.returned_on, x.applied_on, x.reason, \
    x.documents, x.documents_received_on, x.metered, x.meter_acts, x.gas_for_heating, x.decide_by, \
    x.status, x.refusal, x.lines, x.total, x.decided_by_name, x.decided_at, x.posted_by_name, \
    x.posted_at, x.created_at";
const FROM: &str = "absences x JOIN appeals ap ON ap.id = x.appeal_id \
    JOIN accounts ac ON ac.id = x.account_id";

fn from_row(r: &AnyRow) -> Result<AbsenceRecord> {
    let json_err = |e: serde_json::Error| StoreError::Other(e.to_string());
    Ok(AbsenceRecord {
        id: r.get("id"),
        appeal_id: r.get("appeal_id"),
        appeal_number: r.get("appeal_number"),
        appeal_deadline_at: r.get("deadline_at"),
        account_number: r.get("account_number"),
        data: NewAbsence {
            account_id: r.get("account_id"),
            persons: serde_json::from_str(&r.get::<String, _>("persons")).map_err(json_err)?,
            left_on: date(r, "left_on")?,
            returned_on: date(r, "returned_on")?,
            applied_on: date(r, "applied_on")?,
            reason: r.get("reason"),
            documents: r.get("documents"),
            documents_received_on: date(r, "documents_received_on")?,
            metered: split(&r.get::<String, _>("metered")),
            meter_acts: split(&r.get::<String, _>("meter_acts")),
            gas_for_heating: r.get::<i64, _>("gas_for_heating") != 0,
            decide_by: date(r, "decide_by")?,
        },
        status: r.get("status"),
        refusal: r.get("refusal"),
        lines: match r.get::<Option<String>, _>("lines") {
            Some(j) => serde_json::from_str(&j).map_err(json_err)?,
            None => Vec::new(),
        },
        total: r.get("total"),
        decided_by_name: r.get("decided_by_name"),
        decided_at: r.get("decided_at"),
        posted_by_name: r.get("posted_by_name"),
        posted_at: r.get("posted_at"),
        created_at: r.get("created_at"),
    })
}

/// Registers the appeal `appeal` and the application `a` linked to it in one transaction:
/// both are written or neither. Returns the application's id.
pub async fn register(db: &Db, appeal: &Prepared, a: &NewAbsence, actor: &Actor) -> Result<i64> {
    let mut tx = db.write().begin().await?;
    let written = write_in(&mut tx, db.backend(), &[appeal]).await?;
    let (appeal_id, number) = written
        .into_iter()
        .next()
        .ok_or_else(|| StoreError::Other("appeal not written".into()))?;
    let now = db.now_text();
    let persons =
        serde_json::to_string(&a.persons).map_err(|e| StoreError::Other(e.to_string()))?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO absences (appeal_id, account_id, persons, left_on, returned_on, applied_on, \
         reason, documents, documents_received_on, metered, meter_acts, gas_for_heating, decide_by, \
         status, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16) RETURNING id",
    )
    .bind(appeal_id)
    .bind(a.account_id)
    .bind(&persons)
    .bind(time::date_text(a.left_on))
    .bind(time::date_text(a.returned_on))
    .bind(time::date_text(a.applied_on))
    .bind(a.reason.trim())
    .bind(a.documents.trim())
    .bind(time::date_text(a.documents_received_on))
    .bind(codes(&a.metered))
    .bind(codes(&a.meter_acts))
    .bind(i64::from(a.gas_for_heating))
    .bind(time::date_text(a.decide_by))
    .bind(REGISTERED)
    .bind(actor.user_id)
    .bind(&now)
    .fetch_one(&mut *tx)
    .await?;
    history::record(
        &mut tx,
        &now,
        actor,
        Change {
            entity: "absence",
            entity_id: id,
            parent: Some(("account", a.account_id)),
            action: "create",
            before: None,
            after: Some(serde_json::json!({
                "appeal": number, "persons": a.persons, "left_on": a.left_on,
                "returned_on": a.returned_on, "applied_on": a.applied_on,
                "reason": a.reason.trim(), "documents": a.documents.trim(),
                "documents_received_on": a.documents_received_on,
                "metered": a.metered, "meter_acts": a.meter_acts,
                "gas_for_heating": a.gas_for_heating, "decide_by": a.decide_by,
            })),
            note: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn get(db: &Db, id: i64) -> Result<AbsenceRecord> {
    let r = sqlx::query(&format!("SELECT {COLS} FROM {FROM} WHERE x.id = $1"))
        .bind(id)
        .fetch_optional(db.read())
        .await?
        .ok_or_else(|| StoreError::NotFound(words::NOUN.into()))?;
    from_row(&r)
}

/// Applications of one account, or all, newest first.
pub async fn list(db: &Db, account_id: Option<i64>) -> Result<Vec<AbsenceRecord>> {
    let rows = match account_id {
        Some(account) => {
            sqlx::query(&format!(
                "SELECT {COLS} FROM {FROM} WHERE x.account_id = $1 ORDER BY x.id DESC"
            ))
            .bind(account)
            .fetch_all(db.read())
            .await?
        }
        None => {
            sqlx::query(&format!("SELECT {COLS} FROM {FROM} ORDER BY x.id DESC"))
                .fetch_all(db.read())
                .await?
        }
    };
    rows.iter().map(from_row).collect()
}

/// One month's charge of one service, summed over the ledger's charge lines.
#[derive(Debug, Clone)]
pub struct MonthCharge {
    pub period: Period,
    pub service: String,
    /// The service's kind (`utility`, `maintenance`, `capital_repair`, `other`).
    pub service_kind: String,
    pub kopecks: i64,
}

/// The account's charges for `from..=to`, per month and service.
pub async fn month_charges(
    db: &Db,
    account_id: i64,
    from: Period,
    to: Period,
) -> Result<Vec<MonthCharge>> {
    let rows = sqlx::query(
        "SELECT e.period, e.service, COALESCE(MAX(s.kind), 'other'), \
         CAST(SUM(e.amount) AS BIGINT) FROM ledger_entries e \
         LEFT JOIN services s ON s.code = e.service \
         WHERE e.account_id = $1 AND e.kind = $2 AND e.period >= $3 AND e.period <= $4 \
         AND e.service IS NOT NULL \
         GROUP BY e.period, e.service ORDER BY e.period, e.service",
    )
    .bind(account_id)
    .bind(kind_code(EntryKind::Charge))
    .bind(from.to_string())
    .bind(to.to_string())
    .fetch_all(db.read())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(MonthCharge {
                period: crate::ledger::period_of(&r.get::<String, _>(0))?,
                service: r.get(1),
                service_kind: r.get(2),
                kopecks: r.get(3),
            })
        })
        .collect()
}

/// The answer to send the applicant through the outbox with a decision.
pub struct Answer<'a> {
    pub texts: &'a Texts,
    pub body: &'a str,
}

/// Locks the application for a change from one of `from` to `to`; the record before it.
async fn move_status(
    conn: &mut AnyConnection,
    id: i64,
    from: &[&str],
    to: &str,
    now: &str,
) -> Result<String> {
    let status: String = sqlx::query_scalar("SELECT status FROM absences WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| StoreError::NotFound(words::NOUN.into()))?;
    let moved = sqlx::query(&format!(
        "UPDATE absences SET status = $1, updated_at = $2 WHERE id = $3 AND status IN ({})",
        from.iter()
            .map(|s| format!("'{s}'"))
            .collect::<Vec<_>>()
            .join(", ")
    ))
    .bind(to)
    .bind(now)
    .bind(id)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if moved == 0 {
        return Err(StoreError::invalid("status", words::decided(&status)));
    }
    Ok(status)
}

async fn answer_in(
    conn: &mut AnyConnection,
    appeal_id: i64,
    id: i64,
    action: &str,
    answer: &Answer<'_>,
) -> Result<usize> {
    let appeal = crate::appeals::get_in(conn, appeal_id).await?;
    let dedup = format!("absence:{id}:{action}");
    to_applicant_in(conn, answer.texts, &appeal, answer.body, Some(&dedup)).await
}

/// Approves a registered application with the recalculation `lines` (their sum is the
/// total); the applicant gets `answer`. Returns the messages queued.
pub async fn approve(
    db: &Db,
    id: i64,
    lines: &[PostLine],
    answer: &Answer<'_>,
    role: Role,
    actor: &Actor,
) -> Result<usize> {
    decide(db, id, Decision::Approve(lines), answer, role, actor).await
}

/// Refuses a registered (or approved, not yet posted) application with `reason`; the
/// applicant gets `answer`. Returns the messages queued.
pub async fn refuse(
    db: &Db,
    id: i64,
    reason: &str,
    answer: &Answer<'_>,
    role: Role,
    actor: &Actor,
) -> Result<usize> {
    decide(db, id, Decision::Refuse(reason.trim()), answer, role, actor).await
}

#[derive(Clone, Copy)]
enum Decision<'a> {
    Approve(&'a [PostLine]),
    Refuse(&'a str),
}

/// A decision, its history row, the answer to the applicant and the appeal marked done with
/// it (so the journal no longer counts it open), in one transaction.
async fn decide(
    db: &Db,
    id: i64,
    d: Decision<'_>,
    answer: &Answer<'_>,
    role: Role,
    actor: &Actor,
) -> Result<usize> {
    let appeal_id = get(db, id).await?.appeal_id;
    let plans = crate::appeals::decided(db, appeal_id, answer.body, role, actor).await?;
    let (from, to, action): (&[&str], _, _) = match d {
        Decision::Approve(_) => (&[REGISTERED], APPROVED, "approve"),
        Decision::Refuse(_) => (&[REGISTERED, APPROVED], REFUSED, "refuse"),
    };
    let (lines, total, refusal) = match d {
        Decision::Approve(lines) => {
            let json =
                serde_json::to_string(lines).map_err(|e| StoreError::Other(e.to_string()))?;
            (
                Some(json),
                Some(lines.iter().map(|l| l.kopecks).sum::<i64>()),
                None,
            )
        }
        Decision::Refuse(reason) => (None, None, Some(reason)),
    };
    let now = db.now_text();
    let mut tx = db.write().begin().await?;
    let before = move_status(&mut tx, id, from, to, &now).await?;
    let account_id: i64 = sqlx::query_scalar("SELECT account_id FROM absences WHERE id = $1")
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
    sqlx::query(
        "UPDATE absences SET lines = $1, total = $2, refusal = $3, decided_by_name = $4, \
         decided_at = $5 WHERE id = $6",
    )
    .bind(&lines)
    .bind(total)
    .bind(refusal)
    .bind(&actor.name)
    .bind(&now)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    let after = match d {
        Decision::Approve(l) => serde_json::json!({ "status": to, "lines": l, "total": total }),
        Decision::Refuse(r) => serde_json::json!({ "status": to, "refusal": r }),
    };
    history::record(
        &mut tx,
        &now,
        actor,
        Change {
            entity: "absence",
            entity_id: id,
            parent: Some(("account", account_id)),
            action,
            before: Some(serde_json::json!({ "status": before })),
            after: Some(after),
            note: refusal,
        },
    )
    .await?;
    let sent = answer_in(&mut tx, appeal_id, id, "decision", answer).await?;
    for (plan, ch) in &plans {
        crate::appeals::apply_in(&mut tx, plan, ch, actor).await?;
    }
    tx.commit().await?;
    Ok(sent)
}

/// Posts an approved application: one recalculation entry per line, dated `today`, with
/// `note` as its reason and the application's id, the account's debts refreshed — one
/// transaction. An application already posted posts nothing: `Ok(0)`.
pub async fn post(db: &Db, id: i64, note: &str, today: NaiveDate, actor: &Actor) -> Result<usize> {
    let now = db.now_text();
    let mut tx = db.write().begin().await?;
    let status: String = sqlx::query_scalar("SELECT status FROM absences WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| StoreError::NotFound(words::NOUN.into()))?;
    if status == POSTED {
        return Ok(0);
    }
    // The update takes the row: a second poster waits here, then finds it posted.
    let moved = sqlx::query(
        "UPDATE absences SET status = $1, posted_by_name = $2, posted_at = $3, updated_at = $3 \
         WHERE id = $4 AND status = $5",
    )
    .bind(POSTED)
    .bind(&actor.name)
    .bind(&now)
    .bind(id)
    .bind(APPROVED)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if moved == 0 {
        let now_status: String = sqlx::query_scalar("SELECT status FROM absences WHERE id = $1")
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        if now_status == POSTED {
            return Ok(0);
        }
        return Err(StoreError::invalid(
            "status",
            words::not_approved(&now_status),
        ));
    }
    let row = sqlx::query("SELECT account_id, lines FROM absences WHERE id = $1")
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
    let account_id: i64 = row.get(0);
    let lines: Vec<PostLine> =
        serde_json::from_str(&row.get::<Option<String>, _>(1).unwrap_or_default())
            .map_err(|e| StoreError::Other(e.to_string()))?;
    let mut ids = Vec::new();
    for l in lines.iter().filter(|l| l.kopecks != 0) {
        let entry: i64 = sqlx::query_scalar(
            "INSERT INTO ledger_entries (account_id, kind, period, service, amount, entry_date, \
             reason, created_by, created_at, absence_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        )
        .bind(account_id)
        .bind(kind_code(EntryKind::Recalculation))
        .bind(&l.period)
        .bind(&l.service)
        .bind(-l.kopecks)
        .bind(time::date_text(today))
        .bind(note)
        .bind(actor.user_id)
        .bind(&now)
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
        ids.push(entry);
    }
    history::record(
        &mut tx,
        &now,
        actor,
        Change {
            entity: "absence",
            entity_id: id,
            parent: Some(("account", account_id)),
            action: "post",
            before: Some(serde_json::json!({ "status": APPROVED })),
            after: Some(serde_json::json!({ "status": POSTED, "entries": ids, "lines": lines })),
            note: Some(note),
        },
    )
    .await?;
    crate::ledger::debts::refresh_in(db, &mut tx, &[account_id], today).await?;
    tx.commit().await?;
    Ok(ids.len())
}

/// The ledger entries posted for application `id`.
pub async fn entries(db: &Db, id: i64) -> Result<Vec<i64>> {
    Ok(
        sqlx::query_scalar("SELECT id FROM ledger_entries WHERE absence_id = $1 ORDER BY id")
            .bind(id)
            .fetch_all(db.read())
            .await?,
    )
}
