//! `/api/v1` for debtor work: the case of an account and its stage moves (one or many),
//! bulk debt notices and their delivery log, installment plans, the debt rules and norm
//! fees as versioned reference data.

use crate::extract::Path;
use abonent_domain::debtor::DebtRules;
use abonent_storage::ledger::debt_cases as dc;
use abonent_storage::ledger::reference;
use axum::body::Bytes;
use axum::extract::State;
use axum::response::Response;
use axum::{Extension, Json};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::types::{
    DebtCase, DeliveryForm, IssuedNotice, MoveRequest, NormFees, Notice, Plan, PlanForm, Version,
};
use crate::api::types::list as rows;
use crate::api::{body, created, ApiResult};
use crate::auth::Principal;
use abonent_app::debtors;

use crate::{ApiError, AppError, AppState};

/// The debtor work of an account: stage and its date, next allowed steps, the latest notice
/// and the date limitation may start, the threshold per service, the plan, every move.
#[utoipa::path(get, path = "/api/v1/debt-cases/{id}", summary = "Работа с должником по счёту", tag = "Должники", params(("id" = i64, Path, description = "Код лицевого счёта")), responses((status = 200, body = DebtCase), (status = 404)))]
pub async fn show(State(s): State<AppState>, Path(id): Path<i64>) -> ApiResult<DebtCase> {
    Ok(Json(dc::case(&s.db, id, s.today().await?).await?.into()))
}

/// Move the case to another stage; refused with the field and the rule when the law does
/// not allow it (order of stages, 20 days from delivery, heating and cold water, threshold,
/// a kept installment plan).
#[utoipa::path(post, path = "/api/v1/debt-cases/{id}/moves", summary = "Перевести дело на этап", tag = "Должники", params(("id" = i64, Path)), request_body = MoveRequest,
    responses((status = 200, body = DebtCase), (status = 422)))]
pub async fn move_one(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    b: Bytes,
) -> ApiResult<DebtCase> {
    let r: MoveRequest = body(&b)?;
    Ok(Json(
        debtors::move_stage(&s, id, &r.into(), &p.actor())
            .await?
            .into(),
    ))
}

/// Record what the court decided on the account's current case: the court's case number,
/// the decision date, the sums awarded (debt, penalties, state duty), the writ and its
/// submission to the bailiffs (ФССП). Every field as given replaces the stored one.
#[utoipa::path(put, path = "/api/v1/debt-cases/{id}/court", summary = "Решение суда и исполнительный лист по делу", tag = "Должники", params(("id" = i64, Path)), request_body = abonent_domain::debtor::CourtRecordForm,
    responses((status = 200, body = DebtCase), (status = 422)))]
pub async fn court(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    b: Bytes,
) -> ApiResult<DebtCase> {
    let f: abonent_domain::debtor::CourtRecordForm = body(&b)?;
    Ok(Json(
        debtors::save_court_record(&s, id, &f, &p.actor())
            .await?
            .into(),
    ))
}

/// Record a sum collected under the decision of the account's current case.
#[utoipa::path(post, path = "/api/v1/debt-cases/{id}/collections", summary = "Взысканная сумма по делу", tag = "Должники", params(("id" = i64, Path)), request_body = abonent_domain::debtor::CollectionForm,
    responses((status = 200, body = DebtCase), (status = 422)))]
pub async fn collection(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    b: Bytes,
) -> ApiResult<DebtCase> {
    let f: abonent_domain::debtor::CollectionForm = body(&b)?;
    Ok(Json(
        debtors::record_collection(&s, id, &f, &p.actor())
            .await?
            .into(),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct BulkMove {
    pub account_ids: Vec<i64>,
    #[serde(flatten)]
    pub to: MoveRequest,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Moved {
    pub moved: usize,
}

/// Move many cases to one stage, all or none; each refusal names its account.
#[utoipa::path(post, path = "/api/v1/debt-moves", summary = "Перевести дела на этап (все или ни одного)", tag = "Должники", request_body = BulkMove,
    responses((status = 200, body = Moved), (status = 422)))]
pub async fn move_many(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    b: Bytes,
) -> ApiResult<Moved> {
    let r: BulkMove = body(&b)?;
    let moved = debtors::move_many(&s, &r.account_ids, &r.to.into(), &p.actor()).await?;
    Ok(Json(Moved { moved }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NoticeRequest {
    pub account_ids: Vec<i64>,
}

/// Issue a debt notice (PDF) to each account, and e-mail/SMS where the debtor consented;
/// all or none.
#[utoipa::path(post, path = "/api/v1/debt-notices", summary = "Выпустить уведомления о задолженности", tag = "Должники", request_body = NoticeRequest,
    responses((status = 201, body = [IssuedNotice]), (status = 422)))]
pub async fn notices(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    b: Bytes,
) -> Result<Response, ApiError> {
    let r: NoticeRequest = body(&b)?;
    let out = debtors::issue_notices(&s, &r.account_ids, &p.actor()).await?;
    Ok(created(rows::<_, IssuedNotice>(out)))
}

/// A notice with its delivery log and the date limitation may start.
#[utoipa::path(get, path = "/api/v1/debt-notices/{id}", summary = "Уведомление о задолженности", tag = "Должники", params(("id" = i64, Path)), responses((status = 200, body = Notice), (status = 404)))]
pub async fn notice(State(s): State<AppState>, Path(id): Path<i64>) -> ApiResult<Notice> {
    Ok(Json(dc::notice(&s.db, id).await?.into()))
}

/// Record a delivery (post, hand, e-mail, SMS) and its date: the first starts the 20 days.
#[utoipa::path(post, path = "/api/v1/debt-notices/{id}/deliveries", summary = "Записать вручение уведомления", tag = "Должники", params(("id" = i64, Path)), request_body = DeliveryForm,
    responses((status = 201, body = Notice), (status = 422)))]
pub async fn delivery(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    b: Bytes,
) -> Result<Response, ApiError> {
    let f: DeliveryForm = body(&b)?;
    Ok(created(Notice::from(
        debtors::record_delivery(&s, id, &f.into(), &p.actor()).await?,
    )))
}

/// The account's latest installment plan, tracked against its payments.
#[utoipa::path(get, path = "/api/v1/debt-cases/{id}/plan", summary = "Рассрочка по счёту", tag = "Должники", params(("id" = i64, Path)), responses((status = 200, body = Plan), (status = 404)))]
pub async fn plan(State(s): State<AppState>, Path(id): Path<i64>) -> ApiResult<Plan> {
    dc::plan(&s.db, id, s.today().await?)
        .await?
        .map(|p| Json(p.into()))
        .ok_or_else(|| ApiError(AppError::NotFound("рассрочка по этому счёту".into())))
}

/// Agree an installment plan: the agreement PDF with the schedule; the case pauses while the
/// plan is kept.
#[utoipa::path(post, path = "/api/v1/debt-cases/{id}/plan", summary = "Заключить соглашение о рассрочке", tag = "Должники", params(("id" = i64, Path)), request_body = PlanForm,
    responses((status = 201, body = Plan), (status = 422)))]
