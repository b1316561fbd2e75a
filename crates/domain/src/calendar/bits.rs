//! The working days of one year as a fixed-size bitset, and the base rules of ТК РФ ст. 112
//! that build such a bitset for a year with no decree. No heap: everything here is `Copy`,
//! so the calendar's hot path (deadlines) never allocates.

use chrono::{Datelike, NaiveDate, Weekday};

/// Bit `ordinal0` is set when that day of the year is a working day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DayBits {
    words: [u64; 6],
    len: u32,
}

impl DayBits {
    /// Monday–Friday working, Saturday and Sunday off.
    pub(crate) fn weekdays(year: i32) -> Self {
        let len = days_in_year(year);
        let mut bits = Self { words: [0; 6], len };
        let mut weekday = first_day(year).weekday().num_days_from_monday();
        for day in 0..len {
            if weekday < 5 {
                bits.set(day, true);
            }
            weekday = if weekday == 6 { 0 } else { weekday + 1 };
        }
        bits
    }

    /// Days in this year (365 or 366).
    pub(crate) fn len(&self) -> u32 {
        self.len
    }

    pub(crate) fn get(&self, day: u32) -> bool {
        day < self.len && self.words[(day / 64) as usize] & (1 << (day % 64)) != 0
    }

    pub(crate) fn set(&mut self, day: u32, working: bool) {
        debug_assert!(day < self.len);
        let mask = 1u64 << (day % 64);
        let word = &mut self.words[(day / 64) as usize];
        if working {
            *word |= mask;
        } else {
            *word &= !mask;
        }
    }

    /// Working days among `from..to` (ordinals, `to` exclusive, clamped to the year).
    pub(crate) fn count(&self, from: u32, to: u32) -> u32 {
        let to = to.min(self.len);
        if from >= to {
            return 0;
        }
        let mut total = 0;
        for (i, word) in self.words.iter().enumerate() {
            let lo = (i as u32) * 64;
            let hi = lo + 64;
            if hi <= from || lo >= to {
                continue;
            }
            let mut w = *word;
            if from > lo {
                w &= !0u64 << (from - lo);
            }
            if to < hi {
                w &= (1u64 << (to - lo)) - 1;
            }
            total += w.count_ones();
        }
        total
    }

    /// The `n`-th working day (`n` ≥ 1) at ordinal `from` or later, or `Err(left)` with how
    /// many working days are still to be found in the following years.
    pub(crate) fn nth_from(&self, from: u32, n: u32) -> Result<u32, u32> {
        debug_assert!(n >= 1);
        let mut n = n;
        for (i, word) in self.words.iter().enumerate() {
            let lo = (i as u32) * 64;
            if lo + 64 <= from {
                continue;
            }
            let mut w = *word;
            if from > lo {
                w &= !0u64 << (from - lo);
            }
            let ones = w.count_ones();
            if ones < n {
                n -= ones;
                continue;
            }
            for _ in 1..n {
                w &= w - 1; // drop the lowest working day
            }
            return Ok(lo + w.trailing_zeros());
        }
        Err(n)
    }
}

/// The non-working holidays of ТК РФ ст. 112 ч. 1 as (month, day).
pub(crate) const HOLIDAYS: [(u32, u32); 14] = [
    (1, 1),
    (1, 2),
    (1, 3),
    (1, 4),
    (1, 5),
    (1, 6),
    (1, 7),
    (1, 8),
    (2, 23),
    (3, 8),
    (5, 1),
    (5, 9),
    (6, 12),
    (11, 4),
];

/// A year built from ТК РФ ст. 112 alone: weekends and holidays are off; a holiday that falls
/// on a weekend moves the day off to the next working day (ч. 2), except the January holidays,
/// whose weekend days only a government decree can move (ч. 5), so here they are not moved.
pub(crate) fn base_rules(year: i32) -> DayBits {
    let mut bits = DayBits::weekdays(year);
    for (month, day) in HOLIDAYS {
        bits.set(date(year, month, day).ordinal0(), false);
    }
    // Chronological order, so that two moved days can never land on the same date.
    for (month, day) in HOLIDAYS.iter().filter(|(m, _)| *m != 1) {
        let holiday = date(year, *month, *day);
        if matches!(holiday.weekday(), Weekday::Sat | Weekday::Sun) {
            let mut next = holiday.ordinal0() + 1;
            while next < bits.len() && !bits.get(next) {
                next += 1;
            }
            if next < bits.len() {
                bits.set(next, false);
            }
        }
    }
    bits
}

pub(crate) fn days_in_year(year: i32) -> u32 {
    if NaiveDate::from_ymd_opt(year, 2, 29).is_some() {
        366
    } else {
        365
    }
}

/// 1 January of `year`. Every year that contains a valid `NaiveDate` is whole in chrono
/// (its range starts on 1 January and ends on 31 December), so this holds for any such year.
pub(crate) fn first_day(year: i32) -> NaiveDate {
    date(year, 1, 1)
}

fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).expect("year within chrono's range")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn count_and_nth_agree_with_a_plain_scan() {
        let bits = base_rules(2027);
        let scan: Vec<u32> = (0..bits.len()).filter(|d| bits.get(*d)).collect();
        assert_eq!(bits.count(0, 365) as usize, scan.len());
        for from in [0, 1, 63, 64, 65, 127, 128, 200, 255, 256, 300, 364] {
            let after: Vec<u32> = scan.iter().copied().filter(|d| *d >= from).collect();
            assert_eq!(bits.count(from, 365) as usize, after.len(), "from {from}");
            for n in 1..=after.len() as u32 {
                assert_eq!(bits.nth_from(from, n), Ok(after[n as usize - 1]));
            }
            assert_eq!(bits.nth_from(from, after.len() as u32 + 3), Err(3));
        }
        assert_eq!(bits.count(10, 10), 0);
        assert_eq!(bits.count(20, 10), 0);
    }

    #[test]
    fn leap_year_has_366_days_and_bit_365_is_usable() {
        let bits = DayBits::weekdays(2032); // 31.12.2032 is a Friday
        assert_eq!(bits.len(), 366);
        assert!(bits.get(365));
        assert!(!bits.get(366));
        assert_eq!(DayBits::weekdays(2100).len(), 365);
    }
}
