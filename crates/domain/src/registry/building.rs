use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::fields::{self, loose};
use crate::{text, ValidationErrors};

/// A building as typed into the form or sent to the API.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct BuildingForm {
    #[serde(default, deserialize_with = "loose")]
    pub region: Option<String>,
    #[serde(default, deserialize_with = "loose")]
    pub city: Option<String>,
    #[serde(default, deserialize_with = "loose")]
    pub street: Option<String>,
    #[serde(default, deserialize_with = "loose")]
    pub house: Option<String>,
    #[serde(default, deserialize_with = "loose")]
    pub korpus: Option<String>,
    #[serde(default, deserialize_with = "loose")]
    pub stroenie: Option<String>,
    #[serde(default, deserialize_with = "loose")]
    pub fias_id: Option<String>,
    #[serde(default, deserialize_with = "loose")]
    pub year_built: Option<String>,
    #[serde(default, deserialize_with = "loose")]
    pub floors: Option<String>,
    #[serde(default, deserialize_with = "loose")]
    pub entrances: Option<String>,
    #[serde(default, deserialize_with = "loose")]
    pub managed_since: Option<String>,
}

/// A valid building.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct BuildingData {
    pub region: String,
    pub city: String,
    pub street: String,
    pub house: String,
    pub korpus: Option<String>,
    pub stroenie: Option<String>,
    pub fias_id: Option<String>,
    pub year_built: Option<i32>,
    pub floors: Option<i32>,
    pub entrances: Option<i32>,
    pub managed_since: Option<NaiveDate>,
}

impl BuildingForm {
    pub fn validate(&self) -> Result<BuildingData, ValidationErrors> {
        let mut e = ValidationErrors::new();
        let s = |v: &Option<String>| v.clone().unwrap_or_default();
        let region = text::required(&mut e, "region", "Регион", &s(&self.region), 100);
        let city = text::required(&mut e, "city", "Населённый пункт", &s(&self.city), 100);
        let street = text::required(&mut e, "street", "Улица", &s(&self.street), 150);
        let house = text::required(&mut e, "house", "Дом", &s(&self.house), 20);
        let korpus = text::optional(&mut e, "korpus", "Корпус", self.korpus.as_deref(), 10);
        let stroenie = text::optional(&mut e, "stroenie", "Строение", self.stroenie.as_deref(), 10);
        let fias_id = text::optional(&mut e, "fias_id", "ФИАС/ГАР", self.fias_id.as_deref(), 36)
            .map(|v| v.to_lowercase());
        if let Some(f) = &fias_id {
            if !is_guid(f) {
                e.add(
                    "fias_id",
                    "Идентификатор ФИАС/ГАР — это 36 символов вида 0c5b2444-70a0-4932-980c-b4dc0d3f02b5. Проверьте его или оставьте поле пустым.",
                );
            }
        }
        let year_built = fields::int(
            &mut e,
            "year_built",
            "Год постройки",
            &self.year_built,
            1700,
            2100,
        );
        let floors = fields::int(&mut e, "floors", "Этажей", &self.floors, 1, 200);
        let entrances = fields::int(&mut e, "entrances", "Подъездов", &self.entrances, 1, 100);
        let managed_since = fields::date(
            &mut e,
            "managed_since",
            "В управлении с",
            &self.managed_since,
        );
        e.into_result(BuildingData {
            region,
            city,
            street,
            house,
            korpus,
            stroenie,
            fias_id,
            year_built: year_built.map(|v| v as i32),
            floors: floors.map(|v| v as i32),
            entrances: entrances.map(|v| v as i32),
            managed_since,
        })
    }
}

impl BuildingData {
    /// `г. Екатеринбург, ул. Ленина, д. 5, корп. 1, стр. 2` — the region is left out, as on
    /// letters within one region.
    pub fn address(&self) -> String {
        super::address_line(
            &self.city,
            &self.street,
            &self.house,
            self.korpus.as_deref(),
            self.stroenie.as_deref(),
        )
    }
}

fn is_guid(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() == 5
        && parts.iter().map(|p| p.len()).eq([8, 4, 4, 4, 12])
        && parts
            .iter()
            .all(|p| p.chars().all(|c| c.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> BuildingForm {
        BuildingForm {
            region: Some("Свердловская обл.".into()),
            city: Some("г. Екатеринбург".into()),
            street: Some("ул. Ленина".into()),
            house: Some("5".into()),
            korpus: Some("1".into()),
            floors: Some("9".into()),
            ..Default::default()
        }
    }

    #[test]
    fn valid_building_and_address() {
        let b = form().validate().unwrap();
        assert_eq!(b.address(), "г. Екатеринбург, ул. Ленина, д. 5, корп. 1");
        assert_eq!(b.floors, Some(9));
    }

    #[test]
    fn every_bad_field_is_named() {
        let f = BuildingForm {
            street: Some("  ".into()),
            fias_id: Some("123".into()),
            floors: Some("0".into()),
            managed_since: Some("вчера".into()),
            ..form()
        };
        let e = f.validate().unwrap_err();
        for field in ["street", "fias_id", "floors", "managed_since"] {
            assert!(e.for_field(field).is_some(), "{field}: {e}");
        }
        assert_eq!(e.0.len(), 4);
    }

    #[test]
    fn fias_guid_accepted() {
        let f = BuildingForm {
            fias_id: Some("0C5B2444-70A0-4932-980C-B4DC0D3F02B5".into()),
            ..form()
        };
        assert_eq!(
            f.validate().unwrap().fias_id.as_deref(),
            Some("0c5b2444-70a0-4932-980c-b4dc0d3f02b5")
        );
    }

    #[test]
    fn json_numbers_are_accepted() {
        let f: BuildingForm = serde_json::from_str(
            r#"{"region":"Свердловская обл.","city":"Екатеринбург","street":"ул. Мира","house":"12","floors":5,"year_built":1968}"#,
        )
        .unwrap();
        let b = f.validate().unwrap();
        assert_eq!((b.floors, b.year_built), (Some(5), Some(1968)));
    }
}
