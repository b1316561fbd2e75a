//! Issue 20 §5 over HTTP on both backends: the blanks residents most often need, filled from
//! the person and account cards and printed through the document engine (read back with
//! pdftotext); a handed-in blank registered in one step as an appeal of its kind or as an
//! incoming letter, once; an unknown blank refused at its field with nothing stored.

mod common;

use abonent_domain::Role;
use axum::http::{Method, StatusCode};
use common::ledger_files::{charge_line, load_charges};
use common::{download, field_message, pdf_text, set_org, TestApp};
use serde_json::{json, Value};

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(app.t.db.read())
        .await
        .unwrap()
}

/// An account owned by Зайцева (with a phone) with her registered son and an unpaid
/// November charge of 1 500,00; the account's id.
async fn setup(app: &TestApp) -> i64 {
    set_org(&app.t.db).await;
    let (_, _, aid) = app.seed("ул. Мира", "3", "12", "830001").await;
    for (last, first, middle, roles, phone) in [
        (
            "Зайцева",
            "Ольга",
            "Петровна",
            &["owner", "registered"][..],
            "8 (912) 345-67-89",
        ),
        ("Зайцев", "Илья", "Андреевич", &["registered"][..], ""),
    ] {
        let r = app
            .api(Method::POST, "/api/v1/persons", Some(json!({"last_name": last, "first_name": first, "middle_name": middle, "birth_date": "1975-02-03", "phones": phone})))
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let pid = r.json()["id"].as_i64().unwrap();
        for role in roles {
            let share = (*role == "owner").then_some("1");
            let r = app
                .api(Method::POST, "/api/v1/links", Some(json!({"account_id": aid, "person_id": pid, "role": role, "share": share, "from_date": "2020-01-01"})))
                .await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        }
    }
    load_charges(
        app,
        "nov.csv",
        &[charge_line("830001", "2026-11", "maintenance", 150_000)],
    )
    .await;
    aid
}

