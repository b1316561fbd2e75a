//! The history a person can read (issue 17 §2): every card's history shows codes by their
//! Russian names, money in rubles, areas in m², dates ДД.ММ.ГГГГ and times in the
//! organization's zone, references as links named by what they point at — never an internal
//! id, a code, JSON or a UTC time; the 152-ФЗ views are listed apart from the changes.

mod common;

use abonent_domain::Role;
use axum::http::{Method, StatusCode};
use serde_json::json;

/// The history of a page: its changes, and the views listed after them.
fn history_of(body: &str) -> &str {
    let start = body
        .find("class=\"card history\"")
        .unwrap_or_else(|| panic!("no history on the page: {body}"));
    let section_end = |from: usize| from + body[from..].find("</section>").unwrap() + 10;
    let mut end = section_end(start);
    if body[end..]
        .trim_start()
        .starts_with("<section class=\"card history history-views\"")
    {
        end = section_end(end);
    }
    &body[start..end]
}

/// `2026-11-27` or `…T10:00:00Z`: a date or an instant as stored, not as people read it.
fn stored_date(s: &str) -> Option<&str> {
    let b = s.as_bytes();
    (0..b.len().saturating_sub(9)).find_map(|i| {
        let w = &b[i..i + 10];
        let digits = |r: std::ops::Range<usize>| r.into_iter().all(|j| w[j].is_ascii_digit());
        (digits(0..4) && w[4] == b'-' && digits(5..7) && w[7] == b'-' && digits(8..10))
            .then(|| &s[i..(i + 24).min(s.len())])
    })
}

/// What a readable history never shows.
fn assert_readable(page: &str, history: &str) {
    for code in [
        "_id",
        "(код)",
        "owner",
        "complaint",
        "prosecutor",
        "\"phone\"",
        "registered",
        "{\"",
        "\":",
        "null",
        "Другое поле",
        "Действие:",
        ": запись",
    ] {
        assert!(!history.contains(code), "{page}: «{code}» in {history}");
    }
    assert!(
        stored_date(history).is_none(),
        "{page}: a stored date {:?} in {history}",
        stored_date(history)
    );
}

