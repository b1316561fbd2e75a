//! The account card answers the call (issue 17 §1) over HTTP on both backends, the clock
//! fixed: an account with debt, penalties, a debtor case with a plan, an appeal (and one of
//! its building), a letter and a document shows each of them on the card itself; the payment
//! document button carries the debt and a due date not yet past, and the document it issues
//! is accepted. The intake fills itself: the caller panel found by phone carries the
//! applicant, the account and the address the form takes, with the caller's debt; an appeal
//! opened from the card comes with them filled in.

mod common;

use abonent_app::{App, Clock};
use abonent_domain::ledger::{EntryKind, Period};
use abonent_domain::money::{format_rub, parse_amount};
use abonent_domain::Role;
use abonent_storage::ledger::charges::{self, ChargeLine, FileMeta};
use abonent_storage::ledger::penalties;
use abonent_storage::Actor;
use axum::http::{Method, StatusCode};
use chrono::{NaiveDate, TimeZone, Utc};
use common::{set_org, TestApp};
use serde_json::json;

/// The router on a clock fixed at 07.12.2026 (noon in Екатеринбург).
fn fixed(app: &mut TestApp) -> NaiveDate {
    let instant = Utc.with_ymd_and_hms(2026, 12, 7, 7, 0, 0).unwrap();
    app.router = abonent_web::app_with(App::new(app.t.db.clone(), Clock::Fixed(instant)));
    NaiveDate::from_ymd_opt(2026, 12, 7).unwrap()
}

/// 1 000 ₽ of electricity a month, January to October 2026, nothing paid.
async fn charge(app: &TestApp, number: &str) {
    let lines: Vec<ChargeLine> = (0..10)
        .map(|i| ChargeLine {
            line: i as usize + 2,
            account_number: number.into(),
            period: Period::parse("2026-01").unwrap().plus(i),
            service: Some("electricity".into()),
            amount: 100_000,
            volume: None,
            tariff: None,
            unit: None,
            kind: EntryKind::Charge,
            reason: None,
        })
        .collect();
    let meta = FileMeta {
        kind: "charges",
        file_name: "card.csv".into(),
        sha256: charges::sha256_hex(number.as_bytes()),
        profile_id: None,
    };
    charges::import_charges(&app.t.db, &meta, &lines, &Actor::system("тест"), &|_| {})
        .await
        .unwrap();
}

