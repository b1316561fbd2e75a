//! Money: integer kopecks, Russian parsing and formatting (`1 234,56 ₽`), amounts and dates
//! in words for documents. Never a float: 1 ₽ = 100 kopecks, stored as `i64`.

mod words;

use serde::{Deserialize, Serialize};

pub use words::{
    amount_in_words, date_in_words, date_ru, number_in_words, plural, Gender, MONTHS_GENITIVE,
};

/// An amount of money in kopecks.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Kopecks(pub i64);

impl Kopecks {
    pub const ZERO: Kopecks = Kopecks(0);

    /// Whole roubles, `None` on overflow.
    pub fn from_rubles(rubles: i64) -> Option<Self> {
        rubles.checked_mul(100).map(Kopecks)
    }

    /// Parse a Russian-written amount; see [`parse_amount`].
    pub fn parse(input: &str) -> Result<Self, String> {
        parse_amount(input).map(Kopecks)
    }

    pub fn checked_add(self, other: Kopecks) -> Option<Kopecks> {
        self.0.checked_add(other.0).map(Kopecks)
    }

    pub fn checked_sub(self, other: Kopecks) -> Option<Kopecks> {
        self.0.checked_sub(other.0).map(Kopecks)
    }

    /// `1 234,56` (no currency sign).
    pub fn format_amount(self) -> String {
        format_amount(self.0)
    }

    /// «одна тысяча двести тридцать четыре рубля 56 копеек».
    pub fn in_words(self) -> String {
        amount_in_words(self.0)
    }
}

impl std::fmt::Display for Kopecks {
    /// `1 234,56 ₽`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&format_rub(self.0))
    }
}

impl std::str::FromStr for Kopecks {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Kopecks::parse(s)
    }
}

/// Characters accepted between digit groups: space, no-break space, narrow no-break space.
fn is_group_separator(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{202f}')
}

