//! Text field rules shared by every form: trimming, length limits, control characters.

use crate::ValidationErrors;

/// Trim and collapse inner runs of whitespace; `None` for an empty result.
pub fn clean(s: &str) -> Option<String> {
    let joined = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if joined.is_empty() {
        None
    } else {
        Some(joined)
    }
}

/// A required text field of at most `max` characters.
pub fn required(
    errors: &mut ValidationErrors,
    field: &str,
    label: &str,
    value: &str,
    max: usize,
) -> String {
    match clean(value) {
        None => {
            errors.add(field, format!("Заполните поле «{label}»."));
            String::new()
        }
        Some(v) => {
            check_len(errors, field, label, &v, max);
            v
        }
    }
}

/// An optional text field of at most `max` characters.
pub fn optional(
    errors: &mut ValidationErrors,
    field: &str,
    label: &str,
    value: Option<&str>,
    max: usize,
) -> Option<String> {
    let v = clean(value.unwrap_or(""))?;
    check_len(errors, field, label, &v, max);
    Some(v)
}

fn check_len(errors: &mut ValidationErrors, field: &str, label: &str, v: &str, max: usize) {
    let n = v.chars().count();
    if n > max {
        errors.add(
            field,
            format!(
                "Поле «{label}» слишком длинное: {}, допустимо не более {}. Сократите текст.",
                crate::money::counted(n as i64, ["символ", "символа", "символов"]),
                crate::money::format_count(max as i64)
            ),
        );
    }
    if v.chars().any(|c| c.is_control()) {
        errors.add(
            field,
            format!("Поле «{label}» содержит управляющие символы. Уберите их."),
        );
    }
}

/// Lower-case and fold `ё` to `е`, as people type addresses and names both ways.
pub fn fold(s: &str) -> String {
    s.chars()
        .flat_map(|c| c.to_lowercase())
        .map(|c| if c == 'ё' { 'е' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_collapses_whitespace() {
        assert_eq!(clean("  ул.   Ленина \t "), Some("ул. Ленина".into()));
        assert_eq!(clean("   "), None);
    }

    #[test]
    fn required_reports_missing_and_long() {
        let mut e = ValidationErrors::new();
        required(&mut e, "street", "Улица", " ", 10);
        assert_eq!(e.for_field("street"), Some("Заполните поле «Улица»."));
        let mut e = ValidationErrors::new();
        let v = required(&mut e, "street", "Улица", "абвгдежзийк", 10);
        assert_eq!(v.chars().count(), 11);
        assert!(e.for_field("street").unwrap().contains("не более 10"));
    }

    #[test]
    fn fold_handles_yo() {
        assert_eq!(fold("Пётр ЁЖИКОВ"), "петр ежиков");
    }
}
