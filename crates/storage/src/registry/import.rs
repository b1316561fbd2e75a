//! Many registry records at once: the rows, history and search tokens of new buildings,
//! premises, accounts, people, links and benefits written with [`crate::bulk`]
//! ([`RegistryBatch`]), and the commit of a registry file ([`import_registry`]): all or
//! nothing, in one transaction.

use std::collections::{HashMap, HashSet};

use abonent_domain::registry::{
    import_raced, AccountData, BenefitData, BuildingData, ImportRefusal, LinkData, LinkRole,
    PersonData, PremisesData, Share,
};
use abonent_domain::search::{account_tokens, person_tokens};
use abonent_domain::text::fold;
use abonent_domain::ValidationErrors;
use serde::Serialize;
use sqlx::{AnyConnection, Row};

use crate::bulk::{self, BulkValue};
use crate::history::Actor;
use crate::{time, Db, Result, StoreError};

/// The registry tables, parents before children.
pub const REGISTRY_TABLES: [&str; 6] = [
    "buildings",
    "premises",
    "accounts",
    "persons",
    "account_persons",
    "benefits",
];

const BUILDING_COLS: &[&str] = &[
    "id",
    "region",
    "city",
    "street",
    "house",
    "korpus",
    "stroenie",
    "fias_id",
    "year_built",
    "floors",
    "entrances",
    "managed_since",
    "created_at",
    "updated_at",
];
const PREMISES_COLS: &[&str] = &[
    "id",
    "building_id",
    "number",
    "residential",
    "area_centi",
    "rooms",
    "entrance",
    "floor",
    "created_at",
    "updated_at",
];
const ACCOUNT_COLS: &[&str] = &[
    "id",
    "number",
    "premises_id",
    "opened_on",
    "closed_on",
    "share_num",
    "share_den",
    "created_at",
    "updated_at",
];
const PERSON_COLS: &[&str] = &[
    "id",
    "last_name",
    "first_name",
    "middle_name",
    "birth_date",
    "phones",
    "email",
    "id_document",
    "consent_sms",
    "consent_email",
    "created_at",
    "updated_at",
];
const LINK_COLS: &[&str] = &[
    "id",
    "account_id",
    "person_id",
    "role",
    "share_num",
    "share_den",
    "from_date",
    "to_date",
    "created_at",
    "updated_at",
];
const BENEFIT_COLS: &[&str] = &[
    "id",
    "person_id",
    "category",
    "document",
    "from_date",
    "to_date",
    "created_at",
    "updated_at",
];
const TOKEN_COLS: &[&str] = &["kind", "token", "ref_id"];

type Rows = Vec<Vec<BulkValue>>;

fn date(d: Option<chrono::NaiveDate>) -> BulkValue {
    d.map(time::date_text).into()
}

