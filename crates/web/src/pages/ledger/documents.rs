//! Documents from the account's «Расчёты» page: «Расчёт пени» as PDF, resident documents
//! (payment document, certificate of no debt, ledger statement) and the court packet. A
//! refusal shows the ledger page again with the reason on top.

use std::collections::BTreeMap;

use crate::extract::{Path, Query};
use axum::body::Bytes;
use axum::extract::State;
use axum::Extension;

use super::account_page;
use crate::auth::Principal;
use crate::forms::FormView;
use crate::pages::{invalid, to, PageResult};
use crate::{AppError, AppState};
use abonent_app::documents::issue::ledger::{self, LedgerDocumentRequest};

pub async fn penalty_pdf(
    State(s): State<AppState>,
    Path(id): Path<i64>,
    Query(q): Query<BTreeMap<String, String>>,
) -> PageResult {
    let a = abonent_storage::registry::account::get(&s.db, id).await?;
    let pdf = ledger::penalty_pdf(&s, id, q.get("on").cloned()).await?;
    Ok(crate::http::pdf_download(
        pdf,
        &format!("Расчёт пени {}.pdf", a.data.number),
    ))
}

/// The document's card, or the ledger page again with the refusal.
async fn done(
    s: &AppState,
    p: &Principal,
    id: i64,
    f: FormView,
    r: Result<i64, AppError>,
) -> PageResult {
    match r {
        Ok(doc) => to(format!("/documents/{doc}?saved=issued")),
        Err(AppError::Invalid(e)) => invalid(&account_page(s, p, id, f.errors(e), "").await?),
        Err(e) => Err(e.into()),
    }
}

pub async fn ledger_document(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    body: Bytes,
) -> PageResult {
    let f = FormView::from_body(&body);
    let q = LedgerDocumentRequest {
        kind: f.v("kind").to_string(),
        period_from: f.opt("period_from"),
        period_to: f.opt("period_to"),
        purpose: f.opt("purpose"),
        person_id: None,
    };
    let r = ledger::issue_ledger_document(&s, id, &q, &p.actor()).await;
    done(&s, &p, id, f, r.map(|d| d.id)).await
}

pub async fn court_packet(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    body: Bytes,
) -> PageResult {
    let f = FormView::from_body(&body);
    match ledger::issue_court_packet(&s, id, &p.actor()).await {
        // Several applications (one per owner): the archive lists them all.
        Ok(c) if c.applications.len() > 1 => to(format!("/documents?account_id={id}")),
        r => done(&s, &p, id, f, r.map(|c| c.document.id)).await,
    }
}

/// The building's own court (building card, administrator).
pub async fn building_court(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    body: Bytes,
) -> PageResult {
    let f = FormView::from_body(&body);
    ledger::save_building_court(&s, id, f.v("court_name"), f.v("court_address"), &p.actor())
        .await?;
    to(format!("/buildings/{id}#court"))
}
