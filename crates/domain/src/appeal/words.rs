//! The words storage writes or names about appeals that are not refusals: what a record
//! not found is called, the internal faults, addresses as the lists show them, the names
//! history gives to actors without an account.

/// The records of the appeals' register as "not found" names them.
pub mod noun {
    pub fn appeal(id: i64) -> String {
        format!("обращение с кодом {id}")
    }

    pub fn attachment(id: i64) -> String {
        format!("вложение {id}")
    }

    pub fn alert(id: i64) -> String {
        format!("оповещение с кодом {id}")
    }

    pub fn incident(id: i64) -> String {
        format!("авария с кодом {id}")
    }

    pub fn category(id: i64) -> String {
        format!("категория с кодом {id}")
    }

    pub fn deadline_binding(id: i64) -> String {
        format!("привязка срока с кодом {id}")
    }

    pub fn department(id: i64) -> String {
        format!("отдел с кодом {id}")
    }

    pub fn contractor(id: i64) -> String {
        format!("подрядчик с кодом {id}")
    }

    pub fn staff(id: i64) -> String {
        format!("сотрудник с кодом {id}")
    }

    pub fn assignment_rule(id: i64) -> String {
        format!("правило с кодом {id}")
    }

    pub const RATING_LINK: &str = "ссылка на оценку";
    /// A contractor's own orders asked for by an account that is no contractor.
    pub const OWN_CONTRACTOR: &str = "подрядчик этой учётной записи";
}

/// Faults that mean damaged data or a bug, not a person's mistake (shown as internal).
pub mod fault {
    pub fn unknown_status(code: &str) -> String {
        format!("неизвестный статус {code}")
    }

    pub fn unreadable_times(number: &str) -> String {
        format!("обращение {number}: время не читается")
    }

    pub fn not_written(number: &str) -> String {
        format!("обращение № {number} не записано")
    }

    pub const NO_APPEALS: &str = "нет обращений";
    pub const CATEGORY_LOST: &str = "категория пропала после записи";
}

/// A comment's author when no account wrote it.
pub const SYSTEM_AUTHOR: &str = "система";
/// Who the history names for a rating given through the personal link.
pub const LINK_APPLICANT: &str = "заявитель (по ссылке)";
/// Why a bulk action skipped an appeal the user may not see.
pub const NO_ACCESS: &str = "нет доступа";

/// A house: «street, д. house».
pub fn house_address(street: &str, house: &str) -> String {
    format!("{street}, д. {house}")
}

/// A building's address when both parts are known, else empty.
pub fn building_address(street: Option<&str>, house: Option<&str>) -> String {
    match (street, house) {
        (Some(s), Some(h)) => house_address(s, h),
        _ => String::new(),
    }
}

/// An appeal's address: the registry's building (and flat) when linked, else the text the
/// applicant gave.
pub fn appeal_address(
    street: Option<&str>,
    house: Option<&str>,
    flat: Option<&str>,
    text: Option<&str>,
) -> String {
    match (street, house) {
        (Some(s), Some(h)) => match flat {
            Some(f) => format!("{}, кв. {f}", house_address(s, h)),
            None => house_address(s, h),
        },
        _ => text.unwrap_or_default().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_need_street_and_house() {
        assert_eq!(
            building_address(Some("ул. Ленина"), Some("5")),
            "ул. Ленина, д. 5"
        );
        assert_eq!(building_address(Some("ул. Ленина"), None), "");
        assert_eq!(building_address(None, Some("5")), "");
        assert_eq!(
            appeal_address(Some("ул. Ленина"), Some("5"), Some("12"), Some("текст")),
            "ул. Ленина, д. 5, кв. 12"
        );
        assert_eq!(
            appeal_address(Some("ул. Ленина"), Some("5"), None, None),
            "ул. Ленина, д. 5"
        );
        assert_eq!(
            appeal_address(None, Some("5"), Some("12"), Some("Мира, 3")),
            "Мира, 3"
        );
        assert_eq!(appeal_address(None, None, None, None), "");
    }

    #[test]
    fn nouns_name_the_code() {
        assert_eq!(noun::appeal(42), "обращение с кодом 42");
        assert_eq!(noun::attachment(7), "вложение 7");
        assert_eq!(fault::not_written("З-1"), "обращение № З-1 не записано");
    }
}
