//! Documents through the API and the pages on both backends: each kind is issued, its stored
//! PDF downloaded and read back with pdftotext; bad input answers problem+json (or the form
//! again) with no document stored and no number consumed; templates are checked, previewed,
//! used and reverted.

mod common;

use common::{download, pdf_text, set_org};

use abonent_domain::Role;
use abonent_storage::documents::{self, templates};
use abonent_storage::{numbering, settings, Actor, Db};
use axum::http::{Method, StatusCode};
use serde_json::json;

/// An account with an owner who is registered, his registered son and the owner's benefit.
async fn people(app: &common::TestApp) -> (i64, i64, i64) {
    let (_, _, aid) = app.seed("ул. Ленина", "1", "5", "1001").await;
    let mut ids = Vec::new();
    for (last, first, middle, born) in [
        ("Иванов", "Иван", "Иванович", "1970-03-15"),
        ("Иванов", "Пётр", "Иванович", "2001-12-30"),
    ] {
        let r = app
            .api(Method::POST, "/api/v1/persons", Some(json!({"last_name": last, "first_name": first, "middle_name": middle, "birth_date": born})))
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        ids.push(r.json()["id"].as_i64().unwrap());
    }
    for (pid, role, share) in [
        (ids[0], "owner", Some("1")),
        (ids[0], "registered", None),
        (ids[1], "registered", None),
    ] {
        let r = app
            .api(Method::POST, "/api/v1/links", Some(json!({"account_id": aid, "person_id": pid, "role": role, "share": share, "from_date": "2010-05-01"})))
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    }
    let r = app
        .api(Method::POST, "/api/v1/benefits", Some(json!({"person_id": ids[0], "category": "Ветеран труда", "document": "удостоверение ВТ № 123456", "from_date": "2020-01-01"})))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    (aid, ids[0], ids[1])
}

fn year2() -> String {
    chrono::Utc::now().format("%y").to_string()
}

