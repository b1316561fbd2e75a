//! Temperature below the norm (ПП 354, приложение № 1: hot water п. 5, heating п. 15):
//! each hour, for each step of deviation beyond the night or day tolerance, reduces the fee.

use chrono::{Duration, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Serialize};

use super::interruption::bp_capped;
use super::norms::{NormRow, Rounding, TemperatureNorm};
use super::Month;
use crate::error::ValidationErrors;

/// A period with a measured temperature, `[from, to)` in local time (an act of measurement).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemperatureSpell {
    pub from: NaiveDateTime,
    pub to: NaiveDateTime,
    /// Tenths of °C.
    pub measured_dc: i32,
    /// A corner room, whose heating norm is higher.
    #[serde(default)]
    pub corner: bool,
}

/// The month's temperature figures for one service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct TemperatureExcess {
    /// Σ minutes × steps of deviation beyond the tolerance.
    pub step_minutes: i64,
    /// Hours × steps, after rounding.
    pub step_hours: i64,
    pub reduction_bp: u32,
    /// Minutes the hot water was colder than the cold-water threshold: billed as cold water
    /// instead of reduced.
    pub cold_minutes: i64,
}

const NIGHT_ENDS: NaiveTime = match NaiveTime::from_hms_opt(5, 0, 0) {
    Some(t) => t,
    None => panic!("05:00 exists"),
};

/// The reduction for temperature in `month`; `None` when the service has no temperature rule.
pub fn temperature_excess(
    norm: &NormRow,
    rounding: Rounding,
    month: Month,
    spells: &[TemperatureSpell],
) -> Result<Option<TemperatureExcess>, ValidationErrors> {
    let Some(t) = &norm.temperature else {
        return Ok(None);
    };
    check(spells)?;
    let mut e = TemperatureExcess::default();
    for s in spells {
        let mut at = s.from.max(month.start);
        let end = s.to.min(month.end);
        while at < end {
            let night = at.time() < NIGHT_ENDS;
            let boundary = if night {
                at.date().and_time(NIGHT_ENDS)
            } else {
                at.date().and_hms_opt(0, 0, 0).expect("midnight") + Duration::days(1)
            };
            let until = boundary.min(end);
            let minutes = (until - at).num_minutes();
            if t.cold_below_dc.is_some_and(|c| s.measured_dc < c) {
                e.cold_minutes += minutes;
            } else {
                e.step_minutes += minutes * steps(t, rounding, s, night);
            }
            at = until;
        }
    }
    e.step_hours = rounding.units(e.step_minutes, 60);
    e.reduction_bp = bp_capped(e.step_hours, t.rate_bp);
    Ok(Some(e))
}

/// Steps of deviation beyond the tolerance at the time of day.
fn steps(t: &TemperatureNorm, rounding: Rounding, s: &TemperatureSpell, night: bool) -> i64 {
    let norm = match (s.corner, t.corner_norm_dc) {
        (true, Some(corner)) => corner,
        _ => t.norm_dc,
    };
    let tolerance = if night {
        t.night_tolerance_dc
    } else {
        t.day_tolerance_dc
    };
    let deficit = i64::from(norm - tolerance - s.measured_dc);
    if deficit <= 0 {
        0
    } else {
        rounding.units(deficit, i64::from(t.step_dc))
    }
}

fn check(spells: &[TemperatureSpell]) -> Result<(), ValidationErrors> {
    let mut errors = ValidationErrors::new();
    for (n, s) in spells.iter().enumerate() {
        if s.to <= s.from {
            errors.add(
                &format!("spells[{n}].to"),
                format!(
                    "Замер с {} заканчивается не позже, чем начался: проверьте время окончания",
                    s.from.format("%d.%m.%Y %H:%M")
                ),
            );
        }
        let overlaps = spells[..n].iter().any(|o| o.from < s.to && s.from < o.to);
        if overlaps {
            errors.add(
                &format!("spells[{n}].from"),
                format!(
                    "Замер с {} пересекается с другим замером: оставьте один",
                    s.from.format("%d.%m.%Y %H:%M")
                ),
            );
        }
    }
    errors.into_result(())
}
