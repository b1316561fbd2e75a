//! The personal-data access log on SQLite and PostgreSQL: one entry per answer naming every
//! person shown, filters by person, staff member, route and period, append-only.

use abonent_domain::registry::PersonForm;
use abonent_storage::pd_access::{self, AccessFilter};
use abonent_storage::registry::{person, PageReq};
use abonent_storage::{both_backends, Actor, Db};

fn staff(name: &str, id: Option<i64>) -> Actor {
    Actor {
        user_id: id,
        name: name.into(),
    }
}

/// `i` in Russian letters (names take no digits): 0 → «ааа», 1 → «ааб».
fn letters(i: usize) -> String {
    let abc: Vec<char> = "абвгдежзиклмнопрстуфхцчшщэюя".chars().collect();
    let n = abc.len();
    [i / (n * n), i / n % n, i % n]
        .iter()
        .map(|d| abc[*d])
        .collect()
}

async fn people(db: &Db, n: usize) -> Vec<i64> {
    let mut ids = Vec::new();
    for i in 0..n {
        let d = PersonForm {
            last_name: Some(format!("Фамилия{}", letters(i))),
            first_name: Some("Имя".into()),
            ..Default::default()
        }
        .validate(chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap())
        .unwrap();
        ids.push(
            person::create(db, &d, &staff("загрузка", None))
                .await
                .unwrap(),
        );
    }
    ids
}

async fn count(db: &Db, table: &str) -> i64 {
    sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
        .fetch_one(db.read())
        .await
        .unwrap()
}

both_backends!(a_batch_is_one_entry_naming_everyone, |db: Db| async move {
    let ids = people(&db, 3).await;
    // Nobody shown: nothing logged.
    let none = pd_access::record(&db, &staff("Аудитор", Some(7)), "GET /persons", &[])
        .await
        .unwrap();
    assert_eq!(none, None);
    assert_eq!(count(&db, "pd_access").await, 0);
    // A person twice in one answer is named once.
    let shown = [ids[2], ids[0], ids[1], ids[0]];
    pd_access::record(&db, &staff("Аудитор", Some(7)), "GET /persons", &shown)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(count(&db, "pd_access").await, 1);
    assert_eq!(count(&db, "pd_access_people").await, 3);
    let page = pd_access::list(&db, &AccessFilter::default(), PageReq::new(None, None))
        .await
        .unwrap();
    assert_eq!(page.total, 1);
    let e = &page.items[0];
    assert_eq!((e.actor_id, e.actor_name.as_str()), (Some(7), "Аудитор"));
    assert_eq!(e.via, "GET /persons");
    let mut named: Vec<i64> = e.people.iter().map(|p| p.id).collect();
    named.sort();
    assert_eq!(named, ids);
    assert_eq!(e.people[0].full_name, "Фамилияааа Имя");
});

both_backends!(a_page_of_500_is_one_entry, |db: Db| async move {
    let ids = people(&db, 500).await;
    pd_access::record(
        &db,
        &staff("API: выгрузка", None),
        "GET /api/v1/persons",
        &ids,
    )
    .await
    .unwrap();
    let page = pd_access::list(&db, &AccessFilter::default(), PageReq::new(None, None))
        .await
        .unwrap();
    assert_eq!(page.total, 1);
    assert_eq!(page.items[0].people.len(), 500);
});

both_backends!(
    filters_by_person_staff_route_and_period,
    |db: Db| async move {
        let ids = people(&db, 3).await;
        let a = staff("Иванова (ivanova)", Some(1));
        let b = staff("API: аудит", None);
        pd_access::record(&db, &a, "GET /persons/{id}", &[ids[0]])
            .await
            .unwrap();
        pd_access::record(&db, &b, "GET /api/v1/persons", &ids)
            .await
            .unwrap();
        pd_access::record(&db, &b, "GET /api/v1/search", &[ids[1]])
            .await
            .unwrap();
        let total = |f: AccessFilter| {
            let db = db.clone();
            async move {
                pd_access::list(&db, &f, PageReq::new(None, None))
                    .await
                    .unwrap()
                    .total
            }
        };
        let by_person = |id: i64| AccessFilter {
            person_id: Some(id),
            ..Default::default()
        };
        assert_eq!(total(by_person(ids[0])).await, 2);
        assert_eq!(total(by_person(ids[1])).await, 2);
        assert_eq!(total(by_person(ids[2])).await, 1);
        let by_actor = AccessFilter {
            actor_name: Some("API: аудит".into()),
            ..Default::default()
        };
        assert_eq!(total(by_actor).await, 2);
        let by_via = AccessFilter {
            via: Some("GET /api/v1/".into()),
            ..Default::default()
        };
        assert_eq!(total(by_via).await, 2);
        let now = db.now_text();
        let future = AccessFilter {
            from: Some("2999-01-01T00:00:00.000000Z".into()),
            ..Default::default()
        };
        assert_eq!(total(future).await, 0);
        let past = AccessFilter {
            from: Some("2000-01-01T00:00:00.000000Z".into()),
            until: Some("2999-01-01T00:00:00.000000Z".into()),
            ..Default::default()
        };
        assert_eq!(total(past).await, 3, "now is {now}");
        let mut actors = pd_access::actors(&db).await.unwrap();
        actors.sort();
        assert_eq!(actors, vec!["API: аудит", "Иванова (ivanova)"]);
    }
);

