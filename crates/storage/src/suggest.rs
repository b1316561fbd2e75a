//! What a picker offers as a person types: accounts, people, buildings, incoming letters and
//! issued documents, found by what a person knows (number, address, name, phone) — and the
//! same line for a record already chosen. The words of a label are put together by the web
//! layer; here are the facts: a title, the address beside it, a date and a note.

use std::collections::HashMap;

use abonent_domain::search::{self as rules, SearchQuery};
use abonent_domain::text::fold;
use sqlx::Row;

use crate::search::{account_addresses, account_ids, address_of, person_ids};
use crate::{Db, Result};

/// Letters and documents are looked for among this many of the newest.
const RECENT: i64 = 5000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PickKind {
    Account,
    Person,
    Building,
    /// An incoming letter (what an outgoing one answers).
    Letter,
    /// An issued document of the archive.
    Document,
}

impl PickKind {
    pub fn parse(s: &str) -> Option<PickKind> {
        Some(match s {
            "account" => PickKind::Account,
            "person" => PickKind::Person,
            "building" => PickKind::Building,
            "letter" => PickKind::Letter,
            "document" => PickKind::Document,
            _ => return None,
        })
    }

    pub fn code(self) -> &'static str {
        match self {
            PickKind::Account => "account",
            PickKind::Person => "person",
            PickKind::Building => "building",
            PickKind::Letter => "letter",
            PickKind::Document => "document",
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Pick {
    pub id: i64,
    /// `ЛС 100234`, a full name, an address, a letter's or document's number.
    pub title: String,
    /// The address beside it (an account's premises, a person's first account).
    pub address: String,
    /// A letter's received date or a document's issue date (`2026-12-01`).
    pub date: Option<String>,
    /// A letter's sender and subject, a document's title.
    pub note: String,
    pub closed: bool,
    /// The registry people whose data the pick shows, for the personal-data access log.
    pub people: Vec<i64>,
}

#[derive(Debug, Clone, Default)]
pub struct Picks {
    pub items: Vec<Pick>,
    /// There were more than the limit.
    pub cut: bool,
}

/// Records of `kind` matching what was typed, at most `limit` of them.
pub async fn suggest(db: &Db, kind: PickKind, text: &str, limit: i64) -> Result<Picks> {
    let mut items = match kind {
        PickKind::Account => {
            let q = rules::parse(text);
            accounts(db, &account_ids(db, &q, limit + 1).await?).await?
        }
        PickKind::Person => persons(db, &person_matches(db, text, limit + 1).await?).await?,
        PickKind::Building => buildings(db, text, limit + 1).await?,
        PickKind::Letter => letters(db, text, None, limit + 1).await?,
        PickKind::Document => documents(db, text, None, limit + 1).await?,
    };
    let cut = items.len() > limit as usize;
    items.truncate(limit as usize);
    Ok(Picks { items, cut })
}

/// The chosen record, to show by its name and address; `None` when there is no such id.
pub async fn one(db: &Db, kind: PickKind, id: i64) -> Result<Option<Pick>> {
    let found = match kind {
        PickKind::Account => accounts(db, &[id]).await?,
        PickKind::Person => persons(db, &[id]).await?,
        PickKind::Building => building_rows(db, Some(id))
            .await?
            .into_iter()
            .map(|(b, _, _)| b)
            .collect(),
        PickKind::Letter => letters(db, "", Some(id), 1).await?,
        PickKind::Document => documents(db, "", Some(id), 1).await?,
    };
    Ok(found.into_iter().next())
}

/// An account whose number is exactly what was typed (`100234`, any case).
pub async fn account_by_number(db: &Db, text: &str) -> Result<Option<i64>> {
    Ok(
        sqlx::query_scalar::<_, i64>("SELECT id FROM accounts WHERE UPPER(number) = $1")
            .bind(text.trim().to_uppercase())
            .fetch_optional(db.read())
            .await?,
    )
}

/// People by name or phone, and the people of the accounts at the address typed.
async fn person_matches(db: &Db, text: &str, limit: i64) -> Result<Vec<i64>> {
    let q: SearchQuery = rules::parse(text);
    if q.is_empty() {
        return Ok(Vec::new());
    }
    let mut found = person_ids(db, &q, limit).await?;
    let accounts = account_ids(db, &q, limit).await?;
    if !accounts.is_empty() && found.len() < limit as usize {
        let list = accounts
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(",");
        let people: Vec<i64> = sqlx::query_scalar(&format!(
            "SELECT DISTINCT person_id FROM account_persons WHERE closed_at IS NULL AND account_id IN ({list}) \
             ORDER BY person_id LIMIT {limit}"
        ))
        .fetch_all(db.read())
        .await?;
        for p in people {
            if !found.contains(&p) {
                found.push(p);
            }
        }
    }
    found.truncate(limit as usize);
    Ok(found)
}

async fn accounts(db: &Db, ids: &[i64]) -> Result<Vec<Pick>> {
    Ok(crate::search::account_hits_for(db, ids)
        .await?
        .into_iter()
        .map(|(h, address)| Pick {
            id: h.id,
            title: h.title,
            address,
            closed: h.closed,
            people: h.people,
            ..Default::default()
        })
        .collect())
}

async fn persons(db: &Db, ids: &[i64]) -> Result<Vec<Pick>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    let rows = sqlx::query(&format!(
        "SELECT p.id, p.last_name, p.first_name, p.middle_name, p.closed_at, \
         (SELECT MIN(ap.account_id) FROM account_persons ap WHERE ap.person_id = p.id AND ap.closed_at IS NULL) AS first_account \
         FROM persons p WHERE p.id IN ({list}) ORDER BY p.closed_at IS NOT NULL, p.last_name, p.first_name, p.id"
    ))
    .fetch_all(db.read())
    .await?;
    let firsts: Vec<i64> = rows
        .iter()
        .filter_map(|r| r.get::<Option<i64>, _>("first_account"))
        .collect();
    let addresses = account_addresses(db, &firsts).await?;
    Ok(rows
        .iter()
        .map(|r| {
            let id: i64 = r.get("id");
            let name = [
                r.get::<String, _>("last_name"),
                r.get::<String, _>("first_name"),
                r.get::<Option<String>, _>("middle_name")
                    .unwrap_or_default(),
            ]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
            Pick {
                id,
                title: name,
                address: r
                    .get::<Option<i64>, _>("first_account")
                    .and_then(|a| addresses.get(&a).cloned())
                    .unwrap_or_default(),
                closed: r.get::<Option<String>, _>("closed_at").is_some(),
                people: vec![id],
                ..Default::default()
            }
        })
        .collect())
}

/// Buildings with their street and house, for matching.
async fn building_rows(db: &Db, id: Option<i64>) -> Result<Vec<(Pick, String, String)>> {
    let rows = sqlx::query(
        "SELECT id, city, street, house, korpus, stroenie, closed_at FROM buildings \
         WHERE ($1 = 0 OR id = $2) ORDER BY closed_at IS NOT NULL, street, house, id",
    )
    .bind(id.unwrap_or(0))
    .bind(id.unwrap_or(0))
    .fetch_all(db.read())
    .await?;
    Ok(rows
        .iter()
        .map(|r| {
            let pick = Pick {
                id: r.get("id"),
                title: address_of(r),
                closed: r.get::<Option<String>, _>("closed_at").is_some(),
                ..Default::default()
            };
            (pick, r.get("street"), r.get("house"))
        })
        .collect())
}

/// Buildings whose street words and house meet the query (`ленина 5`, `8 марта 12`).
async fn buildings(db: &Db, text: &str, limit: i64) -> Result<Vec<Pick>> {
    let q = rules::parse(text);
    if q.is_empty() {
        return Ok(Vec::new());
    }
    let houses: Vec<String> = [q.house.clone(), q.whole_house.clone()]
        .into_iter()
        .flatten()
        .collect();
    let mut out = Vec::new();
    for (b, street, house) in building_rows(db, None).await? {
        let tokens = rules::account_tokens("", &street, &house, "");
        let (_, prefixes) = q.address_tokens();
        let words_ok = prefixes
            .iter()
            .all(|p| tokens.iter().any(|t| t.starts_with(p.as_str())));
        let house_ok =
            houses.is_empty() || houses.iter().any(|h| tokens.contains(&format!("h:{h}")));
        if words_ok && house_ok && !(q.words.is_empty() && houses.is_empty()) {
            out.push(b);
            if out.len() >= limit as usize {
                break;
            }
        }
    }
    Ok(out)
}

/// Does every word typed occur in the text (case and ё folded)?
fn all_words_in(query: &str, text: &str) -> bool {
    let hay = fold(text);
    fold(query)
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .all(|w| hay.contains(w))
}

async fn letters(db: &Db, text: &str, id: Option<i64>, limit: i64) -> Result<Vec<Pick>> {
    if id.is_none() && text.trim().is_empty() {
        return Ok(Vec::new());
    }
    let rows = sqlx::query(&format!(
        "SELECT id, number, received_on, sender_name, subject FROM incoming_letters \
         WHERE ($1 = 0 OR id = $2) ORDER BY id DESC LIMIT {RECENT}"
    ))
    .bind(id.unwrap_or(0))
    .bind(id.unwrap_or(0))
    .fetch_all(db.read())
    .await?;
    Ok(rows
        .iter()
        .map(|r| Pick {
            id: r.get("id"),
            title: r.get("number"),
            date: Some(r.get("received_on")),
            note: format!(
                "{}: {}",
                r.get::<String, _>("sender_name"),
                r.get::<String, _>("subject")
            ),
            ..Default::default()
        })
        .filter(|p| id.is_some() || all_words_in(text, &format!("{} {}", p.title, p.note)))
        .take(limit as usize)
        .collect())
}

async fn documents(db: &Db, text: &str, id: Option<i64>, limit: i64) -> Result<Vec<Pick>> {
    if id.is_none() && text.trim().is_empty() {
        return Ok(Vec::new());
    }
    let rows = sqlx::query(&format!(
        "SELECT d.id, d.number, d.issued_on, d.title, d.account_id, a.number AS account_number FROM documents d \
         LEFT JOIN accounts a ON a.id = d.account_id \
         WHERE ($1 = 0 OR d.id = $2) ORDER BY d.id DESC LIMIT {RECENT}"
    ))
    .bind(id.unwrap_or(0))
    .bind(id.unwrap_or(0))
    .fetch_all(db.read())
    .await?;
    let accounts: Vec<i64> = rows
        .iter()
        .filter_map(|r| r.get::<Option<i64>, _>("account_id"))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let addresses: HashMap<i64, String> = if id.is_some() || accounts.len() <= 2000 {
        account_addresses(db, &accounts).await?
    } else {
        HashMap::new()
    };
    Ok(rows
        .iter()
        .map(|r| {
            let account: Option<i64> = r.get("account_id");
            let number: Option<String> = r.get("account_number");
            Pick {
                id: r.get("id"),
                title: r.get("number"),
                date: Some(r.get("issued_on")),
                note: match number {
                    Some(n) => format!(
                        "{} · {}",
                        r.get::<String, _>("title"),
                        rules::account_title(&n)
                    ),
                    None => r.get("title"),
                },
                address: account
                    .and_then(|a| addresses.get(&a).cloned())
                    .unwrap_or_default(),
                ..Default::default()
            }
        })
        .filter(|p| {
            id.is_some() || all_words_in(text, &format!("{} {} {}", p.title, p.note, p.address))
        })
        .take(limit as usize)
        .collect())
}
