//! `abonent backup`: a consistent copy of the SQLite file while the database is in use.

use abonent_domain::registry::BuildingForm;
use abonent_storage::registry::{building, counts};
use abonent_storage::testing::TestDb;
use abonent_storage::{migrate, Actor, Backend, Db, SetupError, StoreError};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_backup_while_writing() {
    let t = TestDb::new(Backend::Sqlite).await;
    let form = BuildingForm {
        region: Some("Свердловская обл.".into()),
        city: Some("г. Екатеринбург".into()),
        street: Some("ул. Мира".into()),
        house: Some("1".into()),
        ..Default::default()
    };
    let d = form.validate().unwrap();
    let actor = Actor::system("тест");
    building::create(&t.db, &d, &actor).await.unwrap();
    // Writes keep going while the copy is taken.
    let writer = {
        let (db, d, actor) = (t.db.clone(), d.clone(), actor.clone());
        tokio::spawn(async move {
            for _ in 0..50 {
                building::create(&db, &d, &actor).await.unwrap();
            }
        })
    };
    let target = std::env::temp_dir().join(format!("abonent-backup-{}.sqlite", std::process::id()));
    let _ = std::fs::remove_file(&target);
    t.db.backup_sqlite(&target).await.unwrap();
    writer.await.unwrap();
    let copy = Db::connect(&format!("sqlite://{}", target.display()))
        .await
        .unwrap();
    assert_eq!(
        migrate::run(&copy).await.unwrap(),
        0,
        "the copy has the schema"
    );
    let n = counts(&copy).await.unwrap().buildings;
    assert!((1..=51).contains(&n), "a consistent snapshot: {n}");
    copy.close().await;
    let again = t.db.backup_sqlite(&target).await;
    assert!(
        matches!(again, Err(StoreError::Setup(SetupError::BackupTargetExists(ref p))) if *p == target),
        "an existing file is never overwritten: {again:?}"
    );
    let _ = std::fs::remove_file(&target);
}

#[tokio::test]
async fn postgres_backup_points_to_pg_dump() {
    let t = TestDb::new(Backend::Postgres).await;
    let e =
        t.db.backup_sqlite(std::path::Path::new("/tmp/x.sqlite"))
            .await
            .unwrap_err();
    assert!(
        matches!(e, StoreError::Setup(SetupError::BackupOfPostgres)),
        "{e:?}"
    );
    assert!(e.to_string().contains("pg_dump"));
}
