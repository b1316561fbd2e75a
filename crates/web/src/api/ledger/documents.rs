//! `/api/v1` documents from an account's ledger: «Расчёт пени» as PDF, resident documents
//! (payment document with the amount due, certificate of no debt, ledger statement) and the
//! court packet. Refusals are problem+json naming the field.

use crate::extract::{Path, Query};
use axum::body::Bytes;
use axum::extract::State;
use axum::response::Response;
use axum::Extension;

use super::types;
use super::types::CourtPacket;
use super::OnParams;
use crate::api::documents::types::Document;
use crate::api::{body, created};
use crate::auth::Principal;
use crate::{ApiError, AppState};
use abonent_app::documents::issue::ledger::{self, LedgerDocumentRequest};

/// «Расчёт пени» on a date as a PDF (`application/pdf`): the same rows and total as
/// `GET /api/v1/accounts/{id}/penalty`; not numbered or stored.
#[utoipa::path(get, path = "/api/v1/accounts/{id}/penalty.pdf", summary = "Расчёт пени в PDF", tag = "Расчёты", params(("id" = i64, Path), OnParams),
    responses((status = 200, content_type = "application/pdf", description = "PDF"), (status = 404), (status = 422)))]
pub async fn penalty_pdf(
    State(s): State<AppState>,
    Path(id): Path<i64>,
    Query(q): Query<OnParams>,
) -> Result<Response, ApiError> {
    let a = abonent_storage::registry::account::get(&s.db, id).await?;
    let pdf = ledger::penalty_pdf(&s, id, q.on).await?;
    Ok(crate::http::pdf_download(
        pdf,
        &format!("Расчёт пени {}.pdf", a.data.number),
    ))
}

/// A resident document from the ledger: `payment_document` (QR code, the amount due on
/// today from the ledger), `no_debt_certificate` (refused with the debt and its periods when
/// there is a debt), `ledger_statement` (charges, payments, penalties by period with
/// balances, `period_from`–`period_to`). Numbered and stored like any document.
#[utoipa::path(post, path = "/api/v1/accounts/{id}/ledger-documents", summary = "Документ по расчётам счёта", tag = "Расчёты", params(("id" = i64, Path)),
    request_body = types::LedgerDocumentRequest,
    responses((status = 201, body = Document), (status = 422, description = "Отказ с причиной: долг, нет суммы к оплате, неверный период")))]
pub async fn ledger_document(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    b: Bytes,
) -> Result<Response, ApiError> {
    let q: LedgerDocumentRequest = body::<types::LedgerDocumentRequest>(&b)?.into();
    let d = ledger::issue_ledger_document(&s, id, &q, &p.actor()).await?;
    Ok(created(Document::from(d)))
}

/// The court packet: one application per debtor the law names — each owner for their share
/// of the debt and penalties (ГК ст. 249), one joint application for a social tenant with
/// the capable family members (ЖК ст. 69 ч. 2) or owners in joint property, a minor owner's
/// part from the representatives — all issued together or none (`applications`). Each is
/// one PDF: the application for a court order (ГПК ст. 124:
/// court, claimant, debtor, claim, basis, amount, appendices), the debt calculation by period,
/// the penalty calculation, the ledger statement, the state duty from the `court_duty`
/// reference with its formula, and a note listing the time-barred charges left out.
/// Refused (422) when the court's name or address is not set (`court.name`,
/// `court.address`), there is no owner, shares are incomplete or a minor owner has no
/// representative (`debtor`), no debt (`debt`) or a claim exceeds the court order limit
/// (`claim`, `claim[i]` per application).
#[utoipa::path(post, path = "/api/v1/accounts/{id}/court-packet", summary = "Пакет документов в суд", tag = "Расчёты", params(("id" = i64, Path)),
    responses((status = 201, body = CourtPacket), (status = 403), (status = 422, description = "Отказ: поле и причина")))]
pub async fn court_packet(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    let packet = ledger::issue_court_packet(&s, id, &p.actor()).await?;
    Ok(created(CourtPacket::from(packet)))
}
