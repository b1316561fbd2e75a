//! Security headers on every page and API answer, pages without inline script, and the CSRF
//! token of upload forms never in the address.

mod common;

use abonent_domain::Role;
use abonent_web::routes::{self, Access};
use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};

fn header_of<'a>(r: &'a common::Resp, name: &str) -> &'a str {
    r.headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

/// Inline script a strict policy would refuse: a `<script>` with a body, an `on…=` handler
/// attribute, a `javascript:` address, or a `style=` attribute (styles come from files too).
fn inline_code(html: &str) -> Option<String> {
    let lower = html.to_lowercase();
    let mut at = 0;
    while let Some(i) = lower[at..].find("<script") {
        let start = at + i;
        let open_end = start + lower[start..].find('>').unwrap_or(0) + 1;
        let close = open_end + lower[open_end..].find("</script>").unwrap_or(0);
        if !lower[open_end..close].trim().is_empty() {
            return Some(html[start..close].chars().take(120).collect());
        }
        at = close.max(open_end);
    }
    // Attributes inside tags: split on '<' and look at the tag's text up to '>'.
    for tag in lower.split('<').skip(1) {
        let tag = tag.split('>').next().unwrap_or("");
        for attr in tag.split_whitespace().skip(1) {
            let name = attr.split('=').next().unwrap_or("");
            let handler = name.len() > 2 && name.starts_with("on") && attr.contains('=');
            if handler || name == "style" || attr.contains("javascript:") {
                return Some(format!("<{tag}>"));
            }
        }
    }
    None
}

fn assert_page_headers(path: &str, r: &common::Resp) {
    let csp = header_of(r, "content-security-policy");
    for part in [
        "default-src 'self'",
        "script-src 'self'",
        "frame-ancestors 'none'",
        "object-src 'none'",
    ] {
        assert!(csp.contains(part), "{path}: CSP «{csp}» lacks {part}");
    }
    assert!(!csp.contains("unsafe"), "{path}: {csp}");
    assert_common_headers(path, r);
}

fn assert_common_headers(path: &str, r: &common::Resp) {
    assert_eq!(header_of(r, "x-frame-options"), "DENY", "{path}");
    assert_eq!(header_of(r, "x-content-type-options"), "nosniff", "{path}");
    assert_eq!(header_of(r, "referrer-policy"), "same-origin", "{path}");
    assert_eq!(header_of(r, "cache-control"), "no-store", "{path}");
}

both!(
    every_page_has_a_strict_policy_and_no_inline_code,
    |app: common::TestApp| async move {
        let (bid, _, aid) = app.seed("ул. Ленина", "5", "12", "100234").await;
        let mut pages = 0;
        for route in routes::all() {
            if route.method != Method::GET || route.api || route.path.starts_with("/assets/") {
                continue;
            }
            let path = route
                .path
                .replace("{id}", &aid.to_string())
                .replace("{building_id}", &bid.to_string());
            if path.contains('{') {
                continue;
            }
            let r = if route.access == Access::Public {
                app.send(Request::get(&path).body(Body::empty()).unwrap())
                    .await
            } else {
                app.get(Role::Administrator, &path).await
            };
            if !header_of(&r, "content-type").starts_with("text/html") {
                continue;
            }
            pages += 1;
            assert_page_headers(&path, &r);
            if let Some(code) = inline_code(&r.body) {
                panic!("{path}: inline code {code}");
            }
        }
        assert!(pages > 40, "only {pages} pages walked");
        // The error page of an unknown address too.
        let missing = app.get(Role::Administrator, "/no/such/page").await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
        assert_page_headers("/no/such/page", &missing);
        assert_eq!(inline_code(&missing.body), None);
    }
);

both!(
    api_answers_are_not_cached_and_assets_are,
    |app: common::TestApp| async move {
        let me = app.api(Method::GET, "/api/v1/me", None).await;
        assert_eq!(me.status, StatusCode::OK);
        assert_common_headers("/api/v1/me", &me);
        let refused = app.api(Method::GET, "/api/v1/accounts/999999", None).await;
        assert_common_headers("/api/v1/accounts/999999", &refused);
        let js = app
            .send(Request::get("/assets/app.js").body(Body::empty()).unwrap())
            .await;
        assert_eq!(js.status, StatusCode::OK);
        assert!(header_of(&js, "cache-control").contains("max-age"));
        assert_eq!(header_of(&js, "x-content-type-options"), "nosniff");
    }
);

#[test]
fn inline_code_is_found() {
    assert!(inline_code("<script>alert(1)</script>").is_some());
    assert!(inline_code("<a href=\"/\" onclick=\"x()\">").is_some());
    assert!(inline_code("<a href=\"javascript:history.back()\">").is_some());
    assert!(inline_code("<td style=\"padding-left: 1rem\">").is_some());
    assert_eq!(
        inline_code("<script src=\"/assets/app.js\" defer></script><p>online</p>"),
        None
    );
}

/// A registry file sent to the import form, with the CSRF token where `csrf_at` says.
async fn import_upload(app: &common::TestApp, csrf_at: &str) -> common::Resp {
    let s = &app.sessions[&Role::Specialist];
    let boundary = "----abonentcsrf";
    let part = |name: &str, value: &str| {
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        )
    };
    let file = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"r.csv\"\r\n\r\nЛС;Адрес\r\n1;Ленина 5-12\r\n"
    );
    let body = match csrf_at {
        "first" => part("_csrf", &s.csrf) + &file,
        "after_file" => file + &part("_csrf", &s.csrf),
        _ => file,
    } + &format!("--{boundary}--\r\n");
    let uri = if csrf_at == "query" {
        format!("/import?_csrf={}", s.csrf)
    } else {
        "/import".into()
    };
    let mut req = Request::builder()
        .method(Method::POST)
        .uri(uri)
        .header(header::COOKIE, &s.cookie)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        );
    if csrf_at == "header" {
        req = req.header("x-csrf-token", &s.csrf);
    }
    app.send(req.body(Body::from(body)).unwrap()).await
}

both!(
    upload_forms_carry_the_token_in_the_body_not_the_address,
    |app: common::TestApp| async move {
        for refused in ["query", "after_file", "none"] {
            let r = import_upload(&app, refused).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{refused}: {}", r.body);
            assert!(r.body.contains("CSRF"), "{refused}");
        }
        for accepted in ["first", "header"] {
            let r = import_upload(&app, accepted).await;
            assert_eq!(r.status, StatusCode::OK, "{accepted}: {}", r.body);
            assert!(!r.body.contains("CSRF"), "{accepted}");
        }
        // The form itself sends it so, and nowhere in an address.
        let form = app.get(Role::Specialist, "/import").await;
        assert!(!form.body.contains("_csrf="), "{}", form.body);
        let at = form.body.find("enctype=\"multipart/form-data\"").unwrap();
        let first_input = &form.body[at..][..form.body[at..].find("type=\"file\"").unwrap()];
        assert!(first_input.contains("name=\"_csrf\""), "{first_input}");
    }
);
