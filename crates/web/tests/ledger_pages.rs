//! The ledger's pages on both backends: charges and bank-register files uploaded through the
//! staff forms, checked, then loaded, with the job's progress page.

mod common;

use abonent_domain::Role;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode};

use common::ledger_files::{register, CHARGES};

/// A multipart form sent with a staff session (CSRF as the first field, as the upload forms do).
async fn page_upload(
    app: &common::TestApp,
    role: Role,
    path: &str,
    content: &[u8],
    fields: &[(&str, &str)],
) -> common::Resp {
    let s = &app.sessions[&role];
    let boundary = "----abonentpage";
    let mut body = Vec::new();
    let csrf = [("_csrf", s.csrf.as_str())];
    for (k, v) in csrf.iter().chain(fields) {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f.csv\"\r\n\r\n").as_bytes());
    body.extend_from_slice(content);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let req = Request::builder()
        .method(Method::POST)
        .uri(path)
        .header("cookie", &s.cookie)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::from(body))
        .unwrap();
    app.send(req).await
}

fn hidden(html: &str, name: &str) -> String {
    let key = format!("name=\"{name}\" value=\"");
    let at = html
        .find(&key)
        .unwrap_or_else(|| panic!("no {name} in {html}"))
        + key.len();
    html[at..].split('"').next().unwrap().to_string()
}

both!(
    pages_upload_check_and_commit,
    |app: common::TestApp| async move {
        let (_, _, a1) = app.seed("ул. Ленина", "5", "12", "100001").await;
        app.seed("ул. Мира", "7", "3", "100002").await;
        // A bad line: shown with its number; the commit button is disabled.
        let bad =
            "ЛС;Период;Услуга;Сумма\n100001;2025-01;Отопление;10,00\n100001;2025-01;Домофон;5,00\n";
        let r = page_upload(
            &app,
            Role::Accountant,
            "/ledger/charges",
            bad.as_bytes(),
            &[],
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(
            r.body.contains("Строка 3: услуга «Домофон» не распознана"),
            "{}",
            r.body
        );
        assert!(r.body.contains("disabled"));
        // A good file: preview, then commit with the mapping shown, then the job page.
        let r = page_upload(
            &app,
            Role::Accountant,
            "/ledger/charges",
            CHARGES.as_bytes(),
            &[],
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(r.body.contains("Загрузить 4 строки"), "{}", r.body);
        let upload = hidden(&r.body, "upload_id");
        let cols: Vec<(String, String)> = (0..9)
            .map(|i| {
                (
                    format!("col_{i}"),
                    hidden(
                        r.body.split("/commit").nth(1).unwrap_or(""),
                        &format!("col_{i}"),
                    ),
                )
            })
            .collect();
        let pairs: Vec<(&str, &str)> = cols.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let r = app
            .page(
                Role::Accountant,
                Method::POST,
                &format!("/ledger/charges/{upload}/commit"),
                &pairs,
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let job = r.location();
        assert!(job.starts_with("/ledger/jobs/"), "{job}");
        let mut done = false;
        for _ in 0..1200 {
            let p = app.get(Role::Accountant, &job).await;
            if p.body.contains("Готово.") {
                done = true;
                break;
            }
            assert!(!p.body.contains("alert-error"), "{}", p.body);
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert!(done);
        let p = app
            .get(Role::Accountant, &format!("/accounts/{a1}/ledger"))
            .await;
        assert!(p.body.contains("Температура ниже нормы"), "{}", p.body);
        // The specialist may not load files.
        let r = page_upload(
            &app,
            Role::Specialist,
            "/ledger/charges",
            CHARGES.as_bytes(),
            &[],
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);

        // A register whose totals disagree: 422 with the reason, nothing to commit.
        let text = encoding_rs::WINDOWS_1251
            .decode(&register(&[("05-02-2025", "1", "100001", "10,00")]))
            .0
            .replace("=1;10,00", "=2;10,00");
        let r = page_upload(
            &app,
            Role::Accountant,
            "/ledger/payments",
            text.as_bytes(),
            &[("format", "")],
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("итоги не сходятся"), "{}", r.body);
        assert!(!r.body.contains("Загрузить 1 платежей"));

        // An unmatched payment resolved from its page by the number typed in.
        let reg = register(&[("06-02-2025", "77", "4242", "300,00")]);
        let r = page_upload(&app, Role::Accountant, "/ledger/payments", &reg, &[]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let at =
            r.body.find("action=\"/ledger/payments/").unwrap() + "action=\"/ledger/payments/".len();
        let upload = r.body[at..].split('/').next().unwrap().to_string();
        let format = hidden(&r.body, "format");
        let r = app
            .page(
                Role::Accountant,
                Method::POST,
                &format!("/ledger/payments/{upload}/commit"),
                &[("format", format.as_str())],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let mut id = None;
        for _ in 0..1200 {
            let q = app.get(Role::Accountant, "/ledger/unmatched").await;
            if let Some(at) = q.body.find("/ledger/unmatched/") {
                let rest = &q.body[at + "/ledger/unmatched/".len()..];
                id = rest.split('"').next().map(str::to_string);
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        let id = id.expect("the payment is queued");
        let r = app
            .page(
                Role::Accountant,
                Method::POST,
                &format!("/ledger/unmatched/{id}/resolve"),
                &[("number", "999")],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("Лицевого счёта с таким номером нет"));
        let r = app
            .page(
                Role::Accountant,
                Method::POST,
                &format!("/ledger/unmatched/{id}/resolve"),
                &[("number", "100001")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(r.location(), format!("/accounts/{a1}/ledger"));
    }
);
