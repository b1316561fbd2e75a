//! Registering an appeal: the intake screen built for a phone call, the classifier's
//! suggestion for the substance being typed, and the lookups while the phone is ringing —
//! who is calling (people, their accounts, the account's recent appeals, the building's open
//! ones) and an address picker for callers who are not in the registry. The lookups are
//! information only: nothing there blocks registering an emergency.

use std::collections::BTreeMap;

use crate::extract::Query;
use abonent_domain::appeal::{classify, AppealKind, Channel, Priority};
use abonent_domain::ValidationErrors;
use abonent_storage::appeals::{
    self, reference::Category, AppealFilter, AppealListItem, NewAppeal, View,
};
use abonent_storage::registry::{account, building, link, premises, BuildingFilter, PageReq};
use abonent_storage::search::{self, HitKind, SearchHit};
use abonent_storage::Db;
use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use axum::Extension;
use serde::Deserialize;

use super::{channels, id_field, kinds, priorities, Opt};
use crate::auth::Principal;
use crate::forms::{self, FormView};
use crate::pages::{html, invalid, layout, to, PageResult};
use crate::views::Layout;
use crate::{AppError, AppState};

/// A person of the caller's account: choosing them fills the applicant of the form.
pub struct CallerPerson {
    pub id: i64,
    pub name: String,
    pub role: String,
    pub email: String,
}

/// One account of the caller with what the specialist should see before asking anything.
pub struct CallerAccount {
    pub id: i64,
    pub number: String,
    pub address: String,
    pub premises_id: i64,
    pub building_id: i64,
    /// The open links: «Иванов Иван Иванович (собственник)».
    pub people: Vec<CallerPerson>,
    /// Their registry ids, for the personal-data access log.
    pub person_ids: Vec<i64>,
    /// «9 000,00 ₽, долг за 3 месяца (…)»: information for the call, empty without debt or
    /// for a role that does not see the ledger.
    pub debt: String,
    /// The account's appeals, newest first (open and closed).
    pub recent: Vec<AppealListItem>,
    /// Open appeals of the whole building (a burst pipe calls many flats).
    pub building_open: Vec<AppealListItem>,
}

impl CallerAccount {
    /// What the form's «Адрес из реестра» reads once this account is chosen.
    pub fn registry_address(&self) -> String {
        format!("{} (ЛС {})", self.address, self.number)
    }
}

#[derive(Template)]
#[template(path = "appeals/caller.html")]
struct CallerPanel {
    hits: Vec<SearchHit>,
    accounts: Vec<CallerAccount>,
}

impl CallerPanel {
    /// A person found by the search who is among none of the accounts shown.
    fn alone(&self, h: &SearchHit) -> bool {
        h.kind == HitKind::Person
            && !self
                .accounts
                .iter()
                .any(|a| a.people.iter().any(|p| p.id == h.id))
    }
}

async fn appeals_of(db: &Db, f: AppealFilter, n: i64) -> Result<Vec<AppealListItem>, AppError> {
    Ok(appeals::list(db, &f, PageReq::new(None, Some(n)), None)
        .await?
        .items)
}

async fn caller_account(
    s: &AppState,
    id: i64,
    today: Option<chrono::NaiveDate>,
) -> Result<CallerAccount, AppError> {
    let db = &s.db;
    let a = account::get(db, id).await?;
    let links: Vec<_> = link::links_of_account(db, id)
        .await?
        .into_iter()
        .filter(|l| l.link.closed_at.is_none())
        .collect();
    let contacts = link::contacts_of_account(db, id).await?;
    let person_ids = links.iter().map(|l| l.link.data.person_id).collect();
    let people = links
        .into_iter()
        .map(|l| CallerPerson {
            id: l.link.data.person_id,
            email: contacts
                .iter()
                .find(|c| c.person_id == l.link.data.person_id)
                .and_then(|c| c.email.clone())
                .unwrap_or_default(),
            name: l.person_name,
            role: l.role_title.to_lowercase(),
        })
        .collect();
    let debt = match today {
        Some(on) => crate::pages::registry::account_card::debt_line(
            &abonent_app::ledger::position::standing(db, id, on).await?,
        ),
        None => String::new(),
    };
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
        premises_id: a.data.premises_id,
        building_id: a.building_id,
        people,
        person_ids,
        debt,
        recent,
        building_open,
    })
}

