//! The register of tariffs and norms: each in force for a period, with its legal basis. A
//! tariff in use is never edited in place; a new one supersedes it from a date.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::fixed::{format_fixed, PRICE_PLACES};
use crate::error::ValidationErrors;

/// The unit a tariff is priced in or a norm is measured in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    CubicMeter,
    Gcal,
    KilowattHour,
    SquareMeter,
    Person,
    Account,
}

impl Unit {
    pub fn symbol(self) -> &'static str {
        match self {
            Unit::CubicMeter => "м³",
            Unit::Gcal => "Гкал",
            Unit::KilowattHour => "кВт·ч",
            Unit::SquareMeter => "м²",
            Unit::Person => "чел.",
            Unit::Account => "л/с",
        }
    }

    /// Read a unit as billing files write it.
    pub fn parse(text: &str) -> Option<Unit> {
        let t = text.trim().to_lowercase().replace([' ', '.'], "");
        Some(match t.as_str() {
            "м3" | "м³" | "куб" | "кубм" | "cubic_meter" => Unit::CubicMeter,
            "гкал" | "gcal" => Unit::Gcal,
            "квт·ч" | "квтч" | "квт*ч" | "kwh" | "kilowatt_hour" => Unit::KilowattHour,
            "м2" | "м²" | "квм" | "square_meter" => Unit::SquareMeter,
            "чел" | "person" => Unit::Person,
            "л/с" | "лс" | "account" => Unit::Account,
            _ => return None,
        })
    }
}

/// A price per unit for a service, in force `from..=to`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tariff {
    /// A service code of the ledger (`cold_water`, `maintenance`, …).
    pub service: String,
    /// A group of buildings it applies to; `None` for the whole organization.
    #[serde(default)]
    pub group: Option<String>,
    /// A time-of-day zone of electricity («день», «ночь»), if any.
    #[serde(default)]
    pub zone: Option<String>,
    pub from: NaiveDate,
    /// The last day in force; `None` while in force.
    #[serde(default)]
    pub to: Option<NaiveDate>,
    /// Ten-thousandths of a ruble per unit.
    pub price: i64,
    pub unit: Unit,
    /// The regional tariff body's decision (number, date) or the owners' meeting protocol.
    pub basis: String,
}

impl Tariff {
    pub fn in_force(&self, day: NaiveDate) -> bool {
        self.from <= day && self.to.is_none_or(|to| day <= to)
    }

    /// «45,87 ₽/м³».
    pub fn price_text(&self) -> String {
        format!(
            "{} ₽/{}",
            format_fixed(self.price, PRICE_PLACES, 2),
            self.unit.symbol()
        )
    }

    fn same_line(&self, other: &Tariff) -> bool {
        self.service == other.service && self.group == other.group && self.zone == other.zone
    }

    fn overlaps(&self, other: &Tariff) -> bool {
        let ends_before = |a: &Tariff, b: &Tariff| a.to.is_some_and(|to| to < b.from);
        !ends_before(self, other) && !ends_before(other, self)
    }

    fn period_text(&self) -> String {
        match self.to {
            Some(to) => format!(
                "с {} по {}",
                self.from.format("%d.%m.%Y"),
                to.format("%d.%m.%Y")
            ),
            None => format!("с {}", self.from.format("%d.%m.%Y")),
        }
    }
}

/// What a consumption norm is per.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NormBasis {
    /// Per person registered (water, electricity, gas).
    PerPerson,
    /// Per m² of the premises (heating).
    PerSquareMeter,
}

/// A consumption norm (норматив): millionths of `unit` per person or per m² a month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Norm {
    pub service: String,
    #[serde(default)]
    pub group: Option<String>,
    pub from: NaiveDate,
    #[serde(default)]
    pub to: Option<NaiveDate>,
    pub per: NormBasis,
    pub value: i64,
    /// Required; `None` only as read from a file, to be refused with the field named.
    pub unit: Option<Unit>,
    pub basis: String,
}

