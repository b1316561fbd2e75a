//! Services are reference data (issue 14 §5) on both backends: the administrator adds one
//! through the API and the page (title, kind, whether it may be suspended, the words a
//! charges file names it by), bad input is refused at its field, and the charges import
//! recognises the new service by its title and words — nothing compiled in.

mod common;

use abonent_domain::Role;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use common::{field_message, TestApp};
use serde_json::json;

async fn upload_charges(app: &TestApp, token: &str, name: &str, csv: &str) -> common::Resp {
    let boundary = "----abonentservices";
    let mut body =
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"dry_run\"\r\n\r\ntrue\r\n");
    body.push_str(&format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n{csv}\r\n--{boundary}--\r\n"));
    let req = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/ledger/charges")
        .header("authorization", format!("Bearer {token}"))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::from(body))
        .unwrap();
    app.send(req).await
}

both!(services_are_reference_data, |app: TestApp| async move {
    app.seed("ул. Ленина", "5", "12", "100001").await;
    let admin = app.token_of(Role::Administrator).await;
    let accountant = app.token_of(Role::Accountant).await;
    let csv = "ЛС;Период;Услуга;Сумма\n100001;2026-10;Домофон;45,00\n100001;2026-10;Запирающее устройство;10,00\n";
    // Before the service exists the file is refused line by line.
    let r = upload_charges(&app, &accountant, "a.csv", csv).await;
    assert!(r.body.contains("«Домофон» не распознана"), "{}", r.body);

    let r = app
        .api_with(&admin, Method::POST, "/api/v1/services", Some(json!({"code": "intercom", "title": "Домофон", "kind": "other", "may_suspend": true, "names": "запирающее устройство"})))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.json()["may_suspend"], true);
    assert_eq!(r.json()["names"], json!(["запирающее устройство"]));
    let r = upload_charges(&app, &accountant, "a.csv", csv).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["preview"]["valid_rows"], 2, "{}", r.body);

    // Bad input names the field; the code is taken once.
    let r = app
        .api_with(
            &admin,
            Method::POST,
            "/api/v1/services",
            Some(json!({"code": "домофон", "title": "", "kind": "x"})),
        )
        .await;
    assert!(field_message(&r, "code").contains("латинские"));
    assert!(field_message(&r, "kind").contains("utility"));
    let r = app
        .api_with(
            &admin,
            Method::POST,
            "/api/v1/services",
            Some(json!({"code": "intercom", "title": "Ещё", "kind": "other"})),
        )
        .await;
    assert!(field_message(&r, "code").contains("уже есть"));
    // Editing keeps the code; a specialist may read but not change.
    let r = app
        .api_with(&admin, Method::PUT, "/api/v1/services/intercom", Some(json!({"title": "Домофон и ЗУ", "kind": "maintenance", "may_suspend": false, "names": "домофон"})))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["kind"], "maintenance");
    let r = app.api(Method::GET, "/api/v1/services", None).await;
    assert!(r.body.contains("Домофон и ЗУ"), "{}", r.body);
    let r = app
        .api(
            Method::PUT,
            "/api/v1/services/intercom",
            Some(json!({"title": "x", "kind": "other"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // The page: the list, a new service, a refusal shown at the form.
    let page = app.get(Role::Administrator, "/ledger/services").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Домофон и ЗУ"), "{}", page.body);
    let r = app
        .page(
            Role::Administrator,
            Method::POST,
            "/ledger/services",
            &[
                ("code", "antenna"),
                ("title", "Антенна"),
                ("kind", "other"),
                ("names", "ТВ, антенн"),
            ],
        )
        .await;
    assert_eq!(r.location(), "/ledger/services", "{}", r.body);
    let r = app
        .page(
            Role::Administrator,
            Method::POST,
            "/ledger/services",
            &[("code", "bad code"), ("title", "Плохая"), ("kind", "other")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("латинские буквы"), "{}", r.body);
    let r = app.api(Method::GET, "/api/v1/services", None).await;
    assert!(r.body.contains("Антенна"), "{}", r.body);
});
