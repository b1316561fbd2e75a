//! Registering an appeal: checked intake, a suggested category, a gapless number per kind
//! and year, the deadline by rule in the organization's time zone, the search terms, the
//! history entry and — for an emergency — an alert, all in one transaction.

use abonent_domain::appeal::{
    check_intake, choose_rule, classify, AppealKind, Channel, Intake, Priority,
};
use abonent_domain::deadline::compute_deadline;
use abonent_domain::phone;
use chrono::{DateTime, Datelike, Utc};
use serde::Deserialize;
use sqlx::{AnyConnection, Row};

use super::{reference, terms, zone};
use crate::history::{self, Change};
use crate::{numbering, time, Actor, Db, Result, StoreError};

/// An appeal as the intake form or the API sends it.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct NewAppeal {
    pub kind: Option<AppealKind>,
    pub channel: Option<Channel>,
    /// Empty: normal (the classifier's emergency flag is only a suggestion).
    pub priority: Option<Priority>,
    /// Empty: the classifier's suggestion, when the category exists.
    pub category_id: Option<i64>,
    pub building_id: Option<i64>,
    pub premises_id: Option<i64>,
    pub account_id: Option<i64>,
    pub person_id: Option<i64>,
    pub address_text: String,
    pub applicant_name: String,
    pub applicant_phone: String,
    pub applicant_email: String,
    pub anonymous: bool,
    /// The applicant agreed to be informed about this appeal by the phone and e-mail given
    /// (a person from the registry is informed by their own consent flags instead).
    pub applicant_consent: bool,
    pub substance: String,
    /// When the resident called or wrote; empty — now.
    #[schema(value_type = Option<String>)]
    pub received_at: Option<DateTime<Utc>>,
}

/// What the specialist tells the resident: the number and the deadline.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Registered {
    pub id: i64,
    pub number: String,
    /// UTC, RFC 3339.
    pub deadline_at: Option<String>,
    pub deadline_rule: Option<String>,
    pub priority: Priority,
    pub suggested_category: String,
    pub suggested_emergency: bool,
}

/// The numbering scope of a kind: `appeal.request`, `appeal.complaint`…
pub fn scope(kind: AppealKind) -> String {
    format!("appeal.{}", kind.code())
}

