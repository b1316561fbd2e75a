//! Personal data under 152-ФЗ (issue 16 §3): every answer that shows people — cards, lists,
//! search, histories, exports, pages and API alike — is one entry of the access log naming
//! them; lists mask contacts; the auditor reads the log (filters, XLSX); a person's export
//! holds everything about them and is logged too.

mod common;

use std::collections::BTreeSet;
use std::io::Cursor;

use abonent_domain::Role;
use abonent_storage::pd_access::{self, AccessEntry, AccessFilter};
use abonent_storage::registry::PageReq;
use axum::http::{Method, StatusCode};
use calamine::{Data, Reader, Xlsx};
use serde_json::json;

use common::TestApp;

/// Three people: the owner of account 100001, one registered there, and one linked to
/// nothing. Made in storage, so that the log starts empty.
async fn people(app: &TestApp) -> (i64, [i64; 3]) {
    use abonent_domain::registry::{LinkData, LinkRole, PersonForm, Share};
    use abonent_storage::registry::{link, person};
    let (_, _, aid) = app.seed("ул. Ленина", "5", "12", "100001").await;
    let actor = abonent_storage::Actor::system("тест");
    let mut ids = [0; 3];
    for (i, (last, phone, doc)) in [
        ("Семёнов", "8 (912) 345-67-89", "паспорт 6512 345678"),
        ("Кузнецова", "+7 912 000-11-22", "паспорт 6500 111222"),
        ("Орлов", "8 343 200-30-40", ""),
    ]
    .into_iter()
    .enumerate()
    {
        let d = PersonForm {
            last_name: Some(last.into()),
            first_name: Some("Пётр".into()),
            phones: Some(phone.into()),
            email: Some("petr@example.ru".into()),
            id_document: Some(doc.into()),
            birth_date: Some("1980-05-01".into()),
            ..Default::default()
        }
        .validate(chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap())
        .unwrap();
        ids[i] = person::create(&app.t.db, &d, &actor).await.unwrap();
    }
    for (pid, role, share) in [
        (ids[0], LinkRole::Owner, Some(Share::WHOLE)),
        (ids[1], LinkRole::Registered, None),
    ] {
        let d = LinkData {
            account_id: aid,
            person_id: pid,
            role,
            share,
            from_date: None,
            to_date: None,
            registration: Default::default(),
        };
        link::create_link(&app.t.db, &d, &actor).await.unwrap();
    }
    assert!(entries(app).await.is_empty());
    (aid, ids)
}

async fn entries(app: &TestApp) -> Vec<AccessEntry> {
    pd_access::list(
        &app.t.db,
        &AccessFilter::default(),
        PageReq::new(None, Some(500)),
    )
    .await
    .unwrap()
    .items
}

/// Calls `call` and checks that it answered 200 and added exactly one entry, through `via`,
/// naming exactly `people`; gives the answer and the entry.
async fn logged<F, Fut>(
    app: &TestApp,
    via: &str,
    people: &[i64],
    call: F,
) -> (common::Resp, AccessEntry)
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = common::Resp>,
{
    let before = entries(app).await.len();
    let r = call().await;
    assert_eq!(r.status, StatusCode::OK, "{via}: {}", r.body);
    let mut after = entries(app).await;
    assert_eq!(after.len(), before + 1, "{via}: one entry per answer");
    let e = after.swap_remove(0);
    assert_eq!(e.via, via);
    let named: BTreeSet<i64> = e.people.iter().map(|p| p.id).collect();
    assert_eq!(
        named,
        people.iter().copied().collect::<BTreeSet<_>>(),
        "{via}: the people shown"
    );
    (r, e)
}

/// [`logged`], for answers that show registry people only.
async fn logs_one<F, Fut>(app: &TestApp, via: &str, expect: &[i64], call: F)
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = common::Resp>,
{
    logged(app, via, expect, call).await;
}

