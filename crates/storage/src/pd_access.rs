//! The personal-data access log (152-ФЗ): one entry per answer that showed people's personal
//! data, naming them. Two statements per entry whatever the number of people (the child rows
//! go in one multi-row INSERT), so a list of 500 people costs what a card costs. Besides
//! registry persons an entry may name records whose personal data is free text (an appeal's
//! applicant, a letter's sender or addressee, a message's recipient): one more multi-row
//! INSERT into `pd_access_records` (migration 22).

use serde::Serialize;
use sqlx::Row;

use crate::registry::{Page, PageReq};
use crate::{Actor, Db, Result};

/// One logged answer, with the people it named (id and full name).
#[derive(Debug, Clone, Serialize)]
pub struct AccessEntry {
    pub id: i64,
    pub at: String,
    pub actor_id: Option<i64>,
    pub actor_name: String,
    /// The page or API call: `GET /persons`, `GET /api/v1/search`, an export's name.
    pub via: String,
    pub people: Vec<PersonShown>,
    /// The records it named besides people, by kind and id, with their number.
    pub records: Vec<RecordShown>,
}

/// What kind of record an entry names; its code is what `pd_access_records.kind` holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    /// An appeal (`appeals.id`): the applicant's name, contacts and address.
    Appeal,
    /// An incoming letter (`incoming_letters.id`): the sender.
    IncomingLetter,
    /// An outgoing letter (`outgoing_letters.id`): the addressee.
    OutgoingLetter,
    /// A message to a resident (`outbox.id`): the phone or e-mail and the text.
    Message,
}

impl RecordKind {
    pub const ALL: [RecordKind; 4] = [
        RecordKind::Appeal,
        RecordKind::IncomingLetter,
        RecordKind::OutgoingLetter,
        RecordKind::Message,
    ];

    pub fn code(self) -> &'static str {
        match self {
            RecordKind::Appeal => "appeal",
            RecordKind::IncomingLetter => "incoming_letter",
            RecordKind::OutgoingLetter => "outgoing_letter",
            RecordKind::Message => "message",
        }
    }

    pub fn from_code(code: &str) -> Option<RecordKind> {
        RecordKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The table and the column holding the record's number, when it has one.
    fn number_of(self) -> Option<(&'static str, &'static str)> {
        match self {
            RecordKind::Appeal => Some(("appeals", "number")),
            RecordKind::IncomingLetter => Some(("incoming_letters", "number")),
            RecordKind::OutgoingLetter => Some(("outgoing_letters", "number")),
            RecordKind::Message => None,
        }
    }
}

/// A record named by an entry: its kind, id and number (register number; empty when the
/// kind has none or the record is gone).
#[derive(Debug, Clone, Serialize)]
pub struct RecordShown {
    pub kind: RecordKind,
    pub id: i64,
    pub number: String,
}

/// What one answer showed: registry persons and records.
#[derive(Debug, Clone, Default)]
pub struct Shown {
    pub people: Vec<i64>,
    pub records: Vec<(RecordKind, i64)>,
}

impl Shown {
    pub fn people(ids: &[i64]) -> Shown {
        Shown {
            people: ids.to_vec(),
            records: Vec::new(),
        }
    }

    /// Adds records of one kind.
    pub fn with(mut self, kind: RecordKind, ids: impl IntoIterator<Item = i64>) -> Shown {
        self.records.extend(ids.into_iter().map(|id| (kind, id)));
        self
    }

