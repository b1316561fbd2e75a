//! Gapless numbering on SQLite and PostgreSQL: concurrent registrations, rollbacks, patterns.

use std::collections::BTreeMap;

use abonent_storage::{both_backends, numbering, settings, Actor, Db, StoreError};

fn admin() -> Actor {
    Actor {
        user_id: None,
        name: "Администратор".into(),
    }
}

both_backends!(
    fifty_concurrent_transactions_get_one_to_fifty,
    |db: Db| async move {
        let mut tasks = Vec::new();
        for _ in 0..50 {
            let db = db.clone();
            tasks.push(tokio::spawn(async move {
                let mut tx = db.write().begin().await.unwrap();
                let (n, text) = numbering::issue(&mut tx, "incoming", 2026).await.unwrap();
                // Keep the transaction open a little, so that on PostgreSQL the others queue
                // on the counter's row lock instead of running one after another by chance.
                tokio::time::sleep(std::time::Duration::from_millis(5)).await;
                tx.commit().await.unwrap();
                (n, text)
            }));
        }
        let mut got = Vec::new();
        for t in tasks {
            got.push(t.await.unwrap());
        }
        let mut ns: Vec<i64> = got.iter().map(|(n, _)| *n).collect();
        ns.sort_unstable();
        assert_eq!(ns, (1..=50).collect::<Vec<_>>());
        let texts: std::collections::BTreeSet<_> = got.iter().map(|(_, t)| t.clone()).collect();
        assert_eq!(texts.len(), 50);
        assert!(texts.contains("Вх-50/26"), "{texts:?}");
        assert_eq!(numbering::last(&db, "incoming", 2026).await.unwrap(), 50);
        // Another year and another scope count on their own.
        let mut conn = db.write().acquire().await.unwrap();
        assert_eq!(
            numbering::next(&mut conn, "incoming", 2027).await.unwrap(),
            1
        );
        assert_eq!(
            numbering::next(&mut conn, "outgoing", 2026).await.unwrap(),
            1
        );
    }
);

both_backends!(rolled_back_transaction_leaves_no_gap, |db: Db| async move {
    let mut tx = db.write().begin().await.unwrap();
    assert_eq!(numbering::next(&mut tx, "outgoing", 2026).await.unwrap(), 1);
    tx.commit().await.unwrap();
    let mut tx = db.write().begin().await.unwrap();
    assert_eq!(numbering::next(&mut tx, "outgoing", 2026).await.unwrap(), 2);
    tx.rollback().await.unwrap();
    let mut tx = db.write().begin().await.unwrap();
    // The first use of a year inside a rolled-back transaction leaves no row behind either.
    assert_eq!(numbering::next(&mut tx, "outgoing", 2030).await.unwrap(), 1);
    tx.rollback().await.unwrap();
    let mut tx = db.write().begin().await.unwrap();
    assert_eq!(numbering::next(&mut tx, "outgoing", 2026).await.unwrap(), 2);
    assert_eq!(numbering::next(&mut tx, "outgoing", 2030).await.unwrap(), 1);
    tx.commit().await.unwrap();
});

both_backends!(
    patterns_come_from_settings_with_defaults,
    |db: Db| async move {
        let mut conn = db.write().acquire().await.unwrap();
        let (n, text) = numbering::issue(&mut conn, "doc.payment_document", 2026)
            .await
            .unwrap();
        assert_eq!((n, text.as_str()), (1, "П-000001/26"));
        // A scope without a setting of its own (a later module's) numbers plainly.
        let (_, text) = numbering::issue(&mut conn, "work_order", 2026)
            .await
            .unwrap();
        assert_eq!(text, "1");
        drop(conn);

        let mut p = BTreeMap::new();
        for s in abonent_domain::settings::numbering_scopes() {
            p.insert(s.to_string(), "{n}".to_string());
        }
        p.insert("incoming".into(), "{year}/ВХ-{n:4}".into());
        save_numbering(&db, &p).await.unwrap();
        let mut conn = db.write().acquire().await.unwrap();
        let (_, text) = numbering::issue(&mut conn, "incoming", 2026).await.unwrap();
        assert_eq!(text, "2026/ВХ-0001");

        // A bad pattern is refused with a Russian message and nothing is saved.
        p.insert("outgoing".into(), "Исх-{yy}".into());
        let err = save_numbering(&db, &p).await.unwrap_err();
        let StoreError::Invalid(e) = err else {
            panic!("{err}")
        };
        assert!(e.for_field("numbering.outgoing").unwrap().contains("{n}"));
        assert_eq!(
            settings::get(&db, "numbering.incoming").await.unwrap(),
            "{year}/ВХ-{n:4}"
        );
        assert_eq!(
            settings::get(&db, "numbering.outgoing").await.unwrap(),
            "{n}"
        );

        // A pattern broken behind the page's back fails before the counter moves.
        drop(conn);
        settings::set(&db, "numbering.outgoing", "{bad}", "test")
            .await
            .unwrap();
        let mut conn = db.write().acquire().await.unwrap();
        let err = numbering::issue(&mut conn, "outgoing", 2026)
            .await
            .unwrap_err();
        assert!(err.to_string().contains("Схема нумерации"), "{err}");
        assert_eq!(numbering::last(&db, "outgoing", 2026).await.unwrap(), 0);
    }
);

both_backends!(org_details_are_checked_before_saving, |db: Db| async move {
    let mut v: BTreeMap<String, String> = BTreeMap::new();
    v.insert("org.name".into(), "ООО «УК Берёзка»".into());
    v.insert("org.inn".into(), " 7707083893 ".into());
    v.insert("org.bic".into(), "04452522".into());
    let err = save_org_details(&db, &v).await.unwrap_err();
    let StoreError::Invalid(e) = err else {
        panic!("{err}")
    };
    assert!(e.for_field("org.bic").unwrap().contains("БИК"));
    assert_eq!(settings::get(&db, "org.inn").await.unwrap(), "");

    v.insert("org.bic".into(), "044525225".into());
    v.insert("org.name".into(), "  ".into());
    let err = save_org_details(&db, &v).await.unwrap_err();
    assert!(err.to_string().contains("наименование"), "{err}");

    v.insert("org.name".into(), "ООО «УК Берёзка»".into());
    save_org_details(&db, &v).await.unwrap();
    let d = settings::all(&db).await.unwrap();
    assert_eq!(d["org.inn"], "7707083893");
    assert_eq!(d["org.bic"], "044525225");
    assert_eq!(d["org.kpp"], "");
    let h = abonent_storage::history::for_card(&db, "settings", 0, 10)
        .await
        .unwrap();
    assert_eq!(h.len(), 1);
    assert_eq!(h[0].after.as_ref().unwrap()["org.inn"], "7707083893");
});

/// What the app's numbering form does: the domain's check, then one write.
async fn save_numbering(db: &Db, p: &BTreeMap<String, String>) -> Result<(), StoreError> {
    let pairs = abonent_domain::settings::check_numbering(p)?;
    settings::save_many(db, &pairs, &admin(), "Схемы нумерации").await
}

/// What the app's details form does: the domain's check, then one write.
async fn save_org_details(db: &Db, v: &BTreeMap<String, String>) -> Result<(), StoreError> {
    let pairs = abonent_domain::settings::check_org_details(v)?;
    settings::save_many(db, &pairs, &admin(), "Реквизиты организации").await
}
