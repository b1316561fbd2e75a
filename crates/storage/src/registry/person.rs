use abonent_domain::missing::Missing;
use abonent_domain::registry::{LegalCapacity, LinkData, PersonData, RegistryRefusal};
use abonent_domain::text::fold;
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::Row;

use super::{close_reason, diff, Page, PageReq};
use crate::history::{self, Actor, Change};
use crate::{search, time, Db, Result, StoreError};

#[derive(Debug, Clone, Serialize)]
pub struct Person {
    pub id: i64,
    #[serde(flatten)]
    pub data: PersonData,
    pub full_name: String,
    pub closed_at: Option<String>,
    pub close_reason: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct PersonFilter {
    /// Beginnings of name words: `иван пет`.
    pub name: Option<String>,
    pub include_closed: bool,
    /// `name` (default) or `-name`.
    pub sort: Option<String>,
}

/// A person already in the registry who may be the one being entered.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SimilarPerson {
    pub id: i64,
    pub full_name: String,
    pub reason: String,
}

const COLS: &str =
    "p.id, p.last_name, p.first_name, p.middle_name, p.birth_date, p.phones, p.email, \
    p.id_document, p.consent_sms, p.consent_email, p.legal_capacity, p.capacity_basis, \
    p.closed_at, p.close_reason";

pub(crate) fn from_row(r: &AnyRow) -> Person {
    let phones: String = r.get("phones");
    let data = PersonData {
        last_name: r.get("last_name"),
        first_name: r.get("first_name"),
        middle_name: r.get("middle_name"),
        birth_date: time::opt_date(r.get("birth_date")),
        phones: phones
            .split(',')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect(),
        email: r.get("email"),
        id_document: r.get("id_document"),
        consent_sms: r.get::<i64, _>("consent_sms") != 0,
        consent_email: r.get::<i64, _>("consent_email") != 0,
        legal_capacity: LegalCapacity::from_code(&r.get::<String, _>("legal_capacity"))
            .unwrap_or_default(),
        capacity_basis: r.get("capacity_basis"),
    };
    Person {
        id: r.get("id"),
        full_name: data.full_name(),
        data,
        closed_at: r.get("closed_at"),
        close_reason: r.get("close_reason"),
    }
}

fn binds<'q>(
    q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    d: &PersonData,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    q.bind(d.last_name.clone())
        .bind(d.first_name.clone())
        .bind(d.middle_name.clone())
        .bind(d.birth_date.map(time::date_text))
        .bind(d.phones.join(","))
        .bind(d.email.clone())
        .bind(d.id_document.clone())
        .bind(d.consent_sms as i64)
        .bind(d.consent_email as i64)
        .bind(d.legal_capacity.code())
        .bind(d.capacity_basis.clone())
}

pub async fn create(db: &Db, d: &PersonData, actor: &Actor) -> Result<i64> {
    create_with_link(db, d, None, actor).await
}

/// Add a person and, when given, their link to an account (its `person_id` is filled in) in
/// one transaction: a refused link leaves no person behind.
pub async fn create_with_link(
    db: &Db,
    d: &PersonData,
    link: Option<&LinkData>,
    actor: &Actor,
) -> Result<i64> {
    let mut tx = db.write().begin().await?;
    let q = sqlx::query(
        "INSERT INTO persons (last_name, first_name, middle_name, birth_date, phones, email, id_document, \
         consent_sms, consent_email, legal_capacity, capacity_basis, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id",
    );
    let id: i64 = binds(q, d)
        .bind(db.now_text())
        .fetch_one(&mut *tx)
        .await?
        .get(0);
    history::record(
        &mut tx,
        &db.now_text(),
        actor,
        Change {
            entity: "person",
            entity_id: id,
            parent: None,
            action: "create",
            before: None,
            after: Some(serde_json::to_value(d).unwrap_or_default()),
            note: None,
        },
    )
    .await?;
    search::reindex_person(&mut tx, id).await?;
    if let Some(l) = link {
        let l = LinkData {
            person_id: id,
            ..l.clone()
        };
        super::link::create_link_in(&mut tx, &db.now_text(), &l, actor).await?;
    }
    tx.commit().await?;
    Ok(id)
}

pub async fn get(db: &Db, id: i64) -> Result<Person> {
    sqlx::query(&format!("SELECT {COLS} FROM persons p WHERE p.id = $1"))
        .bind(id)
        .fetch_optional(db.read())
        .await?
        .map(|r| from_row(&r))
        .ok_or_else(|| StoreError::from(Missing::Person(id)))
}

/// Personal data was shown to a staff member (152-ФЗ): recorded in the history.
pub async fn record_view(db: &Db, id: i64, actor: &Actor, channel: &str) -> Result<()> {
    let mut conn = db.write().acquire().await?;
    history::record(
        &mut conn,
        &db.now_text(),
        actor,
        Change {
            entity: "person",
            entity_id: id,
            parent: None,
            action: "view",
            before: None,
            after: None,
            note: Some(channel),
        },
    )
    .await
}

pub async fn update(db: &Db, id: i64, d: &PersonData, actor: &Actor) -> Result<()> {
    let old = get(db, id).await?;
    let mut tx = db.write().begin().await?;
    let q = sqlx::query(
        "UPDATE persons SET last_name = $1, first_name = $2, middle_name = $3, birth_date = $4, \
         phones = $5, email = $6, id_document = $7, consent_sms = $8, consent_email = $9, \
         legal_capacity = $10, capacity_basis = $11, updated_at = $12 WHERE id = $13",
    );
    binds(q, d)
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
                entity: "person",
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
    search::reindex_person(&mut tx, id).await?;
    tx.commit().await?;
    Ok(())
}