/// Who is calling from this phone (or with this name or account number).
pub async fn caller(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
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
    // The debt is information for the call, for a role that sees the ledger.
    let today = if p.can(abonent_domain::Permission::ViewLedger) {
        Some(s.today().await?)
    } else {
        None
    };
    let mut accounts = Vec::new();
    for id in ids.into_iter().take(3) {
        accounts.push(caller_account(&s, id, today).await?);
    }
    let shown: Vec<i64> = hits
        .iter()
        .flat_map(|h| h.people.iter().copied())
        .chain(accounts.iter().flat_map(|a| a.person_ids.iter().copied()))
        .collect();
    // The accounts' appeals: their addresses, substance and applicants.
    let appeals = accounts
        .iter()
        .flat_map(|a| a.recent.iter().chain(&a.building_open))
        .map(|a| a.id);
    let shown = abonent_app::privacy::Shown::people(&shown)
        .with(abonent_app::privacy::RecordKind::Appeal, appeals);
    abonent_app::privacy::record_views_of(&s, &p.actor(), shown, "GET /appeals/caller").await?;
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

#[derive(Template)]
#[template(path = "appeals/new.html")]
struct NewPage {
    l: Layout,
    f: FormView,
    kinds: Vec<Opt>,
    channels: Vec<Opt>,
    priorities: Vec<Opt>,
    senders: Vec<Opt>,
    categories: Vec<Category>,
}

async fn new_page(s: &AppState, p: &Principal, f: FormView, status_invalid: bool) -> PageResult {
    let page = NewPage {
        l: layout(s, p, "Новое обращение", "appeals").await?,
        f,
        kinds: kinds(),
        channels: channels(),
        priorities: priorities(),
        senders: abonent_domain::correspondence::SenderKind::ALL
            .iter()
            .map(|k| Opt {
                code: k.code(),
                title: k.title(),
            })
            .collect(),
        categories: appeals::reference_admin::choosable_categories(&s.db).await?,
    };
    if status_invalid {
        invalid(&page)
    } else {
        html(&page)
    }
}

pub async fn new(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Query(q): Query<BTreeMap<String, String>>,
) -> PageResult {
    let mut f = FormView::default();
    for k in [
        "account_id",
        "person_id",
        "premises_id",
        "building_id",
        "applicant_phone",
    ] {
        if let Some(v) = q.get(k) {
            f.set(k, v.clone());
        }
    }
    prefill(&s, &p, &mut f).await?;
    f.set("kind", "request");
    f.set("channel", "phone");
    // Empty: the intake rule decides — an emergency when the text reads as one.
    f.set("priority", "");
    f.set("sender_kind", "person");
    new_page(&s, &p, f, false).await
}

/// An appeal registered from an account card (or a person's): the account's premises,
/// building and address and the person's name and contacts go into the form, so nobody
/// retypes what the registry knows.
async fn prefill(s: &AppState, p: &Principal, f: &mut FormView) -> Result<(), AppError> {
    if let Ok(id) = f.v("account_id").parse::<i64>() {
        let a = account::get(&s.db, id).await?;
        f.set("premises_id", a.data.premises_id.to_string());
        f.set("building_id", a.building_id.to_string());
        f.set(
            "registry_address",
            format!("{} (ЛС {})", a.address, a.data.number),
        );
    }
    if let Ok(id) = f.v("person_id").parse::<i64>() {
        let pe = abonent_storage::registry::person::get(&s.db, id).await?;
        abonent_app::privacy::record_views(s, &p.actor(), &[id], "GET /appeals/new").await?;
        f.set("applicant_name", pe.full_name.clone());
        if f.v("applicant_phone").is_empty() {
            if let Some(phone) = pe.data.phones.first() {
                f.set("applicant_phone", phone.clone());
            }
        }
        if let Some(e) = &pe.data.email {
            f.set("applicant_email", e.clone());
        }
    }
    Ok(())
}

/// The intake form as posted: every value is text until checked.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct IntakeForm {
    kind: String,
    channel: String,
    priority: String,
    category_id: String,
    building_id: String,
    premises_id: String,
    account_id: String,
    person_id: String,
    address_text: String,
    applicant_name: String,
    applicant_phone: String,
    applicant_email: String,
    anonymous: Option<String>,
    applicant_consent: Option<String>,
    substance: String,
    sender_kind: String,
    /// Local `datetime-local`; empty — now.
    received_at: String,
}

