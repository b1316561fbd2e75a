//! Personal data under 152-ФЗ: the auditor's access log and a person's export of everything
//! held about them (ст. 14).

use std::collections::BTreeMap;

use abonent_app::privacy::{log, subject};
use abonent_storage::pd_access::PersonShown;
use abonent_storage::registry::PageReq;
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use axum::Extension;

use crate::auth::Principal;
use crate::extract::{Path, Query};
use crate::http::{file_response, pdf_download};
use crate::pages::{html, layout, PageResult};
use crate::views::{self, Layout, ListQuery, PagerItem};
use crate::{AppError, AppState, PageError};

/// People named in one row of the page; the rest are counted.
const NAMES_SHOWN: usize = 10;

pub struct Row {
    pub at: String,
    pub actor: String,
    pub via: String,
    pub count: usize,
    pub people: Vec<PersonShown>,
    pub more: usize,
    /// Records named besides people: the title («обращение № …») and the log filtered by it.
    pub records: Vec<(String, String)>,
    pub more_records: usize,
}

#[derive(Template)]
#[template(path = "privacy/log.html")]
struct LogPage {
    l: Layout,
    q: ListQuery,
    actors: Vec<String>,
    rows: Vec<Row>,
    total: i64,
    pager: Vec<PagerItem>,
    xlsx_href: String,
    error: String,
    /// The person picker's message when what was typed named nobody.
    person_error: String,
    /// The kinds of records for the filter: code and title.
    kinds: Vec<(&'static str, &'static str)>,
}

/// The log's person filter: chosen by name, phone or address.
const LOG_PICKS: &[crate::pickers::Field] =
    &[("person", abonent_storage::suggest::PickKind::Person)];

pub async fn log(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Query(mut params): Query<BTreeMap<String, String>>,
) -> PageResult {
    let picked = crate::pickers::resolve_query(&s, &mut params, LOG_PICKS).await?;
    crate::pickers::fill_query_labels(&s, &mut params, LOG_PICKS).await?;
    let person_error = picked.for_field("person").unwrap_or("").to_string();
    let q = ListQuery::new("/admin/pd-access", &params);
    let (query, error) = match log::LogQuery::parse(&params) {
        Ok(query) => (query, String::new()),
        Err(e) => (log::LogQuery::default(), e.to_string()),
    };
    let page = log::page(&s, &query, PageReq::new(q.get("page").parse().ok(), None)).await?;
    let tz = s.zone().await?;
    let pager = views::pager(&q, page.page, page.pages());
    let total = page.total;
    let rows = page
        .items
        .into_iter()
        .map(|e| {
            let count = e.people.len();
            let more_records = e.records.len().saturating_sub(NAMES_SHOWN);
            let records = e
                .records
                .iter()
                .take(NAMES_SHOWN)
                .map(|r| {
                    (
                        abonent_app::privacy::record_title(r),
                        format!(
                            "/admin/pd-access?record_kind={}&record_id={}",
                            r.kind.code(),
                            r.id
                        ),
                    )
                })
                .collect();
            Row {
                records,
                more_records,
                at: views::local_time(&e.at, tz),
                actor: e.actor_name,
                via: via_words(&e.via),
                count,
                people: e.people.into_iter().take(NAMES_SHOWN).collect(),
                more: count.saturating_sub(NAMES_SHOWN),
            }
        })
        .collect();
    let mut xlsx = ListQuery::new("/admin/pd-access.xlsx", &params);
    xlsx.params.remove("page");
    html(&LogPage {
        l: layout(&s, &p, "Журнал доступа к ПДн", "pd_access").await?,
        xlsx_href: xlsx.href_with("format", "xlsx"),
        actors: log::actors(&s).await?,
        total,
        q,
        rows,
        pager,
        error,
        person_error,
        kinds: vec![
            ("appeal", "обращение"),
            ("incoming_letter", "входящее письмо"),
            ("outgoing_letter", "исходящее письмо"),
            ("message", "сообщение жителю"),
        ],
    })
}

/// The log with the page's filters as an XLSX workbook.
pub async fn log_xlsx(
    State(s): State<AppState>,
    Query(params): Query<BTreeMap<String, String>>,
) -> Result<Response, PageError> {
    let query = log::LogQuery::parse(&params).map_err(AppError::Invalid)?;
    let bytes = log::workbook(&s, &query).await?;
    Ok(file_response(
        crate::xlsx::XLSX_MIME,
        "Журнал доступа к ПДн.xlsx",
        bytes,
    ))
}

/// Everything held about the person, as XLSX (a sheet per section).
pub async fn subject_xlsx(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let name = abonent_storage::registry::person::get(&s.db, id)
        .await?
        .full_name;
    let bytes = subject::workbook(&s, id, &p.actor(), "GET /persons/{id}/export.xlsx").await?;
    Ok(file_response(
        crate::xlsx::XLSX_MIME,
        &subject::file_name(&name, "xlsx"),
        bytes,
    ))
}

/// Everything held about the person, as PDF.
pub async fn subject_pdf(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let name = abonent_storage::registry::person::get(&s.db, id)
        .await?
        .full_name;
    let bytes = subject::pdf(&s, id, &p.actor(), "GET /persons/{id}/export.pdf").await?;
    Ok(pdf_download(bytes, &subject::file_name(&name, "pdf")))
}
/// «GET /accounts/{id}» as people read it: «просмотр /accounts/{id}».
fn via_words(via: &str) -> String {
    match via.split_once(' ') {
        Some(("GET", rest)) => format!("просмотр {rest}"),
        Some(("POST" | "PUT" | "PATCH" | "DELETE", rest)) => format!("изменение {rest}"),
        _ => via.to_string(),
    }
}
