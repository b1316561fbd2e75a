//! The notification outbox. A message is written in the caller's transaction, next to the
//! change it tells about, so neither exists without the other. Workers on any number of
//! instances claim due messages under a lease: PostgreSQL hands each row to one claimer
//! (`FOR UPDATE SKIP LOCKED`), SQLite has one writer; a lease that runs out (the instance
//! died mid-send) makes the message claimable again.

use std::time::Duration;

use abonent_domain::missing::Missing;
use abonent_domain::outbox::{self, OutboxChannel, OutboxState, Retry};
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::history::{self, Actor, Change};
use crate::registry::{Page, PageReq};
use crate::{time, Backend, Db, Result, StoreError};

/// A message to send.
#[derive(Debug, Clone, PartialEq)]
pub struct NewMessage {
    pub channel: OutboxChannel,
    /// E-mail address, or a phone `+7XXXXXXXXXX` for SMS.
    pub recipient: String,
    /// E-mail subject; empty for SMS.
    pub subject: String,
    pub body: String,
    /// What the message is about (`appeal`, 17): its card shows the delivery history.
    pub source_entity: Option<String>,
    pub source_id: Option<i64>,
    /// A second enqueue with the same key is ignored.
    pub dedup_key: Option<String>,
}

impl NewMessage {
    pub fn email(to: &str, subject: &str, body: &str) -> NewMessage {
        NewMessage {
            channel: OutboxChannel::Email,
            recipient: to.trim().to_string(),
            subject: subject.trim().to_string(),
            body: body.to_string(),
            source_entity: None,
            source_id: None,
            dedup_key: None,
        }
    }

    pub fn sms(phone: &str, text: &str) -> NewMessage {
        NewMessage {
            channel: OutboxChannel::Sms,
            recipient: phone.trim().to_string(),
            subject: String::new(),
            body: text.to_string(),
            source_entity: None,
            source_id: None,
            dedup_key: None,
        }
    }

    pub fn about(mut self, entity: &str, id: i64) -> NewMessage {
        self.source_entity = Some(entity.to_string());
        self.source_id = Some(id);
        self
    }

    pub fn dedup(mut self, key: impl Into<String>) -> NewMessage {
        self.dedup_key = Some(key.into());
        self
    }

