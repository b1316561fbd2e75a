//! The HTML pages: login, lists, cards and forms render in Russian with the data.

mod common;

use abonent_domain::Role;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode};

both!(
    login_logout_and_lockout,
    |app: common::TestApp| async move {
        let login = |password: &'static str| {
            Request::builder()
                .method(Method::POST)
                .uri("/login")
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from(format!(
                    "login=specialist&password={password}&next=%2Faccounts"
                )))
                .unwrap()
        };
        let ok = app.send(login("test+password+1")).await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
        assert_eq!(ok.location(), "/accounts");
        let cookie = ok.headers["set-cookie"].to_str().unwrap().to_string();
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"));
        let token = cookie.split(';').next().unwrap().to_string();
        let home = app
            .send(
                Request::get("/")
                    .header("cookie", &token)
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(home.status, StatusCode::OK);
        assert!(home.body.contains("Сотрудник Специалист"));

        let wrong = app.send(login("nope")).await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
        assert!(wrong.body.contains("Неверный логин или пароль"));
        for _ in 0..4 {
            app.send(login("nope")).await;
        }
        let locked = app.send(login("test+password+1")).await;
        assert_eq!(locked.status, StatusCode::UNAUTHORIZED);
        assert!(locked.body.contains("заблокирован"), "{}", locked.body);
    }
);

