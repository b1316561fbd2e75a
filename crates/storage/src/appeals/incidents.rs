//! Building-wide incidents (общедомовые аварии): when several appeals of one building and
//! category arrive within a window (settings `appeals.incident_threshold`,
//! `appeals.incident_window_minutes`), the journal and the card propose one incident; the
//! specialist creates it and links the appeals, later ones too. Closing the incident takes
//! each open appeal to «done» through the normal workflow checks (one transaction and history
//! per appeal) and queues a message to every applicant who may be informed.

use std::collections::BTreeMap;

use abonent_domain::appeal::incident::{self as rules, JoinFacts};
use abonent_domain::appeal::{notice, words, Status};
use abonent_domain::outbox::OutboxChannel;
use abonent_domain::registry::PersonData;
use abonent_domain::Role;
use serde::{Deserialize, Serialize};
use sqlx::{AnyConnection, Row};

use super::{change_status, get, open_condition, StatusChange};
use crate::history::{self, Change};
use crate::outbox::{self, NewMessage};
use crate::{settings, time, Actor, Db, Result, StoreError};

/// An incident with its appeals.
#[derive(Debug, Clone, Serialize)]
pub struct Incident {
    pub id: i64,
    pub building_id: Option<i64>,
    pub address: String,
    pub category_id: Option<i64>,
    pub category_title: Option<String>,
    pub title: String,
    /// `open` or `closed`.
    pub status: String,
    pub result: Option<String>,
    pub created_at: String,
    pub closed_at: Option<String>,
    pub appeals: Vec<LinkedAppeal>,
}

/// An appeal as listed on an incident or a proposal.
#[derive(Debug, Clone, Serialize)]
pub struct LinkedAppeal {
    pub id: i64,
    pub number: String,
    pub status: String,
    pub registered_at: String,
    pub substance: String,
}

/// Appeals that look like one building-wide problem: a new incident, or — when an open
/// incident of the building and category exists — appeals to link to it.
#[derive(Debug, Clone, Serialize)]
pub struct Proposal {
    pub building_id: i64,
    pub address: String,
    pub category_id: i64,
    pub category_title: String,
    /// Link to this open incident instead of creating one.
    pub incident_id: Option<i64>,
    pub appeals: Vec<LinkedAppeal>,
}

/// A new incident from the specialist: its title and the appeals to link.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct NewIncident {
    /// Empty: «<category> — <address>».
    pub title: String,
    pub appeal_ids: Vec<i64>,
}

/// An appeal an action left unchanged, and why.
#[derive(Debug, Clone, Serialize)]
pub struct Failed {
    pub number: String,
    pub reason: String,
}

/// What closing did to each appeal.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CloseReport {
    /// Numbers of the appeals taken to «done».
    pub completed: Vec<String>,
    /// Appeals left as they were, with the reason (e.g. a transition the role may not make).
    pub failed: Vec<Failed>,
    /// Messages queued to applicants.
    pub messages: usize,
}

async fn setting_num(db: &Db, key: &str, default: i64) -> Result<i64> {
    Ok(settings::get(db, key)
        .await?
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|v| *v > 0)
        .unwrap_or(default))
}

/// The building's street and house, made an address by [`address`].
const ADDRESS: &str = "b.street, b.house";

/// The address of columns `at` (street) and `at + 1` (house).
fn address(r: &sqlx::any::AnyRow, at: usize) -> String {
    words::building_address(
        r.get::<Option<String>, _>(at).as_deref(),
        r.get::<Option<String>, _>(at + 1).as_deref(),
    )
}

fn linked(r: &sqlx::any::AnyRow, at: usize) -> LinkedAppeal {
    let substance: String = r.get(at + 4);
    LinkedAppeal {
        id: r.get(at),
        number: r.get(at + 1),
        status: r.get(at + 2),
        registered_at: r.get(at + 3),
        substance: substance.chars().take(160).collect(),
    }
}

