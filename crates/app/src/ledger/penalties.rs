//! The monthly penalty run: every account in one transaction, repeatable without doubling,
//! then the debts of all accounts refreshed.

use abonent_domain::ledger::Period;
use abonent_storage::ledger::load;
use abonent_storage::ledger::penalties::{self, RunSummary};
use abonent_storage::Actor;

use crate::jobs::Report;
use crate::{App, AppError};

/// Start the run for `period` as a job; returns its id.
pub async fn start(
    app: &App,
    period: Period,
    actor: Actor,
    user_id: Option<i64>,
) -> Result<i64, AppError> {
    let total = load::account_ids(&app.db).await?.len();
    let app = app.clone();
    app.jobs
        .clone()
        .spawn("ledger_penalties", total, user_id, move |jp| async move {
            accrue(&app, period, &actor, &|n, _| jp.set(n)).await
        })
        .await
}

/// The run itself (the command line waits for it); `progress` gets (done, total).
pub async fn accrue(
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
