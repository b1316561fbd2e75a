//! The intake screen's lookups while the phone is ringing: who is calling (people, their
//! accounts, the account's recent appeals, the building's open ones) and an address picker
//! for callers who are not in the registry. Information only: nothing here blocks
//! registering an emergency.

use std::collections::BTreeMap;

use abonent_storage::appeals::{self, AppealFilter, AppealListItem, View};
use abonent_storage::registry::{account, building, link, premises, BuildingFilter, PageReq};
use abonent_storage::search::{self, HitKind, SearchHit};
use abonent_storage::Db;
use askama::Template;
use axum::extract::{Query, State};

use crate::pages::{html, PageResult};
use crate::{AppError, AppState};

/// One account of the caller with what the specialist should see before asking anything.
pub struct CallerAccount {
    pub id: i64,
    pub number: String,
    pub address: String,
    /// «Иванов Иван Иванович (собственник)».
    pub people: Vec<String>,
    /// The account's appeals, newest first (open and closed).
    pub recent: Vec<AppealListItem>,
    /// Open appeals of the whole building (a burst pipe calls many flats).
    pub building_open: Vec<AppealListItem>,
}

#[derive(Template)]
#[template(path = "appeals/caller.html")]
struct CallerPanel {
    hits: Vec<SearchHit>,
    accounts: Vec<CallerAccount>,
}

async fn appeals_of(db: &Db, f: AppealFilter, n: i64) -> Result<Vec<AppealListItem>, AppError> {
    Ok(appeals::list(db, &f, PageReq::new(None, Some(n)), None)
        .await?
        .items)
}

async fn caller_account(db: &Db, id: i64) -> Result<CallerAccount, AppError> {
    let a = account::get(db, id).await?;
    let people = link::links_of_account(db, id)
        .await?
        .into_iter()
        .filter(|l| l.link.closed_at.is_none())
        .map(|l| format!("{} ({})", l.person_name, l.role_title))
        .collect();
    let recent = appeals_of(
        db,
        AppealFilter {
            view: View::All,
            account_id: Some(id),
            ..Default::default()
        },
        5,
    )
    .await?;
    let mut building_open = appeals_of(
        db,
        AppealFilter {
            view: View::Open,
            building_id: Some(a.building_id),
            ..Default::default()
        },
        6,
    )
    .await?;
    building_open.retain(|b| !recent.iter().any(|r| r.id == b.id));
    building_open.truncate(5);
    Ok(CallerAccount {
        id,
        number: a.data.number.clone(),
        address: a.address,
        people,
        recent,
        building_open,
    })
}

/// Who is calling from this phone (or with this name or account number).
pub async fn caller(
    State(s): State<AppState>,
    Query(q): Query<BTreeMap<String, String>>,
) -> PageResult {
    let text = q.get("applicant_phone").map_or("", |v| v.trim());
    if text.chars().filter(char::is_ascii_digit).count() < 5 && text.chars().count() < 3 {
        return html(&CallerPanel {
            hits: vec![],
            accounts: vec![],
        });
    }
    let hits = search::search(&s.db, text, 8).await?;
    let mut ids = Vec::new();
    for h in &hits {
        match h.kind {
            HitKind::Account => ids.push(h.id),
            HitKind::Person => ids.extend(
                link::links_of_person(&s.db, h.id)
                    .await?
                    .into_iter()
                    .filter(|l| l.link.closed_at.is_none())
                    .map(|l| l.link.data.account_id),
            ),
        }
    }
    let mut seen = Vec::new();
    ids.retain(|id| {
        let new = !seen.contains(id);
        seen.push(*id);
        new
    });
    let mut accounts = Vec::new();
    for id in ids.into_iter().take(3) {
        accounts.push(caller_account(&s.db, id).await?);
    }
    html(&CallerPanel { hits, accounts })
}

/// A building (and a flat in it) of the registry for an address typed by hand.
pub struct AddressChoice {
    pub building_id: i64,
    pub address: String,
    pub premises: Option<(i64, String)>,
}

#[derive(Template)]
#[template(path = "appeals/address_choices.html")]
struct AddressPanel {
    query: String,
    choices: Vec<AddressChoice>,
}

/// «ленина 5 12» → street words `["ленина"]`, house `5`, flat `12`.
fn parse_address(q: &str) -> (Vec<String>, Option<String>, Option<String>) {
    const NOISE: [&str; 8] = ["ул", "улица", "д", "дом", "кв", "квартира", "пр", "пер"];
    let mut words = Vec::new();
    let mut numbers = Vec::new();
    for t in q
        .to_lowercase()
        .split(|c: char| c.is_whitespace() || c == ',' || c == '.')
        .filter(|t| !t.is_empty())
    {
        // A number before any word is part of the street («8 Марта», «1-й Пятилетки»).
        if t.starts_with(|c: char| c.is_ascii_digit()) && !words.is_empty() {
            numbers.push(t.to_string());
        } else if !NOISE.contains(&t) {
            words.push(t.to_string());
        }
    }
    let mut n = numbers.into_iter();
    (words, n.next(), n.next())
}

pub async fn address(
    State(s): State<AppState>,
    Query(q): Query<BTreeMap<String, String>>,
) -> PageResult {
    let query = q.get("address_text").map_or("", |v| v.trim()).to_string();
    let (words, house, flat) = parse_address(&query);
    let mut choices = Vec::new();
    if !words.is_empty() {
        // A management company keeps hundreds of buildings, not millions: match in memory,
        // case-insensitively on both databases.
        let all = building::list(
            &s.db,
            &BuildingFilter::default(),
            PageReq::new(None, Some(500)),
        )
        .await?
        .items;
        for b in all {
            let street = b.data.street.to_lowercase();
            let house_ok = house
                .as_ref()
                .is_none_or(|h| b.data.house.to_lowercase() == *h);
            if !house_ok || !words.iter().all(|w| street.contains(w.as_str())) {
                continue;
            }
            let flat = match (&flat, house.is_some()) {
                (Some(f), true) => premises::of_building(&s.db, b.id)
                    .await?
                    .into_iter()
                    .find(|p| p.data.number.to_lowercase() == *f && p.closed_at.is_none())
                    .map(|p| (p.id, p.label)),
                _ => None,
            };
            choices.push(AddressChoice {
                building_id: b.id,
                address: b.address,
                premises: flat,
            });
            if choices.len() == 10 {
                break;
            }
        }
    }
    html(&AddressPanel { query, choices })
}

#[cfg(test)]
mod tests {
    use super::parse_address;

    #[test]
    fn typed_addresses_split_into_street_house_and_flat() {
        let (w, h, f) = parse_address("ул. Ленина, д. 5, кв. 12");
        assert_eq!(w, ["ленина"]);
        assert_eq!(h.as_deref(), Some("5"));
        assert_eq!(f.as_deref(), Some("12"));
        let (w, h, f) = parse_address("8 Марта 14а, 3");
        assert_eq!(w, ["8", "марта"]);
        assert_eq!(h.as_deref(), Some("14а"));
        assert_eq!(f.as_deref(), Some("3"));
        let (w, h, f) = parse_address("Малышева");
        assert_eq!(w, ["малышева"]);
        assert_eq!((h, f), (None, None));
    }
}
