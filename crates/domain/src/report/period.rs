//! The period of a report: a calendar month by default, or a quarter, a year or any range
//! of days, always whole days in the organization's time zone (an appeal registered at
//! 23:30 local time on the 31st belongs to that month, whatever the date in UTC).

use chrono::{DateTime, Datelike, Days, LocalResult, Months, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::error::ValidationErrors;

/// The longest period a report covers.
pub const MAX_YEARS: u32 = 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodKind {
    Month,
    Quarter,
    Year,
    Range,
}

/// Days `from..=to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportPeriod {
    pub kind: PeriodKind,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl ReportPeriod {
    pub fn month(year: i32, month: u32) -> Option<ReportPeriod> {
        let from = NaiveDate::from_ymd_opt(year, month, 1)?;
        let to = from.checked_add_months(Months::new(1))?.pred_opt()?;
        Some(ReportPeriod {
            kind: PeriodKind::Month,
            from,
            to,
        })
    }

    pub fn quarter(year: i32, quarter: u32) -> Option<ReportPeriod> {
        if !(1..=4).contains(&quarter) {
            return None;
        }
        let from = NaiveDate::from_ymd_opt(year, quarter * 3 - 2, 1)?;
        let to = from.checked_add_months(Months::new(3))?.pred_opt()?;
        Some(ReportPeriod {
            kind: PeriodKind::Quarter,
            from,
            to,
        })
    }

    pub fn year(year: i32) -> Option<ReportPeriod> {
        Some(ReportPeriod {
            kind: PeriodKind::Year,
            from: NaiveDate::from_ymd_opt(year, 1, 1)?,
            to: NaiveDate::from_ymd_opt(year, 12, 31)?,
        })
    }

    /// Any days; checked by [`ReportPeriod::validate`].
    pub fn range(from: NaiveDate, to: NaiveDate) -> ReportPeriod {
        ReportPeriod {
            kind: PeriodKind::Range,
            from,
            to,
        }
    }

    /// The month containing `day` (the default: the month of «today»).
    pub fn month_of(day: NaiveDate) -> ReportPeriod {
        ReportPeriod::month(day.year(), day.month()).expect("a date's month exists")
    }

    /// Read `2026-11` (month), `2026-Q4` (quarter) or `2026` (year).
    pub fn parse(text: &str) -> Result<ReportPeriod, ValidationErrors> {
        let t = text.trim();
        let bad = || {
            ValidationErrors::single(
                "period",
                format!("Период «{t}» не распознан: укажите месяц (2026-11), квартал (2026-Q4) или год (2026)"),
            )
        };
        let (year, rest) = t.split_once('-').map_or((t, None), |(y, r)| (y, Some(r)));
        let year: i32 = year.parse().map_err(|_| bad())?;
        if !(1900..=9999).contains(&year) {
            return Err(bad());
        }
        let period = match rest {
            None => ReportPeriod::year(year),
            Some(q) if q.starts_with(['Q', 'q']) => q[1..]
                .parse()
                .ok()
                .and_then(|q| ReportPeriod::quarter(year, q)),
            Some(m) => m.parse().ok().and_then(|m| ReportPeriod::month(year, m)),
        };
        period.ok_or_else(bad)
    }

    /// Problems with the period as asked for on `today` (in the organization's time zone).
    pub fn validate(&self, today: NaiveDate) -> Result<(), ValidationErrors> {
        let mut e = ValidationErrors::new();
        if self.to < self.from {
            e.add(
                "to",
                format!(
                    "Конец периода {} раньше его начала {}: поменяйте даты местами",
                    self.to.format("%d.%m.%Y"),
                    self.from.format("%d.%m.%Y")
                ),
            );
        } else if self
            .from
            .checked_add_months(Months::new(12 * MAX_YEARS))
            .is_none_or(|limit| self.to >= limit)
        {
            e.add(
                "to",
                format!("Период длиннее {MAX_YEARS} лет: выберите не больше {MAX_YEARS} лет"),
            );
        }
        if self.from > today {
            e.add(
                "from",
                format!(
                    "Период начинается {} — это ещё не наступило: отчёт строится за прошедшие дни",
                    self.from.format("%d.%m.%Y")
                ),
            );
        }
        e.into_result(())
    }

    pub fn days(&self) -> i64 {
        (self.to - self.from).num_days() + 1
    }

    /// The period before, of the same kind: the previous month, quarter or year, or as many
    /// days just before a range.
    pub fn previous(&self) -> ReportPeriod {
        match self.kind {
            PeriodKind::Range => {
                let to = self
                    .from
                    .pred_opt()
                    .expect("dates are far from the calendar's start");
                let from = to - Days::new(self.days() as u64 - 1);
                ReportPeriod::range(from, to)
            }
            _ => self.shifted_back(match self.kind {
                PeriodKind::Month => 1,
                PeriodKind::Quarter => 3,
                _ => 12,
            }),
        }
    }

    /// The same period a year earlier.
    pub fn year_earlier(&self) -> ReportPeriod {
        match self.kind {
            PeriodKind::Range => {
                ReportPeriod::range(self.from - Months::new(12), self.to - Months::new(12))
            }
            _ => self.shifted_back(12),
        }
    }

    fn shifted_back(&self, months: u32) -> ReportPeriod {
        let from = self.from - Months::new(months);
        let length = match self.kind {
            PeriodKind::Month => 1,
            PeriodKind::Quarter => 3,
            _ => 12,
        };
        let to = (from + Months::new(length))
            .pred_opt()
            .expect("a day before exists");
        ReportPeriod {
            kind: self.kind,
            from,
            to,
        }
    }

    /// The instants `[start, end)` of the period in `tz`, for queries over UTC timestamps.
    pub fn utc_bounds(&self, tz: Tz) -> (DateTime<Utc>, DateTime<Utc>) {
        let start = midnight_utc(tz, self.from);
        let end = midnight_utc(tz, self.to.succ_opt().expect("a day after exists"));
        (start, end)
    }

    /// Billing months the period touches, as `YYYY-MM`.
    pub fn billing_months(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut m = self.from.with_day(1).expect("day 1 exists");
        while m <= self.to {
            out.push(m.format("%Y-%m").to_string());
            m = m + Months::new(1);
        }
        out
    }

    /// How the period is named on a report: «ноябрь 2026», «IV квартал 2026», «2026 год»,
    /// «01.11.2026 — 15.11.2026».
    pub fn title(&self) -> String {
        match self.kind {
            PeriodKind::Month => crate::ledger::Period {
                year: self.from.year(),
                month: self.from.month(),
            }
            .title(),
            PeriodKind::Quarter => {
                let q = ["I", "II", "III", "IV"][(self.from.month0() / 3) as usize];
                format!("{q} квартал {}", self.from.year())
            }
            PeriodKind::Year => format!("{} год", self.from.year()),
            PeriodKind::Range => format!(
                "{} — {}",
                self.from.format("%d.%m.%Y"),
                self.to.format("%d.%m.%Y")
            ),
        }
    }
}

/// Local midnight of `day` as a UTC instant; where midnight does not exist (a clock moved
/// forward over it) the first instant of the day that does.
fn midnight_utc(tz: Tz, day: NaiveDate) -> DateTime<Utc> {
    let mut local = day.and_hms_opt(0, 0, 0).expect("midnight exists");
    for _ in 0..24 * 4 {
        match tz.from_local_datetime(&local) {
            LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => return t.with_timezone(&Utc),
            LocalResult::None => local += chrono::Duration::minutes(15),
        }
    }
    Utc.from_utc_datetime(&day.and_hms_opt(0, 0, 0).expect("midnight exists"))
}
