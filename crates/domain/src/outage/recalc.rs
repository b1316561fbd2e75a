//! One building's month for one service: the outages' actual times merged, the time beyond
//! the allowance and the temperature deviation, as a share of the month's fee.

use serde::Serialize;

use crate::error::ValidationErrors;
use crate::quality::{
    excess, temperature_excess, Excess, Interruption, Month, QualityNorms, Service,
    TemperatureExcess, TemperatureSpell,
};

/// Overlapping interruptions (outages confirmed despite an overlap) as one each, the
/// earlier one's circumstances kept: an hour without water counts once.
pub fn merge(mut list: Vec<Interruption>) -> Vec<Interruption> {
    list.retain(|i| i.to > i.from);
    list.sort_by_key(|i| (i.from, i.to));
    let mut out: Vec<Interruption> = Vec::with_capacity(list.len());
    for i in list {
        match out.last_mut() {
            Some(last) if i.from <= last.to => last.to = last.to.max(i.to),
            _ => out.push(i),
        }
    }
    out
}

/// Overlapping measurements: a later one starts where the earlier ends.
fn trim_spells(mut list: Vec<TemperatureSpell>) -> Vec<TemperatureSpell> {
    list.sort_by_key(|s| (s.from, s.to));
    let mut out: Vec<TemperatureSpell> = Vec::with_capacity(list.len());
    for mut s in list {
        if let Some(last) = out.last() {
            s.from = s.from.max(last.to);
        }
        if s.to > s.from {
            out.push(s);
        }
    }
    out
}

/// The month's figures for one service at one building.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct MonthFigures {
    pub excess: Excess,
    pub temperature: Option<TemperatureExcess>,
    /// Both parts, basis points of the fee, at most 100 %.
    pub reduction_bp: u32,
}

impl MonthFigures {
    /// The parts to give [`crate::quality::reduce`].
    pub fn parts(&self) -> [u32; 2] {
        [
            self.excess.reduction_bp,
            self.temperature.map_or(0, |t| t.reduction_bp),
        ]
    }
}

/// The reduction in `month` for `service` from its interruptions and temperature spells
/// (local time); `None` when the table has no rules for the service.
pub fn month_reduction(
    norms: &QualityNorms,
    service: Service,
    month: Month,
    interruptions: Vec<Interruption>,
    spells: Vec<TemperatureSpell>,
) -> Result<Option<MonthFigures>, ValidationErrors> {
    let Some(norm) = norms.of(service) else {
        return Ok(None);
    };
    let e = excess(norm, norms.rounding, month, &merge(interruptions))?;
    let t = temperature_excess(norm, norms.rounding, month, &trim_spells(spells))?;
    let bp = (e.reduction_bp + t.map_or(0, |t| t.reduction_bp)).min(10_000);
    Ok(Some(MonthFigures {
        excess: e,
        temperature: t,
        reduction_bp: bp,
    }))
}
