//! Personal data under 152-ФЗ (issue 16 §3): every answer that shows people — cards, lists,
//! search, histories, exports, pages and API alike — is one entry of the access log naming
//! them; lists mask contacts; the auditor reads the log (filters, XLSX); a person's export
//! holds everything about them and is logged too.

mod common;

use abonent_domain::Role;
use axum::http::{Method, StatusCode};
use serde_json::json;

use common::pd_log::{bytes, entries, logs_one, people, sheet};
use common::TestApp;

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
