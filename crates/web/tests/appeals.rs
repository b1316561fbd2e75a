//! The appeals register over HTTP: API and pages, on SQLite and PostgreSQL.

mod common;

use abonent_domain::Role;
use axum::http::{Method, StatusCode};
use serde_json::json;

both!(
    register_and_work_an_emergency_through_the_api,
    |app: common::TestApp| async move {
        let (_, premises, _) = app.seed("ул. Ленина", "5", "12", "100001").await;
        let r = app
            .api(
                Method::POST,
                "/api/v1/appeals",
                Some(
                    json!({"kind": "request", "channel": "phone", "priority": "emergency",
                        "premises_id": premises, "substance": "Затопило кухню, течёт с потолка"}),
                ),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let reg = r.json();
        assert!(reg["number"].as_str().unwrap().starts_with("З-"));
        assert_eq!(reg["deadline_rule"], "ads_emergency_elimination");
        assert!(reg["localisation_at"].is_string(), "{}", r.body);
        assert_eq!(reg["suggested_emergency"], true);
        let id = reg["id"].as_i64().unwrap();

        // A forbidden transition gets a Russian message naming the field.
        let bad = app
            .api(
                Method::POST,
                &format!("/api/v1/appeals/{id}/status"),
                Some(json!({"to": "closed"})),
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
        assert_eq!(bad.headers["content-type"], "application/problem+json");
        assert!(bad.body.contains("нельзя перейти"), "{}", bad.body);

        let done = app
            .api(
                Method::POST,
                &format!("/api/v1/appeals/{id}/status"),
                Some(json!({"to": "in_progress", "executor_id": 1})),
            )
            .await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.body);
        let em = app
            .api(Method::GET, "/api/v1/appeals?view=emergencies", None)
            .await;
        assert_eq!(em.json()["total"], 1);
        let found = app
            .api(
                Method::GET,
                "/api/v1/appeals?q=%D0%BF%D0%BE%D1%82%D0%BE%D0%BB%D0%BE%D0%BA",
                None,
            )
            .await;
        assert_eq!(
            found.json()["total"],
            1,
            "«потолок» finds «с потолка»: {}",
            found.body
        );
        let h = app
            .api(Method::GET, &format!("/api/v1/appeals/{id}/history"), None)
            .await;
        assert_eq!(h.json().as_array().unwrap().len(), 2);
        let c = app
            .api(
                Method::POST,
                &format!("/api/v1/appeals/{id}/comments"),
                Some(json!({"body": "Бригада выехала"})),
            )
            .await;
        assert_eq!(c.status, StatusCode::CREATED, "{}", c.body);
        let card = app
            .api(Method::GET, &format!("/api/v1/appeals/{id}"), None)
            .await;
        assert_eq!(card.json()["comments"][0]["body"], "Бригада выехала");
    }
);

both!(
    missing_details_are_named_per_field,
    |app: common::TestApp| async move {
        let r = app
            .api(
                Method::POST,
                "/api/v1/appeals",
                Some(json!({"kind": "request", "substance": ""})),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let fields: Vec<String> = r.json()["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(fields, ["substance", "address", "contact"]);
        let list = app.api(Method::GET, "/api/v1/appeals", None).await;
        assert_eq!(list.json()["total"], 0);
    }
);

both!(
    intake_screen_and_card_in_the_browser_flow,
    |app: common::TestApp| async move {
        app.seed("ул. Ленина", "5", "12", "100001").await;
        let form = app.get(Role::Dispatcher, "/appeals/new").await;
        assert_eq!(form.status, StatusCode::OK);
        assert!(form.body.contains("Суть обращения"));
        // Missing address and contact: shown next to the fields, nothing saved, text escaped.
        let res = app
            .page(
                Role::Dispatcher,
                Method::POST,
                "/appeals",
                &[
                    ("kind", "request"),
                    ("priority", "normal"),
                    ("channel", "phone"),
                    ("substance", "<b>нет света</b>"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains("Укажите адрес"), "{}", res.body);
        assert!(!res.body.contains("<b>нет света"), "user text is escaped");
        assert!(
            res.body.contains("нет света&lt;/b&gt;") || res.body.contains("нет света&#60;/b&#62;")
        );
        let res = app
            .page(
                Role::Dispatcher,
                Method::POST,
                "/appeals",
                &[
                    ("kind", "request"),
                    ("priority", "normal"),
                    ("channel", "phone"),
                    ("substance", "Не горит лампочка в подъезде"),
                    ("address_text", "ул. Мира, 8"),
                    ("applicant_phone", "+7 912 000-11-22"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let card = app.get(Role::Dispatcher, &res.location()).await;
        assert!(
            card.body.contains("Обращение зарегистрировано"),
            "{}",
            card.body
        );
        assert!(card.body.contains("ул. Мира, 8"));
        assert!(
            card.body.contains("Освещение подъезда"),
            "the classifier chose the category"
        );
        let list = app.get(Role::Auditor, "/appeals?view=open").await;
        assert!(list.body.contains("Не горит лампочка"));
        let sug = app.get(Role::Dispatcher, "/appeals/suggest?substance=%D0%B2%20%D0%BF%D0%BE%D0%B4%D1%8A%D0%B5%D0%B7%D0%B4%D0%B5%20%D0%BF%D0%B0%D1%85%D0%BD%D0%B5%D1%82%20%D0%B3%D0%B0%D0%B7%D0%BE%D0%BC").await;
        assert!(
            sug.body.contains("Похоже на аварию: запах газа."),
            "{}",
            sug.body
        );
    }
);

both!(
    administrator_keeps_categories_and_deadline_rules,
    |app: common::TestApp| async move {
        use axum::body::Body;
        use axum::http::{header, Request};

        // The pages: the tree and the rules with their sources.
        let page = app
            .get(Role::Administrator, "/admin/appeal-categories")
            .await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Водоснабжение"), "{}", page.body);
        let rules = app.get(Role::Administrator, "/admin/deadline-rules").await;
        assert_eq!(rules.status, StatusCode::OK);
        assert!(rules.body.contains("ПП РФ № 416, п. 13"));
        assert_eq!(
            app.get(Role::Specialist, "/admin/deadline-rules")
                .await
                .status,
            StatusCode::FORBIDDEN
        );

        // A new category through the form shows up at intake.
        let cats: serde_json::Value = app
            .api(Method::GET, "/api/v1/appeal-categories", None)
            .await
            .json();
        let water = cats
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["code"] == "water")
            .unwrap()["id"]
            .as_i64()
            .unwrap()
            .to_string();
        let made = app
            .page(
                Role::Administrator,
                Method::POST,
                "/admin/appeal-categories",
                &[
                    ("parent_id", &water),
                    ("title", "Ржавая вода"),
                    ("active", "on"),
                ],
            )
            .await;
        assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
        let intake = app.get(Role::Specialist, "/appeals/new").await;
        assert!(intake.body.contains("Ржавая вода"));

        // A bad amount is named next to its field and nothing is saved.
        let bad = app
            .page(
                Role::Administrator,
                Method::POST,
                "/admin/deadline-rules/new",
                &[
                    ("new.code", "rusty_water"),
                    ("new.title", "Проверка качества воды"),
                    ("new.amount", "два"),
                    ("new.unit", "hours"),
                    ("new.source", "ПП РФ № 354, п. 108"),
                ],
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains("Срок — целое число"), "{}", bad.body);
        let listed: serde_json::Value = app
            .api(Method::GET, "/api/v1/deadline-rules", None)
            .await
            .json();
        assert!(!listed
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["code"] == "rusty_water"));

        // The administrator's API: a rule, a binding to the new category, then removal.
        let (_, admin_token) =
            abonent_storage::users::create_token(&app.t.db, "админ", Role::Administrator, None)
                .await
                .unwrap();
        let admin = |method: Method, path: &str, body: Option<serde_json::Value>| {
            Request::builder()
                .method(method)
                .uri(path)
                .header(header::AUTHORIZATION, format!("Bearer {admin_token}"))
                .header(header::CONTENT_TYPE, "application/json")
                .body(body.map(|j| Body::from(j.to_string())).unwrap_or_default())
                .unwrap()
        };
        let rule = json!({"code": "x", "title": "Проверка качества воды", "amount": 2,
            "unit": "hours", "source": "ПП РФ № 354, п. 108"});
        // The specialist's token may read but not change.
        let denied = app
            .api(
                Method::PUT,
                "/api/v1/deadline-rules/rusty_water",
                Some(rule.clone()),
            )
            .await;
        assert_eq!(denied.status, StatusCode::FORBIDDEN);
        let saved = app
            .send(admin(
                Method::PUT,
                "/api/v1/deadline-rules/rusty_water",
                Some(rule),
            ))
            .await;
        assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
        assert_eq!(saved.json()["code"], "rusty_water");
        let bad_unit = app
            .send(admin(
                Method::PUT,
                "/api/v1/deadline-rules/rusty_water",
                Some(
                    json!({"code": "x", "title": "т", "amount": 2, "unit": "weeks", "source": "и"}),
                ),
            ))
            .await;
        assert_eq!(bad_unit.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(bad_unit.json()["errors"][0]["field"], "unit");

        let rusty = app
            .api(Method::GET, "/api/v1/appeal-categories", None)
            .await
            .json()
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["title"] == "Ржавая вода")
            .cloned()
            .unwrap();
        let bound = app
            .send(admin(
                Method::POST,
                "/api/v1/deadline-bindings",
                Some(json!({"category": rusty["code"], "rule": "rusty_water"})),
            ))
            .await;
        assert_eq!(bound.status, StatusCode::CREATED, "{}", bound.body);
        let bid = bound.json()["id"].as_i64().unwrap();

        let (_, premises, _) = app.seed("ул. Ленина", "5", "12", "100001").await;
        let r = app
            .api(
                Method::POST,
                "/api/v1/appeals",
                Some(
                    json!({"kind": "complaint", "channel": "phone", "priority": "normal",
                    "premises_id": premises, "category_id": rusty["id"],
                    "applicant_phone": "+7 912 345-67-89",
                    "substance": "Из крана идёт ржавая вода второй день"}),
                ),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        assert_eq!(r.json()["deadline_rule"], "rusty_water");

        let gone = app
            .send(admin(
                Method::DELETE,
                &format!("/api/v1/deadline-bindings/{bid}"),
                None,
            ))
            .await;
        assert_eq!(gone.status, StatusCode::NO_CONTENT);
        let left: serde_json::Value = app
            .api(Method::GET, "/api/v1/deadline-bindings", None)
            .await
            .json();
        assert!(!left.as_array().unwrap().iter().any(|b| b["id"] == bid));
    }
);

both!(
    intake_lookup_shows_the_account_and_the_building_and_picks_an_address,
    |app: common::TestApp| async move {
        let (building, premises, account) = app.seed("ул. Ленина", "5", "12", "100001").await;
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
        let register =
            |body: serde_json::Value| app.api(Method::POST, "/api/v1/appeals", Some(body));
        let own = register(
            json!({"kind": "request", "channel": "phone", "priority": "normal",
            "account_id": account, "applicant_phone": "+7 912 000-00-01",
            "substance": "Не закрывается окно в подъезде"}),
        )
        .await;
        assert_eq!(own.status, StatusCode::CREATED, "{}", own.body);
        let upstairs = register(
            json!({"kind": "request", "channel": "phone", "priority": "emergency",
            "premises_id": neighbour, "substance": "Течь из стояка на 9 этаже"}),
        )
        .await;
        assert_eq!(upstairs.status, StatusCode::CREATED, "{}", upstairs.body);

        let panel = app
            .get(Role::Dispatcher, "/appeals/caller?applicant_phone=100001")
            .await;
        assert_eq!(panel.status, StatusCode::OK);
        let own_no = own.json()["number"].as_str().unwrap().to_string();
        let up_no = upstairs.json()["number"].as_str().unwrap().to_string();
        let account_part = panel
            .body
            .split("Открытые обращения по дому")
            .next()
            .unwrap();
        assert!(account_part.contains(&own_no), "{}", panel.body);
        assert!(!account_part.contains(&up_no), "{}", panel.body);
        let building_part = panel.body.split("Открытые обращения по дому").nth(1);
        assert!(
            building_part.is_some_and(|b| b.contains(&up_no)),
            "{}",
            panel.body
        );

        // The address picker: a typed address finds the flat, then the building.
        let flat = app
            .get(
                Role::Dispatcher,
                "/appeals/address?address_text=ленина%205%2C%20кв.%2012",
            )
            .await;
        assert!(
            flat.body
                .contains(&format!("data-fill-premises_id=\"{premises}\"")),
            "{}",
            flat.body
        );
        let house = app
            .get(Role::Dispatcher, "/appeals/address?address_text=Ленина%205")
            .await;
        assert!(house
            .body
            .contains(&format!("data-fill-building_id=\"{building}\"")));
        let none = app
            .get(
                Role::Dispatcher,
                "/appeals/address?address_text=Малышева%201",
            )
            .await;
        assert!(none.body.contains("нет"), "{}", none.body);
        assert!(!none.body.contains("building_id"));
    }
);