both!(registry_pages_render, |app: common::TestApp| async move {
    let (bid, pid, aid) = app.seed("ул. Малышева", "36", "7", "300007").await;
    let r = app
        .page(
            Role::Specialist,
            Method::POST,
            "/persons",
            &[
                ("last_name", "Кузнецова"),
                ("first_name", "Анна"),
                ("phones", "8 912 000-00-07"),
                ("account_id", &aid.to_string()),
                ("role", "owner"),
                ("share", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), format!("/accounts/{aid}?saved=1"));
    for (path, expect) in [
        ("/".to_string(), "Открытые лицевые счета"),
        ("/buildings".to_string(), "ул. Малышева, д. 36"),
        (format!("/buildings/{bid}"), "кв. 7"),
        (format!("/premises/{pid}"), "300007"),
        ("/accounts?sort=-number".to_string(), "Кузнецова Анна"),
        (format!("/accounts/{aid}?saved=1"), "Сохранено."),
        ("/persons?name=кузн".to_string(), "Кузнецова Анна"),
        ("/search?q=малышева+36+7".to_string(), "ЛС 300007"),
        ("/search?q=8+912+000-00-07".to_string(), "Кузнецова Анна"),
        ("/buildings/new".to_string(), "Новый дом"),
        (
            format!("/premises/new?building_id={bid}"),
            "Новое помещение",
        ),
        (
            format!("/accounts/new?premises_id={pid}"),
            "На этом помещении уже открыт",
        ),
        ("/import".to_string(), "Импорт реестра"),
        ("/profile/password".to_string(), "Смена пароля"),
    ] {
        let res = app.get(Role::Specialist, &path).await;
        assert_eq!(res.status, StatusCode::OK, "{path}: {}", res.body);
        assert!(
            res.body.contains(expect),
            "{path} should contain «{expect}»: {}",
            res.body
        );
    }
    let card = app.get(Role::Specialist, &format!("/accounts/{aid}")).await;
    assert!(
        card.body.contains("История изменений") && card.body.contains("Создание: лицевой счёт")
    );
    let pid_person = abonent_storage::search::search(&app.t.db, "кузнецова", 5)
        .await
        .unwrap()[0]
        .id;
    let person = app
        .get(Role::Specialist, &format!("/persons/{pid_person}"))
        .await;
    assert!(person.body.contains("+7 (912) 000-00-07"));
    let again = app
        .get(Role::Manager, &format!("/persons/{pid_person}"))
        .await;
    assert!(
        again
            .body
            .contains("Просмотры персональных данных (152-ФЗ)"),
        "the earlier read is in the history"
    );
    for path in ["/admin/users", "/admin/tokens", "/admin/settings"] {
        assert_eq!(
            app.get(Role::Administrator, path).await.status,
            StatusCode::OK,
            "{path}"
        );
    }
});

both!(
    edit_and_close_through_forms_keep_history,
    |app: common::TestApp| async move {
        let (bid, _, aid) = app.seed("ул. Ленина", "5", "12", "100234").await;
        let r = app
            .page(
                Role::Specialist,
                Method::POST,
                &format!("/buildings/{bid}"),
                &[
                    ("region", "Свердловская обл."),
                    ("city", "г. Екатеринбург"),
                    ("street", "ул. Ленина"),
                    ("house", "5"),
                    ("floors", "14"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let card = app
            .get(Role::Specialist, &format!("/buildings/{bid}"))
            .await;
        assert!(card.body.contains("Изменение: дом") && card.body.contains("Этажей"));
        let r = app
            .page(
                Role::Specialist,
                Method::POST,
                &format!("/accounts/{aid}/close"),
                &[("closed_on", "2026-11-01"), ("reason", "Снос дома")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let card = app.get(Role::Specialist, &format!("/accounts/{aid}")).await;
        assert!(card.body.contains("Снос дома") && card.body.contains("закрыт"));
        let r = app
            .page(
                Role::Administrator,
                Method::POST,
                "/admin/settings",
                &[
                    ("org.name", "ТСЖ «Берёзка»"),
                    ("org.time_zone", "Mars/Olympus"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("Неизвестный часовой пояс"));
    }
);

// The card's «Удалить персональные данные (152-ФЗ)»: only an administrator sees and uses it;
// a missing ground is refused naming it; afterwards the card and its history hold no value
// of the person (docs/REGISTRY.md).
both!(
    an_administrator_erases_a_person_from_the_card,
    |app: common::TestApp| async move {
        let p = app
            .api(
                Method::POST,
                "/api/v1/persons",
                Some(
                    serde_json::json!({"last_name": "Щекотихина", "first_name": "Ариадна",
                    "phones": "+7 912 777-13-31", "email": "ariadna.shch@example.ru"}),
                ),
            )
            .await;
        assert_eq!(p.status, StatusCode::CREATED, "{}", p.body);
        let id = p.json()["id"].as_i64().unwrap();
        let card = format!("/persons/{id}");
        let erase = format!("/persons/{id}/erase");
        assert!(app
            .get(Role::Administrator, &card)
            .await
            .body
            .contains("Удалить персональные данные"));
        assert!(!app
            .get(Role::Manager, &card)
            .await
            .body
            .contains("Удалить персональные данные"));
        let r = app
            .page(
                Role::Manager,
                Method::POST,
                &erase,
                &[("ground", "срок истёк")],
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = app
            .page(Role::Administrator, Method::POST, &erase, &[("ground", "")])
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("Укажите основание удаления"), "{}", r.body);
        let r = app
            .page(
                Role::Administrator,
                Method::POST,
                &erase,
                &[("ground", "истёк срок хранения")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(r.location(), format!("/persons/{id}?saved=erased"));
        let page = app.get(Role::Administrator, &card).await.body;
        assert!(page.contains(&format!("Удалено (152-ФЗ) №{id}")), "{page}");
        assert!(page.contains("данные удалены (152-ФЗ)"), "{page}");
        assert!(page.contains("истёк срок хранения"), "{page}");
        for value in ["Щекотихина", "Ариадна", "777-13-31", "ariadna.shch"] {
            assert!(!page.contains(value), "{value} in {page}");
        }
    }
);

// Issue 14 §1: a closing date that cannot be read is refused with the message at its field
// (it used to become today silently); the person added from the account card keeps the
// registration kind and kinship typed with the link.
both!(
    unreadable_closing_dates_are_refused_at_the_field,
    |app: common::TestApp| async move {
        let (_, _, aid) = app.seed("ул. Гагарина", "8", "3", "300083").await;
        let r = app
            .page(
                Role::Specialist,
                Method::POST,
                "/persons",
                &[
                    ("last_name", "Лукина"),
                    ("first_name", "Вера"),
                    ("account_id", &aid.to_string()),
                    ("role", "registered"),
                    ("registration_kind", "stay"),
                    ("stay_until", "2027-06-01"),
                    ("kinship", "дочь"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let card = app.get(Role::Specialist, &format!("/accounts/{aid}")).await;
        assert!(
            card.body.contains("(дочь)") && card.body.contains("по месту пребывания до 01.06.2027"),
            "{}",
            card.body
        );
        let l = abonent_storage::registry::link::links_of_account(&app.t.db, aid)
            .await
            .unwrap()
            .remove(0);
        for (path, field, value) in [
            (format!("/accounts/{aid}/close"), "closed_on", "31.02.2026"),
            (format!("/links/{}/close", l.link.id), "to_date", "вчера"),
            (
                format!("/persons/{}/close", l.link.data.person_id),
                "closed_on",
                "2026-13-01",
            ),
        ] {
            let r = app
                .page(
                    Role::Specialist,
                    Method::POST,
                    &path,
                    &[(field, value), ("reason", "Проверка")],
                )
                .await;
            assert_eq!(
                r.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{path}: {}",
                r.body
            );
            assert!(
                r.body.contains("field-error") && r.body.contains(&format!("«{value}» не дата")),
                "{path}: {}",
                r.body
            );
        }
        let a = abonent_storage::registry::account::get(&app.t.db, aid)
            .await
            .unwrap();
        assert!(a.data.closed_on.is_none(), "the account was closed");
        let l = abonent_storage::registry::link::get_link(&app.t.db, l.link.id)
            .await
            .unwrap();
        assert!(l.link.closed_at.is_none(), "the link was ended");
    }
);