/// Archive a person (moved away, died, record entered twice). The record and its history stay.
/// Move a person to the archive (death, departure) on a date: their open links end on
/// that date in the same transaction, so they leave the account cards, the certificates and
/// the default payer, and each ended link is in the history.
pub async fn close(
    db: &Db,
    id: i64,
    on: chrono::NaiveDate,
    reason: &str,
    actor: &Actor,
) -> Result<()> {
    let reason = close_reason(reason)?;
    let p = get(db, id).await?;
    if p.closed_at.is_some() {
        return Err(RegistryRefusal::PersonArchived.into());
    }
    let open: Vec<_> = super::link::links_of_person(db, id)
        .await?
        .into_iter()
        .filter(|l| l.link.closed_at.is_none())
        .collect();
    let mut tx = db.write().begin().await?;
    let now = db.now_text();
    sqlx::query(
        "UPDATE persons SET closed_at = $1, close_reason = $2, updated_at = $1 WHERE id = $3",
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
            entity: "person",
            entity_id: id,
            parent: None,
            action: "close",
            before: None,
            after: Some(serde_json::json!({"closed_at": now, "on": time::date_text(on)})),
            note: Some(&reason),
        },
    )
    .await?;
    for l in &open {
        // A link already ended earlier keeps its own end.
        let end = l.link.data.to_date.map_or(on, |t| t.min(on));
        super::link::close_link_in(&mut tx, &now, &l.link, end, &reason, actor).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// People who may be the same as `d`: same full name, or a shared phone.
pub async fn similar(db: &Db, d: &PersonData, except: Option<i64>) -> Result<Vec<SimilarPerson>> {
    let mut out: Vec<SimilarPerson> = Vec::new();
    let same_name = sqlx::query(&format!(
        "SELECT {COLS} FROM persons p WHERE p.closed_at IS NULL AND p.id <> $3 AND p.id IN \
         (SELECT ref_id FROM search_tokens WHERE kind = 'p' AND token = $1) AND p.id IN \
         (SELECT ref_id FROM search_tokens WHERE kind = 'p' AND token = $2) LIMIT 20"
    ))
    .bind(format!("w:{}", fold(&d.last_name)))
    .bind(format!("w:{}", fold(&d.first_name)))
    .bind(except.unwrap_or(0))
    .fetch_all(db.read())
    .await?;
    for r in same_name.iter().map(from_row) {
        let same_middle = fold(r.data.middle_name.as_deref().unwrap_or(""))
            == fold(d.middle_name.as_deref().unwrap_or(""));
        if fold(&r.data.last_name) == fold(&d.last_name) && same_middle {
            let birth = match (r.data.birth_date, d.birth_date) {
                (Some(a), Some(b)) if a != b => continue,
                (Some(a), Some(_)) => Some(a),
                _ => None,
            };
            out.push(SimilarPerson {
                id: r.id,
                full_name: r.full_name.clone(),
                reason: abonent_domain::registry::similar_by_name(birth),
            });
        }
    }
    for phone in &d.phones {
        let Some(digits) = abonent_domain::phone::search_digits(phone) else {
            continue;
        };
        let rows = sqlx::query(&format!(
            "SELECT {COLS} FROM persons p WHERE p.closed_at IS NULL AND p.id <> $2 AND p.id IN \
             (SELECT ref_id FROM search_tokens WHERE kind = 'p' AND token = $1) LIMIT 20"
        ))
        .bind(format!("t:{digits}"))
        .bind(except.unwrap_or(0))
        .fetch_all(db.read())
        .await?;
        for r in rows.iter().map(from_row) {
            if !out.iter().any(|s| s.id == r.id) {
                out.push(SimilarPerson {
                    id: r.id,
                    full_name: r.full_name.clone(),
                    reason: abonent_domain::registry::similar_by_phone(phone),
                });
            }
        }
    }
    Ok(out)
}

pub async fn list(db: &Db, f: &PersonFilter, page: PageReq) -> Result<Page<Person>> {
    let mut wh = vec!["1=1".to_string()];
    let mut args = Vec::new();
    if !f.include_closed {
        wh.push("p.closed_at IS NULL".into());
    }
    for w in abonent_domain::search::parse(f.name.as_deref().unwrap_or("")).words {
        let t = format!("w:{w}");
        args.push(abonent_domain::search::prefix_upper_bound(&t));
        args.push(t);
        wh.push(format!(
            "p.id IN (SELECT ref_id FROM search_tokens WHERE kind = 'p' AND token >= ${} AND token < ${})",
            args.len(),
            args.len() - 1
        ));
    }
    let order = if f.sort.as_deref() == Some("-name") {
        "p.last_name DESC, p.first_name DESC, p.id"
    } else {
        "p.last_name, p.first_name, p.middle_name, p.id"
    };
    let wh = wh.join(" AND ");
    let sql = format!(
        "SELECT {COLS} FROM persons p WHERE {wh} ORDER BY {order} LIMIT {} OFFSET {}",
        page.per_page,
        page.offset()
    );
    let mut q = sqlx::query(&sql);
    let count_sql = format!("SELECT COUNT(*) FROM persons p WHERE {wh}");
    let mut c = sqlx::query_scalar::<_, i64>(&count_sql);
    for a in &args {
        q = q.bind(a.clone());
        c = c.bind(a.clone());
    }
    let items = q.fetch_all(db.read()).await?.iter().map(from_row).collect();
    let total = c.fetch_one(db.read()).await?;
    Ok(Page {
        items,
        total,
        page: page.page,
        per_page: page.per_page,
    })
}
