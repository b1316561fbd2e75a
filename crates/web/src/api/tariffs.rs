//! `/api/v1/tariffs`, `/api/v1/norms` and «why this sum» (`/api/v1/accounts/{id}/explain`).

use abonent_app::tariffs as app_tariffs;
use abonent_app::uploads::{self, UploadFor};
use abonent_domain::tariff::{
    format_fixed, ExplainedLine, LineKind, Norm, NormForm, Tariff, TariffForm, PRICE_PLACES,
    VOLUME_PLACES,
};
use abonent_storage::tariffs;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::{body, created, ApiResult};
use crate::auth::Principal;
use crate::extract::{Multipart, Path, Query};
use crate::{ApiError, AppError, AppState};

/// A tariff of the register.
#[derive(Serialize, ToSchema)]
pub struct TariffOut {
    pub id: i64,
    /// Service code.
    pub service: String,
    /// Group of buildings; `null` — the whole organization.
    pub group: Option<String>,
    pub zone: Option<String>,
    /// First day in force, `ГГГГ-ММ-ДД`.
    pub from: String,
    /// Last day in force; `null` while in force.
    pub to: Option<String>,
    /// Rubles per unit as written: `45,87`.
    pub price: String,
    /// Ten-thousandths of a ruble per unit.
    pub price_units: i64,
    /// `cubic_meter`, `gcal`, `kilowatt_hour`, `square_meter`, `person`, `account`.
    pub unit: String,
    pub basis: String,
}

fn tariff_out(id: i64, t: &Tariff) -> TariffOut {
    TariffOut {
        id,
        service: t.service.clone(),
        group: t.group.clone(),
        zone: t.zone.clone(),
        from: t.from.to_string(),
        to: t.to.map(|d| d.to_string()),
        price: format_fixed(t.price, PRICE_PLACES, 2),
        price_units: t.price,
        unit: t.unit.code().into(),
        basis: t.basis.clone(),
    }
}

/// A consumption norm of the register.
#[derive(Serialize, ToSchema)]
pub struct NormOut {
    pub id: i64,
    pub service: String,
    pub group: Option<String>,
    pub from: String,
    pub to: Option<String>,
    /// `per_person` or `per_square_meter`.
    pub per: String,
    /// Units a month as written: `6,935`.
    pub value: String,
    /// Millionths of the unit.
    pub value_units: i64,
    pub unit: Option<String>,
    pub basis: String,
}

fn norm_out(id: i64, n: &Norm) -> NormOut {
    NormOut {
        id,
        service: n.service.clone(),
        group: n.group.clone(),
        from: n.from.to_string(),
        to: n.to.map(|d| d.to_string()),
        per: n.per.code().into(),
        value: format_fixed(n.value, VOLUME_PLACES, 0),
        value_units: n.value,
        unit: n.unit.map(|u| u.code().to_string()),
        basis: n.basis.clone(),
    }
}

/// The register of tariffs, every period (ended ones too).
#[utoipa::path(get, path = "/api/v1/tariffs", summary = "Реестр тарифов", tag = "Тарифы", responses((status = 200, body = Vec<TariffOut>)))]
pub async fn list(State(s): State<AppState>) -> ApiResult<Vec<TariffOut>> {
    Ok(Json(
        tariffs::tariffs(&s.db)
            .await
            .map_err(AppError::from)?
            .iter()
            .map(|r| tariff_out(r.id, &r.tariff))
            .collect(),
    ))
}

/// Add a tariff: it supersedes the one in force on its first day for the same service,
/// group and zone (that one ends the day before); a tariff is never edited in place.
#[utoipa::path(post, path = "/api/v1/tariffs", summary = "Добавить тариф", tag = "Тарифы", request_body = TariffForm, responses((status = 201, body = TariffOut), (status = 422)))]
pub async fn create(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    b: Bytes,
) -> Result<Response, ApiError> {
    let f: TariffForm = body(&b)?;
    let id = app_tariffs::add_tariff(&s, &f, &p.actor()).await?;
    let all = tariffs::tariffs(&s.db).await.map_err(AppError::from)?;
    let row = all
        .iter()
        .find(|r| r.id == id)
        .ok_or_else(|| AppError::NotFound("Тариф не найден.".into()))?;
    Ok(created(tariff_out(row.id, &row.tariff)))
}

