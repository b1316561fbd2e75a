//! Whole-address and full-name columns as people fill them in.

use abonent_import::{parse_address, parse_full_name, FullName, ParsedAddress};

fn addr(
    city: Option<&str>,
    street: &str,
    house: &str,
    korpus: Option<&str>,
    flat: Option<&str>,
) -> ParsedAddress {
    ParsedAddress {
        city: city.map(Into::into),
        street: Some(street.into()),
        house: Some(house.into()),
        korpus: korpus.map(Into::into),
        flat: flat.map(Into::into),
        ..Default::default()
    }
}

#[test]
fn full_address_with_markers() {
    assert_eq!(
        parse_address("г. Екатеринбург, ул. Ленина, д. 5, корп. 1, кв. 12"),
        addr(
            Some("г. Екатеринбург"),
            "ул. Ленина",
            "5",
            Some("1"),
            Some("12")
        )
    );
}

#[test]
fn short_street_house_flat() {
    assert_eq!(
        parse_address("Ленина 5-12"),
        addr(None, "Ленина", "5", None, Some("12"))
    );
    assert_eq!(
        parse_address("Ленина 5 кв 12"),
        addr(None, "Ленина", "5", None, Some("12"))
    );
}

#[test]
fn postal_code_region_and_slash_house() {
    let a =
        parse_address("620014, Свердловская обл., г. Екатеринбург, пр-кт Ленина, д. 50/1, кв. 3");
    assert_eq!(a.region.as_deref(), Some("Свердловская обл."));
    assert_eq!(a.city.as_deref(), Some("г. Екатеринбург"));
    assert_eq!(a.street.as_deref(), Some("пр-кт Ленина"));
    assert_eq!(a.house.as_deref(), Some("50/1"));
    assert_eq!(a.flat.as_deref(), Some("3"));
}

#[test]
fn one_c_style_suffix_markers() {
    assert_eq!(
        parse_address("Екатеринбург г, Малышева ул, дом № 5 А, кв 7"),
        addr(
            Some("г. Екатеринбург"),
            "Малышева ул",
            "5А",
            None,
            Some("7")
        )
    );
}

#[test]
fn no_spaces_after_dots() {
    assert_eq!(
        parse_address("г.Екатеринбург,ул.Ленина,д.5,кв.12"),
        addr(Some("г. Екатеринбург"), "ул. Ленина", "5", None, Some("12"))
    );
}

#[test]
fn street_names_with_numbers() {
    assert_eq!(
        parse_address("ул. 8 Марта, 12к2-45"),
        addr(None, "ул. 8 Марта", "12", Some("2"), Some("45"))
    );
    assert_eq!(
        parse_address("8 Марта 12-3"),
        addr(None, "8 Марта", "12", None, Some("3"))
    );
}

#[test]
fn bare_numbers_and_unmarked_city() {
    assert_eq!(
        parse_address("Екатеринбург, Ленина, 5, 12"),
        addr(Some("Екатеринбург"), "Ленина", "5", None, Some("12"))
    );
    let a = parse_address("п. Исеть, ул. Мира, 3, 1");
    assert_eq!(a.city.as_deref(), Some("п. Исеть"));
    assert_eq!(
        (a.house.as_deref(), a.flat.as_deref()),
        (Some("3"), Some("1"))
    );
}

#[test]
fn villages_are_not_houses() {
    let a = parse_address("д. Малиновка, ул. Садовая, д. 4");
    assert_eq!(a.city.as_deref(), Some("д. Малиновка"));
    assert_eq!(a.house.as_deref(), Some("4"));
    let a = parse_address("с. Покровское, Школьная 7");
    assert_eq!(a.city.as_deref(), Some("с. Покровское"));
    assert_eq!(a.street.as_deref(), Some("Школьная"));
    assert_eq!(a.house.as_deref(), Some("7"));
}

#[test]
fn stroenie_and_non_residential() {
    let a = parse_address("ул. Ленина, д. 10, стр. 2, пом. 3Н");
    assert_eq!(a.house.as_deref(), Some("10"));
    assert_eq!(a.stroenie.as_deref(), Some("2"));
    assert_eq!(a.flat.as_deref(), Some("3Н"));
    let a = parse_address("Ленина 10с2");
    assert_eq!(
        (a.house.as_deref(), a.stroenie.as_deref()),
        (Some("10"), Some("2"))
    );
}

#[test]
fn what_is_missing_stays_none() {
    let a = parse_address("ул. Ленина");
    assert_eq!(a.street.as_deref(), Some("ул. Ленина"));
    assert_eq!((a.house, a.flat), (None, None));
    assert_eq!(parse_address(""), ParsedAddress::default());
}

#[test]
fn names() {
    let n = |l: &str, f: Option<&str>, m: Option<&str>| FullName {
        last: l.into(),
        first: f.map(Into::into),
        middle: m.map(Into::into),
    };
    assert_eq!(
        parse_full_name("  Иванов   Пётр Сергеевич "),
        Some(n("Иванов", Some("Пётр"), Some("Сергеевич")))
    );
    assert_eq!(
        parse_full_name("Иванов П.С."),
        Some(n("Иванов", Some("П."), Some("С.")))
    );
    assert_eq!(
        parse_full_name("П. С. Иванов"),
        Some(n("Иванов", Some("П."), Some("С.")))
    );
    assert_eq!(
        parse_full_name("Алиев Рашид Гусейн оглы"),
        Some(n("Алиев", Some("Рашид"), Some("Гусейн оглы")))
    );
    assert_eq!(parse_full_name("Иванов"), Some(n("Иванов", None, None)));
    assert_eq!(parse_full_name("  "), None);
}
