//! Documents in the API: issue, find, read, download the stored PDF; document templates:
//! read, upload (checked first), preview, revert.

pub mod print_run;
pub mod types;

use crate::extract::{Path, Query};
use abonent_app::documents::templates::{self as doc_templates, SaveRefused};
use abonent_documents::{DocKind, RenderError};
use abonent_storage::correspondence::Period;
use abonent_storage::documents::{self, templates, DocumentFilter};
use abonent_storage::registry::PageReq;
use axum::body::Bytes;
use axum::extract::State;
use axum::response::Response;
use axum::{Extension, Json};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use self::types::{DocRef, Document, Override, Version};
use super::types::{list as rows, Page};
use super::{body, created, ApiResult};
use crate::auth::Principal;
use crate::{ApiError, AppError, AppState};
use abonent_app::documents::issue;
use abonent_app::documents::issue::resident;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DocumentParams {
    /// Words of the number, title, account number or names: `С-12/26`, `1001`.
    pub q: Option<String>,
    /// Kind code.
    pub kind: Option<String>,
    pub account_id: Option<i64>,
    pub person_id: Option<i64>,
    /// Documents of an appeal: the complaint act, reply letters.
    pub appeal_id: Option<i64>,
    /// Issued on or after, `2026-11-01`.
    pub from: Option<String>,
    /// Issued on or before, `2026-11-30`.
    pub to: Option<String>,
}

fn date(field: &str, v: &Option<String>) -> Result<Option<chrono::NaiveDate>, ApiError> {
    match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => abonent_domain::registry::parse_date(s)
            .map(Some)
            .ok_or_else(|| {
                ApiError(AppError::Invalid(abonent_domain::ValidationErrors::single(
                    field,
                    format!("«{s}» не дата: укажите 2026-11-27."),
                )))
            }),
    }
}

/// Issued documents, newest first.
#[utoipa::path(get, path = "/api/v1/documents", summary = "Выпущенные документы", tag = "Документы", params(super::ListParams, DocumentParams), responses((status = 200, body = Page<Document>)))]
pub async fn list(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Query(page): Query<super::ListParams>,
    Query(q): Query<DocumentParams>,
) -> ApiResult<Page<Document>> {
    let f = DocumentFilter {
        q: q.q.clone(),
        kind: q.kind.clone(),
        account_id: q.account_id,
        person_id: q.person_id,
        appeal_id: q.appeal_id,
        period: Period {
            from: date("from", &q.from)?,
            to: date("to", &q.to)?,
        },
    };
    let list = documents::list(&s.db, &f, PageReq::new(page.page, page.per_page)).await?;
    // Each document's data names whom it is for: one view of the people of the page.
    let shown: Vec<i64> = list.items.iter().filter_map(|d| d.person_id).collect();
    abonent_app::privacy::record_views(&s, &p.actor(), &shown, "GET /api/v1/documents").await?;
    Ok(Json(list.into()))
}

/// Issue a document: справка о регистрации and выписка are filled from the registry, the
/// payment document from the ledger (the month `period`, by default the last charged: its
/// services, the debt of other periods, penalties, the total) or, with `amount`, for that
/// amount; the letter from its fields (it is also
/// registered as outgoing: its number is the outgoing number). Bad input or missing
/// organization details: 422, nothing issued, no number consumed.
#[utoipa::path(post, path = "/api/v1/documents", summary = "Выпустить документ", tag = "Документы", request_body = types::IssueRequest,
    responses((status = 201, body = Document), (status = 422, description = "Ошибки в данных, реквизитах организации или шаблоне; документ не выпущен")))]
