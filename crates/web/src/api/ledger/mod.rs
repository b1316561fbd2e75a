//! `/api/v1` for the ledger: services, an account's ledger and penalty calculation, the
//! turnover sheet, the debtor list, imports of charges and payments, the unmatched queue,
//! cash payments, reversals, register profiles, reference data and the penalty run.

pub mod debtors;
pub mod documents;
pub mod services;
pub mod types;

use std::collections::BTreeMap;

use crate::extract::{Multipart, Path, Query};
use abonent_app::ledger::reference::ReferenceChange as Change;
use abonent_app::ledger::{self as app_ledger, payments::PaymentFormat};
use abonent_app::uploads::{self, UploadFor};
use abonent_domain::ledger::{aging, allocate_with, balance_on, DebtLine, Period, AGING_BUCKETS};
use abonent_domain::penalty::{KeyRateTable, PenaltySettings};
use abonent_domain::ValidationErrors;
use abonent_import::charges::ChargeMapping;
use abonent_storage::ledger::{
    self, debts, entries, payments, penalties, profiles, reference, turnover,
};
use abonent_storage::registry::PageReq;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use self::types::{
    CashPayment, DebtorFilter, DebtorRow, LedgerEntry, LedgerImport, RunRecord, Service,
    StoredProfile, Suggestion, TurnoverSheet, Unmatched,
};
use super::types::{list as rows, Job, Page};
use super::{body, created, ApiResult};
use crate::auth::Principal;
use crate::{ApiError, AppError, AppState};

