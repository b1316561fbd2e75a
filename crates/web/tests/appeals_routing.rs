//! Routing, alerts and ratings over HTTP, on SQLite and PostgreSQL.

mod common;

use abonent_domain::Role;
use abonent_storage::users;
use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use serde_json::json;
use sqlx::Row;

/// An API call with an administrator's token.
async fn admin_api(
    app: &common::TestApp,
    method: Method,
    path: &str,
    j: serde_json::Value,
) -> common::Resp {
    let (_, token) = users::create_token(&app.t.db, "админ", Role::Administrator, None)
        .await
        .unwrap();
    let req = Request::builder()
        .method(method)
        .uri(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(j.to_string()))
        .unwrap();
    app.send(req).await
}

async fn public(app: &common::TestApp, method: Method, path: &str, form: &str) -> common::Resp {
    let req = Request::builder()
        .method(method)
        .uri(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(form.to_string()))
        .unwrap();
    app.send(req).await
}

both!(
    executors_and_rules_through_pages_and_api,
    |app: common::TestApp| async move {
        let (bid, premises, _) = app.seed("ул. Ленина", "5", "12", "100001").await;
        let admin = Role::Administrator;
        // Pages: a department, a contractor refused for its ИНН, then saved.
        let r = app
            .page(
                admin,
                Method::POST,
                "/admin/departments",
                &[("name", "Сантехнический участок"), ("active", "on")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let page = app.get(admin, "/admin/departments").await;
        assert!(
            page.body.contains("Сантехнический участок") && page.body.contains("АДС"),
            "{}",
            page.body
        );
        let bad = app
            .page(
                admin,
                Method::POST,
                "/admin/contractors",
                &[("name", "ООО «Лифтсервис»"), ("inn", "7707083894")],
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains("контрольным цифрам"), "{}", bad.body);
        let b = bid.to_string();
        let ok = app
            .page(
                admin,
                Method::POST,
                "/admin/contractors",
                &[
                    ("name", "ООО «Лифтсервис»"),
                    ("inn", "7707083893"),
                    ("building_ids", &b),
                    ("active", "on"),
                ],
            )
            .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
        // Only the administrator edits reference data.
        let no = app
            .page(
                Role::Specialist,
                Method::POST,
                "/admin/contractors",
                &[("name", "X"), ("inn", "7707083893")],
            )
            .await;
        assert_eq!(no.status, StatusCode::FORBIDDEN);

        // API: list, update with history, refusals per field.
        let list = app
            .api(Method::GET, "/api/v1/contractors", None)
            .await
            .json();
        assert_eq!(list[0]["building_ids"], json!([bid]));
        let cid = list[0]["id"].as_i64().unwrap();
        let upd = admin_api(&app, Method::PUT, &format!("/api/v1/contractors/{cid}"),
            json!({"name": "ООО «Лифтсервис»", "inn": "7707083893", "services": "лифты", "building_ids": [bid]})).await;
        assert_eq!(upd.status, StatusCode::OK, "{}", upd.body);
        assert_eq!(upd.json()["services"], "лифты");
        let h = app
            .api(
                Method::GET,
                &format!("/api/v1/contractors/{cid}/history"),
                None,
            )
            .await
            .json();
        assert_eq!(h.as_array().unwrap().len(), 2);
        let bad = admin_api(
            &app,
            Method::POST,
            "/api/v1/contractors",
            json!({"name": "ИП Сидоров", "inn": "12"}),
        )
        .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(bad.json()["errors"][0]["field"], "inn");
        let forbidden = app
            .api(
                Method::POST,
                "/api/v1/contractors",
                Some(json!({"name": "x"})),
            )
            .await;
        assert_eq!(forbidden.status, StatusCode::FORBIDDEN);

        // A rule by category through the page; registration follows it.
        let lift: i64 = sqlx::query("SELECT id FROM appeal_categories WHERE code = 'lift'")
            .fetch_one(app.t.db.read())
            .await
            .unwrap()
            .get(0);
        let r = app
            .page(
                admin,
                Method::POST,
                "/admin/assignment-rules",
                &[
                    ("category_id", &lift.to_string()),
                    ("target", &format!("contractor:{cid}")),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let none = app
            .page(
                admin,
                Method::POST,
                "/admin/assignment-rules",
                &[("target", "")],
            )
            .await;
        assert_eq!(none.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            none.body.contains("Выберите одного исполнителя"),
            "{}",
            none.body
        );
        let reg = app
            .api(
                Method::POST,
                "/api/v1/appeals",
                Some(
                    json!({"kind": "request", "premises_id": premises, "category_id": lift,
                "applicant_phone": "+79120000000", "substance": "Лифт не едет"}),
                ),
            )
            .await;
        assert_eq!(reg.status, StatusCode::CREATED, "{}", reg.body);
        let reg = reg.json();
        let a = app
            .api(Method::GET, &format!("/api/v1/appeals/{}", reg["id"]), None)
            .await
            .json()["appeal"]
            .clone();
        assert_eq!(
            (a["contractor_id"].as_i64(), a["status"].as_str()),
            (Some(cid), Some("assigned"))
        );
        let rules = app
            .api(Method::GET, "/api/v1/assignment-rules", None)
            .await
            .json();
        assert_eq!(rules[0]["target"], json!({"kind": "contractor", "id": cid}));

        // The duty roster.
        let disp = users::by_login(&app.t.db, "dispatcher")
            .await
            .unwrap()
            .unwrap()
            .id;
        let r = app
            .page(
                admin,
                Method::POST,
                &format!("/admin/duty/{disp}"),
                &[
                    ("on_duty", "on"),
                    ("email", "disp@uk.example.ru"),
                    ("phone", "8 912 111-22-33"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let bad = app
            .page(
                admin,
                Method::POST,
                &format!("/admin/duty/{disp}"),
                &[("phone", "12")],
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        let staff = app.api(Method::GET, "/api/v1/staff", None).await.json();
        let d = staff
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"] == disp)
            .unwrap()
            .clone();
        assert_eq!(
            (d["on_duty"].as_bool(), d["phone"].as_str()),
            (Some(true), Some("+79121112233"))
        );
    }
);

both!(
    alert_badge_acknowledgement_and_the_rating_link,
    |app: common::TestApp| async move {
        let (_, premises, _) = app.seed("ул. Ленина", "5", "12", "100001").await;
        let p = app
            .api(
                Method::POST,
                "/api/v1/persons",
                Some(json!({"last_name": "Иванова", "first_name": "Мария",
                "phones": "+79123456789", "email": "maria@example.ru", "consent_email": true})),
            )
            .await;
        assert_eq!(p.status, StatusCode::CREATED, "{}", p.body);
        let person = p.json()["id"].as_i64().unwrap();
        let reg = app
            .api(
                Method::POST,
                "/api/v1/appeals",
                Some(
                    json!({"kind": "request", "priority": "emergency", "premises_id": premises,
                "person_id": person, "substance": "Затопило кухню, течёт с потолка"}),
                ),
            )
            .await
            .json();
        let id = reg["id"].as_i64().unwrap();

        // The badge on every page shows the alert to those who see appeals.
        let badge = app.get(Role::Dispatcher, "/alerts/badge").await;
        assert!(
            badge.body.contains("Авария: не подтверждено 1"),
            "{}",
            badge.body
        );
        assert_eq!(app.get(Role::Contractor, "/alerts/badge").await.body, "");
        let home = app.get(Role::Specialist, "/").await;
        assert!(home.body.contains("hx-get=\"/alerts/badge\""));
        let list = app.get(Role::Dispatcher, "/alerts").await;
        assert!(
            list.body.contains("Затопило кухню") && list.body.contains("Принять аварию"),
            "{}",
            list.body
        );
        let alerts = app.api(Method::GET, "/api/v1/alerts", None).await.json();
        let alert = alerts[0]["id"].as_i64().unwrap();
        let ack = app
            .page(
                Role::Dispatcher,
                Method::POST,
                &format!("/alerts/{alert}/acknowledge"),
                &[],
            )
            .await;
        assert_eq!(ack.status, StatusCode::SEE_OTHER);
        assert_eq!(app.get(Role::Dispatcher, "/alerts/badge").await.body, "");
        let again = app
            .api(
                Method::POST,
                &format!("/api/v1/alerts/{alert}/acknowledge"),
                None,
            )
            .await;
        assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(again.body.contains("Сотрудник Диспетчер"), "{}", again.body);
        let fb = app
            .get(Role::Specialist, &format!("/appeals/{id}/feedback"))
            .await;
        assert!(
            fb.body.contains("принято — Сотрудник Диспетчер"),
            "{}",
            fb.body
        );

        // Deferral needs a reason; to done; the rating question went to the applicant.
        let later = (chrono::Utc::now() + chrono::TimeDelta::days(3)).to_rfc3339();
        let bad = app
            .api(
                Method::POST,
                &format!("/api/v1/appeals/{id}/deadline"),
                Some(json!({"deadline_at": later, "reason": ""})),
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        let ok = app
            .api(
                Method::POST,
                &format!("/api/v1/appeals/{id}/deadline"),
                Some(json!({"deadline_at": later, "reason": "Ждём запчасть"})),
            )
            .await;
        assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
        for step in [
            json!({"to": "in_progress", "executor_id": 1}),
            json!({"to": "done", "result": "Перекрыли стояк, заменили участок трубы"}),
        ] {
            let r = app
                .api(
                    Method::POST,
                    &format!("/api/v1/appeals/{id}/status"),
                    Some(step),
                )
                .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        }
        let body: String =
            sqlx::query("SELECT body FROM outbox WHERE source_id = $1 AND body LIKE '%/rate/%'")
                .bind(id)
                .fetch_one(app.t.db.read())
                .await
                .unwrap()
                .get(0);
        let token = body.split("/rate/").nth(1).unwrap().trim().to_string();
        let url = format!("/rate/{token}");
        let page = public(&app, Method::GET, &url, "").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body.contains("Устранена ли неисправность")
                && page.body.contains("Перекрыли стояк"),
            "{}",
            page.body
        );
        assert_eq!(
            public(&app, Method::GET, "/rate/nonsense", "").await.status,
            StatusCode::NOT_FOUND
        );
        let ask = public(&app, Method::POST, &url, "rating=2").await;
        assert!(
            ask.body.contains("2 из 5") && ask.body.contains("Подтвердить"),
            "{}",
            ask.body
        );
        let a = app
            .api(Method::GET, &format!("/api/v1/appeals/{id}"), None)
            .await
            .json()["appeal"]
            .clone();
        assert_eq!(
            (a["rating"].is_null(), a["status"].as_str()),
            (true, Some("done")),
            "nothing recorded before confirmation"
        );
        let done = public(&app, Method::POST, &url, "rating=2&confirm=yes").await;
        assert!(done.body.contains("открыто повторно"), "{}", done.body);
        let a = app
            .api(Method::GET, &format!("/api/v1/appeals/{id}"), None)
            .await
            .json()["appeal"]
            .clone();
        assert_eq!(
            (
                a["rating"].as_i64(),
                a["status"].as_str(),
                a["reopen_count"].as_i64()
            ),
            (Some(2), Some("reopened"), Some(1))
        );
        let used = public(&app, Method::GET, &url, "").await;
        assert!(used.body.contains("уже получена"), "{}", used.body);
        let again = public(&app, Method::POST, &url, "rating=5&confirm=yes").await;
        assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);

        // The specialist records a phone answer; a bad value is named.
        for step in [
            json!({"to": "in_progress", "executor_id": 1}),
            json!({"to": "done", "result": "Доделали"}),
        ] {
            app.api(
                Method::POST,
                &format!("/api/v1/appeals/{id}/status"),
                Some(step),
            )
            .await;
        }
        let bad = app
            .api(
                Method::POST,
                &format!("/api/v1/appeals/{id}/rating"),
                Some(json!({"rating": "7"})),
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        let r = app
            .page(
                Role::Specialist,
                Method::POST,
                &format!("/appeals/{id}/rating"),
                &[("rating", "5")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let fb = app
            .get(Role::Specialist, &format!("/appeals/{id}/feedback"))
            .await;
        assert!(
            fb.body.contains("5 из 5") && fb.body.contains("по телефону"),
            "{}",
            fb.body
        );
    }
);
