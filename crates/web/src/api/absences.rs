//! `/api/v1/absences`: applications for recalculation during a temporary absence (issue 20
//! §3) — register, read with the computed recalculation, approve, refuse, post.

use abonent_app::absences as app_absences;
use abonent_domain::absence::{words, ApplicationForm};
use abonent_storage::absences;
use axum::body::Bytes;
use axum::extract::State;
use axum::response::Response;
use axum::{Extension, Json};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::{body, created, ApiResult};
use crate::auth::Principal;
use crate::extract::{Path, Query};
use crate::{ApiError, AppError, AppState};

/// One month's service line of the recalculation.
#[derive(Serialize, ToSchema)]
pub struct AbsenceLineOut {
    /// `ГГГГ-ММ`.
    pub period: String,
    pub service: String,
    pub service_title: String,
    pub charge_kopecks: i64,
    pub absent_days: u32,
    pub days_in_month: u32,
    /// Absent persons and the persons the charge is for, when it is per person.
    pub persons_absent: Option<u32>,
    pub persons_counted: Option<u32>,
    pub kopecks: i64,
    /// Why the line is not recalculated.
    pub not_recalculated: Option<String>,
}

/// An application with its appeal and its recalculation.
#[derive(Serialize, ToSchema)]
pub struct AbsenceOut {
    pub id: i64,
    pub appeal_id: i64,
    /// The appeal's number.
    pub number: String,
    /// The appeal's deadline, UTC.
    pub deadline_at: Option<String>,
    /// The last day to decide by the rules.
    pub decide_by: String,
    pub account_id: i64,
    pub account_number: String,
    pub persons: Vec<i64>,
    pub left_on: String,
    pub returned_on: String,
    pub applied_on: String,
    pub full_days: u32,
    pub reason: String,
    pub documents: String,
    pub documents_received_on: String,
    pub metered: Vec<String>,
    pub meter_acts: Vec<String>,
    pub gas_for_heating: bool,
    /// `registered`, `approved`, `refused`, `posted`.
    pub status: String,
    pub status_title: String,
    /// The reason to refuse by the rules, while undecided.
    pub rules_refusal: Option<String>,
    /// The reason given with a refusal.
    pub refusal: Option<String>,
    pub total_kopecks: i64,
    pub lines: Vec<AbsenceLineOut>,
    /// Ledger entries posted for it.
    pub entries: Vec<i64>,
}

