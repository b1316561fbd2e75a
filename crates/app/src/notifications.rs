//! The periodic work of notifications, run by the job runner on one instance a tick: sending
//! the outbox (the senders and one batch are `abonent_notify::Worker`'s) and escalating
//! emergency alerts nobody acknowledged. `serve` starts them and stops them at shutdown.

use std::sync::Arc;
use std::time::Duration;

use abonent_notify::Worker;
use abonent_storage::appeals::alerts;
use abonent_storage::Db;

use crate::periodic::Tick;
use crate::App;

/// How often the outbox is looked at; a tick sends while messages are due.
pub const SEND_EVERY: Duration = Duration::from_secs(2);
/// How often unacknowledged emergencies are looked for.
pub const ESCALATE_EVERY: Duration = Duration::from_secs(30);
/// The longest an escalation tick holds its task.
const ESCALATE_HOLD: Duration = Duration::from_secs(60);

/// Start both tasks on the app's job runner.
pub fn start(app: &App) {
    start_sending(
        app,
        Worker::new(app.db.clone(), app.jobs.instance()),
        SEND_EVERY,
    );
    let db = app.db.clone();
    app.jobs.every(
        "alerts.escalate",
        ESCALATE_EVERY,
        ESCALATE_HOLD,
        move |_| escalate(db.clone()),
    );
}

/// Send the outbox with `worker` every `every` (tests choose a back-off and a pace).
pub fn start_sending(app: &App, worker: Worker, every: Duration) {
    let worker = Arc::new(worker);
    // A tick sends for at most 30 s plus the batch in hand, within the worker's lease.
    let hold = worker.lease();
    app.jobs
        .every("outbox.send", every, hold, move |tick: Tick| {
            let worker = worker.clone();
            async move {
                match worker.drain(|| tick.stopping()).await {
                    Ok(r) if r.total() > 0 => tracing::info!(
                        sent = r.sent,
                        deferred = r.deferred,
                        failed = r.failed,
                        "уведомления отправлены"
                    ),
                    Ok(_) => {}
                    Err(e) => tracing::warn!("очередь уведомлений недоступна: {e}"),
                }
            }
        });
}

/// Unacknowledged emergency alerts go to the managers, and so do emergencies not localised
/// by their localisation deadline (ПП 416 п. 13); each alert is claimed once across instances.
async fn escalate(db: Db) {
    match alerts::escalate_due(&db).await {
        Ok(ids) if !ids.is_empty() => {
            tracing::warn!(
                ?ids,
                "аварийные оповещения не подтверждены: переданы руководителю"
            )
        }
        Ok(_) => {}
        Err(e) => tracing::warn!("эскалация оповещений не выполнена: {e}"),
    }
    match alerts::escalate_unlocalised(&db).await {
        Ok(ids) if !ids.is_empty() => {
            tracing::warn!(?ids, "аварии не локализованы в срок: переданы руководителю")
        }
        Ok(_) => {}
        Err(e) => tracing::warn!("эскалация нелокализованных аварий не выполнена: {e}"),
    }
}
