//! The one runner of long tasks (registry and ledger imports, penalty runs; later print
//! runs, reports and scheduled sends). A job is a row of `jobs` (storage::jobs): any
//! instance shows its state. Progress is kept in memory by the instance running it and
//! written to the row every half second when a write connection is free. Periodic tasks
//! (`Jobs::every`: sending the outbox, escalating alerts) are in `crate::periodic`.

use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use abonent_storage::jobs::{self, Job};
use abonent_storage::Db;
use serde::Serialize;

use crate::periodic::Periodic;
use crate::{AppError, Clock};

/// What a finished job reports: its message, and itself as the job's JSON result.
pub trait Report: Serialize {
    fn message(&self) -> String;
}

/// Job id → how far each job this instance runs has got (its total is in its row).
type Live = Arc<Mutex<HashMap<i64, Arc<AtomicUsize>>>>;

/// The runner of this instance. Cheap to clone.
#[derive(Clone)]
pub struct Jobs {
    db: Db,
    live: Live,
    pub(crate) periodic: Periodic,
}

/// Handed to a job's work to report how far it is.
#[derive(Clone)]
pub struct Progress {
    job: i64,
    done: Arc<AtomicUsize>,
}

impl Progress {
    pub fn set(&self, done: usize) {
        self.done.store(done, Ordering::Relaxed);
    }

    pub fn get(&self) -> usize {
        self.done.load(Ordering::Relaxed)
    }
}

impl Jobs {
    /// The runner of one instance; periodic tasks read the time from `clock`.
    pub fn new(db: Db, clock: Clock) -> Jobs {
        Jobs {
            periodic: Periodic::new(db.clone(), clock),
            db,
            live: Live::default(),
        }
    }

    /// Start `work` in the background as a job of `kind`; returns its id at once. The work
    /// answers its report, or the message of its failure.
    pub async fn spawn<T, F, Fut>(
        &self,
        kind: &str,
        total: usize,
        user_id: Option<i64>,
        work: F,
    ) -> Result<i64, AppError>
    where
        T: Report + Send + 'static,
        F: FnOnce(Progress) -> Fut + Send + 'static,
        Fut: Future<Output = Result<T, String>> + Send + 'static,
    {
        let progress = self.start(kind, total, user_id).await?;
        let (job, runner) = (progress.job, self.clone());
        tokio::spawn(async move {
            // The outcome is in the job's row; nobody waits for it here.
            let _outcome = runner.execute(progress, work).await;
        });
        Ok(job)
    }

    /// Run `work` as a job of `kind` here and wait for it (the command line): the same row,
    /// progress and outcome as [`Jobs::spawn`].
    pub async fn run<T, F, Fut>(
        &self,
        kind: &str,
        total: usize,
        user_id: Option<i64>,
        work: F,
    ) -> Result<T, AppError>
    where
        T: Report,
        F: FnOnce(Progress) -> Fut,
        Fut: Future<Output = Result<T, String>>,
    {
        let progress = self.start(kind, total, user_id).await?;
        self.execute(progress, work)
            .await
            .map_err(AppError::BadRequest)
    }

    /// [`Jobs::spawn`] for a job whose row the caller has started itself (a print run takes
    /// its row only when no other run holds the lease).
    pub fn spawn_started<T, F, Fut>(&self, job: i64, work: F)
    where
        T: Report + Send + 'static,
        F: FnOnce(Progress) -> Fut + Send + 'static,
        Fut: Future<Output = Result<T, String>> + Send + 'static,
    {
        let (progress, runner) = (self.track(job), self.clone());
        tokio::spawn(async move {
            let _outcome = runner.execute(progress, work).await;
        });
    }

    /// [`Jobs::run`] for a job whose row the caller has started itself.
    pub async fn run_started<T, F, Fut>(&self, job: i64, work: F) -> Result<T, AppError>
    where
        T: Report,
        F: FnOnce(Progress) -> Fut,
        Fut: Future<Output = Result<T, String>>,
    {
        let progress = self.track(job);
        self.execute(progress, work)
            .await
            .map_err(AppError::BadRequest)
    }

    async fn start(
        &self,
        kind: &str,
        total: usize,
        user_id: Option<i64>,
    ) -> Result<Progress, AppError> {
        let job = jobs::start(&self.db, kind, total as i64, user_id).await?;
        Ok(self.track(job))
    }

    fn track(&self, job: i64) -> Progress {
        let progress = Progress {
            job,
            done: Arc::default(),
        };
        if let Ok(mut m) = self.live.lock() {
            m.insert(job, progress.done.clone());
        }
        progress
    }

    /// Does the work while its progress is reported, then records its outcome.
    async fn execute<T, F, Fut>(&self, progress: Progress, work: F) -> Result<T, String>
    where
        T: Report,
        F: FnOnce(Progress) -> Fut,
        Fut: Future<Output = Result<T, String>>,
    {
        let job = progress.job;
        let reporter = tokio::spawn(report(self.db.clone(), progress.clone()));
        let outcome = work(progress).await;
        reporter.abort();
        let written = match &outcome {
            Ok(r) => {
                let value = serde_json::to_value(r).unwrap_or_default();
                jobs::finish(&self.db, job, true, &r.message(), Some(value)).await
            }
            Err(msg) => jobs::finish(&self.db, job, false, msg, None).await,
        };
        if let Err(e) = written {
            tracing::error!("job {job}: the outcome was not recorded: {e}");
        }
        if let Ok(mut m) = self.live.lock() {
            m.remove(&job);
        }
        outcome
    }

    /// A job's state, with this instance's figures while it runs it.
    pub async fn get(&self, id: i64) -> Result<Job, AppError> {
        let mut j = jobs::get(&self.db, id).await?;
        let live = self.live.lock().ok().and_then(|m| m.get(&id).cloned());
        if let (Some(done), "running") = (live, j.status.as_str()) {
            j.done = done.load(Ordering::Relaxed) as i64;
        }
        Ok(j)
    }
}

/// Writes the progress to the job's row every half second until aborted.
async fn report(db: Db, p: Progress) {
    loop {
        tokio::time::sleep(Duration::from_millis(500)).await;
        let done = p.done.load(Ordering::Relaxed) as i64;
        if let Err(e) = jobs::progress(&db, p.job, done).await {
            tracing::warn!("job {}: progress not written: {e}", p.job);
        }
    }
}
