//! Every route checks the role on the server: for each route in the route table, a role that
//! may use it is let through and a role that may not is refused with 403.

mod common;

use abonent_domain::Role;
use abonent_web::routes::{self, Access};
use axum::body::Body;
use axum::http::{Method, Request, StatusCode};

fn sample_path(path: &str) -> String {
    path.replace("{id}", "1")
        .replace("{name}", "app.css")
        .replace("{year}", "2027")
        .replace("{kind}", "person")
        .replace("{code}", "heating")
}

both!(
    every_route_allows_and_refuses_by_role,
    |app: common::TestApp| async move {
        app.seed("ул. Ленина", "5", "12", "100001").await;
        // A message in the notifications outbox for its routes.
        abonent_storage::outbox::enqueue(
            &app.t.db,
            &abonent_storage::outbox::NewMessage::email("a@example.ru", "Тема", "Текст"),
        )
        .await
        .unwrap();
        let mut checked = 0;
        let mut table = routes::all();
        // Logging out ends the session used for the other checks: do it last.
        table.sort_by_key(|r| r.path == "/logout");
        for r in &table {
            let Access::Perm(p) = r.access else { continue };
            let allowed = Role::ALL.into_iter().find(|role| role.can(p)).unwrap();
            let refused = Role::ALL.into_iter().find(|role| !role.can(p)).unwrap();
            let path = sample_path(r.path);
            let res = app.page(refused, r.method.clone(), &path, &[]).await;
            assert_eq!(
                res.status,
                StatusCode::FORBIDDEN,
                "{} {} as {:?} must be refused: {}",
                r.method,
                path,
                refused,
                res.body
            );
            let res = app.page(allowed, r.method.clone(), &path, &[]).await;
            assert!(
                res.status != StatusCode::FORBIDDEN
                    && res.status != StatusCode::UNAUTHORIZED
                    && !res.location().starts_with("/login"),
                "{} {} as {:?} must be let through, got {} {}",
                r.method,
                path,
                allowed,
                res.status,
                res.body
            );
            checked += 1;
        }
        assert!(checked > 60, "only {checked} guarded routes");
    }
);

both!(
    anonymous_requests_go_to_login_or_get_401,
    |app: common::TestApp| async move {
        for r in routes::all().iter().filter(|r| r.access != Access::Public) {
            let req = Request::builder()
                .method(r.method.clone())
                .uri(sample_path(r.path))
                .body(Body::empty())
                .unwrap();
            let res = app.send(req).await;
            if r.api {
                assert_eq!(
                    res.status,
                    StatusCode::UNAUTHORIZED,
                    "{} {}",
                    r.method,
                    r.path
                );
                assert_eq!(res.headers["content-type"], "application/problem+json");
            } else {
                assert_eq!(res.status, StatusCode::SEE_OTHER, "{} {}", r.method, r.path);
                assert!(
                    res.location().starts_with("/login?next="),
                    "{}",
                    res.location()
                );
            }
        }
    }
);

both!(
    forms_without_csrf_token_are_refused,
    |app: common::TestApp| async move {
        let s = &app.sessions[&Role::Specialist];
        let req = Request::builder()
            .method(Method::POST)
            .uri("/buildings")
            .header("cookie", &s.cookie)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from("region=a&city=b&street=c&house=1"))
            .unwrap();
        let res = app.send(req).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        assert!(res.body.contains("CSRF"));
        let res = app
            .page(
                Role::Specialist,
                Method::POST,
                "/buildings",
                &[
                    ("region", "Свердловская обл."),
                    ("city", "г. Екатеринбург"),
                    ("street", "ул. Мира"),
                    ("house", "1"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    }
);

both!(
    revoked_token_and_auditor_token_rights,
    |app: common::TestApp| async move {
        let (id, secret) =
            abonent_storage::users::create_token(&app.t.db, "аудит", Role::Auditor, None)
                .await
                .unwrap();
        let call = |method: Method, path: &str, secret: &str| {
            Request::builder()
                .method(method)
                .uri(path)
                .header("authorization", format!("Bearer {secret}"))
                .header("content-type", "application/json")
                .body(Body::from("{}"))
                .unwrap()
        };
        assert_eq!(
            app.send(call(Method::GET, "/api/v1/buildings", &secret))
                .await
                .status,
            StatusCode::OK
        );
        assert_eq!(
            app.send(call(Method::POST, "/api/v1/buildings", &secret))
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        abonent_storage::users::revoke_token(&app.t.db, id)
            .await
            .unwrap();
        assert_eq!(
            app.send(call(Method::GET, "/api/v1/buildings", &secret))
                .await
                .status,
            StatusCode::UNAUTHORIZED
        );
    }
);
