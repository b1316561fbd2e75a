//! Uploaded import files are kept only while their purpose needs them: a loaded file for
//! `uploads.keep_days` after its job ended (its outcome may still be reviewed against the
//! file), a file no job loaded — a dry run, a refused file, a preview nobody committed — for
//! `uploads.unused_days`. The job runner deletes the rest once an hour on one instance; each
//! deletion leaves a history row and the tick logs how many went. Scans of letters and files
//! of appeals are evidence kept with their letter or appeal and are never touched here.

use std::time::Duration;

use abonent_domain::settings as catalogue;
use abonent_storage::uploads::{self, Cutoffs};
use abonent_storage::Actor;
use chrono::Duration as Days;

use crate::{settings, App, AppError};

/// How often expired files are looked for.
pub const EVERY: Duration = Duration::from_secs(3600);
/// The longest a tick holds the task (a crashed instance's hold lapses after it).
const HOLD: Duration = Duration::from_secs(600);
/// Files deleted in one transaction: short transactions leave the writer to the people.
const BATCH: i64 = 50;

/// Start the retention task on the app's job runner (`serve`).
pub fn start(app: &App) {
    let app2 = app.clone();
    app.jobs
        .every("uploads.retention", EVERY, HOLD, move |tick| {
            let app = app2.clone();
            async move {
                match sweep(&app, || tick.stopping()).await {
                    Ok(s) if s.files > 0 => tracing::info!(
                        files = s.files,
                        bytes = s.bytes,
                        "файлы импорта удалены по сроку хранения"
                    ),
                    Ok(_) => {}
                    Err(e) => tracing::warn!("файлы импорта не удалены по сроку хранения: {e}"),
                }
            }
        });
}

/// What one sweep deleted.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Swept {
    pub files: usize,
    pub bytes: i64,
}

/// Delete every file past its time, a batch at a time, until none is left or `stop` says so.
pub async fn sweep(app: &App, stop: impl Fn() -> bool) -> Result<Swept, AppError> {
    let days = |key: &'static str| async move {
        Ok::<_, AppError>(catalogue::days(key, &settings::get(app, key).await?))
    };
    let now = app.db.now();
    let at = |d: u32| abonent_storage::time::fmt(now - Days::days(i64::from(d)));
    let cutoffs = Cutoffs {
        loaded_before: at(days(catalogue::UPLOADS_KEEP_DAYS).await?),
        unused_before: at(days(catalogue::UPLOADS_UNUSED_DAYS).await?),
    };
    let actor = Actor::system("Срок хранения файлов импорта");
    let mut swept = Swept::default();
    loop {
        let batch = uploads::delete_expired(&app.db, &cutoffs, &actor, BATCH).await?;
        swept.files += batch.len();
        swept.bytes += batch.iter().map(|d| d.size_bytes).sum::<i64>();
        if (batch.len() as i64) < BATCH || stop() {
            return Ok(swept);
        }
    }
}
