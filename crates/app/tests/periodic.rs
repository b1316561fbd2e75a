//! Periodic tasks of the job runner: with several instances on one database each tick runs
//! on exactly one of them, never two at once, and a stop waits for the tick in hand.

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use abonent_app::{App, Clock};
use abonent_storage::testing::TestDb;
use abonent_storage::{both_backends, Backend, Db};

/// Who ran which tick, from when to when.
type Runs = Arc<Mutex<Vec<(String, String, Instant, Instant)>>>;

async fn two_runners_share_each_tick(backend: Backend) {
    let t = TestDb::new(backend).await;
    let runs = Runs::default();
    let mut apps = Vec::new();
    // Two instances: separate pools on the same database, as two processes would have.
    for _ in 0..2 {
        let app = App::new(Db::connect(&t.url).await.unwrap(), Clock::System);
        let runs = runs.clone();
        app.jobs.every(
            "test.tick",
            Duration::from_millis(100),
            Duration::from_secs(30),
            move |tick| {
                let runs = runs.clone();
                async move {
                    let start = Instant::now();
                    // Longer than the interval: the next tick waits for this one to end.
                    tokio::time::sleep(Duration::from_millis(150)).await;
                    let end = Instant::now();
                    let who = tick.instance.to_string();
                    runs.lock().unwrap().push((who, tick.due, start, end));
                }
            },
        );
        apps.push(app);
    }
    tokio::time::sleep(Duration::from_secs(4)).await;
    for app in &apps {
        assert!(
            app.jobs.stop(Duration::from_secs(10)).await,
            "stopped in time"
        );
    }
    let mut runs = runs.lock().unwrap().clone();
    assert!(runs.len() >= 5, "ticks ran: {}", runs.len());
    let ticks: HashSet<&String> = runs.iter().map(|r| &r.1).collect();
    assert_eq!(
        ticks.len(),
        runs.len(),
        "each tick on one instance: {runs:?}"
    );
    let instances: HashSet<&String> = runs.iter().map(|r| &r.0).collect();
    assert!(instances.len() <= 2);
    runs.sort_by_key(|r| r.2);
    for w in runs.windows(2) {
        assert!(w[1].2 >= w[0].3, "two ticks at once: {w:?}");
    }
    for app in apps {
        app.db.close().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_runners_share_each_tick_sqlite() {
    two_runners_share_each_tick(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_runners_share_each_tick_postgres() {
    two_runners_share_each_tick(Backend::Postgres).await;
}

// Shutdown lets the tick in hand finish (a batch being sent), and starts no other.
both_backends!(stop_waits_for_the_tick_in_hand, |db: Db| async move {
    let app = App::new(db.clone(), Clock::System);
    let (started, finished) = (
        Arc::new(AtomicBool::new(false)),
        Arc::new(AtomicBool::new(false)),
    );
    let (s, f) = (started.clone(), finished.clone());
    app.jobs.every(
        "test.slow",
        Duration::from_millis(50),
        Duration::from_secs(30),
        move |tick| {
            let (s, f) = (s.clone(), f.clone());
            async move {
                s.store(true, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(300)).await;
                assert!(tick.stopping(), "the stop reached the tick");
                f.store(true, Ordering::SeqCst);
            }
        },
    );
    while !started.load(Ordering::SeqCst) {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(app.jobs.stop(Duration::from_secs(10)).await);
    assert!(finished.load(Ordering::SeqCst), "the tick in hand finished");
});
