//! The monthly print run (issue 14 §5) on both backends: a payment document for every open
//! account of the chosen buildings, run as a job with progress; each document is archived
//! (one file per account), accounts with nothing to pay are named in the report, and the
//! one PDF for printing (read back with pdftotext) follows building, entrance and flat; the
//! ZIP holds one file per account; the page «Печать квитанций» does the same with progress;
//! numbers are gapless and one run at a time holds the lease.

mod common;

use abonent_domain::ledger::{EntryKind, Period};
use abonent_domain::Role;
use abonent_storage::documents::print_run;
use abonent_storage::ledger::charges::{self, ChargeLine, FileMeta};
use abonent_storage::Actor;
use axum::http::{header, Method, StatusCode};
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
    gapless(&app, &ids).await;

    // One file per account for e-mail, as one ZIP named by account and number.
    let (status, ctype, zip) = fetch_file(
        &app,
        &app.token,
        &format!("/api/v1/print-runs/{}/zip", job["id"]),
    )
    .await;
    assert_eq!(
        (status, ctype.as_str()),
        (StatusCode::OK, "application/zip")
    );
    assert!(zip.starts_with(b"PK"));
    let names = String::from_utf8_lossy(&zip);
    for n in ["500002", "500010", "500040"] {
        assert!(names.contains(&format!("{n} ")), "{n} not in the ZIP");
    }
    assert_eq!(names.matches("%PDF-").count(), 3);

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

/// The run's documents have consecutive numbers in print order.
async fn gapless(app: &TestApp, ids: &[i64]) {
    let mut seqs = Vec::new();
    for id in ids {
        let d = abonent_storage::documents::get(&app.t.db, *id)
            .await
            .unwrap();
        seqs.push(d.seq);
    }
    let expected: Vec<i64> = (seqs[0]..seqs[0] + seqs.len() as i64).collect();
    assert_eq!(seqs, expected, "numbers with a gap or out of order");
}

/// A file GET as a signed-in specialist: (status, content type, bytes).
async fn page_file(app: &TestApp, path: &str) -> (StatusCode, String, Vec<u8>) {
    let req = axum::http::Request::builder()
        .uri(path)
        .header(header::COOKIE, &app.sessions[&Role::Specialist].cookie)
        .body(axum::body::Body::empty())
        .unwrap();
    let res = tower::ServiceExt::oneshot(app.router.clone(), req)
        .await
        .unwrap();
    let status = res.status();
    let ctype = res.headers()[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .to_string();
    let bytes = axum::body::to_bytes(res.into_body(), usize::MAX)
        .await
        .unwrap();
    (status, ctype, bytes.to_vec())
}

both!(print_run_page, |app: TestApp| async move {
    set_org(&app.t.db).await;
    let b1 = building(&app, "ул. Садовая").await;
    let b2 = building(&app, "ул. Лесная").await;
    flat(&app, b1, "7", 2, "710007").await;
    flat(&app, b1, "3", 1, "710003").await;
    flat(&app, b2, "1", 1, "720001").await;
    charge(&app, &["710007", "710003", "720001"]).await;

    // The buildings are chosen by address; the form offers every one of them.
    let form = app.get(Role::Specialist, "/documents/print-runs").await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    assert!(form.body.contains("ул. Садовая") && form.body.contains("ул. Лесная"));
    assert!(form.body.contains("multiple"));

    let none = app
        .page(
            Role::Specialist,
            Method::POST,
            "/documents/print-runs",
            &[("period", "2026-11")],
        )
        .await;
    assert_eq!(none.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        none.body.contains("Выберите хотя бы один дом"),
        "{}",
        none.body
    );

    let (s1, s2) = (b1.to_string(), b2.to_string());
    let r = app
        .page(
            Role::Specialist,
            Method::POST,
            "/documents/print-runs",
            &[
                ("building_id", &s2),
                ("building_id", &s1),
                ("period", "2026-11"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let at = r.location();
    assert!(at.starts_with("/documents/print-runs/"), "{at}");

    // The status block htmx polls, until the run is done.
    let mut status = String::new();
    for _ in 0..600 {
        let req = axum::http::Request::builder()
            .uri(&at)
            .header(header::COOKIE, &app.sessions[&Role::Specialist].cookie)
            .header("hx-request", "true")
            .body(axum::body::Body::empty())
            .unwrap();
        status = app.send(req).await.body;
        if !status.contains("hx-trigger") {
            break;
        }
        assert!(status.contains("<progress"), "{status}");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(
        status.contains("Готово") && status.contains("выпущено 3"),
        "{status}"
    );
    let page = app.get(Role::Specialist, &at).await;
    assert!(page.body.contains(&format!("{at}/pdf")) && page.body.contains(&format!("{at}/zip")));

    let (code, ctype, pdf) = page_file(&app, &format!("{at}/pdf")).await;
    assert_eq!((code, ctype.as_str()), (StatusCode::OK, "application/pdf"));
    let text = pdf_text(&pdf);
    let pos = |n: &str| {
        text.find(&format!("лицевой счёт № {n}"))
            .unwrap_or_else(|| panic!("{n}: {text}"))
    };
    // ул. Лесная before ул. Садовая; in Садовая entrance 1 (flat 3) before entrance 2.
    assert!(
        pos("720001") < pos("710003") && pos("710003") < pos("710007"),
        "{text}"
    );
    let (code, ctype, zip) = page_file(&app, &format!("{at}/zip")).await;
    assert_eq!((code, ctype.as_str()), (StatusCode::OK, "application/zip"));
    assert_eq!(String::from_utf8_lossy(&zip).matches("%PDF-").count(), 3);
});

both!(one_print_run_at_a_time, |app: TestApp| async move {
    let db = &app.t.db;
    let first = print_run::start_job(db, 10, None).await.unwrap();
    assert!(first.is_some());
    // Another start while the first holds the lease is refused, on any instance.
    assert_eq!(print_run::start_job(db, 10, None).await.unwrap(), None);
    let b = building(&app, "ул. Новая").await;
    let r = app
        .api(
            Method::POST,
            "/api/v1/print-runs",
            Some(json!({"building_ids": [b], "period": "2026-11"})),
        )
        .await;
    assert!(field_message(&r, "job").contains("уже идёт"), "{}", r.body);
    // A run whose instance stopped (no progress for longer than the lease) is taken over.
    let old = abonent_storage::time::fmt(
        db.now() - chrono::Duration::seconds(print_run::LEASE_SECONDS + 60),
    );
    sqlx::query("UPDATE jobs SET updated_at = $1 WHERE id = $2")
        .bind(old)
        .bind(first.unwrap())
        .execute(db.write())
        .await
        .unwrap();
    let next = print_run::start_job(db, 10, None).await.unwrap();
    assert!(next.is_some() && next != first);
    let j = abonent_storage::jobs::get(db, first.unwrap())
        .await
        .unwrap();
    assert_eq!(j.status, "failed");
});
