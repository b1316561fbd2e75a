//! Payment due date of a billing period (срок оплаты), ЖК РФ ст. 155 ч. 1, regulations §1.
//!
//! The rule is data, chosen per period: charges for a month are due by a day of the next
//! month — the 10th up to February 2026, the 15th from March 2026 (177-ФЗ). A due date on a
//! non-working day moves to the next working day (ГК РФ ст. 193).

use crate::calendar::WorkCalendar;
use crate::error::ValidationErrors;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// From the billing period `from_period` (year, month) on, until the next rule: charges are
/// due by `day_of_next_month` of the month after the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueDateRule {
    pub from_period: (i32, u32),
    /// 1–31; a day past the end of a short month means its last day.
    pub day_of_next_month: u32,
    pub source: String,
}

/// Why there is no due date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DueDateError {
    #[error("Месяц {month} расчётного периода {year} года не существует")]
    InvalidPeriod { year: i32, month: u32 },
    #[error("Нет правила срока оплаты для периода {month:02}.{year}: добавьте правило")]
    NoRule { year: i32, month: u32 },
}

/// The shipped rules: ЖК РФ ст. 155 ч. 1 from its entry into force (01.03.2005), and the
/// 177-ФЗ wording from the March 2026 period on.
pub fn default_due_date_rules() -> Vec<DueDateRule> {
    vec![
        DueDateRule {
            from_period: (2005, 3),
            day_of_next_month: 10,
            source: "ЖК РФ ст. 155 ч. 1 (до 177-ФЗ)".into(),
        },
        DueDateRule {
            from_period: (2026, 3),
            day_of_next_month: 15,
            source: "ЖК РФ ст. 155 ч. 1 в ред. 177-ФЗ от 24.06.2025".into(),
        },
    ]
}

/// The rule in force for a period: the one with the latest `from_period` not after it.
pub fn rule_for(
    period_year: i32,
    period_month: u32,
    rules: &[DueDateRule],
) -> Option<&DueDateRule> {
    rules
        .iter()
        .filter(|r| r.from_period <= (period_year, period_month))
        .max_by_key(|r| r.from_period)
}

/// The due date as the rule states it, before moving off a non-working day.
pub fn nominal_due_date(
    period_year: i32,
    period_month: u32,
    rules: &[DueDateRule],
) -> Result<NaiveDate, DueDateError> {
    let invalid = DueDateError::InvalidPeriod {
        year: period_year,
        month: period_month,
    };
    let first = NaiveDate::from_ymd_opt(period_year, period_month, 1).ok_or(invalid.clone())?;
    let rule = rule_for(period_year, period_month, rules).ok_or(DueDateError::NoRule {
        year: period_year,
        month: period_month,
    })?;
    let next = first
        .checked_add_months(chrono::Months::new(1))
        .ok_or(invalid)?;
    let last = next
        .checked_add_months(chrono::Months::new(1))
        .map_or(31, |after| {
            after.signed_duration_since(next).num_days() as u32
        });
    let day = rule.day_of_next_month.clamp(1, last);
    Ok(next.with_day(day).expect("day clamped to the month"))
}

/// The due date of the period's charges: the nominal date, moved to the next working day when
/// it is not one (ГК РФ ст. 193). Penalty days are counted from the day after it.
pub fn due_date(
    period_year: i32,
    period_month: u32,
    rules: &[DueDateRule],
    calendar: &WorkCalendar,
) -> Result<NaiveDate, DueDateError> {
    let nominal = nominal_due_date(period_year, period_month, rules)?;
    Ok(calendar.next_working_day_on_or_after(nominal))
}

