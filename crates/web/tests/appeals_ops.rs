//! The journal's filters and bulk actions, and the complaint's outcome documents (the act and
//! the reply letter registered as outgoing), over HTTP on SQLite and PostgreSQL.

mod common;

use abonent_domain::Role;
use axum::http::{Method, StatusCode};
use common::{download, pdf_text, set_org};
use serde_json::json;

async fn register(
    app: &common::TestApp,
    kind: &str,
    premises: i64,
    substance: &str,
) -> (i64, String) {
    let r = app
        .api(
            Method::POST,
            "/api/v1/appeals",
            Some(
                json!({"kind": kind, "channel": "phone", "priority": "normal",
                "premises_id": premises, "applicant_name": "Иванова Мария Петровна",
                "applicant_phone": "+7 912 345-67-89", "substance": substance}),
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let j = r.json();
    (
        j["id"].as_i64().unwrap(),
        j["number"].as_str().unwrap().to_string(),
    )
}

both!(
    bulk_assign_and_status_from_api_and_journal,
    |app: common::TestApp| async move {
        let (_, premises, _) = app.seed("ул. Ленина", "5", "12", "100001").await;
        let mut ids = Vec::new();
        let mut numbers = Vec::new();
        for s in [
            "Не горит свет в подъезде",
            "Сломан замок подвала",
            "Грязно в лифте",
        ] {
            let (id, n) = register(&app, "request", premises, s).await;
            ids.push(id);
            numbers.push(n);
        }
        let r = app
            .api(
                Method::POST,
                "/api/v1/appeals/bulk",
                Some(json!({"ids": ids, "change": {"to": "assigned", "executor_id": 1}})),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["changed"], 3);

        // The journal filtered by executor and status lists them, with a checkbox each.
        let j = app
            .get(
                Role::Specialist,
                "/appeals?view=all&status=assigned&executor_id=1",
            )
            .await;
        assert_eq!(j.status, StatusCode::OK);
        for (id, n) in ids.iter().zip(&numbers) {
            assert!(j.body.contains(n), "{}", j.body);
            assert!(j.body.contains(&format!("name=\"ids\" value=\"{id}\"")));
        }
        let none = app
            .get(Role::Specialist, "/appeals?view=all&status=closed")
            .await;
        assert!(!none.body.contains(&numbers[0]));

        // One goes to work through the journal's bulk form.
        let id0 = ids[0].to_string();
        let ok = app
            .page(
                Role::Specialist,
                Method::POST,
                "/appeals/bulk",
                &[("ids", &id0), ("to", "in_progress"), ("back", "view=all")],
            )
            .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
        assert!(ok.location().contains("bulk=1"), "{}", ok.location());

        // All three to work: the first cannot (already there), so nothing changes and the
        // journal names it.
        let (id1, id2) = (ids[1].to_string(), ids[2].to_string());
        let refused = app
            .page(
                Role::Specialist,
                Method::POST,
                "/appeals/bulk",
                &[
                    ("ids", &id0),
                    ("ids", &id1),
                    ("ids", &id2),
                    ("to", "in_progress"),
                    ("back", "view=all"),
                ],
            )
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            refused.body.contains("Ничего не изменено"),
            "{}",
            refused.body
        );
        assert!(refused.body.contains(&numbers[0]));
        let s1 = app
            .api(Method::GET, &format!("/api/v1/appeals/{}", ids[1]), None)
            .await;
        assert_eq!(s1.json()["appeal"]["status"], "assigned");

        // The API's refusal is a problem detail naming `ids`.
        let p = app
            .api(
                Method::POST,
                "/api/v1/appeals/bulk",
                Some(json!({"ids": ids, "change": {"to": "in_progress"}})),
            )
            .await;
        assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(p.headers["content-type"], "application/problem+json");
        assert!(p.body.contains("\"ids\""), "{}", p.body);

        // An auditor sees the journal without the bulk panel and may not post it.
        let a = app.get(Role::Auditor, "/appeals?view=all").await;
        assert!(!a.body.contains("name=\"ids\""));
        let f = app
            .page(
                Role::Auditor,
                Method::POST,
                "/appeals/bulk",
                &[("ids", &id1), ("to", "in_progress")],
            )
            .await;
        assert_eq!(f.status, StatusCode::FORBIDDEN);
    }
);

both!(
    complaint_act_and_reply_letter,
    |app: common::TestApp| async move {
        set_org(&app.t.db).await;
        let (_, premises, _) = app.seed("ул. Ленина", "5", "12", "100001").await;
        let (id, number) = register(
            &app,
            "complaint",
            premises,
            "Подъезд не убирают вторую неделю, на лестнице мусор",
        )
        .await;
        let act = json!({"kind": "complaint_act", "appeal_id": id});

        // No analysis yet: the act is refused, naming what is missing.
        let r = app
            .api(Method::POST, "/api/v1/documents", Some(act.clone()))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(
            r.body.contains("\"decision\"") && r.body.contains(&number),
            "{}",
            r.body
        );
        // A request is not a complaint.
        let (req, _) = register(&app, "request", premises, "Течёт кран на кухне").await;
        let r = app
            .api(
                Method::POST,
                "/api/v1/documents",
                Some(json!({"kind": "complaint_act", "appeal_id": req})),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("не жалоба"), "{}", r.body);

        for change in [
            json!({"to": "assigned", "executor_id": 1}),
            json!({"to": "in_progress"}),
            json!({"to": "done", "result": "Проведена внеплановая уборка, график восстановлен",
                "cause": "Подрядчик не выполнял график уборки",
                "responsible": "Подрядчик ООО «Чистый дом»",
                "decision": "Жалоба обоснованна, подрядчику выставлена претензия"}),
        ] {
            let s = app
                .api(
                    Method::POST,
                    &format!("/api/v1/appeals/{id}/status"),
                    Some(change),
                )
                .await;
            assert_eq!(s.status, StatusCode::OK, "{}", s.body);
        }
        let r = app.api(Method::POST, "/api/v1/documents", Some(act)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let doc = r.json();
        assert_eq!(doc["appeal_id"], id);
        let text = pdf_text(&download(&app, doc["id"].as_i64().unwrap()).await);
        for part in [
            "АКТ ПО ЖАЛОБЕ",
            number.as_str(),
            "Иванова Мария Петровна",
            "Подрядчик не выполнял график уборки",
            "Проведена внеплановая уборка",
            "подрядчику выставлена претензия",
        ] {
            assert!(text.contains(part), "{part}: {text}");
        }

        // The reply: the letter form is prefilled from the appeal; issued, it is registered
        // as outgoing and linked to the appeal.
        let form = app
            .get(
                Role::Specialist,
                &format!("/documents/letter/new?appeal_id={id}"),
            )
            .await;
        assert_eq!(form.status, StatusCode::OK);
        assert!(
            form.body
                .contains(&format!("Ответ на обращение № {number}")),
            "{}",
            form.body
        );
        assert!(form.body.contains("подрядчику выставлена претензия"));
        let idt = id.to_string();
        let subject = format!("Ответ на обращение № {number}");
        let sent = app
            .page(
                Role::Specialist,
                Method::POST,
                "/documents/letter",
                &[
                    ("appeal_id", &idt),
                    ("addressee", "Ивановой М. П.\nул. Ленина, д. 5, кв. 12"),
                    ("subject", &subject),
                    ("body", "Ваша жалоба рассмотрена и признана обоснованной."),
                    ("method", "post"),
                ],
            )
            .await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
        let docs = app
            .api(
                Method::GET,
                &format!("/api/v1/documents?appeal_id={id}"),
                None,
            )
            .await
            .json();
        assert_eq!(docs["total"], 2, "{docs}");
        let letter = docs["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["kind"] == "letter")
            .cloned()
            .unwrap();
        assert!(letter["outgoing_id"].as_i64().is_some(), "{letter}");
        assert!(letter["number"].as_str().unwrap().starts_with("Исх-"));

        // The card lists both and offers the act again.
        let card = app.get(Role::Specialist, &format!("/appeals/{id}")).await;
        assert!(
            card.body.contains(&format!("Акт по жалобе {number}")),
            "{}",
            card.body
        );
        assert!(card.body.contains(letter["number"].as_str().unwrap()));
        let again = app
            .page(
                Role::Specialist,
                Method::POST,
                &format!("/appeals/{id}/act"),
                &[],
            )
            .await;
        assert_eq!(again.status, StatusCode::SEE_OTHER);
        assert!(again.location().starts_with("/documents/"));
    }
);