/// The services charges are made for.
#[utoipa::path(get, path = "/api/v1/services", summary = "Услуги", tag = "Расчёты", responses((status = 200, body = [Service])))]
pub async fn services(State(s): State<AppState>) -> ApiResult<Vec<Service>> {
    Ok(Json(rows(ledger::services(&s.db).await?)))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AgingBand {
    pub title: &'static str,
    /// Kopecks.
    pub amount: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AccountLedger {
    pub account_id: i64,
    #[schema(value_type = String)]
    pub as_of: chrono::NaiveDate,
    /// Debt (positive) or advance (negative) on `as_of`, kopecks.
    pub balance: i64,
    /// Unpaid charges after allocating payments.
    pub debt: i64,
    pub advance: i64,
    /// Penalties accrued (posted by the runs) by `as_of`.
    pub penalties: i64,
    /// Of them paid: by payments for penalties and, by the rule, money left after the charges.
    pub penalties_paid: i64,
    /// Still owed: what a payment document asks for penalties.
    pub penalties_owed: i64,
    /// What pays penalties (shown to the specialist).
    pub penalty_rule: String,
    /// How payments are allocated (shown to the specialist).
    pub allocation_rule: String,
    /// Unpaid lines per period and service, oldest first.
    pub debts: Vec<DebtLine>,
    pub aging: Vec<AgingBand>,
    pub entries: Vec<LedgerEntry>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OnParams {
    /// Date (`2026-11-27`); today when omitted.
    pub on: Option<String>,
}

fn date_param(v: Option<&str>, today: chrono::NaiveDate) -> Result<chrono::NaiveDate, ApiError> {
    match v.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(today),
        Some(d) => abonent_domain::registry::parse_date(d).ok_or_else(|| {
            ApiError(AppError::Invalid(ValidationErrors::single(
                "on",
                format!("«{d}» не дата: укажите 2026-11-27."),
            )))
        }),
    }
}

/// The account's ledger: balance, debt by period and service, aging, every line.
#[utoipa::path(get, path = "/api/v1/accounts/{id}/ledger", summary = "Расчёты по лицевому счёту", tag = "Расчёты", params(("id" = i64, Path), OnParams), responses((status = 200, body = AccountLedger), (status = 404)))]
pub async fn account_ledger(
    State(s): State<AppState>,
    Path(id): Path<i64>,
    Query(q): Query<OnParams>,
) -> ApiResult<AccountLedger> {
    abonent_storage::registry::account::get(&s.db, id).await?;
    let on = date_param(q.on.as_deref(), s.today().await?)?;
    let domain = ledger::domain_entries(&s.db, id).await?;
    let rule = reference::allocation_rule(&s.db).await?;
    let credit = reference::penalty_credit(&s.db).await?;
    let out = allocate_with(&domain, on, rule, credit);
    let bands = aging(&out, Period::of(on));
    Ok(Json(AccountLedger {
        account_id: id,
        as_of: on,
        balance: balance_on(&domain, on),
        debt: out.debt(),
        advance: out.advance,
        penalties: out.penalties_accrued,
        penalties_paid: out.penalties_paid,
        penalties_owed: out.penalties_owed(),
        penalty_rule: credit.title().into(),
        allocation_rule: rule.title().into(),
        debts: out
            .lines
            .iter()
            .filter(|l| l.remaining() != 0)
            .cloned()
            .collect(),
        aging: AGING_BUCKETS
            .iter()
            .zip(bands)
            .map(|(b, v)| AgingBand {
                title: b.title,
                amount: v,
            })
            .collect(),
        entries: rows(entries::list(&s.db, id, None, None).await?),
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PenaltyRowOut {
    pub period: String,
    pub debt_kopecks: i64,
    pub from: String,
    pub to: String,
    pub days: i64,
    /// 300 or 130: the rate is taken 1/share per day.
    pub share: u32,
    pub rate_bp: u32,
    pub formula: String,
    pub penalty_kopecks: i64,
    pub moratorium: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PenaltyOut {
    pub account_id: i64,
    pub calc_date: String,
    pub rows: Vec<PenaltyRowOut>,
    pub total_kopecks: i64,
    pub law_source: String,
}

/// «Расчёт пени» on a date as courts expect it (XLSX: `/accounts/{id}/penalty.xlsx?on=`).
#[utoipa::path(get, path = "/api/v1/accounts/{id}/penalty", summary = "Расчёт пени на дату", tag = "Расчёты", params(("id" = i64, Path), OnParams), responses((status = 200, body = PenaltyOut), (status = 422)))]
pub async fn account_penalty(
    State(s): State<AppState>,
    Path(id): Path<i64>,
    Query(q): Query<OnParams>,
) -> ApiResult<PenaltyOut> {
    abonent_storage::registry::account::get(&s.db, id).await?;
    let on = date_param(q.on.as_deref(), s.today().await?)?;
    let (c, r) = penalties::account_calculation(&s.db, id, on).await?;
    Ok(Json(PenaltyOut {
        account_id: id,
        calc_date: on.to_string(),
        total_kopecks: c.total_kopecks,
        rows: c
            .rows
            .into_iter()
            .map(|r| PenaltyRowOut {
                period: r.period,
                debt_kopecks: r.debt_kopecks,
                from: r.from.to_string(),
                to: r.to.to_string(),
                days: r.days,
                share: r.share,
                rate_bp: r.rate_bp,
                formula: r.formula,
                penalty_kopecks: r.penalty_kopecks,
                moratorium: r.moratorium,
            })
            .collect(),
        law_source: r.settings.law_source,
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TurnoverParams {
    /// `company` (default, rows by building), `building` (by account), `account` (by service).
    pub scope: Option<String>,
    /// Building or account id for those scopes.
    pub id: Option<i64>,
    /// First period, `2026-01` (January of this year by default).
    pub from: Option<String>,
    /// Last period, `2026-10` (this month by default).
    pub to: Option<String>,
}

/// The turnover sheet (XLSX: `/turnover.xlsx` with the same parameters).
#[utoipa::path(get, path = "/api/v1/turnover", summary = "Оборотная ведомость", tag = "Расчёты", params(TurnoverParams), responses((status = 200, body = TurnoverSheet), (status = 422)))]
pub async fn turnover_sheet(
    State(s): State<AppState>,
    Query(q): Query<TurnoverParams>,
) -> ApiResult<TurnoverSheet> {
    let mut m = BTreeMap::new();
    for (k, v) in [
        ("scope", q.scope),
        ("id", q.id.map(|i| i.to_string())),
        ("from", q.from),
        ("to", q.to),
    ] {
        if let Some(v) = v {
            m.insert(k.to_string(), v);
        }
    }
    let (scope, from, to) = crate::http::turnover_params(&m, s.today().await?)?;
    Ok(Json(turnover::sheet(&s.db, scope, from, to).await?.into()))
}

/// Debtors: accounts with unpaid charges, largest first.
#[utoipa::path(get, path = "/api/v1/debtors", summary = "Должники", tag = "Расчёты", params(super::ListParams, DebtorFilter), responses((status = 200, body = Page<DebtorRow>)))]
pub async fn debtors(
    State(s): State<AppState>,
    Query(page): Query<super::ListParams>,
    Query(f): Query<DebtorFilter>,
) -> ApiResult<Page<DebtorRow>> {
    let f = DebtorFilter {
        sort: f.sort.or(page.sort),
        ..f
    }
    .into();
    Ok(Json(
        debts::debtors(
            &s.db,
            &f,
            PageReq::new(page.page, page.per_page),
            s.today().await?,
        )
        .await?
        .into(),
    ))
}

/// Files loaded into the ledger, newest first.
#[utoipa::path(get, path = "/api/v1/ledger/imports", summary = "Загруженные файлы расчётов", tag = "Расчёты", responses((status = 200, body = [LedgerImport])))]
pub async fn imports(State(s): State<AppState>) -> ApiResult<Vec<LedgerImport>> {
    Ok(Json(rows(
        abonent_storage::ledger::charges::imports(&s.db, 200).await?,
    )))
}

/// A charges file (multipart/form-data).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ChargesUpload {
    /// CSV (UTF-8 or windows-1251) or XLSX with a header line.
    #[schema(format = Binary, value_type = String)]
    file: Vec<u8>,
    /// `{"account_number": 0, "period": 1, "service": 2, "amount": 3}`; saved or guessed when omitted.
    mapping: Option<String>,
    /// `true`: only check.
    dry_run: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct LedgerImportReport {
    #[schema(value_type = Object)]
    pub preview: serde_json::Value,
    pub job_id: Option<i64>,
}

struct Upload {
    file: Option<(String, Vec<u8>)>,
    fields: BTreeMap<String, String>,
}

async fn read_upload(mut mp: Multipart) -> Result<Upload, ApiError> {
    let bad = |e| ApiError(crate::extract::multipart_error(e));
    let mut u = Upload {
        file: None,
        fields: BTreeMap::new(),
    };
    while let Some(field) = mp.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or("").to_string();
        if name == "file" {
            let fname = field.file_name().unwrap_or("файл").to_string();
            u.file = Some((fname, field.bytes().await.map_err(bad)?.to_vec()));
        } else {
            u.fields.insert(name, field.text().await.map_err(bad)?);
        }
    }
    Ok(u)
}

fn problem(
    title: &str,
    detail: String,
    errors: serde_json::Value,
    preview: serde_json::Value,
) -> Response {
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        [(axum::http::header::CONTENT_TYPE, "application/problem+json")],
        Json(serde_json::json!({
            "type": "about:blank", "title": title, "status": 422,
            "detail": detail, "errors": errors, "preview": preview,
        })),
    )
        .into_response()
}

fn dry(u: &Upload) -> bool {
    matches!(
        u.fields.get("dry_run").map(|s| s.trim()),
        Some("true" | "1" | "on")
    )
}

/// Check and load charges, recalculations and opening balances, all or nothing. A file
/// with any bad line, or loaded before, is answered 422 naming every line; nothing is saved.
#[utoipa::path(post, path = "/api/v1/ledger/charges", summary = "Загрузить начисления", tag = "Расчёты", request_body(content = ChargesUpload, content_type = "multipart/form-data"),
    responses((status = 200, body = LedgerImportReport, description = "Проверка (dry_run)"), (status = 202, body = LedgerImportReport, description = "Загрузка начата"), (status = 422, description = "Ошибки в файле")))]
pub async fn charges(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    mp: Multipart,
) -> Result<Response, ApiError> {
    let u = read_upload(mp).await?;
    let mapping = match u.fields.get("mapping").filter(|m| !m.trim().is_empty()) {
        Some(m) => Some(serde_json::from_str::<ChargeMapping>(m).map_err(|e| {
            ApiError(AppError::Invalid(ValidationErrors::single(
                "mapping",
                format!("Сопоставление колонок не разобрано: {e}. Пример: {{\"account_number\": 0, \"period\": 1, \"service\": 2, \"amount\": 3}}."),
            )))
        })?),
        None => None,
    };
    let (name, bytes) = u.file.clone().ok_or_else(|| {
        ApiError(AppError::Invalid(ValidationErrors::single(
            "file",
            "Передайте файл начислений в поле file.",
        )))
    })?;
    let upload = uploads::save(&s, UploadFor::Charges, &name, &bytes, p.user_id).await?;
    let prev = app_ledger::charges::preview(&s, upload, mapping).await?;
    let preview = serde_json::to_value(&prev).unwrap_or_default();
    if let Some(d) = &prev.duplicate {
        return Ok(problem(
            "Файл уже загружен",
            d.clone(),
            serde_json::json!([{"field": "file", "message": d}]),
            preview,
        ));
    }
    if !prev.errors.is_empty() {
        return Ok(problem(
            "Ошибки в файле начислений",
            format!(
                "В файле {}; ничего не сохранено. Исправьте строки и загрузите файл снова.",
                crate::format::counted(prev.errors.len(), crate::format::ERRORS)
            ),
            serde_json::to_value(&prev.errors).unwrap_or_default(),
            preview,
        ));
    }
    if dry(&u) {
        return Ok(Json(LedgerImportReport {
            preview,
            job_id: None,
        })
        .into_response());
    }
    let job = app_ledger::charges::commit(&s, prev, p.actor(), p.user_id).await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(LedgerImportReport {
            preview,
            job_id: Some(job),
        }),
    )
        .into_response())
}

/// A payments file (multipart/form-data).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct PaymentsUpload {
    #[schema(format = Binary, value_type = String)]
    file: Vec<u8>,
    /// Register profile id (the common layout when omitted), or `client_bank` for a 1С statement.
    format: Option<String>,
    dry_run: Option<String>,
}

/// Check and load a bank register or a 1С statement, all or nothing. Unmatched payments go
/// to the queue. A bad line, totals that disagree, a file or payment loaded before: 422.
#[utoipa::path(post, path = "/api/v1/ledger/payments", summary = "Загрузить реестр оплат или выписку 1С", tag = "Расчёты", request_body(content = PaymentsUpload, content_type = "multipart/form-data"),
    responses((status = 200, body = LedgerImportReport, description = "Проверка (dry_run)"), (status = 202, body = LedgerImportReport, description = "Загрузка начата"), (status = 422, description = "Файл отклонён")))]
pub async fn payments_upload(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    mp: Multipart,
) -> Result<Response, ApiError> {
    let u = read_upload(mp).await?;
    let (name, bytes) = u.file.clone().ok_or_else(|| {
        ApiError(AppError::Invalid(ValidationErrors::single(
            "file",
            "Передайте файл реестра или выписки в поле file.",
        )))
    })?;
    let fmt = u.fields.get("format").map(|s| s.trim()).unwrap_or("");
    let format: PaymentFormat =
        app_ledger::payments::payment_format(&s, fmt.parse().ok(), fmt == "client_bank").await?;
    let upload = uploads::save(&s, UploadFor::Payments, &name, &bytes, p.user_id).await?;
    let prev = app_ledger::payments::preview(&s, upload, format).await?;
    let preview = serde_json::to_value(&prev).unwrap_or_default();
    if let Some(m) = prev.duplicate.clone().or(prev.error.clone()) {
        return Ok(problem(
            "Файл оплат отклонён",
            format!("{m} Ничего не сохранено."),
            serde_json::json!([{"field": "file", "message": m}]),
            preview,
        ));
    }
    if dry(&u) {
        return Ok(Json(LedgerImportReport {
            preview,
            job_id: None,
        })
        .into_response());
    }
    let job = app_ledger::payments::commit(&s, prev, p.actor(), p.user_id).await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(LedgerImportReport {
            preview,
            job_id: Some(job),
        }),
    )
        .into_response())
}

