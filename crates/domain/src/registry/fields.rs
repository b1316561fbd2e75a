//! Parsing of individual form fields, shared by all registry forms.

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer};

use crate::ValidationErrors;

/// Accept a string, a number, a boolean or null where a form field is expected, so that
/// one form struct serves both HTML forms (strings) and JSON (typed values).
pub fn loose<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Loose {
        S(String),
        I(i64),
        F(f64),
        B(bool),
    }
    Ok(match Option::<Loose>::deserialize(d)? {
        None => None,
        Some(Loose::S(s)) => Some(s),
        Some(Loose::I(i)) => Some(i.to_string()),
        Some(Loose::F(f)) => Some(f.to_string()),
        Some(Loose::B(b)) => Some(b.to_string()),
    })
}

/// HTML checkboxes send `on`; JSON sends `true`.
pub fn flag(v: &Option<String>) -> bool {
    matches!(
        v.as_deref().map(str::trim),
        Some("on" | "true" | "1" | "yes" | "да")
    )
}

/// `2026-11-27` (HTML date input, ISO) or `27.11.2026` (as Russians write it).
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(s, "%d.%m.%Y"))
        .ok()
}

pub fn date(
    errors: &mut ValidationErrors,
    field: &str,
    label: &str,
    v: &Option<String>,
) -> Option<NaiveDate> {
    let s = v.as_deref().map(str::trim).filter(|s| !s.is_empty())?;
    match parse_date(s) {
        Some(d) => Some(d),
        None => {
            errors.add(
                field,
                format!("Поле «{label}»: «{s}» не дата. Введите дату как 27.11.2026."),
            );
            None
        }
    }
}

pub fn required_date(
    errors: &mut ValidationErrors,
    field: &str,
    label: &str,
    v: &Option<String>,
) -> Option<NaiveDate> {
    let blank = v.as_deref().map(str::trim).unwrap_or("").is_empty();
    if blank {
        errors.add(
            field,
            format!("Заполните поле «{label}»: дата как 27.11.2026."),
        );
        return None;
    }
    date(errors, field, label, v)
}

/// A whole number within `min..=max`.
pub fn int(
    errors: &mut ValidationErrors,
    field: &str,
    label: &str,
    v: &Option<String>,
    min: i64,
    max: i64,
) -> Option<i64> {
    let s = v.as_deref().map(str::trim).filter(|s| !s.is_empty())?;
    match s.parse::<i64>() {
        Ok(n) if (min..=max).contains(&n) => Some(n),
        _ => {
            errors.add(
                field,
                format!("Поле «{label}»: введите целое число от {min} до {max}."),
            );
            None
        }
    }
}

/// A required reference to another record by id.
pub fn id(errors: &mut ValidationErrors, field: &str, label: &str, v: &Option<String>) -> i64 {
    match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => {
            errors.add(field, format!("Выберите значение в поле «{label}»."));
            0
        }
        Some(s) => match s.parse::<i64>() {
            Ok(n) if n > 0 => n,
            _ => {
                errors.add(field, format!("Поле «{label}»: неверная ссылка «{s}»."));
                0
            }
        },
    }
}

/// Area in square metres with up to two decimals (`54,3` or `54.30`) → hundredths of m².
pub fn area(errors: &mut ValidationErrors, field: &str, v: &Option<String>) -> Option<i64> {
    let s = v.as_deref().map(str::trim).filter(|s| !s.is_empty())?;
    let s = s.replace(',', ".");
    let (whole, frac) = s.split_once('.').unwrap_or((&s, ""));
    let ok = !whole.is_empty()
        && whole.len() <= 6
        && whole.chars().all(|c| c.is_ascii_digit())
        && frac.len() <= 2
        && frac.chars().all(|c| c.is_ascii_digit());
    if !ok {
        errors.add(
            field,
            format!("Площадь «{s}» не распознана. Введите число квадратных метров, например 54,3."),
        );
        return None;
    }
    let w: i64 = whole.parse().unwrap_or(0);
    let f: i64 = format!("{frac:0<2}").parse().unwrap_or(0);
    let centi = w * 100 + f;
    if centi == 0 {
        errors.add(field, "Площадь должна быть больше нуля.");
        return None;
    }
    Some(centi)
}

/// `5430` → `54,3`.
pub fn format_area(centi: i64) -> String {
    let w = centi / 100;
    let f = centi % 100;
    match f {
        0 => w.to_string(),
        f if f % 10 == 0 => format!("{w},{}", f / 10),
        f => format!("{w},{f:02}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_both_ways() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        assert_eq!(parse_date("2026-11-27"), Some(d));
        assert_eq!(parse_date("27.11.2026"), Some(d));
        assert_eq!(parse_date("31.02.2026"), None);
    }

    #[test]
    fn area_parsing_and_format() {
        let mut e = ValidationErrors::new();
        assert_eq!(area(&mut e, "area", &Some("54,3".into())), Some(5430));
        assert_eq!(area(&mut e, "area", &Some("54.35".into())), Some(5435));
        assert_eq!(area(&mut e, "area", &Some("120".into())), Some(12000));
        assert!(e.is_empty());
        assert_eq!(area(&mut e, "area", &Some("54,355".into())), None);
        assert_eq!(area(&mut e, "area", &Some("-5".into())), None);
        assert_eq!(area(&mut e, "area", &Some("0".into())), None);
        assert_eq!(e.0.len(), 3);
        assert_eq!(format_area(5430), "54,3");
        assert_eq!(format_area(5435), "54,35");
        assert_eq!(format_area(5405), "54,05");
        assert_eq!(format_area(12000), "120");
    }

    #[test]
    fn int_bounds() {
        let mut e = ValidationErrors::new();
        assert_eq!(
            int(&mut e, "floors", "Этажей", &Some("9".into()), 1, 200),
            Some(9)
        );
        assert_eq!(
            int(&mut e, "floors", "Этажей", &Some("0".into()), 1, 200),
            None
        );
        assert_eq!(
            int(&mut e, "floors", "Этажей", &Some("девять".into()), 1, 200),
            None
        );
        assert_eq!(int(&mut e, "floors", "Этажей", &None, 1, 200), None);
        assert_eq!(e.0.len(), 2);
    }
}
