//! What of a payer's address the registry search can find: banks write the city, region,
//! district and postcode, which the search index does not hold.

use crate::text::fold;

/// The address without its city, region, district and postcode parts, words joined by
/// spaces: «г. Тверь, ул. Ленина, д. 1» → «ул. Ленина д. 1».
pub fn search_terms(address: &str) -> String {
    address
        .split(',')
        .map(str::trim)
        .filter(|p| !is_locality(&fold(p)))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A folded part that names a city, region or district, or is a postcode.
fn is_locality(f: &str) -> bool {
    f.starts_with("г.")
        || f.starts_with("г ")
        || f.starts_with("город")
        || f.contains("обл")
        || f.contains("край")
        || f.contains("р-н")
        || f.chars().all(|c| c.is_ascii_digit()) && f.len() == 6
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn city_region_district_and_postcode_are_dropped() {
        assert_eq!(
            search_terms("170000, Тверская обл., Калининский р-н, г. Тверь, ул. Ленина, д. 1"),
            "ул. Ленина д. 1"
        );
        assert_eq!(search_terms("Г Тверь,ул. Мира , 5"), "ул. Мира 5");
        assert_eq!(
            search_terms("город Тверь, Алтайский край, пр. Победы, 7"),
            "пр. Победы 7"
        );
    }

    #[test]
    fn streets_and_short_numbers_stay() {
        // «Гагарина» starts with «г» but not «г.» or «г »; 12345 is no postcode.
        assert_eq!(search_terms("Гагарина, 12345"), "Гагарина 12345");
        assert_eq!(search_terms(""), "");
    }
}
