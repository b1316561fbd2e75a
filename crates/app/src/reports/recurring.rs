//! Recurring problems: buildings and categories with two or more appeals registered in the
//! period, most first, each linking to the appeals behind it.

use abonent_storage::reports::appeals as store;
use abonent_storage::reports::{self};

use super::appeals::{journal, scope};
use super::{Figure, Report, ReportKind, ReportRequest, Row, Table};
use crate::{App, AppError};

/// How many appeals of one building and category make a recurring problem.
pub const MIN_APPEALS: i64 = 2;

pub async fn report(app: &App, r: &ReportRequest) -> Result<Report, AppError> {
    let found = store::repeated(&app.db, &scope(r, r.period), MIN_APPEALS).await?;
    let addresses = reports::building_addresses(&app.db).await?;
    let categories = reports::categories(&app.db).await?;
    let rows = found
        .iter()
        .map(|x| {
            let category = categories
                .iter()
                .find(|c| c.id == x.category_id)
                .map(|c| c.title.clone())
                .unwrap_or_default();
            let address = addresses.get(&x.building_id).cloned().unwrap_or_default();
            Row {
                title: format!("{address} — {category}"),
                level: 0,
                total: false,
                cells: vec![Figure::count(
                    x.count,
                    journal(
                        r,
                        r.period,
                        &[
                            ("building_id", x.building_id.to_string()),
                            ("category_id", x.category_id.to_string()),
                        ],
                    ),
                )],
            }
        })
        .collect();
    Ok(Report {
        kind: ReportKind::Recurring,
        title: ReportKind::Recurring.title().into(),
        period_title: r.period.title(),
        filters: super::appeals::filters(app, r).await?,
        tables: vec![Table {
            title: "Дом и категория".into(),
            columns: vec!["Обращений".into()],
            rows,
            note: format!(
                "Дома и категории, по которым за период зарегистрировано не меньше {MIN_APPEALS} обращений, по убыванию."
            ),
        }],
    })
}
