//! The monthly print run: the payment documents of every open account of the chosen
//! buildings for a month, each numbered and archived like any issued document (one file per
//! account, for e-mail), as a job with progress; and one PDF of them all for printing, in the
//! postman's order (building, entrance, flat). Accounts with nothing to pay, or without an
//! owner or tenant to address, are left out and named in the report.
//!
//! The run goes in batches of [`BATCH`] accounts: their data is read a few at a time, checked,
//! then one transaction takes the batch's numbers (gapless: a failed batch gives them all
//! back), typesets the documents on every core — each once, giving its own PDF and its pages
//! for the batch's part of the PDF for printing — and stores the documents with their history
//! and the part. One run at a time holds the lease (`print_run::start_job`).

mod files;

use std::sync::Arc;

use abonent_documents::{DocKind, Organization, RenderError, RenderRequest};
use abonent_domain::money::format_count;
use abonent_domain::ValidationErrors;
use abonent_storage::documents::{print_run, scope_of, NewDocument, Numbering};
use abonent_storage::{Actor, StoreError};
use chrono::NaiveDate;
use serde::Serialize;

use super::issue::{payment::parse_period, prepare, IssueRequest, Prepared};
use super::{engine, organization, render_error, template_of};
use crate::jobs::{Progress, Report};
use crate::{App, AppError};

pub use files::{accounts_zip, job, pdf, Chunks};
pub use print_run::JOB_KIND;

/// Accounts per batch: one numbering transaction and one part of the PDF for printing.
pub const BATCH: usize = 100;

/// Accounts whose data is read at the same time.
const READ_AHEAD: usize = 8;

/// What a print run did.
#[derive(Debug, Clone, Serialize)]
pub struct PrintRun {
    pub period: String,
    /// The documents issued, in print order.
    pub document_ids: Vec<i64>,
    /// «700002: …» — each account left out and why.
    pub skipped: Vec<String>,
    /// Where the time went, for the benchmark and the operator.
    pub phases: Phases,
}

/// Milliseconds of the run spent in each phase (summed over batches).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Phases {
    /// Reading and checking the accounts' data.
    pub gather_ms: u64,
    /// Typesetting the documents and the batch's part of the PDF for printing.
    pub typeset_ms: u64,
    /// Numbering and storing, the rest of each batch's transaction.
    pub store_ms: u64,
}

impl Report for PrintRun {
    fn message(&self) -> String {
        format!(
            "Квитанции за {}: выпущено {}, пропущено {}.",
            self.period,
            format_count(self.document_ids.len() as i64),
            format_count(self.skipped.len() as i64)
        )
    }
}

/// The accounts and month of a run, checked.
async fn plan(
    app: &App,
    building_ids: &[i64],
    period: &str,
) -> Result<(Vec<print_run::RunAccount>, String), AppError> {
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
    Ok((print_run::accounts(&app.db, building_ids).await?, period))
}

/// Takes the lease of the one running print run, or says who has it.
async fn lease(app: &App, total: usize, actor: &Actor) -> Result<i64, AppError> {
    print_run::start_job(&app.db, total as i64, actor.user_id)
        .await?
        .ok_or_else(|| {
            AppError::Invalid(ValidationErrors::single(
                "job",
                "Печать квитанций уже идёт: дождитесь её конца, затем запустите снова.",
            ))
        })
}

/// Starts the run for `period` (`2026-11`) over `building_ids`; returns the job's id.
pub async fn start(
    app: &App,
    building_ids: &[i64],
    period: &str,
    actor: &Actor,
) -> Result<i64, AppError> {
    let (accounts, period) = plan(app, building_ids, period).await?;
    let job = lease(app, accounts.len(), actor).await?;
    let (runner, actor) = (app.clone(), actor.clone());
    app.jobs.spawn_started(job, move |p| async move {
        run(&runner, job, &accounts, &period, &actor, &p).await
    });
    Ok(job)
}

