//! «Печать квитанций»: choose the buildings (by address) and the month, start the print run,
//! follow its progress (htmx polls the job), then download the one PDF for printing and the
//! ZIP of the accounts' own files.

use abonent_app::documents::print_run;
use abonent_storage::jobs::Job;
use abonent_storage::registry::building;
use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{Html, IntoResponse};
use axum::Extension;

use super::super::{html, invalid, layout, to, PageResult};
use crate::auth::Principal;
use crate::extract::Path;
use crate::forms::{FormView, Pairs};
use crate::views::{self, Layout};
use crate::{AppError, AppState};
use abonent_domain::ledger::Period;

/// A building of the picker.
pub struct Choice {
    pub id: i64,
    pub address: String,
    pub chosen: bool,
}

#[derive(Template)]
#[template(path = "documents/print_run.html")]
struct FormPage {
    l: Layout,
    f: FormView,
    buildings: Vec<Choice>,
}

#[derive(Template)]
#[template(path = "documents/print_run_job.html")]
struct JobPage {
    l: Layout,
    j: Job,
    skipped: Vec<String>,
}

#[derive(Template)]
#[template(path = "documents/print_run_status.html")]
struct JobStatus {
    j: Job,
    skipped: Vec<String>,
}

/// «700002: …» — the accounts a finished run left out.
fn skipped(j: &Job) -> Vec<String> {
    j.result
        .as_ref()
        .and_then(|r| r["skipped"].as_array())
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

async fn form_page(
    s: &AppState,
    p: &Principal,
    f: FormView,
    chosen: &[i64],
) -> Result<FormPage, crate::PageError> {
    let buildings = building::addresses(&s.db)
        .await?
        .into_iter()
        .map(|(id, address)| Choice {
            id,
            address,
            chosen: chosen.contains(&id),
        })
        .collect();
    Ok(FormPage {
        l: layout(s, p, "Печать квитанций", "print_runs").await?,
        f,
        buildings,
    })
}

pub async fn form(State(s): State<AppState>, Extension(p): Extension<Principal>) -> PageResult {
    let month = Period::of(s.today().await?).plus(-1);
    let f = FormView::with([("period", Some(month.to_string()))]);
    html(&form_page(&s, &p, f, &[]).await?)
}

pub async fn start(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    body: Bytes,
) -> PageResult {
    let pairs = Pairs::parse(&body)?;
    let ids = pairs.ids("building_id")?;
    let period = pairs.get("period").unwrap_or_default();
    match print_run::start(&s, &ids, &period, &p.actor()).await {
        Ok(job) => to(format!("/documents/print-runs/{job}")),
        Err(AppError::Invalid(e)) => {
            let f = FormView::with([("period", Some(period))]).errors(e);
            invalid(&form_page(&s, &p, f, &ids).await?)
        }
        Err(e) => Err(e.into()),
    }
}

/// The run's progress: the whole page, or (htmx polling) the status block alone.
pub async fn job(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> PageResult {
    let j = print_run::job(&s, id).await?;
    let skipped = skipped(&j);
    if headers.contains_key("hx-request") {
        return Ok(Html(views::render(&JobStatus { j, skipped })).into_response());
    }
    let l = layout(&s, &p, "Печать квитанций", "print_runs").await?;
    Ok(Html(views::render(&JobPage { l, j, skipped })).into_response())
}

pub async fn pdf(State(s): State<AppState>, Path(id): Path<i64>) -> PageResult {
    let chunks = print_run::pdf(&s, id).await?;
    Ok(crate::http::stream_download(
        chunks,
        "application/pdf",
        &format!("Квитанции для печати {id}.pdf"),
    ))
}

pub async fn zip(State(s): State<AppState>, Path(id): Path<i64>) -> PageResult {
    let chunks = print_run::accounts_zip(&s, id).await?;
    Ok(crate::http::stream_download(
        chunks,
        "application/zip",
        &format!("Квитанции по счетам {id}.zip"),
    ))
}