/// Parse an amount as people type it: `1 234,56`, `1234.56`, `1234`, `-15,5`, `0,07`,
/// optionally followed by `₽`, `руб.` or `р.`. Digit groups may be separated by spaces only in
/// threes (`1 234 567`). At most two digits after the comma. The error is a Russian sentence.
pub fn parse_amount(input: &str) -> Result<i64, String> {
    let mut s = input.trim();
    for suffix in ["₽", "руб.", "руб", "р."] {
        if let Some(rest) = s.strip_suffix(suffix) {
            s = rest.trim_end();
            break;
        }
    }
    if s.is_empty() {
        return Err("Укажите сумму".into());
    }
    let (negative, s) = match s.strip_prefix(['-', '\u{2212}']) {
        Some(rest) => (true, rest.trim_start()),
        None => (false, s),
    };
    if let Some(bad) = s
        .chars()
        .find(|&c| !(c.is_ascii_digit() || c == ',' || c == '.' || is_group_separator(c)))
    {
        return Err(format!(
            "Недопустимый символ «{bad}» в сумме: пишите цифры, пробелы между разрядами и \
             запятую перед копейками, например 1 234,56"
        ));
    }
    let separators = s.chars().filter(|&c| c == ',' || c == '.').count();
    if separators > 1 {
        return Err(
            "В сумме может быть только один разделитель копеек — запятая или точка; \
             разряды разделяйте пробелом: 1 234,56"
                .into(),
        );
    }
    let (int_part, frac_part) = match s.find([',', '.']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let rubles = parse_integer_part(int_part)?;
    let kopecks = match frac_part {
        None => 0,
        Some("") => return Err("После запятой укажите копейки или уберите запятую".into()),
        Some(f) if !f.chars().all(|c| c.is_ascii_digit()) => {
            return Err("После запятой допустимы только цифры копеек".into())
        }
        Some(f) if f.len() > 2 => {
            return Err("Копеек не больше двух знаков после запятой, например 1 234,56".into())
        }
        Some(f) if f.len() == 1 => f.parse::<i64>().unwrap_or(0) * 10,
        Some(f) => f.parse::<i64>().unwrap_or(0),
    };
    let total = rubles
        .checked_mul(100)
        .and_then(|r| r.checked_add(kopecks))
        .ok_or_else(|| "Слишком большая сумма".to_string())?;
    Ok(if negative { -total } else { total })
}

fn parse_integer_part(int_part: &str) -> Result<i64, String> {
    let int_part = int_part.trim_end();
    if int_part.is_empty() {
        return Err("Перед запятой укажите рубли, например 0,50".into());
    }
    let groups: Vec<&str> = int_part.split(is_group_separator).collect();
    if groups.len() > 1 {
        let first_ok = (1..=3).contains(&groups[0].len());
        let rest_ok = groups[1..].iter().all(|g| g.len() == 3);
        if !first_ok || !rest_ok {
            return Err("Пробелы в сумме отделяют разряды по три цифры: 1 234 567,89".into());
        }
    }
    let digits: String = groups.concat();
    digits
        .parse::<i64>()
        .map_err(|_| "Слишком большая сумма".to_string())
}

/// `1 234,56`; negative amounts get a leading `-`.
pub fn format_amount(kopecks: i64) -> String {
    let abs = kopecks.unsigned_abs();
    let sign = if kopecks < 0 { "-" } else { "" };
    format!("{sign}{},{:02}", group_digits(abs / 100), abs % 100)
}

/// A count as people read it: `1 250`, `-12 000` (digit groups of three).
pub fn format_count(n: i64) -> String {
    let sign = if n < 0 { "-" } else { "" };
    format!("{sign}{}", group_digits(n.unsigned_abs()))
}

/// A count with its noun in the right form: `forms` = [one, few, many], e.g.
/// `counted(1234, ["платёж", "платежа", "платежей"])` = «1 234 платежа».
pub fn counted(n: i64, forms: [&'static str; 3]) -> String {
    format!("{} {}", format_count(n), plural(n.unsigned_abs(), forms))
}

/// Digits in groups of three from the right, separated by spaces.
fn group_digits(n: u64) -> String {
    let digits = n.to_string();
    // The first group has 1–3 digits.
    let first = match digits.len() % 3 {
        0 => 3,
        r => r,
    };
    let mut grouped = digits[..first].to_string();
    for group in digits.as_bytes()[first..].chunks(3) {
        grouped.push(' ');
        grouped.push_str(std::str::from_utf8(group).unwrap_or_default());
    }
    grouped
}

/// `1 234,56 ₽`.
pub fn format_rub(kopecks: i64) -> String {
    format!("{} ₽", format_amount(kopecks))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn counts_are_grouped_in_threes() {
        assert_eq!(format_count(0), "0");
        assert_eq!(format_count(1_250), "1 250");
        assert_eq!(format_count(-12_000), "-12 000");
        assert_eq!(format_count(i64::MIN), "-9 223 372 036 854 775 808");
    }

    #[test]
    fn parses_common_forms() {
        for (s, k) in [
            ("1 234,56", 123_456),
            ("1234.56", 123_456),
            ("1234", 123_400),
            ("1\u{a0}234,5", 123_450),
            ("0,07", 7),
            ("0.7", 70),
            ("  12 345 678,90 ₽ ", 1_234_567_890),
            ("100 руб.", 10_000),
            ("-15,50", -1_550),
            ("1 000 000", 100_000_000),
            ("007", 700),
        ] {
            assert_eq!(parse_amount(s), Ok(k), "{s}");
        }
    }

    #[test]
    fn rejects_bad_amounts_in_russian() {
        for (s, needle) in [
            ("1 234,5o", "Недопустимый символ «o»"),
            ("1234,567", "двух знаков"),
            ("1.234,56", "только один разделитель"),
            ("1,234.56", "только один разделитель"),
            ("12 34", "по три цифры"),
            ("1234 567", "по три цифры"),
            ("", "Укажите сумму"),
            ("₽", "Укажите сумму"),
            ("1234,", "укажите копейки"),
            (",50", "укажите рубли"),
            ("12$", "Недопустимый символ «$»"),
            ("99999999999999999999", "Слишком большая"),
            ("92233720368547758,08", "Слишком большая"),
        ] {
            let err = parse_amount(s).expect_err(s);
            assert!(err.contains(needle), "{s}: {err}");
        }
    }

    #[test]
    fn formats_with_groups_and_sign() {
        assert_eq!(format_rub(123_456), "1 234,56 ₽");
        assert_eq!(format_rub(0), "0,00 ₽");
        assert_eq!(format_rub(5), "0,05 ₽");
        assert_eq!(format_rub(-100_000_001), "-1 000 000,01 ₽");
        assert_eq!(format_amount(12_345_678_900), "123 456 789,00");
        assert_eq!(format_amount(i64::MIN), "-92 233 720 368 547 758,08");
        assert_eq!(Kopecks(99_999).to_string(), "999,99 ₽");
        assert_eq!("1 234,56".parse::<Kopecks>(), Ok(Kopecks(123_456)));
    }

    proptest! {
        #[test]
        fn format_then_parse_round_trips(k in -1_000_000_000_000_000i64..1_000_000_000_000_000) {
            prop_assert_eq!(parse_amount(&format_amount(k)), Ok(k));
            prop_assert_eq!(parse_amount(&format_rub(k)), Ok(k));
        }
    }
}