both!(
    every_card_history_reads_in_russian,
    |app: common::TestApp| async move {
        let (bid, pid, aid) = app.seed("ул. Ленина", "5", "12", "100234").await;
        // A person linked to the account as its owner, from the page.
        let r = app
            .page(
                Role::Specialist,
                Method::POST,
                "/persons",
                &[
                    ("last_name", "Кузнецова"),
                    ("first_name", "Анна"),
                    ("phones", "8 912 000-00-07"),
                    ("birth_date", "1980-03-15"),
                    ("account_id", &aid.to_string()),
                    ("role", "owner"),
                    ("share", "1"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let person = abonent_storage::search::search(&app.t.db, "кузнецова", 5)
            .await
            .unwrap()[0]
            .id;
        // The premises' area changed.
        let r = app
            .api(
                Method::PUT,
                &format!("/api/v1/premises/{pid}"),
                Some(
                    json!({"building_id": bid, "number": "12", "residential": true,
                            "area": "60,5", "rooms": 3}),
                ),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        // A cash payment at the desk.
        let accountant = app.token_of(Role::Accountant).await;
        let r = app
            .api_with(
                &accountant,
                Method::POST,
                "/api/v1/ledger/payments/cash",
                Some(
                    json!({"account_id": aid, "amount": 123456, "paid_on": "2025-02-20",
                            "receipt_no": "ПКО-1"}),
                ),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        // An appeal about the flat, and a letter from the prosecutor about the person.
        let r = app
            .api(
                Method::POST,
                "/api/v1/appeals",
                Some(
                    json!({"kind": "complaint", "channel": "phone", "premises_id": pid, "applicant_phone": "+7 912 000-00-07",
                            "substance": "Не убирают подъезд"}),
                ),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let appeal = r.json()["id"].as_i64().unwrap();
        let r = app
            .api(
                Method::POST,
                "/api/v1/correspondence/incoming",
                Some(
                    json!({"received_on": "2026-01-12", "sender_kind": "prosecutor",
                            "sender_name": "Прокуратура района", "subject": "Требование",
                            "pages": 2, "person_id": person, "account_id": aid}),
                ),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let letter = r.json()["id"].as_i64().unwrap();
        // Several people open the person's card: views, not changes.
        for _ in 0..3 {
            let r = app.get(Role::Manager, &format!("/persons/{person}")).await;
            assert_eq!(r.status, StatusCode::OK);
        }

        let account = app.get(Role::Specialist, &format!("/accounts/{aid}")).await;
        let h = history_of(&account.body);
        assert_readable("account", h);
        for ru in [
            "Собственник",
            &format!("href=\"/persons/{person}\">Кузнецова Анна</a>"),
            "1 234,56 ₽",
            "20.02.2025",
            "Оплата в кассу: платёж",
            "Создание: лицевой счёт",
        ] {
            assert!(h.contains(ru), "account: «{ru}» missing in {h}");
        }

        let premises = app.get(Role::Specialist, &format!("/premises/{pid}")).await;
        let h = history_of(&premises.body);
        assert_readable("premises", h);
        for ru in [
            "54,3 м²",
            "60,5 м²",
            "Площадь",
            &format!("href=\"/buildings/{bid}\">ул. Ленина, д. 5</a>"),
        ] {
            assert!(h.contains(ru), "premises: «{ru}» missing in {h}");
        }

        let card = app
            .get(Role::Specialist, &format!("/appeals/{appeal}"))
            .await;
        let h = history_of(&card.body);
        assert_readable("appeal", h);
        for ru in [
            "Жалоба",
            "Телефон",
            "Зарегистрировано",
            "Создание: обращение",
        ] {
            assert!(h.contains(ru), "appeal: «{ru}» missing in {h}");
        }

        let incoming = app
            .get(
                Role::Specialist,
                &format!("/correspondence/incoming/{letter}"),
            )
            .await;
        assert_eq!(incoming.status, StatusCode::OK, "{}", incoming.body);
        let h = history_of(&incoming.body);
        assert_readable("incoming", h);
        for ru in [
            "Прокуратура",
            "12.01.2026",
            &format!("href=\"/accounts/{aid}\">ЛС 100234</a>"),
            &format!("href=\"/persons/{person}\">Кузнецова Анна</a>"),
        ] {
            assert!(h.contains(ru), "incoming: «{ru}» missing in {h}");
        }

        // The person's card: the change stays in sight above the views, which are apart.
        let card = app
            .get(Role::Specialist, &format!("/persons/{person}"))
            .await;
        let h = history_of(&card.body);
        assert_readable("person", h);
        let views = h
            .find("Просмотры персональных данных (152-ФЗ)")
            .unwrap_or_else(|| panic!("no views section: {h}"));
        let created = h.find("Создание: человек").expect("the creation is shown");
        assert!(created < views, "{h}");
        // The manager's three views and this very one.
        assert_eq!(h[views..].matches("<li>").count(), 4, "{h}");
        assert!(h.contains("15.03.1980"), "{h}");
        // Times in the organization's zone: never the stored UTC form.
        assert!(!h.contains("Z<") && !h.contains("UTC"), "{h}");
    }
);

both!(
    many_views_never_hide_a_change,
    |app: common::TestApp| async move {
        let r = app
            .api(
                Method::POST,
                "/api/v1/persons",
                Some(json!({"last_name": "Смирнов", "first_name": "Олег"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let id = r.json()["id"].as_i64().unwrap();
        let actor = abonent_storage::Actor::system("тест");
        for _ in 0..120 {
            abonent_storage::registry::person::record_view(&app.t.db, id, &actor, "карточка")
                .await
                .unwrap();
        }
        let card = app.get(Role::Specialist, &format!("/persons/{id}")).await;
        let h = history_of(&card.body);
        assert!(h.contains("Создание: человек"), "{h}");
        assert!(h.contains("Просмотры персональных данных (152-ФЗ)"), "{h}");
    }
);
