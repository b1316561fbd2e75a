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