    pub fn is_empty(&self) -> bool {
        self.people.is_empty() && self.records.is_empty()
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct PersonShown {
    pub id: i64,
    pub full_name: String,
}

/// What the auditor filters by; every field is optional.
#[derive(Debug, Clone, Default)]
pub struct AccessFilter {
    pub person_id: Option<i64>,
    /// A record named by the entry.
    pub record: Option<(RecordKind, i64)>,
    /// The staff member or token exactly as logged.
    pub actor_name: Option<String>,
    /// The beginning of the page or API call.
    pub via: Option<String>,
    /// Instants as stored (RFC 3339 UTC): `from` inclusive, `until` exclusive.
    pub from: Option<String>,
    pub until: Option<String>,
}

/// Records that `actor` was shown `person_ids` through `via`. Nothing is written for an
/// answer that showed nobody. Answers the entry's id.
pub async fn record(db: &Db, actor: &Actor, via: &str, person_ids: &[i64]) -> Result<Option<i64>> {
    record_shown(db, actor, via, &Shown::people(person_ids)).await
}

/// Records that `actor` was shown the people and records of `shown` through `via`: one entry,
/// at most three statements whatever the count. Nothing is written when it names nothing.
pub async fn record_shown(db: &Db, actor: &Actor, via: &str, shown: &Shown) -> Result<Option<i64>> {
    match NewAccess::new(db, actor, via, shown) {
        Some(e) => Ok(write_batch(db, &[&e]).await?.pop()),
        None => Ok(None),
    }
}

/// One entry of the log, ready to be written (the instant is when the answer was given).
#[derive(Debug, Clone)]
pub struct NewAccess {
    at: String,
    actor_id: Option<i64>,
    actor_name: String,
    via: String,
    people: Vec<i64>,
    records: Vec<(RecordKind, i64)>,
}

impl NewAccess {
    /// The entry for `shown`, stamped now; `None` when it names nobody and nothing.
    pub fn new(db: &Db, actor: &Actor, via: &str, shown: &Shown) -> Option<NewAccess> {
        let mut people = shown.people.clone();
        people.sort_unstable();
        people.dedup();
        let mut records = shown.records.clone();
        records.sort_unstable();
        records.dedup();
        if people.is_empty() && records.is_empty() {
            return None;
        }
        Some(NewAccess {
            at: db.now_text(),
            actor_id: actor.user_id,
            actor_name: actor.name.clone(),
            via: via.to_string(),
            people,
            records,
        })
    }
}

/// Writes `entries` in one transaction (the log's group commit: many answers at once share
/// one commit); answers their ids in order. One INSERT per entry, then the people and the
/// records of all of them in as few statements as the chunks allow.
pub async fn write_batch(db: &Db, entries: &[&NewAccess]) -> Result<Vec<i64>> {
    let mut tx = db.write().begin().await?;
    let mut ids = Vec::with_capacity(entries.len());
    for e in entries {
        let id: i64 = sqlx::query(
            "INSERT INTO pd_access (at, actor_id, actor_name, via, people) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(&e.at)
        .bind(e.actor_id)
        .bind(&e.actor_name)
        .bind(&e.via)
        .bind(e.people.len() as i64)
        .fetch_one(&mut *tx)
        .await?
        .get(0);
        ids.push(id);
    }
    // Integers and fixed codes only, so they are written into the statement: one round trip
    // per chunk (a page holds at most 500 people; chunks keep statements short all the same).
    let people: Vec<String> = entries
        .iter()
        .zip(&ids)
        .flat_map(|(e, id)| e.people.iter().map(move |p| format!("({id}, {p})")))
        .collect();
    for chunk in people.chunks(1000) {
        sqlx::query(&format!(
            "INSERT INTO pd_access_people (access_id, person_id) VALUES {}",
            chunk.join(", ")
        ))
        .execute(&mut *tx)
        .await?;
    }
    let records: Vec<String> = entries
        .iter()
        .zip(&ids)
        .flat_map(|(e, id)| {
            e.records
                .iter()
                .map(move |(k, r)| format!("({id}, '{}', {r})", k.code()))
        })
        .collect();
    for chunk in records.chunks(1000) {
        sqlx::query(&format!(
            "INSERT INTO pd_access_records (access_id, kind, record_id) VALUES {}",
            chunk.join(", ")
        ))
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(ids)
}

fn conditions(f: &AccessFilter, args: &mut Vec<String>) -> String {
    let mut wh = vec!["1 = 1".to_string()];
    if let Some(p) = f.person_id {
        wh.push(format!(
            "a.id IN (SELECT access_id FROM pd_access_people WHERE person_id = {p})"
        ));
    }
    if let Some((k, r)) = f.record {
        wh.push(format!(
            "a.id IN (SELECT access_id FROM pd_access_records WHERE kind = '{}' AND record_id = {r})",
            k.code()
        ));
    }
    let mut text = |cond: &str, v: &Option<String>| {
        if let Some(v) = v.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
            args.push(v.to_string());
            wh.push(cond.replace('?', &format!("${}", args.len())));
        }
    };
    text("a.actor_name = ?", &f.actor_name);
    text("a.at >= ?", &f.from);
    text("a.at < ?", &f.until);
    if let Some(v) = f.via.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
        args.push(v.to_string());
        args.push(abonent_domain::search::prefix_upper_bound(v));
        wh.push(format!(
            "a.via >= ${} AND a.via < ${}",
            args.len() - 1,
            args.len()
        ));
    }
    wh.join(" AND ")
}

/// The log, newest first, one page at a time, each entry with the people it named.
pub async fn list(db: &Db, f: &AccessFilter, page: PageReq) -> Result<Page<AccessEntry>> {
    let mut args = Vec::new();
    let wh = conditions(f, &mut args);
    let sql = format!(
        "SELECT a.id, a.at, a.actor_id, a.actor_name, a.via FROM pd_access a WHERE {wh} \
         ORDER BY a.id DESC LIMIT {} OFFSET {}",
        page.per_page,
        page.offset()
    );
    let count_sql = format!("SELECT COUNT(*) FROM pd_access a WHERE {wh}");
    let mut q = sqlx::query(&sql);
    let mut c = sqlx::query_scalar::<_, i64>(&count_sql);
    for a in &args {
        q = q.bind(a.clone());
        c = c.bind(a.clone());
    }
    let mut items: Vec<AccessEntry> = q
        .fetch_all(db.read())
        .await?
        .iter()
        .map(|r| AccessEntry {
            id: r.get(0),
            at: r.get(1),
            actor_id: r.get(2),
            actor_name: r.get(3),
            via: r.get(4),
            people: Vec::new(),
            records: Vec::new(),
        })
        .collect();
    fill_people(db, &mut items).await?;
    fill_records(db, &mut items).await?;
    Ok(Page {
        items,
        total: c.fetch_one(db.read()).await?,
        page: page.page,
        per_page: page.per_page,
    })
}

/// The people of `items`, in one query.
async fn fill_people(db: &Db, items: &mut [AccessEntry]) -> Result<()> {
    if items.is_empty() {
        return Ok(());
    }
    let ids = items
        .iter()
        .map(|e| e.id.to_string())
        .collect::<Vec<_>>()
        .join(",");
    let rows = sqlx::query(&format!(
        "SELECT ap.access_id, p.id, p.last_name, p.first_name, p.middle_name \
         FROM pd_access_people ap JOIN persons p ON p.id = ap.person_id \
         WHERE ap.access_id IN ({ids}) ORDER BY ap.access_id, p.last_name, p.first_name, p.id"
    ))
    .fetch_all(db.read())
    .await?;
    for r in rows {
        let access: i64 = r.get(0);
        let middle: Option<String> = r.get(4);
        let full_name = [Some(r.get::<String, _>(2)), Some(r.get(3)), middle]
            .into_iter()
            .flatten()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        if let Some(e) = items.iter_mut().find(|e| e.id == access) {
            e.people.push(PersonShown {
                id: r.get(1),
                full_name,
            });
        }
    }
    Ok(())
}

/// The registry persons the records of `records` are tied to (an appeal's applicant, a
/// letter's person), one query per kind present.
pub async fn linked_people(db: &Db, records: &[(RecordKind, i64)]) -> Result<Vec<i64>> {
    let mut out = Vec::new();
    for (kind, table) in [
        (RecordKind::Appeal, "appeals"),
        (RecordKind::IncomingLetter, "incoming_letters"),
        (RecordKind::OutgoingLetter, "outgoing_letters"),
    ] {
        let ids = records
            .iter()
            .filter(|(k, _)| *k == kind)
            .map(|(_, id)| id.to_string())
            .collect::<Vec<_>>();
        if ids.is_empty() {
            continue;
        }
        let found: Vec<i64> = sqlx::query_scalar(&format!(
            "SELECT DISTINCT person_id FROM {table} \
             WHERE person_id IS NOT NULL AND id IN ({})",
            ids.join(",")
        ))
        .fetch_all(db.read())
        .await?;
        out.extend(found);
    }
    out.sort_unstable();
    out.dedup();
    Ok(out)
}

/// The records of `items` with their numbers, in one query.
async fn fill_records(db: &Db, items: &mut [AccessEntry]) -> Result<()> {
    if items.is_empty() {
        return Ok(());
    }
    let ids = items
        .iter()
        .map(|e| e.id.to_string())
        .collect::<Vec<_>>()
        .join(",");
    let numbers = RecordKind::ALL
        .into_iter()
        .filter_map(|k| {
            let (table, column) = k.number_of()?;
            Some(format!(
                "WHEN '{}' THEN (SELECT t.{column} FROM {table} t WHERE t.id = ar.record_id)",
                k.code()
            ))
        })
        .collect::<Vec<_>>()
        .join(" ");
    let rows = sqlx::query(&format!(
        "SELECT ar.access_id, ar.kind, ar.record_id, CASE ar.kind {numbers} ELSE NULL END \
         FROM pd_access_records ar WHERE ar.access_id IN ({ids}) \
         ORDER BY ar.access_id, ar.kind, ar.record_id"
    ))
    .fetch_all(db.read())
    .await?;
    for r in rows {
        let access: i64 = r.get(0);
        let Some(kind) = RecordKind::from_code(&r.get::<String, _>(1)) else {
            continue;
        };
        let number: Option<String> = r.get(3);
        if let Some(e) = items.iter_mut().find(|e| e.id == access) {
            e.records.push(RecordShown {
                kind,
                id: r.get(2),
                number: number.unwrap_or_default(),
            });
        }
    }
    Ok(())
}

/// Everyone who appears in the log as the one who asked, for the filter.
pub async fn actors(db: &Db) -> Result<Vec<String>> {
    Ok(
        sqlx::query_scalar("SELECT DISTINCT actor_name FROM pd_access ORDER BY actor_name")
            .fetch_all(db.read())
            .await?,
    )
}