both!(
    every_answer_showing_people_is_one_entry_naming_them,
    |app: TestApp| async move {
        let (aid, [owner, tenant, loner]) = people(&app).await;
        let all = [owner, tenant, loner];
        let token = app.token_of(Role::Auditor).await;
        let api = |path: String| {
            let (app, token) = (&app, &token);
            async move { app.api_with(token, Method::GET, &path, None).await }
        };
        let page = |path: String| {
            let app = &app;
            async move { app.get(Role::Auditor, &path).await }
        };
        // The API, with an auditor's token.
        logs_one(&app, "GET /api/v1/persons", &all, || {
            api("/api/v1/persons".into())
        })
        .await;
        logs_one(&app, "GET /api/v1/persons/{id}", &[loner], || {
            api(format!("/api/v1/persons/{loner}"))
        })
        .await;
        logs_one(&app, "GET /api/v1/persons/{id}/history", &[owner], || {
            api(format!("/api/v1/persons/{owner}/history"))
        })
        .await;
        logs_one(&app, "GET /api/v1/search", &[owner], || {
            api("/api/v1/search?q=100001".into())
        })
        .await;
        logs_one(&app, "GET /api/v1/search", &[tenant], || {
            api("/api/v1/search?q=%D0%BA%D1%83%D0%B7%D0%BD%D0%B5%D1%86%D0%BE%D0%B2%D0%B0".into())
        })
        .await;
        logs_one(&app, "GET /api/v1/accounts", &[owner], || {
            api("/api/v1/accounts".into())
        })
        .await;
        logs_one(&app, "GET /api/v1/accounts/{id}", &[owner, tenant], || {
            api(format!("/api/v1/accounts/{aid}"))
        })
        .await;
        logs_one(
            &app,
            "GET /api/v1/accounts/{id}/history",
            &[owner, tenant],
            || api(format!("/api/v1/accounts/{aid}/history")),
        )
        .await;
        // The pages, as an auditor signed in.
        logs_one(&app, "GET /persons", &all, || page("/persons".into())).await;
        logs_one(&app, "GET /persons/{id}", &[tenant], || {
            page(format!("/persons/{tenant}"))
        })
        .await;
        logs_one(&app, "GET /persons/pick", &[owner], || {
            page("/persons/pick?q=%D1%81%D0%B5%D0%BC%D1%91%D0%BD%D0%BE%D0%B2".into())
        })
        .await;
        logs_one(&app, "GET /search", &[owner], || {
            page("/search?q=100001".into())
        })
        .await;
        logs_one(&app, "GET /accounts", &[owner], || page("/accounts".into())).await;
        logs_one(&app, "GET /accounts/{id}", &[owner, tenant], || {
            page(format!("/accounts/{aid}"))
        })
        .await;
        // Who asked is named as they sign in: the token's name, the staff member's login.
        let log = entries(&app).await;
        assert!(log.iter().any(|e| e.actor_name.starts_with("API: ")));
        assert!(log.iter().any(|e| e.actor_name.contains("(auditor)")));
        // An answer that shows nobody is not logged.
        let before = log.len();
        let r = api("/api/v1/persons?name=%D0%BD%D0%B8%D0%BA%D1%82%D0%BE".into()).await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(entries(&app).await.len(), before);
    }
);

both!(
    lists_mask_contacts_and_hide_documents_the_card_shows_them,
    |app: TestApp| async move {
        let (_, [owner, _, _]) = people(&app).await;
        let token = app.token_of(Role::Auditor).await;
        let list = app
            .api_with(
                &token,
                Method::GET,
                "/api/v1/persons?name=%D1%81%D0%B5%D0%BC",
                None,
            )
            .await
            .json();
        let p = &list["items"][0];
        assert_eq!(p["phones"][0], "+7 *** ***-67-89", "{p}");
        assert_eq!(p["email"], "p***@example.ru");
        assert!(p["id_document"].is_null(), "{p}");
        assert_eq!(p["birth_date"], "1980-05-01");
        let hits = app
            .api_with(&token, Method::GET, "/api/v1/search?q=89123456789", None)
            .await
            .json();
        let sub = hits[0]["subtitle"].as_str().unwrap();
        assert!(
            sub.contains("+7 *** ***-67-89") && !sub.contains("345"),
            "{sub}"
        );
        let page = app.get(Role::Auditor, "/persons").await;
        for hidden in [
            "+79123456789",
            "(912) 345",
            "6512 345678",
            "petr@example.ru",
        ] {
            assert!(!page.body.contains(hidden), "the list shows «{hidden}»");
        }
        assert!(page.body.contains("***-67-89"));
        // The card, whose opening is logged, shows everything.
        let card = app
            .api_with(
                &token,
                Method::GET,
                &format!("/api/v1/persons/{owner}"),
                None,
            )
            .await
            .json();
        assert_eq!(card["person"]["phones"][0], "+79123456789");
        assert_eq!(card["person"]["id_document"], "паспорт 6512 345678");
        let card = app.get(Role::Auditor, &format!("/persons/{owner}")).await;
        assert!(card.body.contains("6512 345678") && card.body.contains("+7 (912) 345-67-89"));
    }
);

