//! The outbox worker: claim due messages, send each, mark it sent or due again later.
//! Every instance runs one; the claim in storage makes sure each message has one sender.

use std::future::Future;
use std::time::Duration;

use abonent_domain::outbox::{Backoff, Retry};
use abonent_storage::{outbox, settings, Db, Result};

use crate::config::Config;
use crate::sender::{Sender, TIMEOUT};

/// How often the worker loop looks for emergency alerts to escalate.
const ESCALATE_EVERY: Duration = Duration::from_secs(30);

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
    idle: Duration,
    http: reqwest::Client,
}

impl Worker {
    /// A worker with the standard schedule: batches of 10, a lease of 5 minutes (a batch
    /// takes at most 10 × 20 s), a look at the outbox every 2 s when idle.
    pub fn new(db: Db, instance: &str) -> Worker {
        Worker {
            db,
            instance: instance.to_string(),
            backoff: Backoff::standard(),
            batch: 10,
            lease: Duration::from_secs(300).max(TIMEOUT * 12),
            idle: Duration::from_secs(2),
            http: Sender::http_client(),
        }
    }

    pub fn with_backoff(mut self, backoff: Backoff) -> Worker {
        self.backoff = backoff;
        self
    }

    /// How often an idle worker looks for due messages.
    pub fn with_idle(mut self, idle: Duration) -> Worker {
        self.idle = idle;
        self
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

    /// Deliver until `shutdown` completes. A batch in hand is finished first: a message cut
    /// off mid-send would wait for its lease and might be sent twice.
    pub async fn run(self, shutdown: impl Future<Output = ()>) {
        let mut shutdown = std::pin::pin!(shutdown);
        tracing::info!(instance = %self.instance, "отправка уведомлений запущена");
        let mut escalated_at: Option<std::time::Instant> = None;
        loop {
            // Unacknowledged emergencies go to the managers (each alert claimed once across
            // instances); checked every 30 s, before sending, so the message leaves at once.
            if escalated_at.is_none_or(|t| t.elapsed() >= ESCALATE_EVERY) {
                escalated_at = Some(std::time::Instant::now());
                match abonent_storage::appeals::alerts::escalate_due(&self.db).await {
                    Ok(ids) if !ids.is_empty() => {
                        tracing::warn!(
                            ?ids,
                            "аварийные оповещения не подтверждены: переданы руководителю"
                        )
                    }
                    Ok(_) => {}
                    Err(e) => tracing::warn!("эскалация оповещений не выполнена: {e}"),
                }
                // Emergencies not localised by their localisation deadline (ПП 416 п. 13).
                match abonent_storage::appeals::alerts::escalate_unlocalised(&self.db).await {
                    Ok(ids) if !ids.is_empty() => {
                        tracing::warn!(?ids, "аварии не локализованы в срок: переданы руководителю")
                    }
                    Ok(_) => {}
                    Err(e) => tracing::warn!("эскалация нелокализованных аварий не выполнена: {e}"),
                }
            }
            let pause = match self.run_once().await {
                Ok(r) if r.total() > 0 => Duration::ZERO,
                Ok(_) => self.idle,
                Err(e) => {
                    tracing::warn!("очередь уведомлений недоступна: {e}");
                    self.idle.max(Duration::from_secs(5))
                }
            };
            tokio::select! {
                biased;
                _ = &mut shutdown => break,
                _ = tokio::time::sleep(pause) => {}
            }
        }
        tracing::info!(instance = %self.instance, "отправка уведомлений остановлена");
    }
}

/// A name for this instance in `locked_by`: host, process and a random part, so two
/// instances on one host (or a restarted one) never share it.
pub fn instance_id() -> String {
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