pub(crate) async fn out(s: &AppState, c: app_absences::Computed) -> Result<AbsenceOut, AppError> {
    let entries = absences::entries(&s.db, c.record.id).await?;
    let r = c.record;
    Ok(AbsenceOut {
        id: r.id,
        appeal_id: r.appeal_id,
        number: r.appeal_number,
        deadline_at: r.appeal_deadline_at,
        decide_by: r.data.decide_by.to_string(),
        account_id: r.data.account_id,
        account_number: r.account_number,
        persons: r.data.persons,
        left_on: r.data.left_on.to_string(),
        returned_on: r.data.returned_on.to_string(),
        applied_on: r.data.applied_on.to_string(),
        full_days: c.full_days,
        reason: r.data.reason,
        documents: r.data.documents,
        documents_received_on: r.data.documents_received_on.to_string(),
        metered: r.data.metered,
        meter_acts: r.data.meter_acts,
        gas_for_heating: r.data.gas_for_heating,
        status_title: words::status_title(&r.status).into(),
        status: r.status,
        rules_refusal: c.refusal_reason,
        refusal: r.refusal,
        total_kopecks: r.total.unwrap_or(c.total_kopecks),
        lines: c
            .lines
            .into_iter()
            .map(|l| AbsenceLineOut {
                period: l.period.to_string(),
                service: l.service,
                service_title: l.service_title,
                charge_kopecks: l.charge_kopecks,
                absent_days: l.absent_days,
                days_in_month: l.days_in_month,
                persons_absent: l.persons.map(|p| p.absent),
                persons_counted: l.persons.map(|p| p.counted),
                kopecks: l.kopecks,
                not_recalculated: l.not_recalculated,
            })
            .collect(),
        entries,
    })
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AbsenceParams {
    /// Only this account's applications.
    pub account_id: Option<i64>,
}

/// A short row of the list.
#[derive(Serialize, ToSchema)]
pub struct AbsenceRow {
    pub id: i64,
    pub number: String,
    pub account_id: i64,
    pub account_number: String,
    pub left_on: String,
    pub returned_on: String,
    pub status: String,
    pub total_kopecks: Option<i64>,
}

/// Applications, newest first.
#[utoipa::path(get, path = "/api/v1/absences", summary = "Заявления о временном отсутствии", tag = "Временное отсутствие", params(AbsenceParams), responses((status = 200, body = Vec<AbsenceRow>)))]
pub async fn list(
    State(s): State<AppState>,
    Query(q): Query<AbsenceParams>,
) -> ApiResult<Vec<AbsenceRow>> {
    Ok(Json(
        absences::list(&s.db, q.account_id)
            .await
            .map_err(AppError::from)?
            .into_iter()
            .map(|r| AbsenceRow {
                id: r.id,
                number: r.appeal_number,
                account_id: r.data.account_id,
                account_number: r.account_number,
                left_on: r.data.left_on.to_string(),
                returned_on: r.data.returned_on.to_string(),
                status: r.status,
                total_kopecks: r.total,
            })
            .collect(),
    ))
}

/// Register an application as an appeal (its number and deadline) with its own record; every
/// field is checked first — an absence of fewer than 6 full days is refused at `returned_on`
/// and nothing is saved.
#[utoipa::path(post, path = "/api/v1/absences", summary = "Зарегистрировать заявление о временном отсутствии", tag = "Временное отсутствие", request_body = ApplicationForm, responses((status = 201, body = AbsenceOut), (status = 422)))]
pub async fn create(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    b: Bytes,
) -> Result<Response, ApiError> {
    let f: ApplicationForm = body(&b)?;
    let r = app_absences::register(&s, &f, &p.actor()).await?;
    let c = app_absences::compute(&s, r.id).await?;
    Ok(created(out(&s, c).await?))
}

/// An application with the recalculation the rules compute from the account's charges.
#[utoipa::path(get, path = "/api/v1/absences/{id}", summary = "Заявление и расчёт перерасчёта", tag = "Временное отсутствие", params(("id" = i64, Path)), responses((status = 200, body = AbsenceOut), (status = 404)))]
pub async fn show(State(s): State<AppState>, Path(id): Path<i64>) -> ApiResult<AbsenceOut> {
    let c = app_absences::compute(&s, id).await?;
    Ok(Json(out(&s, c).await?))
}

/// Approve: the computed lines are fixed for posting; refused (422) when the rules give a
/// reason to refuse. The applicant is answered through the outbox.
#[utoipa::path(post, path = "/api/v1/absences/{id}/approve", summary = "Одобрить перерасчёт", tag = "Временное отсутствие", params(("id" = i64, Path)), responses((status = 200, body = AbsenceOut), (status = 422)))]
pub async fn approve(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> ApiResult<AbsenceOut> {
    let c = app_absences::approve(&s, id, p.role, &p.actor()).await?;
    Ok(Json(out(&s, c).await?))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct RefuseIn {
    /// Empty: the rules' own reason (e.g. the application came too late).
    pub reason: Option<String>,
}

/// Refuse with a reason (the rules' when none is given); the applicant is answered.
#[utoipa::path(post, path = "/api/v1/absences/{id}/refuse", summary = "Отказать в перерасчёте", tag = "Временное отсутствие", params(("id" = i64, Path)), request_body = RefuseIn, responses((status = 200, body = AbsenceOut), (status = 422)))]
pub async fn refuse(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    b: Bytes,
) -> ApiResult<AbsenceOut> {
    let f: RefuseIn = if b.is_empty() {
        RefuseIn::default()
    } else {
        body(&b)?
    };
    let c = app_absences::refuse(&s, id, f.reason.as_deref(), p.role, &p.actor()).await?;
    Ok(Json(out(&s, c).await?))
}

/// What posting wrote.
#[derive(Serialize, ToSchema)]
pub struct PostedOut {
    /// Entries written now; 0 when it was posted before.
    pub posted: usize,
    pub absence: AbsenceOut,
}

/// Post an approved application into the ledger: a recalculation entry per month and
/// service naming the application, in one transaction; posting twice writes nothing.
#[utoipa::path(post, path = "/api/v1/absences/{id}/post", summary = "Провести перерасчёт", tag = "Временное отсутствие", params(("id" = i64, Path)), responses((status = 200, body = PostedOut), (status = 422)))]
pub async fn post(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> ApiResult<PostedOut> {
    let posted = app_absences::post(&s, id, &p.actor()).await?;
    let c = app_absences::compute(&s, id).await?;
    Ok(Json(PostedOut {
        posted,
        absence: out(&s, c).await?,
    }))
}
