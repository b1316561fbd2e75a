//! What a passport office records about a person registered in premises (Правила
//! регистрации, ПП РФ № 713): registration at the place of residence or of stay (with its end
//! date), dates of arrival and departure, kinship to the owner or the responsible tenant.
//! Unknown values stay `None`: documents print nothing rather than inventing them.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::fields;
use crate::{text, ValidationErrors};

/// Регистрация по месту жительства или по месту пребывания.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RegistrationKind {
    /// По месту жительства (постоянная).
    Residence,
    /// По месту пребывания (временная, до даты).
    Stay,
}

impl RegistrationKind {
    pub const ALL: [RegistrationKind; 2] = [RegistrationKind::Residence, RegistrationKind::Stay];

    pub fn code(self) -> &'static str {
        match self {
            RegistrationKind::Residence => "residence",
            RegistrationKind::Stay => "stay",
        }
    }

    pub fn from_code(s: &str) -> Option<RegistrationKind> {
        Self::ALL.into_iter().find(|k| k.code() == s)
    }

    pub fn title(self) -> &'static str {
        match self {
            RegistrationKind::Residence => "по месту жительства",
            RegistrationKind::Stay => "по месту пребывания",
        }
    }
}

/// The passport-office part of a person–premises link; every field may be unknown.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Registration {
    /// `residence` or `stay`; unknown when absent.
    #[serde(default)]
    pub kind: Option<RegistrationKind>,
    /// End of a registration at the place of stay.
    #[serde(default)]
    pub stay_until: Option<NaiveDate>,
    /// Дата прибытия.
    #[serde(default)]
    pub arrived_on: Option<NaiveDate>,
    /// Дата выбытия.
    #[serde(default)]
    pub departed_on: Option<NaiveDate>,
    /// Родство к собственнику или ответственному нанимателю: «сын», «жена».
    #[serde(default)]
    pub kinship: Option<String>,
    /// Whose relative: the person (an owner or the tenant on the same account) the kinship
    /// is recorded to; unknown when absent. With several owners it decides whose family
    /// answers jointly for utilities (ЖК ст. 31 ч. 3).
    #[serde(default)]
    pub kin_of: Option<i64>,
}

impl Registration {
    /// The «Вид регистрации» column: «по месту пребывания до 01.06.2027»; empty when unknown.
    pub fn kind_text(&self) -> Option<String> {
        let k = self.kind?;
        Some(match (k, self.stay_until) {
            (RegistrationKind::Stay, Some(d)) => {
                format!("{} до {}", k.title(), d.format("%d.%m.%Y"))
            }
            _ => k.title().to_string(),
        })
    }

    /// Registered on `on` as far as these records say: a stay that ended or a departure
    /// before that day ends it (both dates inclusive).
    pub fn holds_on(&self, on: NaiveDate) -> bool {
        let stay_over =
            self.kind == Some(RegistrationKind::Stay) && self.stay_until.is_some_and(|d| d < on);
        !stay_over && self.departed_on.is_none_or(|d| d >= on)
    }
}

/// The form fields of [`Registration`], flattened into the link form.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct RegistrationForm {
    /// `residence` (по месту жительства) or `stay` (по месту пребывания); empty = unknown.
    #[serde(default, deserialize_with = "fields::loose")]
    pub registration_kind: Option<String>,
    #[serde(default, deserialize_with = "fields::loose")]
    pub stay_until: Option<String>,
    #[serde(default, deserialize_with = "fields::loose")]
    pub arrived_on: Option<String>,
    #[serde(default, deserialize_with = "fields::loose")]
    pub departed_on: Option<String>,
    #[serde(default, deserialize_with = "fields::loose")]
    pub kinship: Option<String>,
    /// The person id of the owner or tenant the kinship is recorded to; empty = unknown.
    #[serde(default, deserialize_with = "fields::loose")]
    pub kin_of: Option<String>,
}

/// Longest kinship word kept: «двоюродная сестра жены» fits.
const KINSHIP_MAX: usize = 60;

impl RegistrationForm {
    pub fn of(r: &Registration) -> RegistrationForm {
        RegistrationForm {
            registration_kind: r.kind.map(|k| k.code().to_string()),
            stay_until: r.stay_until.map(|d| d.to_string()),
            arrived_on: r.arrived_on.map(|d| d.to_string()),
            departed_on: r.departed_on.map(|d| d.to_string()),
            kinship: r.kinship.clone(),
            kin_of: r.kin_of.map(|id| id.to_string()),
        }
    }

