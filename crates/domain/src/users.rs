//! Sign-in accounts of the staff and API tokens: what a login, a password, a name must be.
//! Storage hashes and stores; the rules and their words are here.

use crate::ValidationErrors;

/// At least 10 characters.
pub fn validate_password(password: &str) -> Result<(), ValidationErrors> {
    if password.chars().count() < 10 {
        return Err(ValidationErrors::single(
            "password",
            "Пароль слишком короткий: нужно не менее 10 символов.",
        ));
    }
    Ok(())
}

/// 3 to 40 lowercase Latin letters, digits, dots, hyphens or underscores (already
/// trimmed and lowercased by the caller).
pub fn validate_login(login: &str) -> Result<(), ValidationErrors> {
    let ok = (3..=40).contains(&login.len())
        && login
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c));
    if ok {
        Ok(())
    } else {
        Err(ValidationErrors::single(
            "login",
            "Логин: от 3 до 40 строчных латинских букв, цифр, точек, дефисов или подчёркиваний.",
        ))
    }
}

/// A new user as entered: every bad field at once; the cleaned full name when all is well.
pub fn check_new_user(
    login: &str,
    full_name: &str,
    password: &str,
) -> Result<String, ValidationErrors> {
    let mut errors = ValidationErrors::new();
    if let Err(e) = validate_login(login) {
        errors.0.extend(e.0);
    }
    if let Err(e) = validate_password(password) {
        errors.0.extend(e.0);
    }
    let full_name = crate::text::required(&mut errors, "full_name", "ФИО", full_name, 120);
    errors.into_result(full_name)
}

/// The login is already someone's.
pub fn login_taken(login: &str) -> ValidationErrors {
    ValidationErrors::single(
        "login",
        format!("Логин «{login}» уже занят: выберите другой."),
    )
}

/// An API token's name: required, at most 100 characters; cleaned.
pub fn check_token_name(name: &str) -> Result<String, ValidationErrors> {
    let mut e = ValidationErrors::new();
    let name = crate::text::required(&mut e, "name", "Название", name, 100);
    e.into_result(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_needs_ten_characters() {
        assert!(validate_password("ёёёёёёёёёё").is_ok());
        let e = validate_password("123456789").unwrap_err();
        assert_eq!(
            e.for_field("password"),
            Some("Пароль слишком короткий: нужно не менее 10 символов.")
        );
    }

    #[test]
    fn login_is_short_lowercase_latin() {
        assert!(validate_login("ivan.petrov-2_x").is_ok());
        for bad in ["iv", "Ivan", "иван", "ivan petrov", &"a".repeat(41)] {
            assert!(
                validate_login(bad)
                    .unwrap_err()
                    .for_field("login")
                    .is_some(),
                "{bad}"
            );
        }
    }

    #[test]
    fn a_new_user_names_every_bad_field() {
        assert_eq!(
            check_new_user("ivan", "  Иванов  Иван ", "0123456789").unwrap(),
            "Иванов Иван"
        );
        let e = check_new_user("I", " ", "1").unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["login", "password", "full_name"]);
    }

    #[test]
    fn taken_login_and_token_name() {
        assert_eq!(
            login_taken("ivan").for_field("login"),
            Some("Логин «ivan» уже занят: выберите другой.")
        );
        assert_eq!(check_token_name(" 1С ").unwrap(), "1С");
        assert!(check_token_name("")
            .unwrap_err()
            .for_field("name")
            .is_some());
        assert!(check_token_name(&"x".repeat(101)).is_err());
    }
}
