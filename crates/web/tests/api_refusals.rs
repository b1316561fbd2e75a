//! Every API refusal is Russian problem+json whose `status` is the HTTP one, also for a
//! malformed address, query string, JSON or multipart body, which axum would answer in English
//! plain text.

mod common;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use serde_json::json;

/// Checks the problem document and returns its detail and the field it names (if any).
fn problem(r: &common::Resp, status: StatusCode) -> (String, String) {
    assert_eq!(r.status, status, "{}", r.body);
    assert_eq!(
        r.headers[header::CONTENT_TYPE],
        "application/problem+json",
        "{}",
        r.body
    );
    let j = r.json();
    assert_eq!(j["status"], status.as_u16(), "{}", r.body);
    let detail = j["detail"].as_str().unwrap().to_string();
    assert!(
        detail
            .chars()
            .any(|c| ('а'..='я').contains(&c.to_lowercase().next().unwrap())),
        "not Russian: {detail}"
    );
    let field = j["errors"][0]["field"].as_str().unwrap_or("").to_string();
    (detail, field)
}

fn multipart(app: &common::TestApp, path: &str, content_type: &str, body: &str) -> Request<Body> {
    Request::builder()
        .method(Method::POST)
        .uri(path)
        .header(header::AUTHORIZATION, format!("Bearer {}", app.token))
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body.to_string()))
        .unwrap()
}

both!(
    malformed_requests_are_named_in_russian,
    |app: common::TestApp| async move {
        let (bid, _, _) = app.seed("ул. Ленина", "5", "12", "100234").await;
        // A path id that is not a number, alone and second of two.
        let r = app.api(Method::GET, "/api/v1/accounts/abc", None).await;
        let (detail, field) = problem(&r, StatusCode::BAD_REQUEST);
        assert_eq!(field, "id");
        assert!(
            detail.contains("«abc»") && detail.contains("целое число"),
            "{detail}"
        );
        let r = app
            .api(Method::GET, "/api/v1/appeals/1/files/x1", None)
            .await;
        let (detail, field) = problem(&r, StatusCode::BAD_REQUEST);
        assert_eq!(field, "file_id");
        assert!(detail.contains("«x1»"), "{detail}");
        // A missing and a wrong query parameter.
        let r = app.api(Method::GET, "/api/v1/search", None).await;
        let (detail, field) = problem(&r, StatusCode::BAD_REQUEST);
        assert_eq!(field, "q");
        assert!(detail.contains("«q»"), "{detail}");
        let r = app
            .api(Method::GET, "/api/v1/accounts?page=abc", None)
            .await;
        let (detail, field) = problem(&r, StatusCode::BAD_REQUEST);
        assert_eq!(field, "page");
        assert!(
            detail.contains("«abc»") && detail.contains("целое число"),
            "{detail}"
        );
        // Broken JSON is placed by line and column; a missing or mistyped field is named.
        let broken = Request::builder()
            .method(Method::POST)
            .uri("/api/v1/buildings")
            .header(header::AUTHORIZATION, format!("Bearer {}", app.token))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from("{\"street\": "))
            .unwrap();
        let (detail, _) = problem(&app.send(broken).await, StatusCode::BAD_REQUEST);
        assert!(
            detail.contains("не JSON") && detail.contains("строке 1"),
            "{detail}"
        );
        let close = format!("/api/v1/buildings/{bid}/close");
        let r = app.api(Method::POST, &close, Some(json!({}))).await;
        let (detail, field) = problem(&r, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(field, "reason");
        assert!(detail.contains("«reason»"), "{detail}");
        let r = app
            .api(Method::POST, &close, Some(json!({"reason": 5})))
            .await;
        let (detail, field) = problem(&r, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(field, "reason");
        assert!(detail.contains("нужна строка"), "{detail}");
        // A multipart body that is not multipart, and one cut short.
        let files = "/api/v1/appeals/1/files";
        let r = app
            .send(multipart(&app, files, "application/json", "{}"))
            .await;
        let (detail, field) = problem(&r, StatusCode::BAD_REQUEST);
        assert_eq!(field, "file");
        assert!(detail.contains("multipart/form-data"), "{detail}");
        let cut =
            "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\r\n%PDF";
        let r = app
            .send(multipart(
                &app,
                files,
                "multipart/form-data; boundary=b",
                cut,
            ))
            .await;
        let (detail, _) = problem(&r, StatusCode::BAD_REQUEST);
        assert!(detail.contains("поле file"), "{detail}");
        // An address the API does not have, and a method it does not take.
        let (detail, _) = problem(
            &app.api(Method::GET, "/api/v1/no-such-thing", None).await,
            StatusCode::NOT_FOUND,
        );
        assert!(
            detail.contains("не найдена") || detail.contains("нет"),
            "{detail}"
        );
        let (detail, _) = problem(
            &app.api(Method::DELETE, "/api/v1/me", None).await,
            StatusCode::METHOD_NOT_ALLOWED,
        );
        assert!(detail.contains("DELETE"), "{detail}");
    }
);
