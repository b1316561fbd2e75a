//! A tariff or a norm as typed into a form, an API body or a row of an imported file: text
//! fields checked one by one, each refusal naming its field (`prefix` + name, so a file's
//! row says `rows[3].price`).

use chrono::NaiveDate;
use serde::Deserialize;

use super::fixed::{parse_fixed, PRICE_PLACES, VOLUME_PLACES};
use super::register::{Norm, NormBasis, Tariff, Unit};
use crate::error::ValidationErrors;
use crate::registry::fields;

/// The units offered in the forms, as (code, symbol).
pub const UNITS: [(&str, &str); 6] = [
    ("cubic_meter", "м³"),
    ("gcal", "Гкал"),
    ("kilowatt_hour", "кВт·ч"),
    ("square_meter", "м²"),
    ("person", "чел."),
    ("account", "л/с"),
];

/// A tariff as typed. `price` in rubles with up to 4 decimals («45,87»).
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct TariffForm {
    /// The service's code (`cold_water`) or its name.
    #[serde(default, deserialize_with = "fields::loose")]
    pub service: Option<String>,
    /// A group of buildings; empty for the whole organization.
    #[serde(default, deserialize_with = "fields::loose")]
    pub group: Option<String>,
    /// A time-of-day zone of electricity («день», «ночь»); empty for none.
    #[serde(default, deserialize_with = "fields::loose")]
    pub zone: Option<String>,
    /// The first day in force: `2026-07-01` or `01.07.2026`.
    #[serde(default, deserialize_with = "fields::loose")]
    pub from: Option<String>,
    /// Rubles per unit, up to 4 decimals: `45,87`.
    #[serde(default, deserialize_with = "fields::loose")]
    pub price: Option<String>,
    /// `cubic_meter`, `gcal`, `kilowatt_hour`, `square_meter`, `person`, `account` (or м³, Гкал …).
    #[serde(default, deserialize_with = "fields::loose")]
    pub unit: Option<String>,
    /// The decision of the regional tariff body (number, date) or the owners' meeting protocol.
    #[serde(default, deserialize_with = "fields::loose")]
    pub basis: Option<String>,
}

/// A consumption norm as typed. `value` per person or per m² a month, up to 6 decimals.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct NormForm {
    #[serde(default, deserialize_with = "fields::loose")]
    pub service: Option<String>,
    #[serde(default, deserialize_with = "fields::loose")]
    pub group: Option<String>,
    #[serde(default, deserialize_with = "fields::loose")]
    pub from: Option<String>,
    /// `per_person` or `per_square_meter`.
    #[serde(default, deserialize_with = "fields::loose")]
    pub per: Option<String>,
    /// Units a month per person (or per m²), up to 6 decimals: `6,935`.
    #[serde(default, deserialize_with = "fields::loose")]
    pub value: Option<String>,
    #[serde(default, deserialize_with = "fields::loose")]
    pub unit: Option<String>,
    #[serde(default, deserialize_with = "fields::loose")]
    pub basis: Option<String>,
}

fn text(v: &Option<String>) -> Option<String> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

fn required_date(
    e: &mut ValidationErrors,
    field: &str,
    label: &str,
    v: &Option<String>,
) -> Option<NaiveDate> {
    if text(v).is_none() {
        e.add(field, format!("Укажите {label}, например 01.07.2026."));
        return None;
    }
    fields::date(e, field, label, v)
}

fn unit(e: &mut ValidationErrors, field: &str, v: &Option<String>) -> Option<Unit> {
    let t = text(v)?;
    let u = Unit::parse(&t);
    if u.is_none() {
        e.add(
            field,
            format!("Единица «{t}» не известна: выберите м³, Гкал, кВт·ч, м², чел. или л/с."),
        );
    }
    u
}

/// `service` resolved by the caller (code or name → code); `None` leaves it as typed.
pub type ServiceLookup<'a> = &'a dyn Fn(&str) -> Option<String>;

/// The service's code: required, and in the services reference data.
fn service(
    e: &mut ValidationErrors,
    field: &str,
    missing: &str,
    v: &Option<String>,
    lookup: ServiceLookup<'_>,
) -> Option<String> {
    let Some(s) = text(v) else {
        e.add(field, missing);
        return None;
    };
    let code = lookup(&s);
    if code.is_none() {
        e.add(
            field,
            format!("Услуги «{s}» нет в справочнике услуг: выберите из списка."),
        );
    }
    code
}

/// A non-negative decimal with at most `places` decimals: required.
fn amount(
    e: &mut ValidationErrors,
    field: &str,
    places: u32,
    (missing, negative): (&str, &str),
    v: &Option<String>,
) -> Option<i64> {
    let Some(t) = text(v) else {
        e.add(field, missing);
        return None;
    };
    match parse_fixed(&t, places) {
        Ok(x) if x < 0 => {
            e.add(field, negative);
            None
        }
        Ok(x) => Some(x),
        Err(m) => {
            e.add(field, m);
            None
        }
    }
}

/// A required unit from the list.
fn required_unit(
    e: &mut ValidationErrors,
    field: &str,
    missing: &str,
    v: &Option<String>,
) -> Option<Unit> {
    if text(v).is_none() {
        e.add(field, missing);
        return None;
    }
    unit(e, field, v)
}

/// The legal basis: required.
fn basis(
    e: &mut ValidationErrors,
    field: &str,
    missing: &str,
    v: &Option<String>,
) -> Option<String> {
    let b = text(v);
    if b.is_none() {
        e.add(field, missing);
    }
    b
}