both!(issue_each_kind_via_api, |app: common::TestApp| async move {
    let db = app.t.db.clone();
    set_org(&db).await;
    let (aid, owner, son) = people(&app).await;
    let yy = year2();

    let r = app
        .api(
            Method::POST,
            "/api/v1/documents",
            Some(json!({"kind": "registration_certificate", "account_id": aid, "person_id": son})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let cert = r.json();
    assert_eq!(cert["number"], format!("С-1/{yy}"));
    let text = pdf_text(&download(&app, cert["id"].as_i64().unwrap()).await);
    assert!(text.contains("СПРАВКА О РЕГИСТРАЦИИ"), "{text}");
    assert!(text.contains(&format!("№ С-1/{yy}")), "{text}");
    assert!(text.contains("Иванов Пётр Иванович"), "{text}");
    assert!(text.contains("30.12.2001"), "{text}");
    assert!(text.contains("зарегистрированы (2 чел.)"), "{text}");
    assert!(text.contains("ИНН 7701234560"), "{text}");

    let r = app
        .api(
            Method::POST,
            "/api/v1/documents",
            Some(json!({"kind": "account_statement", "account_id": aid})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let text = pdf_text(&download(&app, r.json()["id"].as_i64().unwrap()).await);
    for s in [
        "ВЫПИСКА ИЗ ЛИЦЕВОГО СЧЁТА",
        "54,3 м²",
        "Ветеран труда",
        "собственник",
        "1001",
    ] {
        assert!(text.contains(s), "{s}: {text}");
    }

    let r = app
        .api(Method::POST, "/api/v1/documents", Some(json!({"kind": "payment_document", "account_id": aid, "period": "2026-11", "amount": "1 234,56"})))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let pay = r.json();
    assert_eq!(pay["person_id"], owner, "the owner pays by default");
    assert_eq!(pay["data"]["amount_kopecks"], 123456);
    let text = pdf_text(&download(&app, pay["id"].as_i64().unwrap()).await);
    assert!(text.contains("1 234,56 ₽"), "{text}");
    assert!(
        text.contains("одна тысяча двести тридцать четыре рубля 56 копеек"),
        "{text}"
    );
    assert!(
        text.contains("Оплата ЖКУ за ноябрь 2026 г., л/с 1001"),
        "{text}"
    );

    let r = app
        .api(Method::POST, "/api/v1/documents", Some(json!({"kind": "letter", "person_id": owner, "addressee": "Иванову И. И.\nг. Екатеринбург, ул. Ленина, д. 1, кв. 5", "subject": "О перерасчёте", "body": "Первый абзац письма.\n\nВторой абзац письма.", "method": "hand"})))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let letter = r.json();
    assert_eq!(
        letter["number"],
        format!("Исх-1/{yy}"),
        "the outgoing number"
    );
    let out_id = letter["outgoing_id"]
        .as_i64()
        .expect("registered as outgoing");
    let out = abonent_storage::correspondence::outgoing::get(&db, out_id)
        .await
        .unwrap();
    assert_eq!(out.data.document_id, letter["id"].as_i64());
    assert_eq!(out.data.subject, "О перерасчёте");
    let text = pdf_text(&download(&app, letter["id"].as_i64().unwrap()).await);
    assert!(text.contains(&format!("Исх. № Исх-1/{yy}")), "{text}");
    assert!(text.contains("Второй абзац письма."), "{text}");

    // Listing, the card and an unchanged reprint.
    let list = app
        .api(
            Method::GET,
            &format!("/api/v1/documents?account_id={aid}"),
            None,
        )
        .await;
    assert_eq!(list.json()["total"], 3, "{}", list.body);
    let id = cert["id"].as_i64().unwrap();
    assert_eq!(download(&app, id).await, download(&app, id).await);
    let card = app
        .api(Method::GET, &format!("/api/v1/documents/{id}"), None)
        .await;
    assert_eq!(card.json()["sha256"], cert["sha256"]);
    assert_eq!(card.json()["corrected_by"], json!([]));
});

both!(
    issue_via_pages_and_correct,
    |app: common::TestApp| async move {
        let db = app.t.db.clone();
        set_org(&db).await;
        let (aid, owner, son_id) = people(&app).await;
        // The account card offers the documents panel; the panel has the forms.
        let card = app.get(Role::Specialist, &format!("/accounts/{aid}")).await;
        assert!(card
            .body
            .contains(&format!("/accounts/{aid}/documents?part=1")));
        let panel = app
            .get(
                Role::Specialist,
                &format!("/accounts/{aid}/documents?part=1"),
            )
            .await;
        assert_eq!(panel.status, StatusCode::OK);
        assert!(panel.body.contains("Выдать справку"), "{}", panel.body);

        let r = app
            .page(
                Role::Specialist,
                Method::POST,
                &format!("/accounts/{aid}/documents"),
                &[
                    ("kind", "payment_document"),
                    ("period", "2026-11"),
                    ("amount", "500"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let loc = r.location();
        assert!(loc.ends_with("?saved=issued"), "{loc}");
        let page = app.get(Role::Specialist, &loc).await;
        assert!(page.body.contains("Документ выпущен"), "{}", page.body);
        let id: i64 = loc
            .trim_start_matches("/documents/")
            .split('?')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let pdf = app
            .get(Role::Auditor, &format!("/documents/{id}/pdf"))
            .await;
        assert_eq!(pdf.status, StatusCode::OK);
        assert_eq!(pdf.headers["content-type"], "application/pdf");
        assert!(pdf_text(&download(&app, id).await).contains("500,00 ₽"));

        // A corrected copy: new number, points to the original, which stays as it was.
        let original = download(&app, id).await;
        let form = app
            .get(Role::Specialist, &format!("/documents/{id}/correct"))
            .await;
        assert!(
            form.body.contains("500,00") || form.body.contains("value=\"500"),
            "{}",
            form.body
        );
        let r = app
            .page(
                Role::Specialist,
                Method::POST,
                &format!("/documents/{id}/correct"),
                &[
                    ("period", "2026-11"),
                    ("amount", "650,10"),
                    ("person_id", &owner.to_string()),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let new_id: i64 = r
            .location()
            .trim_start_matches("/documents/")
            .split('?')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let new = documents::get(&db, new_id).await.unwrap();
        assert_eq!(new.corrects_id, Some(id));
        assert!(pdf_text(&download(&app, new_id).await).contains("650,10 ₽"));
        assert_eq!(
            download(&app, id).await,
            original,
            "the original is unchanged"
        );
        let old_card = app.get(Role::Auditor, &format!("/documents/{id}")).await;
        assert!(
            old_card.body.contains(&new.number),
            "corrected-by link: {}",
            old_card.body
        );

        // Справка and выписка from the person's panel (the person is remembered).
        let son = son_id;
        for kind in ["registration_certificate", "account_statement"] {
            let r = app
                .page(
                    Role::Specialist,
                    Method::POST,
                    &format!("/accounts/{aid}/documents"),
                    &[("kind", kind), ("person_id", &son.to_string())],
                )
                .await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{kind}: {}", r.body);
            let id: i64 = r
                .location()
                .trim_start_matches("/documents/")
                .split('?')
                .next()
                .unwrap()
                .parse()
                .unwrap();
            let d = documents::get(&db, id).await.unwrap();
            assert_eq!((d.kind.as_str(), d.person_id), (kind, Some(son)));
            assert!(pdf_text(&download(&app, id).await).contains("Иванов Пётр Иванович"));
        }

        // The free-form letter from its page.
        let r = app
            .page(
                Role::Specialist,
                Method::POST,
                "/documents/letter",
                &[
                    ("addressee", "Петрову П. П."),
                    ("subject", "Об отключении воды"),
                    ("body", "Сообщаем о плановом отключении."),
                    ("method", "post"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let list = app.get(Role::Auditor, "/documents?kind=letter").await;
        assert!(
            list.body.contains("Письмо: Об отключении воды"),
            "{}",
            list.body
        );
        // The person's panel lists what was issued for them.
        let mine = app
            .get(
                Role::Specialist,
                &format!("/persons/{owner}/documents?part=1"),
            )
            .await;
        assert!(
            mine.body.contains("Квитанция за ноябрь 2026"),
            "{}",
            mine.body
        );
    }
);

async fn counters(db: &Db) -> (i64, i64) {
    let y = chrono::Utc::now().format("%Y").to_string().parse().unwrap();
    (
        documents::count(db).await.unwrap(),
        numbering::last(db, "doc.payment_document", y)
            .await
            .unwrap(),
    )
}

both!(
    bad_input_issues_nothing,
    |app: common::TestApp| async move {
        let db = app.t.db.clone();
        set_org(&db).await;
        let (aid, _, _) = people(&app).await;
        let before = counters(&db).await;
        let pay = |extra: serde_json::Value| {
            let mut j = json!({"kind": "payment_document", "account_id": aid, "period": "2026-11", "amount": "100"});
            for (k, v) in extra.as_object().unwrap() {
                j[k] = v.clone();
            }
            j
        };
        let problem = |r: &common::Resp, field: &str| -> String {
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
            assert_eq!(r.headers["content-type"], "application/problem+json");
            r.json()["errors"]
                .as_array()
                .unwrap()
                .iter()
                .find(|e| e["field"] == field)
                .unwrap_or_else(|| panic!("no error for {field}: {}", r.body))["message"]
                .as_str()
                .unwrap()
                .to_string()
        };
        let r = app
            .api(
                Method::POST,
                "/api/v1/documents",
                Some(pay(json!({"amount_kopecks": 0}))),
            )
            .await;
        assert!(problem(&r, "amount_kopecks").contains("больше нуля"));
        let r = app
            .api(
                Method::POST,
                "/api/v1/documents",
                Some(pay(json!({"amount": "-5"}))),
            )
            .await;
        assert!(problem(&r, "amount_kopecks").contains("больше нуля"));
        let r = app
            .api(
                Method::POST,
                "/api/v1/documents",
                Some(pay(json!({"purpose": "Оплата ".repeat(40)}))),
            )
            .await;
        assert!(problem(&r, "purpose").contains("210"));
        let r = app
            .api(
                Method::POST,
                "/api/v1/documents",
                Some(pay(json!({"period": "13.2026"}))),
            )
            .await;
        problem(&r, "period");
        let r = app
            .api(
                Method::POST,
                "/api/v1/documents",
                Some(json!({"kind": "справка"})),
            )
            .await;
        problem(&r, "kind");
        // No BIC in the organization's details.
        settings::set(&db, "org.bic", "", "тест").await.unwrap();
        let r = app
            .api(Method::POST, "/api/v1/documents", Some(pay(json!({}))))
            .await;
        assert!(problem(&r, "org.bic").contains("БИК"));
        // The same through the page: the form again, with the message.
        let r = app
            .page(
                Role::Specialist,
                Method::POST,
                &format!("/accounts/{aid}/documents"),
                &[
                    ("kind", "payment_document"),
                    ("period", "2026-11"),
                    ("amount", "100"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("БИК"), "{}", r.body);
        assert_eq!(counters(&db).await, before, "no document, no number");
        set_org(&db).await;

        // A broken template stored behind the check's back: refused at issue, line named.
        let broken =
            "#import \"/common.typ\": *\n#let d = json(\"/data.json\")\n#d.no_such_field\n";
        templates::save(
            &db,
            "payment_document",
            broken,
            None,
            &Actor::system("тест"),
        )
        .await
        .unwrap();
        let r = app
            .api(Method::POST, "/api/v1/documents", Some(pay(json!({}))))
            .await;
        let msg = problem(&r, "template");
        assert!(msg.contains("строка 3"), "{msg}");
        assert_eq!(counters(&db).await, before, "no document, no number");
        templates::revert(&db, "payment_document", &Actor::system("тест"))
            .await
            .unwrap();
        let r = app
            .api(Method::POST, "/api/v1/documents", Some(pay(json!({}))))
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        assert_eq!(r.json()["seq"], before.1 + 1, "gapless");
    }
);

both!(
    templates_are_checked_previewed_and_reverted,
    |app: common::TestApp| async move {
        let db = app.t.db.clone();
        set_org(&db).await;
        let (aid, _, _) = people(&app).await;
        let admin = |method: Method, path: String, body: Option<serde_json::Value>| {
            let s = &app.sessions[&Role::Administrator];
            axum::http::Request::builder()
                .method(method)
                .uri(path)
                .header("cookie", &s.cookie)
                .header("x-csrf-token", &s.csrf)
                .header("content-type", "application/json")
                .body(
                    body.map(|b| axum::body::Body::from(b.to_string()))
                        .unwrap_or_default(),
                )
                .unwrap()
        };
        // A broken upload is refused with its line; nothing changes.
        let r = app
            .send(admin(
                Method::PUT,
                "/api/v1/document-templates/registration_certificate".into(),
                Some(json!({"source": "= Справка\n\n#(1 +\n"})),
            ))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(
            r.json()["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains("строка"),
            "{}",
            r.body
        );
        assert!(templates::current(&db, "registration_certificate")
            .await
            .unwrap()
            .is_none());
        // A good one is saved and used for new documents.
        let source = format!(
            "{}\nОТМЕТКА АДМИНИСТРАТОРА\n",
            abonent_documents::DocKind::RegistrationCertificate
                .template()
                .source
        );
        let r = app
            .send(admin(
                Method::PUT,
                "/api/v1/document-templates/registration_certificate".into(),
                Some(json!({"source": source, "note": "отметка"})),
            ))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(r.json()["current"]["version_id"].as_i64().is_some());
        let r = app
            .send(admin(
                Method::POST,
                "/api/v1/document-templates/registration_certificate/preview".into(),
                Some(json!({"account_id": aid})),
            ))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.headers["content-type"], "application/pdf");
        let r = app
            .api(
                Method::POST,
                "/api/v1/documents",
                Some(json!({"kind": "registration_certificate", "account_id": aid})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let doc = r.json();
        assert!(doc["template_version_id"].as_i64().is_some());
        assert!(pdf_text(&download(&app, doc["id"].as_i64().unwrap()).await)
            .contains("ОТМЕТКА АДМИНИСТРАТОРА"));
        // The page shows an error with its line and does not save.
        let r = app
            .page(
                Role::Administrator,
                Method::POST,
                "/admin/templates/letter",
                &[
                    ("action", "save"),
                    (
                        "source",
                        "#import \"/common.typ\": *\n#let d = json(\"/data.json\")\n\n#d.nope\n",
                    ),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("Строка 4"), "{}", r.body);
        assert!(templates::current(&db, "letter").await.unwrap().is_none());
        let list = app.get(Role::Administrator, "/admin/templates").await;
        assert!(list.body.contains("изменён"), "{}", list.body);
        // Revert: back to the shipped template, recorded in the log.
        let r = app
            .page(
                Role::Administrator,
                Method::POST,
                "/admin/templates/registration_certificate/revert",
                &[],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert!(templates::current(&db, "registration_certificate")
            .await
            .unwrap()
            .is_none());
        let info = app
            .send(admin(
                Method::GET,
                "/api/v1/document-templates/registration_certificate".into(),
                None,
            ))
            .await;
        let actions: Vec<String> = info.json()["versions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["action"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(actions, vec!["revert", "upload"]);
        // The already issued document still prints as issued.
        assert!(pdf_text(&download(&app, doc["id"].as_i64().unwrap()).await)
            .contains("ОТМЕТКА АДМИНИСТРАТОРА"));
    }
);
