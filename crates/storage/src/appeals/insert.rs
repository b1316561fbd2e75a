//! Writing registered appeals, several per transaction (group commit, see
//! `abonent_app::appeals::registrar`): one counter update per numbering scope and year,
//! multi-row inserts of the appeals, their search terms and history, the messages and
//! alerts, one commit. A failed transaction gives all its numbers back.

use abonent_domain::appeal::{words, Correction};
use abonent_domain::numbering::NumberScheme;
use abonent_domain::outbox::OutboxChannel;
use sqlx::{AnyConnection, Connection, Row};

use super::notices::Texts;
use super::routing::Assignment;
use crate::history::Change;
use crate::{Actor, Backend, Db, Result, StoreError};

/// The most appeals one transaction writes (the multi-row inserts stay far below the
/// databases' parameter limits).
pub const MAX_BATCH: usize = 64;

/// Everything a registration writes, computed before any lock is taken.
pub struct Prepared {
    pub scope: String,
    pub year: i32,
    pub scheme: NumberScheme,
    pub kind: &'static str,
    pub channel: &'static str,
    pub sender_kind: &'static str,
    pub priority: &'static str,
    pub emergency: bool,
    pub status: &'static str,
    pub category_id: Option<i64>,
    pub suggested_category: String,
    pub suggested_emergency: bool,
    pub correction: Option<Correction>,
    pub building_id: Option<i64>,
    pub premises_id: Option<i64>,
    pub account_id: Option<i64>,
    pub person_id: Option<i64>,
    pub address_text: Option<String>,
    pub applicant_name: Option<String>,
    pub applicant_phone: Option<String>,
    pub phone_unchecked: bool,
    pub applicant_email: Option<String>,
    pub anonymous: bool,
    pub substance: String,
    pub received_at: String,
    pub registered_at: String,
    pub deadline_rule: Option<String>,
    pub deadline_at: Option<String>,
    pub localisation_rule: Option<String>,
    pub localisation_at: Option<String>,
    pub applicant_consent: bool,
    pub assigned: Option<Assignment>,
    pub recipients: Vec<(OutboxChannel, String)>,
    pub texts: Texts,
    pub actor: Actor,
}

/// The appeal as written: its id and number.
pub type Written = (i64, String);

/// Writes `items` in one transaction on a pooled write connection (on SQLite the one write
/// connection, as every writer must); their ids and numbers in the same order.
pub async fn write_pooled(db: &Db, items: &[&Prepared]) -> Result<Vec<Written>> {
    let mut conn = db.write().acquire().await?;
    let mut tx = conn.begin().await?;
    let written = write_in(&mut tx, db.backend(), items).await?;
    tx.commit().await?;
    Ok(written)
}

pub(crate) async fn write_in(
    conn: &mut AnyConnection,
    backend: Backend,
    items: &[&Prepared],
) -> Result<Vec<Written>> {
    let now = items
        .iter()
        .map(|p| p.registered_at.clone())
        .max()
        .unwrap_or_default();
    // Numbers: one counter update per scope and year, taken in a fixed order so two
    // instances' batches never wait for each other crosswise.
    let mut scopes: Vec<(&str, i32)> = items.iter().map(|p| (p.scope.as_str(), p.year)).collect();
    scopes.sort();
    scopes.dedup();
    let mut seqs: Vec<i64> = vec![0; items.len()];
    for (scope, year) in scopes {
        let mine: Vec<usize> = (0..items.len())
            .filter(|&i| items[i].scope == scope && items[i].year == year)
            .collect();
        let last = crate::numbering::next_n(conn, scope, year, mine.len() as i64).await?;
        let first = last - mine.len() as i64 + 1;
        for (k, &i) in mine.iter().enumerate() {
            seqs[i] = first + k as i64;
        }
    }
    let numbers: Vec<String> = items
        .iter()
        .zip(&seqs)
        .map(|(p, &n)| p.scheme.format(p.year, n))
        .collect();
    let ids = insert_appeals(conn, items, &seqs, &numbers).await?;

    let texts: Vec<(i64, &str)> = ids
        .iter()
        .zip(items)
        .map(|(&id, p)| (id, p.substance.as_str()))
        .collect();
    super::terms::index_new(conn, backend, &texts).await?;

    for ((p, &id), number) in items.iter().zip(&ids).zip(&numbers) {
        if let Some(c) = &p.correction {
            super::learning::record_in(conn, c, id, &p.registered_at, p.actor.user_id).await?;
        }
        if p.emergency {
            super::alerts::notify_duty_in(conn, &p.texts, id).await?;
            sqlx::query("INSERT INTO alerts (appeal_id, raised_at) VALUES ($1, $2)")
                .bind(id)
                .bind(&p.registered_at)
                .execute(&mut *conn)
                .await?;
        }
        if !p.recipients.is_empty() {
            super::notices::registered_in(
                conn,
                &p.texts,
                id,
                number,
                p.deadline_at.as_deref(),
                &p.recipients,
            )
            .await?;
        }
    }
    let changes: Vec<(&Actor, Change)> = items
        .iter()
        .zip(&ids)
        .zip(&numbers)
        .map(|((p, &id), number)| {
            let after = serde_json::json!({
                "number": number, "kind": p.kind, "channel": p.channel,
                "priority": p.priority, "status": "registered",
                "deadline_at": p.deadline_at, "deadline_rule": p.deadline_rule,
                "localisation_at": p.localisation_at, "sender_kind": p.sender_kind,
                "phone_unchecked": p.phone_unchecked, "received_at": p.received_at,
                "assigned": p.assigned,
            });
            (
                &p.actor,
                Change {
                    entity: "appeal",
                    entity_id: id,
                    parent: None,
                    action: "create",
                    before: None,
                    after: Some(after),
                    note: None,
                },
            )
        })
        .collect();
    crate::history::record_all(conn, backend, &now, changes).await?;
    Ok(ids.into_iter().zip(numbers).collect())
}

