//! Outages (отключения, issue 19 §5–6): a planned or emergency interruption of a service at
//! some buildings, or a fall of its quality (a measured temperature below the norm), and the
//! reduction of each affected account's fee for it (ПП 354, приложение № 1) computed by
//! [`crate::quality`] from the outages' actual times.

mod recalc;
#[cfg(test)]
mod tests;

pub use recalc::{merge, month_reduction, MonthFigures};

use chrono::{NaiveDateTime, TimeZone};
use serde::{Deserialize, Serialize};

use crate::error::ValidationErrors;
use crate::quality::{Cause, Circumstances};

/// Planned work or an accident.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OutageKind {
    #[default]
    Planned,
    Emergency,
}

impl OutageKind {
    pub fn code(self) -> &'static str {
        match self {
            OutageKind::Planned => "planned",
            OutageKind::Emergency => "emergency",
        }
    }
    pub fn parse(code: &str) -> Option<OutageKind> {
        [OutageKind::Planned, OutageKind::Emergency]
            .into_iter()
            .find(|k| k.code() == code)
    }
    pub fn title(self) -> &'static str {
        match self {
            OutageKind::Planned => "плановое",
            OutageKind::Emergency => "аварийное",
        }
    }
}

/// Whether the service stopped or only fell below its quality (temperature).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Effect {
    #[default]
    Interruption,
    Quality,
}

impl Effect {
    pub fn code(self) -> &'static str {
        match self {
            Effect::Interruption => "interruption",
            Effect::Quality => "quality",
        }
    }
    pub fn parse(code: &str) -> Option<Effect> {
        [Effect::Interruption, Effect::Quality]
            .into_iter()
            .find(|k| k.code() == code)
    }
    pub fn title(self) -> &'static str {
        match self {
            Effect::Interruption => "перерыв",
            Effect::Quality => "снижение качества",
        }
    }
}

/// Measurements during the outage, tenths of °C; unknown ones are `None`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct Parameters {
    /// The measured temperature of the service itself (hot water at the tap, the room for
    /// heating) when quality rather than supply fell.
    pub measured_dc: Option<i32>,
    /// Room temperature during a heating stop.
    pub room_dc: Option<i32>,
    /// Outdoor temperature during a waste collection stop.
    pub outdoor_dc: Option<i32>,
    /// Independent power sources of the building (electricity).
    pub power_sources: Option<u8>,
}

/// A building the outage affects, and its entrances where known (none: the whole building).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct Place {
    pub building_id: i64,
    pub entrances: Vec<i64>,
}

/// An outage as the form or the API sends it; times are the organization's local time,
/// `YYYY-MM-DDTHH:MM` (seconds allowed).
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct OutageForm {
    pub service: String,
    pub kind: OutageKind,
    pub effect: Effect,
    #[schema(value_type = String)]
    pub cause: Cause,
    pub reason: String,
    pub places: Vec<Place>,
    pub planned_from: Option<String>,
    pub planned_to: Option<String>,
    pub actual_from: Option<String>,
    pub actual_to: Option<String>,
    pub parameters: Parameters,
    /// The user confirms the outage although another of the same service at a building of
    /// it overlaps in time.
    pub confirm_overlap: bool,
}

/// A checked outage, times in local time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutageData {
    pub service: String,
    pub kind: OutageKind,
    pub effect: Effect,
    pub cause: Cause,
    pub reason: String,
    pub places: Vec<Place>,
    pub planned_from: Option<NaiveDateTime>,
    pub planned_to: Option<NaiveDateTime>,
    pub actual_from: Option<NaiveDateTime>,
    pub actual_to: Option<NaiveDateTime>,
    pub parameters: Parameters,
}

impl OutageData {
    /// The span that counts for overlaps: actual where known, planned otherwise; an outage
    /// still going on lasts to the end of time.
    pub fn span(&self) -> Option<(NaiveDateTime, NaiveDateTime)> {
        let from = self.actual_from.or(self.planned_from)?;
        let to = match self.actual_from {
            Some(_) => self.actual_to.unwrap_or(NaiveDateTime::MAX),
            None => self.planned_to.unwrap_or(NaiveDateTime::MAX),
        };
        Some((from, to))
    }

    /// What the allowance of one interruption depends on.
    pub fn circumstances_of(cause: Cause, p: &Parameters) -> Circumstances {
        Circumstances {
            cause,
            room_dc: p.room_dc,
            outdoor_dc: p.outdoor_dc,
            power_sources: p.power_sources,
        }
    }
}

fn time(errors: &mut ValidationErrors, field: &str, v: &Option<String>) -> Option<NaiveDateTime> {
    let v = v.as_deref().map(str::trim).filter(|v| !v.is_empty())?;
    let parsed = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(v, f).ok());
    if parsed.is_none() {
        errors.add(
            field,
            format!(
                "«{}»: укажите дату и время в виде ГГГГ-ММ-ДДTЧЧ:ММ, а не «{v}»",
                words::field(field)
            ),
        );
    }
    parsed
}

