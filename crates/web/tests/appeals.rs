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
        assert_eq!(reg["deadline_rule"], "ads_localisation");
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
        assert!(sug.body.contains("Похоже на аварию"), "{}", sug.body);
    }
);