/// Proposals over the open appeals not yet in an incident, optionally of one building and
/// category (the card asks for its own).
pub async fn proposals(db: &Db, only: Option<(i64, i64)>) -> Result<Vec<Proposal>> {
    let threshold = setting_num(db, "appeals.incident_threshold", 3).await? as usize;
    let window =
        chrono::TimeDelta::minutes(setting_num(db, "appeals.incident_window_minutes", 120).await?);
    let since = time::fmt(db.now() - chrono::TimeDelta::days(30));
    let mut sql = format!(
        "SELECT a.building_id, a.category_id, {ADDRESS}, c.title, \
         a.id, a.number, a.status, a.registered_at, a.substance \
         FROM appeals a JOIN buildings b ON b.id = a.building_id \
         JOIN appeal_categories c ON c.id = a.category_id \
         WHERE {} AND a.incident_id IS NULL AND a.registered_at >= $1",
        open_condition()
    );
    if only.is_some() {
        sql.push_str(" AND a.building_id = $2 AND a.category_id = $3");
    }
    sql.push_str(" ORDER BY a.building_id, a.category_id, a.registered_at, a.id");
    let mut q = sqlx::query(&sql).bind(&since);
    if let Some((b, c)) = only {
        q = q.bind(b).bind(c);
    }
    let rows = q.fetch_all(db.read()).await?;
    let mut groups: BTreeMap<(i64, i64), (String, String, Vec<LinkedAppeal>)> = BTreeMap::new();
    for r in &rows {
        let g = groups
            .entry((r.get(0), r.get(1)))
            .or_insert_with(|| (address(r, 2), r.get(4), Vec::new()));
        g.2.push(linked(r, 5));
    }
    let open_incidents: BTreeMap<(i64, i64), i64> = sqlx::query(
        "SELECT building_id, category_id, MAX(id) FROM incidents WHERE status = 'open' \
         AND building_id IS NOT NULL AND category_id IS NOT NULL GROUP BY building_id, category_id",
    )
    .fetch_all(db.read())
    .await?
    .iter()
    .map(|r| ((r.get(0), r.get(1)), r.get(2)))
    .collect();
    let mut out = Vec::new();
    for ((building_id, category_id), (address, category_title, appeals)) in groups {
        let incident_id = open_incidents.get(&(building_id, category_id)).copied();
        let at: Vec<_> = appeals
            .iter()
            .map(|a| time::parse(&a.registered_at).unwrap_or_default())
            .collect();
        let keep = rules::proposed(incident_id.is_some(), &at, threshold, window);
        let chosen: Vec<_> = appeals
            .into_iter()
            .zip(keep)
            .filter_map(|(a, k)| k.then_some(a))
            .collect();
        if !chosen.is_empty() {
            out.push(Proposal {
                building_id,
                address,
                category_id,
                category_title,
                incident_id,
                appeals: chosen,
            });
        }
    }
    Ok(out)
}

/// The proposal that includes this appeal, if any (shown on its card).
pub async fn proposal_for(db: &Db, appeal_id: i64) -> Result<Option<Proposal>> {
    let a = get(db, appeal_id).await?;
    let (Some(b), Some(c)) = (a.building_id, a.category_id) else {
        return Ok(None);
    };
    Ok(proposals(db, Some((b, c)))
        .await?
        .into_iter()
        .find(|p| p.appeals.iter().any(|x| x.id == appeal_id)))
}

pub async fn get_incident(db: &Db, id: i64) -> Result<Incident> {
    let r = sqlx::query(&format!(
        "SELECT i.id, i.building_id, {ADDRESS}, i.category_id, c.title, i.title, i.status, \
         i.result, i.created_at, i.closed_at FROM incidents i \
         LEFT JOIN buildings b ON b.id = i.building_id \
         LEFT JOIN appeal_categories c ON c.id = i.category_id WHERE i.id = $1"
    ))
    .bind(id)
    .fetch_optional(db.read())
    .await?
    .ok_or_else(|| StoreError::NotFound(words::noun::incident(id)))?;
    let appeals = sqlx::query(
        "SELECT id, number, status, registered_at, substance FROM appeals \
         WHERE incident_id = $1 ORDER BY registered_at, id",
    )
    .bind(id)
    .fetch_all(db.read())
    .await?
    .iter()
    .map(|r| linked(r, 0))
    .collect();
    Ok(Incident {
        id: r.get(0),
        building_id: r.get(1),
        address: address(&r, 2),
        category_id: r.get(4),
        category_title: r.get(5),
        title: r.get(6),
        status: r.get(7),
        result: r.get(8),
        created_at: r.get(9),
        closed_at: r.get(10),
        appeals,
    })
}

/// Incidents, open first, newest first (without their appeals).
pub async fn list_incidents(db: &Db) -> Result<Vec<Incident>> {
    let ids: Vec<i64> = sqlx::query(
        "SELECT id FROM incidents ORDER BY CASE status WHEN 'open' THEN 0 ELSE 1 END, id DESC LIMIT 200",
    )
    .fetch_all(db.read())
    .await?
    .iter()
    .map(|r| r.get(0))
    .collect();
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        out.push(get_incident(db, id).await?);
    }
    Ok(out)
}

