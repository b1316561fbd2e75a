//! Bulk debt notices for the post (issue 14 §5) on both backends: all the issued notices as
//! one PDF for printing (read back with pdftotext, in order), and the list of registered
//! letters for the post office (form 103) as XLSX read back with calamine and as CSV; bad
//! requests refused at their field.

mod common;

use std::io::Cursor;

use abonent_domain::ledger::{EntryKind, Period};
use abonent_domain::Role;
use abonent_storage::ledger::charges::{self, ChargeLine, FileMeta};
use abonent_storage::Actor;
use axum::http::{Method, StatusCode};
use calamine::{Data, Reader, Xlsx};
use common::{fetch_file, field_message, pdf_text, set_org, TestApp};
use serde_json::{json, Value};

async fn owner(app: &TestApp, account_id: i64, last_name: &str) {
    let r = app
        .api(
            Method::POST,
            "/api/v1/persons",
            Some(json!({"last_name": last_name, "first_name": "Иван", "middle_name": "Петрович"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let pid = r.json()["id"].as_i64().unwrap();
    let r = app
        .api(
            Method::POST,
            "/api/v1/links",
            Some(
                json!({"account_id": account_id, "person_id": pid, "role": "owner", "share": "1"}),
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
}

async fn charge(app: &TestApp, numbers: &[&str]) {
    let lines: Vec<ChargeLine> = numbers
        .iter()
        .enumerate()
        .map(|(i, n)| ChargeLine {
            line: i + 2,
            account_number: n.to_string(),
            period: Period::parse("2025-10").unwrap(),
            service: Some("heating".into()),
            amount: 500_000,
            volume: None,
            tariff: None,
            unit: None,
            kind: EntryKind::Charge,
            reason: None,
        })
        .collect();
    let meta = FileMeta {
        kind: "charges",
        file_name: "долги.csv".into(),
        sha256: charges::sha256_hex(b"mailing"),
        profile_id: None,
    };
    charges::import_charges(&app.t.db, &meta, &lines, &Actor::system("тест"), &|_| {})
        .await
        .unwrap();
}

both!(notices_for_the_post, |app: TestApp| async move {
    set_org(&app.t.db).await;
    let (_, _, a1) = app.seed("ул. Мира", "3", "7", "300001").await;
    let (_, _, a2) = app.seed("ул. Мира", "4", "8", "300002").await;
    owner(&app, a1, "Должников").await;
    owner(&app, a2, "Молчунов").await;
    charge(&app, &["300001", "300002"]).await;
    let lawyer = app.token_of(Role::Lawyer).await;
    let r = app
        .api_with(
            &lawyer,
            Method::POST,
            "/api/v1/debt-notices",
            Some(json!({"account_ids": [a2, a1]})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let issued: Vec<Value> = serde_json::from_str(&r.body).unwrap();
    let ids: Vec<String> = issued
        .iter()
        .map(|n| n["document_id"].as_i64().unwrap().to_string())
        .collect();
    let q = ids.join(",");
    let number = |i: usize| {
        issued
            .iter()
            .find(|n| n["document_id"].as_i64().unwrap().to_string() == ids[i])
            .unwrap()["account_number"]
            .as_str()
            .unwrap()
            .to_string()
    };

    // One PDF with both notices, in the order asked.
    let base = "/api/v1/debt-notices/mailing";
    let (status, ctype, pdf) = fetch_file(
        &app,
        &lawyer,
        &format!("{base}?format=pdf&document_ids={q}"),
    )
    .await;
    assert_eq!(
        (status, ctype.as_str()),
        (StatusCode::OK, "application/pdf")
    );
    let text = pdf_text(&pdf);
    assert_eq!(
        text.matches("УВЕДОМЛЕНИЕ О ЗАДОЛЖЕННОСТИ").count(),
        2,
        "{text}"
    );
    let (p0, p1) = (
        text.find(&number(0)).unwrap(),
        text.find(&number(1)).unwrap(),
    );
    assert!(p0 < p1, "{text}");

    // Form 103 as XLSX: the sender, then one row per letter.
    let (status, _, xlsx) = fetch_file(
        &app,
        &lawyer,
        &format!("{base}?format=xlsx&document_ids={q}"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(xlsx)).unwrap();
    let range = wb.worksheet_range("Ф. 103").unwrap();
    let rows: Vec<Vec<Data>> = range.rows().map(|r| r.to_vec()).collect();
    let cell = |r: usize, c: usize| rows[r][c].to_string();
    assert!(cell(0, 0).contains("ф. 103"), "{rows:?}");
    assert!(cell(1, 0).contains("Отправитель:"), "{rows:?}");
    assert_eq!(cell(3, 1), "Адресат");
    assert_eq!(rows.len(), 6, "{rows:?}");
    assert!(cell(4, 1).starts_with("Молчунов Иван Петрович"), "{rows:?}");
    assert!(cell(4, 2).contains("ул. Мира"), "{rows:?}");
    assert!(
        cell(4, 6).starts_with("Уведомление о задолженности № ")
            && cell(4, 6).ends_with("л/с 300002"),
        "{rows:?}"
    );
    assert!(cell(5, 1).starts_with("Должников"), "{rows:?}");

    // The same as CSV.
    let (status, ctype, csv) = fetch_file(
        &app,
        &lawyer,
        &format!("{base}?format=csv&document_ids={q}"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(ctype.starts_with("text/csv"), "{ctype}");
    let csv = String::from_utf8(csv).unwrap();
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines.len(), 3, "{csv}");
    assert!(lines[0].starts_with("№ п/п;Адресат;Адрес;"), "{csv}");
    assert!(lines[1].starts_with("1;Молчунов Иван Петрович;"), "{csv}");
    assert!(lines[2].ends_with("л/с 300001"), "{csv}");

    // Bad requests name their field; the page link works for the same person.
    let r = app
        .api_with(
            &lawyer,
            Method::GET,
            &format!("{base}?format=doc&document_ids={q}"),
            None,
        )
        .await;
    assert!(field_message(&r, "format").contains("xlsx"));
    let r = app
        .api_with(
            &lawyer,
            Method::GET,
            &format!("{base}?format=pdf&document_ids=x"),
            None,
        )
        .await;
    assert!(field_message(&r, "document_ids").contains("«x»"));
    let page = app
        .get(
            Role::Lawyer,
            &format!("/debt-notices/mailing?format=csv&document_ids={q}"),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Должников"), "{}", page.body);
});
