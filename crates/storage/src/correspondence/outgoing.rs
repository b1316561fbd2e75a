//! The outgoing register (исходящая корреспонденция). A letter that answers an incoming one
//! marks it answered in the same transaction.

use abonent_domain::correspondence::{CorrespondenceRefusal, OutgoingData, SendMethod};
use abonent_domain::missing::Missing;
use chrono::Datelike;
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use super::{check_refs, incoming, like_pattern, search_text, Period, Register};
use crate::history::{self, Actor, Change};
use crate::registry::{diff, Page, PageReq};
use crate::{numbering, time, Db, Result, StoreError};

/// Numbering scope of the register (setting `numbering.outgoing`).
pub const SCOPE: &str = "outgoing";

#[derive(Debug, Clone, Serialize)]
pub struct Outgoing {
    pub id: i64,
    /// Registration number, e.g. `Исх-12/26`.
    pub number: String,
    pub year: i32,
    pub seq: i64,
    #[serde(flatten)]
    pub data: OutgoingData,
    /// Number of the incoming letter answered, when there is one.
    pub answers_incoming_number: Option<String>,
    pub created_at: String,
}

#[derive(Debug, Clone, Default)]
pub struct OutgoingFilter {
    /// Words of the number, addressee, subject or tracking number.
    pub q: Option<String>,
    pub period: Period,
    pub method: Option<SendMethod>,
}

const COLS: &str = "o.id, o.year, o.seq, o.number, o.sent_on, o.addressee, o.subject, o.method, \
    o.tracking_number, o.document_id, o.answers_incoming_id, o.account_id, o.person_id, o.note, \
    o.created_at, i.number AS answers_number";
const FROM: &str =
    "outgoing_letters o LEFT JOIN incoming_letters i ON i.id = o.answers_incoming_id";

fn from_row(r: &AnyRow) -> Outgoing {
    Outgoing {
        id: r.get("id"),
        number: r.get("number"),
        year: r.get::<i64, _>("year") as i32,
        seq: r.get("seq"),
        data: OutgoingData {
            sent_on: time::opt_date(r.get("sent_on")).unwrap_or_default(),
            addressee: r.get("addressee"),
            subject: r.get("subject"),
            method: SendMethod::from_code(&r.get::<String, _>("method"))
                .unwrap_or(SendMethod::Post),
            tracking_number: r.get("tracking_number"),
            document_id: r.get("document_id"),
            answers_incoming_id: r.get("answers_incoming_id"),
            account_id: r.get("account_id"),
            person_id: r.get("person_id"),
            note: r.get("note"),
        },
        answers_incoming_number: r.get("answers_number"),
        created_at: r.get("created_at"),
    }
}

fn search_of(number: &str, d: &OutgoingData) -> String {
    search_text(&[
        Some(number),
        Some(&d.addressee),
        Some(&d.subject),
        d.tracking_number.as_deref(),
    ])
}

/// Registers an outgoing letter inside the caller's transaction: checks what it refers to,
/// takes the next number of the year of `sent_on`, writes the letter and its history, and
/// marks the incoming letter it answers. `document_id` (the issued document the letter
/// carries), when given, replaces `data.document_id`. Returns the id and the number.
pub async fn create_in(
    conn: &mut AnyConnection,
    db: &Db,
    data: &OutgoingData,
    document_id: Option<i64>,
    actor: &Actor,
) -> Result<(i64, String)> {
    let mut d = data.clone();
    if document_id.is_some() {
        d.document_id = document_id;
    }
    check_refs(&mut *conn, None, d.account_id, d.person_id).await?;
    if let Some(inc) = d.answers_incoming_id {
        incoming::check_answerable(&mut *conn, inc).await?;
    }
    let year = d.sent_on.year();
    let (seq, number) = numbering::issue(&mut *conn, SCOPE, year).await?;
    let now = db.now_text();
    let id: i64 = sqlx::query(
        "INSERT INTO outgoing_letters (year, seq, number, sent_on, addressee, subject, method, \
         tracking_number, document_id, answers_incoming_id, account_id, person_id, note, \
         search_text, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16) RETURNING id",
    )
    .bind(i64::from(year))
    .bind(seq)
    .bind(&number)
    .bind(time::date_text(d.sent_on))
    .bind(&d.addressee)
    .bind(&d.subject)
    .bind(d.method.code())
    .bind(&d.tracking_number)
    .bind(d.document_id)
    .bind(d.answers_incoming_id)
    .bind(d.account_id)
    .bind(d.person_id)
    .bind(&d.note)
    .bind(search_of(&number, &d))
    .bind(actor.user_id)
    .bind(&now)
    .fetch_one(&mut *conn)
    .await?
    .get(0);
    let mut after = serde_json::to_value(&d).unwrap_or_default();
    after["number"] = number.clone().into();
    history::record(
        &mut *conn,
        &now,
        actor,
        Change {
            entity: Register::Outgoing.entity(),
            entity_id: id,
            parent: None,
            action: "create",
            before: None,
            after: Some(after),
            note: None,
        },
    )
    .await?;
    if let Some(inc) = d.answers_incoming_id {
        incoming::mark_answered(&mut *conn, &now, inc, id, &number, actor).await?;
    }
    Ok((id, number))
}

