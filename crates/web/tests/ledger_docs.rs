//! Documents from the ledger over HTTP on both backends: «Расчёт пени» as PDF read back with
//! pdftotext against the API's rows and total; the court packet (court, debtor, amount, duty,
//! time-barred charges) and its refusals as Russian problem details naming the field; the
//! certificate of no debt refused with a debt and issued once it is paid; the payment
//! document with the amount due; the ledger statement; who may issue what.

mod common;

use abonent_domain::ledger::Period;
use abonent_domain::money::{format_amount, format_rub};
use abonent_domain::Role;
use abonent_storage::ledger::reference;
use abonent_storage::{users, Actor};
use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use common::court::{charge, document_text, linked, set_court};
use common::{fetch_file as fetch, field_message, pdf_text, set_org, Resp, TestApp};
use serde_json::{json, Value};

async fn call(app: &TestApp, token: &str, method: Method, path: &str, body: Option<Value>) -> Resp {
    let req = Request::builder()
        .method(method)
        .uri(path)
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json")
        .body(body.map(|j| Body::from(j.to_string())).unwrap_or_default())
        .unwrap();
    app.send(req).await
}

async fn owner(app: &TestApp, account_id: i64, first_name: &str) {
    let r = app
        .api(Method::POST, "/api/v1/persons", Some(json!({"last_name": "Сидоров", "first_name": first_name, "middle_name": "Ильич", "birth_date": "1961-07-04", "id_document": "паспорт 6505 112233"})))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let pid = r.json()["id"].as_i64().unwrap();
    let r = app
        .api(Method::POST, "/api/v1/links", Some(json!({"account_id": account_id, "person_id": pid, "role": "owner", "share": "1", "from_date": "2015-01-01"})))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
}