    fn check(&self) -> Result<()> {
        outbox::check_message(self.channel, &self.recipient, &self.subject, &self.body)
            .map_err(Into::into)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Message {
    pub id: i64,
    pub channel: OutboxChannel,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub state: OutboxState,
    /// Delivery attempts started so far.
    pub attempts: i64,
    /// When a pending message is due (UTC).
    pub next_attempt_at: String,
    pub last_error: Option<String>,
    /// The instance sending it (or that sent it), and until when its lease holds.
    pub locked_by: Option<String>,
    pub locked_until: Option<String>,
    pub created_at: String,
    pub sent_at: Option<String>,
    pub source_entity: Option<String>,
    pub source_id: Option<i64>,
    pub dedup_key: Option<String>,
}

const COLUMNS: [&str; 16] = [
    "id",
    "channel",
    "recipient",
    "subject",
    "body",
    "state",
    "attempts",
    "next_attempt_at",
    "last_error",
    "locked_by",
    "locked_until",
    "created_at",
    "sent_at",
    "source_entity",
    "source_id",
    "dedup_key",
];

fn cols(prefix: &str) -> String {
    COLUMNS
        .iter()
        .map(|c| format!("{prefix}{c}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn from_row(r: &AnyRow) -> Message {
    let channel: String = r.get("channel");
    let state: String = r.get("state");
    Message {
        id: r.get("id"),
        // The table's CHECK constraints admit only known codes.
        channel: OutboxChannel::from_code(&channel).unwrap_or(OutboxChannel::Email),
        recipient: r.get("recipient"),
        subject: r.get("subject"),
        body: r.get("body"),
        state: OutboxState::from_code(&state).unwrap_or(OutboxState::Pending),
        attempts: r.get("attempts"),
        next_attempt_at: r.get("next_attempt_at"),
        last_error: r.get("last_error"),
        locked_by: r.get("locked_by"),
        locked_until: r.get("locked_until"),
        created_at: r.get("created_at"),
        sent_at: r.get("sent_at"),
        source_entity: r.get("source_entity"),
        source_id: r.get("source_id"),
        dedup_key: r.get("dedup_key"),
    }
}

/// Add a message inside the caller's transaction. `None` when a message with the same
/// `dedup_key` exists already.
pub async fn enqueue_in(
    conn: &mut AnyConnection,
    now: &str,
    m: &NewMessage,
) -> Result<Option<i64>> {
    m.check()?;
    let row = sqlx::query(
        "INSERT INTO outbox (channel, recipient, subject, body, state, attempts, \
         next_attempt_at, created_at, source_entity, source_id, dedup_key) \
         VALUES ($1, $2, $3, $4, 'pending', 0, $5, $5, $6, $7, $8) \
         ON CONFLICT (dedup_key) DO NOTHING RETURNING id",
    )
    .bind(m.channel.code())
    .bind(&m.recipient)
    .bind(&m.subject)
    .bind(&m.body)
    .bind(now)
    .bind(m.source_entity.as_deref())
    .bind(m.source_id)
    .bind(m.dedup_key.as_deref())
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| r.get(0)))
}

/// Add a message in a transaction of its own.
pub async fn enqueue(db: &Db, m: &NewMessage) -> Result<Option<i64>> {
    let mut tx = db.write().begin().await?;
    let id = enqueue_in(&mut tx, &db.now_text(), m).await?;
    tx.commit().await?;
    Ok(id)
}

/// Claim up to `limit` due messages of any channel for `instance`, leased for `lease`.
pub async fn claim(db: &Db, instance: &str, lease: Duration, limit: i64) -> Result<Vec<Message>> {
    claim_for(db, instance, lease, limit, &OutboxChannel::ALL).await
}

/// Claim due messages of the given channels only (an instance leaves a channel it has no
/// settings for to wait, instead of spending its attempts).
pub async fn claim_for(
    db: &Db,
    instance: &str,
    lease: Duration,
    limit: i64,
    channels: &[OutboxChannel],
) -> Result<Vec<Message>> {
    if channels.is_empty() || limit <= 0 {
        return Ok(Vec::new());
    }
    let now = db.now();
    let until = now + chrono::TimeDelta::from_std(lease).unwrap_or(chrono::TimeDelta::minutes(5));
    // Codes are constants, not input: safe to inline.
    let in_channels = channels
        .iter()
        .map(|c| format!("'{}'", c.code()))
        .collect::<Vec<_>>()
        .join(", ");
    let due_at = |now: &str| {
        format!(
            "((state = 'pending' AND next_attempt_at <= {now}) OR (state = 'sending' AND locked_until <= {now})) \
             AND channel IN ({in_channels})"
        )
    };
    let due = due_at("$3");
    // An idle outbox is the usual case: answer it from the read pool and leave the (SQLite:
    // single) writer to the users.
    let any_due = sqlx::query(&format!(
        "SELECT id FROM outbox WHERE {} LIMIT 1",
        due_at("$1")
    ))
    .bind(time::fmt(now))
    .fetch_optional(db.read())
    .await?;
    if any_due.is_none() {
        return Ok(Vec::new());
    }
    let sql = match db.backend() {
        Backend::Postgres => format!(
            "WITH due AS (SELECT id FROM outbox WHERE {due} ORDER BY next_attempt_at, id \
             LIMIT $4 FOR UPDATE SKIP LOCKED) \
             UPDATE outbox o SET state = 'sending', locked_by = $1, locked_until = $2, \
             attempts = o.attempts + 1 FROM due WHERE o.id = due.id RETURNING {}",
            cols("o.")
        ),
        // One statement is one write transaction, and SQLite has one writer at a time.
        Backend::Sqlite => format!(
            "UPDATE outbox SET state = 'sending', locked_by = $1, locked_until = $2, \
             attempts = attempts + 1 WHERE id IN (SELECT id FROM outbox WHERE {due} \
             ORDER BY next_attempt_at, id LIMIT $4) RETURNING {}",
            cols("")
        ),
    };
    let rows = sqlx::query(&sql)
        .bind(instance)
        .bind(time::fmt(until))
        .bind(time::fmt(now))
        .bind(limit)
        .fetch_all(db.write())
        .await?;
    let mut claimed: Vec<Message> = rows.iter().map(from_row).collect();
    claimed.sort_by_key(|m| m.id);
    Ok(claimed)
}

/// Delivered. False when the lease was lost meanwhile (another instance took the message
/// over). `locked_by` stays: it names the instance that sent it.
pub async fn mark_sent(db: &Db, id: i64, instance: &str) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE outbox SET state = 'sent', sent_at = $1, locked_until = NULL \
         WHERE id = $2 AND state = 'sending' AND locked_by = $3",
    )
    .bind(db.now_text())
    .bind(id)
    .bind(instance)
    .execute(db.write())
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Not delivered: back to pending until `retry`, or failed for good (with a history entry,
/// shown on the card of what the message was about).
pub async fn mark_failed(
    db: &Db,
    id: i64,
    instance: &str,
    error: &str,
    retry: Retry,
) -> Result<bool> {
    let error: String = error.chars().take(1000).collect();
    match retry {
        Retry::At(at) => {
            let done = sqlx::query(
                "UPDATE outbox SET state = 'pending', next_attempt_at = $1, last_error = $2, \
                 locked_by = NULL, locked_until = NULL \
                 WHERE id = $3 AND state = 'sending' AND locked_by = $4",
            )
            .bind(time::fmt(at))
            .bind(&error)
            .bind(id)
            .bind(instance)
            .execute(db.write())
            .await?;
            Ok(done.rows_affected() == 1)
        }
        Retry::GiveUp => {
            let mut tx = db.write().begin().await?;
            let done = sqlx::query(
                "UPDATE outbox SET state = 'failed', last_error = $1, locked_by = NULL, \
                 locked_until = NULL WHERE id = $2 AND state = 'sending' AND locked_by = $3",
            )
            .bind(&error)
            .bind(id)
            .bind(instance)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() != 1 {
                return Ok(false);
            }
            let m = get_in(&mut tx, id).await?;
            let note = outbox::give_up_note(m.attempts, &error);
            record(
                &mut tx,
                &db.now_text(),
                &Actor::system(outbox::SENDER),
                &m,
                "give_up",
                OutboxState::Sending,
                &note,
            )
            .await?;
            tx.commit().await?;
            Ok(true)
        }
    }
}

async fn record(
    conn: &mut AnyConnection,
    now: &str,
    actor: &Actor,
    m: &Message,
    action: &str,
    before: OutboxState,
    note: &str,
) -> Result<()> {
    history::record(
        conn,
        now,
        actor,
        Change {
            entity: "outbox",
            entity_id: m.id,
            parent: m.source_entity.as_deref().zip(m.source_id),
            action,
            before: Some(serde_json::json!({"state": before.code()})),
            after: Some(serde_json::json!({"state": m.state.code(), "attempts": m.attempts})),
            note: (!note.is_empty()).then_some(note),
        },
    )
    .await
}

pub async fn get(db: &Db, id: i64) -> Result<Message> {
    sqlx::query(&format!("SELECT {} FROM outbox WHERE id = $1", cols("")))
        .bind(id)
        .fetch_optional(db.read())
        .await?
        .map(|r| from_row(&r))
        .ok_or_else(|| StoreError::from(Missing::OutboxMessage(id)))
}

async fn get_in(conn: &mut AnyConnection, id: i64) -> Result<Message> {
    sqlx::query(&format!("SELECT {} FROM outbox WHERE id = $1", cols("")))
        .bind(id)
        .fetch_optional(conn)
        .await?
        .map(|r| from_row(&r))
        .ok_or_else(|| StoreError::from(Missing::OutboxMessage(id)))
}

/// Read a message for a change, keeping a claimer off it until commit on PostgreSQL.
async fn lock_in(conn: &mut AnyConnection, backend: Backend, id: i64) -> Result<Message> {
    let lock = match backend {
        Backend::Postgres => " FOR UPDATE",
        Backend::Sqlite => "",
    };
    sqlx::query(&format!(
        "SELECT {} FROM outbox WHERE id = $1{lock}",
        cols("")
    ))
    .bind(id)
    .fetch_optional(conn)
    .await?
    .map(|r| from_row(&r))
    .ok_or_else(|| StoreError::from(Missing::OutboxMessage(id)))
}

/// Send again now. A failed or cancelled message starts its retry schedule anew.
pub async fn retry_now(db: &Db, id: i64, actor: &Actor) -> Result<()> {
    let mut tx = db.write().begin().await?;
    let before = lock_in(&mut tx, db.backend(), id).await?;
    outbox::check_retry(before.state)?;
    sqlx::query(
        "UPDATE outbox SET state = 'pending', next_attempt_at = $1, \
         attempts = CASE WHEN state = 'pending' THEN attempts ELSE 0 END, \
         locked_by = NULL, locked_until = NULL WHERE id = $2",
    )
    .bind(db.now_text())
    .bind(id)
    .execute(&mut *tx)
    .await?;
    let after = get_in(&mut tx, id).await?;
    record(
        &mut tx,
        &db.now_text(),
        actor,
        &after,
        "retry",
        before.state,
        "",
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Never send it. The message stays in the list, with who cancelled it in the history.
pub async fn cancel(db: &Db, id: i64, actor: &Actor, reason: &str) -> Result<()> {
    let mut tx = db.write().begin().await?;
    let before = lock_in(&mut tx, db.backend(), id).await?;
    outbox::check_cancel(before.state)?;
    sqlx::query(
        "UPDATE outbox SET state = 'cancelled', locked_by = NULL, locked_until = NULL \
         WHERE id = $1",
    )
    .bind(id)
    .execute(&mut *tx)
    .await?;
    let after = get_in(&mut tx, id).await?;
    record(
        &mut tx,
        &db.now_text(),
        actor,
        &after,
        "cancel",
        before.state,
        reason.trim(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[derive(Debug, Clone, Default)]
pub struct OutboxFilter {
    pub state: Option<OutboxState>,
    pub channel: Option<OutboxChannel>,
    /// Part of the address or phone.
    pub recipient: Option<String>,
    pub source: Option<(String, i64)>,
}

/// Newest first.
pub async fn list(db: &Db, f: &OutboxFilter, page: PageReq) -> Result<Page<Message>> {
    let mut wh = vec!["1=1".to_string()];
    let mut args: Vec<String> = Vec::new();
    if let Some(s) = f.state {
        wh.push(format!("state = '{}'", s.code()));
    }
    if let Some(c) = f.channel {
        wh.push(format!("channel = '{}'", c.code()));
    }
    if let Some(r) = f
        .recipient
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty())
    {
        args.push(format!("%{}%", r.to_lowercase().replace(['%', '_'], "")));
        wh.push(format!("LOWER(recipient) LIKE ${}", args.len()));
    }
    if let Some((entity, _)) = &f.source {
        args.push(entity.clone());
        wh.push(format!("source_entity = ${}", args.len()));
    }
    let source_id = f.source.as_ref().map(|s| s.1);
    if source_id.is_some() {
        wh.push(format!("source_id = ${}", args.len() + 1));
    }
    let wh = wh.join(" AND ");
    let n = args.len() + usize::from(source_id.is_some());
    let count_sql = format!("SELECT COUNT(*) FROM outbox WHERE {wh}");
    let list_sql = format!(
        "SELECT {} FROM outbox WHERE {wh} ORDER BY id DESC LIMIT ${} OFFSET ${}",
        cols(""),
        n + 1,
        n + 2
    );
    let mut count = sqlx::query(&count_sql);
    let mut rows = sqlx::query(&list_sql);
    for a in &args {
        count = count.bind(a.clone());
        rows = rows.bind(a.clone());
    }
    if let Some(id) = source_id {
        count = count.bind(id);
        rows = rows.bind(id);
    }
    let total: i64 = count.fetch_one(db.read()).await?.get(0);
    let items = rows
        .bind(page.per_page)
        .bind(page.offset())
        .fetch_all(db.read())
        .await?
        .iter()
        .map(from_row)
        .collect();
    Ok(Page {
        items,
        total,
        page: page.page,
        per_page: page.per_page,
    })
}

/// How many messages are in each state (every state listed, zeros included).
pub async fn counts(db: &Db) -> Result<Vec<(OutboxState, i64)>> {
    let rows = sqlx::query("SELECT state, COUNT(*) FROM outbox GROUP BY state")
        .fetch_all(db.read())
        .await?;
    Ok(OutboxState::ALL
        .into_iter()
        .map(|s| {
            let n = rows
                .iter()
                .find(|r| r.get::<String, _>(0) == s.code())
                .map_or(0, |r| r.get::<i64, _>(1));
            (s, n)
        })
        .collect())
}
