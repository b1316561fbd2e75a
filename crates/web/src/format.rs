//! How pages write numbers, money, dates and counted nouns — one place, so every page reads
//! the same: `1 234,56 ₽`, `12 500`, `07.12.2026`, `07.12.2026 14:05` in the organization's
//! time zone, «2 платежа».

use chrono::NaiveDate;

/// `1 234,56 ₽`.
pub fn rubles(kopecks: i64) -> String {
    abonent_domain::money::format_rub(kopecks)
}

/// A count with its digits grouped: `12 500`.
pub fn count(n: i64) -> String {
    abonent_domain::money::format_count(n)
}

/// Any integer as people read it, digits grouped: `12 500` (for templates, whatever the
/// integer type).
pub fn grouped(n: impl std::fmt::Display) -> String {
    let text = n.to_string();
    match text.parse::<i64>() {
        Ok(n) => count(n),
        Err(_) => text,
    }
}

/// A count with its noun in the right form: `forms` = [one, few, many], e.g.
/// `counted(5, ["платёж", "платежа", "платежей"])` = «5 платежей» (any integer type).
/// Templates pass the forms by reference, Rust by value.
pub fn counted(
    n: impl std::fmt::Display,
    forms: impl std::borrow::Borrow<[&'static str; 3]>,
) -> String {
    abonent_domain::money::counted(n.to_string().parse().unwrap_or(0), *forms.borrow())
}

/// The forms of «ошибка» for [`counted`].
pub const ERRORS: [&str; 3] = ["ошибка", "ошибки", "ошибок"];

/// «1 платёж», «3 платежа», «12 платежей» (any integer type).
pub fn payments(n: impl std::fmt::Display) -> String {
    counted(n, ["платёж", "платежа", "платежей"])
}

/// «1 раз», «2 раза», «5 раз» (any integer type).
pub fn times(n: impl std::fmt::Display) -> String {
    counted(n, ["раз", "раза", "раз"])
}

/// `07.12.2026`.
pub fn date(d: &NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

/// An instant stored in UTC, in the organization's zone: `07.12.2026 14:05`.
pub fn instant(utc: &str, tz: chrono_tz::Tz) -> Option<String> {
    abonent_storage::time::parse(utc)
        .map(|t| t.with_timezone(&tz).format("%d.%m.%Y %H:%M").to_string())
}

/// A stored date (`2026-12-07`) or instant as a person reads it; `None` for other text.
pub fn date_or_instant(s: &str, tz: chrono_tz::Tz) -> Option<String> {
    if s.len() == 10 {
        return abonent_storage::time::parse_date(s).map(|d| date(&d));
    }
    if s.len() >= 20 && s.as_bytes().get(10) == Some(&b'T') {
        return instant(s, tz);
    }
    None
}

/// A file's size: `850 байт`, `12,4 КБ`, `3,1 МБ`.
pub fn bytes(n: i64) -> String {
    const K: f64 = 1024.0;
    let f = n as f64;
    if f < K {
        counted(n, ["байт", "байта", "байт"])
    } else if f < K * K {
        format!("{:.1} КБ", f / K).replace('.', ",")
    } else {
        format!("{:.1} МБ", f / K / K).replace('.', ",")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counted_nouns_take_russian_plural_forms() {
        let f = ["платёж", "платежа", "платежей"];
        assert_eq!(counted(1, f), "1 платёж");
        assert_eq!(counted(2, f), "2 платежа");
        assert_eq!(counted(5, f), "5 платежей");
        assert_eq!(counted(11, f), "11 платежей");
        assert_eq!(counted(21, f), "21 платёж");
        assert_eq!(counted(1234, f), "1 234 платежа");
        assert_eq!(grouped(1_250_000_usize), "1 250 000");
        assert_eq!(payments(3_usize), "3 платежа");
        assert_eq!(payments(10_001_u64), "10 001 платёж");
        assert_eq!(times(2_i64), "2 раза");
        assert_eq!(times(5_u8), "5 раз");
    }

    #[test]
    fn dates_instants_and_sizes_read_in_russian() {
        let tz: chrono_tz::Tz = "Asia/Yekaterinburg".parse().unwrap();
        assert_eq!(
            date_or_instant("2026-11-27", tz).as_deref(),
            Some("27.11.2026")
        );
        assert_eq!(
            date_or_instant("2026-11-27T20:00:00.000000Z", tz).as_deref(),
            Some("28.11.2026 01:00")
        );
        assert_eq!(date_or_instant("Ленина 5", tz), None);
        assert_eq!(bytes(900), "900 байт");
        assert_eq!(bytes(12_700), "12,4 КБ");
        assert_eq!(rubles(123_456), "1 234,56 ₽");
    }
}
