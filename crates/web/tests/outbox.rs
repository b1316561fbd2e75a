//! The notifications outbox in the UI and the API: states, attempts and errors shown; send
//! again and cancel by state; settings of mail and SMS checked when saved.

mod common;

use abonent_domain::outbox::Retry;
use abonent_domain::Role;
use abonent_storage::outbox::{self, NewMessage};
use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use serde_json::json;

/// Three messages: pending, failed (with an error), sent.
async fn fill(app: &common::TestApp) -> (i64, i64, i64) {
    let db = &app.t.db;
    let pending = outbox::enqueue(
        db,
        &NewMessage::email(
            "ivanova@example.ru",
            "Заявка З-2026-000001 зарегистрирована",
            "Текст",
        )
        .about("appeal", 1),
    )
    .await
    .unwrap()
    .unwrap();
    let failed = outbox::enqueue(db, &NewMessage::sms("+79123456789", "Заявка выполнена"))
        .await
        .unwrap()
        .unwrap();
    let sent = outbox::enqueue(db, &NewMessage::sms("+79001112233", "Мастер придёт завтра"))
        .await
        .unwrap()
        .unwrap();
    let lease = std::time::Duration::from_secs(60);
    outbox::claim_for(
        db,
        "test",
        lease,
        10,
        &[abonent_domain::outbox::OutboxChannel::Sms],
    )
    .await
    .unwrap();
    outbox::mark_failed(
        db,
        failed,
        "test",
        "SMS-шлюз ответил 402: Баланс исчерпан",
        Retry::GiveUp,
    )
    .await
    .unwrap();
    outbox::mark_sent(db, sent, "test").await.unwrap();
    (pending, failed, sent)
}

