//! The account number and the paid period hidden in a payment's free-text purpose:
//! «Оплата ЖКУ л/с 100500 за 10.2026», «ЛС№ 100500, октябрь 2026».

use abonent_domain::text::fold;

const ACCOUNT_MARKERS: &[&str] = &[
    "лицевой счет",
    "лицевому счету",
    "лиц. счет",
    "лиц.счет",
    "лиц счет",
    "л/сч",
    "л/с",
    "л.с.",
    "л.с",
    "лс",
];

const MONTHS: [&str; 12] = [
    "январ",
    "феврал",
    "март",
    "апрел",
    "ма",
    "июн",
    "июл",
    "август",
    "сентябр",
    "октябр",
    "ноябр",
    "декабр",
];

/// The digits after a marker such as «л/с», «ЛС №», «лицевой счёт:».
pub fn account_in_purpose(purpose: &str) -> Option<String> {
    let text = fold(purpose);
    for marker in ACCOUNT_MARKERS {
        let mut from = 0;
        while let Some(pos) = text[from..].find(marker) {
            let start = from + pos;
            from = start + marker.len();
            // A marker must start a word: «класс» must not match «лс».
            if text[..start]
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric)
            {
                continue;
            }
            let rest = text[from..].trim_start_matches(|c: char| {
                c.is_whitespace() || matches!(c, '№' | '#' | ':' | '.' | '-' | 'n')
            });
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            if (3..=20).contains(&digits.len()) {
                return Some(digits);
            }
        }
    }
    None
}

/// «за 10.2026», «10/2026», «за октябрь 2026», «2026-10».
pub fn period_in_purpose(purpose: &str) -> Option<(i32, u32)> {
    let text = fold(purpose);
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == ',' || c == ';')
        .filter(|w| !w.is_empty())
        .collect();
    for (i, w) in words.iter().enumerate() {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric());
        if let Some((a, b)) = w.split_once(['.', '/', '-']) {
            let num = |s: &str| s.parse::<u32>().ok();
            let (y, m) = match (a.len(), b.len()) {
                (1 | 2, 4) => (num(b), num(a)),
                (4, 1 | 2) => (num(a), num(b)),
                _ => continue,
            };
            if let (Some(y), Some(m)) = (y, m) {
                if (1..=12).contains(&m) && (2000..=2100).contains(&y) {
                    return Some((y as i32, m));
                }
            }
        }
        if let Some(m) = MONTHS
            .iter()
            .position(|p| w.starts_with(p) && (*p != "ма" || w == "май" || w == "мая"))
        {
            let year = words
                .get(i + 1)
                .and_then(|y| y.trim_end_matches(['г', '.']).parse::<i32>().ok())
                .filter(|y| (2000..=2100).contains(y));
            if let Some(y) = year {
                return Some((y, m as u32 + 1));
            }
        }
    }
    None
}
