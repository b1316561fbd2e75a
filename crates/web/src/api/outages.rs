//! `/api/v1/outages`: the outage register (issue 19 §5) and the quality recalculation
//! (§6) — register, list, read, record actual times, the proposal, post, reverse. A
//! contractor's token sees and changes only its own outages.

use abonent_app::outages::recalc::{self, Posting, Proposal};
use abonent_app::outages::{self as app_outages, OutageView, Reporter};
use abonent_domain::ledger::Period;
use abonent_domain::outage::{OutageForm, Parameters, Place};
use abonent_domain::Role;
use abonent_storage::outages::OutageFilter;
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

pub(crate) fn reporter(p: &Principal) -> Reporter {
    Reporter {
        actor: p.actor(),
        contractor: p.role == Role::Contractor,
    }
}

/// An outage.
#[derive(Serialize, ToSchema)]
pub struct OutageOut {
    pub id: i64,
    pub service: String,
    pub service_title: String,
    /// `planned` or `emergency`.
    pub kind: String,
    /// `interruption` or `quality`.
    pub effect: String,
    pub cause: String,
    pub reason: String,
    pub places: Vec<Place>,
    pub addresses: Vec<String>,
    /// UTC, RFC 3339.
    pub planned_from: Option<String>,
    pub planned_to: Option<String>,
    pub actual_from: Option<String>,
    pub actual_to: Option<String>,
    pub parameters: Parameters,
    pub contractor_id: Option<i64>,
    pub reported_by: String,
    /// Not ended yet.
    pub active: bool,
}

fn utc(t: Option<chrono::DateTime<chrono::Utc>>) -> Option<String> {
    t.map(abonent_storage::time::fmt)
}

pub(crate) fn out(v: OutageView) -> OutageOut {
    let o = v.record;
    OutageOut {
        id: o.id,
        service: o.data.service,
        service_title: v.service_title,
        kind: o.data.kind.code().into(),
        effect: o.data.effect.code().into(),
        cause: serde_json::to_value(o.data.cause)
            .ok()
            .and_then(|c| c.as_str().map(str::to_string))
            .unwrap_or_default(),
        reason: o.data.reason,
        places: o.data.places,
        addresses: v.addresses,
        planned_from: utc(o.data.planned_from),
        planned_to: utc(o.data.planned_to),
        actual_from: utc(o.data.actual_from),
        actual_to: utc(o.data.actual_to),
        parameters: o.data.parameters,
        contractor_id: o.contractor_id,
        reported_by: o.reported_by_name,
        active: v.active,
    }
}

