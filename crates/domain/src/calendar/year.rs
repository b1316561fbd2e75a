//! One year of the production calendar, its JSON file and the validation of that file.

use super::bits::{self, DayBits};
use crate::error::ValidationErrors;
use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

/// Where a year's calendar comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CalendarSource {
    /// Built from ТК РФ ст. 112 alone: no decree on moved days off was loaded for the year.
    BaseRules,
    /// A government decree on moved days off, e.g. `ПП РФ от 04.10.2024 № 1335`.
    Decree { reference: String },
}

/// The production calendar of one year: the weekdays that are off (holidays and moved days
/// off) and the weekend days that are working (working Saturdays).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearCalendar {
    year: i32,
    source: CalendarSource,
    non_working: Vec<NaiveDate>,
    working_weekends: Vec<NaiveDate>,
    pub(crate) bits: DayBits,
}

/// The file format: `{"year":2025,"source":"ПП РФ от 04.10.2024 № 1335",
/// "non_working":["2025-01-01",...],"working_weekends":["2025-11-01"]}`.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct YearFile {
    year: i32,
    source: Option<String>,
    non_working: Vec<String>,
    #[serde(default)]
    working_weekends: Vec<String>,
}

impl YearCalendar {
    /// A checked year. Every date must belong to `year`; `non_working` holds only weekdays
    /// (Saturdays and Sundays are off anyway), `working_weekends` only Saturdays and Sundays.
    /// Errors name the date in Russian.
    pub fn new(
        year: i32,
        source: CalendarSource,
        non_working: Vec<NaiveDate>,
        working_weekends: Vec<NaiveDate>,
    ) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        if NaiveDate::from_ymd_opt(year, 1, 1).is_none()
            || NaiveDate::from_ymd_opt(year, 12, 31).is_none()
        {
            errors.add("year", format!("Год {year} вне допустимого диапазона дат"));
            return Err(errors);
        }
        if let CalendarSource::Decree { reference } = &source {
            if reference.trim().is_empty() {
                errors.add("source", SOURCE_MISSING);
            }
        }
        let mut bits = DayBits::weekdays(year);
        let lists = [
            ("non_working", &non_working, false),
            ("working_weekends", &working_weekends, true),
        ];
        for (field, dates, working) in lists {
            for (i, d) in dates.iter().enumerate() {
                let field = format!("{field}[{i}]");
                let shown = d.format("%d.%m.%Y");
                let weekend = is_weekend(*d);
                if d.year() != year {
                    errors.add(&field, format!("Дата {shown} не относится к {year} году"));
                } else if dates[..i].contains(d) {
                    errors.add(&field, format!("Дата {shown} указана дважды"));
                } else if !working && weekend {
                    errors.add(
                        &field,
                        format!(
                            "{shown} — {}: в нерабочие дни вносятся только будни, \
                             суббота и воскресенье выходные и так",
                            weekday_ru(*d)
                        ),
                    );
                } else if working && !weekend {
                    errors.add(
                        &field,
                        format!(
                            "{shown} — {}: рабочим выходным может быть только суббота или \
                             воскресенье",
                            weekday_ru(*d)
                        ),
                    );
                } else {
                    bits.set(d.ordinal0(), working);
                }
            }
        }
        let (mut non_working, mut working_weekends) = (non_working, working_weekends);
        non_working.sort_unstable();
        working_weekends.sort_unstable();
        errors.into_result(Self {
            year,
            source,
            non_working,
            working_weekends,
            bits,
        })
    }

    /// The year as ТК РФ ст. 112 alone makes it (no decree loaded).
    ///
    /// # Panics
    /// When `year` is outside chrono's date range (about ±262 000).
    pub fn base_rules(year: i32) -> Self {
        let bits = bits::base_rules(year);
        let first = bits::first_day(year);
        let mut non_working = Vec::new();
        for day in 0..bits.len() {
            let d = first + chrono::Days::new(u64::from(day));
            if !bits.get(day) && !is_weekend(d) {
                non_working.push(d);
            }
        }
        Self {
            year,
            source: CalendarSource::BaseRules,
            non_working,
            working_weekends: Vec::new(),
            bits,
        }
    }

    /// Reads one year from its JSON file. `source` must name the decree: a year without a
    /// decree is not loaded at all, it is built from the base rules.
    pub fn from_json(json: &str) -> Result<Self, ValidationErrors> {
        let file: YearFile = serde_json::from_str(json).map_err(|e| {
            ValidationErrors::single(
                "json",
                format!("Файл календаря не разобран: {e}. Ожидается объект с полями year, source, non_working, working_weekends"),
            )
        })?;
        Self::from_file(file)
    }

    pub(crate) fn from_file(file: YearFile) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let source = match file.source.as_deref().map(str::trim) {
            Some(s) if !s.is_empty() => CalendarSource::Decree {
                reference: s.to_string(),
            },
            _ => {
                errors.add("source", SOURCE_MISSING);
                CalendarSource::BaseRules
            }
        };
        let mut parse = |field: &str, list: &[String]| -> Vec<NaiveDate> {
            let mut dates = Vec::with_capacity(list.len());
            for (i, s) in list.iter().enumerate() {
                match NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d") {
                    Ok(d) => dates.push(d),
                    Err(_) => errors.add(
                        &format!("{field}[{i}]"),
                        format!("«{s}» — не дата: укажите дату в виде ГГГГ-ММ-ДД"),
                    ),
                }
            }
            dates
        };
        let non_working = parse("non_working", &file.non_working);
        let working_weekends = parse("working_weekends", &file.working_weekends);
        if !errors.is_empty() {
            return Err(errors);
        }
        Self::new(file.year, source, non_working, working_weekends)
    }

    pub(crate) fn to_file(&self) -> YearFile {
        let show = |dates: &[NaiveDate]| dates.iter().map(|d| d.to_string()).collect();
        YearFile {
            year: self.year,
            source: match &self.source {
                CalendarSource::BaseRules => None,
                CalendarSource::Decree { reference } => Some(reference.clone()),
            },
            non_working: show(&self.non_working),
            working_weekends: show(&self.working_weekends),
        }
    }

    /// The year as a JSON file an administrator can edit and load back. A base-rules year is
    /// written with `"source": null`, which must be filled in before loading.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(&self.to_file()).expect("a plain struct serializes")
    }

    pub fn year(&self) -> i32 {
        self.year
    }

    pub fn source(&self) -> &CalendarSource {
        &self.source
    }

    /// Weekdays that are off, sorted.
    pub fn non_working(&self) -> &[NaiveDate] {
        &self.non_working
    }

    /// Saturdays and Sundays that are working, sorted.
    pub fn working_weekends(&self) -> &[NaiveDate] {
        &self.working_weekends
    }

    pub fn working_days(&self) -> u32 {
        self.bits.count(0, self.bits.len())
    }

    /// `false` for dates of another year.
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        date.year() == self.year && self.bits.get(date.ordinal0())
    }
}

const SOURCE_MISSING: &str =
    "Укажите источник: реквизиты постановления Правительства РФ о переносе выходных дней";

pub(crate) fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The weekday's Russian name: «пятница».
pub fn weekday_ru(d: NaiveDate) -> &'static str {
    match d.weekday() {
        Weekday::Mon => "понедельник",
        Weekday::Tue => "вторник",
        Weekday::Wed => "среда",
        Weekday::Thu => "четверг",
        Weekday::Fri => "пятница",
        Weekday::Sat => "суббота",
        Weekday::Sun => "воскресенье",
    }
}
