//! «Отчёты» (issue 18): the catalogue at `/reports` with the period picker, each report's
//! page (`/reports/{kind}`) whose every counted figure links to the journal behind it, and
//! its XLSX (`xlsx`). The reports themselves are abonent_app::reports.

pub mod xlsx;

use std::collections::BTreeMap;

use abonent_app::reports::{self, Figure, Report, ReportKind, ReportRequest, Unit};
use abonent_app::AppError;
use abonent_domain::report::{PeriodKind, ReportPeriod};
use abonent_domain::{Permission, ValidationErrors};
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Extension;
use chrono::Datelike;

use crate::auth::Principal;
use crate::extract::Query;
use crate::pages::appeals::bulk::JournalOptions;
use crate::pages::{html, invalid, layout, PageResult};
use crate::views::{Layout, ListQuery};
use crate::AppState;

/// Who may open a report.
pub fn permission(kind: ReportKind) -> Permission {
    match kind {
        ReportKind::Appeals | ReportKind::Recurring => Permission::ViewAppeals,
        ReportKind::Letters => Permission::ViewCorrespondence,
        ReportKind::Payments => Permission::ViewLedger,
    }
}

/// A period as the picker's field `period` writes it (`2026-11`, `2026-Q4`, `2026`); empty
/// for a range of days.
pub fn period_code(p: &ReportPeriod) -> String {
    match p.kind {
        PeriodKind::Month => p.from.format("%Y-%m").to_string(),
        PeriodKind::Quarter => format!("{}-Q{}", p.from.year(), p.from.month0() / 3 + 1),
        PeriodKind::Year => p.from.year().to_string(),
        PeriodKind::Range => String::new(),
    }
}

/// The picker: the period and the filters, with the messages of bad values.
pub struct Picker {
    pub q: ListQuery,
    pub errors: ValidationErrors,
    pub o: JournalOptions,
    /// Which filters the report takes.
    pub filters: &'static [&'static str],
    /// Ready-made periods: title and query string.
    pub quick: Vec<(String, String)>,
}

impl Picker {
    async fn new(
        s: &AppState,
        params: &BTreeMap<String, String>,
        base: &str,
        filters: &'static [&'static str],
        errors: ValidationErrors,
    ) -> Result<Picker, AppError> {
        let today = s.today().await?;
        let this = ReportPeriod::month_of(today);
        let quarter = ReportPeriod::quarter(today.year(), today.month0() / 3 + 1).unwrap_or(this);
        let year = ReportPeriod::year(today.year()).unwrap_or(this);
        let quick = [
            ("Этот месяц", this),
            ("Прошлый месяц", this.previous()),
            ("Этот квартал", quarter),
            ("Этот год", year),
        ]
        .into_iter()
        .map(|(t, p)| (t.to_string(), format!("period={}", period_code(&p))))
        .collect();
        Ok(Picker {
            q: ListQuery::new(base, params),
            errors,
            o: JournalOptions::load(&s.db).await?,
            filters,
            quick,
        })
    }

    pub fn takes(&self, f: &str) -> bool {
        self.filters.contains(&f)
    }

    pub fn error(&self, f: &str) -> &str {
        self.errors.for_field(f).unwrap_or("")
    }

    pub fn selected(&self, key: &str, id: &i64) -> bool {
        self.q.get(key) == id.to_string()
    }
}

#[derive(Template)]
#[template(path = "reports/index.html")]
struct IndexPage {
    l: Layout,
    /// Address (with the period and filters chosen), title and what the report shows.
    reports: Vec<(String, &'static str, &'static str)>,
    picker: Picker,
}

/// The address of a report with the period and those of the filters it takes.
fn report_href(kind: ReportKind, params: &BTreeMap<String, String>) -> String {
    let keep = params.iter().filter(|(k, v)| {
        !v.is_empty()
            && (["period", "from", "to"].contains(&k.as_str())
                || kind.filters().contains(&k.as_str()))
    });
    let q = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(keep)
        .finish();
    if q.is_empty() {
        format!("/reports/{}", kind.code())
    } else {
        format!("/reports/{}?{q}", kind.code())
    }
}