/// The owner with a phone and an e-mail; their id.
async fn owner(app: &TestApp, account_id: i64) -> i64 {
    let r = app
        .api(Method::POST, "/api/v1/persons", Some(json!({"last_name": "Орлова", "first_name": "Анна",
            "middle_name": "Сергеевна", "phones": "8 912 345-67-01", "email": "orlova@example.ru"})))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let pid = r.json()["id"].as_i64().unwrap();
    let r = app
        .api(
            Method::POST,
            "/api/v1/links",
            Some(json!({"account_id": account_id, "person_id": pid,
            "role": "owner", "share": "1", "from_date": "2015-01-01"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    pid
}

/// The value of the input with `id` in `html`.
fn value_of(html: &str, id: &str) -> String {
    let tag = html
        .split(&format!("id=\"{id}\""))
        .nth(1)
        .unwrap_or_else(|| panic!("no #{id} in {html}"))
        .split('>')
        .next()
        .unwrap();
    tag.split("value=\"")
        .nth(1)
        .and_then(|v| v.split('"').next())
        .unwrap_or("")
        .to_string()
}

/// The text of the section with `id` (up to its end).
fn section<'a>(html: &'a str, id: &str) -> &'a str {
    html.split(&format!("id=\"{id}\""))
        .nth(1)
        .unwrap_or_else(|| panic!("no section #{id} in {html}"))
        .split("</section>")
        .next()
        .unwrap()
}

both!(the_card_answers_the_call, |app: TestApp| async move {
    let mut app = app;
    let today = fixed(&mut app);
    let db = app.t.db.clone();
    set_org(&db).await;
    let (building, _, aid) = app.seed("ул. Амундсена", "9", "12", "800001").await;
    let pid = owner(&app, aid).await;
    charge(&app, "800001").await;
    penalties::run_month(
        &db,
        Period::parse("2026-10").unwrap(),
        &Actor::system("тест"),
        &|_, _| {},
    )
    .await
    .unwrap();
    let standing = abonent_app::ledger::position::standing(&db, aid, today)
        .await
        .unwrap();
    assert_eq!(standing.out.debt(), 1_000_000);
    assert!(
        standing.out.penalties_accrued > 0,
        "the run posted penalties"
    );

    // Debtor work: informed, then a plan of four parts.
    let lawyer = app.token_of(Role::Lawyer).await;
    let r = app
        .api_with(
            &lawyer,
            Method::POST,
            &format!("/api/v1/debt-cases/{aid}/moves"),
            Some(json!({"stage": "informed"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = app
        .api_with(
            &lawyer,
            Method::POST,
            &format!("/api/v1/debt-cases/{aid}/plan"),
            Some(json!({"parts": 4, "first_due": "2026-12-20"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);

    // An appeal of the account, one of a neighbour in the building, a letter, a document.
    let appeal = app
        .api(
            Method::POST,
            "/api/v1/appeals",
            Some(json!({"kind": "request", "channel": "phone",
            "priority": "normal", "account_id": aid, "applicant_phone": "+7 912 345-67-01",
            "substance": "Не работает домофон в подъезде"})),
        )
        .await;
    assert_eq!(appeal.status, StatusCode::CREATED, "{}", appeal.body);
    let neighbour = app
        .api(
            Method::POST,
            "/api/v1/premises",
            Some(json!({"building_id": building, "number": "40", "residential": true})),
        )
        .await
        .json()["id"]
        .as_i64()
        .unwrap();
    let upstairs = app
        .api(Method::POST, "/api/v1/appeals", Some(json!({"kind": "request", "channel": "phone",
            "priority": "emergency", "premises_id": neighbour, "substance": "Течь из стояка на 9 этаже"})))
        .await;
    assert_eq!(upstairs.status, StatusCode::CREATED, "{}", upstairs.body);
    let letter = app
        .api(Method::POST, "/api/v1/correspondence/incoming", Some(json!({"received_on": "2026-12-01",
            "sender_kind": "person", "sender_name": "Орлова А. С.", "subject": "Просьба о перерасчёте",
            "pages": 1, "account_id": aid})))
        .await;
    assert_eq!(letter.status, StatusCode::CREATED, "{}", letter.body);
    let doc = app
        .api(
            Method::POST,
            "/api/v1/documents",
            Some(json!({"kind": "account_statement", "account_id": aid})),
        )
        .await;
    assert_eq!(doc.status, StatusCode::CREATED, "{}", doc.body);

    let card = app.get(Role::Manager, &format!("/accounts/{aid}")).await;
    assert_eq!(card.status, StatusCode::OK, "{}", card.body);
    let body = &card.body;
    // The premises and the people with their contacts.
    let premises = section(body, "account-premises");
    for want in ["Амундсена", "54,30 м²", "Комнат</dt><dd>2<"] {
        assert!(premises.contains(want), "{want} not in {premises}");
    }
    let people = section(body, "account-people");
    for want in [
        "Орлова Анна Сергеевна",
        "Собственник",
        "+79123456701",
        "orlova@example.ru",
    ] {
        assert!(people.contains(want), "{want} not in {people}");
    }
    // The money: debt, its age, penalties accrued, paid and owed; the stage and the plan.
    let money = section(body, "account-money");
    for want in [
        format_rub(standing.out.debt()),
        "10 месяцев".to_string(),
        "январь 2026".into(),
        format!("начислено {}", format_rub(standing.out.penalties_accrued)),
        format!("оплачено {}", format_rub(standing.out.penalties_paid)),
        format!(
            "к оплате <strong>{}",
            format_rub(standing.out.penalties_owed())
        ),
        "Проинформирован".into(),
        "Рассрочка".into(),
        "на 4 мес.".into(),
    ] {
        assert!(money.contains(&want), "{want} not in {money}");
    }
    // The appeals of the account and of its building, the letter, the document.
    let appeals = section(body, "account-appeals");
    let own_no = appeal.json()["number"].as_str().unwrap().to_string();
    let up_no = upstairs.json()["number"].as_str().unwrap().to_string();
    let (account_part, building_part) = appeals.split_once("Открытые по дому").unwrap();
    assert!(
        account_part.contains(&own_no) && !account_part.contains(&up_no),
        "{appeals}"
    );
    assert!(building_part.contains(&up_no), "{appeals}");
    let letters = section(body, "account-letters");
    let letter_no = letter.json()["number"].as_str().unwrap().to_string();
    assert!(
        letters.contains(&letter_no) && letters.contains("Просьба о перерасчёте"),
        "{letters}"
    );
    let docs = section(body, "account-documents");
    assert!(
        docs.contains(doc.json()["number"].as_str().unwrap()),
        "{docs}"
    );
    // The buttons: an appeal for this account and its owner; a certificate; a statement.
    assert!(
        body.contains(&format!(
            "/appeals/new?account_id={aid}&amp;person_id={pid}"
        )),
        "{body}"
    );
    assert!(body.contains("id=\"act-certificate\"") && body.contains("id=\"act-statement\""));
    // The payment document: the debt and a due date not yet past.
    let amount = value_of(body, "pay-amount");
    assert_eq!(parse_amount(&amount).unwrap(), standing.out.debt());
    let due = NaiveDate::parse_from_str(&value_of(body, "pay-due"), "%Y-%m-%d").unwrap();
    assert!(due >= today, "{due} is past");
    let period = body
        .split("name=\"period\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let r = app
        .page(
            Role::Manager,
            Method::POST,
            &format!("/accounts/{aid}/documents"),
            &[
                ("kind", "payment_document"),
                ("period", period),
                ("amount", &amount),
                ("due_date", &due.to_string()),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(r.location().starts_with("/documents/"), "{}", r.location());

    // A role without the ledger sees the registry, not the money.
    let auditor = app.get(Role::Auditor, &format!("/accounts/{aid}")).await;
    assert_eq!(auditor.status, StatusCode::OK);
    assert!(
        auditor.body.contains("id=\"account-money\""),
        "the auditor reads the ledger"
    );
    assert!(
        !auditor.body.contains("id=\"pay-form\""),
        "the auditor issues nothing"
    );
});

both!(the_intake_fills_itself, |app: TestApp| async move {
    let mut app = app;
    let today = fixed(&mut app);
    let db = app.t.db.clone();
    let (building, premises, aid) = app.seed("ул. Амундсена", "9", "12", "800002").await;
    let pid = owner(&app, aid).await;
    charge(&app, "800002").await;
    let standing = abonent_app::ledger::position::standing(&db, aid, today)
        .await
        .unwrap();

    // The caller found by phone: the button carries what the form takes, and the debt.
    let panel = app
        .get(
            Role::Dispatcher,
            "/appeals/caller?applicant_phone=8%20912%20345-67-01",
        )
        .await;
    assert_eq!(panel.status, StatusCode::OK, "{}", panel.body);
    for want in [
        format!("data-fill-person_id=\"{pid}\""),
        "data-fill-applicant_name=\"Орлова Анна Сергеевна\"".to_string(),
        "data-fill-applicant_email=\"orlova@example.ru\"".into(),
        format!("data-fill-account_id=\"{aid}\""),
        format!("data-fill-premises_id=\"{premises}\""),
        format!("data-fill-building_id=\"{building}\""),
        "data-fill-registry_address=\"".into(),
        format!("Долг: <strong>{}", format_rub(standing.out.debt())),
        "10 месяцев".into(),
    ] {
        assert!(panel.body.contains(&want), "{want} not in {}", panel.body);
    }
    let address = panel
        .body
        .split("data-fill-registry_address=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    assert!(
        address.contains("Амундсена") && address.contains("800002"),
        "{address}"
    );

    // From the card: the form comes filled in, the free text is the labelled fallback.
    let form = app
        .get(
            Role::Dispatcher,
            &format!("/appeals/new?account_id={aid}&person_id={pid}"),
        )
        .await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    let f = &form.body;
    assert_eq!(value_of(f, "f-account_id"), aid.to_string());
    assert_eq!(value_of(f, "f-person_id"), pid.to_string());
    assert_eq!(value_of(f, "f-premises_id"), premises.to_string());
    assert_eq!(value_of(f, "f-building_id"), building.to_string());
    assert_eq!(value_of(f, "f-applicant_name"), "Орлова Анна Сергеевна");
    assert_eq!(value_of(f, "f-applicant_phone"), "+79123456701");
    assert!(value_of(f, "f-registry_address").contains("Амундсена"));
    assert!(f.contains("Адрес, если его нет в реестре"));

    // Registered as filled: the appeal is the account's, at its flat.
    let (p_s, a_s, pr_s, b_s) = (
        pid.to_string(),
        aid.to_string(),
        premises.to_string(),
        building.to_string(),
    );
    let fields: Vec<(&str, &str)> = vec![
        ("kind", "request"),
        ("channel", "phone"),
        ("priority", ""),
        ("sender_kind", "person"),
        ("person_id", &p_s),
        ("account_id", &a_s),
        ("premises_id", &pr_s),
        ("building_id", &b_s),
        ("registry_address", "ул. Амундсена"),
        ("applicant_name", "Орлова Анна Сергеевна"),
        ("applicant_phone", "+79123456701"),
        ("address_text", ""),
        ("substance", "Не работает домофон"),
    ];
    let r = app
        .page(Role::Dispatcher, Method::POST, "/appeals", &fields)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let id = r
        .location()
        .trim_start_matches("/appeals/")
        .split('?')
        .next()
        .unwrap()
        .to_string();
    let r = app
        .api(Method::GET, &format!("/api/v1/appeals/{id}"), None)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let a = r.json()["appeal"].clone();
    assert_eq!(a["account_id"], aid, "{a}");
    assert_eq!(a["premises_id"], premises);
    assert_eq!(a["person_id"], pid);
});
