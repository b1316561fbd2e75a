//! Person ↔ account links (owner, tenant, registered, representative) and benefits.

use abonent_domain::missing::Missing;
use abonent_domain::registry::{
    BenefitData, LinkData, LinkRole, Registration, RegistrationKind, RegistryRefusal, Share,
};
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::Row;

use super::{close_reason, diff};
use crate::history::{self, Actor, Change};
use crate::{time, Db, Result, StoreError};

#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub id: i64,
    #[serde(flatten)]
    pub data: LinkData,
    pub closed_at: Option<String>,
}

/// A link as shown on a card: with the other side's name.
#[derive(Debug, Clone, Serialize)]
pub struct LinkView {
    #[serde(flatten)]
    pub link: Link,
    pub role_title: String,
    pub person_name: String,
    pub account_number: String,
    pub address: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Benefit {
    pub id: i64,
    #[serde(flatten)]
    pub data: BenefitData,
    pub closed_at: Option<String>,
    pub close_reason: Option<String>,
}

const LINK_COLS: &str = "l.id, l.account_id, l.person_id, l.role, l.share_num, l.share_den, l.from_date, \
    l.to_date, l.closed_at, l.registration_kind, l.stay_until, l.arrived_on, l.departed_on, l.kinship, l.kin_of, \
    pe.last_name, pe.first_name, pe.middle_name, a.number AS account_number, \
    p.number AS premises_number, p.residential, b.city, b.street, b.house, b.korpus, b.stroenie";
const LINK_FROM: &str = "account_persons l JOIN persons pe ON pe.id = l.person_id \
    JOIN accounts a ON a.id = l.account_id JOIN premises p ON p.id = a.premises_id \
    JOIN buildings b ON b.id = p.building_id";

fn registration_from_row(r: &AnyRow) -> Registration {
    Registration {
        kind: r
            .get::<Option<String>, _>("registration_kind")
            .as_deref()
            .and_then(RegistrationKind::from_code),
        stay_until: time::opt_date(r.get("stay_until")),
        arrived_on: time::opt_date(r.get("arrived_on")),
        departed_on: time::opt_date(r.get("departed_on")),
        kinship: r.get("kinship"),
        kin_of: r.get("kin_of"),
    }
}

fn link_from_row(r: &AnyRow) -> LinkView {
    let share = match (
        r.get::<Option<i64>, _>("share_num"),
        r.get::<Option<i64>, _>("share_den"),
    ) {
        (Some(n), Some(d)) => Some(Share {
            num: n as i32,
            den: d as i32,
        }),
        _ => None,
    };
    let role = LinkRole::from_code(&r.get::<String, _>("role")).unwrap_or(LinkRole::Registered);
    let middle: Option<String> = r.get("middle_name");
    let flat = abonent_domain::registry::premises_label(
        &r.get::<String, _>("premises_number"),
        r.get::<i64, _>("residential") != 0,
    );
    LinkView {
        link: Link {
            id: r.get("id"),
            data: LinkData {
                account_id: r.get("account_id"),
                person_id: r.get("person_id"),
                role,
                share,
                from_date: time::opt_date(r.get("from_date")),
                to_date: time::opt_date(r.get("to_date")),
                registration: registration_from_row(r),
            },
            closed_at: r.get("closed_at"),
        },
        role_title: role.title().to_string(),
        person_name: format!(
            "{} {}{}",
            r.get::<String, _>("last_name"),
            r.get::<String, _>("first_name"),
            middle.map(|m| format!(" {m}")).unwrap_or_default()
        ),
        account_number: r.get("account_number"),
        address: format!("{}, {flat}", crate::search::address_of(r)),
    }
}

async fn exists(conn: &mut sqlx::AnyConnection, table: &str, id: i64) -> Result<bool> {
    Ok(sqlx::query(&format!("SELECT 1 FROM {table} WHERE id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?
        .is_some())
}

/// «Whose relative» must name another person holding an open owner or tenant link on the
/// same account.
async fn check_kin_of(conn: &mut sqlx::AnyConnection, d: &LinkData) -> Result<()> {
    let Some(head) = d.registration.kin_of else {
        return Ok(());
    };
    let holds: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM account_persons WHERE account_id = $1 AND person_id = $2 \
         AND role IN ('owner', 'tenant') AND closed_at IS NULL",
    )
    .bind(d.account_id)
    .bind(head)
    .fetch_optional(conn)
    .await?;
    if head == d.person_id || holds.is_none() {
        return Err(RegistryRefusal::KinOfNotHead.into());
    }
    Ok(())
}

pub async fn create_link(db: &Db, d: &LinkData, actor: &Actor) -> Result<i64> {
    let mut tx = db.write().begin().await?;
    let id = create_link_in(&mut tx, &db.now_text(), d, actor).await?;
    tx.commit().await?;
    Ok(id)
}

/// Link a person to an account inside the caller's transaction (a person added from an
/// account card is saved with their link, or not at all).
pub(crate) async fn create_link_in(
    tx: &mut sqlx::AnyConnection,
    now: &str,
    d: &LinkData,
    actor: &Actor,
) -> Result<i64> {
    if !exists(tx, "accounts", d.account_id).await? {
        return Err(RegistryRefusal::NoSuchAccount {
            account_id: d.account_id,
        }
        .into());
    }
    if !exists(tx, "persons", d.person_id).await? {
        return Err(RegistryRefusal::NoSuchPerson {
            person_id: d.person_id,
        }
        .into());
    }
    let dup: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM account_persons WHERE account_id = $1 AND person_id = $2 AND role = $3 AND closed_at IS NULL",
    )
    .bind(d.account_id)
    .bind(d.person_id)
    .bind(d.role.code())
    .fetch_optional(&mut *tx)
    .await?;
    if dup.is_some() {
        return Err(RegistryRefusal::LinkRoleTaken { role: d.role }.into());
    }
    check_kin_of(tx, d).await?;
    let r = &d.registration;
    let id: i64 = sqlx::query(
        "INSERT INTO account_persons (account_id, person_id, role, share_num, share_den, from_date, to_date, \
         registration_kind, stay_until, arrived_on, departed_on, kinship, kin_of, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $14, $13, $13) RETURNING id",
    )
    .bind(d.account_id)
    .bind(d.person_id)
    .bind(d.role.code())
    .bind(d.share.map(|s| i64::from(s.num)))
    .bind(d.share.map(|s| i64::from(s.den)))
    .bind(d.from_date.map(time::date_text))
    .bind(d.to_date.map(time::date_text))
    .bind(r.kind.map(|k| k.code()))
    .bind(r.stay_until.map(time::date_text))
    .bind(r.arrived_on.map(time::date_text))
    .bind(r.departed_on.map(time::date_text))
    .bind(r.kinship.as_deref())
    .bind(now)
    .bind(r.kin_of)
    .fetch_one(&mut *tx)
    .await?
    .get(0);
    history::record(
        tx,
        now,
        actor,
        Change {
            entity: "account_person",
            entity_id: id,
            parent: Some(("account", d.account_id)),
            action: "create",
            before: None,
            after: Some(serde_json::to_value(d).unwrap_or_default()),
            note: None,
        },
    )
    .await?;
    Ok(id)
}

pub async fn get_link(db: &Db, id: i64) -> Result<LinkView> {
    sqlx::query(&format!(
        "SELECT {LINK_COLS} FROM {LINK_FROM} WHERE l.id = $1"
    ))
    .bind(id)
    .fetch_optional(db.read())
    .await?
    .map(|r| link_from_row(&r))
    .ok_or_else(|| StoreError::from(Missing::Link(id)))
}

pub async fn update_link(db: &Db, id: i64, d: &LinkData, actor: &Actor) -> Result<()> {
    let old = get_link(db, id).await?.link;
    if old.data.account_id != d.account_id || old.data.person_id != d.person_id {
        return Err(RegistryRefusal::LinkRebound.into());
    }
    let mut tx = db.write().begin().await?;
    check_kin_of(&mut tx, d).await?;
    sqlx::query(
        "UPDATE account_persons SET role = $1, share_num = $2, share_den = $3, from_date = $4, to_date = $5, updated_at = $6, \
         registration_kind = $8, stay_until = $9, arrived_on = $10, departed_on = $11, kinship = $12, kin_of = $13 WHERE id = $7",
    )
    .bind(d.role.code())
    .bind(d.share.map(|s| i64::from(s.num)))
    .bind(d.share.map(|s| i64::from(s.den)))
    .bind(d.from_date.map(time::date_text))
    .bind(d.to_date.map(time::date_text))
    .bind(db.now_text())
    .bind(id)
    .bind(d.registration.kind.map(|k| k.code()))
    .bind(d.registration.stay_until.map(time::date_text))
    .bind(d.registration.arrived_on.map(time::date_text))
    .bind(d.registration.departed_on.map(time::date_text))
    .bind(d.registration.kinship.as_deref())
    .bind(d.registration.kin_of)
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
                entity: "account_person",
                entity_id: id,
                parent: Some(("account", d.account_id)),
                action: "update",
                before: Some(before),
                after: Some(after),
                note: None,
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// End a link (moved out, sold the flat) on a date. The link stays in the history.
pub async fn close_link(
    db: &Db,
    id: i64,
    on: chrono::NaiveDate,
    reason: &str,
    actor: &Actor,
) -> Result<()> {
    let reason = close_reason(reason)?;
    let old = get_link(db, id).await?.link;
    if old.closed_at.is_some() {
        return Err(RegistryRefusal::LinkClosed.into());
    }
    let mut tx = db.write().begin().await?;
    close_link_in(&mut tx, &db.now_text(), &old, on, &reason, actor).await?;
    tx.commit().await?;
    Ok(())
}

/// Close one open link inside the caller's transaction, with its history entry.
pub(crate) async fn close_link_in(
    tx: &mut sqlx::AnyConnection,
    now: &str,
    old: &Link,
    on: chrono::NaiveDate,
    reason: &str,
    actor: &Actor,
) -> Result<()> {
    sqlx::query("UPDATE account_persons SET to_date = $1, closed_at = $2, close_reason = $3, updated_at = $2 WHERE id = $4")
        .bind(time::date_text(on))
        .bind(now)
        .bind(reason)
        .bind(old.id)
        .execute(&mut *tx)
        .await?;
    history::record(
        tx,
        now,
        actor,
        Change {
            entity: "account_person",
            entity_id: old.id,
            parent: Some(("account", old.data.account_id)),
            action: "close",
            before: None,
            after: Some(serde_json::json!({"to_date": time::date_text(on)})),
            note: Some(reason),
        },
    )
    .await?;
    Ok(())
}

pub async fn links_of_account(db: &Db, account_id: i64) -> Result<Vec<LinkView>> {
    Ok(sqlx::query(&format!(
        "SELECT {LINK_COLS} FROM {LINK_FROM} WHERE l.account_id = $1 ORDER BY l.closed_at IS NOT NULL, l.role, pe.last_name"
    ))
    .bind(account_id)
    .fetch_all(db.read())
    .await?
    .iter()
    .map(link_from_row)
    .collect())
}

/// How to reach a person linked to an account.
#[derive(Debug, Clone, Serialize)]
pub struct Contact {
    pub person_id: i64,
    pub phones: Vec<String>,
    pub email: Option<String>,
}

/// The phones and e-mail of everyone linked to the account (each person once), in one query:
/// the account card shows them beside the roles.
pub async fn contacts_of_account(db: &Db, account_id: i64) -> Result<Vec<Contact>> {
    Ok(sqlx::query(
        "SELECT pe.id, pe.phones, pe.email FROM persons pe WHERE pe.id IN \
         (SELECT person_id FROM account_persons WHERE account_id = $1) ORDER BY pe.id",
    )
    .bind(account_id)
    .fetch_all(db.read())
    .await?
    .iter()
    .map(|r| Contact {
        person_id: r.get(0),
        phones: r
            .get::<String, _>(1)
            .split(',')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect(),
        email: r.get(2),
    })
    .collect())
}

/// Everyone registered in the premises on `on`, through any of its accounts open that day,
/// each person once (the earliest registration first): the registration certificate. A
/// closed link, an archived person, a stay that ended or a departure before `on` is not.
pub async fn registered_in_premises(
    db: &Db,
    premises_id: i64,
    on: chrono::NaiveDate,
) -> Result<Vec<LinkView>> {
    let rows = sqlx::query(&format!(
        "SELECT {LINK_COLS} FROM {LINK_FROM} WHERE a.premises_id = $1 AND l.role = 'registered' \
         AND l.closed_at IS NULL AND pe.closed_at IS NULL \
         AND (a.closed_on IS NULL OR a.closed_on >= $2) \
         AND (l.from_date IS NULL OR l.from_date <= $2) AND (l.to_date IS NULL OR l.to_date >= $2) \
         ORDER BY l.from_date IS NULL, l.from_date, pe.last_name, pe.first_name, l.id"
    ))
    .bind(premises_id)
    .bind(time::date_text(on))
    .fetch_all(db.read())
    .await?;
    let mut seen = std::collections::BTreeSet::new();
    Ok(rows
        .iter()
        .map(link_from_row)
        .filter(|l| l.link.data.registration.holds_on(on) && seen.insert(l.link.data.person_id))
        .collect())
}

pub async fn links_of_person(db: &Db, person_id: i64) -> Result<Vec<LinkView>> {
    Ok(sqlx::query(&format!(
        "SELECT {LINK_COLS} FROM {LINK_FROM} WHERE l.person_id = $1 ORDER BY l.closed_at IS NOT NULL, a.number"
    ))
    .bind(person_id)
    .fetch_all(db.read())
    .await?
    .iter()
    .map(link_from_row)
    .collect())
}

fn benefit_from_row(r: &AnyRow) -> Benefit {
    Benefit {
        id: r.get("id"),
        data: BenefitData {
            person_id: r.get("person_id"),
            category: r.get("category"),
            document: r.get("document"),
            from_date: time::opt_date(r.get("from_date")).unwrap_or_default(),
            to_date: time::opt_date(r.get("to_date")),
        },
        closed_at: r.get("closed_at"),
        close_reason: r.get("close_reason"),
    }
}

const BENEFIT_COLS: &str =
    "id, person_id, category, document, from_date, to_date, closed_at, close_reason";

pub async fn create_benefit(db: &Db, d: &BenefitData, actor: &Actor) -> Result<i64> {
    let mut tx = db.write().begin().await?;
    if !exists(&mut tx, "persons", d.person_id).await? {
        return Err(RegistryRefusal::NoSuchPerson {
            person_id: d.person_id,
        }
        .into());
    }
    let id: i64 = sqlx::query(
        "INSERT INTO benefits (person_id, category, document, from_date, to_date, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
    )
    .bind(d.person_id)
    .bind(&d.category)
    .bind(&d.document)
    .bind(time::date_text(d.from_date))
    .bind(d.to_date.map(time::date_text))
    .bind(db.now_text())
    .fetch_one(&mut *tx)
    .await?
    .get(0);
    history::record(
        &mut tx,
        &db.now_text(),
        actor,
        Change {
            entity: "benefit",
            entity_id: id,
            parent: Some(("person", d.person_id)),
            action: "create",
            before: None,
            after: Some(serde_json::to_value(d).unwrap_or_default()),
            note: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn get_benefit(db: &Db, id: i64) -> Result<Benefit> {
    sqlx::query(&format!(
        "SELECT {BENEFIT_COLS} FROM benefits WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(db.read())
    .await?
    .map(|r| benefit_from_row(&r))
    .ok_or_else(|| StoreError::from(Missing::Benefit(id)))
}

pub async fn update_benefit(db: &Db, id: i64, d: &BenefitData, actor: &Actor) -> Result<()> {
    let old = get_benefit(db, id).await?;
    if old.data.person_id != d.person_id {
        return Err(RegistryRefusal::BenefitMoved.into());
    }
    let mut tx = db.write().begin().await?;
    sqlx::query("UPDATE benefits SET category = $1, document = $2, from_date = $3, to_date = $4, updated_at = $5 WHERE id = $6")
        .bind(&d.category)
        .bind(&d.document)
        .bind(time::date_text(d.from_date))
        .bind(d.to_date.map(time::date_text))
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
                entity: "benefit",
                entity_id: id,
                parent: Some(("person", d.person_id)),
                action: "update",
                before: Some(before),
                after: Some(after),
                note: None,
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

pub async fn close_benefit(db: &Db, id: i64, reason: &str, actor: &Actor) -> Result<()> {
    let reason = close_reason(reason)?;
    let old = get_benefit(db, id).await?;
    let mut tx = db.write().begin().await?;
    let now = db.now_text();
    sqlx::query(
        "UPDATE benefits SET closed_at = $1, close_reason = $2, updated_at = $1 WHERE id = $3",
    )
    .bind(&now)
    .bind(&reason)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    history::record(
        &mut tx,
        &now,
        actor,
        Change {
            entity: "benefit",
            entity_id: id,
            parent: Some(("person", old.data.person_id)),
            action: "close",
            before: None,
            after: Some(serde_json::json!({"closed_at": now})),
            note: Some(&reason),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn benefits_of_person(db: &Db, person_id: i64) -> Result<Vec<Benefit>> {
    Ok(sqlx::query(&format!(
        "SELECT {BENEFIT_COLS} FROM benefits WHERE person_id = $1 ORDER BY closed_at IS NOT NULL, from_date DESC"
    ))
    .bind(person_id)
    .fetch_all(db.read())
    .await?
    .iter()
    .map(benefit_from_row)
    .collect())
}

/// Benefits of everyone linked to an account (the account card).
pub async fn benefits_of_account(db: &Db, account_id: i64) -> Result<Vec<(String, Benefit)>> {
    let rows = sqlx::query(
        "SELECT bn.id, bn.person_id, bn.category, bn.document, bn.from_date, bn.to_date, bn.closed_at, bn.close_reason, \
         pe.last_name || ' ' || pe.first_name AS person_name FROM benefits bn JOIN persons pe ON pe.id = bn.person_id \
         WHERE bn.person_id IN (SELECT person_id FROM account_persons WHERE account_id = $1 AND closed_at IS NULL) \
         ORDER BY bn.closed_at IS NOT NULL, pe.last_name",
    )
    .bind(account_id)
    .fetch_all(db.read())
    .await?;
    Ok(rows
        .iter()
        .map(|r| (r.get::<String, _>("person_name"), benefit_from_row(r)))
        .collect())
}
