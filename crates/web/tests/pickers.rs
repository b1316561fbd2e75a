//! Pickers instead of internal codes (issue 17 §3), on both backends: the suggest answers
//! (labels with the address, the cut flag) on the page and in the API; every former id field
//! submitted with what a picker chose, and without JavaScript with what was typed; no form
//! asks for a «(код)» any more; and the address forms people write find the right account.

mod common;

use abonent_domain::Role;
use axum::http::{Method, StatusCode};
use common::{set_org, TestApp};
use serde_json::{json, Value};
use sqlx::Row;

/// Demo-like accounts: streets with a number in their name, a surname with a street, phones.
struct Demo {
    amundsena: (i64, i64),
    marta: (i64, i64),
    komsomol: (i64, i64),
    lenina_ivanov: (i64, i64),
    lenina_petrov: i64,
    ivanov: i64,
    ivanova: i64,
}

async fn person(app: &TestApp, last: &str, first: &str, phone: &str, account: i64) -> i64 {
    let r = app
        .api(
            Method::POST,
            "/api/v1/persons",
            Some(json!({"last_name": last, "first_name": first, "phones": phone})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.json()["id"].as_i64().unwrap();
    let l = app
        .api(
            Method::POST,
            "/api/v1/links",
            Some(json!({"account_id": account, "person_id": id, "role": "owner"})),
        )
        .await;
    assert_eq!(l.status, StatusCode::CREATED, "{}", l.body);
    id
}

async fn demo(app: &TestApp) -> Demo {
    let (ab, _, a) = app.seed("ул. Амундсена", "9", "12", "100912").await;
    let (mb, _, m) = app.seed("ул. 8 Марта", "12", "3", "100813").await;
    let (kb, _, k) = app.seed("ул. 40-летия Комсомола", "3", "7", "100403").await;
    let (lb, _, l1) = app.seed("ул. Ленина", "5", "1", "100501").await;
    let p = app
        .api(
            Method::POST,
            "/api/v1/premises",
            Some(json!({"building_id": lb, "number": "2", "residential": true})),
        )
        .await;
    assert_eq!(p.status, StatusCode::CREATED, "{}", p.body);
    let a2 = app
        .api(Method::POST, "/api/v1/accounts", Some(json!({"number": "100502", "premises_id": p.json()["id"], "opened_on": "2024-01-01"})))
        .await;
    assert_eq!(a2.status, StatusCode::CREATED, "{}", a2.body);
    let l2 = a2.json()["id"].as_i64().unwrap();
    let ivanov = person(app, "Иванов", "Иван", "8 (343) 212-85-06", l1).await;
    person(app, "Петров", "Пётр", "+7 912 000-11-22", l2).await;
    let ivanova = person(app, "Иванова", "Анна", "+7 912 777-66-55", a).await;
    Demo {
        amundsena: (ab, a),
        marta: (mb, m),
        komsomol: (kb, k),
        lenina_ivanov: (lb, l1),
        lenina_petrov: l2,
        ivanov,
        ivanova,
    }
}

fn enc(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

async fn suggest(app: &TestApp, kind: &str, q: &str) -> Value {
    let r = app
        .get(
            Role::Specialist,
            &format!("/suggest?kind={kind}&q={}", enc(q)),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{kind} {q}: {}", r.body);
    r.json()
}

/// What a picker puts into the form: the first suggestion's id and label.
async fn choose(app: &TestApp, kind: &str, q: &str) -> (String, String) {
    let j = suggest(app, kind, q).await;
    let first = &j["items"][0];
    assert!(first["id"].is_i64(), "{kind} «{q}»: nothing suggested: {j}");
    (
        first["id"].as_i64().unwrap().to_string(),
        first["label"].as_str().unwrap().to_string(),
    )
}

fn ids(j: &Value) -> Vec<i64> {
    j["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_i64().unwrap())
        .collect()
}

both!(address_forms_find_the_account, |app: TestApp| async move {
    let d = demo(&app).await;
    for (q, want) in [
        ("Амундсена,9-12", d.amundsena.1),
        ("ул. Амундсена 9/12", d.amundsena.1),
        ("Амундсена д. 9 кв. 12", d.amundsena.1),
        ("8 Марта 12", d.marta.1),
        ("ул. 8 Марта, д. 12, кв. 3", d.marta.1),
        ("40-летия Комсомола 3", d.komsomol.1),
        ("Иванов Ленина", d.lenina_ivanov.1),
        ("100912", d.amundsena.1),
    ] {
        let j = suggest(&app, "account", q).await;
        assert_eq!(ids(&j).first(), Some(&want), "«{q}»: {j}");
        // The search page finds it too.
        let page = app
            .get(Role::Specialist, &format!("/search?q={}", enc(q)))
            .await;
        assert!(
            page.body.contains(&format!("/accounts/{want}\"")),
            "search «{q}»: {}",
            page.body
        );
    }
    // A surname with a street is that person's account, not the neighbour's.
    let j = suggest(&app, "account", "Иванов Ленина").await;
    assert!(!ids(&j).contains(&d.lenina_petrov), "{j}");
    // Part of a phone: the last digits, a local number without the city code.
    for q in ["85-06", "212-85-06", "2128506", "8 (343) 212-85-06"] {
        let j = suggest(&app, "person", q).await;
        assert_eq!(ids(&j), vec![d.ivanov], "«{q}»: {j}");
        let page = app
            .get(Role::Specialist, &format!("/search?q={}", enc(q)))
            .await;
        assert!(
            page.body.contains(&format!("/persons/{}\"", d.ivanov)),
            "search «{q}»: {}",
            page.body
        );
    }
    // People are shown with their address; found by the address too.
    let j = suggest(&app, "person", "Иванов").await;
    let labels: Vec<&str> = j["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert!(
        labels.contains(&"Иванов Иван — г. Екатеринбург, ул. Ленина, д. 5, кв. 1"),
        "{j}"
    );
    assert!(
        labels
            .iter()
            .any(|l| l.starts_with("Иванова Анна — ") && l.contains("Амундсена")),
        "{j}"
    );
    assert_eq!(
        ids(&suggest(&app, "person", "Ленина 5 1").await),
        vec![d.ivanov]
    );
    // Buildings by street and house, a number-named street included.
    assert_eq!(
        ids(&suggest(&app, "building", "8 Марта 12").await),
        vec![d.marta.0]
    );
    assert_eq!(
        ids(&suggest(&app, "building", "Ленина 5").await),
        vec![d.lenina_ivanov.0]
    );
});

both!(suggest_answers_and_cuts, |app: TestApp| async move {
    let d = demo(&app).await;
    let j = suggest(&app, "account", "Амундсена 9-12").await;
    assert_eq!(
        j["items"][0]["label"],
        "ЛС 100912 — г. Екатеринбург, ул. Амундсена, д. 9, кв. 12"
    );
    assert_eq!(
        j["items"][0]["address"],
        "г. Екатеринбург, ул. Амундсена, д. 9, кв. 12"
    );
    assert_eq!(j["cut"], false);
    assert_eq!(j["note"], "");
    // Two accounts on Ленина, one shown: the answer says it is cut.
    let r = app
        .get(
            Role::Specialist,
            &format!("/suggest?kind=account&q={}&limit=1", enc("Ленина")),
        )
        .await;
    let j = r.json();
    assert_eq!(j["items"].as_array().unwrap().len(), 1, "{j}");
    assert_eq!(j["cut"], true);
    assert_eq!(j["note"], "показаны первые 1 — уточните запрос");
    // The API: the same answer, declared in the OpenAPI document with query parameters.
    let r = app
        .api(
            Method::GET,
            &format!("/api/v1/suggest?kind=account&q={}", enc("8 Марта 12")),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(ids(&r.json()), vec![d.marta.1]);
    let r = app
        .api(Method::GET, "/api/v1/suggest?kind=nope&q=x", None)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.json()["errors"][0]["field"], "kind");
    let doc = app.api(Method::GET, "/api/v1/openapi.json", None).await;
    let op = &doc.json()["paths"]["/api/v1/suggest"]["get"];
    assert!(
        op["summary"].as_str().unwrap().starts_with("Подсказки"),
        "{op}"
    );
    for p in op["parameters"].as_array().unwrap() {
        assert_eq!(p["in"], "query", "{p}");
    }
    // A contractor sees no people.
    let r = app
        .get(
            Role::Contractor,
            &format!("/suggest?kind=person&q={}", enc("Иванов")),
        )
        .await;
    assert!(r.status.is_client_error(), "{}", r.body);
    // The header search as you type: records with their links.
    let j = suggest(&app, "search", "Иванов Ленина").await;
    assert_eq!(
        j["items"][0]["href"],
        format!("/accounts/{}", d.lenina_ivanov.1),
        "{j}"
    );
    // The search page says when it is cut.
    for i in 0..51 {
        app.seed(
            "ул. Широкая",
            &(i + 1).to_string(),
            "1",
            &format!("5{i:05}"),
        )
        .await;
    }
    let page = app
        .get(Role::Specialist, &format!("/search?q={}", enc("Широкая")))
        .await;
    assert!(
        page.body.contains("показаны первые 50 — уточните запрос"),
        "{}",
        page.body
    );
});

/// The forms that used to ask for an id: none asks for a code now.
const FORMS: &[&str] = &[
    "/correspondence/incoming/new",
    "/correspondence/outgoing/new",
    "/debtors",
    "/turnover",
    "/admin/templates/account_statement",
    "/admin/assignment-rules",
    "/admin/pd-access",
];

both!(letters_take_picked_records, |app: TestApp| async move {
    let d = demo(&app).await;
    for path in FORMS {
        let page = app.get(Role::Administrator, path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}: {}", page.body);
        for code in ["(код)", "Код дома", "(номер)", "(id)"] {
            assert!(!page.body.contains(code), "{path}: «{code}»");
        }
    }
    // Incoming: the account and the person chosen through the suggest answers.
    let (aid, alabel) = choose(&app, "account", "Амундсена,9-12").await;
    let (pid, plabel) = choose(&app, "person", "85-06").await;
    // The test organization's zone is the default (Asia/Yekaterinburg).
    let today = chrono::Utc::now()
        .with_timezone(&chrono_tz::Asia::Yekaterinburg)
        .date_naive()
        .to_string();
    let r = app
        .page(
            Role::Specialist,
            Method::POST,
            "/correspondence/incoming",
            &[
                ("received_on", today.as_str()),
                ("sender_kind", "person"),
                ("sender_name", "Иванов Иван"),
                ("subject", "Перерасчёт за отопление"),
                ("account_id", aid.as_str()),
                ("account_id__pick", alabel.as_str()),
                ("person_id", pid.as_str()),
                ("person_id__pick", plabel.as_str()),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let inc: i64 = r
        .location()
        .split('/')
        .nth(3)
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let row =
        sqlx::query("SELECT account_id, person_id, number FROM incoming_letters WHERE id = $1")
            .bind(inc)
            .fetch_one(app.t.db.read())
            .await
            .unwrap();
    assert_eq!(row.get::<Option<i64>, _>(0), Some(d.amundsena.1));
    assert_eq!(row.get::<Option<i64>, _>(1), Some(d.ivanov));
    let number: String = row.get(2);
    // Shown again: the label, never the id alone.
    let edit = app
        .get(
            Role::Specialist,
            &format!("/correspondence/incoming/{inc}/edit"),
        )
        .await;
    assert!(
        edit.body.contains(&format!("value=\"{alabel}\"")),
        "{}",
        edit.body
    );
    assert!(
        edit.body.contains(&format!("value=\"{plabel}\"")),
        "{}",
        edit.body
    );

    // Without JavaScript: an account number typed is taken; an address with two accounts
    // and a street that does not exist are named at the field.
    let r = app
        .page(
            Role::Specialist,
            Method::POST,
            &format!("/correspondence/incoming/{inc}"),
            &[
                ("received_on", today.as_str()),
                ("sender_kind", "person"),
                ("sender_name", "Иванов Иван"),
                ("subject", "Перерасчёт за отопление"),
                ("account_id", aid.as_str()),
                ("account_id__pick", "100813"),
                ("person_id", ""),
                ("person_id__pick", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let row = sqlx::query("SELECT account_id, person_id FROM incoming_letters WHERE id = $1")
        .bind(inc)
        .fetch_one(app.t.db.read())
        .await
        .unwrap();
    assert_eq!(row.get::<Option<i64>, _>(0), Some(d.marta.1));
    assert_eq!(row.get::<Option<i64>, _>(1), None);
    for (typed, says) in [
        ("Ленина 5", "найдено несколько — выберите из списка"),
        ("Несуществующая 99", "ничего не найдено"),
    ] {
        let r = app
            .page(
                Role::Specialist,
                Method::POST,
                "/correspondence/incoming",
                &[
                    ("received_on", today.as_str()),
                    ("sender_kind", "person"),
                    ("sender_name", "Иванов Иван"),
                    ("subject", "Вопрос"),
                    ("account_id", ""),
                    ("account_id__pick", typed),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{typed}");
        assert!(r.body.contains(says), "{typed}: {}", r.body);
        assert!(r.body.contains(&format!("value=\"{typed}\"")), "{}", r.body);
    }

    // Outgoing: the incoming letter answered, an archive document, account and person.
    set_org(&app.t.db).await;
    let doc = app
        .api(
            Method::POST,
            "/api/v1/documents",
            Some(json!({"kind": "account_statement", "account_id": d.amundsena.1})),
        )
        .await;
    assert_eq!(doc.status, StatusCode::CREATED, "{}", doc.body);
    let doc_number = doc.json()["number"].as_str().unwrap().to_string();
    let (lid, llabel) = choose(&app, "letter", &number).await;
    assert_eq!(lid, inc.to_string());
    assert!(
        llabel.starts_with(&format!("Вх. № {number} от ")),
        "{llabel}"
    );
    let (did, dlabel) = choose(&app, "document", "Амундсена").await;
    assert!(
        dlabel.contains(&doc_number) && dlabel.contains("кв. 12"),
        "{dlabel}"
    );
    let (aid2, alabel2) = choose(&app, "account", "40-летия Комсомола 3").await;
    let (pid2, plabel2) = choose(&app, "person", "Иванова Амундсена").await;
    let r = app
        .page(
            Role::Specialist,
            Method::POST,
            "/correspondence/outgoing",
            &[
                ("sent_on", today.as_str()),
                ("addressee", "Иванову И."),
                ("subject", "Ответ"),
                ("method", "post"),
                ("answers_incoming_id", lid.as_str()),
                ("answers_incoming_id__pick", llabel.as_str()),
                ("document_id", did.as_str()),
                ("document_id__pick", dlabel.as_str()),
                ("account_id", aid2.as_str()),
                ("account_id__pick", alabel2.as_str()),
                ("person_id", pid2.as_str()),
                ("person_id__pick", plabel2.as_str()),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let out: i64 = r
        .location()
        .split('/')
        .nth(3)
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let row = sqlx::query(
        "SELECT answers_incoming_id, document_id, account_id, person_id FROM outgoing_letters WHERE id = $1",
    )
    .bind(out)
    .fetch_one(app.t.db.read())
    .await
    .unwrap();
    assert_eq!(row.get::<Option<i64>, _>(0), Some(inc));
    assert_eq!(row.get::<Option<i64>, _>(1), Some(did.parse().unwrap()));
    assert_eq!(row.get::<Option<i64>, _>(2), Some(d.komsomol.1));
    assert_eq!(row.get::<Option<i64>, _>(3), Some(d.ivanova));
    let edit = app
        .get(
            Role::Specialist,
            &format!("/correspondence/outgoing/{out}/edit"),
        )
        .await;
    for l in [&llabel, &dlabel, &alabel2, &plabel2] {
        assert!(
            edit.body.contains(&format!("value=\"{l}\"")),
            "{l}: {}",
            edit.body
        );
    }
});

both!(
    filters_and_settings_take_picked_records,
    |app: TestApp| async move {
        let d = demo(&app).await;
        // Debtors by building: chosen, or typed without JavaScript; shown by its address.
        let (bid, blabel) = choose(&app, "building", "Амундсена 9").await;
        assert_eq!(bid, d.amundsena.0.to_string());
        for q in [
            format!("building_id={bid}&building_id__pick={}", enc(&blabel)),
            format!("building_id=&building_id__pick={}", enc("Амундсена 9")),
            format!("building_id={bid}"),
        ] {
            let r = app.get(Role::Accountant, &format!("/debtors?{q}")).await;
            assert_eq!(r.status, StatusCode::OK, "{q}: {}", r.body);
            assert!(
                r.body.contains(&format!("value=\"{blabel}\"")),
                "{q}: {}",
                r.body
            );
            assert!(
                r.body
                    .contains(&format!("name=\"building_id\" value=\"{bid}\"")),
                "{q}"
            );
        }
        let r = app
            .get(
                Role::Accountant,
                &format!(
                    "/debtors?building_id=&building_id__pick={}",
                    enc("Нет такой 1")
                ),
            )
            .await;
        assert!(r.body.contains("ничего не найдено"), "{}", r.body);

        // Turnover by building and by account.
        let r = app
            .get(
                Role::Accountant,
                &format!(
                    "/turnover?scope=building&building_id={bid}&building_id__pick={}",
                    enc(&blabel)
                ),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(
            r.body.contains(&format!("value=\"{blabel}\"")),
            "{}",
            r.body
        );
        let r = app
            .get(
                Role::Accountant,
                &format!(
                    "/turnover?scope=account&account_id=&account_id__pick={}",
                    enc("8 Марта 12")
                ),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(r.body.contains("ЛС 100813 — "), "{}", r.body);

        // A template previewed on an account chosen by address (checked only: no PDF needed).
        let (aid, alabel) = choose(&app, "account", "8 Марта 12").await;
        let r = app
            .page(
                Role::Administrator,
                Method::POST,
                "/admin/templates/account_statement",
                &[
                    ("action", "check"),
                    ("source", "#let d = 1\n"),
                    ("account_id", aid.as_str()),
                    ("account_id__pick", alabel.as_str()),
                ],
            )
            .await;
        assert!(
            r.body.contains(&format!("value=\"{alabel}\"")),
            "{}",
            r.body
        );
        let r = app
            .page(
                Role::Administrator,
                Method::POST,
                "/admin/templates/account_statement",
                &[
                    ("action", "preview"),
                    ("source", "#let d = 1\n"),
                    ("account_id", ""),
                    ("account_id__pick", "Ленина 5"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("найдено несколько"), "{}", r.body);

        // An assignment rule for a building chosen by a number-named street.
        let (mb, mlabel) = choose(&app, "building", "8 Марта 12").await;
        let staff: i64 = sqlx::query("SELECT id FROM users WHERE login = 'specialist'")
            .fetch_one(app.t.db.read())
            .await
            .unwrap()
            .get(0);
        let r = app
            .page(
                Role::Administrator,
                Method::POST,
                "/admin/assignment-rules",
                &[
                    ("building_id", mb.as_str()),
                    ("building_id__pick", mlabel.as_str()),
                    ("target", &format!("staff:{staff}")),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let saved: Option<i64> =
            sqlx::query("SELECT building_id FROM assignment_rules ORDER BY id DESC LIMIT 1")
                .fetch_one(app.t.db.read())
                .await
                .unwrap()
                .get(0);
        assert_eq!(saved, Some(d.marta.0));

        // The personal-data access log filtered by a person chosen by phone.
        let (pid, plabel) = choose(&app, "person", "212-85-06").await;
        let r = app
            .get(
                Role::Auditor,
                &format!(
                    "/admin/pd-access?person={pid}&person__pick={}",
                    enc(&plabel)
                ),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(
            r.body.contains(&format!("value=\"{plabel}\"")),
            "{}",
            r.body
        );
        assert_eq!(pid, d.ivanov.to_string());
    }
);