/// The catalogue.
pub async fn index(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Query(params): Query<BTreeMap<String, String>>,
) -> PageResult {
    let reports = ReportKind::ALL
        .into_iter()
        .filter(|k| p.can(permission(*k)))
        .map(|k| (report_href(k, &params), k.title(), k.about()))
        .collect();
    let all: &'static [&'static str] = ReportKind::Appeals.filters();
    html(&IndexPage {
        l: layout(&s, &p, "Отчёты", "reports").await?,
        reports,
        picker: Picker::new(&s, &params, "/reports", all, ValidationErrors::new()).await?,
    })
}

#[derive(Template)]
#[template(path = "reports/report.html")]
struct ReportPage {
    l: Layout,
    code: &'static str,
    title: &'static str,
    report: Option<Report>,
    picker: Picker,
    /// The query string, for the downloads.
    query: String,
}

impl ReportPage {
    fn show(&self, f: &Figure) -> String {
        show(f)
    }
}

/// A figure as people read it: `1 234`, `1 234,56 ₽`, `95,50 %`, `4,25`; «—» for nothing.
pub fn show(f: &Figure) -> String {
    let Some(v) = f.value else {
        return "—".into();
    };
    let hundredths = |v: i64| {
        let sign = if v < 0 { "-" } else { "" };
        format!("{sign}{},{:02}", v.abs() / 100, v.abs() % 100)
    };
    match f.unit {
        Unit::Count => crate::format::count(v),
        Unit::Kopecks => crate::format::rubles(v),
        Unit::BasisPoints => format!("{} %", hundredths(v)),
        Unit::Hundredths => hundredths(v),
    }
}

/// The report of `kind` for the query, or the picker's messages.
pub async fn build(
    s: &AppState,
    kind: ReportKind,
    params: &BTreeMap<String, String>,
) -> Result<Report, AppError> {
    let r = ReportRequest::read(s, kind, params).await?;
    reports::build(s, kind, &r).await
}

async fn page(
    s: AppState,
    p: Principal,
    kind: ReportKind,
    params: BTreeMap<String, String>,
) -> PageResult {
    let base = format!("/reports/{}", kind.code());
    let (report, errors) = match build(&s, kind, &params).await {
        Ok(r) => (Some(r), ValidationErrors::new()),
        Err(AppError::Invalid(e)) => (None, e),
        Err(e) => return Err(e.into()),
    };
    let query = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(params.iter().filter(|(_, v)| !v.is_empty()))
        .finish();
    let bad = report.is_none();
    let t = ReportPage {
        l: layout(&s, &p, kind.title(), "reports").await?,
        code: kind.code(),
        title: kind.title(),
        report,
        picker: Picker::new(&s, &params, &base, kind.filters(), errors).await?,
        query,
    };
    if bad {
        invalid(&t)
    } else {
        html(&t)
    }
}

async fn download(
    s: AppState,
    kind: ReportKind,
    params: BTreeMap<String, String>,
) -> Result<Response, crate::PageError> {
    let report = build(&s, kind, &params).await?;
    let name = format!("{} — {}.xlsx", report.title, report.period_title);
    Ok(crate::xlsx::download(xlsx::report(&report), &name)?.into_response())
}

macro_rules! report_handlers {
    ($page:ident, $xlsx:ident, $kind:expr) => {
        pub async fn $page(
            State(s): State<AppState>,
            Extension(p): Extension<Principal>,
            Query(params): Query<BTreeMap<String, String>>,
        ) -> PageResult {
            page(s, p, $kind, params).await
        }

        pub async fn $xlsx(
            State(s): State<AppState>,
            Query(params): Query<BTreeMap<String, String>>,
        ) -> Result<Response, crate::PageError> {
            download(s, $kind, params).await
        }
    };
}

report_handlers!(appeals, appeals_xlsx, ReportKind::Appeals);
report_handlers!(recurring, recurring_xlsx, ReportKind::Recurring);
report_handlers!(letters, letters_xlsx, ReportKind::Letters);
report_handlers!(payments, payments_xlsx, ReportKind::Payments);