pub async fn create(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    b: Bytes,
) -> Result<Response, ApiError> {
    let r: issue::IssueRequest = body::<types::IssueRequest>(&b)?.into();
    abonent_app::documents::issue::ledger::check_access(p.role, &r.kind)?;
    let d = issue::issue(&s, &r, &p.actor()).await?;
    // The answer carries the document with the person it is for (152-ФЗ).
    let shown: Vec<i64> = d.person_id.into_iter().collect();
    abonent_app::privacy::record_views(&s, &p.actor(), &shown, "POST /api/v1/documents").await?;
    Ok(created(Document::from(d)))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentCard {
    #[serde(flatten)]
    pub document: Document,
    /// Documents issued to correct this one.
    pub corrected_by: Vec<DocRef>,
}

#[utoipa::path(get, path = "/api/v1/documents/{id}", summary = "Документ", tag = "Документы", params(("id" = i64, Path)), responses((status = 200, body = DocumentCard), (status = 404)))]
pub async fn show(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> ApiResult<DocumentCard> {
    let d = documents::get(&s.db, id).await?;
    let shown: Vec<i64> = d.person_id.into_iter().collect();
    abonent_app::privacy::record_views(&s, &p.actor(), &shown, "GET /api/v1/documents/{id}")
        .await?;
    Ok(Json(DocumentCard {
        document: d.into(),
        corrected_by: rows(documents::corrections(&s.db, id).await?),
    }))
}

/// The PDF exactly as issued (`application/pdf`).
#[utoipa::path(get, path = "/api/v1/documents/{id}/pdf", summary = "PDF документа", tag = "Документы", params(("id" = i64, Path)), responses((status = 200, content_type = "application/pdf", description = "PDF"), (status = 404)))]
pub async fn pdf(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    let (_, bytes) = documents::pdf(&s.db, id).await?;
    let shown: Vec<i64> = documents::person_of(&s.db, id).await?.into_iter().collect();
    let via = "GET /api/v1/documents/{id}/pdf";
    abonent_app::privacy::record_views(&s, &p.actor(), &shown, via).await?;
    Ok(crate::http::pdf_response(id, bytes))
}

/// A resident hands back a printed blank (`resident_application`): it is registered in one
/// step as an appeal of the form's kind (`as: appeal`) or an incoming letter from the
/// applicant (`as: incoming`) on the same account. A blank registered before: 422 with the
/// number it got.
#[utoipa::path(post, path = "/api/v1/documents/{id}/hand-in", summary = "Зарегистрировать поданное заявление", tag = "Документы", params(("id" = i64, Path)), request_body = types::HandInRequest,
    responses((status = 201, body = types::HandedIn), (status = 404), (status = 422, description = "Не бланк заявления, уже зарегистрировано или ошибки в данных")))]
