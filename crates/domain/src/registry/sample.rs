//! A building to start tests and examples from: the fixture storage and web tests share.

use super::BuildingForm;

/// «г. Екатеринбург, ул. Ленина, д. {house}» in Свердловская обл., as typed in the form.
pub fn sample_building(house: &str) -> BuildingForm {
    BuildingForm {
        region: Some("Свердловская обл.".into()),
        city: Some("г. Екатеринбург".into()),
        street: Some("ул. Ленина".into()),
        house: Some(house.into()),
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_sample_is_a_valid_building() {
        let b = super::sample_building("5").validate().unwrap();
        assert_eq!(b.address(), "г. Екатеринбург, ул. Ленина, д. 5");
    }
}
