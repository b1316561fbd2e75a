//! Issue 20 §6 over HTTP on both backends: a consultation is recorded as an appeal of kind
//! consultation with its topic, question and answer — closed at once when answered on the
//! spot, open with its deadline when a written answer was promised; a missing answer or
//! question is refused at its field with nothing saved; the screen lists what was recorded.

mod common;

use abonent_domain::Role;
use axum::http::{Method, StatusCode};
use common::{field_message, TestApp};
use serde_json::json;

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(app.t.db.read())
        .await
        .unwrap()
}

/// The id of the category titled `title`.
async fn category(app: &TestApp, title: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM appeal_categories WHERE title = $1")
        .bind(title)
        .fetch_one(app.t.db.read())
        .await
        .unwrap()
}

both!(
    answered_on_the_spot_or_promised_in_writing,
    |app: TestApp| async move {
        let (_, _, aid) = app.seed("ул. Мира", "3", "12", "830001").await;
        let topic = category(&app, "Перерасчёт").await;
        let r = app
            .api(
                Method::POST,
                "/api/v1/consultations",
                Some(json!({
                    "account_id": aid, "category_id": topic,
                    "question": "Почему выросла плата за горячую воду?",
                    "answer": "С 01.07.2026 тариф вырос по решению РЭК; объём по показаниям.",
                    "articles": [3, 1, 3],
                })),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let c = r.json();
        assert_eq!(c["status"], "closed", "{c}");
        assert_eq!(c["topic"], "Перерасчёт");
        assert_eq!(c["articles"], json!([1, 3]));
        assert!(c["deadline_at"].is_null() || c["status"] == "closed");
        // The appeal: a consultation, done with the answer and closed, with no message asking
        // the caller to rate it.
        let a = app
            .api(
                Method::GET,
                &format!("/api/v1/appeals/{}", c["appeal_id"]),
                None,
            )
            .await
            .json()["appeal"]
            .clone();
        assert_eq!(a["kind"], "consultation", "{a}");
        assert_eq!(a["channel"], "phone", "{a}");
        assert_eq!(a["status"], "closed", "{a}");
        assert!(a["result"].as_str().unwrap().contains("решению РЭК"), "{a}");
        assert_eq!(count(&app, "SELECT COUNT(*) FROM rating_links").await, 0);

        // A written answer promised: the appeal stays open with its deadline.
        let r = app
            .api(
                Method::POST,
                "/api/v1/consultations",
                Some(json!({
                    "applicant_name": "Петров", "applicant_phone": "8 912 000-11-22",
                    "question": "Какой норматив потребления холодной воды в нашем доме?",
                    "answer": "Уточним и ответим письменно.", "written_promised": true,
                })),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let open = r.json();
        assert_eq!(open["status"], "registered", "{open}");
        assert!(open["deadline_at"].is_string(), "{open}");
        let list = app
            .api(Method::GET, "/api/v1/consultations", None)
            .await
            .json();
        assert_eq!(list.as_array().unwrap().len(), 2);
        assert_eq!(list[0]["appeal_id"], open["appeal_id"], "newest first");
        let mine = app
            .api(
                Method::GET,
                &format!("/api/v1/consultations?account_id={aid}"),
                None,
            )
            .await
            .json();
        assert_eq!(mine.as_array().unwrap().len(), 1);

        // Bad input: no answer, no question — both named, nothing saved.
        let appeals = count(&app, "SELECT COUNT(*) FROM appeals").await;
        let r = app
            .api(
                Method::POST,
                "/api/v1/consultations",
                Some(json!({"account_id": aid, "question": " ", "answer": ""})),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(field_message(&r, "answer").contains("Запишите, что вы ответили"));
        assert!(field_message(&r, "question").contains("Запишите вопрос"));
        assert_eq!(count(&app, "SELECT COUNT(*) FROM appeals").await, appeals);
        assert_eq!(count(&app, "SELECT COUNT(*) FROM consultations").await, 2);
    }
);

both!(the_screen_records_and_lists, |app: TestApp| async move {
    let (_, _, aid) = app.seed("ул. Мира", "3", "12", "830001").await;
    let card = app.get(Role::Specialist, &format!("/accounts/{aid}")).await;
    assert!(card
        .body
        .contains(&format!("/consultations?account_id={aid}")));
    let page = app
        .get(
            Role::Specialist,
            &format!("/consultations?account_id={aid}"),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("ЛС 830001"));
    // The article the knowledge base suggests for the question can be marked as used.
    let manager = app.token_of(Role::Manager).await;
    let r = app
        .api_with(
            &manager,
            Method::POST,
            "/api/v1/articles",
            Some(json!({"title": "Перерасчёт за отопление", "category": "Перерасчёт", "body": "Перерасчёт за отопление делается в квитанции следующего месяца."})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let article = r.json()["id"].as_i64().unwrap();
    let panel = app
        .get(
            Role::Specialist,
            "/knowledge/suggest?question=%D0%BF%D0%B5%D1%80%D0%B5%D1%80%D0%B0%D1%81%D1%87%D1%91%D1%82%20%D0%B7%D0%B0%20%D0%BE%D1%82%D0%BE%D0%BF%D0%BB%D0%B5%D0%BD%D0%B8%D0%B5",
        )
        .await;
    assert!(
        panel.body.contains(&format!("name=\"article_{article}\"")),
        "{}",
        panel.body
    );
    // No answer: the form again with the message at the field.
    let r = app
        .page(
            Role::Specialist,
            Method::POST,
            "/consultations",
            &[
                ("account_id", &aid.to_string()),
                ("question", "Когда будет перерасчёт за отопление?"),
                ("answer", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("Запишите, что вы ответили"));
    assert!(r.body.contains("Когда будет перерасчёт за отопление?"));
    let r = app
        .page(
            Role::Specialist,
            Method::POST,
            "/consultations",
            &[
                ("account_id", &aid.to_string()),
                ("question", "Когда будет перерасчёт за отопление?"),
                ("answer", "В квитанции за декабрь."),
                (&format!("article_{article}"), "on"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = app.get(Role::Specialist, &r.location()).await;
    assert!(
        page.body.contains("Консультация записана и закрыта"),
        "{}",
        page.body
    );
    assert!(page.body.contains("В квитанции за декабрь."));
    assert!(page.body.contains("ответ дан при обращении"));
    assert!(page
        .body
        .contains(&format!("href=\"/knowledge/{article}\"")));
    let listed = app
        .api(Method::GET, "/api/v1/consultations", None)
        .await
        .json();
    assert_eq!(listed[0]["articles"], json!([article]));
    // The accountant does not register appeals.
    let r = app.get(Role::Accountant, "/consultations").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
});
