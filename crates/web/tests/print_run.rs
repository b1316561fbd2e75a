//! The monthly print run (issue 14 §5) on both backends: a payment document for every open
//! account of the chosen buildings, run as a job with progress; each document is archived
//! (one file per account), accounts with nothing to pay are named in the report, and the
//! one PDF for printing (read back with pdftotext) follows building, entrance and flat.

mod common;

use abonent_domain::ledger::{EntryKind, Period};
use abonent_storage::ledger::charges::{self, ChargeLine, FileMeta};
use abonent_storage::Actor;
use axum::http::{Method, StatusCode};
use common::{download, fetch_file, field_message, pdf_text, set_org, TestApp};
use serde_json::{json, Value};

async fn building(app: &TestApp, street: &str) -> i64 {
    let r = app
        .api(Method::POST, "/api/v1/buildings", Some(json!({"region": "Свердловская обл.", "city": "г. Екатеринбург", "street": street, "house": "1", "floors": 9})))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.json()["id"].as_i64().unwrap()
}

/// «500010» → «Жееааааба»: a surname of the account's own.
fn letters(account: &str) -> String {
    let abc: Vec<char> = "абвгдежзик".chars().collect();
    let s: String = account
        .chars()
        .map(|c| abc[c.to_digit(10).unwrap() as usize])
        .collect();
    format!("Же{s}")
}

/// A flat in an entrance with an open account and its owner.
async fn flat(app: &TestApp, building_id: i64, number: &str, entrance: i64, account: &str) {
    let r = app
        .api(Method::POST, "/api/v1/premises", Some(json!({"building_id": building_id, "number": number, "residential": true, "entrance": entrance.to_string()})))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let pid = r.json()["id"].as_i64().unwrap();
    let r = app
        .api(
            Method::POST,
            "/api/v1/accounts",
            Some(json!({"number": account, "premises_id": pid, "opened_on": "2024-01-01"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let aid = r.json()["id"].as_i64().unwrap();
    let r = app
        .api(
            Method::POST,
            "/api/v1/persons",
            Some(json!({"last_name": letters(account), "first_name": "Иван"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let person = r.json()["id"].as_i64().unwrap();
    let r = app
        .api(
            Method::POST,
            "/api/v1/links",
            Some(json!({"account_id": aid, "person_id": person, "role": "owner", "share": "1"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
}

async fn charge(app: &TestApp, accounts: &[&str]) {
    let lines: Vec<ChargeLine> = accounts
        .iter()
        .enumerate()
        .map(|(i, n)| ChargeLine {
            line: i + 2,
            account_number: n.to_string(),
            period: Period::parse("2026-11").unwrap(),
            service: Some("maintenance".into()),
            amount: 100_000 + i as i64,
            volume: None,
            tariff: None,
            unit: None,
            kind: EntryKind::Charge,
            reason: None,
        })
        .collect();
    let meta = FileMeta {
        kind: "charges",
        file_name: "ноябрь.csv".into(),
        sha256: charges::sha256_hex(b"print run"),
        profile_id: None,
    };
    charges::import_charges(&app.t.db, &meta, &lines, &Actor::system("тест"), &|_| {})
        .await
        .unwrap();
}

async fn finished(app: &TestApp, id: i64) -> Value {
    for _ in 0..1200 {
        let j = app
            .api(Method::GET, &format!("/api/v1/print-runs/{id}"), None)
            .await
            .json();
        if j["status"] != "running" {
            return j;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("print run {id} did not finish");
}

both!(monthly_print_run, |app: TestApp| async move {
    set_org(&app.t.db).await;
    let b1 = building(&app, "ул. Авиаторов").await;
    let b2 = building(&app, "ул. Берёзовая").await;
    let other = building(&app, "ул. Чужая").await;
    // Entered out of order: the print follows entrance, then flat (2 before 10).
    flat(&app, b1, "10", 1, "500010").await;
    flat(&app, b1, "40", 2, "500040").await;
    flat(&app, b1, "2", 1, "500002").await;
    flat(&app, b2, "1", 1, "600001").await;
    flat(&app, other, "1", 1, "900001").await;
    charge(&app, &["500010", "500040", "500002", "900001"]).await;

    let r = app
        .api(
            Method::POST,
            "/api/v1/print-runs",
            Some(json!({"building_ids": [b2, b1], "period": "2026-11"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
    let job = finished(&app, r.json()["job_id"].as_i64().unwrap()).await;
    assert_eq!(job["status"], "done", "{job}");
    assert_eq!(
        (job["done"].as_i64(), job["total"].as_i64()),
        (Some(4), Some(4))
    );
    let ids: Vec<i64> = job["result"]["document_ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_i64().unwrap())
        .collect();
    assert_eq!(ids.len(), 3, "{job}");
    let skipped = job["result"]["skipped"].to_string();
    assert!(
        skipped.contains("600001") && skipped.contains("долга"),
        "{skipped}"
    );
    // Each account's own file, for e-mail.
    let one = pdf_text(&download(&app, ids[0]).await);
    assert!(one.contains("лицевой счёт № 500002"), "{one}");

    // One PDF for printing, in the postman's order.
    let (status, _, pdf) = fetch_file(
        &app,
        &app.token,
        &format!("/api/v1/print-runs/{}/pdf", job["id"]),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let text = pdf_text(&pdf);
    let at = |n: &str| {
        text.find(&format!("лицевой счёт № {n}"))
            .unwrap_or_else(|| panic!("{n}: {text}"))
    };
    assert!(
        at("500002") < at("500010") && at("500010") < at("500040"),
        "{text}"
    );
    assert!(!text.contains("900001"), "{text}");

    let r = app
        .api(
            Method::POST,
            "/api/v1/print-runs",
            Some(json!({"building_ids": [], "period": "13.2026"})),
        )
        .await;
    assert!(field_message(&r, "period").contains("13.2026"));
    assert!(field_message(&r, "building_ids").contains("дом"));
});
