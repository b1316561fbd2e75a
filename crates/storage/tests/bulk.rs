//! Multi-row inserts and explicit ids on SQLite and PostgreSQL.

use abonent_domain::registry::BuildingData;
use abonent_storage::bulk::{self, BulkValue};
use abonent_storage::registry::building;
use abonent_storage::{both_backends, Actor, Db};
use sqlx::Row;

fn actor() -> Actor {
    Actor::system("Тест")
}

fn building_row(id: i64, house: &str) -> Vec<BulkValue> {
    vec![
        id.into(),
        "Свердловская обл.".into(),
        "г. Екатеринбург".into(),
        "ул. Ленина".into(),
        house.into(),
        BulkValue::Null,
        BulkValue::Null,
        BulkValue::Null,
        1970i64.into(),
        BulkValue::Null,
        2i64.into(),
        "2010-01-01".into(),
        "2026-01-01T00:00:00.000000Z".into(),
        "2026-01-01T00:00:00.000000Z".into(),
    ]
}

const BUILDING_COLS: &[&str] = &[
    "id",
    "region",
    "city",
    "street",
    "house",
    "korpus",
    "stroenie",
    "fias_id",
    "year_built",
    "floors",
    "entrances",
    "managed_since",
    "created_at",
    "updated_at",
];

async fn count(db: &Db, table: &str) -> i64 {
    sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
        .fetch_one(db.read())
        .await
        .unwrap()
}

both_backends!(explicit_ids_then_normal_insert, |db: Db| async move {
    // One building the ordinary way first, so the sequence has moved.
    let data = BuildingData {
        region: "Свердловская обл.".into(),
        city: "г. Екатеринбург".into(),
        street: "ул. Мира".into(),
        house: "1".into(),
        korpus: None,
        stroenie: None,
        fias_id: None,
        year_built: None,
        floors: None,
        entrances: None,
        managed_since: None,
    };
    let before = building::create(&db, &data, &actor()).await.unwrap();

    let mut tx = db.write().begin().await.unwrap();
    let first = bulk::reserve_ids(&mut tx, db.backend(), "buildings", 3)
        .await
        .unwrap();
    assert_eq!(first, before + 1);
    // A second reservation in the same transaction gets the next range.
    let second = bulk::reserve_ids(&mut tx, db.backend(), "buildings", 2)
        .await
        .unwrap();
    assert_eq!(second, first + 3);
    let rows: Vec<_> = (0..5)
        .map(|i| building_row(first + i, &format!("{}", 10 + i)))
        .collect();
    let n = bulk::insert_rows(&mut tx, "buildings", BUILDING_COLS, &rows)
        .await
        .unwrap();
    assert_eq!(n, 5);
    bulk::fix_sequences(&mut tx, db.backend(), &["buildings"])
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let b = building::get(&db, first + 2).await.unwrap();
    assert_eq!(b.data.house, "12");
    assert_eq!(b.data.korpus, None);
    assert_eq!(b.data.year_built, Some(1970));
    assert_eq!(b.data.floors, None);

    // Ordinary inserts afterwards get fresh ids.
    let next = building::create(&db, &data, &actor()).await.unwrap();
    assert_eq!(next, first + 5);
    let next2 = building::create(&db, &data, &actor()).await.unwrap();
    assert_eq!(next2, next + 1);
    assert_eq!(count(&db, "buildings").await, 8);
});

both_backends!(
    fix_sequences_after_rows_without_reservation,
    |db: Db| async move {
        // Explicit ids never reserved: fix_sequences alone must move the sequence on.
        let mut tx = db.write().begin().await.unwrap();
        let rows = vec![building_row(500, "1"), building_row(501, "2")];
        bulk::insert_rows(&mut tx, "buildings", BUILDING_COLS, &rows)
            .await
            .unwrap();
        bulk::fix_sequences(&mut tx, db.backend(), &["buildings"])
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let data = building::get(&db, 500).await.unwrap().data;
        let id = building::create(&db, &data, &actor()).await.unwrap();
        assert_eq!(id, 502);
    }
);

both_backends!(chunks_across_the_parameter_limit, |db: Db| async move {
    sqlx::raw_sql("CREATE TABLE bulk_probe (n BIGINT NOT NULL, name TEXT, extra BIGINT)")
        .execute(db.write())
        .await
        .unwrap();
    // 20 000 rows × 3 columns = 60 000 values: at least three statements.
    let rows: Vec<Vec<BulkValue>> = (0..20_000i64)
        .map(|i| {
            vec![
                i.into(),
                if i % 7 == 0 {
                    BulkValue::Null
                } else {
                    format!("Пётр «{i}» O'Brien; --").into()
                },
                if i % 2 == 0 {
                    BulkValue::Int(-i)
                } else {
                    BulkValue::Null
                },
            ]
        })
        .collect();
    let mut tx = db.write().begin().await.unwrap();
    let n = bulk::insert_rows(&mut tx, "bulk_probe", &["n", "name", "extra"], &rows)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(n, 20_000);
    assert_eq!(count(&db, "bulk_probe").await, 20_000);
    let r = sqlx::query("SELECT COUNT(name), COUNT(extra), CAST(SUM(n) AS BIGINT) FROM bulk_probe")
        .fetch_one(db.read())
        .await
        .unwrap();
    assert_eq!(r.get::<i64, _>(0), 20_000 - 2_858);
    assert_eq!(r.get::<i64, _>(1), 10_000);
    assert_eq!(r.get::<i64, _>(2), 19_999 * 20_000 / 2);
    let name: String = sqlx::query_scalar("SELECT name FROM bulk_probe WHERE n = 19998")
        .fetch_one(db.read())
        .await
        .unwrap();
    assert_eq!(name, "Пётр «19998» O'Brien; --");
    let extra: i64 = sqlx::query_scalar("SELECT extra FROM bulk_probe WHERE n = 19998")
        .fetch_one(db.read())
        .await
        .unwrap();
    assert_eq!(extra, -19998);

    // Nothing at all is fine; a row of the wrong width is refused before any SQL.
    let mut conn = db.write().acquire().await.unwrap();
    assert_eq!(
        bulk::insert_rows(&mut conn, "bulk_probe", &["n"], &[])
            .await
            .unwrap(),
        0
    );
    assert!(bulk::insert_rows(
        &mut conn,
        "bulk_probe",
        &["n", "name"],
        &[vec![1i64.into()]]
    )
    .await
    .is_err());
    assert!(bulk::insert_rows(
        &mut conn,
        "bulk_probe; DROP TABLE users",
        &["n"],
        &[vec![1i64.into()]]
    )
    .await
    .is_err());
});
