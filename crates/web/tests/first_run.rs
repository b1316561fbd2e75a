//! First-run setup (issue 17 §5): on a fresh installation the administrator who signs in is
//! led to the setup; pages that need the organization's details say at the top what is
//! missing, with a link to the form; each step checks its fields (the accounts against the
//! BIC, a public address that residents can open) and saves nothing wrong; when all steps are
//! done the notice is gone.

mod common;

use abonent_domain::Role;
use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};

const ADMIN: Role = Role::Administrator;
const NOTICE: &str = "setup-missing";

fn field_error<'a>(body: &'a str, name: &str) -> &'a str {
    let at = body
        .find(&format!("name=\"{name}\""))
        .unwrap_or_else(|| panic!("no input {name}"));
    let rest = &body[at..];
    let field = &rest[..rest
        .find("</div>\n  </div>")
        .or_else(|| rest.find("\n  </div>"))
        .unwrap_or(rest.len())];
    field
        .split("class=\"field-error\"")
        .nth(1)
        .and_then(|e| e.split_once('>'))
        .map_or("", |(_, t)| t.split('<').next().unwrap_or(""))
}

async fn setting(app: &common::TestApp, key: &str) -> String {
    abonent_storage::settings::get(&app.t.db, key)
        .await
        .unwrap()
}

both!(
    the_first_run_leads_through_setup,
    |app: common::TestApp| async move {
        // Signing in as the administrator of a new installation opens the setup.
        let req = Request::builder()
            .method(Method::POST)
            .uri("/login")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(
                "login=administrator&password=test+password+1&next=%2F",
            ))
            .unwrap();
        let r = app.send(req).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(r.location(), "/admin/setup");

        // The pages that need the details say what is missing, with the link for those who
        // can fill it in.
        for (role, path) in [
            (Role::Specialist, "/appeals"),
            (Role::Specialist, "/documents"),
            (ADMIN, "/"),
        ] {
            let page = app.get(role, path).await;
            assert_eq!(page.status, StatusCode::OK, "{path}");
            assert!(page.body.contains(NOTICE), "{path}: no notice");
            assert!(
                page.body.contains("ИНН") && page.body.contains("суд для заявлений"),
                "{path}"
            );
        }
        assert!(app
            .get(ADMIN, "/appeals")
            .await
            .body
            .contains("href=\"/admin/setup\""));
        assert!(!app
            .get(Role::Specialist, "/appeals")
            .await
            .body
            .contains("href=\"/admin/setup\""));

        let page = app.get(ADMIN, "/admin/setup").await;
        assert!(page.body.contains("Шаг 1 из 4"), "{}", page.body);
        // Step 1: a wrong ИНН is named at its field; nothing is saved.
        let step1 = |inn: &'static str| {
            vec![
                ("org.name", "ООО «УК „Берёзка“»"),
                ("org.inn", inn),
                ("org.kpp", "667001001"),
                ("org.ogrn", "1026600000014"),
                ("org.address", "620000, г. Екатеринбург, ул. Ленина, д. 1"),
                ("org.phones", ""),
            ]
        };
        let r = app
            .page(
                ADMIN,
                Method::POST,
                "/admin/setup?step=1",
                &step1("7701234561"),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            field_error(&r.body, "org.inn").contains("контрольной цифры"),
            "{}",
            r.body
        );
        assert_eq!(setting(&app, "org.inn").await, "");
        let r = app
            .page(
                ADMIN,
                Method::POST,
                "/admin/setup?step=1",
                &step1("7701234560"),
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(r.location(), "/admin/setup?step=2");

        // Step 2: an account that does not agree with the BIC is refused at that account.
        let step2 = |account: &'static str| {
            vec![
                ("org.bank_name", "ПАО СБЕРБАНК"),
                ("org.bic", "044525225"),
                ("org.corr_account", "30101810400000000225"),
                ("org.settlement_account", account),
            ]
        };
        let r = app
            .page(
                ADMIN,
                Method::POST,
                "/admin/setup?step=2",
                &step2("40702810138250123018"),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            field_error(&r.body, "org.settlement_account").contains("не сходится с БИК"),
            "{}",
            r.body
        );
        assert_eq!(
            setting(&app, "org.bic").await,
            "",
            "nothing of the step saved"
        );
        let r = app
            .page(
                ADMIN,
                Method::POST,
                "/admin/setup?step=2",
                &step2("40702810138250123017"),
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(setting(&app, "org.inn").await, "7701234560", "step 1 kept");

        // Step 3: the court.
        let r = app
            .page(
                ADMIN,
                Method::POST,
                "/admin/setup?step=3",
                &[("court.name", ""), ("court.address", "")],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(field_error(&r.body, "court.name").contains("Укажите"));
        let r = app
            .page(
                ADMIN,
                Method::POST,
                "/admin/setup?step=3",
                &[
                    (
                        "court.name",
                        "Мировой судья судебного участка № 3 Ленинского района",
                    ),
                    (
                        "court.address",
                        "620000, г. Екатеринбург, ул. Малышева, д. 2",
                    ),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

        // Step 4: the zone from the list; a local address is refused at its field.
        let page = app.get(ADMIN, "/admin/setup?step=4").await;
        assert!(page
            .body
            .contains("<option value=\"Asia/Kamchatka\">Петропавловск-Камчатский"));
        let r = app
            .page(
                ADMIN,
                Method::POST,
                "/admin/setup?step=4",
                &[
                    ("org.time_zone", "Europe/Samara"),
                    ("app.public_url", "http://localhost:8080"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(field_error(&r.body, "app.public_url").contains("адрес самого сервера"));
        assert_eq!(setting(&app, "org.time_zone").await, "Asia/Yekaterinburg");
        assert!(app
            .get(Role::Specialist, "/appeals")
            .await
            .body
            .contains(NOTICE));
        let r = app
            .page(
                ADMIN,
                Method::POST,
                "/admin/setup?step=4",
                &[
                    ("org.time_zone", "Europe/Samara"),
                    ("app.public_url", "https://lk.uk-berezka.ru/"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(r.location(), "/admin?setup=done");
        assert_eq!(
            setting(&app, "app.public_url").await,
            "https://lk.uk-berezka.ru"
        );
        assert_eq!(setting(&app, "org.time_zone").await, "Europe/Samara");

        // Done: the notice is gone, and signing in opens the home page again.
        for (role, path) in [
            (Role::Specialist, "/appeals"),
            (ADMIN, "/"),
            (ADMIN, "/admin"),
        ] {
            let page = app.get(role, path).await;
            assert!(!page.body.contains(NOTICE), "{path}: the notice stayed");
        }
        assert!(app
            .get(ADMIN, "/admin?setup=done")
            .await
            .body
            .contains("настройка завершена"));
        let req = Request::builder()
            .method(Method::POST)
            .uri("/login")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(
                "login=administrator&password=test+password+1&next=%2F",
            ))
            .unwrap();
        assert_eq!(app.send(req).await.location(), "/");
    }
);
