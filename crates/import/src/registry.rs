//! A table → registry rows, each checked with the same domain forms a person fills in by
//! hand, so an import can never store what the form would refuse.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use abonent_domain::registry::{
    AccountForm, AccountNumberFormat, BenefitForm, BuildingForm, LinkForm, LinkRole, PersonForm,
    PremisesForm,
};
use abonent_domain::text::fold;
use abonent_domain::ValidationErrors;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::address::{parse_address, parse_full_name};
use crate::mapping::{ColumnMapping, RegistryField as F};
use crate::source::{Form, Source};
use crate::{values, Row, Table};

/// What the file does not say, chosen on the import screen.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistryDefaults {
    /// Fills blank or missing region cells.
    pub region: String,
    /// Fills blank or missing city cells (and addresses without a city).
    pub city: String,
    /// Account opening date (`2026-01-01` or `01.01.2026`) for blank or missing cells; also
    /// the benefit start date when the file has no such column.
    pub opened_on: String,
    /// The organization's account number format (empty: any 1–20 letters and digits).
    #[serde(default)]
    pub account_format: AccountNumberFormat,
}

/// One valid row of the file. Forms keep the ids empty: storage fills them in after it
/// finds or creates the building, premises and person.
#[derive(Debug, Clone)]
pub struct ImportRow {
    pub line: usize,
    pub building: BuildingForm,
    /// `building_id` is `None`.
    pub premises: PremisesForm,
    /// `premises_id` is `None`.
    pub account: AccountForm,
    pub person: Option<PersonForm>,
    /// `None` when the file gives no role; a share alone means an owner.
    pub link_role: Option<LinkRole>,
    pub link_share: Option<String>,
    /// `person_id` is `None`.
    pub benefit: Option<BenefitForm>,
}

/// A problem in one row: `field` is the code of the column to fix (`phones`, `address`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowError {
    pub line: usize,
    pub field: String,
    pub message: String,
}

#[derive(Debug, Clone)]
pub struct RegistryImport {
    pub rows: Vec<ImportRow>,
    /// Sorted by line; every bad row has at least one.
    pub errors: Vec<RowError>,
    /// Data rows in the table, valid or not.
    pub total_rows: usize,
}

/// Placeholder for ids storage fills in later, so the forms' id checks pass here.
const ID: &str = "1";

pub fn map_registry(
    table: &Table,
    mapping: &ColumnMapping,
    defaults: &RegistryDefaults,
    today: NaiveDate,
) -> RegistryImport {
    let mut out = RegistryImport {
        rows: Vec::new(),
        errors: check_mapping(table, mapping),
        total_rows: table.rows.len(),
    };
    if !out.errors.is_empty() {
        return out;
    }
    // Account number → (first line, address key) to catch one number at two addresses.
    let mut seen: HashMap<String, (usize, String)> = HashMap::new();
    let mut conflicted: BTreeSet<String> = BTreeSet::new();
    for row in &table.rows {
        let src = Source::new(table, mapping, defaults, row);
        match map_row(&src, row, today) {
            Ok(r) => {
                let (number, addr) = address_key(&r);
                match seen.get(&number) {
                    Some((first, a)) if *a != addr => {
                        out.errors.push(conflict(row.line, *first, &number, &src));
                        out.errors.push(conflict(*first, row.line, &number, &src));
                        conflicted.insert(number);
                    }
                    Some(_) => {}
                    None => {
                        seen.insert(number, (row.line, addr));
                    }
                }
                out.rows.push(r);
            }
            Err(errors) => out.errors.extend(errors),
        }
    }
    if !conflicted.is_empty() {
        out.rows.retain(|r| !conflicted.contains(&address_key(r).0));
    }
    // One error per line and column: a later conflict repeats the first line's error.
    out.errors.sort_by_key(|e| e.line);
    out.errors.dedup();
    out
}

