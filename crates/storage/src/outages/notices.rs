//! The residents' notice of an outage (issue 19 §5): one message per account holder of the
//! affected buildings (entrances) and channel they agreed to, through the outbox; a second
//! notice of the same outage to the same person and channel is not queued again.

use sqlx::Row;

use crate::appeals::notices::contact_channels;
use abonent_domain::outbox::OutboxChannel;

use crate::outbox::{enqueue_in, NewMessage};
use crate::{time, Db, Result};

/// Queues `body` (with `subject` for e-mail) to the holders of the open accounts of
/// `building` (of `entrances` only when given) about outage `outage`, in one transaction.
/// Returns the messages queued now.
pub async fn notify(
    db: &Db,
    outage: i64,
    building: i64,
    entrances: &[i64],
    subject: &str,
    body: &str,
) -> Result<usize> {
    let only = if entrances.is_empty() {
        String::new()
    } else {
        let list = entrances
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(",");
        format!(" AND pr.entrance IN ({list})")
    };
    let rows = sqlx::query(&format!(
        "SELECT DISTINCT p.id, p.phones, p.email, p.consent_sms, p.consent_email \
         FROM account_persons ap JOIN accounts a ON a.id = ap.account_id \
         JOIN premises pr ON pr.id = a.premises_id JOIN persons p ON p.id = ap.person_id \
         WHERE pr.building_id = $1{only} AND ap.role IN ('owner', 'tenant') \
         AND ap.closed_at IS NULL AND a.closed_on IS NULL AND p.closed_at IS NULL \
         ORDER BY p.id"
    ))
    .bind(building)
    .fetch_all(db.read())
    .await?;
    let now = time::fmt(db.now());
    let mut tx = db.write().begin().await?;
    let mut n = 0;
    for r in &rows {
        let person: i64 = r.get(0);
        let to = contact_channels(
            &r.get::<String, _>(1),
            r.get(2),
            r.get::<i64, _>(3) != 0,
            r.get::<i64, _>(4) != 0,
        );
        for (channel, address) in to {
            let m = match channel {
                OutboxChannel::Email => NewMessage::email(&address, subject, body),
                OutboxChannel::Sms => NewMessage::sms(&address, body),
            }
            .about("outage", outage)
            .dedup(format!("outage:{outage}:{person}:{}", channel.code()));
            if enqueue_in(&mut tx, &now, &m).await?.is_some() {
                n += 1;
            }
        }
    }
    tx.commit().await?;
    Ok(n)
}
