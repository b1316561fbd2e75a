//! The JSON API end to end in process, on both backends.

mod common;

use axum::http::{Method, StatusCode};
use serde_json::json;

both!(
    registry_round_trip_with_history_and_view_log,
    |app: common::TestApp| async move {
        let (bid, pid, aid) = app.seed("ул. Ленина", "5", "12", "100234").await;
        let p = app
        .api(Method::POST, "/api/v1/persons", Some(json!({"last_name": "Семёнов", "first_name": "Пётр", "phones": "8 (912) 345-67-89", "consent_sms": true})))
        .await;
        assert_eq!(p.status, StatusCode::CREATED, "{}", p.body);
        let person = p.json();
        assert_eq!(person["phones"][0], "+79123456789");
        let person_id = person["id"].as_i64().unwrap();
        let l = app.api(Method::POST, "/api/v1/links", Some(json!({"account_id": aid, "person_id": person_id, "role": "owner", "share": "1/2"}))).await;
        assert_eq!(l.status, StatusCode::CREATED, "{}", l.body);
        let b = app.api(Method::POST, "/api/v1/benefits", Some(json!({"person_id": person_id, "category": "Ветеран труда", "from_date": "2020-01-01"}))).await;
        assert_eq!(b.status, StatusCode::CREATED, "{}", b.body);

        let card = app
            .api(Method::GET, &format!("/api/v1/accounts/{aid}"), None)
            .await
            .json();
        assert_eq!(card["account"]["number"], "100234");
        assert_eq!(
            card["account"]["address"],
            "г. Екатеринбург, ул. Ленина, д. 5, кв. 12"
        );
        assert_eq!(card["people"][0]["person_name"], "Семёнов Пётр");
        assert_eq!(card["people"][0]["share"], json!({"num": 1, "den": 2}));
        assert_eq!(card["benefits"][0]["benefit"]["category"], "Ветеран труда");

        // Update: the history keeps before and after.
        let upd = app.api(Method::PUT, &format!("/api/v1/buildings/{bid}"), Some(json!({"region": "Свердловская обл.", "city": "г. Екатеринбург", "street": "ул. Ленина", "house": "5", "floors": 12}))).await;
        assert_eq!(upd.status, StatusCode::OK, "{}", upd.body);
        let h = app
            .api(
                Method::GET,
                &format!("/api/v1/buildings/{bid}/history"),
                None,
            )
            .await
            .json();
        let change = h
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["action"] == "update")
            .unwrap();
        assert_eq!(
            (
                change["before"]["floors"].clone(),
                change["after"]["floors"].clone()
            ),
            (json!(9), json!(12))
        );
        assert_eq!(change["actor_name"], "API: тест");

        // Reading a person's card is recorded (152-ФЗ).
        app.api(Method::GET, &format!("/api/v1/persons/{person_id}"), None)
            .await;
        let ph = app
            .api(
                Method::GET,
                &format!("/api/v1/persons/{person_id}/history"),
                None,
            )
            .await
            .json();
        assert_eq!(ph[0]["action"], "view");
        assert_eq!(ph[0]["note"], "API");

        // Search in every common form.
        for q in ["ленина 5 12", "Ленина д.5 кв.12", "100234"] {
            let hits = app
                .api(
                    Method::GET,
                    &format!("/api/v1/search?q={}", urlencode(q)),
                    None,
                )
                .await
                .json();
            assert_eq!(hits[0]["id"].as_i64(), Some(aid), "{q}");
        }
        let hits = app
            .api(
                Method::GET,
                &format!("/api/v1/search?q={}", urlencode("8 912 345-67-89")),
                None,
            )
            .await
            .json();
        assert_eq!(hits[0]["kind"], "person");

        // Close the account with a reason; it stays readable.
        let c = app
            .api(
                Method::POST,
                &format!("/api/v1/accounts/{aid}/close"),
                Some(json!({"reason": "Продажа квартиры", "date": "2026-10-31"})),
            )
            .await;
        assert_eq!(c.status, StatusCode::OK, "{}", c.body);
        assert_eq!(c.json()["closed_on"], "2026-10-31");
        let list = app
            .api(Method::GET, "/api/v1/accounts?status=closed", None)
            .await
            .json();
        assert_eq!(list["total"], 1);
        let _ = pid;
    }
);

both!(
    likely_duplicates_ask_for_confirmation,
    |app: common::TestApp| async move {
        let (_, pid, _) = app.seed("ул. Мира", "1", "1", "200001").await;
        let second = json!({"number": "200002", "premises_id": pid, "opened_on": "2024-01-01", "share": "1/2"});
        let r = app
            .api(Method::POST, "/api/v1/accounts", Some(second.clone()))
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
        assert_eq!(r.json()["duplicates"][0], "200001");
        let r = app
            .api(
                Method::POST,
                "/api/v1/accounts?confirm_duplicate=true",
                Some(second),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);

        let ivanov = json!({"last_name": "Иванов", "first_name": "Иван", "phones": "+79001112233"});
        assert_eq!(
            app.api(Method::POST, "/api/v1/persons", Some(ivanov.clone()))
                .await
                .status,
            StatusCode::CREATED
        );
        let r = app
            .api(Method::POST, "/api/v1/persons", Some(ivanov.clone()))
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        assert!(r.json()["duplicates"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("ФИО"));
        assert_eq!(
            app.api(
                Method::POST,
                "/api/v1/persons?confirm_duplicate=true",
                Some(ivanov)
            )
            .await
            .status,
            StatusCode::CREATED
        );
    }
);

both!(
    openapi_documents_every_api_route,
    |app: common::TestApp| async move {
        let spec = app
            .api(Method::GET, "/api/v1/openapi.json", None)
            .await
            .json();
        assert!(spec["openapi"].as_str().unwrap().starts_with("3."));
        for r in abonent_web::routes::all()
            .iter()
            .filter(|r| r.api && r.path != "/api/v1/openapi.json")
        {
            let op = &spec["paths"][r.path][r.method.as_str().to_lowercase()];
            assert!(
                op.is_object(),
                "{} {} is missing from the OpenAPI document",
                r.method,
                r.path
            );
        }
        assert!(spec["components"]["schemas"]["BuildingForm"].is_object());
        let docs = app
            .send(
                axum::http::Request::get("/api/docs")
                    .body(axum::body::Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(docs.status, StatusCode::OK);
        assert!(docs.body.contains("/assets/api-docs.js") && !docs.body.contains("http"));
    }
);

fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}
