//! Reports in the API (issue 18): the catalogue and each report as JSON, the same tables
//! the page shows, each counted figure with the journal address behind it.

use std::collections::BTreeMap;

use abonent_app::reports::{Figure, Report, ReportKind, Unit};
use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};

use super::ApiResult;
use crate::extract::Query;
use crate::AppState;

#[derive(OpenApi)]
#[openapi(
    paths(catalogue, appeals, recurring, letters, payments),
    components(schemas(ReportJson, TableJson, RowJson, FigureJson, ReportInfo)),
    tags((name = "Отчёты", description = "Отчёты абонентского отдела за месяц, квартал, год или любые дни (часовой пояс организации). Каждое число со ссылкой `href` — адрес журнала, отобранного по записям за ним; суммы — копейки."))
)]
pub struct ReportsDoc;

/// A report of the catalogue.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportInfo {
    /// `appeals`, `recurring`, `letters`, `payments`: the address `/api/v1/reports/{code}`.
    pub code: String,
    pub title: String,
    pub about: String,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct ReportParams {
    /// Month `2026-11`, quarter `2026-Q4` or year `2026`; the current month by default.
    pub period: Option<String>,
    /// First day of a range, `ГГГГ-ММ-ДД` (with `to` instead of `period`).
    pub from: Option<String>,
    /// Last day of a range, inclusive.
    pub to: Option<String>,
    /// Building filter (appeals reports, payments).
    pub building_id: Option<String>,
    /// Category filter, with its subcategories (appeals reports).
    pub category_id: Option<String>,
    /// Department filter (appeals reports).
    pub department_id: Option<String>,
    /// Executor (staff member) filter (appeals reports).
    pub executor_id: Option<String>,
}

/// One number: `value` in `unit` (`count`, `kopecks`, `basis_points` — hundredths of a
/// percent, `hundredths`); `href` the journal behind it; `field` the column of the turnover
/// sheet for sums.
#[derive(Debug, Serialize, ToSchema)]
pub struct FigureJson {
    pub value: Option<i64>,
    pub unit: String,
    pub href: Option<String>,
    pub field: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RowJson {
    pub title: String,
    /// 0 — a line or subtotal, 1 — a line inside the subtotal above.
    pub level: i64,
    pub total: bool,
    pub cells: Vec<FigureJson>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TableJson {
    pub title: String,
    pub columns: Vec<String>,
    pub rows: Vec<RowJson>,
    pub note: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReportJson {
    pub kind: String,
    pub title: String,
    pub period_title: String,
    pub filters: Vec<String>,
    pub tables: Vec<TableJson>,
}

fn unit(u: Unit) -> &'static str {
    match u {
        Unit::Count => "count",
        Unit::Kopecks => "kopecks",
        Unit::BasisPoints => "basis_points",
        Unit::Hundredths => "hundredths",
    }
}

fn figure(f: Figure) -> FigureJson {
    FigureJson {
        value: f.value,
        unit: unit(f.unit).into(),
        href: f.href,
        field: f.field.map(str::to_string),
    }
}

impl From<Report> for ReportJson {
    fn from(r: Report) -> Self {
        ReportJson {
            kind: r.kind.code().into(),
            title: r.title,
            period_title: r.period_title,
            filters: r.filters,
            tables: r
                .tables
                .into_iter()
                .map(|t| TableJson {
                    title: t.title,
                    columns: t.columns,
                    note: t.note,
                    rows: t
                        .rows
                        .into_iter()
                        .map(|r| RowJson {
                            title: r.title,
                            level: i64::from(r.level),
                            total: r.total,
                            cells: r.cells.into_iter().map(figure).collect(),
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

/// The reports there are.
#[utoipa::path(get, path = "/api/v1/reports", summary = "Каталог отчётов", tag = "Отчёты", responses((status = 200, body = Vec<ReportInfo>)))]
pub async fn catalogue() -> Json<Vec<ReportInfo>> {
    Json(
        ReportKind::ALL
            .into_iter()
            .map(|k| ReportInfo {
                code: k.code().into(),
                title: k.title().into(),
                about: k.about().into(),
            })
            .collect(),
    )
}

async fn report(
    s: &AppState,
    kind: ReportKind,
    q: &BTreeMap<String, String>,
) -> ApiResult<ReportJson> {
    Ok(Json(crate::pages::reports::build(s, kind, q).await?.into()))
}

/// Appeals received by kind, channel, category and building; deadlines; reopened; ratings.
#[utoipa::path(get, path = "/api/v1/reports/appeals", summary = "Отчёт по обращениям", tag = "Отчёты", params(ReportParams), responses((status = 200, body = ReportJson), (status = 422)))]
pub async fn appeals(
    State(s): State<AppState>,
    Query(q): Query<BTreeMap<String, String>>,
) -> ApiResult<ReportJson> {
    report(&s, ReportKind::Appeals, &q).await
}

/// Buildings and categories with two or more appeals in the period.
#[utoipa::path(get, path = "/api/v1/reports/recurring", summary = "Повторяющиеся проблемы", tag = "Отчёты", params(ReportParams), responses((status = 200, body = ReportJson), (status = 422)))]
pub async fn recurring(
    State(s): State<AppState>,
    Query(q): Query<BTreeMap<String, String>>,
) -> ApiResult<ReportJson> {
    report(&s, ReportKind::Recurring, &q).await
}

/// Letters received by sender kind and how they were answered; letters sent.
#[utoipa::path(get, path = "/api/v1/reports/letters", summary = "Отчёт по корреспонденции", tag = "Отчёты", params(ReportParams), responses((status = 200, body = ReportJson), (status = 422)))]
pub async fn letters(
    State(s): State<AppState>,
    Query(q): Query<BTreeMap<String, String>>,
) -> ApiResult<ReportJson> {
    report(&s, ReportKind::Letters, &q).await
}

/// Charged, paid, the collection rate and the debt, by building (the turnover sheet's sums).
#[utoipa::path(get, path = "/api/v1/reports/payments", summary = "Начисления, оплаты и долги", tag = "Отчёты", params(ReportParams), responses((status = 200, body = ReportJson), (status = 422)))]
pub async fn payments(
    State(s): State<AppState>,
    Query(q): Query<BTreeMap<String, String>>,
) -> ApiResult<ReportJson> {
    report(&s, ReportKind::Payments, &q).await
}
