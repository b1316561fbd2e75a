//! The table of allowances and rates: data with a source per service (regulations.md §5).

use serde::{Deserialize, Serialize};

use super::{Cause, Service};
use crate::error::ValidationErrors;
use crate::penalty::Confidence;

/// The table shipped with the program.
pub const DEFAULT_QUALITY_NORMS_JSON: &str = include_str!("../../data/quality_norms.json");

/// How a part of a unit beyond the allowance counts («за каждый час превышения»).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rounding {
    /// Only complete hours (days, degrees) count: 4 h 59 min beyond is 4 hours.
    #[default]
    Complete,
    /// A started hour counts as a whole one: 4 h 01 min beyond is 5 hours.
    Started,
}

impl Rounding {
    /// How many whole `unit`s `amount` makes under this rounding (`amount` ≥ 0).
    pub fn units(self, amount: i64, unit: i64) -> i64 {
        match self {
            Rounding::Complete => amount / unit,
            Rounding::Started => (amount + unit - 1) / unit,
        }
    }
}

/// The allowance of one interruption, applying when every condition given holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SingleLimit {
    pub hours: u32,
    /// Only for this cause (any cause when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause: Option<Cause>,
    /// Only while the room stays at least this warm, in tenths of °C (heating).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub room_at_least_dc: Option<i32>,
    /// Only while it is at most this warm outdoors, in tenths of °C (waste collection).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outdoor_at_most_dc: Option<i32>,
    /// Only for buildings fed from this many independent sources (electricity).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub power_sources: Option<u8>,
    /// Whether this interruption counts towards the month's total allowance.
    #[serde(default = "yes")]
    pub counts_in_month: bool,
}

fn yes() -> bool {
    true
}

/// How far a temperature may fall below the norm, and the reduction beyond that.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemperatureNorm {
    /// The required temperature, tenths of °C.
    pub norm_dc: i32,
    /// The norm of a corner room, where it differs (heating).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub corner_norm_dc: Option<i32>,
    /// Allowed fall from 00:00 to 05:00.
    pub night_tolerance_dc: i32,
    /// Allowed fall from 05:00 to 24:00.
    pub day_tolerance_dc: i32,
    /// Each step of this many tenths of °C beyond the tolerance reduces by `rate_bp`.
    pub step_dc: i32,
    /// Reduction per hour per step, basis points of the fee.
    pub rate_bp: u32,
    /// Below this the water is billed as cold water (hot water).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cold_below_dc: Option<i32>,
}

/// The rules of one service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NormRow {
    pub service: Service,
    /// Allowed interruption in a month, in total.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monthly_hours: Option<u32>,
    /// Allowed single interruptions, the most specific first: the first that applies counts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub single: Vec<SingleLimit>,
    /// Reduction per unit beyond the allowance, basis points of the month's fee (0,15 % = 15).
    pub rate_bp: u32,
    /// The unit: 1 hour, or 24 hours for waste collection.
    pub unit_hours: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub temperature: Option<TemperatureNorm>,
    pub source: String,
    pub confidence: Confidence,
}

/// The whole table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QualityNorms {
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub rounding: Rounding,
    pub norms: Vec<NormRow>,
}

impl Default for QualityNorms {
    /// The embedded table; a test checks it, so this cannot fail in a release.
    fn default() -> Self {
        Self::from_json(DEFAULT_QUALITY_NORMS_JSON).expect("embedded quality_norms.json is valid")
    }
}

impl QualityNorms {
    pub fn from_json(json: &str) -> Result<Self, ValidationErrors> {
        let table: QualityNorms = serde_json::from_str(json).map_err(|e| {
            ValidationErrors::single(
                "quality_norms",
                format!(
                    "Таблица качества коммунальных услуг не читается как JSON нужного вида: {e}"
                ),
            )
        })?;
        table.validate().into_result(table)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a table serialises")
    }

    /// The rules of `service`, if the table has them.
    pub fn of(&self, service: Service) -> Option<&NormRow> {
        self.norms.iter().find(|n| n.service == service)
    }

    /// Problems with the table; empty when it is usable.
    pub fn validate(&self) -> ValidationErrors {
        let mut errors = ValidationErrors::new();
        for (i, n) in self.norms.iter().enumerate() {
            let field = |f: &str| format!("norms[{i}].{f}");
            let name = n.service.name_ru();
            if self.norms[..i].iter().any(|m| m.service == n.service) {
                errors.add(
                    &field("service"),
                    format!("Услуга «{name}» указана в таблице дважды"),
                );
            }
            if n.rate_bp == 0 || n.rate_bp > 10_000 {
                errors.add(
                    &field("rate_bp"),
                    format!("Снижение платы за «{name}» должно быть больше 0 и не больше 100 % (10000 б.п.), указано {} б.п.", n.rate_bp),
                );
            }
            if n.unit_hours == 0 {
                errors.add(
                    &field("unit_hours"),
                    format!("Единица превышения для «{name}» должна быть не меньше часа"),
                );
            }
            if n.monthly_hours.is_none() && n.single.is_empty() {
                errors.add(
                    &field("monthly_hours"),
                    format!("Для «{name}» укажите допустимый перерыв за месяц или единовременно"),
                );
            }
            if n.source.trim().is_empty() {
                errors.add(
                    &field("source"),
                    format!("Укажите источник правил для «{name}»"),
                );
            }
            if let Some(t) = &n.temperature {
                if t.step_dc <= 0
                    || t.rate_bp == 0
                    || t.night_tolerance_dc < 0
                    || t.day_tolerance_dc < 0
                {
                    errors.add(
                        &field("temperature"),
                        format!("Для «{name}» шаг и снижение за отклонение температуры должны быть больше нуля, допуски — не меньше нуля"),
                    );
                }
            }
        }
        errors
    }
}

impl NormRow {
    /// The allowance of one interruption in these circumstances, or `None` when the
    /// service has no single-interruption limit. No applicable limit means none is allowed.
    pub(crate) fn single_allowance(&self, c: &super::Circumstances) -> Option<&SingleLimit> {
        if self.single.is_empty() {
            return None;
        }
        // An unmeasured room counts as the coldest room still allowed a stop: the reading
        // that favours the resident, since nobody can prove it was warmer.
        let coldest = self.single.iter().filter_map(|l| l.room_at_least_dc).min();
        self.single
            .iter()
            .find(|l| {
                l.cause.is_none_or(|cause| cause == c.cause)
                    && l.room_at_least_dc.is_none_or(|t| match c.room_dc {
                        Some(room) => room >= t,
                        None => Some(t) == coldest,
                    })
                    && l.outdoor_at_most_dc
                        .is_none_or(|t| c.outdoor_dc.is_some_and(|out| out <= t))
                    && l.power_sources.is_none_or(|n| c.power_sources == Some(n))
            })
            .or(Some(&NO_STOP_ALLOWED))
    }
}

/// What applies when no listed limit does (a room colder than every listed temperature).
static NO_STOP_ALLOWED: SingleLimit = SingleLimit {
    hours: 0,
    cause: None,
    room_at_least_dc: None,
    outdoor_at_most_dc: None,
    power_sources: None,
    counts_in_month: true,
};