/// Checks rules an administrator edited. Russian messages naming the rule's index.
pub fn validate_due_date_rules(rules: &[DueDateRule]) -> Result<(), ValidationErrors> {
    let mut errors = ValidationErrors::new();
    for (i, r) in rules.iter().enumerate() {
        let (year, month) = r.from_period;
        if NaiveDate::from_ymd_opt(year, month, 1).is_none() {
            errors.add(
                &format!("[{i}].from_period"),
                format!("Период {month:02}.{year} не существует: месяц 1–12"),
            );
        } else if rules[..i].iter().any(|o| o.from_period == r.from_period) {
            errors.add(
                &format!("[{i}].from_period"),
                format!("Для периода {month:02}.{year} уже есть правило"),
            );
        }
        if !(1..=31).contains(&r.day_of_next_month) {
            errors.add(
                &format!("[{i}].day_of_next_month"),
                "День оплаты — число от 1 до 31",
            );
        }
        if r.source.trim().is_empty() {
            errors.add(
                &format!("[{i}].source"),
                "Укажите основание: статью закона или договор",
            );
        }
    }
    errors.into_result(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Weekday;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn due(y: i32, m: u32) -> NaiveDate {
        due_date(y, m, &default_due_date_rules(), &WorkCalendar::shipped()).unwrap()
    }

    #[test]
    fn the_177_fz_switch() {
        let cal = WorkCalendar::shipped();
        // 9.03.2026 is off, 10.03.2026 is a Tuesday and a working day: no move.
        assert!(!cal.is_working_day(d(2026, 3, 9)));
        assert!(cal.is_working_day(d(2026, 3, 10)));
        assert_eq!(due(2026, 2), d(2026, 3, 10));
        assert_eq!(due(2026, 3), d(2026, 4, 15));
        assert_eq!(due(2025, 12), d(2026, 1, 12)); // 10.01.2026 is a Saturday
        assert_eq!(due(2026, 12), d(2027, 1, 15));
    }

    #[test]
    fn weekend_and_holiday_due_dates_move() {
        // 10.05.2025 is a Saturday; 12.05 (Mon) is the next working day.
        assert_eq!(d(2025, 5, 10).weekday(), Weekday::Sat);
        assert_eq!(due(2025, 4), d(2025, 5, 12));
        // 15.08.2026 is a Saturday → Monday 17.08.
        assert_eq!(d(2026, 8, 15).weekday(), Weekday::Sat);
        assert_eq!(due(2026, 7), d(2026, 8, 17));
        // 10.11.2025 is a Monday, no move; nominal dates never move.
        assert_eq!(due(2025, 10), d(2025, 11, 10));
        assert_eq!(
            nominal_due_date(2025, 4, &default_due_date_rules()),
            Ok(d(2025, 5, 10))
        );
    }

    #[test]
    fn short_months_and_errors() {
        let rules = vec![DueDateRule {
            from_period: (2020, 1),
            day_of_next_month: 31,
            source: "договор".into(),
        }];
        assert_eq!(nominal_due_date(2024, 1, &rules), Ok(d(2024, 2, 29)));
        assert_eq!(nominal_due_date(2025, 3, &rules), Ok(d(2025, 4, 30)));
        assert_eq!(nominal_due_date(2025, 12, &rules), Ok(d(2026, 1, 31)));
        let e = nominal_due_date(2019, 12, &rules).unwrap_err();
        assert_eq!(
            e,
            DueDateError::NoRule {
                year: 2019,
                month: 12
            }
        );
        assert!(e.to_string().contains("12.2019"));
        assert!(matches!(
            nominal_due_date(2025, 13, &rules),
            Err(DueDateError::InvalidPeriod { .. })
        ));
        // Order of rules does not matter.
        let mut reversed = default_due_date_rules();
        reversed.reverse();
        assert_eq!(nominal_due_date(2026, 2, &reversed), Ok(d(2026, 3, 10)));
        assert_eq!(nominal_due_date(2026, 3, &reversed), Ok(d(2026, 4, 15)));
    }

    #[test]
    fn validation() {
        validate_due_date_rules(&default_due_date_rules()).unwrap();
        let bad = vec![
            DueDateRule {
                from_period: (2026, 13),
                day_of_next_month: 0,
                source: " ".into(),
            },
            DueDateRule {
                from_period: (2026, 3),
                day_of_next_month: 15,
                source: "x".into(),
            },
            DueDateRule {
                from_period: (2026, 3),
                day_of_next_month: 15,
                source: "x".into(),
            },
        ];
        let e = validate_due_date_rules(&bad).unwrap_err();
        for f in [
            "[0].from_period",
            "[0].day_of_next_month",
            "[0].source",
            "[2].from_period",
        ] {
            assert!(e.for_field(f).is_some(), "{f}");
        }
        assert_eq!(e.0.len(), 4);
    }

    proptest! {
        #[test]
        fn due_date_is_the_first_working_day_on_or_after_the_nominal(
            year in 2006i32..2035, month in 1u32..=12,
        ) {
            let cal = WorkCalendar::shipped();
            let rules = default_due_date_rules();
            let nominal = nominal_due_date(year, month, &rules).unwrap();
            let due = due_date(year, month, &rules, &cal).unwrap();
            let expected_day = if (year, month) >= (2026, 3) { 15 } else { 10 };
            prop_assert_eq!(nominal.day(), expected_day);
            prop_assert_eq!(nominal.month(), month % 12 + 1);
            prop_assert!(cal.is_working_day(due));
            prop_assert!(due >= nominal);
            prop_assert!(cal.working_days_between(nominal, due) <= 1);
            prop_assert_eq!(cal.is_working_day(nominal), due == nominal);
        }
    }
}