pub async fn hand_in(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    b: Bytes,
) -> Result<Response, ApiError> {
    let r: resident::HandInRequest = body::<types::HandInRequest>(&b)?.into();
    let h = resident::hand_in(&s, id, &r, &p.actor()).await?;
    Ok(created(types::HandedIn::from(h)))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TemplateInfo {
    /// Kind code.
    pub kind: String,
    pub title: String,
    pub file_name: String,
    /// The source in force (the override, else the shipped one).
    pub source: String,
    /// The override in force; null = the shipped template.
    pub current: Option<Override>,
    pub shipped_source: String,
    /// Upload and revert log, newest first.
    pub versions: Vec<Version>,
}

/// The `{kind}` of a template's address.
#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code)]
pub struct KindParam {
    /// Kind code: `registration_certificate`, `account_statement`, `payment_document`,
    /// `letter`, `complaint_act`, `debt_notice`, `installment_agreement`,
    /// `penalty_calculation`, `court_order_application`, `no_debt_certificate`,
    /// `ledger_statement`; another answers 404.
    pub kind: String,
}

fn kind_of(code: &str) -> Result<DocKind, ApiError> {
    DocKind::from_code(code).ok_or_else(|| ApiError(AppError::NotFound(format!("шаблон «{code}»"))))
}

async fn info(s: &AppState, kind: DocKind) -> Result<TemplateInfo, ApiError> {
    let current = templates::current(&s.db, kind.code()).await?;
    Ok(TemplateInfo {
        kind: kind.code().into(),
        title: kind.title().into(),
        file_name: kind.template_file().into(),
        source: current
            .as_ref()
            .map_or(kind.template().source, |o| o.source.as_str())
            .to_string(),
        current: current.map(Override::from),
        shipped_source: kind.template().source.into(),
        versions: rows(templates::versions(&s.db, kind.code()).await?),
    })
}

/// Every document template and whether it is overridden.
#[utoipa::path(get, path = "/api/v1/document-templates", summary = "Шаблоны документов", tag = "Документы", responses((status = 200, body = [TemplateInfo])))]
pub async fn list_templates(State(s): State<AppState>) -> ApiResult<Vec<TemplateInfo>> {
    let mut out = Vec::new();
    for kind in DocKind::ALL {
        out.push(info(&s, kind).await?);
    }
    Ok(Json(out))
}

#[utoipa::path(get, path = "/api/v1/document-templates/{kind}", summary = "Шаблон документа", tag = "Документы", params(KindParam), responses((status = 200, body = TemplateInfo), (status = 404)))]
pub async fn show_template(
    State(s): State<AppState>,
    Path(kind): Path<String>,
) -> ApiResult<TemplateInfo> {
    Ok(Json(info(&s, kind_of(&kind)?).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct TemplateUpload {
    /// The typst source.
    pub source: String,
    /// What was changed (kept in the log).
    pub note: Option<String>,
}

/// A template error as field `source` with its line and column.
fn template_problem(e: RenderError) -> ApiError {
    ApiError(AppError::Invalid(abonent_domain::ValidationErrors::single(
        "source",
        e.to_string(),
    )))
}

/// Upload a changed template. It is typeset on sample data first; a template with an error
/// is refused (422, message with the line) and nothing changes.
#[utoipa::path(put, path = "/api/v1/document-templates/{kind}", summary = "Загрузить шаблон документа", tag = "Документы", params(KindParam), request_body = TemplateUpload,
    responses((status = 200, body = TemplateInfo), (status = 422, description = "Ошибка в шаблоне: строка и позиция")))]
pub async fn upload_template(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(kind): Path<String>,
    b: Bytes,
) -> ApiResult<TemplateInfo> {
    let kind = kind_of(&kind)?;
    let u: TemplateUpload = body(&b)?;
    doc_templates::save(&s, kind, &u.source, u.note.as_deref(), &p.actor())
        .await
        .map_err(|e| match e {
            SaveRefused::Template(e) => template_problem(e),
            SaveRefused::App(e) => e.into(),
        })?;
    Ok(Json(info(&s, kind).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct TemplatePreview {
    /// The source to try; the template in force when absent.
    pub source: Option<String>,
    /// Real data of this account; sample data when absent.
    pub account_id: Option<i64>,
}

/// Render a template on real (or sample) data without issuing anything.
#[utoipa::path(post, path = "/api/v1/document-templates/{kind}/preview", summary = "Предпросмотр шаблона", tag = "Документы", params(KindParam), request_body = TemplatePreview,
    responses((status = 200, content_type = "application/pdf", description = "PDF"), (status = 422, description = "Ошибка в шаблоне или данных")))]
pub async fn preview_template(
    State(s): State<AppState>,
    Path(kind): Path<String>,
    b: Bytes,
) -> Result<Response, ApiError> {
    let kind = kind_of(&kind)?;
    let r: TemplatePreview = body(&b)?;
    let source = match r.source {
        Some(src) => src,
        None => info(&s, kind).await?.source,
    };
    let pdf = issue::preview(&s, kind, &source, r.account_id).await?;
    Ok(crate::http::pdf_response(0, pdf))
}

/// Back to the shipped template (recorded in the log).
#[utoipa::path(post, path = "/api/v1/document-templates/{kind}/revert", summary = "Вернуть поставляемый шаблон", tag = "Документы", params(KindParam), responses((status = 200, body = TemplateInfo)))]
pub async fn revert_template(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(kind): Path<String>,
) -> ApiResult<TemplateInfo> {
    let kind = kind_of(&kind)?;
    doc_templates::revert(&s, kind, &p.actor()).await?;
    Ok(Json(info(&s, kind).await?))
}