/// Issues a resident document through `path` and reads its PDF back.
async fn issued_text(app: &TestApp, token: &str, path: &str, body: Value) -> String {
    let r = call(app, token, Method::POST, path, Some(body)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    document_text(app, token, r.json()["id"].as_i64().unwrap()).await
}

both!(ledger_documents, |app: TestApp| async move {
    let db = app.t.db.clone();
    set_org(&db).await;
    let (_, accountant) = users::create_token(&db, "бухгалтер", Role::Accountant, None)
        .await
        .unwrap();
    let specialist = app.token.clone();
    let (_, _, aid) = app.seed("ул. Ленина", "5", "12", "700001").await;
    let (_, _, empty) = app.seed("ул. Мира", "7", "3", "700002").await;
    // January 2020 is long time-barred; 2025–2026 are claimed.
    charge(
        &app,
        "a.csv",
        &[
            ("700001", "2020-01", "heating", 150_000),
            ("700001", "2025-06", "maintenance", 300_000),
            ("700001", "2025-07", "maintenance", 300_000),
            ("700001", "2026-09", "heating", 200_000),
        ],
    )
    .await;
    let ledger = call(
        &app,
        &accountant,
        Method::GET,
        &format!("/api/v1/accounts/{aid}/ledger"),
        None,
    )
    .await
    .json();
    let balance = ledger["balance"].as_i64().unwrap();
    assert_eq!(balance, 950_000);

    // «Расчёт пени»: the PDF has the API's rows and total.
    let api = call(
        &app,
        &specialist,
        Method::GET,
        &format!("/api/v1/accounts/{aid}/penalty"),
        None,
    )
    .await
    .json();
    let total = api["total_kopecks"].as_i64().unwrap();
    assert!(total > 0, "{api}");
    let (status, ctype, pdf) = fetch(
        &app,
        &specialist,
        &format!("/api/v1/accounts/{aid}/penalty.pdf"),
    )
    .await;
    assert_eq!(
        (status, ctype.as_str()),
        (StatusCode::OK, "application/pdf")
    );
    let text = pdf_text(&pdf);
    assert!(
        text.contains(&format!("Итого пени {}", format_amount(total))),
        "{text}"
    );
    assert!(text.contains("Лицевой счёт: 700001"), "{text}");
    for row in api["rows"].as_array().unwrap() {
        let sum = format_amount(row["penalty_kopecks"].as_i64().unwrap());
        let period = Period::parse(row["period"].as_str().unwrap())
            .unwrap()
            .title();
        let line = format!(
            "{period} {}",
            format_amount(row["debt_kopecks"].as_i64().unwrap())
        );
        assert!(text.contains(&line), "{line} not in {text}");
        assert!(text.contains(&sum), "{sum} not in {text}");
        assert!(text.contains(&format!("1/{}", row["share"])), "{text}");
    }
    // The page link gives the same document.
    let r = app
        .get(Role::Specialist, &format!("/accounts/{aid}/penalty"))
        .await;
    assert!(r.body.contains(&format!("/accounts/{aid}/penalty.pdf")));
    let r = app
        .get(Role::Accountant, &format!("/accounts/{aid}/penalty.pdf"))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.headers["content-type"], "application/pdf");

    // The court packet: refusals name the field.
    let packet = format!("/api/v1/accounts/{aid}/court-packet");
    let r = call(&app, &specialist, Method::POST, &packet, None).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let r = call(
        &app,
        &specialist,
        Method::POST,
        "/api/v1/documents",
        Some(json!({"kind": "court_order_application", "account_id": aid})),
    )
    .await;
    assert_eq!(
        r.status,
        StatusCode::FORBIDDEN,
        "the packet needs EditLedger also here: {}",
        r.body
    );
    let r = call(&app, &accountant, Method::POST, &packet, None).await;
    assert!(field_message(&r, "court.name").contains("Не указан суд"));
    assert!(field_message(&r, "court.address").contains("адрес суда"));
    assert!(field_message(&r, "debtor").contains("нет собственника"));
    set_court(&db).await;
    owner(&app, aid, "Пётр").await;
    owner(&app, empty, "Анна").await;
    let r = call(
        &app,
        &accountant,
        Method::POST,
        &format!("/api/v1/accounts/{empty}/court-packet"),
        None,
    )
    .await;
    assert!(field_message(&r, "debt").contains("нет долга"));
    let mut rules = reference::debt_rules(&db).await.unwrap();
    let limit = rules.court_order_limit;
    rules.court_order_limit = 500_000;
    reference::save_debt_rules(&db, &rules, "тест", &Actor::system("тест"))
        .await
        .unwrap();
    let r = call(&app, &accountant, Method::POST, &packet, None).await;
    let m = field_message(&r, "claim");
    assert!(
        m.contains("5 000,00 ₽") && m.contains("исковое заявление"),
        "{m}"
    );
    rules.court_order_limit = limit;
    reference::save_debt_rules(&db, &rules, "тест", &Actor::system("тест"))
        .await
        .unwrap();
    let before = documents_count(&db).await;

    let r = call(&app, &accountant, Method::POST, &packet, None).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let p = r.json();
    assert_eq!(p["debt_kopecks"], 800_000, "{p}");
    assert_eq!(p["time_barred_kopecks"], 150_000, "{p}");
    assert!(
        p["time_barred"][0]
            .as_str()
            .unwrap()
            .starts_with("январь 2020"),
        "{p}"
    );
    let claim = p["claim_kopecks"].as_i64().unwrap();
    assert!(claim > 800_000 && claim == 800_000 + p["penalty_kopecks"].as_i64().unwrap());
    // Up to 100 000 ₽ the court order duty is 2 000 ₽ (regulations §7).
    assert_eq!(p["duty_kopecks"], 200_000);
    // The penalty claimed leaves out the rows of the time-barred period (ГК ст. 207).
    let claimed_penalty: i64 = api["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["period"] != "2020-01")
        .map(|r| r["penalty_kopecks"].as_i64().unwrap())
        .sum();
    assert_eq!(p["penalty_kopecks"], claimed_penalty, "{p}");
    assert!(claimed_penalty < total);
    assert_eq!(
        documents_count(&db).await,
        before + 1,
        "refusals stored nothing"
    );
    let text = document_text(&app, &accountant, p["document"]["id"].as_i64().unwrap()).await;
    for s in [
        "Мировому судье судебного участка № 5 Ленинского судебного района г. Екатеринбурга",
        "с должника Сидорова Петра Ильича",
        "620014, г. Екатеринбург, ул. Вайнера, д. 9",
        "Должник: Сидоров Пётр Ильич",
        "дата рождения: 04.07.1961",
        "паспорт 6505 112233",
        "ИНН 7701234560, ОГРН 1027700000012",
        &format!("Цена требования: {}", format_rub(claim)),
        &format!("Государственная пошлина: {}", format_rub(200_000)),
        &format!("составляет {}", format_rub(800_000)),
        "Расчёт пени",
        "Выписка из лицевого счёта",
        "НК РФ ст. 333.19",
        "за пределами срока исковой давности",
        "январь 2020",
        "1 500,00",
    ] {
        assert!(text.contains(s), "«{s}» not in the packet: {text}");
    }
    // A building may have its own court (building card, administrator): it wins.
    let (bid, _, other) = app.seed("ул. Гагарина", "9", "1", "700003").await;
    owner(&app, other, "Ирина").await;
    charge(&app, "b.csv", &[("700003", "2026-08", "heating", 100_000)]).await;
    let r = app
        .page(
            Role::Administrator,
            Method::POST,
            &format!("/buildings/{bid}/court"),
            &[
                ("court_name", "Мировой судья судебного участка № 9"),
                ("court_address", "г. Екатеринбург, ул. Малышева, д. 2"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(app
        .get(Role::Administrator, &format!("/buildings/{bid}"))
        .await
        .body
        .contains("Мировой судья судебного участка № 9"));
    let r = call(
        &app,
        &accountant,
        Method::POST,
        &format!("/api/v1/accounts/{other}/court-packet"),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let text = document_text(
        &app,
        &accountant,
        r.json()["document"]["id"].as_i64().unwrap(),
    )
    .await;
    assert!(
        text.contains("Мировому судье судебного участка № 9") && !text.contains("участка № 5"),
        "{text}"
    );
    assert!(
        text.contains("Начислений старше срока исковой давности"),
        "{text}"
    );

    // The page button: shown to who may use it; the accountant gets the document, the
    // specialist is refused.
    let page = format!("/accounts/{aid}/ledger");
    assert!(app
        .get(Role::Accountant, &page)
        .await
        .body
        .contains("/court-packet"));
    let body = app.get(Role::Specialist, &page).await.body;
    assert!(!body.contains("/court-packet") && body.contains("no_debt_certificate"));
    let r = app
        .page(
            Role::Accountant,
            Method::POST,
            &format!("/accounts/{aid}/court-packet"),
            &[],
        )
        .await;
    assert!(
        r.location().starts_with("/documents/"),
        "{} {}",
        r.status,
        r.body
    );
    let r = app
        .page(
            Role::Specialist,
            Method::POST,
            &format!("/accounts/{aid}/court-packet"),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // Resident documents: the payment document shows the amount due.
    let docs = format!("/api/v1/accounts/{aid}/ledger-documents");
    let text = issued_text(
        &app,
        &specialist,
        &docs,
        json!({"kind": "payment_document"}),
    )
    .await;
    assert!(
        text.contains(&format!("Сумма к оплате: {}", format_rub(balance))),
        "{text}"
    );
    assert!(text.contains("сентябрь 2026"), "{text}");
    // The statement for a range of periods, with balances.
    let text = issued_text(
        &app,
        &specialist,
        &docs,
        json!({"kind": "ledger_statement", "period_from": "2025-06", "period_to": "2025-07"}),
    )
    .await;
    assert!(
        text.contains("июнь 2025 1 500,00 3 000,00 0,00 0,00 0,00 4 500,00"),
        "{text}"
    );
    assert!(
        text.contains("июль 2025 4 500,00 3 000,00 0,00 0,00 0,00 7 500,00"),
        "{text}"
    );
    let r = call(
        &app,
        &specialist,
        Method::POST,
        &docs,
        Some(json!({"kind": "ledger_statement", "period_from": "2025-08", "period_to": "2025-07"})),
    )
    .await;
    assert!(field_message(&r, "period_from").contains("позже"));

    // No-debt certificate: refused with the amount and the periods, issued once paid.
    let r = call(
        &app,
        &specialist,
        Method::POST,
        &docs,
        Some(json!({"kind": "no_debt_certificate"})),
    )
    .await;
    let m = field_message(&r, "debt");
    assert!(
        m.contains(&format_rub(balance))
            && m.contains("январь 2020")
            && m.contains("сентябрь 2026"),
        "{m}"
    );
    let r = app
        .page(
            Role::Specialist,
            Method::POST,
            &format!("/accounts/{aid}/ledger-documents"),
            &[("kind", "no_debt_certificate")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("не выдаётся"), "{}", r.body);
    let today = chrono::Utc::now().date_naive().to_string();
    let r = call(
        &app,
        &accountant,
        Method::POST,
        "/api/v1/ledger/payments/cash",
        Some(
            json!({"account_id": aid, "amount": balance, "paid_on": today, "receipt_no": "ПКО-77"}),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let text = issued_text(
        &app,
        &specialist,
        &docs,
        json!({"kind": "no_debt_certificate"}),
    )
    .await;
    assert!(
        text.contains("СПРАВКА ОБ ОТСУТСТВИИ ЗАДОЛЖЕННОСТИ") && text.contains("№ 700001"),
        "{text}"
    );
    // Nothing due now: no payment document.
    let r = call(
        &app,
        &specialist,
        Method::POST,
        &docs,
        Some(json!({"kind": "payment_document"})),
    )
    .await;
    assert!(field_message(&r, "amount").contains("долга по счёту нет"));
});

async fn documents_count(db: &abonent_storage::Db) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM documents")
        .fetch_one(db.read())
        .await
        .unwrap()
}

// Issue 14 §2: shared ownership. Owners answer for their shares — one application each with
// its own calculation and duty, the parts summing to the account's debt to the kopeck; a minor
// owner's part is claimed from the representative; a social tenant's capable family answers
// jointly in one application; unnamed payments pay periods within the limitation first.
both!(court_packet_by_shares, |app: TestApp| async move {
    let db = app.t.db.clone();
    set_org(&db).await;
    set_court(&db).await;
    let (_, accountant) = users::create_token(&db, "бухгалтер", Role::Accountant, None)
        .await
        .unwrap();
    let (_, _, aid) = app.seed("ул. Ленина", "5", "14", "800001").await;
    charge(
        &app,
        "s.csv",
        &[
            ("800001", "2020-01", "heating", 150_000),
            ("800001", "2025-06", "maintenance", 300_001),
            ("800001", "2026-09", "heating", 200_000),
        ],
    )
    .await;
    // A payment naming no period: it pays June 2025 (within the limitation), not January
    // 2020 (ГК ст. 319.1; Пленум ВС РФ № 22, п. 32).
    let today = chrono::Utc::now().date_naive().to_string();
    let r = call(
        &app,
        &accountant,
        Method::POST,
        "/api/v1/ledger/payments/cash",
        Some(
            json!({"account_id": aid, "amount": 100_000, "paid_on": today, "receipt_no": "ПКО-1"}),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);

    let packet = format!("/api/v1/accounts/{aid}/court-packet");
    let (father, _) = linked(
        &app,
        aid,
        ("Козлов", "Николай", "Ростиславович"),
        "1975-02-01",
        "owner",
        Some("1/2"),
    )
    .await;
    let (other, other_link) = linked(
        &app,
        aid,
        ("Петрова", "Анна", "Сергеевна"),
        "1980-05-05",
        "owner",
        None,
    )
    .await;
    // Shares on some owners only: the parts cannot be told, nothing is issued.
    let before = documents_count(&db).await;
    let r = call(&app, &accountant, Method::POST, &packet, None).await;
    let m = field_message(&r, "debtor");
    assert!(
        m.contains("доли указаны не у всех") && m.contains("Петрова Анна Сергеевна"),
        "{m}"
    );
    let r = app.api(Method::PUT, &format!("/api/v1/links/{other_link}"), Some(json!({"account_id": aid, "person_id": other, "role": "owner", "share": "1/3", "from_date": "2015-01-01"}))).await;
    assert!(r.status.is_success(), "{}", r.body);
    linked(
        &app,
        aid,
        ("Козлов", "Артём", "Николаевич"),
        "2015-03-03",
        "owner",
        Some("1/6"),
    )
    .await;
    // A minor owner needs a legal representative on the account.
    let r = call(&app, &accountant, Method::POST, &packet, None).await;
    assert!(
        field_message(&r, "debtor").contains("несовершеннолетний"),
        "{}",
        r.body
    );
    let (mother, _) = linked(
        &app,
        aid,
        ("Козлова", "Мария", "Ивановна"),
        "1977-07-07",
        "representative",
        None,
    )
    .await;
    assert_eq!(
        documents_count(&db).await,
        before,
        "refusals stored nothing"
    );

    let r = call(&app, &accountant, Method::POST, &packet, None).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let p = r.json();
    // The whole claimed debt: June 2025 less the payment, and September 2026.
    assert_eq!(p["debt_kopecks"], 400_001, "{p}");
    assert_eq!(p["time_barred_kopecks"], 150_000, "{p}");
    let apps = p["applications"].as_array().unwrap();
    assert_eq!(apps.len(), 3, "{p}");
    assert_eq!(documents_count(&db).await, before + 3);
    let mut shares: Vec<&str> = apps.iter().map(|a| a["share"].as_str().unwrap()).collect();
    shares.sort();
    assert_eq!(shares, ["1/2", "1/3", "1/6"]);
    let part = |share: &str| apps.iter().find(|a| a["share"] == share).unwrap();
    let sum = |k: &str| apps.iter().map(|a| a[k].as_i64().unwrap()).sum::<i64>();
    assert_eq!(sum("debt_kopecks"), 400_001);
    assert_eq!(
        sum("penalty_kopecks"),
        p["penalty_kopecks"].as_i64().unwrap()
    );
    // Largest remainder: 200 000,50 → 200 001 to the half, 133 333,67 → 133 334 …
    // Each part within a kopeck of its exact value (largest remainder per row).
    for den in [2, 3, 6] {
        let debt = part(&format!("1/{den}"))["debt_kopecks"].as_i64().unwrap();
        assert!((debt * den - 400_001).abs() <= den, "1/{den}: {debt}");
    }
    let whole_penalty: i64 = call(
        &app,
        &app.token,
        Method::GET,
        &format!("/api/v1/accounts/{aid}/penalty"),
        None,
    )
    .await
    .json()["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["period"] != "2020-01")
        .map(|r| r["penalty_kopecks"].as_i64().unwrap())
        .sum();
    assert_eq!(sum("penalty_kopecks"), whole_penalty);
    for a in apps {
        assert_eq!(a["duty_kopecks"], 200_000, "{a}");
        assert_eq!(
            a["claim_kopecks"].as_i64().unwrap(),
            a["debt_kopecks"].as_i64().unwrap() + a["penalty_kopecks"].as_i64().unwrap()
        );
    }
    assert_eq!(p["duty_kopecks"], 600_000);
    assert_eq!(part("1/2")["document"]["person_id"], father);
    assert_eq!(part("1/6")["document"]["person_id"], mother);

    let text = |share: &str| {
        document_text(
            &app,
            &accountant,
            part(share)["document"]["id"].as_i64().unwrap(),
        )
    };
    let first = text("1/2").await;
    contains_all(
        &first,
        &[
            "с должника Козлова Николая Ростиславовича в пользу",
            "собственник, доля 1/2",
            "ГК РФ ст. 249",
            &format!(
                "составляет {}",
                format_rub(part("1/2")["debt_kopecks"].as_i64().unwrap())
            ),
            &format!(
                "Цена требования: {}",
                format_rub(part("1/2")["claim_kopecks"].as_i64().unwrap())
            ),
            "× 1/2",
        ],
    );
    assert!(
        !first.contains("Петров"),
        "one owner per application: {first}"
    );
    assert!(text("1/3")
        .await
        .contains("с должника Петровой Анны Сергеевны"));
    contains_all(&text("1/6").await, &[
        "с должника Козловой Марии Ивановны, законного представителя несовершеннолетнего собственника Козлова Артёма Николаевича",
        "Несовершеннолетний собственник",
        "Пленум ВС РФ № 22",
        "× 1/6",
    ]);

    // The page button issues them all and shows the account's documents.
    let r = app
        .page(
            Role::Accountant,
            Method::POST,
            &format!("/accounts/{aid}/court-packet"),
            &[],
        )
        .await;
    assert_eq!(
        r.location(),
        format!("/documents?account_id={aid}"),
        "{}",
        r.body
    );

    // One application through the documents API: which debtor must be said.
    let one = json!({"kind": "court_order_application", "account_id": aid});
    let r = call(
        &app,
        &accountant,
        Method::POST,
        "/api/v1/documents",
        Some(one.clone()),
    )
    .await;
    assert!(
        field_message(&r, "person_id").contains("Петрова Анна Сергеевна"),
        "{}",
        r.body
    );
    let mut one = one;
    one["person_id"] = json!(father);
    let r = call(
        &app,
        &accountant,
        Method::POST,
        "/api/v1/documents",
        Some(one),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert!(
        r.json()["title"]
            .as_str()
            .unwrap()
            .contains("Козлов Николай"),
        "{}",
        r.body
    );

    // A social tenant with the capable family: one joint application; the child is not named.
    let (_, _, tid) = app.seed("ул. Мира", "3", "8", "800002").await;
    charge(&app, "t.csv", &[("800002", "2026-08", "heating", 120_000)]).await;
    linked(
        &app,
        tid,
        ("Белых", "Игорь", "Львович"),
        "1960-01-01",
        "tenant",
        None,
    )
    .await;
    linked(
        &app,
        tid,
        ("Белых", "Ольга", "Петровна"),
        "1985-01-01",
        "registered",
        None,
    )
    .await;
    linked(
        &app,
        tid,
        ("Белых", "Илья", "Игоревич"),
        "2014-01-01",
        "registered",
        None,
    )
    .await;
    let r = call(
        &app,
        &accountant,
        Method::POST,
        &format!("/api/v1/accounts/{tid}/court-packet"),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let p = r.json();
    assert_eq!(p["applications"].as_array().unwrap().len(), 1, "{p}");
    assert_eq!(
        p["applications"][0]["debtors"],
        json!(["Белых Игорь Львович", "Белых Ольга Петровна"])
    );
    assert_eq!(p["debt_kopecks"], 120_000);
    let joint = document_text(&app, &accountant, p["document"]["id"].as_i64().unwrap()).await;
    contains_all(
        &joint,
        &[
            "солидарно с должников Белых Игоря Львовича и Белых Ольги Петровны",
            "ЖК РФ ст. 69 ч. 2",
            "Должник 2 (солидарно)",
        ],
    );
    assert!(!joint.contains("Илья"), "{joint}");
});

fn contains_all(text: &str, parts: &[&str]) {
    for s in parts {
        assert!(text.contains(s), "«{s}» not in {text}");
    }
}