fn day_time(t: NaiveDateTime) -> String {
    t.format("%d.%m.%Y %H:%M").to_string()
}

impl OutageForm {
    /// Every field checked; all problems at once, each naming its field.
    pub fn check(&self) -> Result<OutageData, ValidationErrors> {
        let mut e = ValidationErrors::new();
        if self.service.trim().is_empty() {
            e.add("service", "Укажите услугу");
        }
        if self.reason.trim().is_empty() {
            e.add("reason", "Укажите причину отключения");
        }
        if self.places.is_empty() {
            e.add("places", "Укажите хотя бы один дом");
        }
        for (n, p) in self.places.iter().enumerate() {
            if self.places[..n]
                .iter()
                .any(|q| q.building_id == p.building_id)
            {
                e.add("places", "Дом указан дважды");
            }
            if p.entrances.iter().any(|&x| x <= 0) {
                e.add("places", "Номер подъезда — целое число больше нуля");
            }
        }
        let planned_from = time(&mut e, "planned_from", &self.planned_from);
        let planned_to = time(&mut e, "planned_to", &self.planned_to);
        let actual_from = time(&mut e, "actual_from", &self.actual_from);
        let actual_to = time(&mut e, "actual_to", &self.actual_to);
        if self.kind == OutageKind::Planned
            && planned_from.is_none()
            && self
                .planned_from
                .as_deref()
                .is_none_or(|v| v.trim().is_empty())
        {
            e.add(
                "planned_from",
                "Для планового отключения укажите плановое начало",
            );
        }
        if self.kind == OutageKind::Emergency
            && actual_from.is_none()
            && planned_from.is_none()
            && self
                .actual_from
                .as_deref()
                .is_none_or(|v| v.trim().is_empty())
        {
            e.add(
                "actual_from",
                "Для аварийного отключения укажите фактическое начало",
            );
        }
        for (field, from, to) in [
            ("planned_to", planned_from, planned_to),
            ("actual_to", actual_from, actual_to),
        ] {
            if let (Some(a), Some(b)) = (from, to) {
                if b <= a {
                    e.add(
                        field,
                        format!(
                            "«{}» ({}) должно быть позже начала ({})",
                            words::field(field),
                            day_time(b),
                            day_time(a)
                        ),
                    );
                }
            }
        }
        if actual_to.is_some()
            && actual_from.is_none()
            && self
                .actual_from
                .as_deref()
                .is_none_or(|v| v.trim().is_empty())
        {
            e.add(
                "actual_from",
                "Укажите фактическое начало: без него окончание не записать",
            );
        }
        if self.effect == Effect::Quality && self.parameters.measured_dc.is_none() {
            e.add(
                "parameters.measured_dc",
                "Для снижения качества укажите измеренную температуру",
            );
        }
        if self.parameters.power_sources == Some(0) {
            e.add(
                "parameters.power_sources",
                "Число независимых источников питания — не меньше одного",
            );
        }
        let mut places = self.places.clone();
        for p in &mut places {
            p.entrances.sort_unstable();
            p.entrances.dedup();
        }
        e.into_result(OutageData {
            service: self.service.trim().to_string(),
            kind: self.kind,
            effect: self.effect,
            cause: self.cause,
            reason: self.reason.trim().to_string(),
            places,
            planned_from,
            planned_to,
            actual_from,
            actual_to,
            parameters: self.parameters,
        })
    }
}

/// A local time in `zone` as UTC; a time skipped by a clock change takes the next valid one.
pub fn to_utc<Z: TimeZone>(zone: &Z, t: NaiveDateTime) -> chrono::DateTime<chrono::Utc> {
    zone.from_local_datetime(&t)
        .earliest()
        .unwrap_or_else(|| zone.from_utc_datetime(&t))
        .with_timezone(&chrono::Utc)
}

pub mod words {
    pub const NOUN: &str = "Отключение";
    pub const RECALC_NOUN: &str = "Перерасчёт за отключение";

    pub fn field(code: &str) -> &'static str {
        match code {
            "planned_from" => "Плановое начало",
            "planned_to" => "Плановое окончание",
            "actual_from" => "Фактическое начало",
            "actual_to" => "Фактическое окончание",
            "service" => "Услуга",
            "reason" => "Причина",
            _ => "Поле",
        }
    }

    /// A posting of an outage month already posted and reversed.
    pub fn reversed_before() -> String {
        "Перерасчёт по этому отключению за этот месяц уже сторнирован; провести его снова нельзя"
            .into()
    }

    /// A reversal asked of nothing posted.
    pub fn nothing_to_reverse() -> String {
        "По этому отключению за этот месяц нет проведённого перерасчёта".into()
    }
}