/// A `create` history row about a person, sealed with their key when the batch is written:
/// the person, the entity and its id, its parent, the data.
struct PersonalRow(
    i64,
    &'static str,
    i64,
    Option<(&'static str, i64)>,
    serde_json::Value,
);

/// New registry records with ids already chosen (see [`bulk::reserve_ids`]), collected as
/// rows and written together by [`RegistryBatch::write`]: each record with its `create`
/// history row (the data serialized as the repositories do) and its search tokens.
pub struct RegistryBatch {
    actor: Actor,
    note: Option<String>,
    now: String,
    buildings: Rows,
    premises: Rows,
    accounts: Rows,
    persons: Rows,
    links: Rows,
    benefits: Rows,
    history: Rows,
    /// History about a person (`create` of a person or a benefit): sealed with the person's
    /// key when written, once the keys are read or made (`crate::personal`).
    personal: Vec<PersonalRow>,
    tokens: Rows,
}

impl RegistryBatch {
    /// `note` goes into every history row (the file name of an import); `now` stamps them.
    pub fn new(actor: &Actor, note: Option<&str>, now: String) -> Self {
        Self {
            actor: actor.clone(),
            note: note.map(str::to_string),
            now,
            buildings: Vec::new(),
            premises: Vec::new(),
            accounts: Vec::new(),
            persons: Vec::new(),
            links: Vec::new(),
            benefits: Vec::new(),
            history: Vec::new(),
            personal: Vec::new(),
            tokens: Vec::new(),
        }
    }

    /// Records waiting to be written.
    pub fn pending(&self) -> usize {
        self.buildings.len()
            + self.premises.len()
            + self.accounts.len()
            + self.persons.len()
            + self.links.len()
            + self.benefits.len()
    }

    /// Search tokens waiting to be written.
    pub fn pending_tokens(&self) -> usize {
        self.tokens.len()
    }

    fn history<T: Serialize>(
        &mut self,
        entity: &str,
        id: i64,
        parent: Option<(&str, i64)>,
        data: &T,
    ) {
        self.history.push(crate::history::row(
            &self.actor,
            &self.now,
            crate::history::Change {
                entity,
                entity_id: id,
                parent,
                action: "create",
                before: None,
                after: Some(serde_json::to_value(data).unwrap_or_default()),
                note: self.note.as_deref(),
            },
        ));
    }

    fn tokens(&mut self, kind: &str, id: i64, tokens: Vec<String>) {
        for t in tokens {
            self.tokens.push(vec![kind.into(), t.into(), id.into()]);
        }
    }

    pub fn building(&mut self, id: i64, d: &BuildingData) {
        self.buildings.push(vec![
            id.into(),
            (&d.region).into(),
            (&d.city).into(),
            (&d.street).into(),
            (&d.house).into(),
            d.korpus.as_ref().into(),
            d.stroenie.as_ref().into(),
            d.fias_id.as_ref().into(),
            d.year_built.into(),
            d.floors.into(),
            d.entrances.into(),
            date(d.managed_since),
            (&self.now).into(),
            (&self.now).into(),
        ]);
        self.history("building", id, None, d);
    }

    /// `d.building_id` must be set.
    pub fn premises(&mut self, id: i64, d: &PremisesData) {
        self.premises.push(vec![
            id.into(),
            d.building_id.into(),
            (&d.number).into(),
            d.residential.into(),
            d.area_centi.into(),
            d.rooms.into(),
            d.entrance.into(),
            d.floor.into(),
            (&self.now).into(),
            (&self.now).into(),
        ]);
        self.history("premises", id, Some(("building", d.building_id)), d);
    }

    /// `d.premises_id` must be set; `street`, `house` (of the building) and `flat` (the
    /// premises number) go into the search index.
    pub fn account(&mut self, id: i64, d: &AccountData, street: &str, house: &str, flat: &str) {
        self.accounts.push(vec![
            id.into(),
            (&d.number).into(),
            d.premises_id.into(),
            date(Some(d.opened_on)),
            date(d.closed_on),
            d.share.num.into(),
            d.share.den.into(),
            (&self.now).into(),
            (&self.now).into(),
        ]);
        self.history("account", id, None, d);
        self.tokens("a", id, account_tokens(&d.number, street, house, flat));
    }

    pub fn person(&mut self, id: i64, d: &PersonData) {
        self.persons.push(vec![
            id.into(),
            (&d.last_name).into(),
            (&d.first_name).into(),
            d.middle_name.as_ref().into(),
            date(d.birth_date),
            d.phones.join(",").into(),
            d.email.as_ref().into(),
            d.id_document.as_ref().into(),
            d.consent_sms.into(),
            d.consent_email.into(),
            (&self.now).into(),
            (&self.now).into(),
        ]);
        let after = serde_json::to_value(d).unwrap_or_default();
        self.personal
            .push(PersonalRow(id, "person", id, None, after));
        // The same words as `search::reindex_person` indexes.
        let name = format!(
            "{} {} {}",
            d.last_name,
            d.first_name,
            d.middle_name.as_deref().unwrap_or_default()
        );
        self.tokens("p", id, person_tokens(&name, &d.phones));
    }

    /// `d.account_id` and `d.person_id` must be set.
    pub fn link(&mut self, id: i64, d: &LinkData) {
        self.links.push(vec![
            id.into(),
            d.account_id.into(),
            d.person_id.into(),
            d.role.code().into(),
            d.share.map(|s| s.num).into(),
            d.share.map(|s| s.den).into(),
            date(d.from_date),
            date(d.to_date),
            (&self.now).into(),
            (&self.now).into(),
        ]);
        self.history("account_person", id, Some(("account", d.account_id)), d);
    }

    /// `d.person_id` must be set.
    pub fn benefit(&mut self, id: i64, d: &BenefitData) {
        self.benefits.push(vec![
            id.into(),
            d.person_id.into(),
            (&d.category).into(),
            d.document.as_ref().into(),
            date(Some(d.from_date)),
            date(d.to_date),
            (&self.now).into(),
            (&self.now).into(),
        ]);
        let after = serde_json::to_value(d).unwrap_or_default();
        self.personal.push(PersonalRow(
            d.person_id,
            "benefit",
            id,
            Some(("person", d.person_id)),
            after,
        ));
    }

    /// Write everything collected so far (parents first) and start empty again. Run it in
    /// the transaction that reserved the ids.
    pub async fn write(&mut self, conn: &mut AnyConnection) -> Result<()> {
        if !self.personal.is_empty() {
            let persons: Vec<i64> = self.personal.iter().map(|p| p.0).collect();
            let keys = crate::personal::keys_for(&mut *conn, &persons, &self.now).await?;
            for PersonalRow(person, entity, id, parent, after) in std::mem::take(&mut self.personal)
            {
                let c = crate::history::Change {
                    entity,
                    entity_id: id,
                    parent,
                    action: "create",
                    before: None,
                    after: Some(after),
                    note: self.note.as_deref(),
                };
                let Some(k) = keys.get(&person) else {
                    return Err(crate::StoreError::Other(format!(
                        "no key for person {person}"
                    )));
                };
                let mut note = String::new();
                let c = crate::personal::seal_change(k, person, c, &mut note);
                self.history
                    .push(crate::history::row(&self.actor, &self.now, c));
            }
        }
        // In index order: the B-tree of `search_tokens_lookup` is walked, not jumped about.
        self.tokens.sort_unstable_by(|a, b| a[1].cmp_text(&b[1]));
        let tables: [(&str, &[&str], &mut Rows); 8] = [
            ("buildings", BUILDING_COLS, &mut self.buildings),
            ("premises", PREMISES_COLS, &mut self.premises),
            ("accounts", ACCOUNT_COLS, &mut self.accounts),
            ("persons", PERSON_COLS, &mut self.persons),
            ("account_persons", LINK_COLS, &mut self.links),
            ("benefits", BENEFIT_COLS, &mut self.benefits),
            ("history", crate::history::COLUMNS, &mut self.history),
            ("search_tokens", TOKEN_COLS, &mut self.tokens),
        ];
        for (table, cols, rows) in tables {
            bulk::insert_rows(conn, table, cols, rows).await?;
            rows.clear();
        }
        Ok(())
    }
}

/// One valid line of a registry file, ready to store. Ids inside the data are ignored:
/// the import finds or creates the building, premises, account and person.
#[derive(Debug, Clone)]
pub struct ImportRecord {
    /// Line of the file, for messages.
    pub line: usize,
    pub building: BuildingData,
    /// `building_id` is ignored.
    pub premises: PremisesData,
    /// `premises_id` is ignored.
    pub account: AccountData,
    pub person: Option<PersonData>,
    /// How `person` is tied to the account. `None`: the person is stored without a link
    /// (the caller chooses a default role if it wants one).
    pub link: Option<(LinkRole, Option<Share>)>,
    /// `person_id` is ignored; needs `person`.
    pub benefit: Option<BenefitData>,
}

/// What an import created.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportSummary {
    pub buildings_created: usize,
    pub premises_created: usize,
    pub accounts_created: usize,
    pub persons_created: usize,
    pub links_created: usize,
    pub benefits_created: usize,
}

