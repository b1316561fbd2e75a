//! What a report is asked for with: the kind, the period and the filters, read from the
//! query string of a page or of the API and checked (a Russian message naming the field).

use std::collections::BTreeMap;

use abonent_domain::report::ReportPeriod;
use abonent_domain::ValidationErrors;
use abonent_storage::reports::{self, Table};
use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::{App, AppError};

/// The reports of the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportKind {
    Appeals,
    Recurring,
    Letters,
    Payments,
}

impl ReportKind {
    pub const ALL: [ReportKind; 4] = [
        ReportKind::Appeals,
        ReportKind::Recurring,
        ReportKind::Letters,
        ReportKind::Payments,
    ];

    /// The address part: `/reports/{code}`, `/api/v1/reports/{code}`.
    pub fn code(self) -> &'static str {
        match self {
            ReportKind::Appeals => "appeals",
            ReportKind::Recurring => "recurring",
            ReportKind::Letters => "letters",
            ReportKind::Payments => "payments",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            ReportKind::Appeals => "Обращения за период",
            ReportKind::Recurring => "Повторяющиеся проблемы",
            ReportKind::Letters => "Корреспонденция",
            ReportKind::Payments => "Начисления, оплаты и долги",
        }
    }

    pub fn about(self) -> &'static str {
        match self {
            ReportKind::Appeals => {
                "Поступило по видам, каналам, категориям и домам; исполнение сроков, повторные открытия, оценки жителей — рядом с прошлым периодом и тем же периодом год назад."
            }
            ReportKind::Recurring => {
                "Дома и категории, по которым за период пришло два обращения и больше, по убыванию."
            }
            ReportKind::Letters => {
                "Входящие по видам отправителей и ответы на них (в срок, с опозданием, просрочены), исходящие."
            }
            ReportKind::Payments => {
                "Начислено, оплачено и собираемость по домам; долг на начало и конец периода — суммы оборотной ведомости."
            }
        }
    }

    /// Which filters apply.
    pub fn filters(self) -> &'static [&'static str] {
        match self {
            ReportKind::Appeals | ReportKind::Recurring => {
                &["building_id", "category_id", "department_id", "executor_id"]
            }
            ReportKind::Letters => &[],
            ReportKind::Payments => &["building_id"],
        }
    }
}

/// A checked request.
#[derive(Debug, Clone)]
pub struct ReportRequest {
    pub period: ReportPeriod,
    pub building_id: Option<i64>,
    pub category_id: Option<i64>,
    pub department_id: Option<i64>,
    pub executor_id: Option<i64>,
}

/// A day of the years 1900–9999 (beyond them the calendar arithmetic of the periods
/// compared would overflow).
pub fn date(v: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(v, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(v, "%d.%m.%Y"))
        .ok()
        .filter(|d| (1900..=9999).contains(&d.year()))
}

impl ReportRequest {
    /// Read `period` (`2026-11`, `2026-Q4`, `2026`) or `from` and `to` (days), and the
    /// filters; the month of today when no period is given.
    pub async fn read(
        app: &App,
        kind: ReportKind,
        q: &BTreeMap<String, String>,
    ) -> Result<ReportRequest, AppError> {
        let today = app.today().await?;
        let get = |k: &str| q.get(k).map(|v| v.trim()).filter(|v| !v.is_empty());
        let mut e = ValidationErrors::new();
        let day = |k: &str, e: &mut ValidationErrors| {
            let v = get(k)?;
            let d = date(v);
            if d.is_none() {
                e.add(k, format!("Дата «{v}» не распознана: пишите ДД.ММ.ГГГГ"));
            }
            d
        };
        let (from, to) = (day("from", &mut e), day("to", &mut e));
        let period = match (get("from"), get("to")) {
            (None, None) => match get("period") {
                None => Some(ReportPeriod::month_of(today)),
                Some(p) => match ReportPeriod::parse(p) {
                    Ok(p) => Some(p),
                    Err(v) => {
                        for f in v.0 {
                            e.add(&f.field, f.message);
                        }
                        None
                    }
                },
            },
            (Some(_), None) => {
                e.add("to", "Укажите и конец периода");
                None
            }
            (None, Some(_)) => {
                e.add("from", "Укажите и начало периода");
                None
            }
            _ => from.zip(to).map(|(f, t)| ReportPeriod::range(f, t)),
        };
        if let Some(p) = period {
            if let Err(v) = p.validate(today) {
                // A month, quarter or year is one field.
                let field_of = |f: &str| {
                    if get("from").is_none() && get("to").is_none() {
                        "period".to_string()
                    } else {
                        f.to_string()
                    }
                };
                for f in v.0 {
                    e.add(&field_of(&f.field), f.message);
                }
            }
        }
        let id = |k: &str, e: &mut ValidationErrors| -> Option<i64> {
            let v = get(k)?;
            match v.parse::<i64>() {
                Ok(i) if i > 0 => Some(i),
                _ => {
                    e.add(k, format!("Код «{v}» — не число: выберите из списка"));
                    None
                }
            }
        };
        let building_id = id("building_id", &mut e);
        let category_id = id("category_id", &mut e);
        let department_id = id("department_id", &mut e);
        let executor_id = id("executor_id", &mut e);
        let applies = kind.filters();
        for (k, v, table, what) in [
            ("building_id", building_id, Table::Buildings, "Дома"),
            ("category_id", category_id, Table::Categories, "Категории"),
            ("department_id", department_id, Table::Departments, "Отдела"),
            ("executor_id", executor_id, Table::Users, "Исполнителя"),
        ] {
            let Some(v) = v else { continue };
            if !applies.contains(&k) {
                e.add(
                    k,
                    format!("Этот отчёт не делится по полю «{k}»: уберите его"),
                );
            } else if !reports::exists(&app.db, table, v).await? {
                e.add(k, format!("{what} с кодом {v} нет: выберите из списка"));
            }
        }
        match period {
            Some(period) if e.is_empty() => Ok(ReportRequest {
                period,
                building_id,
                category_id,
                department_id,
                executor_id,
            }),
            _ => Err(AppError::Invalid(e)),
        }
    }
}
