//! Committing a registry file on SQLite and PostgreSQL: all or nothing.

use std::time::Instant;

use abonent_domain::registry::*;
use abonent_storage::registry::import::{
    existing_account_numbers, import_registry, ImportRecord, ImportSummary,
};
use abonent_storage::registry::{account, building, link, person, premises};
use abonent_storage::search::{self, HitKind};
use abonent_storage::{both_backends, history, Actor, Db, StoreError};
use chrono::NaiveDate;

fn actor() -> Actor {
    Actor {
        user_id: None,
        name: "Импорт Тестович".into(),
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
        ..Default::default()
    }
    .validate()
    .unwrap()
}

fn person_data(last: &str, first: &str, birth: Option<&str>, phone: Option<&str>) -> PersonData {
    PersonForm {
        last_name: Some(last.into()),
        first_name: Some(first.into()),
        birth_date: birth.map(str::to_string),
        phones: phone.map(str::to_string),
        ..Default::default()
    }
    .validate(day("2026-11-27"))
    .unwrap()
}

fn flat(number: &str) -> PremisesData {
    PremisesData {
        building_id: 0,
        number: number.into(),
        residential: true,
        area_centi: Some(4500),
        rooms: Some(2),
        entrance: None,
        floor: None,
    }
}

fn account_data(number: &str) -> AccountData {
    AccountData {
        number: number.into(),
        premises_id: 0,
        opened_on: day("2026-01-01"),
        closed_on: None,
        share: Share::WHOLE,
    }
}

/// A line: building, flat, account and, when given, an owner.
fn rec(
    line: usize,
    street: &str,
    house: &str,
    flat_no: &str,
    number: &str,
    person: Option<PersonData>,
) -> ImportRecord {
    ImportRecord {
        line,
        building: building_data(street, house),
        premises: flat(flat_no),
        account: account_data(number),
        link: person
            .as_ref()
            .map(|_| (LinkRole::Owner, Some(Share::WHOLE))),
        person,
        benefit: None,
    }
}

const TABLES: [&str; 8] = [
    "buildings",
    "premises",
    "accounts",
    "persons",
    "account_persons",
    "benefits",
    "history",
    "search_tokens",
];

async fn counts(db: &Db) -> Vec<i64> {
    let mut out = Vec::new();
    for t in TABLES {
        out.push(
            sqlx::query_scalar::<_, i64>(&format!("SELECT COUNT(*) FROM {t}"))
                .fetch_one(db.read())
                .await
                .unwrap(),
        );
    }
    out
}