/// The run here and now (the command line and the benchmark): the job's id and report.
pub async fn run_here(
    app: &App,
    building_ids: &[i64],
    period: &str,
    actor: &Actor,
    on_progress: impl Fn(usize) + Send + Sync + 'static,
) -> Result<(i64, PrintRun), AppError> {
    let (accounts, period) = plan(app, building_ids, period).await?;
    let job = lease(app, accounts.len(), actor).await?;
    let report = app
        .jobs
        .run_started(job, |p| async move {
            let watch = tokio::spawn({
                let p = p.clone();
                async move {
                    loop {
                        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
                        on_progress(p.get());
                    }
                }
            });
            let out = run(app, job, &accounts, &period, actor, &p).await;
            watch.abort();
            out
        })
        .await?;
    Ok((job, report))
}

/// What every document of the run shares.
struct Common {
    today: NaiveDate,
    org: Arc<Organization>,
    template: Option<(Arc<str>, i64)>,
    threads: usize,
}

/// The run itself: batch after batch, in print order.
async fn run(
    app: &App,
    job: i64,
    accounts: &[print_run::RunAccount],
    period: &str,
    actor: &Actor,
    p: &Progress,
) -> Result<PrintRun, String> {
    let fail = |e: AppError| e.to_string();
    let common = Common {
        today: app.today().await.map_err(fail)?,
        org: Arc::new(organization(&app.db).await.map_err(fail)?),
        template: template_of(&app.db, DocKind::PaymentDocument)
            .await
            .map_err(fail)?
            .map(|(s, v)| (Arc::from(s), v)),
        threads: std::thread::available_parallelism().map_or(2, |n| n.get()),
    };
    let mut out = PrintRun {
        period: period.to_string(),
        document_ids: Vec::with_capacity(accounts.len()),
        skipped: Vec::new(),
        phases: Phases::default(),
    };
    let ms = |t: std::time::Instant| t.elapsed().as_millis() as u64;
    for (part, chunk) in accounts.chunks(BATCH).enumerate() {
        let t = std::time::Instant::now();
        let mut ready = gather(app, chunk, period, &common, &mut out.skipped).await?;
        out.phases.gather_ms += ms(t);
        // A document the engine refuses is left out and the batch tried again without it.
        while !ready.is_empty() {
            let t = std::time::Instant::now();
            let typeset = std::sync::atomic::AtomicU64::new(0);
            let issued = issue_batch(app, job, part as i64, &ready, &common, actor, &typeset).await;
            let typeset = typeset.into_inner();
            out.phases.typeset_ms += typeset;
            out.phases.store_ms += ms(t).saturating_sub(typeset);
            match issued {
                Ok(ids) => {
                    out.document_ids.extend(ids);
                    break;
                }
                Err(Refused::Document(i, message)) => {
                    let (number, _) = ready.remove(i);
                    out.skipped.push(format!("{number}: {message}"));
                }
                Err(Refused::Run(message)) => return Err(message),
            }
        }
        p.set((part * BATCH + chunk.len()).min(accounts.len()));
    }
    Ok(out)
}

/// The batch's documents ready to number: (account number, prepared data), in print order;
/// those that cannot be issued go to `skipped` with the reason.
async fn gather(
    app: &App,
    chunk: &[print_run::RunAccount],
    period: &str,
    common: &Common,
    skipped: &mut Vec<String>,
) -> Result<Vec<(String, Prepared)>, String> {
    let mut ready = Vec::with_capacity(chunk.len());
    for group in chunk.chunks(READ_AHEAD) {
        let reads = group.iter().map(|a| {
            let r = IssueRequest {
                kind: DocKind::PaymentDocument.code().into(),
                account_id: Some(a.account_id),
                period: Some(period.to_string()),
                ..Default::default()
            };
            let db = app.db.clone();
            let today = common.today;
            tokio::spawn(async move { prepare(&db, &r, today).await })
        });
        let mut handles = Vec::with_capacity(group.len());
        handles.extend(reads);
        for (a, h) in group.iter().zip(handles) {
            let prepared = h.await.map_err(|e| e.to_string())?;
            let checked = prepared.and_then(|p| {
                let req = request(&p, common, "");
                engine()
                    .validate(&req)
                    .map_err(|e| AppError::from(render_error(e, DocKind::PaymentDocument)))?;
                Ok(p)
            });
            match checked {
                Ok(p) => ready.push((a.number.clone(), p)),
                Err(AppError::Invalid(v)) => skipped.push(format!(
                    "{}: {}",
                    a.number,
                    v.0.first().map(|f| f.message.as_str()).unwrap_or_default()
                )),
                Err(e) => return Err(e.to_string()),
            }
        }
    }
    Ok(ready)
}