/// State and progress of a ledger job (imports, penalty run).
#[utoipa::path(get, path = "/api/v1/ledger/jobs/{id}", summary = "Ход загрузки или начисления пени", tag = "Расчёты", params(("id" = i64, Path)), responses((status = 200, body = Job), (status = 404)))]
pub async fn job(State(s): State<AppState>, Path(id): Path<i64>) -> Result<Json<Job>, ApiError> {
    Ok(Json(app_ledger::job(&s, id).await?.into()))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UnmatchedParams {
    /// `open` (default) or `resolved`.
    pub status: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// Payments no account matched.
#[utoipa::path(get, path = "/api/v1/ledger/unmatched", summary = "Неопознанные оплаты", tag = "Расчёты", params(UnmatchedParams), responses((status = 200, body = Page<Unmatched>)))]
pub async fn unmatched(
    State(s): State<AppState>,
    Query(q): Query<UnmatchedParams>,
) -> ApiResult<Page<Unmatched>> {
    Ok(Json(
        payments::unmatched(
            &s.db,
            q.status.as_deref().unwrap_or("open"),
            PageReq::new(q.page, q.per_page),
        )
        .await?
        .into(),
    ))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UnmatchedWithSuggestions {
    pub payment: Unmatched,
    pub suggestions: Vec<Suggestion>,
}

/// One queued payment with the accounts it may belong to.
#[utoipa::path(get, path = "/api/v1/ledger/unmatched/{id}", summary = "Неопознанная оплата", tag = "Расчёты", params(("id" = i64, Path)), responses((status = 200, body = UnmatchedWithSuggestions), (status = 404)))]
pub async fn unmatched_one(
    State(s): State<AppState>,
    Path(id): Path<i64>,
) -> ApiResult<UnmatchedWithSuggestions> {
    let payment = payments::unmatched_get(&s.db, id).await?;
    let suggestions = payments::suggestions(&s.db, &payment).await?;
    Ok(Json(UnmatchedWithSuggestions {
        payment: payment.into(),
        suggestions: rows(suggestions),
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ResolveRequest {
    pub account_id: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EntryCreated {
    pub entry_id: i64,
}

/// Post a queued payment to the chosen account.
#[utoipa::path(post, path = "/api/v1/ledger/unmatched/{id}/resolve", summary = "Отнести оплату на счёт", tag = "Расчёты", params(("id" = i64, Path)), request_body = ResolveRequest,
    responses((status = 201, body = EntryCreated), (status = 422)))]
pub async fn resolve(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    b: Bytes,
) -> Result<Response, ApiError> {
    let r: ResolveRequest = body(&b)?;
    let entry_id = app_ledger::assign_unmatched(&s, id, r.account_id, &p.actor()).await?;
    Ok(created(EntryCreated { entry_id }))
}

/// A cash-desk payment with its receipt number.
#[utoipa::path(post, path = "/api/v1/ledger/payments/cash", summary = "Оплата в кассе", tag = "Расчёты", request_body = CashPayment,
    responses((status = 201, body = LedgerEntry), (status = 422)))]
pub async fn cash(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    b: Bytes,
) -> Result<Response, ApiError> {
    let c: CashPayment = body(&b)?;
    let id = app_ledger::pay_cash(&s, &c.into(), &p.actor()).await?;
    Ok(created(LedgerEntry::from(entries::get(&s.db, id).await?)))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ReverseRequest {
    pub reason: String,
    /// Date of the reversal; today when omitted.
    pub date: Option<String>,
}

/// Reverse a payment (it stays in the ledger, cancelled by a reversal line).
#[utoipa::path(post, path = "/api/v1/ledger/entries/{id}/reverse", summary = "Сторнировать оплату", tag = "Расчёты", params(("id" = i64, Path)), request_body = ReverseRequest,
    responses((status = 201, body = LedgerEntry), (status = 422)))]
pub async fn reverse(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    b: Bytes,
) -> Result<Response, ApiError> {
    let r: ReverseRequest = body(&b)?;
    let on = date_param(r.date.as_deref(), s.today().await?)?;
    let rid = app_ledger::reverse(&s, id, &r.reason, Some(on), &p.actor()).await?;
    Ok(created(LedgerEntry::from(entries::get(&s.db, rid).await?)))
}

/// Register profiles per bank.
#[utoipa::path(get, path = "/api/v1/ledger/profiles", summary = "Профили реестров банков", tag = "Расчёты", responses((status = 200, body = [StoredProfile])))]
pub async fn profiles_list(State(s): State<AppState>) -> ApiResult<Vec<StoredProfile>> {
    Ok(Json(rows(app_ledger::payments::profiles_list(&s).await?)))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ProfileRequest {
    pub name: String,
    /// The layout: separator, encoding, columns, formats, totals line.
    #[schema(value_type = Object)]
    pub profile: serde_json::Value,
}

/// Add a register profile.
#[utoipa::path(post, path = "/api/v1/ledger/profiles", summary = "Добавить профиль реестра", tag = "Расчёты", request_body = ProfileRequest, responses((status = 201, body = StoredProfile), (status = 422)))]
pub async fn profile_create(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    b: Bytes,
) -> Result<Response, ApiError> {
    let r: ProfileRequest = body(&b)?;
    let json = r.profile.to_string();
    let id = app_ledger::payments::save_profile(&s, None, &r.name, &json, &p.actor()).await?;
    Ok(created(StoredProfile::from(
        profiles::get(&s.db, id).await?,
    )))
}

/// Change a register profile.
#[utoipa::path(put, path = "/api/v1/ledger/profiles/{id}", summary = "Изменить профиль реестра", tag = "Расчёты", params(("id" = i64, Path)), request_body = ProfileRequest, responses((status = 200, body = StoredProfile), (status = 422)))]
pub async fn profile_update(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    b: Bytes,
) -> ApiResult<StoredProfile> {
    let r: ProfileRequest = body(&b)?;
    let json = r.profile.to_string();
    app_ledger::payments::save_profile(&s, Some(id), &r.name, &json, &p.actor()).await?;
    Ok(Json(profiles::get(&s.db, id).await?.into()))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReferenceData {
    #[schema(value_type = Object)]
    pub key_rates: serde_json::Value,
    #[schema(value_type = Object)]
    pub penalty_settings: serde_json::Value,
    /// The due-date rules, oldest first: `from_period` (`[year, month]`),
    /// `day_of_next_month`, `source`.
    #[schema(value_type = Vec<Object>)]
    pub due_date_rules: serde_json::Value,
    pub allocation_rule: String,
    /// What pays penalties: `marked_then_surplus` (default) or `marked_only`; changed with
    /// `kind = "penalty_credit"`.
    pub penalty_credit: String,
    /// Every stored version, newest first.
    pub history: Vec<types::Version>,
}

/// Key rates, penalty settings, due-date rules and the allocation rule in force, with history.
#[utoipa::path(get, path = "/api/v1/ledger/reference", summary = "Справочники расчётов с историей", tag = "Расчёты", responses((status = 200, body = ReferenceData)))]
pub async fn reference_get(State(s): State<AppState>) -> ApiResult<ReferenceData> {
    let mut history = Vec::new();
    for k in [
        reference::KEY_RATES,
        reference::PENALTY_SETTINGS,
        reference::DUE_DATE_RULES,
        reference::ALLOCATION_RULE,
    ] {
        history.extend(reference::history(&s.db, k).await?);
    }
    history.sort_by_key(|v| std::cmp::Reverse(v.id));
    Ok(Json(ReferenceData {
        key_rates: serde_json::to_value(reference::key_rates(&s.db).await?).unwrap_or_default(),
        penalty_settings: serde_json::to_value(reference::penalty_settings(&s.db).await?)
            .unwrap_or_default(),
        due_date_rules: serde_json::to_value(reference::due_date_rules(&s.db).await?)
            .unwrap_or_default(),
        allocation_rule: serde_json::to_value(reference::allocation_rule(&s.db).await?)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default(),
        penalty_credit: serde_json::to_value(reference::penalty_credit(&s.db).await?)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default(),
        history: rows(history),
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ReferenceUpdate {
    /// `key_rates`, `penalty_settings`, `due_date_rules`, `allocation_rule` or
    /// `penalty_credit`.
    pub kind: String,
    /// The new value: the same shape `GET /api/v1/ledger/reference` shows for that kind (an
    /// object, a list for `due_date_rules`, a string for `allocation_rule` and
    /// `penalty_credit`).
    pub value: serde_json::Value,
    /// The basis of the change (decree, decision, file); required.
    pub source: String,
}

/// Store a new version of one kind of reference data.
#[utoipa::path(put, path = "/api/v1/ledger/reference", summary = "Новая версия справочника расчётов", tag = "Расчёты", request_body = ReferenceUpdate, responses((status = 200, body = ReferenceData), (status = 422)))]
pub async fn reference_put(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    b: Bytes,
) -> ApiResult<ReferenceData> {
    let r: ReferenceUpdate = body(&b)?;
    let actor = p.actor();
    let bad = |e: serde_json::Error| {
        ApiError(AppError::Invalid(ValidationErrors::single(
            "value",
            format!("Значение не того вида: {e}."),
        )))
    };
    let change = match r.kind.as_str() {
        reference::KEY_RATES => {
            let t: KeyRateTable = serde_json::from_value(r.value).map_err(bad)?;
            Change::KeyRates(t)
        }
        reference::PENALTY_SETTINGS => {
            let v: PenaltySettings = serde_json::from_value(r.value).map_err(bad)?;
            Change::PenaltySettings(v)
        }
        reference::DUE_DATE_RULES => {
            let v: Vec<abonent_domain::due_date::DueDateRule> =
                serde_json::from_value(r.value).map_err(bad)?;
            Change::DueDateRules(v)
        }
        reference::ALLOCATION_RULE => {
            let v: abonent_domain::ledger::AllocationRule =
                serde_json::from_value(r.value).map_err(bad)?;
            Change::AllocationRule(v)
        }
        "penalty_credit" => {
            let v: abonent_domain::ledger::PenaltyCredit =
                serde_json::from_value(r.value).map_err(bad)?;
            Change::PenaltyCredit(v)
        }
        other => {
            return Err(ApiError(AppError::Invalid(ValidationErrors::single(
                "kind",
                format!("Справочника «{other}» нет: key_rates, penalty_settings, due_date_rules, allocation_rule, penalty_credit."),
            ))))
        }
    };
    app_ledger::reference::save(&s, &change, &r.source, &actor).await?;
    reference_get(State(s)).await
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct RunRequest {
    /// The month, `2026-10`.
    pub period: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct JobStarted {
    pub job_id: i64,
}

/// Accrue penalties for a month for every account (repeatable: posts only the difference).
#[utoipa::path(post, path = "/api/v1/ledger/penalty-runs", summary = "Начислить пени за месяц", tag = "Расчёты", request_body = RunRequest, responses((status = 202, body = JobStarted), (status = 422)))]
pub async fn penalty_run(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    b: Bytes,
) -> Result<Response, ApiError> {
    let r: RunRequest = body(&b)?;
    let period = Period::parse(&r.period).ok_or_else(|| {
        ApiError(AppError::Invalid(ValidationErrors::single(
            "period",
            format!("«{}» не месяц: укажите 2026-10.", r.period),
        )))
    })?;
    let job_id = app_ledger::penalties::start(&s, period, p.actor(), p.user_id).await?;
    Ok((StatusCode::ACCEPTED, Json(JobStarted { job_id })).into_response())
}

/// Past penalty runs, newest first.
#[utoipa::path(get, path = "/api/v1/ledger/penalty-runs", summary = "Начисления пени", tag = "Расчёты", responses((status = 200, body = [RunRecord])))]
pub async fn penalty_runs(State(s): State<AppState>) -> ApiResult<Vec<RunRecord>> {
    Ok(Json(rows(penalties::runs(&s.db, 100).await?)))
}
