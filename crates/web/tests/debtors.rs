//! Debtor work over HTTP on both backends: bulk notices as PDFs read back with pdftotext,
//! e-mail and SMS only to people who consented, the delivery date and the 20 days, stage
//! moves and refusals as Russian problem details naming the field, the installment plan,
//! the debtor list filters, the account card and the bulk page, the debt rules.

mod common;

use abonent_domain::ledger::{EntryKind, Period};
use abonent_domain::registry::{LinkData, LinkRole, PersonData, Share};
use abonent_domain::Role;
use abonent_storage::ledger::charges::{self, ChargeLine, FileMeta};
use abonent_storage::registry::{link, person};
use abonent_storage::{Actor, Db};
use axum::http::{Method, StatusCode};
use chrono::NaiveDate;
use common::{download, pdf_text, set_org, TestApp};
use serde_json::{json, Value};

fn actor() -> Actor {
    Actor::system("тест")
}

/// An owner of the account; with consent to e-mail and SMS or without.
async fn owner(db: &Db, account_id: i64, last_name: &str, consents: bool) {
    let pid = person::create(
        db,
        &PersonData {
            last_name: last_name.into(),
            first_name: "Иван".into(),
            middle_name: Some("Петрович".into()),
            birth_date: None,
            phones: vec![format!("+7912{:07}", account_id)],
            email: Some(format!("{account_id}@example.ru")),
            id_document: None,
            consent_sms: consents,
            consent_email: consents,
            legal_capacity: Default::default(),
            capacity_basis: None,
        },
        &actor(),
    )
    .await
    .unwrap();
    link::create_link(
        db,
        &LinkData {
            account_id,
            person_id: pid,
            role: LinkRole::Owner,
            share: Some(Share::WHOLE),
            from_date: None,
            to_date: None,
            registration: Default::default(),
        },
        &actor(),
    )
    .await
    .unwrap();
}

/// 1 000 ₽ electricity and 2 000 ₽ heating a month for three months per account.
async fn charge(db: &Db, numbers: &[&str]) {
    let mut lines = Vec::new();
    for n in numbers {
        for p in ["2026-08", "2026-09", "2026-10"] {
            for (service, amount) in [("electricity", 100000), ("heating", 200000)] {
                lines.push(ChargeLine {
                    line: lines.len() + 2,
                    account_number: n.to_string(),
                    period: Period::parse(p).unwrap(),
                    service: Some(service.into()),
                    amount,
                    volume: None,
                    tariff: None,
                    unit: None,
                    kind: EntryKind::Charge,
                    reason: None,
                });
            }
        }
    }
    let meta = FileMeta {
        kind: "charges",
        file_name: "долги.csv".into(),
        sha256: charges::sha256_hex(b"debtors"),
        profile_id: None,
    };
    charges::import_charges(db, &meta, &lines, &actor(), &|_| {})
        .await
        .unwrap();
}

/// The application's today (the organization's time zone), as the ledger API reports it.
async fn today(app: &TestApp, account: i64) -> NaiveDate {
    let r = app
        .api(
            Method::GET,
            &format!("/api/v1/accounts/{account}/ledger"),
            None,
        )
        .await;
    NaiveDate::parse_from_str(r.json()["as_of"].as_str().unwrap(), "%Y-%m-%d").unwrap()
}