fn sheet(bytes: &[u8], name: &str) -> Vec<Vec<String>> {
    let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes.to_vec())).unwrap();
    let range = wb
        .worksheet_range(name)
        .unwrap_or_else(|e| panic!("sheet «{name}»: {e}"));
    range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::Empty => String::new(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

async fn bytes(app: &TestApp, role: Role, path: &str) -> Vec<u8> {
    use axum::body::Body;
    use axum::http::Request;
    let s = &app.sessions[&role];
    let req = Request::get(path)
        .header("cookie", &s.cookie)
        .body(Body::empty())
        .unwrap();
    let res = tower::ServiceExt::oneshot(app.router.clone(), req)
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK, "{path}");
    axum::body::to_bytes(res.into_body(), usize::MAX)
        .await
        .unwrap()
        .to_vec()
}

both!(
    the_auditor_reads_the_log_with_filters_and_as_xlsx,
    |app: TestApp| async move {
        let (_, [owner, tenant, _]) = people(&app).await;
        app.get(Role::Specialist, &format!("/persons/{owner}"))
            .await;
        app.get(Role::Specialist, "/persons").await;
        let token = app.token_of(Role::Auditor).await;
        app.api_with(
            &token,
            Method::GET,
            &format!("/api/v1/persons/{tenant}"),
            None,
        )
        .await;
        // The page: every entry, and the filters.
        let page = app.get(Role::Auditor, "/admin/pd-access").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(page.body.contains("Журнал доступа к персональным данным"));
        assert!(page.body.contains("просмотр /persons/{id}") && page.body.contains("Семёнов Пётр"));
        let by_person = app
            .get(Role::Auditor, &format!("/admin/pd-access?person={tenant}"))
            .await;
        assert!(by_person.body.contains("Всего: 2"), "{}", by_person.body);
        let staff = "Сотрудник Специалист (specialist)";
        let by_actor = app
            .get(
                Role::Administrator,
                &format!(
                    "/admin/pd-access?actor={}",
                    url::form_urlencoded::byte_serialize(staff.as_bytes()).collect::<String>()
                ),
            )
            .await;
        assert!(by_actor.body.contains("Всего: 2"), "{}", by_actor.body);
        let by_via = app
            .get(Role::Auditor, "/admin/pd-access?via=GET+/api/")
            .await;
        assert!(by_via.body.contains("Всего: 1"), "{}", by_via.body);
        let period = app
            .get(
                Role::Auditor,
                "/admin/pd-access?from=2000-01-01&to=2999-12-31",
            )
            .await;
        assert!(period.body.contains("Всего: 3"), "{}", period.body);
        let none = app
            .get(Role::Auditor, "/admin/pd-access?from=2999-01-01")
            .await;
        assert!(none.body.contains("Записей нет"), "{}", none.body);
        // Other roles are refused.
        for role in [Role::Specialist, Role::Manager] {
            assert_eq!(
                app.get(role, "/admin/pd-access").await.status,
                StatusCode::FORBIDDEN
            );
        }
        // XLSX with the same filters: a header and one row per entry.
        let x = bytes(
            &app,
            Role::Auditor,
            &format!("/admin/pd-access.xlsx?person={tenant}"),
        )
        .await;
        let rows = sheet(&x, "Журнал доступа к ПДн");
        assert_eq!(rows[0][..3], ["Когда", "Кто", "Через что"]);
        assert_eq!(rows.len(), 3, "{rows:?}");
        assert_eq!(rows[1][2], "GET /api/v1/persons/{id}");
        assert!(rows[1][4].contains("Кузнецова Пётр"), "{rows:?}");
        assert_eq!(rows[2][2], "GET /persons");
        assert_eq!(rows[2][3], "3");
        // The API: JSON pages, and the same workbook.
        let j = app
            .api_with(
                &token,
                Method::GET,
                &format!("/api/v1/pd-access?person={owner}"),
                None,
            )
            .await;
        assert_eq!(j.status, StatusCode::OK, "{}", j.body);
        let j = j.json();
        assert_eq!(j["total"], 2);
        assert_eq!(j["items"][0]["via"], "GET /persons");
        let bad = app
            .api_with(&token, Method::GET, "/api/v1/pd-access?from=вчера", None)
            .await;
        assert!(common::field_message(&bad, "from").contains("01.01.2026"));
        let specialist = app.api(Method::GET, "/api/v1/pd-access", None).await;
        assert_eq!(specialist.status, StatusCode::FORBIDDEN);
    }
);