pub async fn register(db: &Db, a: &NewAppeal, actor: &Actor) -> Result<Registered> {
    let priority = a.priority.unwrap_or(Priority::Normal);
    let phone_norm = match a.applicant_phone.trim() {
        "" => None,
        p => phone::normalize(p),
    };
    let has_registry_address =
        a.building_id.is_some() || a.premises_id.is_some() || a.account_id.is_some();
    let errors = check_intake(&Intake {
        kind: a.kind,
        priority: Some(priority),
        has_registry_address,
        address_text: &a.address_text,
        substance: &a.substance,
        has_person: a.person_id.is_some(),
        phone: &a.applicant_phone,
        email: &a.applicant_email,
        anonymous: a.anonymous,
    });
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let kind = a.kind.unwrap_or(AppealKind::Request);
    let channel = a.channel.unwrap_or(Channel::Phone);
    let suggestion = classify(&a.substance);
    let tz = zone(db).await?;
    let received = a.received_at.unwrap_or_else(time::now);
    let now = time::now();

    // Read before the transaction: a transaction waiting for a second pool connection can
    // starve the pool when many registrations queue on the number's row lock.
    let calendar = super::work_calendar(db).await?;
    let texts = super::notices::Texts::load(db).await?;
    let mut tx = db.write().begin().await?;
    let (building_id, premises_id) = place(&mut tx, a).await?;
    let category_id = match a.category_id {
        Some(id) => Some(id),
        None => reference::category_by_code(&mut tx, &suggestion.category).await?,
    };
    let path = match category_id {
        Some(id) => reference::category_path(&mut tx, id).await?,
        None => Vec::new(),
    };
    let path_refs: Vec<&str> = path.iter().map(String::as_str).collect();
    let bindings = reference::bindings(&mut tx).await?;
    let rules = reference::rules(&mut tx).await?;
    let rule = choose_rule(&bindings, kind, priority, channel, &path_refs)
        .and_then(|code| rules.iter().find(|r| r.code == code));
    // The clock starts at registration: the rules count from when the company knew.
    let local_now = now.with_timezone(&tz).naive_local();
    let deadline = rule.map(|r| {
        let local = compute_deadline(r, local_now, &calendar);
        abonent_domain::deadline::from_local(&tz, local).with_timezone(&Utc)
    });
    let year = now.with_timezone(&tz).year();
    let (seq, number) = numbering::issue(db, &mut tx, &scope(kind), year).await?;
    let now_text = time::fmt(now);
    let row = sqlx::query(
        "INSERT INTO appeals (year, seq, number, kind, channel, priority, status, category_id, \
         suggested_category, suggested_emergency, building_id, premises_id, account_id, person_id, \
         address_text, applicant_name, applicant_phone, applicant_email, anonymous, substance, \
         received_at, registered_at, registered_by, deadline_rule, deadline_at, updated_at, \
         applicant_consent) \
         VALUES ($1, $2, $3, $4, $5, $6, 'registered', $7, $8, $9, $10, $11, $12, $13, $14, $15, \
         $16, $17, $18, $19, $20, $21, $22, $23, $24, $21, $25) RETURNING id",
    )
    .bind(i64::from(year))
    .bind(seq)
    .bind(&number)
    .bind(kind.code())
    .bind(channel.code())
    .bind(priority.code())
    .bind(category_id)
    .bind(&suggestion.category)
    .bind(i64::from(suggestion.emergency))
    .bind(building_id)
    .bind(premises_id)
    .bind(a.account_id)
    .bind(a.person_id)
    .bind(opt(&a.address_text))
    .bind(opt(&a.applicant_name))
    .bind(phone_norm.as_deref())
    .bind(opt(&a.applicant_email))
    .bind(i64::from(a.anonymous))
    .bind(a.substance.trim())
    .bind(time::fmt(received))
    .bind(&now_text)
    .bind(actor.user_id)
    .bind(rule.map(|r| r.code.as_str()))
    .bind(deadline.map(time::fmt))
    .bind(i64::from(a.applicant_consent))
    .fetch_one(&mut *tx)
    .await?;
    let id: i64 = row.get(0);
    terms::index(&mut tx, id, &a.substance).await?;
    let assigned =
        super::routing::on_registered_in(&mut tx, &texts, id, &path, building_id, priority).await?;
    history::record(
        &mut tx,
        actor,
        Change {
            entity: "appeal",
            entity_id: id,
            parent: None,
            action: "create",
            before: None,
            after: Some(serde_json::json!({
                "number": number, "kind": kind.code(), "channel": channel.code(),
                "priority": priority.code(), "status": "registered",
                "deadline_at": deadline.map(time::fmt), "deadline_rule": rule.map(|r| &r.code),
                "assigned": assigned,
            })),
            note: None,
        },
    )
    .await?;
    if priority == Priority::Emergency {
        sqlx::query("INSERT INTO alerts (appeal_id, raised_at) VALUES ($1, $2)")
            .bind(id)
            .bind(&now_text)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(Registered {
        id,
        number,
        deadline_at: deadline.map(time::fmt),
        deadline_rule: rule.map(|r| r.code.clone()),
        priority,
        suggested_category: suggestion.category,
        suggested_emergency: suggestion.emergency,
    })
}

fn opt(s: &str) -> Option<&str> {
    Some(s.trim()).filter(|s| !s.is_empty())
}

/// The building and premises the appeal is about, from whatever the form gave; each id
/// given must exist and agree with the others.
async fn place(conn: &mut AnyConnection, a: &NewAppeal) -> Result<(Option<i64>, Option<i64>)> {
    let one = |sql: &'static str, id: i64| sqlx::query(sql).bind(id);
    let mut premises = a.premises_id;
    if let Some(acc) = a.account_id {
        let of_account: i64 = one("SELECT premises_id FROM accounts WHERE id = $1", acc)
            .fetch_optional(&mut *conn)
            .await?
            .map(|r| r.get(0))
            .ok_or_else(|| {
                StoreError::invalid(
                    "account_id",
                    "Такого лицевого счёта нет: выберите счёт из реестра.",
                )
            })?;
        if premises.is_some_and(|p| p != of_account) {
            return Err(StoreError::invalid(
                "premises_id",
                "Помещение не совпадает с помещением лицевого счёта: выберите одно из них.",
            ));
        }
        premises = Some(of_account);
    }
    let mut building = a.building_id;
    if let Some(p) = premises {
        let of_premises: i64 = one("SELECT building_id FROM premises WHERE id = $1", p)
            .fetch_optional(&mut *conn)
            .await?
            .map(|r| r.get(0))
            .ok_or_else(|| {
                StoreError::invalid(
                    "premises_id",
                    "Такого помещения нет: выберите помещение из реестра.",
                )
            })?;
        if building.is_some_and(|b| b != of_premises) {
            return Err(StoreError::invalid(
                "building_id",
                "Дом не совпадает с домом помещения: выберите одно из них.",
            ));
        }
        building = Some(of_premises);
    } else if let Some(b) = building {
        if one("SELECT 1 FROM buildings WHERE id = $1", b)
            .fetch_optional(&mut *conn)
            .await?
            .is_none()
        {
            return Err(StoreError::invalid(
                "building_id",
                "Такого дома нет в реестре: выберите дом из списка или запишите адрес текстом.",
            ));
        }
    }
    Ok((building, premises))
}