/// Records in the caller's transaction which issued document a registered letter carries
/// (when the document gets its id only after the letter got its number), with history.
pub async fn link_document_in(
    conn: &mut AnyConnection,
    now: &str,
    id: i64,
    document_id: i64,
    actor: &Actor,
) -> Result<()> {
    sqlx::query("UPDATE outgoing_letters SET document_id = $1, updated_at = $2 WHERE id = $3")
        .bind(document_id)
        .bind(now)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    history::record(
        conn,
        now,
        actor,
        Change {
            entity: Register::Outgoing.entity(),
            entity_id: id,
            parent: None,
            action: "update",
            before: Some(serde_json::json!({"document_id": null})),
            after: Some(serde_json::json!({"document_id": document_id})),
            note: None,
        },
    )
    .await
}

/// [`create_in`] in a transaction of its own.
pub async fn create(db: &Db, data: &OutgoingData, actor: &Actor) -> Result<(i64, String)> {
    let mut tx = db.write().begin().await?;
    let r = create_in(&mut tx, db, data, None, actor).await?;
    tx.commit().await?;
    Ok(r)
}

pub async fn get(db: &Db, id: i64) -> Result<Outgoing> {
    sqlx::query(&format!("SELECT {COLS} FROM {FROM} WHERE o.id = $1"))
        .bind(id)
        .fetch_optional(db.read())
        .await?
        .map(|r| from_row(&r))
        .ok_or_else(|| StoreError::from(Missing::Outgoing(id)))
}

/// Corrects a registered letter. The number and its year stay: a date moved into another
/// year is refused. Linking it to an incoming letter marks that one answered.
pub async fn update(db: &Db, id: i64, d: &OutgoingData, actor: &Actor) -> Result<()> {
    let old = get(db, id).await?;
    if d.sent_on.year() != old.year {
        return Err(CorrespondenceRefusal::SentInOtherYear {
            number: old.number,
            year: old.year,
        }
        .into());
    }
    let mut tx = db.write().begin().await?;
    check_refs(&mut tx, None, d.account_id, d.person_id).await?;
    let relinked = d
        .answers_incoming_id
        .filter(|i| old.data.answers_incoming_id != Some(*i));
    if let Some(inc) = relinked {
        incoming::check_answerable(&mut tx, inc).await?;
    }
    sqlx::query(
        "UPDATE outgoing_letters SET sent_on = $1, addressee = $2, subject = $3, method = $4, \
         tracking_number = $5, document_id = $6, answers_incoming_id = $7, account_id = $8, \
         person_id = $9, note = $10, search_text = $11, updated_at = $12 WHERE id = $13",
    )
    .bind(time::date_text(d.sent_on))
    .bind(&d.addressee)
    .bind(&d.subject)
    .bind(d.method.code())
    .bind(&d.tracking_number)
    .bind(d.document_id)
    .bind(d.answers_incoming_id)
    .bind(d.account_id)
    .bind(d.person_id)
    .bind(&d.note)
    .bind(search_of(&old.number, d))
    .bind(db.now_text())
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if let Some((before, after)) = diff(
        &serde_json::to_value(&old.data).unwrap_or_default(),
        &serde_json::to_value(d).unwrap_or_default(),
    ) {
        history::record(
            &mut tx,
            &db.now_text(),
            actor,
            Change {
                entity: Register::Outgoing.entity(),
                entity_id: id,
                parent: None,
                action: "update",
                before: Some(before),
                after: Some(after),
                note: None,
            },
        )
        .await?;
    }
    if let Some(inc) = relinked {
        incoming::mark_answered(&mut tx, &db.now_text(), inc, id, &old.number, actor).await?;
    }
    tx.commit().await?;
    Ok(())
}