/// The register of consumption norms.
#[utoipa::path(get, path = "/api/v1/norms", summary = "Нормативы потребления", tag = "Тарифы", responses((status = 200, body = Vec<NormOut>)))]
pub async fn norms(State(s): State<AppState>) -> ApiResult<Vec<NormOut>> {
    Ok(Json(
        tariffs::norms(&s.db)
            .await
            .map_err(AppError::from)?
            .iter()
            .map(|r| norm_out(r.id, &r.norm))
            .collect(),
    ))
}

/// Add a consumption norm (it supersedes the one in force on its first day).
#[utoipa::path(post, path = "/api/v1/norms", summary = "Добавить норматив", tag = "Тарифы", request_body = NormForm, responses((status = 201, body = NormOut), (status = 422)))]
pub async fn create_norm(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    b: Bytes,
) -> Result<Response, ApiError> {
    let f: NormForm = body(&b)?;
    let id = app_tariffs::add_norm(&s, &f, &p.actor()).await?;
    let all = tariffs::norms(&s.db).await.map_err(AppError::from)?;
    let row = all
        .iter()
        .find(|r| r.id == id)
        .ok_or_else(|| AppError::NotFound("Норматив не найден.".into()))?;
    Ok(created(norm_out(row.id, &row.norm)))
}

/// A tariffs file: CSV (UTF-8 or windows-1251) or XLSX, headers in the first line.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct TariffsUpload {
    /// Columns: Услуга, Группа домов, Зона суток, Действует с, Тариф, Единица, Основание.
    #[schema(format = Binary, value_type = String)]
    file: Vec<u8>,
    /// `true`: only check.
    dry_run: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct TariffsImportReport {
    /// Rows in the file.
    pub rows: usize,
    /// Rows added (0 on a check).
    pub added: usize,
    pub dry_run: bool,
}

