//! The payment document from the ledger (issue 14 §5) over HTTP on both backends, the clock
//! fixed: the month's services with volume, tariff, charge, recalculation and sum due; the
//! debt of 26 earlier months and the penalties as lines of their own; the total equal to the
//! balance; a due date not yet past; the QR requisites (`Sum`, `PaymPeriod`, `AddAmount`);
//! paying the total leaves nothing to pay. The certificate of no debt: a charge not yet due
//! is no debt, once overdue it is.

mod common;

use abonent_app::{App, Clock};
use abonent_documents::data::PaymentData;
use abonent_domain::ledger::{balance_on, EntryKind, Period};
use abonent_domain::money::{date_ru, format_amount};
use abonent_storage::ledger::charges::{self, ChargeLine, FileMeta};
use abonent_storage::ledger::{self, penalties};
use abonent_storage::Actor;
use axum::http::{Method, StatusCode};
use chrono::{NaiveDate, TimeZone, Utc};
use common::{download, field_message, pdf_text, set_org, TestApp};
use serde_json::{json, Value};

/// The router on a clock fixed at noon UTC of `day` (the same day in the organization's zone).
fn at(app: &mut TestApp, day: (i32, u32, u32)) -> NaiveDate {
    let instant = Utc.with_ymd_and_hms(day.0, day.1, day.2, 6, 0, 0).unwrap();
    app.router = abonent_web::app_with(App::new(app.t.db.clone(), Clock::Fixed(instant)));
    NaiveDate::from_ymd_opt(day.0, day.1, day.2).unwrap()
}

struct Row<'a> {
    account: &'a str,
    period: Period,
    service: &'a str,
    amount: i64,
    kind: EntryKind,
    measure: Option<(&'a str, &'a str, &'a str)>,
}

fn row(account: &'static str, period: Period, service: &'static str, amount: i64) -> Row<'static> {
    Row {
        account,
        period,
        service,
        amount,
        kind: EntryKind::Charge,
        measure: None,
    }
}

