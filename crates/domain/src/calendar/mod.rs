//! Production calendar (производственный календарь) as data.
//!
//! A year is a set of weekdays that are off and a set of weekend days that are working, loaded
//! from a government decree (regulations §4). A year with no decree loaded is built from the
//! base rules of ТК РФ ст. 112. The 2025 and 2026 decrees ship with the program
//! (`data/calendar/*.json`); an administrator loads later years from the same JSON format.
//!
//! Counting follows ГК РФ ст. 191: a term of n working days starts on the day after the
//! event, so `add_working_days(d, n)` is the n-th working day strictly after `d`, and
//! `working_days_between(a, b)` counts the working days in `(a, b]`.
//!
//! Every query is allocation-free: a loaded year is a bitset, a missing year is computed on the
//! stack.

mod bits;
mod form;
mod year;

pub use form::{decree_reference, lists_from_days_off, year_from_form};
pub use year::{weekday_ru, CalendarSource, YearCalendar};

use crate::error::ValidationErrors;
use bits::DayBits;
use chrono::{Datelike, Days, NaiveDate};
use std::collections::BTreeMap;

/// The shipped decrees, embedded in the binary.
const SHIPPED: [&str; 2] = [
    include_str!("../../data/calendar/2025.json"),
    include_str!("../../data/calendar/2026.json"),
];

static BASE_RULES: CalendarSource = CalendarSource::BaseRules;

/// The production calendar: the loaded decree years; other years follow ТК РФ ст. 112.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkCalendar {
    years: BTreeMap<i32, YearCalendar>,
}

impl WorkCalendar {
    /// No decree loaded: every year is built from the base rules.
    pub fn base_rules_only() -> Self {
        Self::default()
    }

    /// The calendar shipped with the program: decrees for 2025 and 2026. Parses embedded
    /// JSON, so build it once at start-up and share it.
    pub fn shipped() -> Self {
        let mut calendar = Self::default();
        for json in SHIPPED {
            calendar.insert_year(YearCalendar::from_json(json).expect("shipped calendar valid"));
        }
        calendar
    }

    /// Reads a calendar from JSON: one year object or an array of them (see
    /// [`YearCalendar::from_json`]). Errors name the array index: `[1].non_working[3]`.
    pub fn from_json(json: &str) -> Result<Self, ValidationErrors> {
        let mut calendar = Self::default();
        calendar.load_json(json)?;
        Ok(calendar)
    }

    /// Loads one year or an array of years, replacing loaded years with the same number.
    /// Nothing is loaded when any year is invalid.
    pub fn load_json(&mut self, json: &str) -> Result<(), ValidationErrors> {
        let value: serde_json::Value = serde_json::from_str(json).map_err(|e| {
            ValidationErrors::single("json", format!("Файл календаря не разобран: {e}"))
        })?;
        let (items, single) = match value {
            serde_json::Value::Array(items) => (items, false),
            other => (vec![other], true),
        };
        let mut errors = ValidationErrors::new();
        let mut loaded: Vec<YearCalendar> = Vec::with_capacity(items.len());
        for (i, item) in items.into_iter().enumerate() {
            let prefix = if single {
                String::new()
            } else {
                format!("[{i}].")
            };
            let parsed = serde_json::from_value(item)
                .map_err(|e| ValidationErrors::single("json", format!("Год не разобран: {e}")))
                .and_then(YearCalendar::from_file);
            match parsed {
                Ok(y) if loaded.iter().any(|l| l.year() == y.year()) => errors.add(
                    &format!("{prefix}year"),
                    format!("Год {} указан дважды", y.year()),
                ),
                Ok(y) => loaded.push(y),
                Err(e) => errors.0.extend(e.prefixed(&prefix).0),
            }
        }
        errors.into_result(())?;
        for y in loaded {
            self.insert_year(y);
        }
        Ok(())
    }

    /// The loaded decree years as a JSON array, the format [`Self::from_json`] reads.
    pub fn to_json(&self) -> String {
        let files: Vec<_> = self.years.values().map(YearCalendar::to_file).collect();
        serde_json::to_string_pretty(&files).expect("a plain struct serializes")
    }

    /// Loads a year, returning the one it replaces.
    pub fn insert_year(&mut self, year: YearCalendar) -> Option<YearCalendar> {
        self.years.insert(year.year(), year)
    }

    /// Unloads a year: it falls back to the base rules.
    pub fn remove_year(&mut self, year: i32) -> Option<YearCalendar> {
        self.years.remove(&year)
    }

    /// The loaded decree years, in order.
    pub fn loaded_years(&self) -> impl Iterator<Item = &YearCalendar> {
        self.years.values()
    }

    /// The year as used: the loaded decree or the base rules (built, so it allocates).
    pub fn year(&self, year: i32) -> YearCalendar {
        self.years
            .get(&year)
            .cloned()
            .unwrap_or_else(|| YearCalendar::base_rules(year))
    }

    pub fn source(&self, year: i32) -> &CalendarSource {
        self.years.get(&year).map_or(&BASE_RULES, |y| y.source())
    }

    fn bits(&self, year: i32) -> DayBits {
        match self.years.get(&year) {
            Some(y) => y.bits,
            None => bits::base_rules(year),
        }
    }

    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        self.bits(date.year()).get(date.ordinal0())
    }

    /// `date` itself when it is a working day, else the next working day (ГК РФ ст. 193).
    ///
    /// # Panics
    /// Past the end of chrono's date range.
    pub fn next_working_day_on_or_after(&self, date: NaiveDate) -> NaiveDate {
        self.nth_from(date.year(), date.ordinal0(), 1)
    }

    /// The `n`-th working day after `date` (`date` itself not counted): the last day of a term
    /// of `n` working days that starts with an event on `date`. `n = 0` returns `date`.
    ///
    /// # Panics
    /// Past the end of chrono's date range.
    pub fn add_working_days(&self, date: NaiveDate, n: u32) -> NaiveDate {
        if n == 0 {
            return date;
        }
        self.nth_from(date.year(), date.ordinal0() + 1, n)
    }

    /// The `n`-th working day at ordinal `from` of `year` or later.
    fn nth_from(&self, mut year: i32, mut from: u32, mut n: u32) -> NaiveDate {
        loop {
            match self.bits(year).nth_from(from, n) {
                Ok(day) => return bits::first_day(year) + Days::new(u64::from(day)),
                Err(left) => {
                    n = left;
                    from = 0;
                    year += 1;
                }
            }
        }
    }

    /// Working days in `(a, b]`: `add_working_days(a, n)` is `n` days after `a`. Negative when
    /// `b` is before `a`.
    pub fn working_days_between(&self, a: NaiveDate, b: NaiveDate) -> i64 {
        if b < a {
            return -self.working_days_between(b, a);
        }
        let mut total = 0i64;
        for year in a.year()..=b.year() {
            let bits = self.bits(year);
            let from = if year == a.year() {
                a.ordinal0() + 1
            } else {
                0
            };
            let to = if year == b.year() {
                b.ordinal0() + 1
            } else {
                bits.len()
            };
            total += i64::from(bits.count(from, to));
        }
        total
    }

    pub fn working_days_in_year(&self, year: i32) -> u32 {
        let bits = self.bits(year);
        bits.count(0, bits.len())
    }
}

#[cfg(test)]
mod tests;
