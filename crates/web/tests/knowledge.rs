//! Issue 20 §4 over HTTP on both backends: articles created and edited as versions (pages
//! and API), search by word forms with the matched words marked, the legal-news feed with
//! «Прочитал» and the list of who has not confirmed, suggestions beside the appeal form,
//! the roles, and bad input refused at its field with nothing saved.

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

/// An article through the API as the manager; its id.
async fn article(app: &TestApp, manager: &str, body: serde_json::Value) -> i64 {
    let r = app
        .api_with(manager, Method::POST, "/api/v1/articles", Some(body))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.json()["id"].as_i64().unwrap()
}

both!(versions_search_and_highlight, |app: TestApp| async move {
    let manager = app.token_of(Role::Manager).await;
    let id = article(
        &app,
        &manager,
        json!({"title": "Перерасчёт за временное отсутствие", "category": "Перерасчёт",
               "audience": "residents",
               "body": "# Как подать\n\nЗаявление о перерасчёте подают в течение 30 дней после возвращения.",
               "references": [{"title": "ПП РФ № 354, п. 91", "effective_on": "2012-09-01"}]}),
    )
    .await;
    article(
        &app,
        &manager,
        json!({"title": "Тариф на отопление", "category": "Тарифы",
               "body": "Тариф утверждает региональная энергетическая комиссия; перерасчёт не делается."}),
    )
    .await;
    // Another form of the word finds both; the title match ranks first and is marked.
    let r = app
        .api(Method::GET, "/api/v1/articles?q=перерасчёта", None)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let hits = r.json();
    let hits = hits.as_array().unwrap();
    assert_eq!(hits.len(), 2, "{hits:?}");
    assert_eq!(hits[0]["id"], id);
    assert!(hits[0]["score"]["weight"].as_i64() > hits[1]["score"]["weight"].as_i64());
    let marked: Vec<&str> = hits[0]["title_pieces"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["matched"] == true)
        .map(|p| p["text"].as_str().unwrap())
        .collect();
    assert_eq!(marked, ["Перерасчёт"]);
    assert!(hits[1]["fragment"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["matched"] == true && p["text"] == "перерасчёт"));
    // The page marks them too.
    let page = app
        .get(
            Role::Specialist,
            "/knowledge?q=%D0%BF%D0%B5%D1%80%D0%B5%D1%80%D0%B0%D1%81%D1%87%D1%91%D1%82%D0%B0",
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body.contains("<mark>Перерасчёт</mark>"),
        "{}",
        page.body
    );

    // A new version through the page form; the first stays in the history.
    let r = app
        .page(
            Role::Manager,
            Method::POST,
            &format!("/knowledge/{id}"),
            &[
                ("title", "Перерасчёт при временном отсутствии"),
                ("category", "Перерасчёт"),
                ("audience", "residents"),
                (
                    "body",
                    "Заявление подают не позднее 30 дней после возвращения.",
                ),
                ("references", "ПП РФ № 354, п. 91 | 01.09.2012"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let a = app
        .api(Method::GET, &format!("/api/v1/articles/{id}"), None)
        .await
        .json();
    assert_eq!(a["version"], 2);
    assert_eq!(a["versions"].as_array().unwrap().len(), 2);
    assert_eq!(
        a["versions"][1]["title"],
        "Перерасчёт за временное отсутствие"
    );
    assert_eq!(a["references"][0]["effective_on"], "2012-09-01");
    let old = app
        .get(Role::Specialist, &format!("/knowledge/{id}?version=1"))
        .await;
    assert!(old.body.contains("Это версия 1"), "{}", old.body);
    assert!(old.body.contains("Как подать"));
    // A new version through the API.
    let r = app
        .api_with(
            &manager,
            Method::POST,
            &format!("/api/v1/articles/{id}/versions"),
            Some(json!({"title": "Перерасчёт при отсутствии", "category": "Перерасчёт", "body": "Текст."})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.json()["version"], 3);
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM article_versions").await,
        4
    );
});

both!(
    legal_news_feed_and_who_has_not_read,
    |app: TestApp| async move {
        let manager = app.token_of(Role::Manager).await;
        let id = article(
            &app,
            &manager,
            json!({"title": "Новые сроки передачи показаний", "category": "Счётчики",
               "body": "С 1 марта показания принимаются с 15 по 25 число.",
               "legal_news_on": "2026-03-01"}),
        )
        .await;
        let feed = app.get(Role::Specialist, "/knowledge/news").await;
        assert_eq!(feed.status, StatusCode::OK);
        assert!(feed.body.contains("Новые сроки передачи показаний"));
        assert!(feed.body.contains("Прочитал"));
        let unread = app.get(Role::Manager, "/knowledge/unread").await;
        assert!(
            unread.body.contains("Сотрудник Специалист"),
            "{}",
            unread.body
        );
        // The specialist confirms from the feed.
        let r = app
            .page(
                Role::Specialist,
                Method::POST,
                &format!("/knowledge/{id}/read"),
                &[],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let feed = app.get(Role::Specialist, "/knowledge/news").await;
        assert!(feed.body.contains("подтверждено"), "{}", feed.body);
        let report = app
            .api_with(&manager, Method::GET, "/api/v1/articles/unread", None)
            .await;
        assert_eq!(report.status, StatusCode::OK, "{}", report.body);
        let names: Vec<String> = report.json()[0]["unread"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["full_name"].as_str().unwrap().to_string())
            .collect();
        assert!(
            !names.contains(&"Сотрудник Специалист".to_string()),
            "{names:?}"
        );
        assert!(
            names.contains(&"Сотрудник Руководитель".to_string()),
            "{names:?}"
        );
        // The auditor only reads: not expected, and may not confirm.
        assert!(!names.iter().any(|n| n.contains("Аудитор")), "{names:?}");
        let r = app
            .page(
                Role::Auditor,
                Method::POST,
                &format!("/knowledge/{id}/read"),
                &[],
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        // A token names no person: refused at its field.
        let r = app
            .api(Method::POST, &format!("/api/v1/articles/{id}/read"), None)
            .await;
        assert!(field_message(&r, "user").contains("под своим именем"));
        assert_eq!(count(&app, "SELECT COUNT(*) FROM article_reads").await, 1);
    }
);

both!(roles_read_and_write, |app: TestApp| async move {
    // A specialist reads but does not write; a contractor does not even read.
    assert_eq!(
        app.get(Role::Specialist, "/knowledge").await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.get(Role::Specialist, "/knowledge/new").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get(Role::Manager, "/knowledge/new").await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.get(Role::Contractor, "/knowledge").await.status,
        StatusCode::FORBIDDEN
    );
    let r = app
        .api(
            Method::POST,
            "/api/v1/articles",
            Some(json!({"title": "x", "category": "y", "body": "z"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    // The staff navigation links the section.
    let home = app.get(Role::Specialist, "/").await;
    assert!(home.body.contains("href=\"/knowledge\""), "{}", home.body);
});

both!(
    suggested_beside_the_appeal_form,
    |app: TestApp| async move {
        let manager = app.token_of(Role::Manager).await;
        let id = article(
            &app,
            &manager,
            json!({"title": "Перерасчёт платы за горячую воду", "category": "Начисления и оплата",
               "body": "Если горячая вода была холодной, плату за горячую воду пересчитывают."}),
        )
        .await;
        article(
        &app,
        &manager,
        json!({"title": "Вывоз мусора", "category": "Благоустройство", "body": "Региональный оператор."}),
    )
    .await;
        let form = app.get(Role::Specialist, "/appeals/new").await;
        assert!(
            form.body.contains("hx-get=\"/knowledge/suggest\""),
            "{}",
            form.body
        );
        let q = "/knowledge/suggest?substance=%D0%BF%D0%BE%D1%87%D0%B5%D0%BC%D1%83%20%D0%BF%D0%BB%D0%B0%D1%82%D0%B0%20%D0%B7%D0%B0%20%D0%B3%D0%BE%D1%80%D1%8F%D1%87%D1%83%D1%8E%20%D0%B2%D0%BE%D0%B4%D1%83%20%D0%B2%D1%8B%D1%80%D0%BE%D1%81%D0%BB%D0%B0";
        // «почему плата за горячую воду выросла»
        let r = app.get(Role::Specialist, q).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(r.body.contains(&format!("/knowledge/{id}")), "{}", r.body);
        assert!(r.body.contains("<mark>горячую</mark>"), "{}", r.body);
        assert!(!r.body.contains("Вывоз мусора"));
        // Nothing typed: nothing suggested.
        let r = app
            .get(Role::Specialist, "/knowledge/suggest?substance=")
            .await;
        assert!(!r.body.contains("/knowledge/"), "{}", r.body);
        // The API gives the same.
        let r = app
        .api(
            Method::GET,
            "/api/v1/articles/suggest?text=%D0%B3%D0%BE%D1%80%D1%8F%D1%87%D0%B0%D1%8F%20%D0%B2%D0%BE%D0%B4%D0%B0",
            None,
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()[0]["id"], id);
    }
);

both!(
    bad_input_is_named_and_nothing_saved,
    |app: TestApp| async move {
        let manager = app.token_of(Role::Manager).await;
        // API: no title.
        let r = app
            .api_with(
                &manager,
                Method::POST,
                "/api/v1/articles",
                Some(json!({"category": "Тарифы", "body": "Текст."})),
            )
            .await;
        assert_eq!(field_message(&r, "title"), "Заполните поле «Заголовок».");
        // API: a blank title and a reference without its name.
        let r = app
            .api_with(
                &manager,
                Method::POST,
                "/api/v1/articles",
                Some(
                    json!({"title": "  ", "category": "Тарифы", "body": "Текст.",
                        "references": [{"title": "", "effective_on": "2026-01-01"}]}),
                ),
            )
            .await;
        assert!(field_message(&r, "title").contains("Заголовок"));
        assert!(field_message(&r, "references[0].title").contains("Нормативный акт № 1"));
        // Page: no title, a reference without a date; the form comes back with the messages.
        let r = app
            .page(
                Role::Manager,
                Method::POST,
                "/knowledge",
                &[
                    ("title", ""),
                    ("category", "Тарифы"),
                    ("body", "Текст."),
                    ("references", "ПП РФ № 354"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("Заполните поле «Заголовок»."), "{}", r.body);
        assert!(r.body.contains("Строка 1 нормативных актов"), "{}", r.body);
        assert_eq!(count(&app, "SELECT COUNT(*) FROM articles").await, 0);
        assert_eq!(
            count(&app, "SELECT COUNT(*) FROM article_versions").await,
            0
        );
        // A bad new version leaves the article as it was.
        let id = article(
            &app,
            &manager,
            json!({"title": "Тариф", "category": "Тарифы", "body": "Текст."}),
        )
        .await;
        let r = app
            .api_with(
                &manager,
                Method::POST,
                &format!("/api/v1/articles/{id}/versions"),
                Some(json!({"title": "", "category": "Тарифы", "body": "Новый текст."})),
            )
            .await;
        assert!(field_message(&r, "title").contains("Заголовок"));
        assert_eq!(
            count(&app, "SELECT COUNT(*) FROM article_versions").await,
            1
        );
        let r = app
            .api(Method::GET, &format!("/api/v1/articles/{}", id + 100), None)
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
    }
);
