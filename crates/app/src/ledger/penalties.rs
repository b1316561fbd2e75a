//! The monthly penalty run: every account in one transaction, repeatable without doubling,
//! then the debts of all accounts refreshed.

use abonent_domain::ledger::{check_run_period, Period};
use abonent_storage::ledger::load;
use abonent_storage::ledger::penalties::{self, RunSummary};
use abonent_storage::Actor;

use crate::jobs::Report;
use crate::{App, AppError};

/// A run only for a month that has ended in the organization's time zone (by the app's
/// clock): a run ahead would post penalties for days that have not come.
pub async fn check_period(app: &App, period: Period) -> Result<(), AppError> {
    Ok(check_run_period(period, app.today().await?)?)
}

/// Start the run for `period` as a job; returns its id.
pub async fn start(
    app: &App,
    period: Period,
    actor: Actor,
    user_id: Option<i64>,
) -> Result<i64, AppError> {
    check_period(app, period).await?;
    let total = load::account_ids(&app.db).await?.len();
    let app = app.clone();
    app.jobs
        .clone()
        .spawn(JOB, total, user_id, move |jp| async move {
            accrue(&app, period, &actor, &|n, _| jp.set(n)).await
        })
        .await
}

/// The run as a job here, waited for (the command line); `progress` gets (done, total).
pub async fn run(
    app: &App,
    period: Period,
    actor: &Actor,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<RunSummary, AppError> {
    check_period(app, period).await?;
    let total = load::account_ids(&app.db).await?.len();
    app.jobs
        .run(JOB, total, actor.user_id, |jp| async move {
            let both = |done: usize, total: usize| {
                jp.set(done);
                progress(done, total);
            };
            accrue(app, period, actor, &both).await
        })
        .await
}

/// The job a penalty run is.
const JOB: &str = "ledger_penalties";

async fn accrue(
    app: &App,
    period: Period,
    actor: &Actor,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<RunSummary, String> {
    let sum = penalties::run_month(&app.db, period, actor, progress)
        .await
        .map_err(|e| format!("Начисление пени отменено, ничего не сохранено: {e}"))?;
    super::refresh_after(app, None, "Пени начислены").await?;
    Ok(sum)
}

/// The month a run is for when none is named: the last one.
pub async fn default_period(app: &App) -> Result<Period, AppError> {
    Ok(Period::of(app.today().await?).plus(-1))
}

impl Report for RunSummary {
    fn message(&self) -> String {
        self.text()
    }
}
