//! The production calendar as a year of month grids: every day a checkbox, checked when it
//! is a day off. The administrator marks holidays and moved days off and unmarks weekends
//! declared working, the way a decree's table reads — no dates to type.

use abonent_domain::calendar::{weekday_ru, YearCalendar};
use abonent_domain::ledger::Period;
use abonent_domain::money::MONTHS_GENITIVE;
use chrono::{Datelike, NaiveDate, Weekday};

pub struct DayCell {
    pub iso: String,
    pub day: u32,
    pub off: bool,
    pub weekend: bool,
    /// «1 января 2027, пятница» for screen readers.
    pub label: String,
}

pub struct MonthGrid {
    /// «Январь».
    pub title: String,
    /// Weeks from Monday; `None` before the first and after the last day.
    pub weeks: Vec<Vec<Option<DayCell>>>,
}

/// The twelve months of `y`, days off checked.
pub fn months(y: &YearCalendar) -> Vec<MonthGrid> {
    (1..=12u32)
        .filter_map(|m| {
            let first = NaiveDate::from_ymd_opt(y.year(), m, 1)?;
            let mut weeks: Vec<Vec<Option<DayCell>>> = Vec::new();
            let mut week: Vec<Option<DayCell>> = (0..first.weekday().num_days_from_monday())
                .map(|_| None)
                .collect();
            for d in first.iter_days().take_while(|d| d.month() == m) {
                week.push(Some(DayCell {
                    iso: d.to_string(),
                    day: d.day(),
                    off: !y.is_working_day(d),
                    weekend: matches!(d.weekday(), Weekday::Sat | Weekday::Sun),
                    label: format!(
                        "{} {} {}, {}",
                        d.day(),
                        MONTHS_GENITIVE[(m - 1) as usize],
                        d.year(),
                        weekday_ru(d)
                    ),
                }));
                if week.len() == 7 {
                    weeks.push(std::mem::take(&mut week));
                }
            }
            if !week.is_empty() {
                week.resize_with(7, || None);
                weeks.push(week);
            }
            // «январь 2027» → «Январь»: the grid's caption, the year is the page's.
            let name = Period::new(y.year(), m)?.title();
            let name = name.split(' ').next().unwrap_or_default();
            let mut letters = name.chars();
            let title = letters
                .next()
                .map(|c| c.to_uppercase().chain(letters).collect())
                .unwrap_or_default();
            Some(MonthGrid { title, weeks })
        })
        .collect()
}

/// The days checked in a posted grid (`off=2027-01-01&off=…`); unreadable values are left
/// out (a checkbox only ever sends what the page wrote).
pub fn days_off(body: &[u8]) -> Vec<NaiveDate> {
    url::form_urlencoded::parse(body)
        .filter(|(k, _)| k == "off")
        .filter_map(|(_, v)| NaiveDate::parse_from_str(&v, "%Y-%m-%d").ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_year_is_twelve_grids_of_weeks_from_monday() {
        let y = YearCalendar::base_rules(2027);
        let m = months(&y);
        assert_eq!(m.len(), 12);
        // 1 January 2027 is a Friday: four empty cells first.
        let jan = &m[0].weeks[0];
        assert!(jan[..4].iter().all(Option::is_none));
        let first = jan[4].as_ref().unwrap();
        assert_eq!((first.day, first.off), (1, true));
        assert_eq!(first.label, "1 января 2027, пятница");
        assert_eq!(
            (m[0].title.as_str(), m[11].title.as_str()),
            ("Январь", "Декабрь")
        );
        let days: usize = m
            .iter()
            .flat_map(|g| g.weeks.iter().flatten())
            .filter(|c| c.is_some())
            .count();
        assert_eq!(days, 365);
        assert!(m.iter().all(|g| g.weeks.iter().all(|w| w.len() == 7)));
        assert_eq!(
            days_off(b"year=2027&off=2027-01-01&off=bad&off=2027-05-03"),
            vec![
                NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(),
                NaiveDate::from_ymd_opt(2027, 5, 3).unwrap()
            ]
        );
    }
}