fn where_of(f: &OutgoingFilter) -> (String, Vec<String>) {
    let mut wh = vec!["1=1".to_string()];
    let mut args = Vec::new();
    if let Some(q) = f.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        args.push(like_pattern(q));
        wh.push(format!("o.search_text LIKE ${} ESCAPE '\\'", args.len()));
    }
    if let Some(from) = f.period.from {
        args.push(time::date_text(from));
        wh.push(format!("o.sent_on >= ${}", args.len()));
    }
    if let Some(to) = f.period.to {
        args.push(time::date_text(to));
        wh.push(format!("o.sent_on <= ${}", args.len()));
    }
    if let Some(m) = f.method {
        args.push(m.code().to_string());
        wh.push(format!("o.method = ${}", args.len()));
    }
    (wh.join(" AND "), args)
}

/// The register, newest first.
pub async fn list(db: &Db, f: &OutgoingFilter, page: PageReq) -> Result<Page<Outgoing>> {
    let (wh, args) = where_of(f);
    let sql = format!(
        "SELECT {COLS} FROM {FROM} WHERE {wh} ORDER BY o.year DESC, o.seq DESC LIMIT {} OFFSET {}",
        page.per_page,
        page.offset()
    );
    let count_sql = format!("SELECT COUNT(*) FROM outgoing_letters o WHERE {wh}");
    let mut q = sqlx::query(&sql);
    let mut c = sqlx::query_scalar::<_, i64>(&count_sql);
    for a in &args {
        q = q.bind(a.clone());
        c = c.bind(a.clone());
    }
    let items = q.fetch_all(db.read()).await?.iter().map(from_row).collect();
    Ok(Page {
        items,
        total: c.fetch_one(db.read()).await?,
        page: page.page,
        per_page: page.per_page,
    })
}

/// Every letter sent in the period, in register order (for the XLSX export).
pub async fn for_period(db: &Db, period: Period) -> Result<Vec<Outgoing>> {
    let (wh, args) = where_of(&OutgoingFilter {
        period,
        ..Default::default()
    });
    let sql = format!("SELECT {COLS} FROM {FROM} WHERE {wh} ORDER BY o.year, o.seq");
    let mut q = sqlx::query(&sql);
    for a in &args {
        q = q.bind(a.clone());
    }
    Ok(q.fetch_all(db.read()).await?.iter().map(from_row).collect())
}

/// Letters that answer an incoming one (its card).
pub async fn answering(db: &Db, incoming_id: i64) -> Result<Vec<Outgoing>> {
    Ok(sqlx::query(&format!(
        "SELECT {COLS} FROM {FROM} WHERE o.answers_incoming_id = $1 ORDER BY o.year, o.seq"
    ))
    .bind(incoming_id)
    .fetch_all(db.read())
    .await?
    .iter()
    .map(from_row)
    .collect())
}

/// The letter that carries an issued document, if it was registered as outgoing.
pub async fn by_document(db: &Db, document_id: i64) -> Result<Option<Outgoing>> {
    Ok(sqlx::query(&format!(
        "SELECT {COLS} FROM {FROM} WHERE o.document_id = $1 ORDER BY o.id LIMIT 1"
    ))
    .bind(document_id)
    .fetch_optional(db.read())
    .await?
    .map(|r| from_row(&r)))
}
