//! Issue 15 over HTTP, on SQLite and PostgreSQL: «Пахнет газом в подъезде» through the API is
//! an emergency with both deadlines of ПП 416 п. 13, a person downgrades it with a reason, a
//! phone typed wrong never blocks an emergency, deferrals beyond the limit need a manager.

mod common;

use abonent_domain::Role;
use axum::http::{Method, StatusCode};
use serde_json::json;

both!(
    a_gas_smell_through_the_api_is_an_emergency,
    |app: common::TestApp| async move {
        let r = app
            .api(
                Method::POST,
                "/api/v1/appeals",
                Some(json!({"kind": "request", "channel": "portal",
                    "address_text": "ул. Ленина, д. 5", "applicant_phone": "12-34",
                    "substance": "Пахнет газом в подъезде"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let reg = r.json();
        assert_eq!(reg["priority"], "emergency", "{}", r.body);
        assert_ne!(reg["deadline_rule"], "organization_request");
        assert_eq!(reg["deadline_rule"], "ads_emergency_elimination");
        assert!(reg["localisation_at"].is_string());
        assert_eq!(reg["phone_unchecked"], true);
        let id = reg["id"].as_i64().unwrap();

        // The people on duty see the alert; the card shows both deadlines and the phone.
        let alerts = app.api(Method::GET, "/api/v1/alerts", None).await;
        assert!(
            alerts.body.contains(reg["number"].as_str().unwrap()),
            "{}",
            alerts.body
        );
        let card = app.get(Role::Dispatcher, &format!("/appeals/{id}")).await;
        assert_eq!(card.status, StatusCode::OK);
        assert!(card.body.contains("Локализовать до"), "{}", card.body);
        assert!(card.body.contains("Устранить до"));
        assert!(card.body.contains("телефон проверить"));
        let list = app.get(Role::Dispatcher, "/appeals?view=emergencies").await;
        assert!(list.body.contains("локализовать:"), "{}", list.body);

        // Downgrading needs a reason; the reason is kept.
        let bad = app
            .api(
                Method::POST,
                &format!("/api/v1/appeals/{id}/priority"),
                Some(json!({"priority": "normal"})),
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
        assert!(common::field_message(&bad, "reason").contains("не аварийное"));
        let ok = app
            .api(
                Method::POST,
                &format!("/api/v1/appeals/{id}/priority"),
                Some(json!({"priority": "normal", "reason": "Запах краски после ремонта"})),
            )
            .await;
        assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
        assert_eq!(ok.json()["priority"], "normal");
        assert!(ok.json()["localisation_at"].is_null());
        let h = app
            .api(Method::GET, &format!("/api/v1/appeals/{id}/history"), None)
            .await;
        assert!(h.body.contains("Запах краски после ремонта"), "{}", h.body);
    }
);

both!(
    an_emergency_is_localised_from_the_card,
    |app: common::TestApp| async move {
        let r = app
            .api(
                Method::POST,
                "/api/v1/appeals",
                Some(json!({"kind": "request", "priority": "emergency",
                    "address_text": "ул. Ленина, д. 5", "substance": "Прорвало трубу в подвале"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let id = r.json()["id"].as_i64().unwrap();
        let done = app
            .page(
                Role::Dispatcher,
                Method::POST,
                &format!("/appeals/{id}/localised"),
                &[],
            )
            .await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
        let card = app
            .api(Method::GET, &format!("/api/v1/appeals/{id}"), None)
            .await;
        assert!(
            card.json()["appeal"]["localised_at"].is_string(),
            "{}",
            card.body
        );
        let again = app
            .api(
                Method::POST,
                &format!("/api/v1/appeals/{id}/localised"),
                None,
            )
            .await;
        assert_eq!(
            again.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            again.body
        );
    }
);

both!(
    deferrals_beyond_the_limit_need_a_manager,
    |app: common::TestApp| async move {
        let r = app
            .api(
                Method::POST,
                "/api/v1/appeals",
                Some(json!({"kind": "request", "priority": "normal",
                    "address_text": "ул. Ленина, д. 5", "applicant_phone": "+7 912 345-67-89",
                    "substance": "Не закрывается окно в подъезде"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let id = r.json()["id"].as_i64().unwrap();
        let path = format!("/api/v1/appeals/{id}/deadline");
        let when = |days: i64| {
            (chrono::Utc::now() + chrono::TimeDelta::days(days))
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        };
        for days in [5, 6] {
            let ok = app
                .api(
                    Method::POST,
                    &path,
                    Some(json!({"deadline_at": when(days), "reason": "ждём стекло"})),
                )
                .await;
            assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
        }
        let refused = app
            .api(
                Method::POST,
                &path,
                Some(json!({"deadline_at": when(7), "reason": "ещё ждём"})),
            )
            .await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            refused.body
        );
        assert!(common::field_message(&refused, "deadline").contains("руководител"));
        let manager = app.token_of(Role::Manager).await;
        let ok = app
            .api_with(
                &manager,
                Method::POST,
                &path,
                Some(json!({"deadline_at": when(7), "reason": "ещё ждём"})),
            )
            .await;
        assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
        let card = app
            .api(Method::GET, &format!("/api/v1/appeals/{id}"), None)
            .await;
        assert_eq!(card.json()["deadline_moves"].as_array().unwrap().len(), 3);
    }
);

both!(
    an_administrator_says_what_a_rule_counts_from,
    |app: common::TestApp| async move {
        let rules = app.api(Method::GET, "/api/v1/deadline-rules", None).await;
        let check = rules
            .json()
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["code"] == "quality_complaint_check")
            .cloned()
            .unwrap();
        assert_eq!(check["counts_from"], "receipt");
        let admin = app.token_of(Role::Administrator).await;
        let mut changed = check.clone();
        changed["counts_from"] = json!("someday");
        let path = "/api/v1/deadline-rules/quality_complaint_check";
        let bad = app
            .api_with(&admin, Method::PUT, path, Some(changed.clone()))
            .await;
        assert!(common::field_message(&bad, "counts_from").contains("receipt"));
        changed["counts_from"] = json!("registration");
        let ok = app.api_with(&admin, Method::PUT, path, Some(changed)).await;
        assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
        assert_eq!(ok.json()["counts_from"], "registration");
        // Left out: the rule keeps what it says.
        let mut same = check;
        same.as_object_mut().unwrap().remove("counts_from");
        let kept = app.api_with(&admin, Method::PUT, path, Some(same)).await;
        assert_eq!(kept.json()["counts_from"], "registration", "{}", kept.body);
    }
);