impl IntakeForm {
    fn to_new(&self, zone: chrono_tz::Tz) -> Result<NewAppeal, ValidationErrors> {
        let mut e = ValidationErrors::new();
        let received_at = match self.received_at.trim() {
            "" => None,
            v => {
                let t = super::routing::parse_local(v, zone);
                if t.is_none() {
                    e.add(
                        "received_at",
                        "Время поступления не распознано: укажите дату и время, например 05.12.2026 18:00.",
                    );
                }
                t
            }
        };
        let a = NewAppeal {
            kind: AppealKind::from_code(&self.kind),
            channel: Channel::from_code(&self.channel),
            sender_kind: abonent_domain::correspondence::SenderKind::from_code(&self.sender_kind),
            priority: Priority::from_code(&self.priority),
            category_id: id_field(&mut e, "category_id", &self.category_id),
            building_id: id_field(&mut e, "building_id", &self.building_id),
            premises_id: id_field(&mut e, "premises_id", &self.premises_id),
            account_id: id_field(&mut e, "account_id", &self.account_id),
            person_id: id_field(&mut e, "person_id", &self.person_id),
            address_text: self.address_text.clone(),
            applicant_name: self.applicant_name.clone(),
            applicant_phone: self.applicant_phone.clone(),
            applicant_email: self.applicant_email.clone(),
            anonymous: self.anonymous.is_some(),
            applicant_consent: self.applicant_consent.is_some(),
            substance: self.substance.clone(),
            received_at,
        };
        e.into_result(a)
    }
}

pub async fn create(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    body: Bytes,
) -> PageResult {
    let form: IntakeForm = forms::parse(&body)?;
    let f = FormView::from_body(&body);
    let new = match form.to_new(s.zone().await?) {
        Ok(n) => n,
        Err(e) => return new_page(&s, &p, f.errors(e), true).await,
    };
    match abonent_app::appeals::register(&s, &new, &p.actor()).await {
        Ok(r) => to(format!("/appeals/{}?saved=registered", r.id)),
        Err(AppError::Invalid(e)) => new_page(&s, &p, f.errors(e), true).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "appeals/suggestion.html")]
struct SuggestionPanel {
    category: String,
    title: String,
    emergency: bool,
    /// The emergency concepts found: «запах газа, течь воды или затопление».
    reasons: String,
    matched: String,
}

/// The classifier's suggestion for the substance being typed.
pub async fn suggest(
    State(s): State<AppState>,
    Query(q): Query<BTreeMap<String, String>>,
) -> PageResult {
    let text = q.get("substance").map(String::as_str).unwrap_or("");
    let sug = classify(text);
    let title = appeals::reference::categories(&s.db)
        .await?
        .into_iter()
        .find(|c| c.code == sug.category)
        .map(|c| c.title)
        .unwrap_or_default();
    html(&SuggestionPanel {
        category: sug.category,
        title,
        emergency: sug.emergency && !text.trim().is_empty(),
        reasons: sug
            .reasons
            .iter()
            .map(|c| c.title)
            .collect::<Vec<_>>()
            .join(", "),
        // Phrases are stems with «*»; «…» reads as «and so on» to a person.
        matched: sug.matched.join(", ").replace('*', "…"),
    })
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
