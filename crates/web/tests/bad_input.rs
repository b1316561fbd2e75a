//! Bad input gets a Russian message naming the field or line, nothing is partly saved, and
//! text is shown back escaped.

mod common;

use abonent_domain::Role;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use common::field_message;
use serde_json::json;

async fn count(app: &common::TestApp) -> serde_json::Value {
    let c = abonent_storage::registry::counts(&app.t.db).await.unwrap();
    json!([c.buildings, c.open_accounts, c.persons])
}

both!(
    malformed_phone_is_named,
    |app: common::TestApp| async move {
        let r = app
            .api(
                Method::POST,
                "/api/v1/persons",
                Some(json!({"last_name": "Петров", "first_name": "Иван", "phones": "912-34"})),
            )
            .await;
        assert!(field_message(&r, "phones").contains("912-34"));
        assert_eq!(count(&app).await, json!([0, 0, 0]));
    }
);

both!(
    duplicate_account_number_is_named,
    |app: common::TestApp| async move {
        let (_, pid, _) = app.seed("ул. Ленина", "5", "12", "100234").await;
        let before = count(&app).await;
        let r = app
            .api(
                Method::POST,
                "/api/v1/accounts?confirm_duplicate=true",
                Some(json!({"number": "100234", "premises_id": pid, "opened_on": "2024-01-01"})),
            )
            .await;
        assert!(field_message(&r, "number").contains("100234"));
        assert_eq!(count(&app).await, before);
    }
);

both!(
    unknown_building_is_named,
    |app: common::TestApp| async move {
        let r = app
            .api(
                Method::POST,
                "/api/v1/premises",
                Some(json!({"building_id": 4242, "number": "1"})),
            )
            .await;
        assert!(field_message(&r, "building_id").contains("4242"));
    }
);

both!(oversized_text_is_named, |app: common::TestApp| async move {
    let long = "б".repeat(151);
    let r = app.api(Method::POST, "/api/v1/buildings", Some(json!({"region": "Свердловская обл.", "city": "г. Екатеринбург", "street": long, "house": "1"}))).await;
    assert!(field_message(&r, "street").contains("не более 150"));
    assert_eq!(count(&app).await, json!([0, 0, 0]));
});

both!(
    malformed_json_is_explained,
    |app: common::TestApp| async move {
        let req = Request::builder()
            .method(Method::POST)
            .uri("/api/v1/buildings")
            .header("authorization", format!("Bearer {}", app.token))
            .body(Body::from("{\"street\": "))
            .unwrap();
        let r = app.send(req).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(r.json()["detail"].as_str().unwrap().contains("JSON"));
    }
);

both!(
    html_and_sql_in_text_are_stored_literally_and_shown_escaped,
    |app: common::TestApp| async move {
        let street = "ул. <script>alert('x')</script>";
        let region = "обл.'); DROP TABLE accounts; --";
        let r = app.api(Method::POST, "/api/v1/buildings", Some(json!({"region": region, "city": "г. Екатеринбург", "street": street, "house": "1"}))).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let id = r.json()["id"].as_i64().unwrap();
        let page = app.get(Role::Specialist, &format!("/buildings/{id}")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            !page.body.contains("<script>alert"),
            "markup must be escaped"
        );
        assert!(
            page.body.contains("&lt;script&gt;") || page.body.contains("&#60;script&#62;"),
            "{}",
            page.body
        );
        let again = app
            .api(Method::GET, &format!("/api/v1/buildings/{id}"), None)
            .await
            .json();
        assert_eq!(again["region"], region);
        assert_eq!(
            app.api(Method::GET, "/api/v1/accounts", None).await.status,
            StatusCode::OK,
            "accounts table is intact"
        );
    }
);