async fn load(app: &TestApp, name: &str, rows: &[Row<'_>]) {
    let lines: Vec<ChargeLine> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| ChargeLine {
            line: i + 2,
            account_number: r.account.into(),
            period: r.period,
            service: Some(r.service.into()),
            amount: r.amount,
            volume: r.measure.map(|m| m.0.into()),
            tariff: r.measure.map(|m| m.1.into()),
            unit: r.measure.map(|m| m.2.into()),
            kind: r.kind,
            reason: (r.kind == EntryKind::Recalculation).then(|| "показания счётчика".into()),
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

async fn owner(app: &TestApp, account_id: i64) {
    let first = if account_id == 1 {
        "Николай"
    } else {
        "Пётр"
    };
    let r = app
        .api(Method::POST, "/api/v1/persons", Some(json!({"last_name": "Козлов", "first_name": first, "middle_name": "Ростиславович", "birth_date": "1961-07-04"})))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let pid = r.json()["id"].as_i64().unwrap();
    let r = app
        .api(Method::POST, "/api/v1/links", Some(json!({"account_id": account_id, "person_id": pid, "role": "owner", "share": "1", "from_date": "2015-01-01"})))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
}

async fn issue(app: &TestApp, aid: i64, kind: &str) -> common::Resp {
    app.api(
        Method::POST,
        &format!("/api/v1/accounts/{aid}/ledger-documents"),
        Some(json!({ "kind": kind })),
    )
    .await
}

/// The PDF's text line by line as laid out (table rows stay rows), spaces collapsed.
fn layout_text(pdf: &[u8]) -> String {
    // A name of its own per call: the SQLite and PostgreSQL runs of a test share the process
    // and issue PDFs of the same size, and one removed the other's file before it was read.
    static N: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let path = std::env::temp_dir().join(format!("abonent-paydoc-{}-{n}.pdf", std::process::id()));
    std::fs::write(&path, pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8"])
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils)");
    let _ = std::fs::remove_file(&path);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The issued document's data and its PDF as text (flat, and line by line).
async fn issued(app: &TestApp, aid: i64, kind: &str) -> (Value, String) {
    let r = issue(app, aid, kind).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let doc = r.json();
    let pdf = download(app, doc["id"].as_i64().unwrap()).await;
    (doc, format!("{}\n{}", pdf_text(&pdf), layout_text(&pdf)))
}

fn month(s: &str) -> Period {
    Period::parse(s).unwrap()
}

both!(
    payment_document_from_the_ledger,
    |app: TestApp| async move {
        let mut app = app;
        let db = app.t.db.clone();
        set_org(&db).await;
        let (_, _, aid) = app.seed("ул. Ленина", "5", "12", "700001").await;
        owner(&app, aid).await;
        // 26 months of unpaid maintenance (September 2024 — October 2026), then November 2026
        // with volumes and tariffs and a recalculation.
        let mut rows: Vec<Row> = (0..26)
            .map(|i| row("700001", month("2024-09").plus(i), "maintenance", 100_000))
            .collect();
        let nov = month("2026-11");
        rows.push(Row {
            measure: Some(("54.3", "57.46", "м²")),
            ..row("700001", nov, "maintenance", 312_000)
        });
        rows.push(Row {
            measure: Some(("3.5", "45.12", "м³")),
            ..row("700001", nov, "cold_water", 15_792)
        });
        rows.push(Row {
            kind: EntryKind::Recalculation,
            ..row("700001", nov, "cold_water", -1_000)
        });
        load(&app, "a.csv", &rows).await;
        penalties::run_month(&db, month("2026-10"), &Actor::system("тест"), &|_, _| {})
            .await
            .unwrap();
        let entries = ledger::domain_entries(&db, aid).await.unwrap();
        let penalty: i64 = entries
            .iter()
            .filter(|e| e.kind == EntryKind::Penalty)
            .map(|e| e.amount)
            .sum();
        assert!(penalty > 0, "the run posted penalties");

        let today = at(&mut app, (2026, 12, 20));
        let balance = balance_on(&entries, today);
        let (doc, text) = issued(&app, aid, "payment_document").await;
        let data: PaymentData = serde_json::from_value(doc["data"].clone()).unwrap();
        for expected in [
            "ПЛАТЁЖНЫЙ ДОКУМЕНТ (КВИТАНЦИЯ)".to_string(),
            "за ноябрь 2026 г.".into(),
            "Плательщик: Козлов Николай Ростиславович".into(),
            "1 Содержание жилого помещения м² 54,3 57,46 3 120,00 0,00 0,00 3 120,00".into(),
            "2 Холодное водоснабжение м³ 3,5 45,12 157,92 -10,00 0,00 147,92".into(),
            "Задолженность за сентябрь 2024 г. — октябрь 2026 г. 26 000,00".into(),
            format!("Пени (ЖК РФ ст. 155 ч. 14) {}", format_amount(penalty)),
            format!("Итого к оплате, ₽ {}", format_amount(balance)),
            "и долга за 09.2024-10.2026".into(),
        ] {
            assert!(text.contains(&expected), "{expected}\n{text}");
        }
        // Due on 10 December had passed on the 20th: the document names the next due date.
        let due = data.due_date.unwrap();
        assert!(due >= today, "{due}");
        assert!(
            text.contains(&format!("Оплатить до: {}", date_ru(due))),
            "{text}"
        );
        assert_eq!(data.amount_kopecks, balance);
        let org = abonent_documents::samples::organization();
        let qr = abonent_documents::payment_qr(&data, &org).build().unwrap();
        assert!(qr.contains(&format!("|Sum={balance}|")), "{qr}");
        assert!(qr.contains("|PaymPeriod=112026|"), "{qr}");
        assert!(qr.contains(&format!("|AddAmount={penalty}|")), "{qr}");

        // Paying exactly the total leaves nothing to pay.
        let r = app
        .api_with(
            &app.token_of(abonent_domain::Role::Accountant).await,
            Method::POST,
            "/api/v1/ledger/payments/cash",
            Some(json!({"account_id": aid, "amount": balance, "paid_on": today.to_string(), "receipt_no": "ПКО-1"})),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let r = issue(&app, aid, "payment_document").await;
        assert!(
            field_message(&r, "amount").contains("долга по счёту нет"),
            "{}",
            r.body
        );

        // A debt-only document (no charges in its month) names the periods it covers.
        let (_, _, other) = app.seed("ул. Мира", "7", "3", "700002").await;
        owner(&app, other).await;
        let rows: Vec<Row> = (0..26)
            .map(|i| row("700002", month("2024-09").plus(i), "heating", 10_000))
            .collect();
        load(&app, "b.csv", &rows).await;
        let r = app
            .api(
                Method::POST,
                "/api/v1/documents",
                Some(json!({"kind": "payment_document", "account_id": other, "period": "2026-11"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let text = pdf_text(&download(&app, r.json()["id"].as_i64().unwrap()).await);
        assert!(
            text.contains("Оплата долга за 09.2024-10.2026 по ЖКУ, л/с 700002"),
            "{text}"
        );
        assert!(text.contains("Итого к оплате, ₽ 2 600,00"), "{text}");
    }
);

both!(
    no_debt_while_nothing_is_overdue,
    |app: TestApp| async move {
        let mut app = app;
        let db = app.t.db.clone();
        set_org(&db).await;
        let (_, _, aid) = app.seed("ул. Ленина", "5", "12", "700001").await;
        owner(&app, aid).await;
        load(
            &app,
            "a.csv",
            &[row("700001", month("2026-11"), "heating", 250_000)],
        )
        .await;
        // On 3 December the November charge is due on the 10th: not a debt.
        at(&mut app, (2026, 12, 3));
        let (_, text) = issued(&app, aid, "no_debt_certificate").await;
        assert!(
            text.contains("СПРАВКА ОБ ОТСУТСТВИИ ЗАДОЛЖЕННОСТИ"),
            "{text}"
        );
        assert!(text.contains("2 500,00 ₽ со сроком оплаты"), "{text}");
        // After the due date it is.
        at(&mut app, (2026, 12, 21));
        let r = issue(&app, aid, "no_debt_certificate").await;
        let m = field_message(&r, "debt");
        assert!(m.contains("2 500,00 ₽") && m.contains("ноябрь 2026"), "{m}");
    }
);
