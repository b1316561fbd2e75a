//! Appeals, part 2 over HTTP on SQLite and PostgreSQL: incidents, recurring problems,
//! attachments and the contractor's own orders.

mod common;

use abonent_domain::Role;
use abonent_storage::users;
use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use serde_json::json;

async fn register(app: &common::TestApp, premises: i64, email: &str) -> i64 {
    let r = app
        .api(
            Method::POST,
            "/api/v1/appeals",
            Some(json!({"kind": "request", "channel": "phone", "premises_id": premises,
                "applicant_email": email, "applicant_phone": "+7 912 000-00-00", "substance": "Нет горячей воды в квартире"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.json()["id"].as_i64().unwrap()
}

both!(
    incident_through_api_and_pages,
    |app: common::TestApp| async move {
        let (_, p, _) = app.seed("ул. Мира", "7", "1", "700001").await;
        let mut ids = Vec::new();
        for i in 0..3 {
            ids.push(register(&app, p, &format!("r{i}@example.ru")).await);
        }
        let props = app
            .api(Method::GET, "/api/v1/incidents/proposals", None)
            .await;
        assert_eq!(props.status, StatusCode::OK, "{}", props.body);
        assert_eq!(props.json()[0]["appeals"].as_array().unwrap().len(), 3);
        // The card proposes it too; the journal page lists it.
        let card = app
            .get(Role::Specialist, &format!("/appeals/{}", ids[0]))
            .await;
        assert!(
            card.body.contains("Похоже на общедомовую аварию"),
            "{}",
            card.body
        );
        let page = app.get(Role::Specialist, "/incidents").await;
        assert!(page.body.contains("Создать аварию"));

        // Created from the page with the ticked appeals.
        let created = app
            .page(
                Role::Specialist,
                Method::POST,
                "/incidents",
                &[
                    ("title", "Нет ГВС в доме"),
                    ("appeal_ids", &ids[0].to_string()),
                    ("appeal_ids", &ids[1].to_string()),
                ],
            )
            .await;
        assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
        let url = created.location();
        let iid: i64 = url.trim_start_matches("/incidents/").parse().unwrap();
        let linked = app
            .api(
                Method::POST,
                &format!("/api/v1/incidents/{iid}/appeals"),
                Some(json!({"appeal_ids": [ids[2]]})),
            )
            .await;
        assert_eq!(linked.status, StatusCode::OK, "{}", linked.body);
        assert_eq!(linked.json()["appeals"].as_array().unwrap().len(), 3);
        // An auditor may look but not close.
        let denied = app
            .page(
                Role::Auditor,
                Method::POST,
                &format!("/incidents/{iid}/close"),
                &[("result", "x")],
            )
            .await;
        assert_eq!(denied.status, StatusCode::FORBIDDEN);
        let empty = app
            .api(
                Method::POST,
                &format!("/api/v1/incidents/{iid}/close"),
                Some(json!({"result": ""})),
            )
            .await;
        assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(empty.body.contains("result"), "{}", empty.body);
        // The API token has no user to become the executor: the appeals not yet in work are
        // reported as not changed, and nothing is closed.
        let by_token = app
            .api(
                Method::POST,
                &format!("/api/v1/incidents/{iid}/close"),
                Some(json!({"result": "Заменена задвижка ГВС"})),
            )
            .await;
        assert_eq!(by_token.status, StatusCode::OK, "{}", by_token.body);
        let rep = by_token.json();
        assert_eq!(rep["completed"].as_array().unwrap().len(), 0, "{rep}");
        assert_eq!(rep["failed"].as_array().unwrap().len(), 3, "{rep}");
        assert!(
            rep["failed"][0]["reason"]
                .as_str()
                .unwrap()
                .contains("исполнителя"),
            "{rep}"
        );
        assert_eq!(rep["messages"], 0);
        let still = app
            .api(Method::GET, &format!("/api/v1/incidents/{iid}"), None)
            .await;
        assert_eq!(still.json()["status"], "open", "{}", still.body);
        // A specialist closes it from the page and becomes the executor of the appeals.
        let closed = app
            .page(
                Role::Specialist,
                Method::POST,
                &format!("/incidents/{iid}/close"),
                &[("result", "Заменена задвижка ГВС")],
            )
            .await;
        assert_eq!(closed.status, StatusCode::OK, "{}", closed.body);
        assert!(
            closed
                .body
                .contains("Выполнено обращений: 3; сообщений заявителям: 3"),
            "{}",
            closed.body
        );
        for id in &ids {
            let a = app
                .api(Method::GET, &format!("/api/v1/appeals/{id}"), None)
                .await;
            assert_eq!(a.json()["appeal"]["status"], "done");
        }
        let queued: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE source_entity = 'appeal'")
                .fetch_one(app.t.db.read())
                .await
                .unwrap();
        assert_eq!(queued, 3);
        let show = app
            .get(Role::Specialist, &format!("/incidents/{iid}"))
            .await;
        assert!(show.body.contains("закрыта"), "{}", show.body);

        // Recurring problems: 3 in one building and category within 30 days.
        let rec = app
            .api(Method::GET, "/api/v1/recurring-problems", None)
            .await;
        assert_eq!(rec.json()[0]["count"], 3, "{}", rec.body);
        let page = app.get(Role::Manager, "/recurring-problems").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("ул. Мира, д. 7"), "{}", page.body);
    }
);

fn multipart(name: &str, content: &[u8]) -> (String, Vec<u8>) {
    let boundary = "XyZabonentBoundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(content);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn upload(app: &common::TestApp, id: i64, name: &str, content: &[u8]) -> common::Resp {
    let (ct, body) = multipart(name, content);
    app.send(
        Request::builder()
            .method(Method::POST)
            .uri(format!("/api/v1/appeals/{id}/files"))
            .header(header::AUTHORIZATION, format!("Bearer {}", app.token))
            .header(header::CONTENT_TYPE, ct)
            .body(Body::from(body))
            .unwrap(),
    )
    .await
}

both!(attachments, |app: common::TestApp| async move {
    let (_, p, _) = app.seed("ул. Мира", "8", "2", "700002").await;
    let id = register(&app, p, "").await;
    let jpeg = [&[0xFFu8, 0xD8, 0xFF, 0xE0][..], &[7u8; 5000][..]].concat();
    let ok = upload(&app, id, "кухня.jpg", &jpeg).await;
    assert_eq!(ok.status, StatusCode::CREATED, "{}", ok.body);
    let fid = ok.json()["id"].as_i64().unwrap();
    assert_eq!(ok.json()["content_type"], "image/jpeg");
    // Back byte for byte, from the database.
    let got = app
        .send(
            Request::builder()
                .uri(format!("/api/v1/appeals/{id}/files/{fid}"))
                .header(header::AUTHORIZATION, format!("Bearer {}", app.token))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(got.status, StatusCode::OK);
    assert_eq!(got.headers["content-type"], "image/jpeg");
    assert_eq!(got.body.len(), String::from_utf8_lossy(&jpeg).len());
    // Another appeal's path does not serve it.
    let other = register(&app, p, "").await;
    let miss = app
        .api(
            Method::GET,
            &format!("/api/v1/appeals/{other}/files/{fid}"),
            None,
        )
        .await;
    assert_eq!(miss.status, StatusCode::NOT_FOUND);
    // Wrong type: Russian message on the field.
    let bad = upload(&app, id, "вирус.pdf", b"MZ\x90\0\x03").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    let errs = &bad.json()["errors"][0];
    assert_eq!(errs["field"], "file");
    assert!(errs["message"]
        .as_str()
        .unwrap()
        .contains("можно прикладывать только"));
    // Too big for the setting (1 MB here).
    abonent_storage::settings::set(&app.t.db, "appeals.file_max_mb", "1", "тест")
        .await
        .unwrap();
    let big = [&b"%PDF-1.7\n"[..], &vec![b'x'; 1_200_000][..]].concat();
    let too = upload(&app, id, "скан.pdf", &big).await;
    assert_eq!(too.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(too.body.contains("не более 1 МБ"), "{}", too.body);
    // The card lists the file; the history records the upload.
    let card = app.get(Role::Specialist, &format!("/appeals/{id}")).await;
    assert!(card.body.contains("кухня.jpg"));
    let h = app
        .api(Method::GET, &format!("/api/v1/appeals/{id}/history"), None)
        .await;
    assert!(h
        .json()
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["action"] == "file"));
    let list = app
        .api(Method::GET, &format!("/api/v1/appeals/{id}/files"), None)
        .await;
    assert_eq!(list.json().as_array().unwrap().len(), 1);
});

both!(
    contractor_sees_only_own_orders,
    |app: common::TestApp| async move {
        let (_, p, _) = app.seed("ул. Мира", "9", "3", "700003").await;
        let db = &app.t.db;
        let user = users::by_login(db, "contractor").await.unwrap().unwrap();
        let now = db.now_text();
        for (name, uid) in [("ООО «Сантехник»", Some(user.id)), ("ООО «Другой»", None)]
        {
            sqlx::query("INSERT INTO contractors (name, user_id, created_at, updated_at) VALUES ($1, $2, $3, $3)")
            .bind(name)
            .bind(uid)
            .bind(&now)
            .execute(db.write())
            .await
            .unwrap();
        }
        let mine = register(&app, p, "").await;
        let theirs = register(&app, p, "").await;
        let unassigned = register(&app, p, "").await;
        for (id, c) in [(mine, 1), (theirs, 2)] {
            let r = app
                .api(
                    Method::POST,
                    &format!("/api/v1/appeals/{id}/status"),
                    Some(json!({"to": "assigned", "contractor_id": c})),
                )
                .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        }
        let list = app.get(Role::Contractor, "/api/v1/orders?view=open").await;
        assert_eq!(list.status, StatusCode::OK, "{}", list.body);
        let items = list.json()["items"].as_array().unwrap().clone();
        assert_eq!(items.len(), 1);
        assert_eq!(items[0]["id"], mine);
        assert_eq!(
            app.get(Role::Contractor, &format!("/api/v1/orders/{mine}"))
                .await
                .status,
            StatusCode::OK
        );
        for other in [theirs, unassigned] {
            assert_eq!(
                app.get(Role::Contractor, &format!("/api/v1/orders/{other}"))
                    .await
                    .status,
                StatusCode::NOT_FOUND
            );
        }
        // The register itself stays closed to the contractor; the orders to everyone else.
        assert_eq!(
            app.get(Role::Contractor, &format!("/api/v1/appeals/{theirs}"))
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            app.get(Role::Specialist, "/api/v1/orders").await.status,
            StatusCode::FORBIDDEN
        );
        // The pages: the contractor's journal shows its order only.
        let page = app.get(Role::Contractor, "/orders").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(page.body.contains(&format!("/orders/{mine}")));
        assert!(!page.body.contains(&format!("/orders/{theirs}")));
        assert_eq!(
            app.get(Role::Contractor, &format!("/orders/{theirs}"))
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        // It reports its work: in progress, done.
        let s = &app.sessions[&Role::Contractor];
        let r = app
            .send(
                Request::builder()
                    .method(Method::POST)
                    .uri(format!("/api/v1/orders/{mine}/status"))
                    .header(header::COOKIE, &s.cookie)
                    .header("x-csrf-token", &s.csrf)
                    .header(header::CONTENT_TYPE, "application/json")
                    .body(Body::from(json!({"to": "in_progress"}).to_string()))
                    .unwrap(),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["status"], "in_progress");
    }
);