async fn admin_api(
    app: &common::TestApp,
    token: &str,
    method: Method,
    path: &str,
    body: Option<serde_json::Value>,
) -> common::Resp {
    let req = Request::builder()
        .method(method)
        .uri(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(body.map(|j| Body::from(j.to_string())).unwrap_or_default())
        .unwrap();
    app.send(req).await
}

both!(
    page_lists_messages_and_acts_by_state,
    |app: common::TestApp| async move {
        let (pending, failed, sent) = fill(&app).await;
        let page = app.get(Role::Administrator, "/admin/outbox").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        let b = &page.body;
        assert!(
            b.contains("ivanova@example.ru") && b.contains("Заявка З-2026-000001 зарегистрирована")
        );
        assert!(b.contains("Баланс исчерпан"), "the last error is shown");
        assert!(
            b.contains("Не доставлено")
                && b.contains("Отправлено")
                && b.contains("Ожидает отправки")
        );
        assert!(b.contains("Все · 3") && b.contains("Не доставлено · 1"));
        assert!(
            b.contains("Почта не настроена"),
            "a missing SMTP server is explained"
        );
        assert!(b.contains(&format!("/admin/outbox/{failed}/retry")));
        assert!(
            !b.contains(&format!("/admin/outbox/{sent}/retry")),
            "a sent message is not sent again"
        );
        assert!(
            b.contains("href=\"/admin/outbox\""),
            "the menu links the page"
        );

        let only_failed = app
            .get(Role::Administrator, "/admin/outbox?state=failed")
            .await;
        assert!(only_failed.body.contains("+79123456789"));
        assert!(!only_failed.body.contains("ivanova@example.ru"));
        let by_channel = app
            .get(Role::Administrator, "/admin/outbox?channel=email")
            .await;
        assert!(by_channel.body.contains("ivanova@example.ru"));
        assert!(!by_channel.body.contains("+79123456789"));

        let r = app
            .page(
                Role::Administrator,
                Method::POST,
                &format!("/admin/outbox/{failed}/retry"),
                &[],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let m = outbox::get(&app.t.db, failed).await.unwrap();
        assert_eq!(m.state.code(), "pending");
        assert_eq!(m.attempts, 0);
        let after = app.get(Role::Administrator, &r.location()).await;
        assert!(after.body.contains("будет отправлено"));

        let r = app
            .page(
                Role::Administrator,
                Method::POST,
                &format!("/admin/outbox/{pending}/cancel"),
                &[],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(
            outbox::get(&app.t.db, pending).await.unwrap().state.code(),
            "cancelled"
        );
        let again = app
            .page(
                Role::Administrator,
                Method::POST,
                &format!("/admin/outbox/{sent}/cancel"),
                &[],
            )
            .await;
        assert_eq!(again.status, StatusCode::BAD_REQUEST);
        assert!(again.body.contains("уже отправлено"), "{}", again.body);

        // The history of the appeal shows the cancelled notification with who did it.
        let h = abonent_storage::history::for_card(&app.t.db, "appeal", 1, 10)
            .await
            .unwrap();
        assert_eq!(h[0].action, "cancel");
        assert!(
            h[0].actor_name.starts_with("Сотрудник Администратор"),
            "{}",
            h[0].actor_name
        );

        let refused = app.get(Role::Manager, "/admin/outbox").await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
    }
);

both!(
    api_lists_retries_and_cancels,
    |app: common::TestApp| async move {
        let (pending, failed, sent) = fill(&app).await;
        let (_, token) =
            abonent_storage::users::create_token(&app.t.db, "админ", Role::Administrator, None)
                .await
                .unwrap();
        let r = admin_api(
            &app,
            &token,
            Method::GET,
            "/api/v1/outbox?state=failed",
            None,
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let page = r.json();
        assert_eq!(page["total"], 1);
        assert_eq!(page["items"][0]["id"], failed);
        assert_eq!(page["items"][0]["state"], "failed");
        assert_eq!(page["items"][0]["channel"], "sms");
        assert_eq!(page["items"][0]["attempts"], 1);
        assert!(page["items"][0]["last_error"]
            .as_str()
            .unwrap()
            .contains("402"));

        let r = admin_api(
            &app,
            &token,
            Method::GET,
            "/api/v1/outbox?source_entity=appeal&source_id=1",
            None,
        )
        .await;
        assert_eq!(r.json()["items"][0]["id"], pending);
        let r = admin_api(
            &app,
            &token,
            Method::GET,
            "/api/v1/outbox?state=lost&channel=fax",
            None,
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let fields: Vec<String> = r.json()["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(fields, ["state", "channel"]);

        let r = admin_api(
            &app,
            &token,
            Method::POST,
            &format!("/api/v1/outbox/{failed}/retry"),
            None,
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["state"], "pending");
        let r = admin_api(
            &app,
            &token,
            Method::POST,
            &format!("/api/v1/outbox/{sent}/retry"),
            None,
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.headers["content-type"], "application/problem+json");
        assert!(r.body.contains("уже отправлено"), "{}", r.body);

        let r = admin_api(
            &app,
            &token,
            Method::POST,
            &format!("/api/v1/outbox/{pending}/cancel"),
            Some(json!({"reason": "житель отказался от писем"})),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["state"], "cancelled");
        let h = abonent_storage::history::for_card(&app.t.db, "outbox", pending, 10)
            .await
            .unwrap();
        assert_eq!(h[0].note.as_deref(), Some("житель отказался от писем"));
        let r = admin_api(
            &app,
            &token,
            Method::POST,
            &format!("/api/v1/outbox/{failed}/cancel"),
            None,
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "cancel without a body");

        let r = admin_api(&app, &token, Method::GET, "/api/v1/outbox/999999", None).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        // The specialist's token may not read the outbox (addresses and texts of residents).
        let r = app.api(Method::GET, "/api/v1/outbox", None).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
    }
);

both!(
    delivery_settings_are_checked_on_save,
    |app: common::TestApp| async move {
        let mut form: Vec<(&str, &str)> = vec![
            ("org.name", "ООО «УК Дом»"),
            ("org.time_zone", "Asia/Yekaterinburg"),
            ("smtp.host", "smtp.uk-dom.ru"),
            ("smtp.port", "пятьсот"),
            ("smtp.security", "starttls"),
            ("smtp.from", "noreply@uk-dom.ru"),
            ("smtp.password", "секрет"),
            (
                "sms.url",
                "https://sms.example.ru/send?to={phone}&text={text}",
            ),
            ("sms.method", "PUT"),
        ];
        let r = app
            .page(Role::Administrator, Method::POST, "/admin/settings", &form)
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("«пятьсот» — не порт"), "{}", r.body);
        assert!(r.body.contains("«PUT» — не метод"));
        assert!(
            r.body.contains("type=\"password\""),
            "the password is not shown"
        );
        form[3] = ("smtp.port", "587");
        form[8] = ("sms.method", "GET");
        let r = app
            .page(Role::Administrator, Method::POST, "/admin/settings", &form)
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let page = app.get(Role::Administrator, "/admin/outbox").await;
        assert!(!page.body.contains("не настроен"), "both channels set up");
        // The password is kept sealed and never shown back; an empty field keeps it.
        let stored: String =
            sqlx::query_scalar("SELECT value FROM settings WHERE key = 'smtp.password'")
                .fetch_one(app.t.db.read())
                .await
                .unwrap();
        assert!(!stored.contains("секрет"), "{stored}");
        let page = app.get(Role::Administrator, "/admin/settings").await;
        assert!(!page.body.contains("секрет"), "{}", page.body);
        assert!(page.body.contains("Задан"), "{}", page.body);
        form[6] = ("smtp.password", "");
        let r = app
            .page(Role::Administrator, Method::POST, "/admin/settings", &form)
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(
            abonent_storage::settings::get(&app.t.db, "smtp.password")
                .await
                .unwrap(),
            "секрет"
        );
    }
);
