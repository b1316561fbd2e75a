//! Quality of utilities (ПП 354, приложение № 1): how long a service may be interrupted,
//! how far its temperature may deviate, and how much the fee drops beyond that.
//!
//! The allowances and rates are data ([`QualityNorms`], shipped as
//! `data/quality_norms.json` with a source per service, replaceable by an administrator);
//! this module only applies them. Times are the organization's local time: a billing month
//! is a calendar month there.

mod interruption;
mod norms;
mod reduction;
mod temperature;

#[cfg(test)]
mod prop_tests;
#[cfg(test)]
mod tests;

pub use interruption::{excess, Circumstances, Excess, Interruption};
pub use norms::{NormRow, QualityNorms, Rounding, SingleLimit, TemperatureNorm};
pub use reduction::{reduce, Reduction};
pub use temperature::{temperature_excess, TemperatureExcess, TemperatureSpell};

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

/// A utility whose interruption reduces the fee (glossary: `service`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Service {
    ColdWater,
    HotWater,
    Sewage,
    Electricity,
    Gas,
    Heating,
    Waste,
}

impl Service {
    pub const ALL: [Service; 7] = [
        Service::ColdWater,
        Service::HotWater,
        Service::Sewage,
        Service::Electricity,
        Service::Gas,
        Service::Heating,
        Service::Waste,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Service::ColdWater => "cold_water",
            Service::HotWater => "hot_water",
            Service::Sewage => "sewage",
            Service::Electricity => "electricity",
            Service::Gas => "gas",
            Service::Heating => "heating",
            Service::Waste => "waste",
        }
    }

    pub fn name_ru(self) -> &'static str {
        match self {
            Service::ColdWater => "холодное водоснабжение",
            Service::HotWater => "горячее водоснабжение",
            Service::Sewage => "водоотведение",
            Service::Electricity => "электроснабжение",
            Service::Gas => "газоснабжение",
            Service::Heating => "отопление",
            Service::Waste => "обращение с ТКО",
        }
    }

    pub fn parse(code: &str) -> Option<Service> {
        Service::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// Why a service stopped, where the cause has an allowance of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cause {
    #[default]
    Ordinary,
    /// An accident on a dead-end main (hot water: 24 h at once).
    DeadEndAccident,
    /// The yearly preventive maintenance (hot water: up to 14 days, not counted in the month).
    AnnualMaintenance,
}

/// A billing month `[start, end)` in local time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Month {
    pub start: NaiveDateTime,
    pub end: NaiveDateTime,
}

impl Month {
    /// The month containing `day`.
    pub fn of(day: NaiveDate) -> Month {
        let first = day.with_day(1).expect("day 1 exists");
        let next = first
            .checked_add_months(chrono::Months::new(1))
            .expect("dates are far from the end of the calendar");
        Month {
            start: first.and_hms_opt(0, 0, 0).expect("midnight exists"),
            end: next.and_hms_opt(0, 0, 0).expect("midnight exists"),
        }
    }

    /// Minutes of `[from, to)` that fall in this month.
    pub(crate) fn overlap_minutes(&self, from: NaiveDateTime, to: NaiveDateTime) -> i64 {
        let a = from.max(self.start);
        let b = to.min(self.end);
        if b > a {
            (b - a).num_minutes()
        } else {
            0
        }
    }
}
