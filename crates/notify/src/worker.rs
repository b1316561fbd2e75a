//! The outbox worker: claim due messages, send each, mark it sent or due again later. The
//! job runner (`abonent_app::notifications`) runs it on a schedule; the claim in storage
//! makes sure each message has one sender even when two instances send at once.

use std::time::{Duration, Instant};

use abonent_domain::outbox::{Backoff, Retry};
use abonent_storage::{outbox, settings, Db, Result};

use crate::config::Config;
use crate::sender::{Sender, TIMEOUT};

/// How long one `drain` goes on taking new batches; what is left waits for the next tick.
const DRAIN_FOR: Duration = Duration::from_secs(30);

/// What one round did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Round {
    pub sent: usize,
    /// Failed, to be tried again later.
    pub deferred: usize,
    /// Failed for good (attempts spent).
    pub failed: usize,
}

impl Round {
    pub fn total(&self) -> usize {
        self.sent + self.deferred + self.failed
    }
}

pub struct Worker {
    db: Db,
    instance: String,
    backoff: Backoff,
    batch: i64,
    lease: Duration,
    http: reqwest::Client,
}

impl Worker {
    /// A worker with batches of 10 and a lease of 5 minutes (a batch takes at most 10 × 20 s).
    pub fn new(db: Db, instance: &str) -> Worker {
        Worker {
            db,
            instance: instance.to_string(),
            backoff: Backoff::standard(),
            batch: 10,
            lease: Duration::from_secs(300).max(TIMEOUT * 12),
            http: Sender::http_client(),
        }
    }

    pub fn with_backoff(mut self, backoff: Backoff) -> Worker {
        self.backoff = backoff;
        self
    }

    /// How long a claimed batch is this worker's; a `drain` takes at most its lease.
    pub fn lease(&self) -> Duration {
        self.lease
    }

    pub fn instance(&self) -> &str {
        &self.instance
    }

    /// Claim one batch and deliver it.
    pub async fn run_once(&self) -> Result<Round> {
        let config = Config::from_settings(&settings::all(&self.db).await?);
        let sender = Sender::new(config, self.http.clone());
        let batch = outbox::claim_for(
            &self.db,
            &self.instance,
            self.lease,
            self.batch,
            &sender.ready_channels(),
        )
        .await?;
        let mut round = Round::default();
        for m in batch {
            match sender.send(&m).await {
                Ok(()) => {
                    if !outbox::mark_sent(&self.db, m.id, &self.instance).await? {
                        tracing::warn!(id = m.id, "сообщение отправлено, но аренда уже истекла");
                    }
                    round.sent += 1;
                }
                Err(error) => {
                    let attempts = u32::try_from(m.attempts).unwrap_or(u32::MAX);
                    let retry =
                        self.backoff
                            .next(attempts, sender.config().max_attempts, self.db.now());
                    tracing::info!(id = m.id, attempts, %error, "уведомление не доставлено");
                    outbox::mark_failed(&self.db, m.id, &self.instance, &error, retry).await?;
                    match retry {
                        Retry::At(_) => round.deferred += 1,
                        Retry::GiveUp => round.failed += 1,
                    }
                }
            }
        }
        Ok(round)
    }

    /// Deliver batch after batch while there are due messages, for up to 30 s, and stop
    /// taking batches once `stopping` says so. A batch in hand is always finished: a message
    /// cut off mid-send would wait for its lease and might be sent twice.
    pub async fn drain(&self, stopping: impl Fn() -> bool) -> Result<Round> {
        let started = Instant::now();
        let mut total = Round::default();
        while !stopping() && started.elapsed() < DRAIN_FOR {
            let r = self.run_once().await?;
            total.sent += r.sent;
            total.deferred += r.deferred;
            total.failed += r.failed;
            if r.total() == 0 {
                break;
            }
        }
        Ok(total)
    }
}