    pub fn check(&self, e: &mut ValidationErrors) -> Registration {
        let kind = match self
            .registration_kind
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => None,
            Some(s) => match RegistrationKind::from_code(s) {
                Some(k) => Some(k),
                None => {
                    e.add(
                        "registration_kind",
                        "Выберите вид регистрации: по месту жительства или по месту пребывания.",
                    );
                    None
                }
            },
        };
        let stay_until = fields::date(e, "stay_until", "Пребывание до", &self.stay_until);
        if stay_until.is_some() && kind != Some(RegistrationKind::Stay) {
            e.add(
                "stay_until",
                "Срок указывается только для регистрации по месту пребывания.",
            );
        }
        let arrived_on = fields::date(e, "arrived_on", "Дата прибытия", &self.arrived_on);
        let departed_on = fields::date(e, "departed_on", "Дата выбытия", &self.departed_on);
        if let (Some(a), Some(d)) = (arrived_on, departed_on) {
            if d < a {
                e.add("departed_on", "Дата выбытия раньше даты прибытия.");
            }
        }
        let kinship = text::optional(
            e,
            "kinship",
            "Родство",
            self.kinship.as_deref(),
            KINSHIP_MAX,
        );
        let kin_of = match self.kin_of.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(t) => match t.parse::<i64>() {
                Ok(id) if id > 0 => Some(id),
                _ => {
                    e.add(
                        "kin_of",
                        "Выберите из списка собственника или нанимателя, чей это родственник.",
                    );
                    None
                }
            },
        };
        if kin_of.is_some() && kinship.is_none() {
            e.add(
                "kinship",
                "Укажите родство: без него нельзя сказать, чей это родственник.",
            );
        }
        Registration {
            kind,
            stay_until,
            arrived_on,
            departed_on,
            kinship,
            kin_of,
        }
    }
}

/// The date a closing form names (`field`, shown as `label`): today when left empty
/// (`None`), refused when it cannot be read — never silently today.
pub fn closing_date(
    text: Option<&str>,
    field: &str,
    label: &str,
) -> Result<Option<NaiveDate>, ValidationErrors> {
    let mut e = ValidationErrors::new();
    let d = fields::date(&mut e, field, label, &text.map(str::to_string));
    e.into_result(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn stay_prints_its_end_and_unknown_prints_nothing() {
        let stay = Registration {
            kind: Some(RegistrationKind::Stay),
            stay_until: Some(day(2027, 6, 1)),
            ..Default::default()
        };
        assert_eq!(
            stay.kind_text().as_deref(),
            Some("по месту пребывания до 01.06.2027")
        );
        assert_eq!(Registration::default().kind_text(), None);
        assert!(stay.holds_on(day(2027, 6, 1)));
        assert!(!stay.holds_on(day(2027, 6, 2)));
    }

    #[test]
    fn form_refuses_what_cannot_be_read() {
        let f = RegistrationForm {
            registration_kind: Some("temporary".into()),
            stay_until: Some("2027-06-01".into()),
            arrived_on: Some("2026-05-10".into()),
            departed_on: Some("2026-05-01".into()),
            kinship: Some("сын".into()),
            kin_of: Some("первый".into()),
        };
        let mut e = ValidationErrors::new();
        f.check(&mut e);
        let fields: Vec<&str> = e.0.iter().map(|x| x.field.as_str()).collect();
        assert!(fields.contains(&"kin_of"), "{fields:?}");
        assert!(fields.contains(&"registration_kind"), "{fields:?}");
        assert!(fields.contains(&"stay_until"), "{fields:?}");
        assert!(fields.contains(&"departed_on"), "{fields:?}");
    }

    #[test]
    fn whose_relative_needs_the_kinship_and_reads_back() {
        let f = RegistrationForm {
            kin_of: Some(" 42 ".into()),
            ..Default::default()
        };
        let mut e = ValidationErrors::new();
        f.check(&mut e);
        assert_eq!(e.0.len(), 1, "{e:?}");
        assert_eq!(e.0[0].field, "kinship");
        let f = RegistrationForm {
            kinship: Some("дочь".into()),
            kin_of: Some("42".into()),
            ..Default::default()
        };
        let mut e = ValidationErrors::new();
        let r = f.check(&mut e);
        assert!(e.0.is_empty(), "{e:?}");
        assert_eq!(r.kin_of, Some(42));
        assert_eq!(RegistrationForm::of(&r).kin_of.as_deref(), Some("42"));
    }

    #[test]
    fn closing_date_refuses_unreadable_and_leaves_empty_to_today() {
        assert_eq!(closing_date(Some(""), "to_date", "Дата"), Ok(None));
        assert_eq!(
            closing_date(Some("27.11.2026"), "to_date", "Дата"),
            Ok(Some(day(2026, 11, 27)))
        );
        let e = closing_date(Some("31.02.2026"), "to_date", "Дата окончания").unwrap_err();
        assert_eq!(e.0[0].field, "to_date");
        assert!(e.0[0].message.contains("31.02.2026"), "{e:?}");
    }
}
