//! Periodic tasks under the job runner: `Jobs::every(name, interval, hold, task)`. Every
//! instance looks for a due tick once an interval; the schedule is a row in the database
//! (`storage::periodic`), so when several instances share it each tick runs on exactly one,
//! and a tick still running holds the task (until `hold` lapses, for a crashed instance).
//! Times come from the runner's clock: under `Clock::Fixed` a task runs once.
//! `Jobs::stop` asks the running ticks to finish what they hold and waits for them.

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use abonent_storage::{periodic, Db};
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::{Clock, Jobs};

/// This instance's periodic tasks: the schedule's database, the clock, its name in the
/// schedule and the stop signal.
#[derive(Clone)]
pub(crate) struct Periodic {
    db: Db,
    clock: Clock,
    instance: Arc<str>,
    stop: Arc<watch::Sender<bool>>,
    tasks: Arc<Mutex<Vec<JoinHandle<()>>>>,
}

impl Periodic {
    pub(crate) fn new(db: Db, clock: Clock) -> Periodic {
        Periodic {
            db,
            clock,
            instance: instance_id().into(),
            stop: Arc::new(watch::channel(false).0),
            tasks: Arc::default(),
        }
    }
}

/// One run of a periodic task, handed to its work.
#[derive(Clone)]
pub struct Tick {
    /// When the tick was due (RFC 3339): the same tick has the same moment on every instance.
    pub due: String,
    /// The instance running it.
    pub instance: Arc<str>,
    stop: watch::Receiver<bool>,
}

impl Tick {
    /// The instance is stopping: finish what is in hand, take nothing new.
    pub fn stopping(&self) -> bool {
        *self.stop.borrow()
    }
}

impl Jobs {
    /// This instance's name in schedules and leases (`locked_by` of the outbox).
    pub fn instance(&self) -> &str {
        &self.periodic.instance
    }

    /// Run `task` every `interval` on one of the instances sharing the database. A tick
    /// holds the task for at most `hold` (longer than any tick takes).
    pub fn every<F, Fut>(&self, name: &'static str, interval: Duration, hold: Duration, task: F)
    where
        F: Fn(Tick) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        let handle = tokio::spawn(repeat(self.periodic.clone(), name, interval, hold, task));
        if let Ok(mut tasks) = self.periodic.tasks.lock() {
            tasks.push(handle);
        }
    }

    /// Stop the periodic tasks: ticks in hand finish (waited for up to `limit`), no new one
    /// starts. Answers whether all finished in time.
    pub async fn stop(&self, limit: Duration) -> bool {
        self.periodic.stop.send_replace(true);
        let tasks = match self.periodic.tasks.lock() {
            Ok(mut t) => std::mem::take(&mut *t),
            Err(_) => Vec::new(),
        };
        let all = async {
            for t in tasks {
                let _ = t.await;
            }
        };
        tokio::time::timeout(limit, all).await.is_ok()
    }
}

async fn repeat<F, Fut>(
    p: Periodic,
    name: &'static str,
    interval: Duration,
    hold: Duration,
    task: F,
) where
    F: Fn(Tick) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let mut stop = p.stop.subscribe();
    let span = |d: Duration| chrono::TimeDelta::from_std(d).unwrap_or(chrono::TimeDelta::hours(1));
    let mut registered = false;
    while !*stop.borrow() {
        let now = p.clock.now();
        if !registered {
            registered = periodic::register(&p.db, name, now)
                .await
                .inspect_err(|e| tracing::warn!("периодическая задача {name} не записана: {e}"))
                .is_ok();
        }
        let claimed = periodic::claim(
            &p.db,
            name,
            &p.instance,
            now,
            now + span(interval),
            now + span(hold),
        )
        .await;
        match claimed {
            Ok(Some(due)) => {
                let tick = Tick {
                    due,
                    instance: p.instance.clone(),
                    stop: stop.clone(),
                };
                // A task of its own, so that a panic in the work ends the tick, not the task.
                if let Err(e) = tokio::spawn(task(tick)).await {
                    tracing::error!("периодическая задача {name} прервана: {e}");
                }
                if let Err(e) = periodic::release(&p.db, name, &p.instance).await {
                    tracing::warn!("периодическая задача {name} не освобождена: {e}");
                }
            }
            Ok(None) => {}
            Err(e) => tracing::warn!("расписание задачи {name} недоступно: {e}"),
        }
        tokio::select! {
            changed = stop.changed() => {
                // The runner itself is gone: nobody can stop this task any more.
                if changed.is_err() {
                    break;
                }
            }
            _ = tokio::time::sleep(interval) => {}
        }
    }
}

/// A name for this instance: host, process and a random part, so two instances on one host
/// (or a restarted one) never share it.
fn instance_id() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_else(|| "abonent".into());
    format!(
        "{host}-{}-{:08x}",
        std::process::id(),
        rand::random::<u32>()
    )
}
