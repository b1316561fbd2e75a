//! Personal data under 152-ФЗ (issue 16 §3), records beside people: an appeal, a letter or a
//! message that shows a person is one entry of the access log naming the person and the
//! record — also when its applicant is free text, not a registry person.

mod common;

use std::collections::BTreeSet;

use abonent_domain::Role;
use abonent_storage::registry::PageReq;
use axum::http::{Method, StatusCode};
use serde_json::json;

use common::pd_log::{bytes, entries, logged, logs_one, people, sheet};
use common::TestApp;

both!(
    an_appeal_of_a_registry_person_is_logged_and_exported,
    |app: TestApp| async move {
        let (aid, [owner, _, _]) = people(&app).await;
        let r = app
            .api(
                Method::POST,
                "/api/v1/appeals",
                Some(json!({"kind": "request", "channel": "phone", "priority": "normal",
                    "account_id": aid, "person_id": owner, "address_text": "ул. Ленина, д. 5, кв. 12",
                    "applicant_name": "Семёнов Пётр", "applicant_phone": "+7 912 345-67-89",
                    "substance": "Течёт кран на кухне"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let id = r.json()["id"].as_i64().unwrap();
        let token = app.token_of(Role::Auditor).await;
        logs_one(&app, "GET /api/v1/appeals/{id}", &[owner], || async {
            app.api_with(&token, Method::GET, &format!("/api/v1/appeals/{id}"), None)
                .await
        })
        .await;
        logs_one(&app, "GET /appeals/{id}", &[owner], || async {
            app.get(Role::Auditor, &format!("/appeals/{id}")).await
        })
        .await;
        // The subject's export lists the appeal with the contacts given.
        let x = bytes(
            &app,
            Role::Specialist,
            &format!("/persons/{owner}/export.xlsx"),
        )
        .await;
        let appeals = sheet(&x, "Обращения");
        assert_eq!(appeals.len(), 2, "{appeals:?}");
        assert!(
            appeals[1][3].contains("Течёт кран") && appeals[1][3].contains("+7"),
            "{appeals:?}"
        );
    }
);

/// Calls `call` and checks that it added exactly one entry, through `via`, naming exactly
/// `people` and the records `records` (kind code and id).
async fn logs_records<F, Fut>(
    app: &TestApp,
    via: &str,
    people: &[i64],
    records: &[(&str, i64)],
    call: F,
) -> common::Resp
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = common::Resp>,
{
    let (r, e) = logged(app, via, people, call).await;
    let shown: BTreeSet<(String, i64)> = e
        .records
        .iter()
        .map(|r| (r.kind.code().to_string(), r.id))
        .collect();
    assert_eq!(
        shown,
        records
            .iter()
            .map(|(k, id)| (k.to_string(), *id))
            .collect::<BTreeSet<_>>(),
        "{via}: the records shown"
    );
    r
}

/// A date a few days back in the test organization's zone, `2026-12-01`.
fn days_back(n: u64) -> String {
    (chrono::Utc::now()
        .with_timezone(&chrono_tz::Asia::Yekaterinburg)
        .date_naive()
        - chrono::Days::new(n))
    .to_string()
}

both!(
    appeals_with_a_free_text_applicant_are_logged_as_records,
    |app: TestApp| async move {
        let (aid, [owner, _, _]) = people(&app).await;
        // One appeal from someone outside the registry, one from the owner.
        let r = app
            .api(
                Method::POST,
                "/api/v1/appeals",
                Some(
                    json!({"kind": "request", "channel": "phone", "priority": "normal",
                    "address_text": "ул. Ленина, д. 5, кв. 7",
                    "applicant_name": "Иванова Мария", "applicant_phone": "+7 912 555-44-33",
                    "applicant_email": "maria@example.ru",
                    "substance": "Не закрывается дверь подъезда"}),
                ),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let free = r.json()["id"].as_i64().unwrap();
        let r = app
            .api(
                Method::POST,
                "/api/v1/appeals",
                Some(json!({"kind": "request", "channel": "phone", "priority": "normal",
                    "account_id": aid, "person_id": owner, "address_text": "ул. Ленина, д. 5, кв. 12",
                    "applicant_name": "Семёнов Пётр", "applicant_phone": "+7 912 345-67-89",
                    "substance": "Течёт кран на кухне"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let linked = r.json()["id"].as_i64().unwrap();
        assert!(
            entries(&app).await.is_empty(),
            "registering shows nothing back"
        );
        let both = [("appeal", free), ("appeal", linked)];
        let token = app.token_of(Role::Auditor).await;
        // The journal, API and page: every appeal on the page, and the owner behind one.
        let api_list = logs_records(&app, "GET /api/v1/appeals", &[owner], &both, || {
            app.api_with(&token, Method::GET, "/api/v1/appeals?view=all", None)
        })
        .await
        .body;
        let journal = logs_records(&app, "GET /appeals", &[owner], &both, || {
            app.get(Role::Auditor, "/appeals?view=all")
        })
        .await;
        // The journal shows neither contact in full: a list shows what the work needs.
        for full in ["555-44-33", "maria@example.ru", "345-67-89"] {
            assert!(!journal.body.contains(full), "journal shows «{full}»");
        }
        for full in ["555-44-33", "maria@example.ru"] {
            assert!(!api_list.contains(full), "API journal shows «{full}»");
        }
        // The card of the free-text applicant: the appeal, nobody of the registry.
        let card = logs_records(
            &app,
            "GET /appeals/{id}",
            &[],
            &[("appeal", free)],
            || async { app.get(Role::Auditor, &format!("/appeals/{free}")).await },
        )
        .await;
        assert!(
            card.body.contains("maria@example.ru"),
            "the card shows it all"
        );
        logs_records(
            &app,
            "GET /api/v1/appeals/{id}",
            &[],
            &[("appeal", free)],
            || async {
                app.api_with(
                    &token,
                    Method::GET,
                    &format!("/api/v1/appeals/{free}"),
                    None,
                )
                .await
            },
        )
        .await;
        // The auditor finds who saw the appeal, and the log names it.
        let by_record = app
            .get(
                Role::Auditor,
                &format!("/admin/pd-access?record_kind=appeal&record_id={free}"),
            )
            .await;
        assert_eq!(by_record.status, StatusCode::OK, "{}", by_record.body);
        assert!(by_record.body.contains("Всего: 4"), "{}", by_record.body);
        assert!(by_record.body.contains("обращение №"), "{}", by_record.body);
        let j = app
            .api_with(
                &token,
                Method::GET,
                &format!("/api/v1/pd-access?record_kind=appeal&record_id={free}"),
                None,
            )
            .await
            .json();
        assert_eq!(j["total"], 4, "{j}");
        assert_eq!(j["items"][0]["records"][0]["kind"], "appeal", "{j}");
        let x = bytes(
            &app,
            Role::Auditor,
            &format!("/admin/pd-access.xlsx?record_kind=appeal&record_id={linked}"),
        )
        .await;
        let rows = sheet(&x, "Журнал доступа к ПДн");
        assert_eq!(rows[0][5], "Какие записи");
        assert_eq!(rows.len(), 3, "{rows:?}");
        assert!(rows[1][5].contains("обращение №"), "{rows:?}");
        // The appeal's history on its own, through the API: the applicant's details as changed.
        logs_records(
            &app,
            "GET /api/v1/appeals/{id}/history",
            &[],
            &[("appeal", free)],
            || async {
                app.api_with(
                    &token,
                    Method::GET,
                    &format!("/api/v1/appeals/{free}/history"),
                    None,
                )
                .await
            },
        )
        .await;
        let bad = app
            .api_with(
                &token,
                Method::GET,
                "/api/v1/pd-access?record_kind=letter",
                None,
            )
            .await;
        assert!(common::field_message(&bad, "record_kind").contains("appeal"));
    }
);

both!(
    letters_and_messages_are_logged_as_records,
    |app: TestApp| async move {
        let (_, [owner, _, _]) = people(&app).await;
        let day = days_back(3);
        let r = app
            .api(
                Method::POST,
                "/api/v1/correspondence/incoming",
                Some(json!({"received_on": day, "sender_kind": "person",
                    "sender_name": "Петрова Мария Ивановна, ул. Ленина, д. 5, кв. 3",
                    "subject": "Протечка с кровли", "pages": 1})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let inc = r.json()["id"].as_i64().unwrap();
        let r = app
            .api(
                Method::POST,
                "/api/v1/correspondence/outgoing",
                Some(
                    json!({"sent_on": day, "addressee": "Петровой М. И., ул. Ленина, д. 5, кв. 3",
                    "subject": "Ответ о ремонте кровли", "method": "hand",
                    "answers_incoming_id": inc}),
                ),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let out = r.json()["id"].as_i64().unwrap();
        // Each registration answered with its letter, one entry each.
        assert_eq!(entries(&app).await.len(), 2);
        let spec = Role::Specialist;
        let i = [("incoming_letter", inc)];
        let o = [("outgoing_letter", out)];
        logs_records(&app, "GET /correspondence/incoming", &[], &i, || {
            app.get(spec, "/correspondence/incoming?status=all")
        })
        .await;
        logs_records(&app, "GET /correspondence/outgoing", &[], &o, || {
            app.get(spec, "/correspondence/outgoing")
        })
        .await;
        logs_records(&app, "GET /api/v1/correspondence/incoming", &[], &i, || {
            app.api(Method::GET, "/api/v1/correspondence/incoming", None)
        })
        .await;
        logs_records(&app, "GET /api/v1/correspondence/outgoing", &[], &o, || {
            app.api(Method::GET, "/api/v1/correspondence/outgoing", None)
        })
        .await;
        // The card of the incoming letter shows its answer's addressee too.
        logs_records(
            &app,
            "GET /correspondence/incoming/{id}",
            &[],
            &[("incoming_letter", inc), ("outgoing_letter", out)],
            || async {
                app.get(spec, &format!("/correspondence/incoming/{inc}"))
                    .await
            },
        )
        .await;
        logs_records(
            &app,
            "GET /correspondence/outgoing/{id}",
            &[],
            &o,
            || async {
                app.get(spec, &format!("/correspondence/outgoing/{out}"))
                    .await
            },
        )
        .await;
        logs_records(
            &app,
            "GET /api/v1/correspondence/outgoing/{id}",
            &[],
            &o,
            || async {
                app.api(
                    Method::GET,
                    &format!("/api/v1/correspondence/outgoing/{out}"),
                    None,
                )
                .await
            },
        )
        .await;
        // A letter's history on its own, through the API: the names and addresses as changed.
        for (kind, id, via) in [
            (
                "incoming_letter",
                inc,
                "GET /api/v1/correspondence/incoming/{id}/history",
            ),
            (
                "outgoing_letter",
                out,
                "GET /api/v1/correspondence/outgoing/{id}/history",
            ),
        ] {
            let register = if kind == "incoming_letter" {
                "incoming"
            } else {
                "outgoing"
            };
            logs_records(&app, via, &[], &[(kind, id)], || async {
                app.api(
                    Method::GET,
                    &format!("/api/v1/correspondence/{register}/{id}/history"),
                    None,
                )
                .await
            })
            .await;
        }
        // The register's workbook: every letter in it.
        let period = format!("from={day}&to={day}");
        logs_records(&app, "GET /correspondence/export", &[], &i, || async {
            app.get(
                spec,
                &format!("/correspondence/export?register=incoming&{period}"),
            )
            .await
        })
        .await;
        logs_records(
            &app,
            "GET /api/v1/correspondence/export",
            &[],
            &o,
            || async {
                app.api(
                    Method::GET,
                    &format!("/api/v1/correspondence/export?register=outgoing&{period}"),
                    None,
                )
                .await
            },
        )
        .await;
        // The outbox: every message on the page.
        let id = abonent_storage::outbox::enqueue(
            &app.t.db,
            &abonent_storage::outbox::NewMessage::email(
                "maria@example.ru",
                "Ответ на обращение",
                "Мария Ивановна, кровлю починят до пятницы.",
            ),
        )
        .await
        .unwrap()
        .unwrap();
        let messages: Vec<(&str, i64)> =
            abonent_storage::outbox::list(&app.t.db, &Default::default(), PageReq::new(None, None))
                .await
                .unwrap()
                .items
                .iter()
                .map(|m| ("message", m.id))
                .collect();
        assert!(messages.contains(&("message", id)));
        logs_records(&app, "GET /admin/outbox", &[], &messages, || {
            app.get(Role::Administrator, "/admin/outbox")
        })
        .await;
        let token = app.token_of(Role::Administrator).await;
        logs_records(&app, "GET /api/v1/outbox", &[], &messages, || {
            app.api_with(&token, Method::GET, "/api/v1/outbox", None)
        })
        .await;
        // A letter tied to a registry person names them too.
        let r = app
            .api(
                Method::POST,
                "/api/v1/correspondence/outgoing",
                Some(
                    json!({"sent_on": day, "addressee": "Семёнову П.", "subject": "Уведомление",
                    "method": "hand", "person_id": owner}),
                ),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let to_owner = r.json()["id"].as_i64().unwrap();
        logs_records(
            &app,
            "GET /api/v1/correspondence/outgoing/{id}",
            &[owner],
            &[("outgoing_letter", to_owner)],
            || async {
                let path = format!("/api/v1/correspondence/outgoing/{to_owner}");
                app.api(Method::GET, &path, None).await
            },
        )
        .await;
        // The log page names the letters.
        let log = app.get(Role::Auditor, "/admin/pd-access").await;
        assert!(log.body.contains("входящее № Вх-"), "{}", log.body);
        assert!(log.body.contains("исходящее № Исх-"), "{}", log.body);
    }
);
