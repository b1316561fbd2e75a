//! Emergency alerts. Registering an emergency raises an alert: the people on duty
//! (dispatchers and staff marked on duty) see it on every page and get it by e-mail/SMS
//! through the outbox. Someone acknowledges it (who, when); an alert nobody acknowledged
//! within `alerts.escalate_minutes` escalates to the managers. Escalation is claimed row by
//! row with a conditional UPDATE, so several instances running the job escalate each alert
//! once.

use abonent_domain::appeal::notice::{self, Emergency, Message};
use abonent_domain::appeal::{words, AppealRefusal};
use serde::Serialize;
use sqlx::{AnyConnection, Row};

use super::notices::Texts;
use super::routing::{self, Staff};
use super::Appeal;
use crate::history::{self, Change};
use crate::outbox::{enqueue_in, NewMessage};
use crate::{time, Actor, Db, Result, StoreError};

#[derive(Debug, Clone, Serialize)]
pub struct Alert {
    pub id: i64,
    pub appeal_id: i64,
    pub number: String,
    pub substance: String,
    pub raised_at: String,
    pub acknowledged_at: Option<String>,
    pub acknowledged_by: Option<String>,
    pub escalated_at: Option<String>,
    /// Whom it escalated to (names).
    pub escalated_to: Option<String>,
}

const SELECT: &str =
    "SELECT l.id, l.appeal_id, a.number, a.substance, l.raised_at, l.acknowledged_at, \
    u.full_name, l.escalated_at, l.escalated_to FROM alerts l JOIN appeals a ON a.id = l.appeal_id \
    LEFT JOIN users u ON u.id = l.acknowledged_by";

fn row(r: &sqlx::any::AnyRow) -> Alert {
    Alert {
        id: r.get(0),
        appeal_id: r.get(1),
        number: r.get(2),
        substance: r.get(3),
        raised_at: r.get(4),
        acknowledged_at: r.get(5),
        acknowledged_by: r.get(6),
        escalated_at: r.get(7),
        escalated_to: r.get(8),
    }
}

/// Alerts nobody acknowledged yet, oldest first.
pub async fn open(db: &Db) -> Result<Vec<Alert>> {
    Ok(sqlx::query(&format!(
        "{SELECT} WHERE l.acknowledged_at IS NULL ORDER BY l.id"
    ))
    .fetch_all(db.read())
    .await?
    .iter()
    .map(row)
    .collect())
}

/// The latest alerts, acknowledged or not, newest first.
pub async fn recent(db: &Db, limit: i64) -> Result<Vec<Alert>> {
    Ok(
        sqlx::query(&format!("{SELECT} ORDER BY l.id DESC LIMIT $1"))
            .bind(limit)
            .fetch_all(db.read())
            .await?
            .iter()
            .map(row)
            .collect(),
    )
}

pub async fn of_appeal(db: &Db, appeal_id: i64) -> Result<Vec<Alert>> {
    Ok(
        sqlx::query(&format!("{SELECT} WHERE l.appeal_id = $1 ORDER BY l.id"))
            .bind(appeal_id)
            .fetch_all(db.read())
            .await?
            .iter()
            .map(row)
            .collect(),
    )
}

fn staff_messages(s: &Staff, m: &Message) -> Vec<NewMessage> {
    let mut out = Vec::new();
    if let Some(e) = &s.email {
        out.push(NewMessage::email(e, &m.subject, &m.body));
    }
    if let Some(p) = &s.phone {
        out.push(NewMessage::sms(p, &m.body));
    }
    out
}

fn emergency(a: &Appeal) -> Emergency<'_> {
    Emergency {
        number: &a.number,
        address: &a.address,
        substance: &a.substance,
    }
}

/// After an emergency is registered (same transaction): an e-mail/SMS to each person on
/// duty with a contact. Returns how many messages were queued.
pub(crate) async fn notify_duty_in(
    conn: &mut AnyConnection,
    t: &Texts,
    appeal_id: i64,
) -> Result<usize> {
    let a = super::views::get_in(conn, appeal_id).await?;
    let message = notice::duty_alert(t.get("alerts.notice"), &emergency(&a));
    let mut n = 0;
    for s in routing::on_duty(conn).await? {
        for m in staff_messages(&s, &message) {
            let key = format!("alert:{}:{}:{}", a.id, s.id, m.channel.code());
            let m = m.about("appeal", a.id).dedup(key);
            n += usize::from(enqueue_in(conn, &time::fmt(t.now), &m).await?.is_some());
        }
    }
    Ok(n)
}

