//! Amounts and dates in Russian words, as documents write them:
//! «одна тысяча двести тридцать четыре рубля 56 копеек», «27» ноября 2026 г.

use chrono::{Datelike, NaiveDate};

/// Grammatical gender of the counted noun: «один рубль», «одна тысяча».
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gender {
    Masculine,
    Feminine,
}

/// Russian plural form for `n`: `forms` = [one, few, many], e.g.
/// [«рубль», «рубля», «рублей»]: 1, 21, 101 → one; 2–4, 22–24 → few; 0, 5–20, 25–30 → many.
pub fn plural(n: u64, forms: [&'static str; 3]) -> &'static str {
    let last_two = n % 100;
    let last = n % 10;
    if (11..=14).contains(&last_two) {
        forms[2]
    } else if last == 1 {
        forms[0]
    } else if (2..=4).contains(&last) {
        forms[1]
    } else {
        forms[2]
    }
}

const HUNDREDS: [&str; 10] = [
    "",
    "сто",
    "двести",
    "триста",
    "четыреста",
    "пятьсот",
    "шестьсот",
    "семьсот",
    "восемьсот",
    "девятьсот",
];
const TENS: [&str; 10] = [
    "",
    "",
    "двадцать",
    "тридцать",
    "сорок",
    "пятьдесят",
    "шестьдесят",
    "семьдесят",
    "восемьдесят",
    "девяносто",
];
const TEENS: [&str; 10] = [
    "десять",
    "одиннадцать",
    "двенадцать",
    "тринадцать",
    "четырнадцать",
    "пятнадцать",
    "шестнадцать",
    "семнадцать",
    "восемнадцать",
    "девятнадцать",
];
const UNITS: [&str; 10] = [
    "",
    "один",
    "два",
    "три",
    "четыре",
    "пять",
    "шесть",
    "семь",
    "восемь",
    "девять",
];

/// Scales above units, each with its gender and plural forms. `u64::MAX` is 18 quintillions.
const SCALES: [(Gender, [&str; 3]); 6] = [
    (Gender::Feminine, ["тысяча", "тысячи", "тысяч"]),
    (Gender::Masculine, ["миллион", "миллиона", "миллионов"]),
    (Gender::Masculine, ["миллиард", "миллиарда", "миллиардов"]),
    (Gender::Masculine, ["триллион", "триллиона", "триллионов"]),
    (
        Gender::Masculine,
        ["квадриллион", "квадриллиона", "квадриллионов"],
    ),
    (
        Gender::Masculine,
        ["квинтиллион", "квинтиллиона", "квинтиллионов"],
    ),
];

/// Words for 1..=999 pushed into `out`.
fn triple(n: u64, gender: Gender, out: &mut Vec<&'static str>) {
    let (h, t, u) = (
        (n / 100) as usize,
        ((n / 10) % 10) as usize,
        (n % 10) as usize,
    );
    if h > 0 {
        out.push(HUNDREDS[h]);
    }
    if t == 1 {
        out.push(TEENS[u]);
        return;
    }
    if t > 1 {
        out.push(TENS[t]);
    }
    match (u, gender) {
        (0, _) => {}
        (1, Gender::Feminine) => out.push("одна"),
        (2, Gender::Feminine) => out.push("две"),
        _ => out.push(UNITS[u]),
    }
}

/// A cardinal number in words agreeing with a noun of `gender`: 21 feminine → «двадцать одна».
pub fn number_in_words(n: u64, gender: Gender) -> String {
    if n == 0 {
        return "ноль".into();
    }
    let mut groups = Vec::new();
    let mut rest = n;
    while rest > 0 {
        groups.push(rest % 1000);
        rest /= 1000;
    }
    let mut out: Vec<&'static str> = Vec::new();
    for (i, &g) in groups.iter().enumerate().rev() {
        if g == 0 {
            continue;
        }
        if i == 0 {
            triple(g, gender, &mut out);
        } else {
            let (scale_gender, forms) = SCALES[i - 1];
            triple(g, scale_gender, &mut out);
            out.push(plural(g, forms));
        }
    }
    out.join(" ")
}

/// «одна тысяча двести тридцать четыре рубля 56 копеек» for 123456 kopecks: roubles in words,
/// kopecks in two digits, both nouns in the right plural form. Zero: «ноль рублей 00 копеек»;
/// a negative amount starts with «минус».
pub fn amount_in_words(kopecks: i64) -> String {
    let abs = kopecks.unsigned_abs();
    let (rubles, kop) = (abs / 100, abs % 100);
    let sign = if kopecks < 0 { "минус " } else { "" };
    format!(
        "{sign}{} {} {kop:02} {}",
        number_in_words(rubles, Gender::Masculine),
        plural(rubles, ["рубль", "рубля", "рублей"]),
        plural(kop, ["копейка", "копейки", "копеек"]),
    )
}

/// Month names in the genitive: «1 января».
pub const MONTHS_GENITIVE: [&str; 12] = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
];

/// «27» ноября 2026 г. — the day in two digits inside «ёлочки», the month in the genitive.
pub fn date_in_words(date: NaiveDate) -> String {
    format!(
        "«{:02}» {} {} г.",
        date.day(),
        MONTHS_GENITIVE[date.month0() as usize],
        date.year()
    )
}

/// 27.11.2026.
pub fn date_ru(date: NaiveDate) -> String {
    date.format("%d.%m.%Y").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rub(r: i64) -> String {
        amount_in_words(r * 100)
    }

    #[test]
    fn example_from_the_brief() {
        assert_eq!(
            amount_in_words(123_456),
            "одна тысяча двести тридцать четыре рубля 56 копеек"
        );
    }

    #[test]
    fn roubles_gender_and_plurals() {
        for (r, words) in [
            (0, "ноль рублей 00 копеек"),
            (1, "один рубль 00 копеек"),
            (2, "два рубля 00 копеек"),
            (4, "четыре рубля 00 копеек"),
            (5, "пять рублей 00 копеек"),
            (10, "десять рублей 00 копеек"),
            (11, "одиннадцать рублей 00 копеек"),
            (12, "двенадцать рублей 00 копеек"),
            (14, "четырнадцать рублей 00 копеек"),
            (19, "девятнадцать рублей 00 копеек"),
            (20, "двадцать рублей 00 копеек"),
            (21, "двадцать один рубль 00 копеек"),
            (22, "двадцать два рубля 00 копеек"),
            (25, "двадцать пять рублей 00 копеек"),
            (40, "сорок рублей 00 копеек"),
            (99, "девяносто девять рублей 00 копеек"),
            (100, "сто рублей 00 копеек"),
            (101, "сто один рубль 00 копеек"),
            (111, "сто одиннадцать рублей 00 копеек"),
            (112, "сто двенадцать рублей 00 копеек"),
            (200, "двести рублей 00 копеек"),
            (999, "девятьсот девяносто девять рублей 00 копеек"),
            (1000, "одна тысяча рублей 00 копеек"),
            (1001, "одна тысяча один рубль 00 копеек"),
            (2000, "две тысячи рублей 00 копеек"),
            (3000, "три тысячи рублей 00 копеек"),
            (5000, "пять тысяч рублей 00 копеек"),
            (11_000, "одиннадцать тысяч рублей 00 копеек"),
            (12_000, "двенадцать тысяч рублей 00 копеек"),
            (21_000, "двадцать одна тысяча рублей 00 копеек"),
            (22_000, "двадцать две тысячи рублей 00 копеек"),
            (25_000, "двадцать пять тысяч рублей 00 копеек"),
            (100_000, "сто тысяч рублей 00 копеек"),
            (
                111_111,
                "сто одиннадцать тысяч сто одиннадцать рублей 00 копеек",
            ),
            (
                212_322,
                "двести двенадцать тысяч триста двадцать два рубля 00 копеек",
            ),
            (1_000_000, "один миллион рублей 00 копеек"),
            (1_000_001, "один миллион один рубль 00 копеек"),
            (2_000_000, "два миллиона рублей 00 копеек"),
            (5_000_000, "пять миллионов рублей 00 копеек"),
            (11_000_000, "одиннадцать миллионов рублей 00 копеек"),
            (
                21_001_000,
                "двадцать один миллион одна тысяча рублей 00 копеек",
            ),
            (1_000_000_000, "один миллиард рублей 00 копеек"),
            (2_000_000_000, "два миллиарда рублей 00 копеек"),
            (
                5_002_001_000,
                "пять миллиардов два миллиона одна тысяча рублей 00 копеек",
            ),
            (
                999_999_999_999,
                "девятьсот девяносто девять миллиардов девятьсот девяносто девять миллионов \
                 девятьсот девяносто девять тысяч девятьсот девяносто девять рублей 00 копеек",
            ),
            (1_000_000_000_000, "один триллион рублей 00 копеек"),
        ] {
            assert_eq!(rub(r), words, "{r}");
        }
    }

    #[test]
    fn kopecks_plurals() {
        assert_eq!(amount_in_words(1), "ноль рублей 01 копейка");
        assert_eq!(amount_in_words(2), "ноль рублей 02 копейки");
        assert_eq!(amount_in_words(5), "ноль рублей 05 копеек");
        assert_eq!(amount_in_words(111), "один рубль 11 копеек");
        assert_eq!(amount_in_words(121), "один рубль 21 копейка");
        assert_eq!(amount_in_words(222), "два рубля 22 копейки");
        assert_eq!(amount_in_words(1299), "двенадцать рублей 99 копеек");
        assert_eq!(amount_in_words(-150), "минус один рубль 50 копеек");
        // i64 extremes do not panic.
        assert!(amount_in_words(i64::MIN).starts_with("минус девяносто два квадриллиона"));
        assert!(amount_in_words(i64::MAX).ends_with("рублей 07 копеек"));
    }

    #[test]
    fn plural_forms() {
        let f = ["тысяча", "тысячи", "тысяч"];
        let expect = [
            (0, "тысяч"),
            (1, "тысяча"),
            (3, "тысячи"),
            (11, "тысяч"),
            (13, "тысяч"),
            (21, "тысяча"),
            (104, "тысячи"),
            (111, "тысяч"),
            (1_000_001, "тысяча"),
        ];
        for (n, w) in expect {
            assert_eq!(plural(n, f), w, "{n}");
        }
        assert_eq!(number_in_words(2, Gender::Feminine), "две");
        assert_eq!(number_in_words(2, Gender::Masculine), "два");
        assert_eq!(
            number_in_words(u64::MAX, Gender::Masculine)
                .split(' ')
                .next(),
            Some("восемнадцать")
        );
    }

    #[test]
    fn dates() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        assert_eq!(date_in_words(d), "«27» ноября 2026 г.");
        assert_eq!(date_ru(d), "27.11.2026");
        let d = NaiveDate::from_ymd_opt(2025, 3, 5).unwrap();
        assert_eq!(date_in_words(d), "«05» марта 2025 г.");
        assert_eq!(date_ru(d), "05.03.2025");
        let months: Vec<String> = (1..=12)
            .map(|m| date_in_words(NaiveDate::from_ymd_opt(2024, m, 1).unwrap()))
            .collect();
        assert_eq!(months[0], "«01» января 2024 г.");
        assert_eq!(months[4], "«01» мая 2024 г.");
        assert_eq!(months[7], "«01» августа 2024 г.");
        assert_eq!(months[11], "«01» декабря 2024 г.");
    }
}
