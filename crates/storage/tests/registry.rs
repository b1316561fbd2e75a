//! Registry storage on SQLite and PostgreSQL: every test runs on both.

use abonent_domain::registry::*;
use abonent_storage::registry::{self, account, building, link, person, premises, PageReq};
use abonent_storage::search::{self, HitKind};
use abonent_storage::{both_backends, history, Actor, Db, StoreError};
use chrono::NaiveDate;

fn actor() -> Actor {
    Actor {
        user_id: None,
        name: "Тест Тестович".into(),
    }
}

fn day(s: &str) -> NaiveDate {
    parse_date(s).unwrap()
}

fn building_data(street: &str, house: &str) -> BuildingData {
    BuildingForm {
        region: Some("Свердловская обл.".into()),
        city: Some("г. Екатеринбург".into()),
        street: Some(street.into()),
        house: Some(house.into()),
        floors: Some("9".into()),
        ..Default::default()
    }
    .validate()
    .unwrap()
}

/// A building, a flat and an account with an owner who has a phone.
async fn seed(
    db: &Db,
    street: &str,
    house: &str,
    flat: &str,
    number: &str,
    name: (&str, &str),
    phone: &str,
) -> (i64, i64, i64, i64) {
    let b = building::create(db, &building_data(street, house), &actor())
        .await
        .unwrap();
    let p = premises::create(
        db,
        &PremisesData {
            building_id: b,
            number: flat.into(),
            residential: true,
            area_centi: Some(5430),
            rooms: Some(2),
            entrance: Some(1),
            floor: Some(3),
        },
        &actor(),
    )
    .await
    .unwrap();
    let a = account::create(
        db,
        &AccountData {
            number: number.into(),
            premises_id: p,
            opened_on: day("2020-01-01"),
            closed_on: None,
            share: Share::WHOLE,
        },
        &actor(),
    )
    .await
    .unwrap();
    let person_data = PersonForm {
        last_name: Some(name.0.into()),
        first_name: Some(name.1.into()),
        phones: Some(phone.into()),
        ..Default::default()
    }
    .validate(day("2026-11-27"))
    .unwrap();
    let pe = person::create(db, &person_data, &actor()).await.unwrap();
    link::create_link(
        db,
        &LinkData {
            account_id: a,
            person_id: pe,
            role: LinkRole::Owner,
            share: Some(Share::WHOLE),
            from_date: None,
            to_date: None,
            registration: Default::default(),
        },
        &actor(),
    )
    .await
    .unwrap();
    (b, p, a, pe)
}

both_backends!(migrations_are_idempotent, |db: Db| async move {
    assert_eq!(abonent_storage::migrate::run(&db).await.unwrap(), 0);
    assert_eq!(
        abonent_storage::migrate::current_version(&db)
            .await
            .unwrap(),
        abonent_storage::migrate::known().1
    );
});

both_backends!(create_update_close_with_history, |db: Db| async move {
    let (b, _p, a, pe) = seed(
        &db,
        "ул. Ленина",
        "5",
        "12",
        "100234",
        ("Иванов", "Пётр"),
        "8 912 345-67-89",
    )
    .await;
    let mut d = building_data("ул. Ленина", "5");
    d.floors = Some(12);
    building::update(&db, b, &d, &actor()).await.unwrap();
    let h = history::for_card(&db, "building", b, 50).await.unwrap();
    let upd = h
        .iter()
        .find(|e| e.action == "update")
        .expect("update recorded");
    assert_eq!(upd.before.as_ref().unwrap()["floors"], 9);
    assert_eq!(upd.after.as_ref().unwrap()["floors"], 12);
    assert_eq!(upd.actor_name, "Тест Тестович");
    // Premises creation shows on the building card too.
    assert!(h
        .iter()
        .any(|e| e.entity == "premises" && e.action == "create"));

    account::close(&db, a, day("2026-01-31"), "Продажа квартиры", &actor())
        .await
        .unwrap();
    let acc = account::get(&db, a).await.unwrap();
    assert_eq!(acc.data.closed_on, Some(day("2026-01-31")));
    assert_eq!(acc.close_reason.as_deref(), Some("Продажа квартиры"));
    let ah = history::for_card(&db, "account", a, 50).await.unwrap();
    assert!(ah
        .iter()
        .any(|e| e.action == "close" && e.note.as_deref() == Some("Продажа квартиры")));
    assert!(
        ah.iter().any(|e| e.entity == "account_person"),
        "link history is on the account card"
    );

    person::record_view(&db, pe, &actor(), "карточка")
        .await
        .unwrap();
    let ph = history::for_card(&db, "person", pe, 50).await.unwrap();
    assert_eq!(ph[0].action, "view");
});