/// Someone on duty took the emergency: who and when. A second acknowledgement is refused,
/// naming the first.
pub async fn acknowledge(db: &Db, id: i64, actor: &Actor) -> Result<Alert> {
    let now = db.now_text();
    let mut tx = db.write().begin().await?;
    let done = sqlx::query(
        "UPDATE alerts SET acknowledged_at = $1, acknowledged_by = $2 WHERE id = $3 AND acknowledged_at IS NULL",
    )
    .bind(&now)
    .bind(actor.user_id)
    .bind(id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    let current = sqlx::query(&format!("{SELECT} WHERE l.id = $1"))
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .map(|r| row(&r))
        .ok_or_else(|| StoreError::NotFound(words::noun::alert(id)))?;
    if done != 1 {
        return Err(AppealRefusal::AlertAcknowledged {
            by: current.acknowledged_by,
        }
        .into());
    }
    history::record(
        &mut tx,
        &db.now_text(),
        actor,
        Change {
            entity: "appeal",
            entity_id: current.appeal_id,
            parent: None,
            action: "alert_ack",
            before: None,
            after: Some(serde_json::json!({"alert_id": id, "acknowledged_at": now})),
            note: Some(notice::ALERT_ACKNOWLEDGED),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(current)
}

/// The escalation job: every alert older than `alerts.escalate_minutes` that nobody
/// acknowledged goes to the managers (outbox) and is marked escalated. Each alert is
/// claimed by a conditional UPDATE; only the instance whose update changed the row sends.
/// Returns the alerts escalated by this call.
pub async fn escalate_due(db: &Db) -> Result<Vec<i64>> {
    let t = Texts::load(db).await?;
    let minutes = t.number("alerts.escalate_minutes", 10).max(0);
    let cutoff = time::fmt(db.now() - chrono::TimeDelta::minutes(minutes));
    let due: Vec<(i64, i64)> = sqlx::query(
        "SELECT id, appeal_id FROM alerts WHERE acknowledged_at IS NULL AND escalated_at IS NULL \
         AND raised_at <= $1 ORDER BY id LIMIT 100",
    )
    .bind(&cutoff)
    .fetch_all(db.read())
    .await?
    .iter()
    .map(|r| (r.get(0), r.get(1)))
    .collect();
    let mut escalated = Vec::new();
    for (id, appeal_id) in due {
        let mut tx = db.write().begin().await?;
        let managers = routing::managers(&mut tx).await?;
        let names = managers
            .iter()
            .map(|m| m.full_name.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        let claimed = sqlx::query(
            "UPDATE alerts SET escalated_at = $1, escalated_to = $2 \
             WHERE id = $3 AND escalated_at IS NULL AND acknowledged_at IS NULL",
        )
        .bind(db.now_text())
        .bind(&names)
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if claimed != 1 {
            tx.rollback().await?;
            continue;
        }
        let a = super::views::get_in(&mut tx, appeal_id).await?;
        let message =
            notice::escalation(t.get("alerts.escalation_notice"), &emergency(&a), minutes);
        let key = format!("escalation:{id}");
        to_managers_in(
            &mut tx,
            &db.now_text(),
            &managers,
            appeal_id,
            &message,
            &key,
        )
        .await?;
        history::record(
            &mut tx,
            &db.now_text(),
            &Actor::system(notice::ESCALATION_ACTOR),
            Change {
                entity: "appeal",
                entity_id: appeal_id,
                parent: None,
                action: "alert_escalated",
                before: None,
                after: Some(serde_json::json!({"alert_id": id, "escalated_to": names})),
                note: Some(notice::ALERT_ESCALATED),
            },
        )
        .await?;
        tx.commit().await?;
        escalated.push(id);
    }
    Ok(escalated)
}

/// One message to each manager with a contact, about `appeal_id`; `key` made unique per
/// manager and channel.
async fn to_managers_in(
    conn: &mut AnyConnection,
    now: &str,
    managers: &[Staff],
    appeal_id: i64,
    message: &Message,
    key: &str,
) -> Result<()> {
    for s in managers {
        for m in staff_messages(s, message) {
            let key = format!("{key}:{}:{}", s.id, m.channel.code());
            enqueue_in(conn, now, &m.about("appeal", appeal_id).dedup(key)).await?;
        }
    }
    Ok(())
}

/// The second escalation of an emergency: its damage not localised by the localisation
/// deadline (ПП 416 п. 13, 30 minutes) goes to the managers once (outbox, history), whether
/// or not its alert was acknowledged. Claimed per appeal by a conditional UPDATE, like
/// [`escalate_due`]. Returns the appeals escalated by this call.
pub async fn escalate_unlocalised(db: &Db) -> Result<Vec<i64>> {
    let t = Texts::load(db).await?;
    let now = db.now_text();
    let due: Vec<i64> = sqlx::query(&format!(
        "SELECT a.id FROM appeals a WHERE a.localised_at IS NULL \
         AND a.localisation_escalated_at IS NULL AND a.localisation_at < $1 AND {} \
         ORDER BY a.id LIMIT 100",
        super::open_condition()
    ))
    .bind(&now)
    .fetch_all(db.read())
    .await?
    .iter()
    .map(|r| r.get(0))
    .collect();
    let mut escalated = Vec::new();
    for appeal_id in due {
        let mut tx = db.write().begin().await?;
        let managers = routing::managers(&mut tx).await?;
        let claimed = sqlx::query(
            "UPDATE appeals SET localisation_escalated_at = $1 \
             WHERE id = $2 AND localisation_escalated_at IS NULL AND localised_at IS NULL",
        )
        .bind(&now)
        .bind(appeal_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if claimed != 1 {
            tx.rollback().await?;
            continue;
        }
        let a = super::views::get_in(&mut tx, appeal_id).await?;
        let message = notice::localisation_overdue(
            t.get("alerts.localisation_notice"),
            &emergency(&a),
            &t.local(a.localisation_at.as_deref()),
        );
        let key = format!("localisation:{appeal_id}");
        to_managers_in(&mut tx, &now, &managers, appeal_id, &message, &key).await?;
        let names: Vec<&str> = managers.iter().map(|m| m.full_name.as_str()).collect();
        history::record(
            &mut tx,
            &db.now_text(),
            &Actor::system(notice::ESCALATION_ACTOR),
            super::change(
                appeal_id,
                "localisation_overdue",
                None,
                serde_json::json!({
                    "localisation_at": a.localisation_at, "escalated_to": names.join(", "),
                }),
                Some(notice::LOCALISATION_ESCALATED),
            ),
        )
        .await?;
        tx.commit().await?;
        escalated.push(appeal_id);
    }
    Ok(escalated)
}
