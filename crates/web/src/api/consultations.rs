//! `/api/v1/consultations` (issue 20 §6): record a consultation (an appeal of kind
//! consultation with the answer given), list the recent ones, read one.

use abonent_app::consultations::{self as app_consultations, ConsultationForm};
use abonent_domain::appeal::Channel;
use abonent_storage::consultations::{self, Consultation};
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

/// A consultation to record.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct ConsultationIn {
    pub account_id: Option<i64>,
    pub person_id: Option<i64>,
    /// A caller not in the registry.
    pub applicant_name: String,
    pub applicant_phone: String,
    /// The topic: a category id; empty — the classifier's suggestion for the question.
    pub category_id: Option<i64>,
    /// `phone` by default.
    pub channel: Option<Channel>,
    /// What the resident asked.
    pub question: String,
    /// What was answered (required).
    pub answer: String,
    /// A written answer was promised: the appeal stays open with its deadline.
    pub written_promised: bool,
    /// Knowledge-base article ids the answer used.
    pub articles: Vec<i64>,
}

/// A recorded consultation.
#[derive(Serialize, ToSchema)]
pub struct ConsultationOut {
    pub appeal_id: i64,
    pub number: String,
    /// The appeal's status: `closed` when answered on the spot.
    pub status: String,
    pub category_id: Option<i64>,
    pub topic: Option<String>,
    pub question: String,
    pub answer: String,
    pub written_promised: bool,
    pub articles: Vec<i64>,
    pub account_id: Option<i64>,
    /// UTC.
    pub created_at: String,
    /// The written answer's deadline, UTC.
    pub deadline_at: Option<String>,
}

impl From<Consultation> for ConsultationOut {
    fn from(c: Consultation) -> Self {
        ConsultationOut {
            appeal_id: c.appeal_id,
            number: c.number,
            status: c.status,
            category_id: c.category_id,
            topic: c.topic,
            question: c.question,
            answer: c.answer,
            written_promised: c.written_promised,
            articles: c.articles,
            account_id: c.account_id,
            created_at: c.created_at,
            deadline_at: c.deadline_at,
        }
    }
}

/// Records a consultation: registered as an appeal of kind consultation, closed at once
/// with the answer unless a written answer was promised. A missing question or answer: 422
/// naming the field, nothing saved.
#[utoipa::path(post, path = "/api/v1/consultations", summary = "Записать консультацию", tag = "Консультации", request_body = ConsultationIn, responses((status = 201, body = ConsultationOut), (status = 422)))]
pub async fn create(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    b: Bytes,
) -> Result<Response, ApiError> {
    let i: ConsultationIn = body(&b)?;
    let f = ConsultationForm {
        account_id: i.account_id,
        person_id: i.person_id,
        applicant_name: i.applicant_name,
        applicant_phone: i.applicant_phone,
        category_id: i.category_id,
        channel: i.channel,
        question: i.question,
        answer: i.answer,
        written_promised: i.written_promised,
        articles: i.articles,
    };
    let r = app_consultations::record(&s, &f, p.role, &p.actor()).await?;
    let c = consultations::get(&s.db, r.appeal_id)
        .await
        .map_err(AppError::from)?
        .ok_or_else(|| AppError::NotFound(format!("консультация {}", r.number)))?;
    Ok(created(ConsultationOut::from(c)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Only this account's consultations.
    pub account_id: Option<i64>,
    /// At most this many, newest first (50 by default, at most 500).
    pub limit: Option<i64>,
}

/// The newest consultations.
#[utoipa::path(get, path = "/api/v1/consultations", summary = "Консультации", tag = "Консультации", params(ListParams), responses((status = 200, body = Vec<ConsultationOut>)))]
pub async fn list(
    State(s): State<AppState>,
    Query(q): Query<ListParams>,
) -> ApiResult<Vec<ConsultationOut>> {
    let limit = q.limit.unwrap_or(50).clamp(1, 500);
    let rows = consultations::list(&s.db, q.account_id, limit)
        .await
        .map_err(AppError::from)?;
    Ok(Json(rows.into_iter().map(ConsultationOut::from).collect()))
}

/// One consultation by its appeal's id.
#[utoipa::path(get, path = "/api/v1/consultations/{id}", summary = "Консультация", tag = "Консультации", params(("id" = i64, Path)), responses((status = 200, body = ConsultationOut), (status = 404)))]
pub async fn show(State(s): State<AppState>, Path(id): Path<i64>) -> ApiResult<ConsultationOut> {
    match consultations::get(&s.db, id)
        .await
        .map_err(AppError::from)?
    {
        Some(c) => Ok(Json(c.into())),
        None => Err(AppError::NotFound(format!("консультация {id}")).into()),
    }
}