fn flat(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

both!(notices_moves_plans_and_pages, |app: TestApp| async move {
    let db = app.t.db.clone();
    set_org(&db).await;
    let (_, _, a1) = app.seed("ул. Мира", "3", "7", "300001").await;
    let (_, _, a2) = app.seed("ул. Мира", "4", "8", "300002").await;
    owner(&db, a1, "Должников", true).await;
    owner(&db, a2, "Молчунов", false).await;
    charge(&db, &["300001", "300002"]).await;
    let now = today(&app, a1).await;
    abonent_storage::ledger::debts::refresh(&db, None, now)
        .await
        .unwrap();
    let lawyer = app.token_of(Role::Lawyer).await;
    let admin = app.token_of(Role::Administrator).await;

    // The specialist may not do debtor work.
    let r = app
        .api(
            Method::POST,
            "/api/v1/debt-notices",
            Some(json!({"account_ids": [a1]})),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // Bulk notices: one PDF each, naming the debt; messages only where consented.
    let r = app
        .api_with(
            &lawyer,
            Method::POST,
            "/api/v1/debt-notices",
            Some(json!({"account_ids": [a1, a2]})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let issued: Vec<Value> = serde_json::from_str(&r.body).unwrap();
    assert_eq!(issued.len(), 2);
    assert_eq!(
        (
            issued[0]["messages"].as_i64(),
            issued[1]["messages"].as_i64()
        ),
        (Some(2), Some(0))
    );
    let text = pdf_text(&download(&app, issued[0]["document_id"].as_i64().unwrap()).await);
    for want in [
        "УВЕДОМЛЕНИЕ О ЗАДОЛЖЕННОСТИ".to_string(),
        "300001".into(),
        "Должников Иван Петрович".into(),
        "Электроснабжение".into(),
        "август 2026".into(),
        flat(&abonent_domain::money::format_rub(900000)),
        "20 дней со дня получения".into(),
        "ограничено".into(),
    ] {
        assert!(text.contains(&want), "{want:?} not in {text}");
    }
    let recipients: Vec<String> = sqlx::query_scalar(
        "SELECT recipient FROM outbox WHERE source_entity = 'debt_notice' ORDER BY recipient",
    )
    .fetch_all(db.read())
    .await
    .unwrap();
    assert_eq!(
        recipients,
        [format!("+7912{a1:07}"), format!("{a1}@example.ru")]
    );

    // The delivery date starts the 20 days.
    let notice = issued[0]["notice_id"].as_i64().unwrap();
    let delivered = now;
    let r = app
        .api_with(&lawyer, Method::POST, &format!("/api/v1/debt-notices/{notice}/deliveries"),
            Some(json!({"method": "post", "delivered_on": delivered.to_string(), "note": "РПО 80080012345678"})))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let from = delivered + chrono::Days::new(20);
    assert_eq!(r.json()["limitation_from"], from.to_string());

    // Notice served records the notice document.
    let r = app
        .api_with(
            &lawyer,
            Method::POST,
            &format!("/api/v1/debt-cases/{a1}/moves"),
            Some(json!({"stage": "notice_served"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let case = r.json();
    assert_eq!(case["stage"], "notice_served");
    assert_eq!(case["moves"][0]["document_id"], issued[0]["document_id"]);
    assert_eq!(case["limitation_from"], from.to_string());

    // Heating is never limited (the services reference data: not «Можно приостановить»): a
    // Russian problem detail naming the field.
    let services = app.api(Method::GET, "/api/v1/services", None).await.json();
    let service = |code: &str| {
        services
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["code"] == code)
            .unwrap()
            .clone()
    };
    assert_eq!(service("heating")["may_suspend"], false);
    assert_eq!(
        case["services"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["service"] == "electricity")
            .unwrap()["may_suspend"],
        true,
        "{case}"
    );
    let r = app
        .api_with(
            &lawyer,
            Method::POST,
            &format!("/api/v1/debt-cases/{a1}/moves"),
            Some(json!({"stage": "limitation", "service": "heating"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.headers["content-type"], "application/problem+json");
    let errors = r.json()["errors"].as_array().unwrap().clone();
    assert!(
        errors.iter().any(|e| e["field"] == "service"
            && e["message"].as_str().unwrap().contains("справочнике услуг")),
        "{errors:?}"
    );
    // With norm fees set, electricity is over the threshold but the 20 days still run.
    let r = app
        .api_with(
            &admin,
            Method::PUT,
            "/api/v1/ledger/debt-rules",
            Some(
                json!({"norm_fees": {"fees": {"electricity": 100000}}, "source": "Приказ РЭК № 7"}),
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["norm_fees"]["fees"]["electricity"], 100000);
    let r = app
        .api_with(
            &lawyer,
            Method::POST,
            &format!("/api/v1/debt-cases/{a1}/moves"),
            Some(json!({"stage": "limitation", "service": "electricity"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["errors"][0]["field"], "on", "{}", r.body);
    assert!(
        r.body.contains(&from.format("%d.%m.%Y").to_string()),
        "{}",
        r.body
    );
    // The administrator unmarks electricity in the services reference data: debtor work
    // reads it at once — the case shows it and limitation is refused for the service.
    let e = service("electricity");
    let names: Vec<&str> = e["names"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap())
        .collect();
    let put = |may: bool| json!({"title": e["title"], "kind": e["kind"], "may_suspend": may, "names": names.join(", ")});
    let r = app
        .api_with(
            &admin,
            Method::PUT,
            "/api/v1/services/electricity",
            Some(put(false)),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let case = app
        .api(Method::GET, &format!("/api/v1/debt-cases/{a1}"), None)
        .await
        .json();
    assert_eq!(
        case["services"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["service"] == "electricity")
            .unwrap()["may_suspend"],
        false,
        "{case}"
    );
    let r = app
        .api_with(
            &lawyer,
            Method::POST,
            &format!("/api/v1/debt-cases/{a1}/moves"),
            Some(json!({"stage": "limitation", "service": "electricity"})),
        )
        .await;
    assert!(
        r.json()["errors"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["field"] == "service"),
        "{}",
        r.body
    );
    let r = app
        .api_with(
            &admin,
            Method::PUT,
            "/api/v1/services/electricity",
            Some(put(true)),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);

    // An installment plan for the second account: the agreement PDF and the schedule.
    let first_due = now + chrono::Days::new(10);
    let r = app
        .api_with(
            &lawyer,
            Method::POST,
            &format!("/api/v1/debt-cases/{a2}/plan"),
            Some(json!({"parts": 3, "first_due": first_due.to_string()})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let plan = r.json();
    assert_eq!(plan["total"], 900000);
    assert_eq!(plan["installments"].as_array().unwrap().len(), 3);
    let text = pdf_text(&download(&app, plan["document_id"].as_i64().unwrap()).await);
    assert!(text.contains("СОГЛАШЕНИЕ О РАССРОЧКЕ"), "{text}");
    assert!(
        text.contains(&first_due.format("%d.%m.%Y").to_string()),
        "{text}"
    );
    assert!(text.contains("Молчунов Иван Петрович"), "{text}");
    let r = app
        .api(Method::GET, &format!("/api/v1/debt-cases/{a2}/plan"), None)
        .await;
    assert_eq!(r.json()["kept"], true);

    // The list filters by stage and plan.
    let numbers = |r: &common::Resp| -> Vec<String> {
        r.json()["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["number"].as_str().unwrap().to_string())
            .collect()
    };
    let r = app
        .api(Method::GET, "/api/v1/debtors?stage=notice_served", None)
        .await;
    assert_eq!(numbers(&r), ["300001"]);
    assert_eq!(r.json()["items"][0]["stage_title"], "Вручено уведомление");
    let r = app
        .api(Method::GET, "/api/v1/debtors?has_plan=true", None)
        .await;
    assert_eq!(numbers(&r), ["300002"]);
    let r = app
        .api(Method::GET, "/api/v1/debtors?stage=none", None)
        .await;
    assert_eq!(numbers(&r), ["300002"]);
    let page = app.get(Role::Lawyer, "/debtors?stage=notice_served").await;
    assert!(
        page.body.contains("300001") && !page.body.contains(">300002<"),
        "{}",
        page.body
    );

    // The card shows the stage, the 20 days and the plan with its instalments.
    let card = app
        .get(Role::Lawyer, &format!("/accounts/{a1}/ledger"))
        .await;
    assert_eq!(card.status, StatusCode::OK);
    assert!(card.body.contains("Вручено уведомление"), "{}", card.body);
    assert!(card.body.contains(&from.format("%d.%m.%Y").to_string()));
    // Issue 14 §3: the threshold's monthly fee is the account's own, and the page says so.
    assert!(
        card.body.contains("средняя месячная плата по счёту за"),
        "{}",
        card.body
    );
    assert!(card.body.contains("Суд и исполнение"), "{}", card.body);
    let card = app
        .get(Role::Lawyer, &format!("/accounts/{a2}/ledger"))
        .await;
    assert!(
        card.body.contains("Рассрочка от") && card.body.contains("приостановлено рассрочкой"),
        "{}",
        card.body
    );
    assert!(card
        .body
        .contains(&first_due.format("%d.%m.%Y").to_string()));

    // Bulk move from the list: all or nothing, each refusal names its account.
    let before: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM debt_stage_moves")
        .fetch_one(db.read())
        .await
        .unwrap();
    let a1s = a1.to_string();
    let a2s = a2.to_string();
    let r = app
        .page(
            Role::Lawyer,
            Method::POST,
            "/debtors/bulk",
            &[
                ("account_id", &a1s),
                ("account_id", &a2s),
                ("action", "move"),
                ("stage", "informed"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("Л/с 300001") && r.body.contains("Л/с 300002"),
        "{}",
        r.body
    );
    let after: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM debt_stage_moves")
        .fetch_one(db.read())
        .await
        .unwrap();
    assert_eq!(before, after);
    // «Уведомления» from the list: the result page links the PDF.
    let r = app
        .page(
            Role::Lawyer,
            Method::POST,
            "/debtors/bulk",
            &[("account_id", &a1s), ("action", "notices")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(
        r.body.contains("Выпущено уведомлений: 1") && r.body.contains("/pdf"),
        "{}",
        r.body
    );
    // The administrator's form keeps the rules and norm fees with their source.
    let form = [
        ("notice_days", "20"),
        ("suspension_after_days", "10"),
        ("threshold_monthly_fees", "2"),
        ("court_order_limit", "500 000,00"),
        ("limitation_years", "3"),
        ("fee_electricity", "1 250,00"),
        ("source", "Приказ РЭК № 8"),
    ];
    let r = app
        .page(
            Role::Administrator,
            Method::POST,
            "/ledger/settings/debt-rules",
            &form,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = app
        .api(Method::GET, "/api/v1/ledger/debt-rules", None)
        .await;
    assert_eq!(r.json()["norm_fees"]["fees"]["electricity"], 125000);
    assert_eq!(r.json()["rules"]["source"], "Приказ РЭК № 8");
    let page = app.get(Role::Administrator, "/ledger/settings").await;
    assert!(
        !page.body.contains("never_suspended"),
        "one rule: the services reference data"
    );
    let fee = abonent_domain::money::format_amount(125000);
    assert!(page.body.contains(&fee) && page.body.contains("Работа с должниками"));
    // A specialist sees the card but no debt forms, and cannot post them.
    let card = app
        .get(Role::Specialist, &format!("/accounts/{a1}/ledger"))
        .await;
    assert!(card.body.contains("Работа с должником") && !card.body.contains("debt-case/move"));
});
