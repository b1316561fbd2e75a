//! The court packet's fixtures: charges straight into the ledger, people linked to an
//! account, the court settings, an issued document's PDF read back.

use abonent_domain::ledger::{EntryKind, Period};
use abonent_storage::ledger::charges::{self, ChargeLine, FileMeta};
use abonent_storage::{settings, Actor};
use axum::http::{Method, StatusCode};
use serde_json::json;

use super::{fetch_file, pdf_text, TestApp};

pub const COURT: &str =
    "Мировой судья судебного участка № 5 Ленинского судебного района г. Екатеринбурга";

/// Charges straight into the ledger (the import itself is tested in ledger.rs).
pub async fn charge(app: &TestApp, name: &str, rows: &[(&str, &str, &str, i64)]) {
    let lines: Vec<ChargeLine> = rows
        .iter()
        .enumerate()
        .map(|(i, (account, period, service, amount))| ChargeLine {
            line: i + 2,
            account_number: account.to_string(),
            period: Period::parse(period).unwrap(),
            service: Some(service.to_string()),
            amount: *amount,
            volume: None,
            tariff: None,
            unit: None,
            kind: EntryKind::Charge,
            reason: None,
        })
        .collect();
    let meta = FileMeta {
        kind: "charges",
        file_name: name.into(),
        sha256: charges::sha256_hex(name.as_bytes()),
        profile_id: None,
    };
    charges::import_charges(&app.t.db, &meta, &lines, &Actor::system("тест"), &|_| {})
        .await
        .unwrap();
}

pub async fn document_text(app: &TestApp, token: &str, id: i64) -> String {
    let (status, ctype, pdf) = fetch_file(app, token, &format!("/api/v1/documents/{id}/pdf")).await;
    assert_eq!(
        (status, ctype.as_str()),
        (StatusCode::OK, "application/pdf")
    );
    pdf_text(&pdf)
}

/// A person linked to the account with `role` (and `share` for an owner): (person, link).
pub async fn linked(
    app: &TestApp,
    account_id: i64,
    (last, first, middle): (&str, &str, &str),
    birth_date: &str,
    role: &str,
    share: Option<&str>,
) -> (i64, i64) {
    let r = app
        .api(Method::POST, "/api/v1/persons", Some(json!({"last_name": last, "first_name": first, "middle_name": middle, "birth_date": birth_date})))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let pid = r.json()["id"].as_i64().unwrap();
    let r = app
        .api(Method::POST, "/api/v1/links", Some(json!({"account_id": account_id, "person_id": pid, "role": role, "share": share, "from_date": "2015-01-01"})))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    (pid, r.json()["id"].as_i64().unwrap())
}

pub async fn set_court(db: &abonent_storage::Db) {
    settings::set(db, "court.name", COURT, "тест")
        .await
        .unwrap();
    settings::set(
        db,
        "court.address",
        "620014, г. Екатеринбург, ул. Вайнера, д. 9",
        "тест",
    )
    .await
    .unwrap();
}