fn request<'a>(p: &Prepared, common: &'a Common, number: &str) -> RenderRequest<'a> {
    RenderRequest {
        kind: p.kind,
        template_override: common.template.as_ref().map(|(s, _)| &**s),
        org: &common.org,
        data: p.data.clone(),
        reg_number: number.to_string(),
        issued_on: common.today,
    }
}

/// Why a batch was not issued.
enum Refused {
    /// The `i`-th document cannot be typeset: leave it out.
    Document(usize, String),
    /// Nothing can go on (a broken template, the database).
    Run(String),
}

async fn issue_batch(
    app: &App,
    job: i64,
    part: i64,
    ready: &[(String, Prepared)],
    common: &Common,
    actor: &Actor,
    typeset_ms: &std::sync::atomic::AtomicU64,
) -> Result<Vec<i64>, Refused> {
    let org = serde_json::to_value(&*common.org).unwrap_or_default();
    let news: Vec<NewDocument> = ready
        .iter()
        .map(|(_, p)| NewDocument {
            kind: p.kind.code(),
            title: p.title.clone(),
            numbering: Numbering::Scope(scope_of(p.kind.code())),
            issued_on: common.today,
            account_id: p.account_id,
            person_id: p.person_id,
            appeal_id: None,
            corrects_id: None,
            data: p.data.clone(),
            org: org.clone(),
            template_version_id: common.template.as_ref().map(|(_, v)| *v),
            search_words: p.search_words.clone(),
        })
        .collect();
    let data: Vec<serde_json::Value> = ready.iter().map(|(_, p)| p.data.clone()).collect();
    let (org, template, today, threads) = (
        common.org.clone(),
        common.template.as_ref().map(|(s, _)| s.clone()),
        common.today,
        common.threads,
    );
    let failed = std::sync::Mutex::new(None);
    let render = |numbers: Vec<String>| async {
        let t = std::time::Instant::now();
        let typeset = tokio::task::spawn_blocking(move || {
            let reqs: Vec<RenderRequest> = data
                .into_iter()
                .zip(numbers)
                .map(|(data, reg_number)| RenderRequest {
                    kind: DocKind::PaymentDocument,
                    template_override: template.as_deref(),
                    org: &org,
                    data,
                    reg_number,
                    issued_on: today,
                })
                .collect();
            engine().render_part(&reqs, threads)
        })
        .await
        .map_err(|e| StoreError::Other(e.to_string()))?;
        typeset_ms.fetch_add(
            t.elapsed().as_millis() as u64,
            std::sync::atomic::Ordering::Relaxed,
        );
        match typeset {
            Ok(b) => Ok((b.pdfs, b.part)),
            Err((i, RenderError::Data(v))) => {
                let message = v.0.first().map(|f| f.message.clone()).unwrap_or_default();
                if let Ok(mut f) = failed.lock() {
                    *f = Some((i, message));
                }
                Err(StoreError::Invalid(v))
            }
            Err((_, e)) => Err(render_error(e, DocKind::PaymentDocument)),
        }
    };
    let outcome = print_run::issue_batch(&app.db, job, part, &news, actor, render).await;
    match (outcome, failed.into_inner().ok().flatten()) {
        (Ok(ids), _) => Ok(ids),
        (Err(_), Some((i, message))) => Err(Refused::Document(i, message)),
        (Err(e), _) => Err(Refused::Run(AppError::from(e).to_string())),
    }
}
