//! What a user reads (issue 17 §6): dates as ДД.ММ.ГГГГ on the list pages that showed them as
//! stored, and a form or file the server could not read is refused in Russian, never with a
//! library's English text.

mod common;

use abonent_domain::Role;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode};

/// The text between tags (attribute values left out): what a person reads.
fn visible(html: &str) -> String {
    let body = html.split("<main").nth(1).unwrap_or(html);
    body.split('<')
        .filter_map(|part| part.split_once('>').map(|(_, text)| text))
        .collect::<Vec<_>>()
        .join(" ")
}

fn stored_date(s: &str) -> Option<String> {
    let b = s.as_bytes();
    (0..b.len().saturating_sub(9)).find_map(|i| {
        let w = &b[i..i + 10];
        let d = |r: std::ops::Range<usize>| r.into_iter().all(|j| w[j].is_ascii_digit());
        (d(0..4) && w[4] == b'-' && d(5..7) && w[7] == b'-' && d(8..10))
            .then(|| s[i.saturating_sub(40)..(i + 30).min(s.len())].to_string())
    })
}

both!(
    lists_show_dates_as_people_write_them,
    |app: common::TestApp| async move {
        let (_, _, _) = app.seed("ул. Ленина", "5", "12", "100234").await;
        for (role, path, expect) in [
            (Role::Specialist, "/accounts", "01.01.2024"),
            (Role::Administrator, "/admin/tokens", "тест"),
        ] {
            let r = app.get(role, path).await;
            assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.body);
            let text = visible(&r.body);
            assert!(
                text.contains(expect),
                "{path}: «{expect}» missing in {text}"
            );
            assert_eq!(stored_date(&text), None, "{path}: a stored date in {text}");
        }
    }
);

both!(
    a_broken_upload_is_refused_in_russian,
    |app: common::TestApp| async move {
        let s = &app.sessions[&Role::Administrator];
        for path in ["/import", "/ledger/charges", "/ledger/payments"] {
            let req = Request::builder()
                .method(Method::POST)
                .uri(path)
                .header("cookie", &s.cookie)
                .header("x-csrf-token", &s.csrf)
                .header("content-type", "multipart/form-data; boundary=XYZ")
                .body(Body::from("--XYZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\nобрыв"))
                .unwrap();
            let r = app.send(req).await;
            assert!(
                r.status.is_client_error(),
                "{path}: {} {}",
                r.status,
                r.body
            );
            let text = visible(&r.body);
            assert!(
                text.contains("получены не целиком") || text.contains("слишком большой"),
                "{path}: {text}"
            );
            for english in ["Error", "error", "multipart", "request", "Failed"] {
                assert!(!text.contains(english), "{path}: «{english}» in {text}");
            }
        }
    }
);