/// Columns the registry cannot do without, and indexes that point past the last column.
fn check_mapping(table: &Table, mapping: &ColumnMapping) -> Vec<RowError> {
    let line = table.header_line;
    let mut errors: Vec<RowError> = mapping
        .iter()
        .filter(|(_, col)| *col >= table.headers.len())
        .map(|(f, col)| RowError {
            line,
            field: f.code().into(),
            message: format!(
                "Поле «{}» сопоставлено с колонкой №{}, а в файле всего {}. Выберите колонку заново.",
                f.title(),
                col + 1,
                abonent_domain::money::counted(table.headers.len() as i64, crate::mapping::COLUMN_NOUN)
            ),
        })
        .collect();
    let has = |f| mapping.get(f).is_some();
    let missing = |f: F, alt: &str| RowError {
        line,
        field: f.code().into(),
        message: format!(
            "Не найдена колонка «{}»{alt}. Укажите её при сопоставлении колонок \
             или добавьте в файл.",
            f.title()
        ),
    };
    if !has(F::AccountNumber) {
        errors.push(missing(F::AccountNumber, ""));
    }
    for f in [F::Street, F::House, F::Flat] {
        if !has(f) && !has(F::Address) {
            errors.push(missing(f, " (или «Адрес» целиком)"));
        }
    }
    errors
}