const APPEAL_COLUMNS: &str = "year, seq, number, kind, channel, priority, status, category_id, \
    suggested_category, suggested_emergency, building_id, premises_id, account_id, person_id, \
    address_text, applicant_name, applicant_phone, applicant_email, anonymous, substance, \
    received_at, registered_at, registered_by, deadline_rule, deadline_at, updated_at, \
    applicant_consent, department_id, contractor_id, executor_id, sender_kind, phone_unchecked, \
    localisation_rule, localisation_at";
const APPEAL_PARAMS: usize = 34;

fn placeholders(rows: usize, per_row: usize) -> String {
    let mut sql = String::new();
    for r in 0..rows {
        if r > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        for c in 0..per_row {
            if c > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&format!("${}", r * per_row + c + 1));
        }
        sql.push(')');
    }
    sql
}

/// The appeals' ids in the order of `items`: the returned rows are matched by number,
/// since neither database promises RETURNING in VALUES order.
async fn insert_appeals(
    conn: &mut AnyConnection,
    items: &[&Prepared],
    seqs: &[i64],
    numbers: &[String],
) -> Result<Vec<i64>> {
    let sql = format!(
        "INSERT INTO appeals ({APPEAL_COLUMNS}) VALUES {} RETURNING id, number",
        placeholders(items.len(), APPEAL_PARAMS)
    );
    let mut q = sqlx::query(&sql);
    for ((p, seq), number) in items.iter().zip(seqs).zip(numbers) {
        let (department, contractor, executor) = match p.assigned.as_ref().map(|a| a.target) {
            Some(abonent_domain::appeal::Target::Department(d)) => (Some(d), None, None),
            Some(abonent_domain::appeal::Target::Contractor(c)) => (None, Some(c), None),
            Some(abonent_domain::appeal::Target::Staff(u)) => (None, None, Some(u)),
            None => (None, None, None),
        };
        q = q
            .bind(i64::from(p.year))
            .bind(*seq)
            .bind(number.clone())
            .bind(p.kind)
            .bind(p.channel)
            .bind(p.priority)
            .bind(p.status)
            .bind(p.category_id)
            .bind(p.suggested_category.clone())
            .bind(i64::from(p.suggested_emergency))
            .bind(p.building_id)
            .bind(p.premises_id)
            .bind(p.account_id)
            .bind(p.person_id)
            .bind(p.address_text.clone())
            .bind(p.applicant_name.clone())
            .bind(p.applicant_phone.clone())
            .bind(p.applicant_email.clone())
            .bind(i64::from(p.anonymous))
            .bind(p.substance.clone())
            .bind(p.received_at.clone())
            .bind(p.registered_at.clone())
            .bind(p.actor.user_id)
            .bind(p.deadline_rule.clone())
            .bind(p.deadline_at.clone())
            .bind(p.registered_at.clone())
            .bind(i64::from(p.applicant_consent))
            .bind(department)
            .bind(contractor)
            .bind(executor)
            .bind(p.sender_kind)
            .bind(i64::from(p.phone_unchecked))
            .bind(p.localisation_rule.clone())
            .bind(p.localisation_at.clone());
    }
    let rows = q.fetch_all(&mut *conn).await?;
    let by_number: std::collections::HashMap<String, i64> = rows
        .iter()
        .map(|r| (r.get::<String, _>(1), r.get::<i64, _>(0)))
        .collect();
    numbers
        .iter()
        .map(|n| {
            by_number
                .get(n)
                .copied()
                .ok_or_else(|| StoreError::Other(words::fault::not_written(n)))
        })
        .collect()
}
