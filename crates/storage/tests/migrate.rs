//! Two instances starting at once on one database migrate it exactly once.

use abonent_storage::testing::TestDb;
use abonent_storage::{migrate, Backend, Db};

async fn concurrent_start(backend: Backend) {
    let t = TestDb::empty(backend).await;
    let others: Vec<Db> = futures_join(&t.url, 3).await;
    let results = tokio::join!(
        migrate::run(&t.db),
        migrate::run(&others[0]),
        migrate::run(&others[1]),
        migrate::run(&others[2])
    );
    let applied =
        [results.0, results.1, results.2, results.3].map(|r| r.expect("every instance starts"));
    let (count, newest) = migrate::known();
    assert_eq!(
        applied.iter().sum::<usize>(),
        count,
        "each migration is applied once: {applied:?}"
    );
    assert_eq!(migrate::current_version(&others[2]).await.unwrap(), newest);
    for db in others {
        db.close().await;
    }
}

async fn futures_join(url: &str, n: usize) -> Vec<Db> {
    let mut v = Vec::new();
    for _ in 0..n {
        v.push(Db::connect(url).await.unwrap());
    }
    v
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_instances_start_together() {
    concurrent_start(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_instances_start_together() {
    concurrent_start(Backend::Postgres).await;
}

/// Migration 0031 carries the debt rules' old `never_suspended` list into the services
/// reference data: the services it named may no longer be suspended; the others keep theirs.
async fn never_suspended_moves_to_services(backend: Backend) {
    let t = TestDb::empty(backend).await;
    migrate::run(&t.db).await.unwrap();
    let w = t.db.write();
    sqlx::query("UPDATE services SET may_suspend = 1 WHERE code = 'electricity'")
        .execute(w)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO ledger_reference (kind, value_json, source, created_by_name, created_at) \
         VALUES ('debt_rules', $1, 'old', 'test', '2026-01-01T00:00:00Z')",
    )
    .bind(
        r#"{"notice_days":20,"suspension_after_days":10,"threshold_monthly_fees":2,
            "never_suspended":["heating","electricity"],"court_order_limit":50000000,
            "limitation_years":3,"source":"old"}"#,
    )
    .execute(w)
    .await
    .unwrap();
    sqlx::query("DELETE FROM schema_migrations WHERE version = 31")
        .execute(w)
        .await
        .unwrap();
    assert_eq!(migrate::run(&t.db).await.unwrap(), 1);
    let may: Vec<(String, i64)> = sqlx::query_as(
        "SELECT code, may_suspend FROM services WHERE code IN ('electricity', 'heating', \
         'hot_water') ORDER BY code",
    )
    .fetch_all(t.db.read())
    .await
    .unwrap();
    assert_eq!(
        may,
        [
            ("electricity".to_string(), 0),
            ("heating".to_string(), 0),
            ("hot_water".to_string(), 1)
        ]
    );
    // The old version still reads: the list is simply no longer part of the rules.
    let rules = abonent_storage::ledger::reference::debt_rules(&t.db)
        .await
        .unwrap();
    assert_eq!(rules.source, "old");
}

#[tokio::test]
async fn sqlite_never_suspended_moves_to_services() {
    never_suspended_moves_to_services(Backend::Sqlite).await;
}

#[tokio::test]
async fn postgres_never_suspended_moves_to_services() {
    never_suspended_moves_to_services(Backend::Postgres).await;
}
