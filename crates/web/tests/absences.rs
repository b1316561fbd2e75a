//! Issue 20 §3 over HTTP on both backends: an application for temporary absence registered
//! as an appeal, its recalculation computed from the account's charges, approved and posted
//! into the ledger with a reference to it (posting twice adds nothing), the applicant
//! answered through the outbox; a late application refused with the rule's reason; an
//! absence of 5 days refused at its field with nothing saved.

mod common;

use abonent_domain::Role;
use axum::http::{Method, StatusCode};
use common::ledger_files::{charge_line, load_charges};
use common::{field_message, Resp, TestApp};
use serde_json::{json, Value};

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(app.t.db.read())
        .await
        .unwrap()
}

/// An account with one registered person (SMS consent) and its November and October
/// charges; the account's and the person's ids.
async fn setup(app: &TestApp) -> (i64, i64) {
    let (_, _, aid) = app.seed("ул. Мира", "3", "12", "830001").await;
    let r = app
        .api(
            Method::POST,
            "/api/v1/persons",
            Some(json!({"last_name": "Зайцева", "first_name": "Ольга", "birth_date": "1975-02-03", "phones": "8 (912) 345-67-89", "consent_sms": true})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let pid = r.json()["id"].as_i64().unwrap();
    let r = app
        .api(Method::POST, "/api/v1/links", Some(json!({"account_id": aid, "person_id": pid, "role": "registered", "from_date": "2020-01-01"})))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let lines = vec![
        charge_line("830001", "2026-10", "cold_water", 31_00),
        charge_line("830001", "2026-11", "cold_water", 30_00),
        charge_line("830001", "2026-11", "hot_water", 60_00),
        charge_line("830001", "2026-11", "heating", 300_000),
        charge_line("830001", "2026-11", "maintenance", 150_000),
        charge_line("830001", "2026-11", "waste", 30_000),
    ];
    load_charges(app, "nov.csv", &lines).await;
    (aid, pid)
}

/// The appeal an application was registered as, through the API.
async fn appeal_of(app: &TestApp, absence: &Value) -> Value {
    let r = app
        .api(
            Method::GET,
            &format!("/api/v1/appeals/{}", absence["appeal_id"]),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json()["appeal"].clone()
}

fn application(aid: i64, pid: i64, left: &str, back: &str, applied: &str) -> Value {
    json!({
        "account_id": aid, "persons": [pid], "left_on": left, "returned_on": back,
        "applied_on": applied, "reason": "командировка",
        "documents": "командировочное удостоверение\nпроездные билеты",
        "meter_acts": ["cold_water"], "metered": ["hot_water"],
    })
}

/// POST /api/v1/absences with the dates of leaving, return and the application.
async fn apply(app: &TestApp, aid: i64, pid: i64, [left, back, applied]: [&str; 3]) -> Resp {
    app.api(
        Method::POST,
        "/api/v1/absences",
        Some(application(aid, pid, left, back, applied)),
    )
    .await
}

both!(
    registered_approved_posted_once_with_the_reference,
    |app: TestApp| async move {
        let (aid, pid) = setup(&app).await;
        let admin = app.token_of(Role::Administrator).await;
        // Away 01.11–12.11.2026: 10 full days of November's 30.
        let r = apply(&app, aid, pid, ["2026-11-01", "2026-11-12", "2026-11-13"]).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let x = r.json();
        let id = x["id"].as_i64().unwrap();
        assert_eq!(x["status"], "registered");
        assert_eq!(x["full_days"], 10);
        assert!(!x["number"].as_str().unwrap().is_empty());
        assert!(x["deadline_at"].is_string(), "{x}");
        // The appeal exists with that number, on the account.
        let appeal = app
            .api(
                Method::GET,
                &format!("/api/v1/appeals/{}", x["appeal_id"]),
                None,
            )
            .await;
        assert_eq!(appeal.status, StatusCode::OK, "{}", appeal.body);
        assert!(
            appeal.body.contains(x["number"].as_str().unwrap()),
            "{}",
            appeal.body
        );
        // Cold water (act): 30,00 × 10/30 = 10,00; waste: 300,00 × 10/30 = 100,00; hot water
        // has a meter; heating and maintenance are never recalculated.
        let lines = x["lines"].as_array().unwrap();
        let by = |s: &str| lines.iter().find(|l| l["service"] == s).unwrap().clone();
        assert_eq!(by("cold_water")["kopecks"], 10_00);
        assert_eq!(by("waste")["kopecks"], 10_000);
        assert!(by("hot_water")["not_recalculated"]
            .as_str()
            .unwrap()
            .contains("прибор учёта"));
        assert!(by("heating")["not_recalculated"].is_string());
        assert!(by("maintenance")["not_recalculated"].is_string());
        assert_eq!(x["total_kopecks"], 11_000);
        assert!(lines.iter().all(|l| l["period"] == "2026-11"), "{lines:?}");

        // Approve (a specialist, on the card), then post (the accountant's right, not the
        // specialist's).
        let r = app
            .page(
                Role::Specialist,
                Method::POST,
                &format!("/absences/{id}/approve"),
                &[],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let r = app
            .api(Method::GET, &format!("/api/v1/absences/{id}"), None)
            .await;
        assert_eq!(r.json()["status"], "approved");
        // The decision is the appeal's result: done by the deciding specialist, no longer
        // open (so never overdue), and the applicant is asked to rate it.
        let appeal = appeal_of(&app, &x).await;
        assert_eq!(appeal["status"], "done", "{appeal}");
        assert!(appeal["result"]
            .as_str()
            .unwrap()
            .contains("одобрено, перерасчёт 110,00"));
        assert!(appeal["executor_id"].is_i64(), "{appeal}");
        assert_eq!(count(&app, "SELECT COUNT(*) FROM rating_links").await, 1);
        assert_eq!(
            count(
                &app,
                "SELECT COUNT(*) FROM history WHERE entity = 'appeal' AND action = 'status'"
            )
            .await,
            2
        );
        // The applicant's answer waits in the outbox.
        assert_eq!(
            count(
                &app,
                "SELECT COUNT(*) FROM outbox WHERE dedup_key LIKE 'absence:%:decision:sms'"
            )
            .await,
            1
        );
        let r = app
            .api(Method::POST, &format!("/api/v1/absences/{id}/post"), None)
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
        let r = app
            .api_with(
                &admin,
                Method::POST,
                &format!("/api/v1/absences/{id}/post"),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["posted"], 2);
        assert_eq!(r.json()["absence"]["status"], "posted");
        // Twice: nothing new.
        let r = app
            .api_with(
                &admin,
                Method::POST,
                &format!("/api/v1/absences/{id}/post"),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["posted"], 0);
        assert_eq!(
            count(
                &app,
                "SELECT COUNT(*) FROM ledger_entries WHERE absence_id IS NOT NULL"
            )
            .await,
            2
        );

        // The account's ledger shows the recalculation with the application's number.
        let number = x["number"].as_str().unwrap().to_string();
        let page = app
            .get(Role::Specialist, &format!("/accounts/{aid}/ledger"))
            .await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body.contains(&format!("заявление № {number}")),
            "{}",
            page.body
        );
        let sum: i64 = count(
            &app,
            "SELECT CAST(SUM(amount) AS BIGINT) FROM ledger_entries WHERE kind = 'recalculation' AND absence_id IS NOT NULL",
        )
        .await;
        assert_eq!(sum, -11_000);
        // History: created, approved, posted.
        assert_eq!(
            count(
                &app,
                "SELECT COUNT(*) FROM history WHERE entity = 'absence'"
            )
            .await,
            3
        );

        // The pages: the link on the account card, the form, the card with its lines.
        let card = app.get(Role::Specialist, &format!("/accounts/{aid}")).await;
        assert!(card.body.contains("Заявление о временном отсутствии"));
        let form = app
            .get(Role::Specialist, &format!("/accounts/{aid}/absences/new"))
            .await;
        assert_eq!(form.status, StatusCode::OK);
        assert!(form.body.contains("Зайцева") && form.body.contains("Установлен ИПУ"));
        let card = app.get(Role::Specialist, &format!("/absences/{id}")).await;
        assert_eq!(card.status, StatusCode::OK);
        for part in [
            "перерасчёт проведён",
            "110,00",
            "Отопление при временном отсутствии не пересчитывается",
        ] {
            assert!(card.body.contains(part), "{part}");
        }
    }
);

both!(
    a_late_application_is_refused_with_the_reason,
    |app: TestApp| async move {
        let (aid, pid) = setup(&app).await;
        // Back on 10.10.2026: the last day to apply was 09.11.2026.
        let r = apply(&app, aid, pid, ["2026-10-01", "2026-10-10", "2026-11-10"]).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let id = r.json()["id"].as_i64().unwrap();
        assert!(r.json()["rules_refusal"]
            .as_str()
            .unwrap()
            .contains("не позднее 09.11.2026"));
        let r = app
            .api(
                Method::POST,
                &format!("/api/v1/absences/{id}/approve"),
                None,
            )
            .await;
        assert!(
            field_message(&r, "decision").contains("30 дней"),
            "{}",
            r.body
        );
        let r = app
            .page(
                Role::Specialist,
                Method::POST,
                &format!("/absences/{id}/refuse"),
                &[("reason", "")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let r = app
            .api(Method::GET, &format!("/api/v1/absences/{id}"), None)
            .await;
        assert_eq!(r.json()["status"], "refused");
        assert!(r.json()["refusal"]
            .as_str()
            .unwrap()
            .contains("не позднее 09.11.2026"));
        // A refusal is an answer too: the appeal is done with it.
        let appeal = appeal_of(&app, &r.json()).await;
        assert_eq!(appeal["status"], "done", "{appeal}");
        assert!(appeal["result"].as_str().unwrap().contains("отказано"));
        // A refused application is never posted.
        let admin = app.token_of(Role::Administrator).await;
        let r = app
            .api_with(
                &admin,
                Method::POST,
                &format!("/api/v1/absences/{id}/post"),
                None,
            )
            .await;
        assert!(
            field_message(&r, "status").contains("одобренному"),
            "{}",
            r.body
        );
        assert_eq!(
            count(
                &app,
                "SELECT COUNT(*) FROM ledger_entries WHERE absence_id IS NOT NULL"
            )
            .await,
            0
        );
    }
);

/// The page form, away from 01.11.2026 until `back`, cold water with the act.
async fn apply_on_page(app: &TestApp, aid: i64, pid: i64, back: &str, applied: &str) -> Resp {
    let person = format!("person_{pid}");
    app.page(
        Role::Specialist,
        Method::POST,
        &format!("/accounts/{aid}/absences"),
        &[
            (&person, "on"),
            ("left_on", "2026-11-01"),
            ("returned_on", back),
            ("applied_on", applied),
            ("reason", "отпуск"),
            ("documents", "билеты"),
            ("act_cold_water", "on"),
        ],
    )
    .await
}

both!(
    five_days_are_refused_at_the_field_and_nothing_is_saved,
    |app: TestApp| async move {
        let (aid, pid) = setup(&app).await;
        let appeals = count(&app, "SELECT COUNT(*) FROM appeals").await;
        // 01.11 → 07.11: 5 full days.
        let r = apply(&app, aid, pid, ["2026-11-01", "2026-11-07", "2026-11-08"]).await;
        assert!(field_message(&r, "returned_on").contains("не менее 6 полных суток"));
        // The page form: the same message at the field, 422, nothing saved.
        let r = apply_on_page(&app, aid, pid, "2026-11-07", "2026-11-08").await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("не менее 6 полных суток"));
        assert_eq!(count(&app, "SELECT COUNT(*) FROM appeals").await, appeals);
        assert_eq!(count(&app, "SELECT COUNT(*) FROM absences").await, 0);
        assert_eq!(
            count(
                &app,
                "SELECT COUNT(*) FROM history WHERE entity = 'absence'"
            )
            .await,
            0
        );

        // Six days through the page: registered, and the card opens.
        let r = apply_on_page(&app, aid, pid, "2026-11-08", "2026-11-09").await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert!(r.location().starts_with("/absences/"), "{}", r.location());
        let card = app.get(Role::Specialist, &r.location()).await;
        assert_eq!(card.status, StatusCode::OK);
        assert!(card.body.contains("Заявление зарегистрировано"));
        assert_eq!(
            count(&app, "SELECT COUNT(*) FROM appeals").await,
            appeals + 1
        );
    }
);