both_backends!(import_creates_and_reuses, |db: Db| async move {
    // Already in the registry: ул. Мира, 7 with flat 1.
    let mira = building::create(&db, &building_data("ул. Мира", "7"), &actor())
        .await
        .unwrap();
    let mira_1 = premises::create(
        &db,
        &PremisesData {
            building_id: mira,
            ..flat("1")
        },
        &actor(),
    )
    .await
    .unwrap();

    let ivanov = person_data(
        "Иванов",
        "Пётр",
        Some("1970-05-01"),
        Some("8 912 345-67-89"),
    );
    let mut records = vec![
        rec(2, "ул. Ленина", "5", "12", "200001", Some(ivanov.clone())),
        // The same building spelled otherwise; same flat, another account.
        rec(
            3,
            "УЛ.  ЛЕНИНА",
            "5",
            "12",
            "200002",
            Some(person_data(
                "Петрова",
                "Анна",
                None,
                Some("+7 922 000-11-22"),
            )),
        ),
        // The existing building (ё and case do not matter) and its existing flat.
        rec(4, "ул. мира", "7", "1", "200003", None),
        // A new flat in the existing building.
        rec(5, "Ул. Мира", "7", "2", "200004", None),
        // The first account again, with a registered person and a benefit.
        rec(
            6,
            "ул. Ленина",
            "5",
            "12",
            "200001",
            Some(person_data("Иванова", "Мария", Some("1972-03-03"), None)),
        ),
    ];
    records[4].link = Some((LinkRole::Registered, None));
    records[4].benefit = Some(BenefitData {
        person_id: 0,
        category: "Ветеран труда".into(),
        document: Some("Удостоверение ВТ № 123".into()),
        from_date: day("2020-01-01"),
        to_date: None,
    });
    records[1].link = Some((LinkRole::Tenant, None));

    let before_history = counts(&db).await[6];
    let seen = std::sync::Mutex::new(Vec::new());
    let summary = import_registry(&db, &records, &actor(), "реестр.xlsx", &|n| {
        seen.lock().unwrap().push(n)
    })
    .await
    .unwrap();
    assert_eq!(
        summary,
        ImportSummary {
            buildings_created: 1,
            premises_created: 2,
            accounts_created: 4,
            persons_created: 3,
            links_created: 3,
            benefits_created: 1,
        }
    );
    assert_eq!(seen.lock().unwrap().last(), Some(&records.len()));
    assert_eq!(
        counts(&db).await[6] - before_history,
        1 + 2 + 4 + 3 + 3 + 1,
        "one history row per created record"
    );

    let a1 = account::by_number(&db, "200001").await.unwrap().unwrap();
    assert!(
        a1.address.contains("ул. Ленина, д. 5, кв. 12"),
        "{}",
        a1.address
    );
    let a2 = account::by_number(&db, "200002").await.unwrap().unwrap();
    assert_eq!(a2.data.premises_id, a1.data.premises_id);
    let a3 = account::by_number(&db, "200003").await.unwrap().unwrap();
    assert_eq!(a3.data.premises_id, mira_1);
    let a4 = account::by_number(&db, "200004").await.unwrap().unwrap();
    assert_eq!(a4.building_id, mira);
    assert_eq!(premises::of_building(&db, mira).await.unwrap().len(), 2);

    let links = link::links_of_account(&db, a1.id).await.unwrap();
    assert_eq!(links.len(), 2);
    let owner = links
        .iter()
        .find(|l| l.link.data.role == LinkRole::Owner)
        .unwrap();
    assert_eq!(owner.person_name, "Иванов Пётр");
    assert_eq!(owner.link.data.share, Some(Share::WHOLE));
    let registered = links
        .iter()
        .find(|l| l.link.data.role == LinkRole::Registered)
        .unwrap();
    let benefits = link::benefits_of_person(&db, registered.link.data.person_id)
        .await
        .unwrap();
    assert_eq!(benefits.len(), 1);
    assert_eq!(benefits[0].data.category, "Ветеран труда");
    let p = person::get(&db, owner.link.data.person_id).await.unwrap();
    assert_eq!(p.data, ivanov);

    // Search: the account by its address, the person by phone and by name.
    let hits = search::search(&db, "Ленина 5 12", 10).await.unwrap();
    let ids: Vec<i64> = hits
        .iter()
        .filter(|h| h.kind == HitKind::Account)
        .map(|h| h.id)
        .collect();
    assert!(ids.contains(&a1.id) && ids.contains(&a2.id), "{hits:?}");
    let hits = search::search(&db, "8 (912) 345-67-89", 10).await.unwrap();
    assert!(hits
        .iter()
        .any(|h| h.kind == HitKind::Person && h.id == p.id));
    let hits = search::search(&db, "мира 7 1", 10).await.unwrap();
    assert!(hits.iter().any(|h| h.id == a3.id), "{hits:?}");
    let hits = search::search(&db, "иванова мар", 10).await.unwrap();
    assert!(hits.iter().any(|h| h.kind == HitKind::Person));

    // History with the file name, on the cards.
    let h = history::for_card(&db, "account", a1.id, 50).await.unwrap();
    let created = h
        .iter()
        .find(|e| e.entity == "account" && e.action == "create")
        .unwrap();
    assert_eq!(created.note.as_deref(), Some("реестр.xlsx"));
    assert_eq!(created.actor_name, "Импорт Тестович");
    assert_eq!(created.after.as_ref().unwrap()["number"], "200001");
    assert_eq!(h.iter().filter(|e| e.entity == "account_person").count(), 2);
    let h = history::for_card(&db, "building", mira, 50).await.unwrap();
    assert!(h
        .iter()
        .any(|e| e.entity == "premises" && e.note.as_deref() == Some("реестр.xlsx")));

    // Ordinary inserts afterwards get fresh ids.
    let id = account::create(
        &db,
        &AccountData {
            premises_id: mira_1,
            ..account_data("200999")
        },
        &actor(),
    )
    .await
    .unwrap();
    assert_eq!(id, a4.id + 1);

    // The preview finds what is already there.
    let found = existing_account_numbers(
        &db,
        &[
            "200001".into(),
            " 200004 ".into(),
            "999999".into(),
            "200001".into(),
        ],
    )
    .await
    .unwrap();
    assert_eq!(found, vec!["200001".to_string(), "200004".to_string()]);
});

