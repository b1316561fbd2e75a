//! What a list shows of a person (152-ФЗ: only what the work needs). A list, a search result
//! or a pick list shows the name, the birth date (to tell namesakes apart), the last four
//! digits of a phone and the first letter and domain of an e-mail; the identity document not
//! at all. The person card shows everything, and its opening is logged.

use crate::registry::PersonData;

/// `+7 *** ***-67-89`: enough to confirm a caller, not enough to call.
pub fn mask_phone(normalized: &str) -> String {
    let d: Vec<char> = normalized.chars().filter(|c| c.is_ascii_digit()).collect();
    if d.len() < 4 {
        return "***".into();
    }
    let n = d.len();
    format!(
        "+7 *** ***-{}{}-{}{}",
        d[n - 4],
        d[n - 3],
        d[n - 2],
        d[n - 1]
    )
}

/// `i***@example.ru`.
pub fn mask_email(email: &str) -> String {
    match email.split_once('@') {
        Some((user, domain)) => {
            let first: String = user.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => "***".into(),
    }
}

/// The person as a list shows them: phones and e-mail masked, no identity document.
pub fn masked(d: &PersonData) -> PersonData {
    PersonData {
        phones: d.phones.iter().map(|p| mask_phone(p)).collect(),
        email: d.email.as_deref().map(mask_email),
        id_document: None,
        capacity_basis: None,
        ..d.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_keeps_the_last_four_digits() {
        assert_eq!(mask_phone("+79123456789"), "+7 *** ***-67-89");
        assert_eq!(mask_phone("12"), "***");
    }

    #[test]
    fn email_keeps_the_first_letter_and_the_domain() {
        assert_eq!(mask_email("ivanov@mail.ru"), "i***@mail.ru");
        assert_eq!(mask_email("нет"), "***");
    }

    #[test]
    fn list_shows_no_document() {
        let d = PersonData {
            last_name: "Иванов".into(),
            first_name: "Иван".into(),
            middle_name: None,
            birth_date: None,
            phones: vec!["+79123456789".into()],
            email: Some("ivanov@mail.ru".into()),
            id_document: Some("паспорт 6512 345678".into()),
            consent_sms: true,
            consent_email: false,
            legal_capacity: Default::default(),
            capacity_basis: None,
        };
        let m = masked(&d);
        assert_eq!(m.id_document, None);
        assert_eq!(m.phones, vec!["+7 *** ***-67-89"]);
        assert_eq!(m.full_name(), "Иванов Иван");
    }
}