pub async fn plan_create(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    b: Bytes,
) -> Result<Response, ApiError> {
    let f: PlanForm = body(&b)?;
    Ok(created(Plan::from(
        debtors::create_plan(&s, id, &f.into(), &p.actor()).await?,
    )))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct BreakRequest {
    pub reason: String,
}

/// Mark the active plan broken, with the reason; the case may move on.
#[utoipa::path(post, path = "/api/v1/debt-cases/{id}/plan/break", summary = "Рассрочка нарушена", tag = "Должники", params(("id" = i64, Path)), request_body = BreakRequest,
    responses((status = 200, body = DebtCase), (status = 422)))]
pub async fn plan_break(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    b: Bytes,
) -> ApiResult<DebtCase> {
    let r: BreakRequest = body(&b)?;
    Ok(Json(
        debtors::break_plan(&s, id, &r.reason, &p.actor())
            .await?
            .into(),
    ))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DebtRulesData {
    /// Notice days, suspension delay, threshold in monthly fees, never-suspended services,
    /// court order limit (kopecks), limitation years, source.
    #[schema(value_type = Object)]
    pub rules: DebtRules,
    /// Monthly fee at the consumption norm per service, kopecks.
    pub norm_fees: NormFees,
    /// Versions of both, newest first.
    pub history: Vec<Version>,
}

/// The numbers of debtor work in force and their history.
#[utoipa::path(get, path = "/api/v1/ledger/debt-rules", summary = "Правила работы с должниками", tag = "Должники", responses((status = 200, body = DebtRulesData)))]
pub async fn rules_get(State(s): State<AppState>) -> ApiResult<DebtRulesData> {
    let mut history = reference::history(&s.db, reference::DEBT_RULES).await?;
    history.extend(reference::history(&s.db, dc::NORM_FEES).await?);
    history.sort_by_key(|v| std::cmp::Reverse(v.id));
    Ok(Json(DebtRulesData {
        rules: reference::debt_rules(&s.db).await?,
        norm_fees: dc::norm_fees(&s.db).await?.into(),
        history: rows(history),
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct DebtRulesUpdate {
    #[schema(value_type = Option<Object>)]
    pub rules: Option<DebtRules>,
    pub norm_fees: Option<NormFees>,
    /// The basis of the change; required.
    pub source: String,
}

/// Store new versions of the debt rules and/or the norm fees, with their source.
#[utoipa::path(put, path = "/api/v1/ledger/debt-rules", summary = "Новые правила работы с должниками", tag = "Должники", request_body = DebtRulesUpdate,
    responses((status = 200, body = DebtRulesData), (status = 422)))]
pub async fn rules_put(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    b: Bytes,
) -> ApiResult<DebtRulesData> {
    let r: DebtRulesUpdate = body(&b)?;
    let fees = r.norm_fees.map(dc::NormFees::from);
    let (rules, fees) = (r.rules.as_ref(), fees.as_ref());
    debtors::save_rules(&s, rules, fees, &r.source, &p.actor()).await?;
    rules_get(State(s)).await
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MailingQuery {
    /// Documents (debt notices), comma-separated: `12,13,14`; printed in this order.
    pub document_ids: String,
    /// `pdf` — all in one PDF for printing; `csv` or `xlsx` — the list of registered letters
    /// for the post office (form 103).
    pub format: String,
}

/// Debt notices for the post: one PDF for printing, or form 103 as CSV/XLSX.
#[utoipa::path(get, path = "/api/v1/debt-notices/mailing", summary = "Уведомления для почты: один PDF или список ф. 103", tag = "Должники", params(MailingQuery),
    responses((status = 200, description = "PDF, CSV или XLSX", content((String = "application/pdf"), (String = "text/csv"), (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))), (status = 422)))]
pub async fn mailing(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    crate::extract::Query(q): crate::extract::Query<MailingQuery>,
) -> Result<Response, ApiError> {
    let f =
        abonent_app::documents::mailing::file(&s, &q.document_ids, &q.format, &p.actor()).await?;
    Ok(crate::http::file_response(f.mime, &f.file_name, f.bytes))
}