/// Account numbers as stored: trimmed, upper case.
fn norm_number(n: &str) -> String {
    n.trim().to_uppercase()
}

/// Folded text with single spaces: the key two spellings of one thing share.
fn key(s: &str) -> String {
    fold(&s.split_whitespace().collect::<Vec<_>>().join(" "))
}

fn building_key(b: &BuildingData) -> [String; 5] {
    building_key_parts(
        &b.city,
        &b.street,
        &b.house,
        b.korpus.as_deref(),
        b.stroenie.as_deref(),
    )
}

fn building_key_parts(
    city: &str,
    street: &str,
    house: &str,
    korpus: Option<&str>,
    stroenie: Option<&str>,
) -> [String; 5] {
    [
        key(city),
        key(street),
        key(house),
        key(korpus.unwrap_or("")),
        key(stroenie.unwrap_or("")),
    ]
}

/// Numbers out of `numbers` that accounts in the registry already have, as stored (for
/// the preview of an import).
pub async fn existing_account_numbers(db: &Db, numbers: &[String]) -> Result<Vec<String>> {
    let mut conn = db.read().acquire().await?;
    existing_in(&mut conn, numbers).await
}

async fn existing_in(conn: &mut AnyConnection, numbers: &[String]) -> Result<Vec<String>> {
    let mut wanted: Vec<String> = numbers
        .iter()
        .map(|n| norm_number(n))
        .filter(|n| !n.is_empty())
        .collect();
    wanted.sort();
    wanted.dedup();
    let mut found = Vec::new();
    for chunk in wanted.chunks(1_000) {
        let marks: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT number FROM accounts WHERE number IN ({})",
            marks.join(", ")
        );
        let mut q = sqlx::query_scalar::<_, String>(&sql).persistent(false);
        for n in chunk {
            q = q.bind(n.as_str());
        }
        found.extend(q.fetch_all(&mut *conn).await?);
    }
    found.sort();
    found.dedup();
    Ok(found)
}

