//! The payments and debts report: charged, paid and the collection rate by building (by
//! account under a building filter), the debt at the start and end of the period and its
//! movement. Every sum is the turnover sheet's over the billing months the period touches,
//! so the report and the sheet agree to the kopeck; each links to that sheet.

use abonent_domain::ledger::{Period, Turnover};
use abonent_domain::report::ratio_bp;
use abonent_domain::ValidationErrors;
use abonent_storage::ledger::turnover::{self, Scope};

use super::{href, Figure, Report, ReportKind, ReportRequest, Row, Table, Unit};
use crate::{App, AppError};

/// The sheet's columns: title and field.
const COLUMNS: [(&str, &str); 6] = [
    ("Долг на начало, ₽", "opening"),
    ("Начислено, ₽", "charged"),
    ("Перерасчёт, ₽", "recalculated"),
    ("Пени, ₽", "penalties"),
    ("Оплачено, ₽", "paid"),
    ("Долг на конец, ₽", "closing"),
];

fn value(t: &Turnover, field: &str) -> i64 {
    match field {
        "opening" => t.opening,
        "charged" => t.charged,
        "recalculated" => t.recalculated,
        "penalties" => t.penalties,
        "paid" => t.paid,
        _ => t.closing,
    }
}

/// Paid ÷ (charged + recalculated + penalties), basis points.
pub fn collection_bp(t: &Turnover) -> Option<i64> {
    ratio_bp(t.paid, t.charged + t.recalculated + t.penalties)
}

/// The billing months of the request: the first and the last month its days touch.
pub fn months(r: &ReportRequest) -> Result<(Period, Period), AppError> {
    let (from, to) = (Period::of(r.period.from), Period::of(r.period.to));
    if Period::new(from.year, from.month).is_none() || Period::new(to.year, to.month).is_none() {
        return Err(AppError::Invalid(ValidationErrors::single(
            "period",
            "Расчётные периоды ведутся с 1900 года: выберите период позже",
        )));
    }
    Ok((from, to))
}

fn sheet_href(scope: &str, id: Option<&str>, from: Period, to: Period) -> String {
    href(
        "/turnover",
        &[
            ("scope", scope.to_string()),
            ("id", id.unwrap_or_default().to_string()),
            ("from", from.to_string()),
            ("to", to.to_string()),
        ],
    )
}

fn line(title: String, total: bool, t: &Turnover, link: &str) -> Row {
    let mut cells: Vec<Figure> = COLUMNS
        .iter()
        .map(|(_, field)| Figure {
            value: Some(value(t, field)),
            unit: Unit::Kopecks,
            href: Some(link.to_string()),
            field: Some(field),
        })
        .collect();
    cells.push(Figure::ratio(Some(t.closing - t.opening), Unit::Kopecks));
    cells.push(Figure::ratio(collection_bp(t), Unit::BasisPoints));
    Row {
        title,
        level: 0,
        total,
        cells,
    }
}

pub async fn report(app: &App, r: &ReportRequest) -> Result<Report, AppError> {
    let (from, to) = months(r)?;
    let (scope, row_scope, total_link) = match r.building_id {
        Some(b) => (
            Scope::Building(b),
            "account",
            sheet_href("building", Some(&b.to_string()), from, to),
        ),
        None => (
            Scope::Company,
            "building",
            sheet_href("company", None, from, to),
        ),
    };
    let sheet = turnover::sheet(&app.db, scope, from, to).await?;
    let mut rows: Vec<Row> = sheet
        .rows
        .iter()
        .map(|row| {
            line(
                row.title.clone(),
                false,
                &row.figures,
                &sheet_href(row_scope, Some(&row.key), from, to),
            )
        })
        .collect();
    rows.push(line("Итого".into(), true, &sheet.total, &total_link));
    let mut columns: Vec<String> = COLUMNS.iter().map(|(t, _)| t.to_string()).collect();
    columns.push("Изменение долга, ₽".into());
    columns.push("Собираемость, %".into());
    let t = &sheet.total;
    let movement = |title: &str, field: &'static str| Row {
        title: title.into(),
        level: 0,
        total: field == "closing",
        cells: vec![Figure {
            value: Some(value(t, field)),
            unit: Unit::Kopecks,
            href: Some(total_link.clone()),
            field: Some(field),
        }],
    };
    let by = if r.building_id.is_some() {
        "По лицевым счетам"
    } else {
        "По домам"
    };
    Ok(Report {
        kind: ReportKind::Payments,
        title: ReportKind::Payments.title().into(),
        period_title: r.period.title(),
        filters: super::appeals::filters(app, r).await?,
        tables: vec![
            Table {
                title: by.into(),
                columns,
                rows,
                note: format!(
                    "Суммы оборотной ведомости за расчётные периоды {} — {}. Собираемость — оплачено ÷ (начислено + перерасчёт + пени).",
                    from.title(),
                    to.title()
                ),
            },
            Table {
                title: "Движение долга".into(),
                columns: vec!["Сумма, ₽".into()],
                rows: vec![
                    movement("Долг на начало периода", "opening"),
                    movement("Начислено", "charged"),
                    movement("Перерасчёт", "recalculated"),
                    movement("Пени", "penalties"),
                    movement("Оплачено", "paid"),
                    movement("Долг на конец периода", "closing"),
                ],
                note: "Долг на конец = долг на начало + начислено + перерасчёт + пени − оплачено; отрицательный долг — переплата.".into(),
            },
        ],
    })
}