/// Build the forms of one row and validate them; all problems of the row at once.
fn map_row(src: &Source, row: &Row, today: NaiveDate) -> Result<ImportRow, Vec<RowError>> {
    let v = values_of(src);
    let get = |f: F| v.get(&f).cloned();
    let mut errors = Vec::new();
    let mut check = |result: Result<(), ValidationErrors>, form: Form| {
        if let Err(e) = result {
            for fe in e.0 {
                if let Some((_, field)) = form.fields().iter().find(|(name, _)| *name == fe.field) {
                    errors.push(src.error(*field, v.contains_key(field), &fe.message));
                }
            }
        }
    };

    let building = BuildingForm {
        region: get(F::Region),
        city: get(F::City),
        street: get(F::Street),
        house: get(F::House),
        korpus: get(F::Korpus),
        stroenie: get(F::Stroenie),
        ..Default::default()
    };
    check(building.validate().map(drop), Form::Building);

    let residential = match get(F::Residential) {
        None => true,
        Some(r) => values::residential(&r).unwrap_or_else(|| {
            check(
                Err(ValidationErrors::single(
                    "residential",
                    format!("«{r}» не распознано. Укажите «жилое» или «нежилое» (да/нет)."),
                )),
                Form::Premises,
            );
            true
        }),
    };
    let mut premises = PremisesForm {
        building_id: Some(ID.into()),
        number: get(F::Flat),
        residential: Some(residential.to_string()),
        area: get(F::Area),
        rooms: get(F::Rooms),
        entrance: get(F::Entrance),
        floor: get(F::Floor),
    };
    check(premises.validate().map(drop), Form::Premises);
    premises.building_id = None;

    let mut account = AccountForm {
        number: get(F::AccountNumber),
        premises_id: Some(ID.into()),
        opened_on: get(F::OpenedOn),
        ..Default::default()
    };
    check(
        account.validate(&src.defaults.account_format).map(drop),
        Form::Account,
    );
    account.premises_id = None;

    let names = [F::LastName, F::FirstName, F::MiddleName];
    let person_fields = [F::Phones, F::Email, F::BirthDate];
    let person = names
        .iter()
        .chain(&person_fields)
        .any(|f| v.contains_key(f))
        .then(|| PersonForm {
            last_name: get(F::LastName),
            first_name: get(F::FirstName),
            middle_name: get(F::MiddleName),
            birth_date: get(F::BirthDate),
            phones: get(F::Phones),
            email: get(F::Email),
            ..Default::default()
        });
    if let Some(p) = &person {
        check(p.validate(today).map(drop), Form::Person);
    }

    let role_text = get(F::Role);
    let mut link_role = role_text.as_deref().and_then(values::role);
    if let (Some(r), None) = (&role_text, link_role) {
        let msg = format!(
            "«{r}» — неизвестная роль. Укажите: собственник, наниматель, \
             зарегистрирован или представитель."
        );
        check(Err(ValidationErrors::single("role", msg)), Form::Link);
    }
    let link_share = get(F::Share);
    if link_role.is_none() && link_share.is_some() && role_text.is_none() {
        link_role = Some(LinkRole::Owner);
    }
    if let Some(role) = link_role {
        let link = LinkForm {
            account_id: Some(ID.into()),
            person_id: Some(ID.into()),
            role: Some(role.code().into()),
            share: link_share.clone(),
            ..Default::default()
        };
        check(link.validate().map(drop), Form::Link);
    }

    let benefit = [F::BenefitCategory, F::BenefitDocument, F::BenefitFrom]
        .iter()
        .any(|f| v.contains_key(f))
        .then(|| BenefitForm {
            person_id: Some(ID.into()),
            category: get(F::BenefitCategory),
            document: get(F::BenefitDocument),
            from_date: get(F::BenefitFrom),
            to_date: None,
        });
    if let Some(b) = &benefit {
        check(b.validate().map(drop), Form::Benefit);
    }
    if person.is_none() && (link_role.is_some() || benefit.is_some()) {
        let mut e = src.error(F::LastName, false, "");
        let column = F::from_code(&e.field).map_or(F::FullName, |f| f);
        e.message = format!(
            "Роль, доля или льгота указаны без человека: заполните колонку «{}».",
            src.label(column)
        );
        errors.push(e);
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(ImportRow {
        line: row.line,
        building,
        premises,
        account,
        person,
        link_role,
        link_share,
        benefit: benefit.map(|b| BenefitForm {
            person_id: None,
            ..b
        }),
    })
}

/// Final text of every field in a row: own column first, then what the address or name
/// column says, then the defaults. Blank values are absent.
fn values_of(src: &Source) -> BTreeMap<F, String> {
    let mut v = BTreeMap::new();
    for f in F::ALL {
        if let Some(s) = src.cell(f) {
            v.insert(f, s.to_string());
        }
    }
    if let Some(a) = v.get(&F::Address).map(|a| parse_address(a)) {
        let parts = [
            (F::Region, a.region),
            (F::City, a.city),
            (F::Street, a.street),
            (F::House, a.house),
            (F::Korpus, a.korpus),
            (F::Stroenie, a.stroenie),
            (F::Flat, a.flat),
        ];
        for (f, p) in parts {
            if let Some(p) = p {
                v.entry(f).or_insert(p);
            }
        }
    }
    if let Some(n) = v.get(&F::FullName).and_then(|n| parse_full_name(n)) {
        let parts = [
            (F::LastName, Some(n.last)),
            (F::FirstName, n.first),
            (F::MiddleName, n.middle),
        ];
        for (f, p) in parts {
            if let Some(p) = p {
                v.entry(f).or_insert(p);
            }
        }
    }
    let has_benefit = v.contains_key(&F::BenefitCategory) || v.contains_key(&F::BenefitDocument);
    for (f, d) in src.defaults_for(has_benefit) {
        v.entry(f).or_insert(d);
    }
    for f in [F::BirthDate, F::OpenedOn, F::BenefitFrom] {
        if let Some(d) = v.get_mut(&f) {
            *d = values::date(d);
        }
    }
    if let Some(s) = v.get_mut(&F::Share) {
        *s = values::share(s);
    }
    v
}

/// (upper-case account number, folded address of the premises).
fn address_key(r: &ImportRow) -> (String, String) {
    let t = |v: &Option<String>| {
        fold(
            &v.as_deref()
                .unwrap_or("")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
        )
    };
    let b = &r.building;
    let number = t(&r.account.number).to_uppercase();
    let addr = [
        &b.city,
        &b.street,
        &b.house,
        &b.korpus,
        &b.stroenie,
        &r.premises.number,
    ]
    .map(t)
    .join("|");
    (number, addr)
}

fn conflict(line: usize, other: usize, number: &str, src: &Source) -> RowError {
    RowError {
        line,
        field: F::AccountNumber.code().into(),
        message: format!(
            "Колонка «{}»: лицевой счёт {number} указан и в строке {other}, но с другим адресом. Исправьте номер счёта или адрес в строках {} и {}.",
            src.label(F::AccountNumber),
            line.min(other),
            line.max(other)
        ),
    }
}