both_backends!(history_is_append_only, |db: Db| async move {
    seed(&db, "ул. Мира", "1", "1", "200001", ("Петров", "Иван"), "").await;
    let upd = sqlx::query("UPDATE history SET actor_name = 'x'")
        .execute(db.write())
        .await;
    assert!(upd.is_err(), "history rows must not change");
    let del = sqlx::query("DELETE FROM history").execute(db.write()).await;
    assert!(del.is_err(), "history rows must not be deleted");
});

both_backends!(
    duplicate_account_number_is_named_and_nothing_saved,
    |db: Db| async move {
        let (_b, p, _a, _pe) = seed(
            &db,
            "ул. Ленина",
            "5",
            "12",
            "100234",
            ("Иванов", "Пётр"),
            "",
        )
        .await;
        let before = history::for_card(&db, "account", 0, 10)
            .await
            .unwrap()
            .len();
        let err = account::create(
            &db,
            &AccountData {
                number: "100234".into(),
                premises_id: p,
                opened_on: day("2021-01-01"),
                closed_on: None,
                share: Share::WHOLE,
            },
            &actor(),
        )
        .await
        .unwrap_err();
        match err {
            StoreError::Invalid(e) => assert!(e.for_field("number").unwrap().contains("100234")),
            other => panic!("expected a field error, got {other:?}"),
        }
        let page = account::list(&db, &Default::default(), PageReq::new(None, None))
            .await
            .unwrap();
        assert_eq!(page.total, 1);
        assert_eq!(
            history::for_card(&db, "account", 0, 10)
                .await
                .unwrap()
                .len(),
            before
        );
    }
);

both_backends!(unknown_building_is_named, |db: Db| async move {
    let err = premises::create(
        &db,
        &PremisesData {
            building_id: 999,
            number: "1".into(),
            residential: true,
            area_centi: None,
            rooms: None,
            entrance: None,
            floor: None,
        },
        &actor(),
    )
    .await
    .unwrap_err();
    match err {
        StoreError::Invalid(e) => assert!(e.for_field("building_id").unwrap().contains("999")),
        other => panic!("expected a field error, got {other:?}"),
    }
});

both_backends!(
    search_finds_by_address_phone_number_and_name,
    |db: Db| async move {
        let (_, _, a1, p1) = seed(
            &db,
            "ул. Ленина",
            "5",
            "12",
            "100234",
            ("Семёнов", "Пётр"),
            "8 (912) 345-67-89",
        )
        .await;
        let (_, _, a2, _) = seed(
            &db,
            "ул. Ленина",
            "7",
            "12",
            "100235",
            ("Кузнецова", "Анна"),
            "+7 343 111 22 33",
        )
        .await;
        seed(
            &db,
            "пр. Космонавтов",
            "5",
            "12",
            "100236",
            ("Орлов", "Илья"),
            "",
        )
        .await;
        for q in ["ленина 5 12", "Ленина д.5 кв.12", "ул. Ленина, д5, кв12"]
        {
            let hits = search::search(&db, q, 20).await.unwrap();
            let accounts: Vec<i64> = hits
                .iter()
                .filter(|h| h.kind == HitKind::Account)
                .map(|h| h.id)
                .collect();
            assert_eq!(accounts, vec![a1], "{q}");
        }
        let hits = search::search(&db, "ленина", 20).await.unwrap();
        assert_eq!(
            hits.iter().filter(|h| h.kind == HitKind::Account).count(),
            2
        );
        for q in ["8 (912) 345-67-89", "+79123456789", "89123456789"] {
            let hits = search::search(&db, q, 20).await.unwrap();
            assert!(
                hits.iter().any(|h| h.kind == HitKind::Person && h.id == p1),
                "{q}: {hits:?}"
            );
        }
        let hits = search::search(&db, "100235", 20).await.unwrap();
        assert_eq!(hits[0].id, a2);
        assert_eq!(hits[0].title, "ЛС 100235");
        let hits = search::search(&db, "семенов", 20).await.unwrap();
        assert!(hits
            .iter()
            .any(|h| h.kind == HitKind::Person && h.title == "Семёнов Пётр"));
        assert!(search::search(&db, "ленина 9 99", 20)
            .await
            .unwrap()
            .is_empty());

        // Renaming the street re-indexes the accounts of the building.
        let b = account::get(&db, a1).await.unwrap().building_id;
        building::update(&db, b, &building_data("ул. Малышева", "5"), &actor())
            .await
            .unwrap();
        let hits = search::search(&db, "малышева 5 12", 20).await.unwrap();
        assert_eq!(
            hits.iter()
                .filter(|h| h.kind == HitKind::Account)
                .map(|h| h.id)
                .collect::<Vec<_>>(),
            vec![a1]
        );
    }
);