impl TariffForm {
    /// The tariff, or the refusals with fields named `prefix` + field.
    pub fn check(
        &self,
        prefix: &str,
        service_code: ServiceLookup<'_>,
        e: &mut ValidationErrors,
    ) -> Option<Tariff> {
        let f = |name: &str| format!("{prefix}{name}");
        let before = e.0.len();
        let service = service(
            e,
            &f("service"),
            "Укажите услугу тарифа.",
            &self.service,
            service_code,
        );
        let from = required_date(e, &f("from"), "дату начала действия", &self.from);
        let price = amount(
            e,
            &f("price"),
            PRICE_PLACES,
            (
                "Укажите тариф в рублях, например 45,87.",
                "Тариф не может быть отрицательным.",
            ),
            &self.price,
        );
        let unit = required_unit(
            e,
            &f("unit"),
            "Укажите единицу тарифа: м³, Гкал, кВт·ч, м² …",
            &self.unit,
        );
        let basis = basis(
            e,
            &f("basis"),
            "Укажите основание: решение органа регулирования тарифов (номер, дата) или протокол общего собрания.",
            &self.basis,
        );
        if e.0.len() > before {
            return None;
        }
        Some(Tariff {
            service: service?,
            group: text(&self.group),
            zone: text(&self.zone),
            from: from?,
            to: None,
            price: price?,
            unit: unit?,
            basis: basis?,
        })
    }
}

impl NormForm {
    pub fn check(
        &self,
        prefix: &str,
        service_code: ServiceLookup<'_>,
        e: &mut ValidationErrors,
    ) -> Option<Norm> {
        let f = |name: &str| format!("{prefix}{name}");
        let before = e.0.len();
        let service = service(
            e,
            &f("service"),
            "Укажите услугу норматива.",
            &self.service,
            service_code,
        );
        let from = required_date(e, &f("from"), "дату начала действия", &self.from);
        let per = match text(&self.per).as_deref() {
            Some("per_person") | Some("на человека") => Some(NormBasis::PerPerson),
            Some("per_square_meter") | Some("на м²") | Some("на м2") => {
                Some(NormBasis::PerSquareMeter)
            }
            _ => {
                e.add(
                    &f("per"),
                    "Выберите, на что норматив: на человека или на м² площади.",
                );
                None
            }
        };
        let value = amount(
            e,
            &f("value"),
            VOLUME_PLACES,
            (
                "Укажите величину норматива, например 6,935.",
                "Норматив не может быть отрицательным.",
            ),
            &self.value,
        );
        let unit = required_unit(
            e,
            &f("unit"),
            "Укажите единицу норматива: м³, Гкал, кВт·ч … Без единицы норматив не применить.",
            &self.unit,
        );
        let basis = basis(
            e,
            &f("basis"),
            "Укажите основание норматива: нормативный акт субъекта РФ (номер, дата).",
            &self.basis,
        );
        if e.0.len() > before {
            return None;
        }
        Some(Norm {
            service: service?,
            group: text(&self.group),
            from: from?,
            to: None,
            per: per?,
            value: value?,
            unit: Some(unit?),
            basis: basis?,
        })
    }
}

impl Unit {
    pub fn code(self) -> &'static str {
        match self {
            Unit::CubicMeter => "cubic_meter",
            Unit::Gcal => "gcal",
            Unit::KilowattHour => "kilowatt_hour",
            Unit::SquareMeter => "square_meter",
            Unit::Person => "person",
            Unit::Account => "account",
        }
    }
}

impl NormBasis {
    pub fn code(self) -> &'static str {
        match self {
            NormBasis::PerPerson => "per_person",
            NormBasis::PerSquareMeter => "per_square_meter",
        }
    }

    pub fn from_code(code: &str) -> Option<NormBasis> {
        match code {
            "per_person" => Some(NormBasis::PerPerson),
            "per_square_meter" => Some(NormBasis::PerSquareMeter),
            _ => None,
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            NormBasis::PerPerson => "на человека",
            NormBasis::PerSquareMeter => "на м² площади",
        }
    }
}

/// The register of norms after `new` supersedes the norm in force on its first day for the
/// same service, group and basis (that one ends the day before). A norm that starts on or
/// after `new.from` on the same line is refused: it may be in use.
pub fn supersede_norm(norms: &[Norm], new: Norm) -> Result<Vec<Norm>, ValidationErrors> {
    let same = |a: &Norm, b: &Norm| a.service == b.service && a.group == b.group && a.per == b.per;
    if let Some(later) = norms.iter().find(|n| same(n, &new) && n.from >= new.from) {
        return Err(ValidationErrors::single(
            "from",
            format!(
                "На эту услугу и группу уже есть норматив с {}: новый должен начинаться позже.",
                later.from.format("%d.%m.%Y")
            ),
        ));
    }
    let day_before = new.from.pred_opt().expect("a day before exists");
    let mut out = norms.to_vec();
    for n in out
        .iter_mut()
        .filter(|n| same(n, &new) && n.from <= new.from && n.to.is_none_or(|to| to >= new.from))
    {
        n.to = Some(day_before);
    }
    out.push(new);
    let errors = super::validate_norms(&out);
    errors.into_result(out)
}

/// The norm in force on `day` for the service: the group's own first, else the organization's.
pub fn norm_on<'a>(
    norms: &'a [Norm],
    service: &str,
    group: Option<&str>,
    day: NaiveDate,
) -> Option<&'a Norm> {
    let find = |g: Option<&str>| {
        norms.iter().find(|n| {
            n.service == service
                && n.group.as_deref() == g
                && n.from <= day
                && n.to.is_none_or(|to| day <= to)
        })
    };
    group.and_then(|g| find(Some(g))).or_else(|| find(None))
}
