//! The monthly reports of the subscriber department (issue 18): what the catalogue offers,
//! the period and filters asked for, and each report as tables of figures. Every counted
//! figure carries the address of the journal filtered to exactly the records behind it;
//! the counts come from the journals' own conditions (abonent_storage::appeals::outcome)
//! and the money from the turnover sheet, so nothing is computed a second way.

pub mod appeals;
pub mod letters;
pub mod payments;
pub mod recurring;
mod request;

pub use request::{date, ReportKind, ReportRequest};

use serde::Serialize;

use crate::{App, AppError};

/// Any report by its kind.
pub async fn build(app: &App, kind: ReportKind, r: &ReportRequest) -> Result<Report, AppError> {
    match kind {
        ReportKind::Appeals => appeals::report(app, r).await,
        ReportKind::Recurring => recurring::report(app, r).await,
        ReportKind::Letters => letters::report(app, r).await,
        ReportKind::Payments => payments::report(app, r).await,
    }
}

/// How a figure's integer reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    Count,
    Kopecks,
    /// Hundredths of a percent (95,5 % = 9550).
    BasisPoints,
    /// Hundredths (a mean rating 4,25 = 425).
    Hundredths,
}

/// One number of a report.
#[derive(Debug, Clone, Serialize)]
pub struct Figure {
    /// `None`: nothing to compute from (a share of nothing).
    pub value: Option<i64>,
    pub unit: Unit,
    /// The journal filtered to the records behind the figure; `None` for a ratio of other
    /// figures.
    pub href: Option<String>,
    /// For a sum of the turnover sheet: which of its columns (`charged`, `paid`…).
    pub field: Option<&'static str>,
}

impl Figure {
    pub fn count(value: i64, href: String) -> Figure {
        Figure {
            value: Some(value),
            unit: Unit::Count,
            href: Some(href),
            field: None,
        }
    }

    pub fn ratio(value: Option<i64>, unit: Unit) -> Figure {
        Figure {
            value,
            unit,
            href: None,
            field: None,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub title: String,
    /// 0: a line or a subtotal; 1: a line inside the subtotal above it.
    pub level: u8,
    /// A total line (shown bold).
    pub total: bool,
    pub cells: Vec<Figure>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Table {
    pub title: String,
    /// Titles of the columns after the first (the row titles').
    pub columns: Vec<String>,
    pub rows: Vec<Row>,
    /// A line under the table: how it is counted.
    pub note: String,
}

/// A report ready to show, download or answer in the API.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub kind: ReportKind,
    pub title: String,
    /// «ноябрь 2026», «IV квартал 2026»…
    pub period_title: String,
    /// The filters applied, as people read them («Дом: ул. Ленина, д. 5»).
    pub filters: Vec<String>,
    pub tables: Vec<Table>,
}

/// A journal address with `key=value` pairs; the values are ids, dates and codes (nothing
/// to escape), empty ones are left out.
pub(crate) fn href(path: &str, pairs: &[(&str, String)]) -> String {
    let q: Vec<String> = pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    if q.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{}", q.join("&"))
    }
}
