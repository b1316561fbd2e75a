//! A year as typed in the admin form, and what a stored year must name as its source.

use chrono::NaiveDate;

use super::{CalendarSource, YearCalendar};
use crate::ValidationErrors;

/// The decree a year to be stored comes from: only a decree is stored (the base rules
/// need no row).
pub fn decree_reference(y: &YearCalendar) -> Result<&str, ValidationErrors> {
    match y.source() {
        CalendarSource::Decree { reference } => Ok(reference),
        CalendarSource::BaseRules => Err(ValidationErrors::single(
            "source",
            "Укажите источник: реквизиты постановления Правительства РФ о переносе выходных дней.",
        )),
    }
}

/// A year from the admin form: dates one per line or separated by commas/semicolons, as
/// `31.12.2027` or `2027-12-31`. Errors name the form field and the bad text.
pub fn year_from_form(
    year: &str,
    source: &str,
    non_working: &str,
    working_weekends: &str,
) -> std::result::Result<YearCalendar, ValidationErrors> {
    let mut e = ValidationErrors::new();
    let year = match year.trim().parse::<i32>() {
        Ok(y) if (2000..=2100).contains(&y) => y,
        _ => {
            e.add("year", "Укажите год числом от 2000 до 2100, например 2027.");
            return Err(e);
        }
    };
    let source = source.trim();
    if source.is_empty() {
        e.add(
            "source",
            "Укажите источник: реквизиты постановления Правительства РФ о переносе выходных дней (например, «ПП РФ от 04.10.2024 № 1335»).",
        );
    } else if source.chars().count() > 500 {
        e.add("source", "Источник длиннее 500 символов: сократите его.");
    }
    let mut dates = |field: &str, label: &str, text: &str| -> Vec<NaiveDate> {
        let mut out = Vec::new();
        for part in text
            .split(['\n', ',', ';'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            match crate::registry::parse_date(part) {
                Some(d) => out.push(d),
                None => e.add(
                    field,
                    format!("«{part}» в поле «{label}» — не дата: пишите даты как 31.12.{year}, по одной в строке."),
                ),
            }
        }
        out
    };
    let nw = dates("non_working", "Нерабочие будни", non_working);
    let ww = dates("working_weekends", "Рабочие выходные", working_weekends);
    if !e.is_empty() {
        return Err(e);
    }
    YearCalendar::new(
        year,
        CalendarSource::Decree {
            reference: source.to_string(),
        },
        nw,
        ww,
    )
    .map_err(|err| {
        // `non_working[3]` → the form field `non_working`.
        let mut out = ValidationErrors::new();
        for f in err.0 {
            let field = f.field.split('[').next().unwrap_or(&f.field).to_string();
            out.add(&field, f.message);
        }
        out
    })
}

/// The days a calendar grid marks as days off, as the two lists a year is stored by: the
/// weekdays marked (holidays and moved days off) and the Saturdays and Sundays not marked
/// (weekends declared working). Days outside `year` are ignored.
pub fn lists_from_days_off(year: i32, off: &[NaiveDate]) -> (Vec<NaiveDate>, Vec<NaiveDate>) {
    use chrono::{Datelike, Weekday};
    let weekend = |d: &NaiveDate| matches!(d.weekday(), Weekday::Sat | Weekday::Sun);
    let mut non_working: Vec<NaiveDate> = off
        .iter()
        .filter(|d| d.year() == year && !weekend(d))
        .copied()
        .collect();
    non_working.sort();
    non_working.dedup();
    let working_weekends = NaiveDate::from_ymd_opt(year, 1, 1)
        .into_iter()
        .flat_map(|first| first.iter_days())
        .take_while(|d| d.year() == year)
        .filter(|d| weekend(d) && !off.contains(d))
        .collect();
    (non_working, working_weekends)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Datelike;

    #[test]
    fn a_grid_of_days_off_reads_as_the_two_lists() {
        let d = |m: u32, day: u32| NaiveDate::from_ymd_opt(2027, m, day).unwrap();
        let base = YearCalendar::base_rules(2027);
        // Every day the base rules call off, as a grid would show them checked.
        let mut off: Vec<NaiveDate> = NaiveDate::from_ymd_opt(2027, 1, 1)
            .unwrap()
            .iter_days()
            .take_while(|x| x.year() == 2027)
            .filter(|x| !base.is_working_day(*x))
            .collect();
        let (nw, ww) = lists_from_days_off(2027, &off);
        assert!(ww.is_empty(), "{ww:?}");
        let y = YearCalendar::new(2027, CalendarSource::BaseRules, nw, ww).unwrap();
        assert_eq!(y.working_days(), base.working_days());
        // Unmark a Saturday (declared working), mark a Friday (a moved day off).
        let saturday = d(11, 13);
        off.retain(|x| *x != saturday);
        off.push(d(11, 5));
        off.push(NaiveDate::from_ymd_opt(2028, 1, 3).unwrap());
        let (nw, ww) = lists_from_days_off(2027, &off);
        assert_eq!(ww, vec![saturday]);
        assert!(nw.contains(&d(11, 5)));
        assert!(nw.iter().all(|x| x.year() == 2027));
        let y = YearCalendar::new(2027, CalendarSource::BaseRules, nw, ww).unwrap();
        assert_eq!(y.working_days(), base.working_days());
        assert!(y.is_working_day(saturday));
        assert!(!y.is_working_day(d(11, 5)));
    }

    #[test]
    fn only_a_decree_is_stored() {
        let y = YearCalendar::base_rules(2027);
        let e = decree_reference(&y).unwrap_err();
        assert!(e
            .for_field("source")
            .unwrap()
            .starts_with("Укажите источник"));
        let y = year_from_form("2027", "ПП РФ № 1", "", "").unwrap();
        assert_eq!(decree_reference(&y).unwrap(), "ПП РФ № 1");
    }

    #[test]
    fn form_errors_name_the_field() {
        let e = year_from_form("1999", "x", "", "").unwrap_err();
        assert!(e.for_field("year").is_some());
        let e = year_from_form("2027", "", "32.01.2027", "").unwrap_err();
        assert!(e.for_field("source").is_some());
        assert_eq!(
            e.for_field("non_working"),
            Some("«32.01.2027» в поле «Нерабочие будни» — не дата: пишите даты как 31.12.2027, по одной в строке.")
        );
        let e = year_from_form("2027", &"я".repeat(501), "", "").unwrap_err();
        assert_eq!(
            e.for_field("source"),
            Some("Источник длиннее 500 символов: сократите его.")
        );
    }
}