async fn one(s: &AppState, id: i64, who: &Reporter) -> Result<OutageOut, AppError> {
    let o = app_outages::get(s, id, who).await?;
    Ok(out(app_outages::views(s, vec![o]).await?.remove(0)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OutageParams {
    /// Only those at this building.
    pub building_id: Option<i64>,
    /// `true`: only not ended; `false`: only ended.
    pub active: Option<bool>,
    /// Only this service.
    pub service: Option<String>,
}

/// Outages, newest first (at most 500); a contractor's only its own.
#[utoipa::path(get, path = "/api/v1/outages", summary = "Отключения", tag = "Отключения", params(OutageParams), responses((status = 200, body = Vec<OutageOut>)))]
pub async fn list(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Query(q): Query<OutageParams>,
) -> ApiResult<Vec<OutageOut>> {
    let f = OutageFilter {
        contractor_id: None,
        building_id: q.building_id,
        active: q.active,
        service: q.service,
    };
    let list = app_outages::list(&s, f, &reporter(&p)).await?;
    Ok(Json(
        app_outages::views(&s, list)
            .await?
            .into_iter()
            .map(out)
            .collect(),
    ))
}

/// Register an outage. Times are the organization's local time (`ГГГГ-ММ-ДДTЧЧ:ММ`). An end
/// before its start is refused; an overlap with another outage of the same service at a
/// building is refused unless `confirm_overlap` is true. Nothing is saved when refused.
#[utoipa::path(post, path = "/api/v1/outages", summary = "Зарегистрировать отключение", tag = "Отключения", request_body = OutageForm, responses((status = 201, body = OutageOut), (status = 422)))]
pub async fn create(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    b: Bytes,
) -> Result<Response, ApiError> {
    let f: OutageForm = body(&b)?;
    let who = reporter(&p);
    let id = app_outages::register(&s, &f, &who).await?;
    Ok(created(one(&s, id, &who).await?))
}

/// One outage.
#[utoipa::path(get, path = "/api/v1/outages/{id}", summary = "Отключение", tag = "Отключения", params(("id" = i64, Path)), responses((status = 200, body = OutageOut), (status = 404)))]
pub async fn show(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> ApiResult<OutageOut> {
    Ok(Json(one(&s, id, &reporter(&p)).await?))
}

/// Replace the outage's data (the whole form, as at registration).
#[utoipa::path(put, path = "/api/v1/outages/{id}", summary = "Изменить отключение", tag = "Отключения", params(("id" = i64, Path)), request_body = OutageForm, responses((status = 200, body = OutageOut), (status = 404), (status = 422)))]
pub async fn update(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    b: Bytes,
) -> ApiResult<OutageOut> {
    let f: OutageForm = body(&b)?;
    let who = reporter(&p);
    app_outages::update(&s, id, &f, &who).await?;
    Ok(Json(one(&s, id, &who).await?))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct ActualIn {
    /// Local time `ГГГГ-ММ-ДДTЧЧ:ММ`.
    pub actual_from: Option<String>,
    /// Empty: still going on.
    pub actual_to: Option<String>,
    pub confirm_overlap: bool,
}

/// Record the actual start and end.
#[utoipa::path(post, path = "/api/v1/outages/{id}/actual", summary = "Фактическое время отключения", tag = "Отключения", params(("id" = i64, Path)), request_body = ActualIn, responses((status = 200, body = OutageOut), (status = 404), (status = 422)))]
pub async fn actual(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    b: Bytes,
) -> ApiResult<OutageOut> {
    let f: ActualIn = body(&b)?;
    let who = reporter(&p);
    app_outages::set_actual(&s, id, f.actual_from, f.actual_to, f.confirm_overlap, &who).await?;
    Ok(Json(one(&s, id, &who).await?))
}

/// One affected account's line.
#[derive(Serialize, ToSchema)]
pub struct LineOut {
    pub account_id: i64,
    pub account_number: String,
    pub address: String,
    pub premises: String,
    pub charge_kopecks: i64,
    /// Basis points of the fee (0,15 % = 15).
    pub reduction_bp: u32,
    pub reduction_kopecks: i64,
    pub by_others_kopecks: i64,
    pub posted_kopecks: i64,
    pub to_post_kopecks: i64,
    pub refused: Option<String>,
}

/// A building's (entrance's) month: minutes beyond the allowance and the share.
#[derive(Serialize, ToSchema)]
pub struct FiguresOut {
    pub address: String,
    pub entrance: Option<i64>,
    pub counted_minutes: i64,
    pub monthly_excess_minutes: i64,
    pub single_excess_minutes: i64,
    pub beyond_minutes: i64,
    /// Hours (days for waste) beyond, rounded.
    pub units: i64,
    /// Hours × steps of temperature deviation.
    pub temperature_step_hours: Option<i64>,
    pub reduction_bp: u32,
}

/// The recalculation proposal of an outage for a month.
#[derive(Serialize, ToSchema)]
pub struct ProposalOut {
    pub outage_id: i64,
    /// `ГГГГ-ММ`.
    pub period: String,
    pub service: String,
    pub service_title: String,
    pub figures: Vec<FiguresOut>,
    pub lines: Vec<LineOut>,
    pub to_post_kopecks: i64,
    pub posted_kopecks: i64,
    /// Why posting would be refused.
    pub refused: Option<String>,
    /// A posting of this month was reversed: it is not posted again.
    pub reversed: bool,
}

pub(crate) fn proposal_out(p: Proposal) -> ProposalOut {
    ProposalOut {
        outage_id: p.outage_id,
        period: p.period.to_string(),
        service: p.service,
        service_title: p.service_title,
        figures: p
            .figures
            .into_iter()
            .map(|f| FiguresOut {
                address: f.address,
                entrance: f.entrance,
                counted_minutes: f.figures.excess.counted_minutes,
                monthly_excess_minutes: f.figures.excess.monthly_excess_minutes,
                single_excess_minutes: f.figures.excess.single_excess_minutes,
                beyond_minutes: f.figures.excess.beyond_minutes,
                units: f.figures.excess.units,
                temperature_step_hours: f.figures.temperature.map(|t| t.step_hours),
                reduction_bp: f.figures.reduction_bp,
            })
            .collect(),
        lines: p
            .lines
            .into_iter()
            .map(|l| LineOut {
                account_id: l.account_id,
                account_number: l.account_number,
                address: l.address,
                premises: l.premises,
                charge_kopecks: l.charge_kopecks,
                reduction_bp: l.reduction_bp,
                reduction_kopecks: l.reduction_kopecks,
                by_others_kopecks: l.by_others_kopecks,
                posted_kopecks: l.posted_kopecks,
                to_post_kopecks: l.to_post_kopecks,
                refused: l.refused,
            })
            .collect(),
        to_post_kopecks: p.to_post_kopecks,
        posted_kopecks: p.posted_kopecks,
        refused: p.refused,
        reversed: p.reversed,
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PeriodParams {
    /// `ГГГГ-ММ`; by default the month of the actual start.
    pub period: Option<String>,
}

pub(crate) fn period(v: Option<&str>) -> Result<Option<Period>, AppError> {
    match v.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => Period::parse(v).map(Some).ok_or_else(|| {
            AppError::field(
                "period",
                format!("Месяц укажите в виде ГГГГ-ММ, а не «{v}»"),
            )
        }),
    }
}

/// The recalculation the rules give for the month: per account, the month's charge for
/// the service, the share off, what other outages took off already, what posting writes.
#[utoipa::path(get, path = "/api/v1/outages/{id}/recalculation", summary = "Предложение перерасчёта за отключение", tag = "Отключения", params(("id" = i64, Path), PeriodParams), responses((status = 200, body = ProposalOut), (status = 404), (status = 422)))]
pub async fn proposal(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    Query(q): Query<PeriodParams>,
) -> ApiResult<ProposalOut> {
    let pr = recalc::proposal(&s, id, period(q.period.as_deref())?, &reporter(&p)).await?;
    Ok(Json(proposal_out(pr)))
}

/// What posting or reversing wrote.
#[derive(Serialize, ToSchema)]
pub struct PostingOut {
    /// Ledger entries written now; 0 when all was posted before.
    pub entries: usize,
    pub proposal: ProposalOut,
}

fn posting_out(p: Posting) -> PostingOut {
    PostingOut {
        entries: p.entries,
        proposal: proposal_out(p.proposal),
    }
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct PostIn {
    /// `ГГГГ-ММ`; by default the month of the actual start.
    pub period: Option<String>,
}

/// Post the proposal into the ledger: one recalculation entry per account naming the
/// outage, in one transaction; posting twice writes nothing new. A closed month, or an
/// outage without its actual end, is refused.
#[utoipa::path(post, path = "/api/v1/outages/{id}/recalculation/post", summary = "Провести перерасчёт за отключение", tag = "Отключения", params(("id" = i64, Path)), request_body = PostIn, responses((status = 200, body = PostingOut), (status = 422)))]
pub async fn post(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    b: Bytes,
) -> ApiResult<PostingOut> {
    let f: PostIn = if b.is_empty() {
        PostIn::default()
    } else {
        body(&b)?
    };
    let done = recalc::post(&s, id, period(f.period.as_deref())?, &reporter(&p)).await?;
    Ok(Json(posting_out(done)))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct ReverseIn {
    /// `ГГГГ-ММ`.
    pub period: String,
    pub reason: String,
}

/// Reverse the posted recalculation of a month by opposite entries (never deleted).
#[utoipa::path(post, path = "/api/v1/outages/{id}/recalculation/reverse", summary = "Сторнировать перерасчёт за отключение", tag = "Отключения", params(("id" = i64, Path)), request_body = ReverseIn, responses((status = 200, body = PostingOut), (status = 422)))]
pub async fn reverse(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    b: Bytes,
) -> ApiResult<PostingOut> {
    let f: ReverseIn = body(&b)?;
    let Some(period) = period(Some(&f.period))? else {
        return Err(AppError::field("period", "Укажите месяц (ГГГГ-ММ)").into());
    };
    let done = recalc::reverse(&s, id, period, &f.reason, &reporter(&p)).await?;
    Ok(Json(posting_out(done)))
}

/// The table of allowed interruptions and reductions in force (ПП 354, приложение № 1).
#[utoipa::path(get, path = "/api/v1/quality-norms", summary = "Таблица допустимых перерывов", tag = "Отключения", responses((status = 200, body = serde_json::Value, content_type = "application/json")))]
pub async fn norms_get(State(s): State<AppState>) -> ApiResult<serde_json::Value> {
    let t = app_outages::norms::current(&s).await?;
    Ok(Json(
        serde_json::to_value(t).map_err(|e| AppError::Internal(e.to_string()))?,
    ))
}

/// Replace the table (administrator) with the JSON sent, as `GET` answers it; checked first,
/// nothing saved when wrong; an empty body returns to the shipped table. History keeps each
/// change.
#[utoipa::path(put, path = "/api/v1/quality-norms", summary = "Заменить таблицу допустимых перерывов", tag = "Отключения", request_body(content = serde_json::Value, content_type = "application/json"), responses((status = 200, body = serde_json::Value, content_type = "application/json"), (status = 422)))]
pub async fn norms_put(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    b: Bytes,
) -> ApiResult<serde_json::Value> {
    let text = std::str::from_utf8(&b)
        .map_err(|_| AppError::BadRequest("Тело запроса — не текст UTF-8".into()))?;
    let t = app_outages::norms::save(&s, text, &p.actor()).await?;
    Ok(Json(
        serde_json::to_value(t).map_err(|e| AppError::Internal(e.to_string()))?,
    ))
}
