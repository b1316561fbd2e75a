//! Interruptions of one service at one building, and the time beyond the allowance in a
//! billing month (ПП 354, приложение № 1: «за каждый час превышения допустимой
//! продолжительности перерыва …, исчисленной суммарно за расчётный период»).

use chrono::{Duration, NaiveDateTime};
use serde::{Deserialize, Serialize};

use super::norms::{NormRow, Rounding};
use super::{Cause, Month};
use crate::error::ValidationErrors;

/// What a single interruption's allowance depends on; unknown values are `None`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Circumstances {
    #[serde(default)]
    pub cause: Cause,
    /// Measured room temperature during a heating stop, tenths of °C.
    #[serde(default)]
    pub room_dc: Option<i32>,
    /// Outdoor temperature during a waste collection stop, tenths of °C.
    #[serde(default)]
    pub outdoor_dc: Option<i32>,
    /// Independent power sources of the building.
    #[serde(default)]
    pub power_sources: Option<u8>,
}

/// One stop of the service, `[from, to)` in local time (`to` is «now» while it lasts).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Interruption {
    pub from: NaiveDateTime,
    pub to: NaiveDateTime,
    #[serde(default)]
    pub circumstances: Circumstances,
}

/// The month's figures for one service at one building.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Excess {
    /// Interruption in the month that counts towards the monthly allowance, minutes.
    pub counted_minutes: i64,
    /// Beyond the monthly allowance.
    pub monthly_excess_minutes: i64,
    /// Beyond each interruption's own allowance, summed.
    pub single_excess_minutes: i64,
    /// What the reduction is for: the larger of the two, since both limits bind.
    pub beyond_minutes: i64,
    /// Hours (days for waste) beyond, after rounding.
    pub units: i64,
    /// The reduction, basis points of the month's fee, at most 100 %.
    pub reduction_bp: u32,
}

/// The time beyond the allowance in `month`. Interruptions must not overlap (the register
/// asks to merge overlapping ones before); an interruption that runs into the next month
/// counts in each month for its part there, its single allowance running from its start.
pub fn excess(
    norm: &NormRow,
    rounding: Rounding,
    month: Month,
    interruptions: &[Interruption],
) -> Result<Excess, ValidationErrors> {
    check(interruptions)?;
    let mut e = Excess::default();
    for i in interruptions {
        let single = norm.single_allowance(&i.circumstances);
        if single.is_none_or(|l| l.counts_in_month) {
            e.counted_minutes += month.overlap_minutes(i.from, i.to);
        }
        if let Some(limit) = single {
            let allowed_until = i.from + Duration::hours(i64::from(limit.hours));
            e.single_excess_minutes += month.overlap_minutes(allowed_until, i.to);
        }
    }
    if let Some(hours) = norm.monthly_hours {
        e.monthly_excess_minutes = (e.counted_minutes - i64::from(hours) * 60).max(0);
    }
    e.beyond_minutes = e.monthly_excess_minutes.max(e.single_excess_minutes);
    e.units = rounding.units(e.beyond_minutes, i64::from(norm.unit_hours) * 60);
    e.reduction_bp = bp_capped(e.units, norm.rate_bp);
    Ok(e)
}

/// `units × rate`, never above 100 %.
pub(crate) fn bp_capped(units: i64, rate_bp: u32) -> u32 {
    let bp = units.saturating_mul(i64::from(rate_bp)).clamp(0, 10_000);
    bp as u32
}

fn check(interruptions: &[Interruption]) -> Result<(), ValidationErrors> {
    let mut errors = ValidationErrors::new();
    for (n, i) in interruptions.iter().enumerate() {
        if i.to <= i.from {
            errors.add(
                &format!("interruptions[{n}].to"),
                format!(
                    "Перерыв с {} заканчивается не позже, чем начался ({}): проверьте время окончания",
                    i.from.format("%d.%m.%Y %H:%M"),
                    i.to.format("%d.%m.%Y %H:%M")
                ),
            );
        }
    }
    let mut order: Vec<usize> = (0..interruptions.len()).collect();
    order.sort_by_key(|&n| interruptions[n].from);
    for w in order.windows(2) {
        let (a, b) = (&interruptions[w[0]], &interruptions[w[1]]);
        if b.from < a.to {
            errors.add(
                &format!("interruptions[{}].from", w[1]),
                format!(
                    "Перерывы с {} и с {} пересекаются: объедините их в один",
                    a.from.format("%d.%m.%Y %H:%M"),
                    b.from.format("%d.%m.%Y %H:%M")
                ),
            );
        }
    }
    errors.into_result(())
}