both_backends!(
    duplicate_number_in_the_middle_saves_nothing,
    |db: Db| async move {
        let b = building::create(&db, &building_data("ул. Мира", "7"), &actor())
            .await
            .unwrap();
        let p = premises::create(
            &db,
            &PremisesData {
                building_id: b,
                ..flat("1")
            },
            &actor(),
        )
        .await
        .unwrap();
        account::create(
            &db,
            &AccountData {
                premises_id: p,
                ..account_data("300017")
            },
            &actor(),
        )
        .await
        .unwrap();
        let before = counts(&db).await;
        let records: Vec<ImportRecord> = (2..40)
            .map(|line| {
                rec(
                    line,
                    "ул. Ленина",
                    &format!("{}", line / 10 + 1),
                    &line.to_string(),
                    &format!("3000{line:02}"),
                    Some(person_data(
                        "Сидоров",
                        &format!("Иван{}", "а".repeat(line % 3)),
                        None,
                        Some(&format!("+7 912 000-00-{line:02}")),
                    )),
                )
            })
            .collect();
        let err = import_registry(&db, &records, &actor(), "plohoy.csv", &|_| {})
            .await
            .unwrap_err();
        let StoreError::Invalid(e) = err else {
            panic!("{err:?}")
        };
        assert_eq!(e.0.len(), 1, "{e:?}");
        assert_eq!(e.0[0].field, "rows[17].number");
        assert!(
            e.0[0]
                .message
                .starts_with("Строка 17: лицевой счёт № 300017 уже есть в реестре."),
            "{}",
            e.0[0].message
        );
        assert_eq!(counts(&db).await, before);

        // A building out of management and a role without a person refuse the file too,
        // each naming its line.
        let closed = building::create(&db, &building_data("ул. Садовая", "3"), &actor())
            .await
            .unwrap();
        building::close(&db, closed, "Выбыл из управления", &actor())
            .await
            .unwrap();
        let before = counts(&db).await;
        let mut bad = records.clone();
        bad.retain(|r| r.line != 17);
        bad[5] = rec(8, "ул. Ленина", "1", "8", "300008", None);
        bad[5].link = Some((LinkRole::Owner, None));
        bad[20] = rec(23, "ул. САДОВАЯ", "3", "1", "300023", None);
        let err = import_registry(&db, &bad, &actor(), "plohoy.csv", &|_| {})
            .await
            .unwrap_err();
        let StoreError::Invalid(e) = err else {
            panic!("{err:?}")
        };
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, vec!["rows[8].last_name", "rows[23].house"], "{e:?}");
        assert!(e.0[1].message.contains("закрыт"), "{}", e.0[1].message);
        assert_eq!(counts(&db).await, before);
    }
);

both_backends!(
    one_person_on_two_lines_is_created_once,
    |db: Db| async move {
        let semenov = person_data("Семёнов", "Олег", None, Some("8 912 111-22-33"));
        let mut same = semenov.clone();
        same.last_name = "СЕМЕНОВ".into();
        same.first_name = "олег".into();
        let with_birth = person_data("Кузнецова", "Ольга", Some("1980-01-01"), None);
        let namesake = person_data("Кузнецова", "Ольга", Some("1999-09-09"), None);
        let records = vec![
            rec(2, "ул. Ленина", "1", "1", "400001", Some(semenov.clone())),
            rec(3, "ул. Ленина", "1", "2", "400002", Some(same)),
            rec(
                4,
                "ул. Ленина",
                "1",
                "3",
                "400003",
                Some(with_birth.clone()),
            ),
            rec(5, "ул. Ленина", "1", "4", "400004", Some(with_birth)),
            rec(6, "ул. Ленина", "1", "5", "400005", Some(namesake)),
        ];
        let summary = import_registry(&db, &records, &actor(), "f.csv", &|_| {})
            .await
            .unwrap();
        assert_eq!(summary.persons_created, 3);
        assert_eq!(summary.links_created, 5);
        assert_eq!(summary.accounts_created, 5);
        let a1 = account::by_number(&db, "400001").await.unwrap().unwrap();
        let owner = link::links_of_account(&db, a1.id).await.unwrap()[0]
            .link
            .data
            .person_id;
        let theirs = link::links_of_person(&db, owner).await.unwrap();
        let numbers: Vec<&str> = theirs.iter().map(|l| l.account_number.as_str()).collect();
        assert_eq!(numbers, vec!["400001", "400002"]);
        assert_eq!(person::get(&db, owner).await.unwrap().data, semenov);
    }
);

const STREETS: [&str; 10] = [
    "Ленина",
    "Мира",
    "Гагарина",
    "Пушкина",
    "Чехова",
    "Толстого",
    "Горького",
    "Кирова",
    "Малышева",
    "Белинского",
];

both_backends!(ten_thousand_lines, |db: Db| async move {
    let records: Vec<ImportRecord> = (0..10_000usize)
        .map(|i| {
            let mut r = rec(
                i + 2,
                &format!("ул. {}", STREETS[i / 1000]),
                &format!("{}", i / 100 % 10 + 1),
                &format!("{}", i % 100 + 1),
                &format!("5{i:05}"),
                Some(person_data(
                    &format!("Фамилия{}", ["а", "б", "в"][i % 3]),
                    "Имя",
                    None,
                    Some(&format!("+7 912 {:07}", i)),
                )),
            );
            if i % 10 == 0 {
                r.benefit = Some(BenefitData {
                    person_id: 0,
                    category: "Ветеран труда".into(),
                    document: None,
                    from_date: day("2020-01-01"),
                    to_date: None,
                });
            }
            r
        })
        .collect();
    let start = Instant::now();
    let summary = import_registry(&db, &records, &actor(), "big.csv", &|_| {})
        .await
        .unwrap();
    println!("{:?}: 10 000 lines in {:?}", db.backend(), start.elapsed());
    assert_eq!(summary.accounts_created, 10_000);
    assert_eq!(summary.persons_created, 10_000);
    assert_eq!(summary.buildings_created, 100);
    assert_eq!(summary.premises_created, 10_000);
    assert_eq!(summary.benefits_created, 1_000);
    let hits = search::search(&db, "+79120009999", 5).await.unwrap();
    assert_eq!(hits.len(), 1);
    let hits = search::search(&db, "белинского 10 100", 5).await.unwrap();
    assert_eq!(hits.len(), 1, "{hits:?}");
});
