//! Issue 14 §2, the court packet over HTTP on both backends, PDFs read back with pdftotext:
//! an owner's capable family living with them answers jointly for the utilities of the
//! owner's part, the owner alone for upkeep and capital repair (ЖК ст. 31 ч. 3; Пленум ВС РФ
//! № 22, п. 29); penalties already paid are not claimed again.

mod common;

use abonent_domain::ledger::Period;
use abonent_domain::money::format_rub;
use abonent_domain::Role;
use abonent_storage::{users, Actor};
use axum::http::{Method, StatusCode};
use common::court::{charge, document_text, linked, set_court};
use common::{set_org, TestApp};
use serde_json::{json, Value};

/// A person registered in the flat with a kinship to the owner; their person id.
async fn family(
    app: &TestApp,
    account_id: i64,
    name: (&str, &str, &str),
    born: &str,
    kin: &str,
) -> i64 {
    family_of(app, account_id, name, born, kin, None).await.0
}

async fn family_of(
    app: &TestApp,
    account_id: i64,
    name: (&str, &str, &str),
    born: &str,
    kin: &str,
    kin_of: Option<i64>,
) -> (i64, i64) {
    let r = app
        .api(Method::POST, "/api/v1/persons", Some(json!({"last_name": name.0, "first_name": name.1, "middle_name": name.2, "birth_date": born})))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let pid = r.json()["id"].as_i64().unwrap();
    let r = app
        .api(Method::POST, "/api/v1/links", Some(json!({"account_id": account_id, "person_id": pid, "role": "registered", "from_date": "2015-01-01", "registration_kind": "residence", "kinship": kin, "kin_of": kin_of.map(|k| k.to_string())})))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    (pid, r.json()["id"].as_i64().unwrap())
}