/// A building or premises already in the registry, or the n-th created by this import.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Ref {
    Old(i64),
    New(usize),
}

/// Everything the file adds, each new record with the index of the record that brought it.
#[derive(Default)]
struct Plan<'a> {
    buildings: Vec<(usize, &'a BuildingData)>,
    premises: Vec<(usize, Ref, &'a PremisesData)>,
    /// (record, premises, data, street, house, flat)
    accounts: Vec<(usize, Ref, &'a AccountData, String, String, String)>,
    persons: Vec<(usize, &'a PersonData)>,
    /// (record, account index, person index, role, share)
    links: Vec<(usize, usize, usize, LinkRole, Option<Share>)>,
    /// (record, person index, data)
    benefits: Vec<(usize, usize, &'a BenefitData)>,
}

/// A person met in the file: who may be the same as a later line.
struct Seen {
    index: usize,
    birth: Option<chrono::NaiveDate>,
    phones: Vec<String>,
}

fn phone_digits(p: &PersonData) -> Vec<String> {
    p.phones
        .iter()
        .filter_map(|ph| abonent_domain::phone::search_digits(ph))
        .collect()
}

/// Existing buildings: folded address → (id, closed, street, house).
type BuildingIndex = HashMap<[String; 5], (i64, bool, String, String)>;

async fn load_buildings(conn: &mut AnyConnection) -> Result<BuildingIndex> {
    let rows = sqlx::query(
        "SELECT id, city, street, house, korpus, stroenie, closed_at FROM buildings ORDER BY id",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut out: BuildingIndex = HashMap::new();
    for r in rows {
        let k = building_key_parts(
            &r.get::<String, _>("city"),
            &r.get::<String, _>("street"),
            &r.get::<String, _>("house"),
            r.get::<Option<String>, _>("korpus").as_deref(),
            r.get::<Option<String>, _>("stroenie").as_deref(),
        );
        let v = (
            r.get::<i64, _>("id"),
            r.get::<Option<String>, _>("closed_at").is_some(),
            r.get::<String, _>("street"),
            r.get::<String, _>("house"),
        );
        // The open one wins when a closed building shares the address.
        match out.get(&k) {
            Some(old) if !old.1 => {}
            _ => {
                out.insert(k, v);
            }
        }
    }
    Ok(out)
}

/// Premises of existing buildings: (building id, folded number) → (id, closed, number).
async fn load_premises(
    conn: &mut AnyConnection,
    building_ids: &[i64],
) -> Result<HashMap<(i64, String), (i64, bool, String)>> {
    let mut out = HashMap::new();
    for chunk in building_ids.chunks(1_000) {
        let ids: Vec<String> = chunk.iter().map(i64::to_string).collect();
        let rows = sqlx::query(&format!(
            "SELECT id, building_id, number, closed_at FROM premises WHERE building_id IN ({}) ORDER BY id",
            ids.join(",")
        ))
        .persistent(false)
        .fetch_all(&mut *conn)
        .await?;
        for r in rows {
            let number: String = r.get("number");
            let k = (r.get::<i64, _>("building_id"), key(&number));
            let v = (
                r.get::<i64, _>("id"),
                r.get::<Option<String>, _>("closed_at").is_some(),
                number,
            );
            match out.get(&k) {
                Some((_, false, _)) => {}
                _ => {
                    out.insert(k, v);
                }
            }
        }
    }
    Ok(out)
}

/// Records written per round of [`RegistryBatch::write`] (and per progress report).
const WRITE_SLICE: usize = 2_000;

/// Store the records of a registry file, all or nothing, in one transaction: buildings
/// found by address (case and ё do not matter) or created, premises found by number in
/// their building or created, one account per number, one person per person (the same
/// full name with the same birth date or a shared phone on several lines is one person),
/// links and benefits, each created record with its history row (`note` in it) and search
/// tokens. An account number already in the registry, or a building or premises that is
/// closed, refuses the whole file with a message per line. `progress` gets the number of
/// records stored so far.
pub async fn import_registry(
    db: &Db,
    records: &[ImportRecord],
    actor: &Actor,
    note: &str,
    progress: &(dyn Fn(usize) + Sync),
) -> Result<ImportSummary> {
    let backend = db.backend();
    let mut tx = db.write().begin().await?;
    bulk::lock_tables(&mut tx, backend, &REGISTRY_TABLES).await?;

    let mut errors = ValidationErrors::new();
    let numbers: Vec<String> = records.iter().map(|r| r.account.number.clone()).collect();
    let existing: HashSet<String> = existing_in(&mut tx, &numbers).await?.into_iter().collect();
    for r in records {
        if existing.contains(&norm_number(&r.account.number)) {
            ImportRefusal::AccountExists {
                line: r.line,
                number: r.account.number.clone(),
            }
            .add_to(&mut errors);
        }
    }
    if !errors.is_empty() {
        return Err(StoreError::Invalid(errors));
    }

    let old_buildings = load_buildings(&mut tx).await?;
    let mut used_old: Vec<i64> = records
        .iter()
        .filter_map(|r| old_buildings.get(&building_key(&r.building)).map(|b| b.0))
        .collect();
    used_old.sort_unstable();
    used_old.dedup();
    let old_premises = load_premises(&mut tx, &used_old).await?;

    // Plan every new record; refer to new ones by index until ids are reserved.
    let mut plan = Plan::default();
    let mut buildings: HashMap<[String; 5], (Ref, String, String)> = HashMap::new();
    let mut premises: HashMap<(Ref, String), (Ref, String)> = HashMap::new();
    // number → (account index, premises, first line)
    let mut accounts: HashMap<String, (usize, Ref, usize)> = HashMap::new();
    let mut people: HashMap<String, Vec<Seen>> = HashMap::new();
    let mut links: HashSet<(usize, usize, &str)> = HashSet::new();
    let mut benefits: HashSet<(usize, String, chrono::NaiveDate)> = HashSet::new();
    for (i, r) in records.iter().enumerate() {
        let bkey = building_key(&r.building);
        let (bref, street, house) = match buildings.get(&bkey) {
            Some(b) => b.clone(),
            None => {
                let b = match old_buildings.get(&bkey) {
                    Some((id, closed, street, house)) => {
                        if *closed {
                            ImportRefusal::BuildingClosed {
                                line: r.line,
                                address: r.building.address(),
                            }
                            .add_to(&mut errors);
                        }
                        (Ref::Old(*id), street.clone(), house.clone())
                    }
                    None => {
                        plan.buildings.push((i, &r.building));
                        (
                            Ref::New(plan.buildings.len() - 1),
                            r.building.street.clone(),
                            r.building.house.clone(),
                        )
                    }
                };
                buildings.insert(bkey, b.clone());
                b
            }
        };
        let pkey = (bref, key(&r.premises.number));
        let (pref, flat) = match premises.get(&pkey) {
            Some(p) => p.clone(),
            None => {
                let old = match bref {
                    Ref::Old(b) => old_premises.get(&(b, pkey.1.clone())),
                    Ref::New(_) => None,
                };
                let p = match old {
                    Some((id, closed, number)) => {
                        if *closed {
                            ImportRefusal::PremisesClosed {
                                line: r.line,
                                number: number.clone(),
                                address: r.building.address(),
                            }
                            .add_to(&mut errors);
                        }
                        (Ref::Old(*id), number.clone())
                    }
                    None => {
                        plan.premises.push((i, bref, &r.premises));
                        (Ref::New(plan.premises.len() - 1), r.premises.number.clone())
                    }
                };
                premises.insert(pkey, p.clone());
                p
            }
        };
        let number = norm_number(&r.account.number);
        let account = match accounts.get(&number) {
            Some((a, p, first)) => {
                if *p != pref {
                    ImportRefusal::AccountElsewhere {
                        line: r.line,
                        number: number.clone(),
                        first: *first,
                    }
                    .add_to(&mut errors);
                }
                *a
            }
            None => {
                plan.accounts
                    .push((i, pref, &r.account, street, house, flat));
                let a = plan.accounts.len() - 1;
                accounts.insert(number, (a, pref, r.line));
                a
            }
        };
        let Some(person) = &r.person else {
            if r.link.is_some() || r.benefit.is_some() {
                ImportRefusal::NoPerson { line: r.line }.add_to(&mut errors);
            }
            continue;
        };
        let name = key(&person.full_name());
        let phones = phone_digits(person);
        let same = people.get(&name).and_then(|seen| {
            seen.iter().find(|s| {
                let births_differ =
                    matches!((s.birth, person.birth_date), (Some(a), Some(b)) if a != b);
                let same_birth = s.birth.is_some() && s.birth == person.birth_date;
                same_birth || (!births_differ && s.phones.iter().any(|p| phones.contains(p)))
            })
        });
        let person_index = match same {
            Some(s) => s.index,
            None => {
                plan.persons.push((i, person));
                let index = plan.persons.len() - 1;
                people.entry(name).or_default().push(Seen {
                    index,
                    birth: person.birth_date,
                    phones,
                });
                index
            }
        };
        if let Some((role, share)) = r.link {
            if links.insert((account, person_index, role.code())) {
                plan.links.push((i, account, person_index, role, share));
            }
        }
        if let Some(b) = &r.benefit {
            if benefits.insert((person_index, key(&b.category), b.from_date)) {
                plan.benefits.push((i, person_index, b));
            }
        }
    }
    if !errors.is_empty() {
        return Err(StoreError::Invalid(errors));
    }

    // Ids for everything new, then the rows in slices of the file.
    let mut first = [0i64; 6];
    let counts = [
        plan.buildings.len(),
        plan.premises.len(),
        plan.accounts.len(),
        plan.persons.len(),
        plan.links.len(),
        plan.benefits.len(),
    ];
    for (k, table) in REGISTRY_TABLES.iter().enumerate() {
        if counts[k] > 0 {
            first[k] = bulk::reserve_ids(&mut tx, backend, table, counts[k]).await?;
        }
    }
    let id_of = |r: Ref, k: usize| match r {
        Ref::Old(id) => id,
        Ref::New(n) => first[k] + n as i64,
    };
    let mut batch = RegistryBatch::new(actor, Some(note), db.now_text());
    let mut at = [0usize; 6];
    let mut done = 0;
    while done < records.len() {
        let end = (done + WRITE_SLICE).min(records.len());
        while at[0] < plan.buildings.len() && plan.buildings[at[0]].0 < end {
            batch.building(first[0] + at[0] as i64, plan.buildings[at[0]].1);
            at[0] += 1;
        }
        while at[1] < plan.premises.len() && plan.premises[at[1]].0 < end {
            let (_, b, d) = plan.premises[at[1]];
            let mut d = d.clone();
            d.building_id = id_of(b, 0);
            batch.premises(first[1] + at[1] as i64, &d);
            at[1] += 1;
        }
        while at[2] < plan.accounts.len() && plan.accounts[at[2]].0 < end {
            let (_, p, d, street, house, flat) = &plan.accounts[at[2]];
            let mut d = (*d).clone();
            d.number = norm_number(&d.number);
            d.premises_id = id_of(*p, 1);
            batch.account(first[2] + at[2] as i64, &d, street, house, flat);
            at[2] += 1;
        }
        while at[3] < plan.persons.len() && plan.persons[at[3]].0 < end {
            batch.person(first[3] + at[3] as i64, plan.persons[at[3]].1);
            at[3] += 1;
        }
        while at[4] < plan.links.len() && plan.links[at[4]].0 < end {
            let (_, a, p, role, share) = plan.links[at[4]];
            let d = LinkData {
                account_id: first[2] + a as i64,
                person_id: first[3] + p as i64,
                role,
                share,
                from_date: None,
                to_date: None,
                registration: Default::default(),
            };
            batch.link(first[4] + at[4] as i64, &d);
            at[4] += 1;
        }
        while at[5] < plan.benefits.len() && plan.benefits[at[5]].0 < end {
            let (_, p, d) = plan.benefits[at[5]];
            let mut d = d.clone();
            d.person_id = first[3] + p as i64;
            batch.benefit(first[5] + at[5] as i64, &d);
            at[5] += 1;
        }
        if let Err(e) = batch.write(&mut tx).await {
            return Err(if e.is_unique_violation() {
                StoreError::Invalid(import_raced())
            } else {
                e
            });
        }
        done = end;
        progress(done);
    }
    bulk::fix_sequences(&mut tx, backend, &REGISTRY_TABLES).await?;
    tx.commit().await?;
    Ok(ImportSummary {
        buildings_created: counts[0],
        premises_created: counts[1],
        accounts_created: counts[2],
        persons_created: counts[3],
        links_created: counts[4],
        benefits_created: counts[5],
    })
}