/// Issues the blank `form` for the account through the API.
async fn blank(app: &TestApp, aid: i64, form: &str) -> Value {
    let r = app
        .api(
            Method::POST,
            "/api/v1/documents",
            Some(json!({"kind": "resident_application", "account_id": aid, "form": form})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{form}: {}", r.body);
    r.json()
}

both!(
    each_blank_is_filled_from_the_cards,
    |app: TestApp| async move {
        let aid = setup(&app).await;
        for (form, heading) in [
            (
                "recalculation",
                "о перерасчёте платы за коммунальные услуги",
            ),
            ("absence", "в связи с временным отсутствием"),
            (
                "installment",
                "о предоставлении рассрочки погашения задолженности",
            ),
            ("claim", "ПРЕТЕНЗИЯ"),
            ("complaint", "ЖАЛОБА"),
            ("certificate", "о выдаче справки"),
        ] {
            let d = blank(&app, aid, form).await;
            assert!(d["person_id"].as_i64().is_some(), "{d}");
            let text = pdf_text(&download(&app, d["id"].as_i64().unwrap()).await);
            for part in [
                heading,
                "от Зайцева Ольга Петровна",
                "лицевой счёт № 830001",
                "+7 (912) 345-67-89",
                "Зайцева О. П.",
            ] {
                assert!(text.contains(part), "{form}: no «{part}» in {text}");
            }
            assert!(
                text.contains(&format!("Бланк № {}", d["number"].as_str().unwrap())),
                "{text}"
            );
            // Only the absence blank lists the people registered; only the installment one
            // states the debt.
            assert_eq!(
                text.contains("Зайцев Илья Андреевич"),
                form == "absence",
                "{form}"
            );
            assert_eq!(
                text.contains("1 500,00 ₽"),
                form == "installment",
                "{form}: {text}"
            );
        }

        // An unknown blank: refused at its field, nothing stored, no number taken.
        let before = count(&app, "SELECT COUNT(*) FROM documents").await;
        let r = app
            .api(
                Method::POST,
                "/api/v1/documents",
                Some(json!({"kind": "resident_application", "account_id": aid, "form": "letter"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(field_message(&r, "form").contains("Нет такого бланка «letter»"));
        assert_eq!(count(&app, "SELECT COUNT(*) FROM documents").await, before);
    }
);

both!(
    a_handed_in_blank_is_registered_once,
    |app: TestApp| async move {
        let aid = setup(&app).await;
        // A complaint becomes a complaint appeal on the account, naming the blank.
        let d = blank(&app, aid, "complaint").await;
        let id = d["id"].as_i64().unwrap();
        let hand = |body: Value| {
            let app = &app;
            async move {
                app.api(
                    Method::POST,
                    &format!("/api/v1/documents/{id}/hand-in"),
                    Some(body),
                )
                .await
            }
        };
        let r = hand(json!({"as": "appeal", "substance": "Не убирают подъезд"})).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        assert_eq!(r.json()["register"], "appeal");
        let appeal_id = r.json()["id"].as_i64().unwrap();
        let a = app
            .api(Method::GET, &format!("/api/v1/appeals/{appeal_id}"), None)
            .await
            .json()["appeal"]
            .clone();
        assert_eq!(a["kind"], "complaint", "{a}");
        assert_eq!(a["channel"], "visit", "{a}");
        assert_eq!(a["account_id"], aid, "{a}");
        let substance = a["substance"].as_str().unwrap();
        assert!(substance.starts_with("Не убирают подъезд"), "{substance}");
        assert!(
            substance.contains(&format!("бланке № {}", d["number"].as_str().unwrap())),
            "{substance}"
        );
        // Twice: refused with the number it got; no second appeal.
        let appeals = count(&app, "SELECT COUNT(*) FROM appeals").await;
        let r = hand(json!({"as": "incoming"})).await;
        assert!(
            field_message(&r, "as").contains(&format!(
                "уже зарегистрировано: обращение № {}",
                a["number"].as_str().unwrap()
            )),
            "{}",
            r.body
        );
        assert_eq!(count(&app, "SELECT COUNT(*) FROM appeals").await, appeals);

        // A certificate request handed in as an incoming letter from the applicant; the
        // blank's card links to it.
        let d = blank(&app, aid, "certificate").await;
        let id = d["id"].as_i64().unwrap();
        let r = app
            .api(
                Method::POST,
                &format!("/api/v1/documents/{id}/hand-in"),
                Some(json!({"as": "incoming", "pages": "1"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let inc = r.json()["id"].as_i64().unwrap();
        let letter = app
            .api(
                Method::GET,
                &format!("/api/v1/correspondence/incoming/{inc}"),
                None,
            )
            .await
            .json()["letter"]
            .clone();
        assert_eq!(letter["sender_name"], "Зайцева Ольга Петровна", "{letter}");
        assert_eq!(letter["subject"], "Заявление о выдаче справки", "{letter}");
        assert_eq!(letter["account_id"], aid, "{letter}");
        let card = app.get(Role::Specialist, &format!("/documents/{id}")).await;
        assert!(
            card.body
                .contains(&format!("/correspondence/incoming/{inc}")),
            "{}",
            card.body
        );
        assert!(!card.body.contains("Зарегистрировать поданное заявление"));
        // The history of the blank keeps it.
        assert_eq!(
            count(
                &app,
                "SELECT COUNT(*) FROM history WHERE entity = 'document' AND action = 'hand_in'"
            )
            .await,
            2
        );

        // Not a blank: refused.
        let other = app
            .api(
                Method::POST,
                "/api/v1/documents",
                Some(json!({"kind": "account_statement", "account_id": aid})),
            )
            .await
            .json();
        let r = app
            .api(
                Method::POST,
                &format!("/api/v1/documents/{}/hand-in", other["id"]),
                Some(json!({"as": "appeal"})),
            )
            .await;
        assert!(field_message(&r, "document").contains("только заявление жителя"));
    }
);

both!(
    the_specialist_prints_and_registers_on_the_pages,
    |app: TestApp| async move {
        let aid = setup(&app).await;
        let card = app
            .get(Role::Specialist, &format!("/accounts/{aid}/documents"))
            .await;
        assert!(card.body.contains("Бланк заявления для жителя"));
        assert!(card.body.contains("Заявление о рассрочке"));
        let r = app
            .page(
                Role::Specialist,
                Method::POST,
                &format!("/accounts/{aid}/documents"),
                &[("kind", "resident_application"), ("form", "recalculation")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let doc = r.location().split('?').next().unwrap().to_string();
        let card = app.get(Role::Specialist, &doc).await;
        assert!(card.body.contains("Зарегистрировать поданное заявление"));
        // No choice of register: the card again with the message, nothing registered.
        let appeals = count(&app, "SELECT COUNT(*) FROM appeals").await;
        let r = app
            .page(
                Role::Specialist,
                Method::POST,
                &format!("{doc}/hand-in"),
                &[("as", ""), ("substance", "Перерасчёт за отопление")],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("Выберите, как зарегистрировать заявление"));
        assert!(r.body.contains("Перерасчёт за отопление"));
        assert_eq!(count(&app, "SELECT COUNT(*) FROM appeals").await, appeals);
        let r = app
            .page(
                Role::Specialist,
                Method::POST,
                &format!("{doc}/hand-in"),
                &[("as", "appeal"), ("substance", "Перерасчёт за отопление")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert!(r.location().starts_with("/appeals/"), "{}", r.location());
        assert_eq!(
            count(&app, "SELECT COUNT(*) FROM appeals").await,
            appeals + 1
        );
    }
);