both_backends!(the_log_is_append_only, |db: Db| async move {
    let ids = people(&db, 1).await;
    pd_access::record(&db, &staff("Аудитор", None), "GET /persons", &ids)
        .await
        .unwrap();
    for sql in [
        "UPDATE pd_access SET actor_name = 'x'",
        "DELETE FROM pd_access",
        "UPDATE pd_access_people SET person_id = 0",
        "DELETE FROM pd_access_people",
    ] {
        let r = sqlx::query(sql).execute(db.write()).await;
        assert!(r.is_err(), "{sql} must be refused");
    }
});

both_backends!(
    records_shown_are_one_entry_filtered_and_append_only,
    |db: Db| async move {
        use pd_access::{RecordKind, Shown};
        let ids = people(&db, 2).await;
        let actor = staff("Оператор (operator)", Some(3));
        // Nothing shown: nothing logged.
        let none = pd_access::record_shown(&db, &actor, "GET /appeals", &Shown::default())
            .await
            .unwrap();
        assert_eq!(none, None);
        // A page of 500 appeals, two of them twice, and two people: one entry.
        let shown = Shown::people(&ids)
            .with(RecordKind::Appeal, (1..=500).chain([7, 9]))
            .with(RecordKind::Message, [7]);
        pd_access::record_shown(&db, &actor, "GET /appeals", &shown)
            .await
            .unwrap()
            .unwrap();
        // Records only, no people.
        pd_access::record_shown(
            &db,
            &actor,
            "GET /correspondence/incoming",
            &Shown::default().with(RecordKind::IncomingLetter, [7]),
        )
        .await
        .unwrap()
        .unwrap();
        assert_eq!(count(&db, "pd_access").await, 2);
        assert_eq!(count(&db, "pd_access_people").await, 2);
        assert_eq!(count(&db, "pd_access_records").await, 502);
        let all = pd_access::list(&db, &AccessFilter::default(), PageReq::new(None, None))
            .await
            .unwrap();
        assert_eq!(all.total, 2);
        let letters = &all.items[0];
        assert!(letters.people.is_empty());
        assert_eq!(letters.records.len(), 1);
        assert_eq!(letters.records[0].kind, RecordKind::IncomingLetter);
        assert_eq!(letters.records[0].id, 7);
        assert_eq!(all.items[1].records.len(), 501);
        assert_eq!(all.items[1].people.len(), 2);
        // Filtered by a record: its kind counts, not only its id.
        let by = |kind, id| AccessFilter {
            record: Some((kind, id)),
            ..Default::default()
        };
        let total = |f: AccessFilter| {
            let db = db.clone();
            async move {
                pd_access::list(&db, &f, PageReq::new(None, None))
                    .await
                    .unwrap()
                    .total
            }
        };
        assert_eq!(total(by(RecordKind::Appeal, 7)).await, 1);
        assert_eq!(total(by(RecordKind::IncomingLetter, 7)).await, 1);
        assert_eq!(total(by(RecordKind::Message, 7)).await, 1);
        assert_eq!(total(by(RecordKind::OutgoingLetter, 7)).await, 0);
        assert_eq!(total(by(RecordKind::Appeal, 501)).await, 0);
        // Append-only like the rest of the log.
        for sql in [
            "UPDATE pd_access_records SET record_id = 0",
            "DELETE FROM pd_access_records",
        ] {
            let r = sqlx::query(sql).execute(db.write()).await;
            assert!(r.is_err(), "{sql} must be refused");
        }
        assert_eq!(count(&db, "pd_access_records").await, 502);
    }
);

both_backends!(
    a_batch_of_entries_keeps_each_its_own_people_and_records,
    |db: Db| async move {
        use pd_access::{NewAccess, RecordKind, Shown};
        let ids = people(&db, 3).await;
        let (a, b) = (
            staff("Иванова (ivanova)", Some(1)),
            staff("API: аудит", None),
        );
        let shown = [
            Shown::people(&ids[..2]),
            Shown::default().with(RecordKind::Appeal, [41, 42]),
            Shown::people(&ids[2..]).with(RecordKind::IncomingLetter, [5]),
        ];
        let entries = [
            NewAccess::new(&db, &a, "GET /persons", &shown[0]).unwrap(),
            NewAccess::new(&db, &b, "GET /api/v1/appeals", &shown[1]).unwrap(),
            NewAccess::new(&db, &a, "GET /correspondence/incoming/5", &shown[2]).unwrap(),
        ];
        assert!(NewAccess::new(&db, &a, "GET /persons", &Shown::default()).is_none());
        let written = pd_access::write_batch(&db, &entries.iter().collect::<Vec<_>>())
            .await
            .unwrap();
        assert_eq!(written.len(), 3);
        assert_eq!(count(&db, "pd_access").await, 3);
        // Each id names exactly its own entry's people and records, in the order given.
        for (id, (entry_people, entry_records)) in written.iter().zip([
            (ids[..2].to_vec(), vec![]),
            (
                vec![],
                vec![("appeal".to_string(), 41i64), ("appeal".into(), 42)],
            ),
            (ids[2..].to_vec(), vec![("incoming_letter".into(), 5)]),
        ]) {
            let mut p: Vec<i64> = sqlx::query_scalar(&format!(
                "SELECT person_id FROM pd_access_people WHERE access_id = {id}"
            ))
            .fetch_all(db.read())
            .await
            .unwrap();
            p.sort_unstable();
            assert_eq!(p, entry_people, "entry {id}");
            let mut r: Vec<(String, i64)> = sqlx::query_as(&format!(
                "SELECT kind, record_id FROM pd_access_records WHERE access_id = {id}"
            ))
            .fetch_all(db.read())
            .await
            .unwrap();
            r.sort();
            assert_eq!(r, entry_records, "entry {id}");
        }
    }
);
