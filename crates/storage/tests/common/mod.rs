//! Helpers shared by the ledger and debtor tests: a building with accounts, charge lines.
#![allow(dead_code)]

use abonent_domain::ledger::{EntryKind, Period};
use abonent_domain::registry::*;
use abonent_storage::ledger::charges::{self, ChargeLine, FileMeta};
use abonent_storage::registry::{account, building, premises};
use abonent_storage::{Actor, Db};
use chrono::NaiveDate;

pub fn actor() -> Actor {
    Actor {
        user_id: None,
        name: "Бухгалтер Тестовая".into(),
    }
}

pub fn day(s: &str) -> NaiveDate {
    parse_date(s).unwrap()
}

pub fn per(s: &str) -> Period {
    Period::parse(s).unwrap()
}

/// A building on `street` with accounts `numbers` (one flat each); returns their ids.
pub async fn accounts(db: &Db, street: &str, numbers: &[&str]) -> (i64, Vec<i64>) {
    let b = building::create(
        db,
        &BuildingForm {
            region: Some("Свердловская обл.".into()),
            city: Some("г. Екатеринбург".into()),
            street: Some(street.into()),
            house: Some("5".into()),
            ..Default::default()
        }
        .validate()
        .unwrap(),
        &actor(),
    )
    .await
    .unwrap();
    let mut ids = Vec::new();
    for (i, n) in numbers.iter().enumerate() {
        let p = premises::create(
            db,
            &PremisesData {
                building_id: b,
                number: (i + 1).to_string(),
                residential: true,
                area_centi: Some(5000),
                rooms: Some(2),
                entrance: None,
                floor: None,
            },
            &actor(),
        )
        .await
        .unwrap();
        ids.push(
            account::create(
                db,
                &AccountData {
                    number: n.to_string(),
                    premises_id: p,
                    opened_on: day("2020-01-01"),
                    closed_on: None,
                    share: Share::WHOLE,
                },
                &actor(),
            )
            .await
            .unwrap(),
        );
    }
    (b, ids)
}

pub fn charge(line: usize, number: &str, period: &str, service: &str, amount: i64) -> ChargeLine {
    ChargeLine {
        line,
        account_number: number.into(),
        period: per(period),
        service: Some(service.into()),
        amount,
        volume: None,
        tariff: None,
        unit: None,
        kind: EntryKind::Charge,
        reason: None,
    }
}

pub fn meta(kind: &'static str, name: &str, bytes: &[u8]) -> FileMeta {
    FileMeta {
        kind,
        file_name: name.into(),
        sha256: charges::sha256_hex(bytes),
        profile_id: None,
    }
}

/// Imports charge lines as one file named `name`.
pub async fn import(db: &Db, name: &str, lines: &[ChargeLine]) {
    charges::import_charges(
        db,
        &meta("charges", name, name.as_bytes()),
        lines,
        &actor(),
        &|_| {},
    )
    .await
    .unwrap();
}
