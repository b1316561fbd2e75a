use serde::{Deserialize, Serialize};

use super::fields::{self, flag, loose};
use crate::{text, ValidationErrors};

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct PremisesForm {
    #[serde(default, deserialize_with = "loose")]
    pub building_id: Option<String>,
    #[serde(default, deserialize_with = "loose")]
    pub number: Option<String>,
    /// `true`/`on` for a flat; absent or `false` for a non-residential unit.
    #[serde(default, deserialize_with = "loose")]
    pub residential: Option<String>,
    #[serde(default, deserialize_with = "loose")]
    pub area: Option<String>,
    #[serde(default, deserialize_with = "loose")]
    pub rooms: Option<String>,
    #[serde(default, deserialize_with = "loose")]
    pub entrance: Option<String>,
    #[serde(default, deserialize_with = "loose")]
    pub floor: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PremisesData {
    pub building_id: i64,
    pub number: String,
    pub residential: bool,
    /// Hundredths of a square metre.
    pub area_centi: Option<i64>,
    pub rooms: Option<i32>,
    pub entrance: Option<i32>,
    pub floor: Option<i32>,
}

impl PremisesForm {
    pub fn validate(&self) -> Result<PremisesData, ValidationErrors> {
        let mut e = ValidationErrors::new();
        let building_id = fields::id(&mut e, "building_id", "Дом", &self.building_id);
        let number = text::required(
            &mut e,
            "number",
            "Номер помещения",
            self.number.as_deref().unwrap_or(""),
            20,
        );
        let area_centi = fields::area(&mut e, "area", &self.area);
        let rooms = fields::int(&mut e, "rooms", "Комнат", &self.rooms, 0, 50);
        let entrance = fields::int(&mut e, "entrance", "Подъезд", &self.entrance, 1, 100);
        let floor = fields::int(&mut e, "floor", "Этаж", &self.floor, -5, 200);
        e.into_result(PremisesData {
            building_id,
            number,
            residential: flag(&self.residential),
            area_centi,
            rooms: rooms.map(|v| v as i32),
            entrance: entrance.map(|v| v as i32),
            floor: floor.map(|v| v as i32),
        })
    }
}

impl PremisesData {
    /// `кв. 12` or `пом. 3Н`.
    pub fn label(&self) -> String {
        super::premises_label(&self.number, self.residential)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flat_is_parsed() {
        let p = PremisesForm {
            building_id: Some("7".into()),
            number: Some("12".into()),
            residential: Some("on".into()),
            area: Some("54,3".into()),
            rooms: Some("2".into()),
            ..Default::default()
        }
        .validate()
        .unwrap();
        assert_eq!(p.area_centi, Some(5430));
        assert_eq!(p.label(), "кв. 12");
    }

    #[test]
    fn missing_building_and_number() {
        let e = PremisesForm::default().validate().unwrap_err();
        assert!(e.for_field("building_id").is_some());
        assert!(e.for_field("number").is_some());
    }
}
