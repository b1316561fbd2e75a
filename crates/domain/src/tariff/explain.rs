//! «Why this sum»: each charge line of a month explained as volume × tariff = sum, with where
//! the volume came from and the tariff's legal basis; a line the billing file gave only as a
//! sum is said to be so, beside the tariff in force for comparison.

use chrono::NaiveDate;
use serde::Serialize;

use super::cost_kopecks;
use super::fixed::{format_fixed, VOLUME_PLACES};
use super::register::{tariff_on, Tariff, Unit};
use crate::money::format_rub;

/// Where a line's volume comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum VolumeSource {
    /// Meter readings, millionths of the unit.
    Meter { previous: i64, current: i64 },
    /// A norm (millionths per person) × persons registered.
    NormPerPerson { norm: i64, persons: u32 },
    /// A norm (millionths per m²) × the area in hundredths of m².
    NormPerArea { norm: i64, area: i64 },
    /// The premises' share of common-property consumption (ОДН), as the billing file gives it.
    CommonProperty,
    /// A volume the billing file gives without saying how it was found.
    Given,
    /// No volume: the file carries only the sum.
    None,
}

impl VolumeSource {
    /// The volume the source itself gives (millionths of the unit): readings and norms;
    /// none for what only the billing file knows.
    pub fn volume(&self) -> Option<i64> {
        match self {
            VolumeSource::Meter { previous, current } => Some(current - previous),
            VolumeSource::NormPerPerson { norm, persons } => Some(norm * i64::from(*persons)),
            VolumeSource::NormPerArea { norm, area } => {
                Some(((i128::from(*norm) * i128::from(*area) + 50) / 100) as i64)
            }
            VolumeSource::CommonProperty | VolumeSource::Given | VolumeSource::None => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LineKind {
    Charge,
    Recalculation { reason: String },
}

/// A line as the ledger holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceLine {
    pub service: String,
    /// The service's name as the ledger shows it.
    pub service_title: String,
    pub kind: LineKind,
    pub charged_kopecks: i64,
    /// Millionths of `unit`, when the file has it.
    pub volume: Option<i64>,
    /// Ten-thousandths of a ruble, when the file has it.
    pub price: Option<i64>,
    pub unit: Option<Unit>,
    pub source: VolumeSource,
}

/// A line explained.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExplainedLine {
    pub line: SourceLine,
    pub volume: Option<i64>,
    /// The tariff in force that day for the account's group, if the register has one.
    pub tariff: Option<Tariff>,
    /// Volume × price, when both are known.
    pub computed_kopecks: Option<i64>,
    /// Charged minus computed, when they differ.
    pub difference_kopecks: Option<i64>,
    /// The explanation in a sentence.
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Explanation {
    pub lines: Vec<ExplainedLine>,
    /// The sum of the lines: the month's charge.
    pub total_kopecks: i64,
}

/// Explain a month's lines of an account in `group` (tariffs as in force on `day`, the
/// first day of the billing month).
pub fn explain(
    lines: &[SourceLine],
    tariffs: &[Tariff],
    group: Option<&str>,
    day: NaiveDate,
) -> Explanation {
    let explained: Vec<ExplainedLine> = lines
        .iter()
        .map(|l| explain_line(l, tariffs, group, day))
        .collect();
    Explanation {
        total_kopecks: lines.iter().map(|l| l.charged_kopecks).sum(),
        lines: explained,
    }
}

fn explain_line(
    l: &SourceLine,
    tariffs: &[Tariff],
    group: Option<&str>,
    day: NaiveDate,
) -> ExplainedLine {
    let tariff = tariff_on(tariffs, &l.service, group, None, day).cloned();
    let volume = l.source.volume().or(l.volume);
    let unit = l.unit.or(tariff.as_ref().map(|t| t.unit));
    let price = l.price.or(tariff.as_ref().map(|t| t.price));
    let computed = volume.zip(price).map(|(v, p)| cost_kopecks(v, p));
    let difference = computed.map(|c| l.charged_kopecks - c).filter(|d| *d != 0);
    let symbol = unit.map_or("", Unit::symbol);
    let mut text = match (volume, price, computed) {
        (Some(v), Some(p), Some(c)) => format!(
            "{} {symbol}{} × {} ₽/{symbol} = {}",
            format_fixed(v, VOLUME_PLACES, 0),
            source_text(&l.source, symbol),
            format_fixed(p, super::PRICE_PLACES, 2),
            format_rub(c)
        ),
        _ => format!(
            "В файле начислений только сумма: {}",
            format_rub(l.charged_kopecks)
        ),
    };
    match (&tariff, l.price) {
        (Some(t), Some(p)) if p != t.price => text.push_str(&format!(
            "; тариф в реестре на эту дату — {} ({}), в файле — другой",
            t.price_text(),
            t.basis
        )),
        (Some(t), _) => text.push_str(&format!("; тариф {} — {}", t.price_text(), t.basis)),
        (None, _) => {}
    }
    if let Some(d) = difference {
        let side = if d > 0 {
            "больше"
        } else {
            "меньше"
        };
        text.push_str(&format!(
            "; начислено {} — на {} {side} расчёта",
            format_rub(l.charged_kopecks),
            format_rub(d.abs())
        ));
    }
    if let LineKind::Recalculation { reason } = &l.kind {
        text = format!("Перерасчёт ({reason}): {text}");
    }
    ExplainedLine {
        line: l.clone(),
        volume,
        tariff,
        computed_kopecks: computed,
        difference_kopecks: difference,
        text,
    }
}

pub(super) fn source_text(source: &VolumeSource, symbol: &str) -> String {
    let v = |x: i64| format_fixed(x, VOLUME_PLACES, 0);
    match source {
        VolumeSource::Meter { previous, current } => {
            format!(
                " (показания прибора учёта: {} → {})",
                v(*previous),
                v(*current)
            )
        }
        VolumeSource::NormPerPerson { norm, persons } => {
            format!(
                " (норматив {} {symbol} на человека × {persons} чел.)",
                v(*norm)
            )
        }
        VolumeSource::NormPerArea { norm, area } => format!(
            " (норматив {} {symbol} на м² × {} м²)",
            v(*norm),
            format_fixed(*area, 2, 0)
        ),
        VolumeSource::CommonProperty => " (доля общедомового потребления)".into(),
        VolumeSource::Given | VolumeSource::None => String::new(),
    }
}