/// Checks that each appeal may join an incident of `place` (building, category): open, not in
/// another incident, of the same building. Returns the (building, category) of the first.
async fn check_joinable(
    conn: &mut AnyConnection,
    ids: &[i64],
    place: Option<(i64, Option<i64>)>,
) -> Result<(i64, Option<i64>)> {
    rules::check_marked(ids)?;
    let mut found = place;
    for id in ids {
        let r = sqlx::query(
            "SELECT number, status, building_id, category_id, incident_id FROM appeals WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| StoreError::NotFound(words::noun::appeal(*id)))?;
        let number: String = r.get(0);
        let status: String = r.get(1);
        let facts = JoinFacts {
            number: &number,
            status: Status::from_code(&status),
            building: r.get(2),
            category: r.get(3),
            linked: r.get::<Option<i64>, _>(4).is_some(),
        };
        found = Some(rules::join(found, &facts)?);
    }
    found.ok_or_else(|| StoreError::Other(words::fault::NO_APPEALS.into()))
}

async fn attach(
    conn: &mut AnyConnection,
    now: &str,
    incident_id: i64,
    ids: &[i64],
    actor: &Actor,
) -> Result<()> {
    for id in ids {
        sqlx::query("UPDATE appeals SET incident_id = $1, updated_at = $2 WHERE id = $3")
            .bind(incident_id)
            .bind(now)
            .bind(id)
            .execute(&mut *conn)
            .await?;
        history::record(
            &mut *conn,
            now,
            actor,
            Change {
                entity: "appeal",
                entity_id: *id,
                parent: Some(("incident", incident_id)),
                action: "incident",
                before: Some(serde_json::json!({ "incident_id": null })),
                after: Some(serde_json::json!({ "incident_id": incident_id })),
                note: None,
            },
        )
        .await?;
    }
    Ok(())
}

/// Creates an incident of the appeals' building and category and links them, in one
/// transaction.
pub async fn create(db: &Db, n: &NewIncident, actor: &Actor) -> Result<i64> {
    let mut tx = db.write().begin().await?;
    let (building, category) = check_joinable(&mut tx, &n.appeal_ids, None).await?;
    let title = match rules::entered_title(&n.title)? {
        Some(t) => t,
        None => {
            let r = sqlx::query(&format!(
                "SELECT {ADDRESS}, c.title FROM buildings b \
                 LEFT JOIN appeal_categories c ON c.id = $2 WHERE b.id = $1"
            ))
            .bind(building)
            .bind(category)
            .fetch_one(&mut *tx)
            .await?;
            let category: Option<String> = r.get(2);
            rules::default_title(category.as_deref(), &address(&r, 0))
        }
    };
    let now = db.now_text();
    let id: i64 = sqlx::query(
        "INSERT INTO incidents (building_id, category_id, title, status, created_at, created_by) \
         VALUES ($1, $2, $3, 'open', $4, $5) RETURNING id",
    )
    .bind(building)
    .bind(category)
    .bind(&title)
    .bind(&now)
    .bind(actor.user_id)
    .fetch_one(&mut *tx)
    .await?
    .get(0);
    history::record(
        &mut tx,
        &db.now_text(),
        actor,
        Change {
            entity: "incident",
            entity_id: id,
            parent: None,
            action: "create",
            before: None,
            after: Some(serde_json::json!({
                "title": title, "building_id": building, "category_id": category,
                "appeal_ids": n.appeal_ids,
            })),
            note: None,
        },
    )
    .await?;
    attach(&mut tx, &db.now_text(), id, &n.appeal_ids, actor).await?;
    tx.commit().await?;
    Ok(id)
}

/// Links more appeals (of the same building) to an open incident.
pub async fn link(db: &Db, incident_id: i64, appeal_ids: &[i64], actor: &Actor) -> Result<()> {
    let inc = get_incident(db, incident_id).await?;
    rules::check_linkable(inc.status == "open")?;
    let building = inc.building_id.unwrap_or(-1);
    let mut tx = db.write().begin().await?;
    check_joinable(&mut tx, appeal_ids, Some((building, inc.category_id))).await?;
    attach(&mut tx, &db.now_text(), incident_id, appeal_ids, actor).await?;
    tx.commit().await?;
    Ok(())
}

/// Closes the incident: each open appeal goes to «done» with `result` through
/// [`change_status`] — the same checks and history as by hand, one transaction per appeal
/// (an appeal not yet in work is first taken into work, with the closing user as executor
/// when it has none). Appeals the rules refuse stay open and are reported, and then the
/// incident stays open too, to be closed again; otherwise it is closed. Every applicant of a completed appeal is written to through the outbox, by
/// the channels `recipients` allows for a registry person (the consent rules), or at the
/// e-mail the applicant left with the appeal.
pub async fn close(
    db: &Db,
    incident_id: i64,
    result: &str,
    role: Role,
    actor: &Actor,
    recipients: &(dyn Fn(&PersonData) -> Vec<(OutboxChannel, String)> + Sync),
) -> Result<CloseReport> {
    let result = rules::check_result(result)?;
    let inc = get_incident(db, incident_id).await?;
    rules::check_closable(inc.status == "open")?;
    let mut report = CloseReport::default();
    let mut completed_ids = Vec::new();
    for a in &inc.appeals {
        let steps = rules::steps_to_done(Status::from_code(&a.status));
        if steps.is_empty() {
            continue;
        }
        match complete(db, a.id, steps, result, role, actor).await {
            Ok(()) => {
                report.completed.push(a.number.clone());
                completed_ids.push(a.id);
            }
            Err(e) => report.failed.push(Failed {
                number: a.number.clone(),
                reason: e.to_string(),
            }),
        }
    }
    let mut messages = Vec::new();
    for id in &completed_ids {
        let a = get(db, *id).await?;
        let done = notice::incident_done(&a.number, result);
        let by_consent = match a.person_id {
            Some(p) => recipients(&crate::registry::person::get(db, p).await?.data),
            None => Vec::new(),
        };
        for (channel, address) in rules::recipients(by_consent, a.applicant_email.as_deref()) {
            let m = match channel {
                OutboxChannel::Email => NewMessage::email(&address, &done.subject, &done.body),
                OutboxChannel::Sms => NewMessage::sms(&address, &done.body),
            };
            messages.push(m.about("appeal", a.id).dedup(format!(
                "incident-{incident_id}-appeal-{}-{}",
                a.id,
                channel.code()
            )));
        }
    }
    // The incident closes only when no appeal was refused: otherwise it stays open with the
    // refused appeals, to be closed again once the reason is fixed (the messages already
    // queued are not queued twice: their dedup keys are per incident and appeal).
    let closes = rules::closes(report.failed.len());
    let mut tx = db.write().begin().await?;
    if closes {
        sqlx::query(
            "UPDATE incidents SET status = 'closed', result = $1, closed_at = $2, closed_by = $3 \
             WHERE id = $4 AND status = 'open'",
        )
        .bind(result)
        .bind(db.now_text())
        .bind(actor.user_id)
        .bind(incident_id)
        .execute(&mut *tx)
        .await?;
    }
    for m in &messages {
        if outbox::enqueue_in(&mut tx, &db.now_text(), m)
            .await?
            .is_some()
        {
            report.messages += 1;
        }
    }
    history::record(
        &mut tx,
        &db.now_text(),
        actor,
        Change {
            entity: "incident",
            entity_id: incident_id,
            parent: None,
            action: if closes { "close" } else { "close_partial" },
            before: Some(serde_json::json!({ "status": "open" })),
            after: Some(serde_json::json!({
                "status": if closes { "closed" } else { "open" }, "result": result,
                "completed": report.completed, "failed": report.failed,
                "messages": report.messages,
            })),
            note: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(report)
}

/// Takes one appeal through `steps` (the last is «done», with `result`).
async fn complete(
    db: &Db,
    id: i64,
    steps: &[Status],
    result: &str,
    role: Role,
    actor: &Actor,
) -> Result<()> {
    for &to in steps {
        let ch = if to == Status::Done {
            StatusChange {
                to: Some(to),
                result: Some(result.to_string()),
                ..Default::default()
            }
        } else {
            let a = get(db, id).await?;
            let has_executor = a
                .department_id
                .or(a.contractor_id)
                .or(a.executor_id)
                .is_some();
            StatusChange {
                to: Some(to),
                executor_id: rules::executor_to_set(has_executor, actor.user_id),
                ..Default::default()
            }
        };
        change_status(db, id, &ch, role, actor).await?;
    }
    Ok(())
}
