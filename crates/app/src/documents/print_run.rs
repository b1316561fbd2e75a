//! The monthly print run: the payment documents of every open account of the chosen
//! buildings for a month, each numbered and archived like any issued document (one file per
//! account, for e-mail), as a job with progress; then one PDF of them all for printing, in
//! the postman's order (building, entrance, flat). Accounts with nothing to pay, or without
//! an owner or tenant to address, are left out and named in the report.

use abonent_documents::DocKind;
use abonent_domain::ValidationErrors;
use abonent_storage::documents::{self, print_run};
use abonent_storage::Actor;
use serde::Serialize;

use super::issue::{self, payment::parse_period, IssueRequest};
use crate::jobs::Report;
use crate::{App, AppError};

/// The job's kind.
pub const JOB_KIND: &str = "documents_print_run";

/// What a print run did.
#[derive(Debug, Clone, Serialize)]
pub struct PrintRun {
    pub period: String,
    /// The documents issued, in print order.
    pub document_ids: Vec<i64>,
    /// «700002: …» — each account left out and why.
    pub skipped: Vec<String>,
}

impl Report for PrintRun {
    fn message(&self) -> String {
        format!(
            "Квитанции за {}: выпущено {}, пропущено {}.",
            self.period,
            self.document_ids.len(),
            self.skipped.len()
        )
    }
}

/// Starts the run for `period` (`2026-11`) over `building_ids`; returns the job's id.
pub async fn start(
    app: &App,
    building_ids: &[i64],
    period: &str,
    actor: &Actor,
) -> Result<i64, AppError> {
    let mut e = ValidationErrors::new();
    let month = parse_period(period);
    if month.is_none() {
        e.add(
            "period",
            format!("«{period}» не период: укажите месяц и год, например 2026-11."),
        );
    }
    if building_ids.is_empty() {
        e.add("building_ids", "Выберите хотя бы один дом.");
    }
    e.into_result(()).map_err(AppError::Invalid)?;
    let period = month.map(|m| m.to_string()).unwrap_or_default();
    let accounts = print_run::accounts(&app.db, building_ids).await?;
    let (runner, actor) = (app.clone(), actor.clone());
    app.jobs
        .spawn(
            JOB_KIND,
            accounts.len(),
            actor.user_id,
            move |p| async move { run(&runner, &accounts, &period, &actor, &p).await },
        )
        .await
}

/// The run itself, also what `abonent bench --documents` times.
pub async fn run(
    app: &App,
    accounts: &[print_run::RunAccount],
    period: &str,
    actor: &Actor,
    p: &crate::jobs::Progress,
) -> Result<PrintRun, String> {
    let mut out = PrintRun {
        period: period.to_string(),
        document_ids: Vec::with_capacity(accounts.len()),
        skipped: Vec::new(),
    };
    for (i, a) in accounts.iter().enumerate() {
        let r = IssueRequest {
            kind: DocKind::PaymentDocument.code().into(),
            account_id: Some(a.account_id),
            period: Some(period.to_string()),
            ..Default::default()
        };
        match issue::issue(app, &r, actor).await {
            Ok(d) => out.document_ids.push(d.id),
            Err(AppError::Invalid(v)) => out.skipped.push(format!(
                "{}: {}",
                a.number,
                v.0.first().map(|f| f.message.as_str()).unwrap_or_default()
            )),
            Err(e) => return Err(e.to_string()),
        }
        p.set(i + 1);
    }
    Ok(out)
}

/// One PDF of the run's documents `ids`, in print order.
pub async fn combined(app: &App, ids: &[i64]) -> Result<Vec<u8>, AppError> {
    let mut docs = Vec::with_capacity(ids.len());
    for &id in ids {
        docs.push(documents::get(&app.db, id).await?);
    }
    super::reprint_combined(app, docs).await
}

/// A print run's job (its progress and, when done, its report).
pub async fn job(app: &App, id: i64) -> Result<abonent_storage::jobs::Job, AppError> {
    let j = app.jobs.get(id).await?;
    if j.kind != JOB_KIND {
        return Err(AppError::NotFound("печать квитанций".into()));
    }
    Ok(j)
}

/// The run's documents as one PDF for printing, once the run is done.
pub async fn pdf(app: &App, id: i64) -> Result<Vec<u8>, AppError> {
    let j = job(app, id).await?;
    let ids: Vec<i64> = j
        .result
        .as_ref()
        .and_then(|r| r["document_ids"].as_array())
        .map(|a| a.iter().filter_map(|v| v.as_i64()).collect())
        .unwrap_or_default();
    if j.status != "done" || ids.is_empty() {
        return Err(AppError::Invalid(ValidationErrors::single(
            "job",
            match j.status.as_str() {
                "running" => "Квитанции ещё выпускаются: дождитесь конца печати.",
                "done" => "Ни одной квитанции не выпущено: печатать нечего.",
                _ => "Печать квитанций не удалась: запустите её снова.",
            },
        )));
    }
    combined(app, &ids).await
}