both!(
    the_subject_export_holds_everything_and_is_logged,
    |app: TestApp| async move {
        let (_, [owner, _, _]) = people(&app).await;
        let b = app
            .api(
                Method::POST,
                "/api/v1/benefits",
                Some(json!({"person_id": owner, "category": "Ветеран труда", "document": "удостоверение 123", "from_date": "2024-01-01"})),
            )
            .await;
        assert_eq!(b.status, StatusCode::CREATED, "{}", b.body);
        app.get(Role::Manager, &format!("/persons/{owner}")).await;
        let x = bytes(
            &app,
            Role::Specialist,
            &format!("/persons/{owner}/export.xlsx"),
        )
        .await;
        let card = sheet(&x, "Карточка");
        let field = |k: &str| {
            card.iter()
                .find(|r| r[0] == k)
                .unwrap_or_else(|| panic!("no «{k}»: {card:?}"))[1]
                .clone()
        };
        assert_eq!(field("Фамилия"), "Семёнов");
        assert_eq!(field("Телефоны"), "+7 (912) 345-67-89");
        assert_eq!(field("Документ"), "паспорт 6512 345678");
        assert_eq!(field("Дата рождения"), "01.05.1980");
        assert_eq!(field("Согласие на SMS"), "нет");
        let accounts = sheet(&x, "Лицевые счета");
        assert_eq!(accounts[1][0], "100001");
        assert!(accounts[1][1].contains("Ленина"), "{accounts:?}");
        assert_eq!(sheet(&x, "Льготы")[1][0], "Ветеран труда");
        for s in ["Обращения", "Письма", "Документы"] {
            assert_eq!(sheet(&x, s).len(), 1, "{s}: header only");
        }
        let history = sheet(&x, "История карточки");
        assert!(history.len() >= 3, "{history:?}");
        let views = sheet(&x, "Просмотры");
        assert!(
            views
                .iter()
                .any(|r| r[1] == "Сотрудник Руководитель (manager)" && r[2] == "GET /persons/{id}"),
            "{views:?}"
        );
        // The export is itself a view of the person.
        let last = &entries(&app).await[0];
        assert_eq!(last.via, "GET /persons/{id}/export.xlsx");
        assert_eq!(last.people[0].id, owner);
        // The PDF has the same sections.
        let pdf = bytes(
            &app,
            Role::Specialist,
            &format!("/persons/{owner}/export.pdf"),
        )
        .await;
        assert!(pdf.starts_with(b"%PDF"));
        let text = common::pdf_text(&pdf);
        for expect in [
            "Семёнов Пётр",
            "паспорт 6512 345678",
            "Лицевые счета",
            "100001",
            "Ветеран труда",
            "Просмотры",
        ] {
            assert!(text.contains(expect), "PDF lacks «{expect}»: {text}");
        }
        assert_eq!(entries(&app).await[0].via, "GET /persons/{id}/export.pdf");
        // The API answers both formats, logged as its own call.
        let token = app.token_of(Role::Auditor).await;
        let r = app
            .api_with(
                &token,
                Method::GET,
                &format!("/api/v1/persons/{owner}/export?format=pdf"),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(r.headers["content-type"], "application/pdf");
        assert_eq!(
            entries(&app).await[0].via,
            "GET /api/v1/persons/{id}/export"
        );
        let missing = app
            .api_with(&token, Method::GET, "/api/v1/persons/999999/export", None)
            .await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
    }
);

both!(
    documents_and_the_caller_panel_are_logged_too,
    |app: TestApp| async move {
        common::set_org(&app.t.db).await;
        let (aid, [owner, registered, _]) = people(&app).await;
        let r = app
            .api(
                Method::POST,
                "/api/v1/documents",
                Some(json!({"kind": "registration_certificate", "account_id": aid, "person_id": registered})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let doc = r.json()["id"].as_i64().unwrap();
        let token = app.token_of(Role::Auditor).await;
        let api = |path: String| {
            let (app, token) = (&app, &token);
            async move { app.api_with(token, Method::GET, &path, None).await }
        };
        let page = |role: Role, path: String| {
            let app = &app;
            async move { app.get(role, &path).await }
        };
        logs_one(&app, "GET /api/v1/documents", &[registered], || {
            api("/api/v1/documents".into())
        })
        .await;
        logs_one(&app, "GET /api/v1/documents/{id}", &[registered], || {
            api(format!("/api/v1/documents/{doc}"))
        })
        .await;
        logs_one(
            &app,
            "GET /api/v1/documents/{id}/pdf",
            &[registered],
            || api(format!("/api/v1/documents/{doc}/pdf")),
        )
        .await;
        logs_one(&app, "GET /documents", &[registered], || {
            page(Role::Auditor, "/documents".into())
        })
        .await;
        logs_one(&app, "GET /documents/{id}", &[registered], || {
            page(Role::Auditor, format!("/documents/{doc}"))
        })
        .await;
        logs_one(&app, "GET /documents/{id}/pdf", &[registered], || {
            page(Role::Auditor, format!("/documents/{doc}/pdf"))
        })
        .await;
        logs_one(&app, "GET /persons/{id}/documents", &[registered], || {
            page(Role::Auditor, format!("/persons/{registered}/documents"))
        })
        .await;
        // Who is calling: the holder found by the account number and everyone on it.
        logs_one(&app, "GET /appeals/caller", &[owner, registered], || {
            page(
                Role::Dispatcher,
                "/appeals/caller?applicant_phone=100001".into(),
            )
        })
        .await;
    }
);

both!(
    an_appeal_of_a_registry_person_is_logged_and_exported,
    |app: TestApp| async move {
        let (aid, [owner, _, _]) = people(&app).await;
        let r = app
            .api(
                Method::POST,
                "/api/v1/appeals",
                Some(json!({"kind": "request", "channel": "phone", "priority": "normal",
                    "account_id": aid, "person_id": owner, "address_text": "ул. Ленина, д. 5, кв. 12",
                    "applicant_name": "Семёнов Пётр", "applicant_phone": "+7 912 345-67-89",
                    "substance": "Течёт кран на кухне"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let id = r.json()["id"].as_i64().unwrap();
        let token = app.token_of(Role::Auditor).await;
        logs_one(&app, "GET /api/v1/appeals/{id}", &[owner], || async {
            app.api_with(&token, Method::GET, &format!("/api/v1/appeals/{id}"), None)
                .await
        })
        .await;
        logs_one(&app, "GET /appeals/{id}", &[owner], || async {
            app.get(Role::Auditor, &format!("/appeals/{id}")).await
        })
        .await;
        // The subject's export lists the appeal with the contacts given.
        let x = bytes(
            &app,
            Role::Specialist,
            &format!("/persons/{owner}/export.xlsx"),
        )
        .await;
        let appeals = sheet(&x, "Обращения");
        assert_eq!(appeals.len(), 2, "{appeals:?}");
        assert!(
            appeals[1][3].contains("Течёт кран") && appeals[1][3].contains("+7"),
            "{appeals:?}"
        );
    }
);

/// Calls `call` and checks that it added exactly one entry, through `via`, naming exactly
/// `people` and the records `records` (kind code and id).
async fn logs_records<F, Fut>(
    app: &TestApp,
    via: &str,
    people: &[i64],
    records: &[(&str, i64)],
    call: F,
) -> common::Resp
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = common::Resp>,
{
    let (r, e) = logged(app, via, people, call).await;
    let shown: BTreeSet<(String, i64)> = e
        .records
        .iter()
        .map(|r| (r.kind.code().to_string(), r.id))
        .collect();
    assert_eq!(
        shown,
        records
            .iter()
            .map(|(k, id)| (k.to_string(), *id))
            .collect::<BTreeSet<_>>(),
        "{via}: the records shown"
    );
    r
}

/// A date a few days back in the test organization's zone, `2026-12-01`.
fn days_back(n: u64) -> String {
    (chrono::Utc::now()
        .with_timezone(&chrono_tz::Asia::Yekaterinburg)
        .date_naive()
        - chrono::Days::new(n))
    .to_string()
}

both!(
    appeals_with_a_free_text_applicant_are_logged_as_records,
    |app: TestApp| async move {
        let (aid, [owner, _, _]) = people(&app).await;
        // One appeal from someone outside the registry, one from the owner.
        let r = app
            .api(
                Method::POST,
                "/api/v1/appeals",
                Some(
                    json!({"kind": "request", "channel": "phone", "priority": "normal",
                    "address_text": "ул. Ленина, д. 5, кв. 7",
                    "applicant_name": "Иванова Мария", "applicant_phone": "+7 912 555-44-33",
                    "applicant_email": "maria@example.ru",
                    "substance": "Не закрывается дверь подъезда"}),
                ),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let free = r.json()["id"].as_i64().unwrap();
        let r = app
            .api(
                Method::POST,
                "/api/v1/appeals",
                Some(json!({"kind": "request", "channel": "phone", "priority": "normal",
                    "account_id": aid, "person_id": owner, "address_text": "ул. Ленина, д. 5, кв. 12",
                    "applicant_name": "Семёнов Пётр", "applicant_phone": "+7 912 345-67-89",
                    "substance": "Течёт кран на кухне"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let linked = r.json()["id"].as_i64().unwrap();
        assert!(
            entries(&app).await.is_empty(),
            "registering shows nothing back"
        );
        let both = [("appeal", free), ("appeal", linked)];
        let token = app.token_of(Role::Auditor).await;
        // The journal, API and page: every appeal on the page, and the owner behind one.
        let api_list = logs_records(&app, "GET /api/v1/appeals", &[owner], &both, || {
            app.api_with(&token, Method::GET, "/api/v1/appeals?view=all", None)
        })
        .await
        .body;
        let journal = logs_records(&app, "GET /appeals", &[owner], &both, || {
            app.get(Role::Auditor, "/appeals?view=all")
        })
        .await;
        // The journal shows neither contact in full: a list shows what the work needs.
        for full in ["555-44-33", "maria@example.ru", "345-67-89"] {
            assert!(!journal.body.contains(full), "journal shows «{full}»");
        }
        for full in ["555-44-33", "maria@example.ru"] {
            assert!(!api_list.contains(full), "API journal shows «{full}»");
        }
        // The card of the free-text applicant: the appeal, nobody of the registry.
        let card = logs_records(
            &app,
            "GET /appeals/{id}",
            &[],
            &[("appeal", free)],
            || async { app.get(Role::Auditor, &format!("/appeals/{free}")).await },
        )
        .await;
        assert!(
            card.body.contains("maria@example.ru"),
            "the card shows it all"
        );
        logs_records(
            &app,
            "GET /api/v1/appeals/{id}",
            &[],
            &[("appeal", free)],
            || async {
                app.api_with(
                    &token,
                    Method::GET,
                    &format!("/api/v1/appeals/{free}"),
                    None,
                )
                .await
            },
        )
        .await;
        // The auditor finds who saw the appeal, and the log names it.
        let by_record = app
            .get(
                Role::Auditor,
                &format!("/admin/pd-access?record_kind=appeal&record_id={free}"),
            )
            .await;
        assert_eq!(by_record.status, StatusCode::OK, "{}", by_record.body);
        assert!(by_record.body.contains("Всего: 4"), "{}", by_record.body);
        assert!(by_record.body.contains("обращение №"), "{}", by_record.body);
        let j = app
            .api_with(
                &token,
                Method::GET,
                &format!("/api/v1/pd-access?record_kind=appeal&record_id={free}"),
                None,
            )
            .await
            .json();
        assert_eq!(j["total"], 4, "{j}");
        assert_eq!(j["items"][0]["records"][0]["kind"], "appeal", "{j}");
        let x = bytes(
            &app,
            Role::Auditor,
            &format!("/admin/pd-access.xlsx?record_kind=appeal&record_id={linked}"),
        )
        .await;
        let rows = sheet(&x, "Журнал доступа к ПДн");
        assert_eq!(rows[0][5], "Какие записи");
        assert_eq!(rows.len(), 3, "{rows:?}");
        assert!(rows[1][5].contains("обращение №"), "{rows:?}");
        // The appeal's history on its own, through the API: the applicant's details as changed.
        logs_records(
            &app,
            "GET /api/v1/appeals/{id}/history",
            &[],
            &[("appeal", free)],
            || async {
                app.api_with(
                    &token,
                    Method::GET,
                    &format!("/api/v1/appeals/{free}/history"),
                    None,
                )
                .await
            },
        )
        .await;
        let bad = app
            .api_with(
                &token,
                Method::GET,
                "/api/v1/pd-access?record_kind=letter",
                None,
            )
            .await;
        assert!(common::field_message(&bad, "record_kind").contains("appeal"));
    }
);

both!(
    letters_and_messages_are_logged_as_records,
    |app: TestApp| async move {
        let (_, [owner, _, _]) = people(&app).await;
        let day = days_back(3);
        let r = app
            .api(
                Method::POST,
                "/api/v1/correspondence/incoming",
                Some(json!({"received_on": day, "sender_kind": "person",
                    "sender_name": "Петрова Мария Ивановна, ул. Ленина, д. 5, кв. 3",
                    "subject": "Протечка с кровли", "pages": 1})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let inc = r.json()["id"].as_i64().unwrap();
        let r = app
            .api(
                Method::POST,
                "/api/v1/correspondence/outgoing",
                Some(
                    json!({"sent_on": day, "addressee": "Петровой М. И., ул. Ленина, д. 5, кв. 3",
                    "subject": "Ответ о ремонте кровли", "method": "hand",
                    "answers_incoming_id": inc}),
                ),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let out = r.json()["id"].as_i64().unwrap();
        // Each registration answered with its letter, one entry each.
        assert_eq!(entries(&app).await.len(), 2);
        let spec = Role::Specialist;
        let i = [("incoming_letter", inc)];
        let o = [("outgoing_letter", out)];
        logs_records(&app, "GET /correspondence/incoming", &[], &i, || {
            app.get(spec, "/correspondence/incoming?status=all")
        })
        .await;
        logs_records(&app, "GET /correspondence/outgoing", &[], &o, || {
            app.get(spec, "/correspondence/outgoing")
        })
        .await;
        logs_records(&app, "GET /api/v1/correspondence/incoming", &[], &i, || {
            app.api(Method::GET, "/api/v1/correspondence/incoming", None)
        })
        .await;
        logs_records(&app, "GET /api/v1/correspondence/outgoing", &[], &o, || {
            app.api(Method::GET, "/api/v1/correspondence/outgoing", None)
        })
        .await;
        // The card of the incoming letter shows its answer's addressee too.
        logs_records(
            &app,
            "GET /correspondence/incoming/{id}",
            &[],
            &[("incoming_letter", inc), ("outgoing_letter", out)],
            || async {
                app.get(spec, &format!("/correspondence/incoming/{inc}"))
                    .await
            },
        )
        .await;
        logs_records(
            &app,
            "GET /correspondence/outgoing/{id}",
            &[],
            &o,
            || async {
                app.get(spec, &format!("/correspondence/outgoing/{out}"))
                    .await
            },
        )
        .await;
        logs_records(
            &app,
            "GET /api/v1/correspondence/outgoing/{id}",
            &[],
            &o,
            || async {
                app.api(
                    Method::GET,
                    &format!("/api/v1/correspondence/outgoing/{out}"),
                    None,
                )
                .await
            },
        )
        .await;
        // A letter's history on its own, through the API: the names and addresses as changed.
        for (kind, id, via) in [
            (
                "incoming_letter",
                inc,
                "GET /api/v1/correspondence/incoming/{id}/history",
            ),
            (
                "outgoing_letter",
                out,
                "GET /api/v1/correspondence/outgoing/{id}/history",
            ),
        ] {
            let register = if kind == "incoming_letter" {
                "incoming"
            } else {
                "outgoing"
            };
            logs_records(&app, via, &[], &[(kind, id)], || async {
                app.api(
                    Method::GET,
                    &format!("/api/v1/correspondence/{register}/{id}/history"),
                    None,
                )
                .await
            })
            .await;
        }
        // The register's workbook: every letter in it.
        let period = format!("from={day}&to={day}");
        logs_records(&app, "GET /correspondence/export", &[], &i, || async {
            app.get(
                spec,
                &format!("/correspondence/export?register=incoming&{period}"),
            )
            .await
        })
        .await;
        logs_records(
            &app,
            "GET /api/v1/correspondence/export",
            &[],
            &o,
            || async {
                app.api(
                    Method::GET,
                    &format!("/api/v1/correspondence/export?register=outgoing&{period}"),
                    None,
                )
                .await
            },
        )
        .await;
        // The outbox: every message on the page.
        let id = abonent_storage::outbox::enqueue(
            &app.t.db,
            &abonent_storage::outbox::NewMessage::email(
                "maria@example.ru",
                "Ответ на обращение",
                "Мария Ивановна, кровлю починят до пятницы.",
            ),
        )
        .await
        .unwrap()
        .unwrap();
        let messages: Vec<(&str, i64)> =
            abonent_storage::outbox::list(&app.t.db, &Default::default(), PageReq::new(None, None))
                .await
                .unwrap()
                .items
                .iter()
                .map(|m| ("message", m.id))
                .collect();
        assert!(messages.contains(&("message", id)));
        logs_records(&app, "GET /admin/outbox", &[], &messages, || {
            app.get(Role::Administrator, "/admin/outbox")
        })
        .await;
        let token = app.token_of(Role::Administrator).await;
        logs_records(&app, "GET /api/v1/outbox", &[], &messages, || {
            app.api_with(&token, Method::GET, "/api/v1/outbox", None)
        })
        .await;
        // A letter tied to a registry person names them too.
        let r = app
            .api(
                Method::POST,
                "/api/v1/correspondence/outgoing",
                Some(
                    json!({"sent_on": day, "addressee": "Семёнову П.", "subject": "Уведомление",
                    "method": "hand", "person_id": owner}),
                ),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let to_owner = r.json()["id"].as_i64().unwrap();
        logs_records(
            &app,
            "GET /api/v1/correspondence/outgoing/{id}",
            &[owner],
            &[("outgoing_letter", to_owner)],
            || async {
                let path = format!("/api/v1/correspondence/outgoing/{to_owner}");
                app.api(Method::GET, &path, None).await
            },
        )
        .await;
        // The log page names the letters.
        let log = app.get(Role::Auditor, "/admin/pd-access").await;
        assert!(log.body.contains("входящее № Вх-"), "{}", log.body);
        assert!(log.body.contains("исходящее № Исх-"), "{}", log.body);
    }
);