both_backends!(similar_person_is_reported, |db: Db| async move {
    let (_, _, _, p1) = seed(
        &db,
        "ул. Ленина",
        "5",
        "12",
        "100234",
        ("Иванов", "Пётр"),
        "8 912 345-67-89",
    )
    .await;
    let same_name = PersonForm {
        last_name: Some("ИВАНОВ".into()),
        first_name: Some("Петр".into()),
        ..Default::default()
    }
    .validate(day("2026-11-27"))
    .unwrap();
    let s = person::similar(&db, &same_name, None).await.unwrap();
    assert_eq!(s.len(), 1);
    assert_eq!(s[0].id, p1);
    let same_phone = PersonForm {
        last_name: Some("Сидоров".into()),
        first_name: Some("Олег".into()),
        phones: Some("+79123456789".into()),
        ..Default::default()
    }
    .validate(day("2026-11-27"))
    .unwrap();
    let s = person::similar(&db, &same_phone, None).await.unwrap();
    assert!(s[0].reason.contains("телефон"));
    assert!(person::similar(&db, &same_name, Some(p1))
        .await
        .unwrap()
        .is_empty());
});

both_backends!(lists_page_sort_and_filter, |db: Db| async move {
    for i in 0..7 {
        seed(
            &db,
            "ул. Ленина",
            &format!("{}", i + 1),
            "1",
            &format!("30000{i}"),
            ("Иванов", "Пётр"),
            "",
        )
        .await;
    }
    let page = account::list(&db, &Default::default(), PageReq::new(Some(2), Some(3)))
        .await
        .unwrap();
    assert_eq!((page.total, page.items.len(), page.pages()), (7, 3, 3));
    assert_eq!(page.items[0].number, "300003");
    let desc = account::list(
        &db,
        &registry::AccountFilter {
            sort: Some("-number".into()),
            ..Default::default()
        },
        PageReq::new(None, None),
    )
    .await
    .unwrap();
    assert_eq!(desc.items[0].number, "300006");
    assert_eq!(desc.items[0].owners, "Иванов Пётр");
    let filtered = account::list(
        &db,
        &registry::AccountFilter {
            number: Some("30000".into()),
            ..Default::default()
        },
        PageReq::new(None, None),
    )
    .await
    .unwrap();
    assert_eq!(filtered.total, 7);
    let people = person::list(
        &db,
        &registry::PersonFilter {
            name: Some("иван".into()),
            ..Default::default()
        },
        PageReq::new(None, None),
    )
    .await
    .unwrap();
    assert_eq!(people.total, 7);
    let b = building::list(
        &db,
        &registry::BuildingFilter {
            sort: Some("-address".into()),
            ..Default::default()
        },
        PageReq::new(None, Some(2)),
    )
    .await
    .unwrap();
    assert_eq!(b.total, 7);
    assert_eq!(b.items[0].data.house, "7");
});
