//! How registry records are named on screens and in notes, and the reason asked when one
//! is closed. Storage reads the columns; the words are here.

use chrono::NaiveDate;

use crate::ValidationErrors;

/// `кв. 12` for a flat, `пом. 3Н` for non-residential premises.
pub fn premises_label(number: &str, residential: bool) -> String {
    if residential {
        format!("кв. {number}")
    } else {
        format!("пом. {number}")
    }
}

/// `г. Екатеринбург, ул. Ленина, д. 5, корп. 1, стр. 2` — the region is left out, as on
/// letters within one region.
pub fn address_line(
    city: &str,
    street: &str,
    house: &str,
    korpus: Option<&str>,
    stroenie: Option<&str>,
) -> String {
    format!(
        "{city}, {}",
        building_label(street, house, korpus, stroenie)
    )
}

/// `ул. Ленина, д. 5, корп. 1` — a building as a history or a list names it, without the city.
pub fn building_label(
    street: &str,
    house: &str,
    korpus: Option<&str>,
    stroenie: Option<&str>,
) -> String {
    let mut s = format!("{street}, д. {house}");
    if let Some(k) = korpus {
        s.push_str(&format!(", корп. {k}"));
    }
    if let Some(st) = stroenie {
        s.push_str(&format!(", стр. {st}"));
    }
    s
}

/// The reason given when a record is closed: required, at most 500 characters.
pub fn close_reason(reason: &str) -> Result<String, ValidationErrors> {
    let mut e = ValidationErrors::new();
    let r = crate::text::required(&mut e, "reason", "Причина закрытия", reason, 500);
    e.into_result(r)
}

/// Why a stored person may be the one being entered: the same full name (and, when both
/// are known, the same birth date).
pub fn similar_by_name(birth_date: Option<NaiveDate>) -> String {
    match birth_date {
        Some(d) => format!("то же ФИО, дата рождения {}", d.format("%d.%m.%Y")),
        None => "то же ФИО".to_string(),
    }
}

/// Why a stored person may be the one being entered: a shared phone, as typed.
pub fn similar_by_phone(phone: &str) -> String {
    format!("тот же телефон {}", crate::phone::display(phone))
}

/// Why a new person is not saved at once: someone with the same full name or a shared phone
/// is already in the registry. The caller may confirm and save anyway.
pub fn duplicate_person_conflict() -> &'static str {
    "Возможно, этот человек уже есть в реестре. Проверьте кандидатов или повторите с confirm_duplicate=true."
}

/// Why a new account is not opened at once: the premises already have open accounts
/// (`numbers`). The caller may confirm and open another.
pub fn duplicate_account_conflict(numbers: &[String]) -> String {
    format!(
        "На помещении уже открыт лицевой счёт № {}. Повторите с confirm_duplicate=true, если нужен ещё один.",
        numbers.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn premises_are_flats_or_rooms() {
        assert_eq!(premises_label("12", true), "кв. 12");
        assert_eq!(premises_label("3Н", false), "пом. 3Н");
    }

    #[test]
    fn address_adds_korpus_and_stroenie_when_given() {
        assert_eq!(
            address_line("г. Е", "ул. Л", "5", None, None),
            "г. Е, ул. Л, д. 5"
        );
        assert_eq!(
            address_line("г. Е", "ул. Л", "5", Some("1"), Some("2")),
            "г. Е, ул. Л, д. 5, корп. 1, стр. 2"
        );
    }

    #[test]
    fn a_building_is_named_without_its_city() {
        assert_eq!(
            building_label("ул. Л", "5", Some("1"), None),
            "ул. Л, д. 5, корп. 1"
        );
        assert_eq!(building_label("ул. Л", "5", None, None), "ул. Л, д. 5");
    }

    #[test]
    fn close_reason_is_required() {
        assert_eq!(close_reason("  продан ").unwrap(), "продан");
        let e = close_reason(" ").unwrap_err();
        assert!(e.for_field("reason").is_some(), "{e:?}");
        assert!(close_reason(&"я".repeat(501)).is_err());
    }

    #[test]
    fn similarity_reasons() {
        assert_eq!(similar_by_name(None), "то же ФИО");
        let d = NaiveDate::from_ymd_opt(1980, 2, 3).unwrap();
        assert_eq!(
            similar_by_name(Some(d)),
            "то же ФИО, дата рождения 03.02.1980"
        );
        assert!(similar_by_phone("+79123456789").starts_with("тот же телефон "));
    }
}