/// The penalty of the account on the filing date, as the penalty page computes it.
async fn account_penalty(app: &TestApp, account_id: i64) -> i64 {
    app.api(
        Method::GET,
        &format!("/api/v1/accounts/{account_id}/penalty"),
        None,
    )
    .await
    .json()["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["penalty_kopecks"].as_i64().unwrap())
        .sum()
}

/// The organization and its court set, and an accountant's token to file with.
async fn ready_for_court(app: &TestApp) -> String {
    set_org(&app.t.db).await;
    set_court(&app.t.db).await;
    users::create_token(&app.t.db, "бухгалтер", Role::Accountant, None)
        .await
        .unwrap()
        .1
}

/// The court packet of an account, filed as `token`.
async fn court_packet(app: &TestApp, token: &str, aid: i64) -> Value {
    let r = app
        .api_with(
            token,
            Method::POST,
            &format!("/api/v1/accounts/{aid}/court-packet"),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.json()
}

fn sum(apps: &[Value], key: &str) -> i64 {
    apps.iter().map(|a| a[key].as_i64().unwrap()).sum()
}

both!(
    an_owners_family_answers_jointly_for_utilities,
    |app: TestApp| async move {
        let accountant = ready_for_court(&app).await;
        let (_, _, aid) = app.seed("ул. Ленина", "5", "21", "810001").await;
        charge(
            &app,
            "f.csv",
            &[
                ("810001", "2025-06", "maintenance", 300_001),
                ("810001", "2025-06", "heating", 200_000),
                ("810001", "2026-09", "heating", 100_000),
                ("810001", "2026-09", "capital_repair", 50_000),
            ],
        )
        .await;
        let (owner, _) = linked(
            &app,
            aid,
            ("Козлов", "Николай", "Ростиславович"),
            "1975-02-01",
            "owner",
            Some("1"),
        )
        .await;
        family(
            &app,
            aid,
            ("Козлова", "Мария", "Ивановна"),
            "1977-07-07",
            "жена",
        )
        .await;
        // A minor son is not capable: not a co-debtor.
        family(
            &app,
            aid,
            ("Козлов", "Артём", "Николаевич"),
            "2015-03-03",
            "сын",
        )
        .await;

        let p = court_packet(&app, &accountant, aid).await;
        let apps = p["applications"].as_array().unwrap().clone();
        assert_eq!(apps.len(), 2, "{p}");
        let own = apps
            .iter()
            .find(|a| a["debtors"].as_array().unwrap().len() == 1)
            .unwrap();
        let joint = apps
            .iter()
            .find(|a| a["debtors"].as_array().unwrap().len() == 2)
            .unwrap();
        assert_eq!(own["debtors"], json!(["Козлов Николай Ростиславович"]));
        assert_eq!(
            joint["debtors"],
            json!(["Козлов Николай Ростиславович", "Козлова Мария Ивановна"])
        );
        // Upkeep and capital repair from the owner alone; utilities jointly; nothing twice.
        assert_eq!(own["debt_kopecks"], 350_001, "{own}");
        assert_eq!(joint["debt_kopecks"], 300_000, "{joint}");
        assert_eq!(p["debt_kopecks"], 650_001);
        assert_eq!(sum(&apps, "debt_kopecks"), 650_001);
        let penalty = account_penalty(&app, aid).await;
        assert!(penalty > 0);
        assert_eq!(sum(&apps, "penalty_kopecks"), penalty, "{p}");
        assert!(
            own["penalty_kopecks"].as_i64().unwrap() > 0
                && joint["penalty_kopecks"].as_i64().unwrap() > 0
        );
        for a in &apps {
            assert_eq!(a["document"]["person_id"], owner);
        }

        let id = |a: &Value| a["document"]["id"].as_i64().unwrap();
        let joint_text = document_text(&app, &accountant, id(joint)).await;
        for part in [
            "солидарно с должников Козлова Николая Ростиславовича и Козловой Марии Ивановны",
            "член семьи собственника",
            "ЖК РФ ст. 31 ч. 3",
            "Задолженность по оплате коммунальных услуг",
            "Пленум ВС РФ № 22",
            &format!("составляет {}", format_rub(300_000)),
        ] {
            assert!(joint_text.contains(part), "{part}: {joint_text}");
        }
        assert!(!joint_text.contains("Артём"), "the minor is no co-debtor");
        assert!(
            !joint_text.contains("Содержание"),
            "no upkeep row: {joint_text}"
        );
        let own_text = document_text(&app, &accountant, id(own)).await;
        for part in [
            "с должника Козлова Николая Ростиславовича в пользу",
            "взносы на капитальный ремонт",
            "отдельным заявлением",
            &format!("составляет {}", format_rub(350_001)),
        ] {
            assert!(own_text.contains(part), "{part}: {own_text}");
        }
        assert!(!own_text.contains("Козловой"), "{own_text}");
        assert!(
            !own_text.contains("Отопление"),
            "no utility row: {own_text}"
        );
    }
);

both!(
    penalties_already_paid_are_not_claimed,
    |app: TestApp| async move {
        let db = app.t.db.clone();
        let accountant = ready_for_court(&app).await;
        let (_, _, aid) = app.seed("ул. Ленина", "5", "22", "810002").await;
        charge(&app, "g.csv", &[("810002", "2025-06", "heating", 500_000)]).await;
        linked(
            &app,
            aid,
            ("Сидоров", "Пётр", "Ильич"),
            "1961-07-04",
            "owner",
            Some("1"),
        )
        .await;
        // Penalties posted for last month, and part of them paid by a payment for penalties.
        let today = chrono::Utc::now().date_naive();
        let last = Period::of(today).plus(-1);
        abonent_storage::ledger::penalties::run_month(
            &db,
            last,
            &Actor::system("тест"),
            &|_, _| {},
        )
        .await
        .unwrap();
        let accrued = abonent_app::ledger::position::position(&db, aid, today)
            .await
            .unwrap()
            .penalties_accrued;
        assert!(accrued > 1, "penalties posted: {accrued}");
        let paid = accrued / 2;
        let r = app
        .api_with(
            &accountant,
            Method::POST,
            "/api/v1/ledger/payments/cash",
            Some(json!({"account_id": aid, "amount": paid, "paid_on": today.to_string(), "receipt_no": "ПКО-9", "for_penalties": true})),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);

        let p = court_packet(&app, &accountant, aid).await;
        let calculated = account_penalty(&app, aid).await;
        assert_eq!(
            p["debt_kopecks"], 500_000,
            "the payment paid penalties, not the debt"
        );
        assert_eq!(p["penalty_kopecks"], calculated - paid, "{p}");
        assert_eq!(p["claim_kopecks"], 500_000 + calculated - paid);
        let text = document_text(&app, &accountant, p["document"]["id"].as_i64().unwrap()).await;
        for part in [
            format!("уже оплачено {}", format_rub(paid)),
            format!("к взысканию — {}", format_rub(calculated - paid)),
            format!(
                "Цена требования: {}",
                format_rub(500_000 + calculated - paid)
            ),
        ] {
            assert!(text.contains(&part), "{part}: {text}");
        }
    }
);

both!(
    family_goes_with_the_owner_whose_relative_they_are,
    |app: TestApp| async move {
        let accountant = ready_for_court(&app).await;
        let (_, _, aid) = app.seed("ул. Ленина", "5", "23", "810003").await;
        charge(
            &app,
            "h.csv",
            &[
                ("810003", "2025-06", "maintenance", 100_000),
                ("810003", "2025-06", "heating", 200_000),
            ],
        )
        .await;
        linked(
            &app,
            aid,
            ("Смирнов", "Олег", "Петрович"),
            "1968-04-04",
            "owner",
            Some("1/2"),
        )
        .await;
        let (second, _) = linked(
            &app,
            aid,
            ("Кузнецова", "Ольга", "Сергеевна"),
            "1972-09-09",
            "owner",
            Some("1/2"),
        )
        .await;

        // «Чей родственник» names only an owner or tenant of this account.
        let stranger = app
            .api(
                Method::POST,
                "/api/v1/persons",
                Some(json!({"last_name": "Чужой", "first_name": "Пётр"})),
            )
            .await
            .json()["id"]
            .as_i64()
            .unwrap();
        let r = app
            .api(Method::POST, "/api/v1/links", Some(json!({"account_id": aid, "person_id": stranger, "role": "registered", "kinship": "брат", "kin_of": stranger.to_string()})))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(r.json()["errors"][0]["field"], "kin_of", "{}", r.body);

        // The son of the second owner answers with her, not with the first owner.
        let (_, son_link) = family_of(
            &app,
            aid,
            ("Кузнецов", "Денис", "Андреевич"),
            "1995-01-01",
            "сын",
            Some(second),
        )
        .await;
        let p = court_packet(&app, &accountant, aid).await;
        let apps = p["applications"].as_array().unwrap().clone();
        let debtors: Vec<Value> = apps.iter().map(|a| a["debtors"].clone()).collect();
        assert_eq!(apps.len(), 3, "{debtors:?}");
        let with = |names: Value| apps.iter().find(|a| a["debtors"] == names).cloned();
        let first = with(json!(["Смирнов Олег Петрович"])).expect("first owner alone");
        let own = with(json!(["Кузнецова Ольга Сергеевна"])).expect("second owner alone");
        let joint = with(json!([
            "Кузнецова Ольга Сергеевна",
            "Кузнецов Денис Андреевич"
        ]))
        .expect("second owner with her son");
        // Half of everything from the first owner; the second owner's half split by kind.
        assert_eq!(first["debt_kopecks"], 150_000, "{first}");
        assert_eq!(own["debt_kopecks"], 50_000, "{own}");
        assert_eq!(joint["debt_kopecks"], 100_000, "{joint}");

        // The link form offers the owners and keeps the choice.
        let r = app
            .get(Role::Specialist, &format!("/links/{son_link}/edit"))
            .await;
        assert_eq!(r.status, StatusCode::OK);
        let page = r.body;
        assert!(
            page.contains(&format!(
                "<option value=\"{second}\" selected>Кузнецова Ольга Сергеевна</option>"
            )),
            "{page}"
        );
        assert!(page.contains("Смирнов Олег Петрович"), "{page}");
    }
);

/// Sets a person's legal capacity through the API, with the court decision as its basis.
async fn set_capacity(
    app: &TestApp,
    pid: i64,
    name: (&str, &str, &str),
    born: &str,
    capacity: &str,
    basis: &str,
) -> (StatusCode, Value) {
    let r = app
        .api(Method::PUT, &format!("/api/v1/persons/{pid}"), Some(json!({"last_name": name.0, "first_name": name.1, "middle_name": name.2, "birth_date": born, "legal_capacity": capacity, "capacity_basis": basis})))
        .await;
    (r.status, r.json())
}

both!(
    capacity_decides_who_answers_with_the_owner,
    |app: TestApp| async move {
        let accountant = ready_for_court(&app).await;
        let (_, _, aid) = app.seed("ул. Ленина", "5", "24", "810004").await;
        charge(
            &app,
            "c.csv",
            &[
                ("810004", "2025-06", "maintenance", 100_000),
                ("810004", "2025-06", "heating", 200_000),
            ],
        )
        .await;
        let owner_name = ("Орлов", "Пётр", "Ильич");
        let (owner, _) = linked(&app, aid, owner_name, "1950-05-05", "owner", Some("1")).await;
        let wife_name = ("Орлова", "Нина", "Павловна");
        let wife = family(&app, aid, wife_name, "1952-02-02", "жена").await;
        let son_name = ("Орлов", "Иван", "Петрович");
        let son = family(&app, aid, son_name, "1990-01-01", "сын").await;

        // Only a court limits capacity: without its decision nothing is saved.
        let (status, body) =
            set_capacity(&app, wife, wife_name, "1952-02-02", "incapable", " ").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(body["errors"][0]["field"], "capacity_basis", "{body}");
        let card = app
            .api(Method::GET, &format!("/api/v1/persons/{wife}"), None)
            .await
            .json();
        assert_eq!(card["person"]["legal_capacity"], "full", "{card}");
        let decision = "Кировский районный суд, дело № 2-77/2024 от 01.02.2024";
        for (pid, name, born, capacity) in [
            (owner, owner_name, "1950-05-05", "incapable"),
            (wife, wife_name, "1952-02-02", "incapable"),
            (son, son_name, "1990-01-01", "limited"),
        ] {
            let (status, body) = set_capacity(&app, pid, name, born, capacity, decision).await;
            assert_eq!(status, StatusCode::OK, "{body}");
        }

        // The wife, declared incapable, answers with nobody; the son, limited, does (ЖК ст. 31
        // ч. 3); the owner stays the debtor of his part, through the guardian.
        let p = court_packet(&app, &accountant, aid).await;
        let apps = p["applications"].as_array().unwrap().clone();
        let debtors: Vec<Value> = apps.iter().map(|a| a["debtors"].clone()).collect();
        assert_eq!(
            debtors,
            [
                json!(["Орлов Пётр Ильич"]),
                json!(["Орлов Пётр Ильич", "Орлов Иван Петрович"])
            ],
            "{p}"
        );
        let joint = document_text(
            &app,
            &accountant,
            apps[1]["document"]["id"].as_i64().unwrap(),
        )
        .await;
        let text = joint.split_whitespace().collect::<Vec<_>>().join(" ");
        for part in [
            "признан судом недееспособным, требование предъявляется через опекуна",
            "ограничен судом в дееспособности",
        ] {
            assert!(text.contains(part), "{part}: {text}");
        }
        assert!(
            !text.contains("Нина"),
            "the incapable wife is no co-debtor: {text}"
        );
        assert!(
            text.contains("Дееспособные и ограниченные судом в дееспособности"),
            "{text}"
        );

        // The card and its history say it in Russian.
        let r = app.get(Role::Specialist, &format!("/persons/{wife}")).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(
            r.body.contains("признан судом недееспособным"),
            "{}",
            r.body
        );
        assert!(r.body.contains("Дееспособность"), "{}", r.body);
        assert!(!r.body.contains("incapable"), "{}", r.body);
    }
);
