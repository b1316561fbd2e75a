//! The appeals' reference forms as entered (categories, departments, contractors, staff):
//! the checks that need nothing stored, and the labels the text checks name.

use super::check_inn;
use crate::ValidationErrors;

/// Labels of the required text fields, as «Заполните поле «…»» names them.
pub const COMMENT_LABEL: &str = "Текст";
pub const DEPARTMENT_LABEL: &str = "Название";
pub const CONTRACTOR_LABEL: &str = "Наименование";

/// A category's title: required, at most 120 characters; trimmed.
pub fn check_category_title(title: &str) -> Result<String, ValidationErrors> {
    let title = title.trim();
    if title.is_empty() {
        return Err(ValidationErrors::single(
            "title",
            "Укажите название категории, например «Протечка кровли».",
        ));
    }
    if title.chars().count() > 120 {
        return Err(ValidationErrors::single(
            "title",
            "Название категории длиннее 120 знаков: сократите его.",
        ));
    }
    Ok(title.to_string())
}

fn email_ok(s: &str) -> bool {
    s.split_once('@')
        .is_some_and(|(u, h)| !u.is_empty() && h.contains('.') && !s.contains(char::is_whitespace))
}

/// Contacts of a department, contractor or staff member, each optional: the phone
/// normalized, the e-mail trimmed; a malformed one is added to `e`.
pub fn check_contacts(
    e: &mut ValidationErrors,
    phone: &str,
    email: &str,
) -> (Option<String>, Option<String>) {
    let phone = match phone.trim() {
        "" => None,
        p => match crate::phone::normalize(p) {
            Some(n) => Some(n),
            None => {
                e.add("phone", "Телефон вида +7 912 345-67-89: проверьте цифры.");
                None
            }
        },
    };
    let email = Some(email.trim().to_string()).filter(|s| !s.is_empty());
    if email.as_deref().is_some_and(|m| !email_ok(m)) {
        e.add(
            "email",
            "Адрес эл. почты вида name@example.ru: проверьте написание.",
        );
    }
    (phone, email)
}

/// A contractor's INN: required (contracts and acts are matched by it) and well formed.
pub fn check_contractor_inn(e: &mut ValidationErrors, inn: &str) {
    let inn = inn.trim();
    if inn.is_empty() {
        e.add(
            "inn",
            "Укажите ИНН подрядчика: по нему сверяют договор и акты.",
        );
    } else if let Some(why) = check_inn(inn) {
        e.add("inn", why);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn category_titles_are_required_and_short() {
        assert_eq!(check_category_title(" Лифт "), Ok("Лифт".into()));
        let e = check_category_title(" ").unwrap_err();
        assert!(e.for_field("title").unwrap().starts_with("Укажите"));
        let e = check_category_title(&"я".repeat(121)).unwrap_err();
        assert!(e.for_field("title").unwrap().contains("120"));
        assert!(check_category_title(&"я".repeat(120)).is_ok());
    }

    #[test]
    fn contacts_are_optional_but_well_formed() {
        let mut e = ValidationErrors::new();
        assert_eq!(check_contacts(&mut e, " ", " "), (None, None));
        assert!(e.is_empty());
        let (phone, email) = check_contacts(&mut e, "8 912 345-67-89", " a@b.ru ");
        assert!(phone.is_some());
        assert_eq!(email.as_deref(), Some("a@b.ru"));
        assert!(e.is_empty());
        let (phone, email) = check_contacts(&mut e, "12", "a@b");
        assert_eq!(phone, None);
        assert_eq!(email.as_deref(), Some("a@b"));
        assert!(e.for_field("phone").is_some() && e.for_field("email").is_some());
        let mut e = ValidationErrors::new();
        check_contacts(&mut e, "", "@b.ru");
        check_contacts(&mut e, "", "a b@c.ru");
        assert_eq!(e.0.len(), 2);
    }

    #[test]
    fn a_contractor_needs_a_valid_inn() {
        let mut e = ValidationErrors::new();
        check_contractor_inn(&mut e, "7707083893");
        assert!(e.is_empty());
        check_contractor_inn(&mut e, " ");
        assert!(e.for_field("inn").unwrap().starts_with("Укажите ИНН"));
        let mut e = ValidationErrors::new();
        check_contractor_inn(&mut e, "123");
        assert!(e.for_field("inn").unwrap().contains("10 цифр"));
    }
}