/// Problems with a set of tariffs: fields as `tariffs[i].field`.
pub fn validate_tariffs(tariffs: &[Tariff]) -> ValidationErrors {
    let mut e = ValidationErrors::new();
    for (i, t) in tariffs.iter().enumerate() {
        let f = |name: &str| format!("tariffs[{i}].{name}");
        if t.service.trim().is_empty() {
            e.add(&f("service"), "Укажите услугу тарифа");
        }
        if t.price < 0 {
            e.add(
                &f("price"),
                format!("Тариф не может быть отрицательным: {}", t.price_text()),
            );
        }
        if t.to.is_some_and(|to| to < t.from) {
            e.add(
                &f("to"),
                format!("Тариф действует {} — конец раньше начала", t.period_text()),
            );
        }
        if t.basis.trim().is_empty() {
            e.add(&f("basis"), "Укажите основание тарифа: решение органа регулирования (номер, дата) или протокол общего собрания");
        }
        if let Some(other) = tariffs[..i]
            .iter()
            .find(|o| o.same_line(t) && o.overlaps(t))
        {
            e.add(
                &f("from"),
                format!(
                    "Тариф {} пересекается с тарифом {} на ту же услугу и группу: закройте прежний днём раньше",
                    t.period_text(),
                    other.period_text()
                ),
            );
        }
    }
    e
}

/// Problems with a set of norms: fields as `norms[i].field`.
pub fn validate_norms(norms: &[Norm]) -> ValidationErrors {
    let mut e = ValidationErrors::new();
    for (i, n) in norms.iter().enumerate() {
        let f = |name: &str| format!("norms[{i}].{name}");
        if n.unit.is_none() {
            e.add(&f("unit"), "Укажите единицу норматива: м³, Гкал, кВт·ч …");
        }
        if n.value < 0 {
            e.add(&f("value"), "Норматив не может быть отрицательным");
        }
        if n.to.is_some_and(|to| to < n.from) {
            e.add(&f("to"), "Конец действия норматива раньше начала");
        }
        if n.basis.trim().is_empty() {
            e.add(
                &f("basis"),
                "Укажите основание норматива: нормативный акт субъекта РФ (номер, дата)",
            );
        }
    }
    e
}

/// The tariff in force on `day` for the service: the group's own first, else the
/// organization's.
pub fn tariff_on<'a>(
    tariffs: &'a [Tariff],
    service: &str,
    group: Option<&str>,
    zone: Option<&str>,
    day: NaiveDate,
) -> Option<&'a Tariff> {
    let find = |g: Option<&str>| {
        tariffs.iter().find(|t| {
            t.service == service
                && t.group.as_deref() == g
                && t.zone.as_deref() == zone
                && t.in_force(day)
        })
    };
    group.and_then(|g| find(Some(g))).or_else(|| find(None))
}

/// The register after `new` supersedes the tariff in force on its first day: that one ends
/// the day before. A tariff that starts on or after `new.from` on the same line is not
/// superseded but refused: it would be an edit of a tariff that may be in use.
pub fn supersede(tariffs: &[Tariff], new: Tariff) -> Result<Vec<Tariff>, ValidationErrors> {
    let mut out = tariffs.to_vec();
    if let Some(later) = out.iter().find(|t| t.same_line(&new) && t.from >= new.from) {
        return Err(ValidationErrors::single(
            "from",
            format!(
                "На эту услугу и группу уже есть тариф {}: новый тариф должен начинаться позже",
                later.period_text()
            ),
        ));
    }
    let day_before = new.from.pred_opt().expect("a day before exists");
    for t in out
        .iter_mut()
        .filter(|t| t.same_line(&new) && t.in_force(new.from))
    {
        t.to = Some(day_before);
    }
    out.push(new);
    let errors = validate_tariffs(&out);
    errors.into_result(out)
}