both!(
    form_errors_are_shown_next_to_the_field,
    |app: common::TestApp| async move {
        let r = app
            .page(
                Role::Specialist,
                Method::POST,
                "/persons",
                &[
                    ("last_name", "Иванов"),
                    ("first_name", ""),
                    ("phones", "abc"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("Заполните поле «Имя»."), "{}", r.body);
        assert!(r.body.contains("Телефон «abc» не распознан"));
        assert!(r.body.contains("value=\"Иванов\""), "typed values are kept");
        assert_eq!(count(&app).await, json!([0, 0, 0]));
    }
);

fn multipart(file_name: &str, content: &[u8], fields: &[(&str, &str)]) -> (String, Vec<u8>) {
    let boundary = "----abonenttestboundary";
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes());
    body.extend_from_slice(content);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn import(app: &common::TestApp, content: &[u8], dry_run: bool) -> common::Resp {
    let (ct, body) = multipart(
        "реестр.csv",
        content,
        &[("dry_run", if dry_run { "true" } else { "false" })],
    );
    let req = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/imports/registry")
        .header("authorization", format!("Bearer {}", app.token))
        .header("content-type", ct)
        .body(Body::from(body))
        .unwrap();
    app.send(req).await
}

both!(
    wrong_file_encoding_is_named,
    |app: common::TestApp| async move {
        let utf16: Vec<u8> = "ЛС;Адрес\n1;Ленина 5-12\n"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        let r = import(&app, &[&[0xFF, 0xFE][..], &utf16].concat(), true).await;
        assert!(field_message(&r, "file").contains("кодировку"));
    }
);

both!(
    broken_csv_line_is_named_and_nothing_saved,
    |app: common::TestApp| async move {
        let csv = "ЛС;Адрес;ФИО;Телефон\n100001;ул. Ленина, д. 5, кв. 1;Иванов Иван Иванович;89120000001\n100002;\"ул. Ленина, д. 5, кв. 2;Петров Пётр;89120000002\n";
        let r = import(&app, csv.as_bytes(), false).await;
        assert!(field_message(&r, "file").contains("Строка 3"), "{}", r.body);
        assert_eq!(count(&app).await, json!([0, 0, 0]));
        let bad_phone = "ЛС;Адрес;ФИО;Телефон\n100001;ул. Ленина, д. 5, кв. 1;Иванов Иван Иванович;89120000001\n100002;ул. Ленина, д. 5, кв. 2;Петров Пётр;12-34\n";
        let r = import(&app, bad_phone.as_bytes(), false).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let errors = r.json()["errors"].clone();
        assert_eq!(errors[0]["line"], 3, "{errors}");
        assert_eq!(
            count(&app).await,
            json!([0, 0, 0]),
            "a file with a bad line changes nothing"
        );
    }
);

both!(
    windows_1251_registry_imports_all_rows,
    |app: common::TestApp| async move {
        let csv = "ЛС;Адрес;ФИО;Телефон;Льгота\r\n100001;ул. Ленина, д. 5, кв. 1;Иванов Иван Иванович;89120000001;Ветеран труда\r\n100002;ул. Ленина, д. 5, кв. 2;Петрова Анна Сергеевна;89120000002;\r\n";
        let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(csv);
        let r = import(&app, &bytes, true).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["preview"]["valid_rows"], 2);
        assert_eq!(
            count(&app).await,
            json!([0, 0, 0]),
            "a dry run saves nothing"
        );
        let r = import(&app, &bytes, false).await;
        assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
        let job = r.json()["job_id"].as_i64().unwrap();
        let mut status = String::new();
        for _ in 0..2400 {
            let j = app
                .api(Method::GET, &format!("/api/v1/jobs/{job}"), None)
                .await
                .json();
            status = j["status"].as_str().unwrap().to_string();
            if status != "running" {
                assert_eq!(status, "done", "{j}");
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        assert_eq!(status, "done");
        assert_eq!(count(&app).await, json!([1, 2, 2]));
        let hits = app
            .api(
                Method::GET,
                "/api/v1/search?q=%D0%BB%D0%B5%D0%BD%D0%B8%D0%BD%D0%B0%205%202",
                None,
            )
            .await
            .json();
        assert_eq!(hits[0]["title"], "ЛС 100002");
        // The same file again: every account number already exists, nothing is added.
        let r = import(&app, &bytes, false).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("уже есть в реестре"));
        assert_eq!(count(&app).await, json!([1, 2, 2]));
    }
);