/// Load a file of tariffs, all or nothing: a file with any bad row is answered 422 naming
/// every row, and nothing is saved.
#[utoipa::path(post, path = "/api/v1/tariffs/import", summary = "Загрузить тарифы из файла", tag = "Тарифы", request_body(content = TariffsUpload, content_type = "multipart/form-data"), responses((status = 200, body = TariffsImportReport), (status = 422)))]
pub async fn import(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    mut mp: Multipart,
) -> Result<Response, ApiError> {
    let bad = |e| ApiError(crate::extract::multipart_error(e));
    let (mut file, mut dry_run) = (None, false);
    while let Some(field) = mp.next_field().await.map_err(bad)? {
        match field.name().unwrap_or("") {
            "file" => {
                let name = field.file_name().unwrap_or("тарифы").to_string();
                file = Some((name, field.bytes().await.map_err(bad)?.to_vec()));
            }
            "dry_run" => {
                dry_run = matches!(field.text().await.map_err(bad)?.trim(), "true" | "1" | "on")
            }
            _ => {}
        }
    }
    let (name, bytes) = file.unwrap_or_default();
    let upload = uploads::save(&s, UploadFor::Tariffs, &name, &bytes, p.user_id).await?;
    let preview = app_tariffs::preview(&s, upload).await?;
    if !preview.errors.is_empty() {
        let mut e = abonent_domain::ValidationErrors::new();
        for m in &preview.errors {
            e.add("file", m.clone());
        }
        return Err(ApiError(AppError::Invalid(e)));
    }
    let added = if dry_run {
        0
    } else {
        app_tariffs::commit(&s, upload, &p.actor()).await?
    };
    Ok((
        StatusCode::OK,
        Json(TariffsImportReport {
            rows: preview.rows.len(),
            added,
            dry_run,
        }),
    )
        .into_response())
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PeriodParams {
    /// Month `ГГГГ-ММ`; the last month with charges when omitted.
    pub period: Option<String>,
}

/// A line explained.
#[derive(Serialize, ToSchema)]
pub struct ExplainLineOut {
    pub service: String,
    pub service_title: String,
    /// `charge` or `recalculation`.
    pub kind: String,
    pub reason: Option<String>,
    pub charged_kopecks: i64,
    /// Volume as computed or given: `12,345`.
    pub volume: Option<String>,
    /// The tariff in force that day (rubles per unit) and its basis.
    pub tariff: Option<String>,
    pub tariff_basis: Option<String>,
    /// Volume × price, when both are known.
    pub computed_kopecks: Option<i64>,
    /// Charged minus computed, when they differ.
    pub difference_kopecks: Option<i64>,
    /// The explanation in a sentence.
    pub text: String,
}

/// «Why this sum» for an account's month.
#[derive(Serialize, ToSchema)]
pub struct ExplainOut {
    pub account_id: i64,
    /// `ГГГГ-ММ`.
    pub period: String,
    pub group: Option<String>,
    /// Registered in the premises on the first day of the month.
    pub persons: u32,
    pub total_kopecks: i64,
    pub lines: Vec<ExplainLineOut>,
}

fn line_out(l: &ExplainedLine) -> ExplainLineOut {
    let (kind, reason) = match &l.line.kind {
        LineKind::Charge => ("charge", None),
        LineKind::Recalculation { reason } => ("recalculation", Some(reason.clone())),
    };
    ExplainLineOut {
        service: l.line.service.clone(),
        service_title: l.line.service_title.clone(),
        kind: kind.into(),
        reason,
        charged_kopecks: l.line.charged_kopecks,
        volume: l.volume.map(|v| format_fixed(v, VOLUME_PLACES, 0)),
        tariff: l.tariff.as_ref().map(|t| t.price_text()),
        tariff_basis: l.tariff.as_ref().map(|t| t.basis.clone()),
        computed_kopecks: l.computed_kopecks,
        difference_kopecks: l.difference_kopecks,
        text: l.text.clone(),
    }
}

/// The period asked, or the account's last month with charges.
pub(crate) async fn period_of(
    s: &AppState,
    id: i64,
    asked: Option<&str>,
) -> Result<abonent_domain::ledger::Period, AppError> {
    match asked.map(str::trim).filter(|v| !v.is_empty()) {
        Some(v) => abonent_import::charges::parse_period(v).ok_or_else(|| {
            AppError::field(
                "period",
                format!("Месяц «{v}» не прочитан: укажите его как 2026-11 или 11.2026."),
            )
        }),
        None => match tariffs::last_charged_period(&s.db, id).await? {
            Some(p) => Ok(p),
            None => Ok(abonent_domain::ledger::Period::of(s.today().await?)),
        },
    }
}

/// Every charge and recalculation line of the month: volume (and where it came from) × the
/// tariff in force with its basis = the sum; a line given only as a sum is said to be so.
#[utoipa::path(get, path = "/api/v1/accounts/{id}/explain", summary = "Почему такая сумма: расшифровка начислений месяца", tag = "Тарифы", params(("id" = i64, Path), PeriodParams), responses((status = 200, body = ExplainOut)))]
pub async fn explain(
    State(s): State<AppState>,
    Path(id): Path<i64>,
    Query(q): Query<PeriodParams>,
) -> ApiResult<ExplainOut> {
    abonent_storage::registry::account::get(&s.db, id)
        .await
        .map_err(AppError::from)?;
    let period = period_of(&s, id, q.period.as_deref()).await?;
    let x = app_tariffs::explain_month(&s, id, period).await?;
    Ok(Json(ExplainOut {
        account_id: id,
        period: x.period.to_string(),
        group: x.group,
        persons: x.persons,
        total_kopecks: x.explanation.total_kopecks,
        lines: x.explanation.lines.iter().map(line_out).collect(),
    }))
}

/// The written answer to «why this sum».
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct AnswerLetterIn {
    /// The month, `2026-11`; by default the last month with charges.
    pub period: Option<String>,
    /// The addressee; by default the account's owner or tenant.
    pub person_id: Option<i64>,
    /// `post` (default), `email`, `hand`, `portal`.
    pub method: Option<String>,
    /// The resident's incoming letter it answers (then marked answered).
    pub answers_incoming_id: Option<i64>,
}

/// The month's explanation as a letter on the letterhead, issued and registered as outgoing
/// correspondence (201 with the document; its number is the outgoing number).
#[utoipa::path(post, path = "/api/v1/accounts/{id}/explain/letter", summary = "Письменный ответ «почему такая сумма»", tag = "Тарифы", params(("id" = i64, Path)), request_body = AnswerLetterIn, responses((status = 201, body = crate::api::documents::types::Document), (status = 422)))]
pub async fn answer_letter(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    b: Bytes,
) -> Result<Response, ApiError> {
    let i: AnswerLetterIn = if b.is_empty() {
        AnswerLetterIn::default()
    } else {
        body(&b)?
    };
    abonent_storage::registry::account::get(&s.db, id)
        .await
        .map_err(AppError::from)?;
    let period = period_of(&s, id, i.period.as_deref()).await?;
    let r = app_tariffs::AnswerLetter {
        person_id: i.person_id,
        method: i.method,
        answers_incoming_id: i.answers_incoming_id,
    };
    let d = app_tariffs::answer_letter(&s, id, period, &r, &p.actor()).await?;
    Ok(created(crate::api::documents::types::Document::from(d)))
}
