//! Sign-in over HTTP: parallel guesses cannot outrun the lock, an unknown login answers like a
//! known one, and the session cookie is `Secure` when the site is served over HTTPS.

mod common;

use abonent_storage::{login_attempts, settings, users};
use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use tower::ServiceExt;

/// What TestApp gave every role's user.
const PASSWORD: &str = "test password 1";

fn login_request(login: &str, password: &str, headers: &[(&str, &str)]) -> Request<Body> {
    let body = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs([("login", login), ("password", password), ("next", "/")])
        .finish();
    let mut req = Request::builder()
        .method(Method::POST)
        .uri("/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    req.body(Body::from(body)).unwrap()
}

/// The alert of a refused sign-in page.
fn alert(r: &common::Resp) -> String {
    let from = r
        .body
        .find("role=\"alert\">")
        .unwrap_or_else(|| panic!("no alert: {}", r.body));
    r.body[from..].split('<').next().unwrap().to_string()
}

both!(
    parallel_wrong_passwords_lock_the_login,
    |app: common::TestApp| async move {
        let mut tasks = Vec::new();
        for i in 0..41 {
            let router = app.router.clone();
            let password = if i == 20 {
                PASSWORD.to_string()
            } else {
                format!("wrong {i}")
            };
            tasks.push(tokio::spawn(async move {
                let res = router
                    .oneshot(login_request("specialist", &password, &[]))
                    .await
                    .unwrap();
                (password == PASSWORD, res.status())
            }));
        }
        let mut right_signed_in = false;
        for t in tasks {
            let (right, status) = t.await.unwrap();
            assert!(
                status == StatusCode::UNAUTHORIZED || right && status == StatusCode::SEE_OTHER,
                "{status}"
            );
            right_signed_in |= right && status == StatusCode::SEE_OTHER;
        }
        // Every verification is a claimed attempt in the database: the wrong ones stop at the
        // limit (the right one, when it came in time, was checked too).
        let checked = login_attempts::passwords_checked(&app.t.db, "specialist")
            .await
            .unwrap();
        assert!(
            checked - i64::from(right_signed_in) <= users::MAX_FAILED_LOGINS,
            "{checked} passwords checked"
        );
        let after = app.send(login_request("specialist", PASSWORD, &[])).await;
        assert_eq!(after.status, StatusCode::UNAUTHORIZED, "{}", after.body);
        assert!(
            alert(&after).contains("заблокирован до"),
            "{}",
            alert(&after)
        );
        // The time is shown in the organization's zone, not in UTC.
        let until: String = sqlx::query_scalar(
            "SELECT locked_until FROM login_attempts WHERE login = 'specialist'",
        )
        .fetch_one(app.t.db.read())
        .await
        .unwrap();
        let until = abonent_storage::time::parse(&until).expect("locked");
        let tz = abonent_storage::settings::time_zone(&app.t.db)
            .await
            .unwrap();
        assert_ne!(tz, chrono_tz::Tz::UTC);
        let local = until.with_timezone(&tz).format("%H:%M").to_string();
        assert!(
            alert(&after).contains(&format!("заблокирован до {local}.")),
            "{local}: {}",
            alert(&after)
        );
        assert!(!alert(&after).contains("UTC"), "{}", alert(&after));
    }
);

both!(
    unknown_login_answers_like_a_known_one,
    |app: common::TestApp| async move {
        let mut known = Vec::new();
        let mut unknown = Vec::new();
        for _ in 0..=users::MAX_FAILED_LOGINS {
            let k = app
                .send(login_request("specialist", "wrong pass", &[]))
                .await;
            let u = app.send(login_request("nobody", "wrong pass", &[])).await;
            assert_eq!(
                (k.status, u.status),
                (StatusCode::UNAUTHORIZED, StatusCode::UNAUTHORIZED)
            );
            known.push(alert(&k));
            unknown.push(alert(&u));
        }
        assert_eq!(known, unknown);
        assert!(
            unknown[0].contains("Неверный логин или пароль"),
            "{}",
            unknown[0]
        );
        let last = unknown.last().unwrap();
        assert!(last.contains("заблокирован до"), "{last}");
        assert!(unknown[..unknown.len() - 2]
            .iter()
            .all(|m| !m.contains("заблокирован до")));
        // Both were checked the same number of times, and no user was made up for the stranger.
        let checked = |login: &'static str| login_attempts::passwords_checked(&app.t.db, login);
        assert_eq!(checked("nobody").await.unwrap(), users::MAX_FAILED_LOGINS);
        assert_eq!(
            checked("specialist").await.unwrap(),
            users::MAX_FAILED_LOGINS
        );
        assert!(users::by_login(&app.t.db, "nobody")
            .await
            .unwrap()
            .is_none());
    }
);

async fn cookie_after_sign_in(
    app: &common::TestApp,
    login: &str,
    headers: &[(&str, &str)],
) -> String {
    let r = app.send(login_request(login, PASSWORD, headers)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    r.headers[header::SET_COOKIE].to_str().unwrap().to_string()
}

both!(
    session_cookie_is_secure_over_https,
    |app: common::TestApp| async move {
        let proxy = [("x-forwarded-proto", "https")];
        // Plain http (the default address), and a proxy header nobody was told to trust.
        assert!(!cookie_after_sign_in(&app, "specialist", &[])
            .await
            .contains("Secure"));
        assert!(!cookie_after_sign_in(&app, "manager", &proxy)
            .await
            .contains("Secure"));
        // An administrator trusts the proxy: its header makes the cookie Secure, its absence not.
        let admin = app
            .page(
                abonent_domain::Role::Administrator,
                Method::POST,
                "/admin/settings",
                &[
                    ("org.name", "ООО «УК»"),
                    ("org.time_zone", "Asia/Yekaterinburg"),
                    ("app.public_url", "http://uk.example"),
                    ("app.trust_forwarded_proto", "может быть"),
                ],
            )
            .await;
        assert_eq!(
            admin.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            admin.body
        );
        assert!(
            admin.body.contains("напишите «да» или «нет»"),
            "{}",
            admin.body
        );
        settings::set(&app.t.db, "app.trust_forwarded_proto", "да", "тест")
            .await
            .unwrap();
        let fresh = abonent_web::app(app.t.db.clone());
        let send = |req| fresh.clone().oneshot(req);
        let res = send(login_request("auditor", PASSWORD, &proxy))
            .await
            .unwrap();
        assert!(res.headers()[header::SET_COOKIE]
            .to_str()
            .unwrap()
            .ends_with("; Secure"));
        let res = send(login_request("auditor", PASSWORD, &[])).await.unwrap();
        assert!(!res.headers()[header::SET_COOKIE]
            .to_str()
            .unwrap()
            .contains("Secure"));
        // The public address is https://: Secure whatever the proxy says.
        settings::set(&app.t.db, "app.trust_forwarded_proto", "нет", "тест")
            .await
            .unwrap();
        settings::set(&app.t.db, "app.public_url", "https://uk.example", "тест")
            .await
            .unwrap();
        let fresh = abonent_web::app(app.t.db.clone());
        let res = fresh
            .oneshot(login_request("auditor", PASSWORD, &[]))
            .await
            .unwrap();
        assert!(res.headers()[header::SET_COOKIE]
            .to_str()
            .unwrap()
            .ends_with("; Secure"));
    }
);
