//! The one search box: what people type (`ленина 5 12`, `Ленина д.5 кв.12`, `Иванов`,
//! `8 (912) 345-67-89`, `100234`) and the tokens records are indexed under.
//!
//! Tokens carry a one-letter kind so that one index serves all: `w:` a word of a street or
//! a name (matched by prefix), `h:` a house, `f:` a flat, `n:` an account number (prefix),
//! `t:` the 10 national digits of a phone.

use crate::text::fold;

/// What a query asks for, after parsing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchQuery {
    /// Word prefixes, folded (`ленин`).
    pub words: Vec<String>,
    pub house: Option<String>,
    pub flat: Option<String>,
    /// 10 national digits, when the query is a whole phone number.
    pub phone: Option<String>,
    /// Account number prefix, when the query is one token with a digit in it.
    pub number: Option<String>,
    /// The last digits of a phone (4 to 9 of them: `45-67-89`, a local `345-67-89`), when
    /// the query is nothing but digits and phone punctuation.
    pub phone_tail: Option<String>,
    /// `9/12` or `9-12` read as house 9, flat 12 is also tried whole, as a house `9/12`.
    pub whole_house: Option<String>,
}

impl SearchQuery {
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
            && self.house.is_none()
            && self.flat.is_none()
            && self.phone.is_none()
            && self.number.is_none()
            && self.phone_tail.is_none()
    }

    /// The same query with the house read whole (`9/12`) and no flat, when it had one.
    pub fn with_whole_house(&self) -> Option<SearchQuery> {
        self.whole_house.as_ref().map(|h| SearchQuery {
            house: Some(h.clone()),
            flat: None,
            whole_house: None,
            ..self.clone()
        })
    }

    /// Tokens that must all match an address or a person (exact ones, then prefixes).
    /// Returns (exact tokens, prefix tokens).
    pub fn address_tokens(&self) -> (Vec<String>, Vec<String>) {
        let mut exact = Vec::new();
        if let Some(h) = &self.house {
            exact.push(format!("h:{h}"));
        }
        if let Some(f) = &self.flat {
            exact.push(format!("f:{f}"));
        }
        let prefixes = self.words.iter().map(|w| format!("w:{w}")).collect();
        (exact, prefixes)
    }
}

/// Street-type and marker words that carry no meaning for matching.
const STOP_WORDS: &[&str] = &[
    "ул",
    "улица",
    "пр",
    "пр-т",
    "просп",
    "проспект",
    "пер",
    "переулок",
    "б-р",
    "бульвар",
    "ш",
    "шоссе",
    "пл",
    "площадь",
    "наб",
    "набережная",
    "мкр",
    "микрорайон",
    "г",
    "город",
    "пос",
    "поселок",
    "п",
    "тракт",
    "проезд",
    "туп",
    "тупик",
    "обл",
    "область",
    "р-н",
];
/// Words after a number that make the number part of a street name: `8 Марта`, `1 Мая`,
/// `50 лет Октября`.
const STREET_NUMBER_WORDS: &[&str] = &[
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
    "лет",
    "летия",
];
const HOUSE_MARKERS: &[&str] = &["д", "дом"];
const FLAT_MARKERS: &[&str] = &["кв", "квартира", "пом", "помещение", "оф", "офис"];

/// Normalize a house or flat number: `5 А` → `5а`, `12/1` stays.
pub fn norm_number(s: &str) -> String {
    fold(s).chars().filter(|c| !c.is_whitespace()).collect()
}

fn is_word(s: &str) -> bool {
    s.chars().all(|c| c.is_alphabetic() || c == '-')
}

/// Split `Ленина д.5 кв.12` / `д5` / `кв12` into pieces: words and numbers apart.
fn pieces(q: &str) -> Vec<String> {
    let mut out = Vec::new();
    for raw in fold(q).split(|c: char| c.is_whitespace() || c == ',' || c == '.' || c == '№') {
        if raw.is_empty() {
            continue;
        }
        // Split a leading marker from a number glued to it: `кв12`, `д5а`.
        let letters: String = raw.chars().take_while(|c| c.is_alphabetic()).collect();
        let rest = &raw[letters.len()..];
        if !letters.is_empty()
            && rest.starts_with(|c: char| c.is_ascii_digit())
            && (HOUSE_MARKERS.contains(&letters.as_str())
                || FLAT_MARKERS.contains(&letters.as_str()))
        {
            out.push(letters);
            out.push(rest.to_string());
        } else {
            out.push(raw.to_string());
        }
    }
    out
}

pub fn parse(q: &str) -> SearchQuery {
    let mut sq = SearchQuery::default();
    let trimmed = q.trim();
    if trimmed.is_empty() {
        return sq;
    }
    if let Some(digits) = crate::phone::search_digits(trimmed) {
        sq.phone = Some(digits);
    }
    let single_token = !trimmed.contains(char::is_whitespace);
    // `Амундсена,9-12` is an address written without spaces, not an account number.
    if single_token
        && !trimmed.contains(',')
        && trimmed.chars().any(|c| c.is_ascii_digit())
        && trimmed.chars().count() <= 20
    {
        sq.number = Some(trimmed.to_uppercase());
    }
    if sq.phone.is_none() {
        sq.phone_tail = phone_tail(trimmed);
    }
    if (sq.phone.is_some() || sq.phone_tail.is_some()) && !single_token {
        // `8 912 345 67 89` and `345 67 89` are phones, not a house and a flat.
        return sq;
    }
    let mut expect: Option<&str> = None;
    let mut numbers = Vec::new();
    let all = pieces(trimmed);
    for (i, p) in all.iter().enumerate() {
        let p = p.clone();
        if expect.is_none() && street_number(&p, all.get(i + 1).map(String::as_str)) {
            // `8` of `8 Марта`, `40-летия` of `40-летия Комсомола`: part of the street name,
            // which is indexed by its words only.
            continue;
        }
        if HOUSE_MARKERS.contains(&p.as_str()) {
            expect = Some("h");
        } else if FLAT_MARKERS.contains(&p.as_str()) {
            expect = Some("f");
        } else if p.starts_with(|c: char| c.is_ascii_digit()) {
            let n = norm_number(&p);
            match expect.take() {
                Some("h") => sq.house = Some(n),
                Some("f") => sq.flat = Some(n),
                _ => numbers.push(n),
            }
        } else if is_word(&p) && !STOP_WORDS.contains(&p.as_str()) {
            sq.words.push(p.trim_matches('-').to_string());
        }
    }
    if let [one] = numbers.as_slice() {
        if sq.house.is_none() && sq.flat.is_none() {
            if let Some((house, flat)) = split_house_flat(one) {
                sq.whole_house = Some(one.clone());
                sq.house = Some(house);
                sq.flat = Some(flat);
                numbers.clear();
            }
        }
    }
    for n in numbers {
        if sq.house.is_none() {
            sq.house = Some(n);
        } else if sq.flat.is_none() {
            sq.flat = Some(n);
        }
    }
    sq.words.retain(|w| !w.is_empty());
    sq
}

/// Is this piece (with the one after it) a number that belongs to a street name?
fn street_number(p: &str, next: Option<&str>) -> bool {
    let digits: String = p.chars().take_while(|c| c.is_ascii_digit()).collect();
    if digits.is_empty() {
        return false;
    }
    let rest = &p[digits.len()..];
    if let Some(suffix) = rest.strip_prefix('-') {
        // `40-летия`, `2-я`, `1-й`: an ordinal glued to a word.
        return !suffix.is_empty() && suffix.chars().all(char::is_alphabetic);
    }
    rest.is_empty() && next.is_some_and(|n| STREET_NUMBER_WORDS.contains(&n))
}

/// `9-12` or `9/12` written after a street: house 9, flat 12.
fn split_house_flat(n: &str) -> Option<(String, String)> {
    let (house, flat) = n.split_once(['-', '/'])?;
    let numeric = |s: &str| {
        s.starts_with(|c: char| c.is_ascii_digit())
            && s.chars().all(|c| c.is_ascii_digit() || c.is_alphabetic())
    };
    (numeric(house) && numeric(flat)).then(|| (house.to_string(), flat.to_string()))
}

/// The digits of a partial phone: 4 to 9 digits with nothing but phone punctuation around.
fn phone_tail(q: &str) -> Option<String> {
    if !q
        .chars()
        .all(|c| c.is_ascii_digit() || " +-().\u{a0}".contains(c))
    {
        return None;
    }
    let digits: String = q.chars().filter(|c| c.is_ascii_digit()).collect();
    (4..=9).contains(&digits.len()).then_some(digits)
}

/// Tokens an account is indexed under: its number, street words, house and flat.
pub fn account_tokens(number: &str, street: &str, house: &str, flat: &str) -> Vec<String> {
    let mut t = vec![format!("n:{}", number.to_uppercase())];
    t.extend(words(street));
    t.push(format!("h:{}", norm_number(house)));
    t.push(format!("f:{}", norm_number(flat)));
    dedup(t)
}

/// Tokens a person is indexed under: name words and phones.
pub fn person_tokens(full_name: &str, phones: &[String]) -> Vec<String> {
    let mut t = words(full_name);
    for p in phones {
        if let Some(d) = crate::phone::search_digits(p) {
            t.push(format!("t:{d}"));
        }
    }
    dedup(t)
}

fn words(s: &str) -> Vec<String> {
    pieces(s)
        .into_iter()
        .filter(|p| is_word(p) && !STOP_WORDS.contains(&p.as_str()))
        .map(|p| format!("w:{}", p.trim_matches('-')))
        .filter(|w| w.len() > 2)
        .collect()
}

fn dedup(mut t: Vec<String>) -> Vec<String> {
    t.sort();
    t.dedup();
    t
}

/// The smallest string greater than every string starting with `prefix`: the upper bound
/// of a range scan `token >= prefix AND token < upper`, which uses a plain index.
pub fn prefix_upper_bound(prefix: &str) -> String {
    format!("{prefix}\u{10FFFF}")
}

/// How an account is named in search hits: `ЛС 100234`.
pub fn account_title(number: &str) -> String {
    format!("ЛС {number}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(words: &[&str], house: Option<&str>, flat: Option<&str>) -> SearchQuery {
        SearchQuery {
            words: words.iter().map(|s| s.to_string()).collect(),
            house: house.map(str::to_string),
            flat: flat.map(str::to_string),
            ..Default::default()
        }
    }

    #[test]
    fn accounts_are_titled_by_number() {
        assert_eq!(account_title("100234"), "ЛС 100234");
    }

    #[test]
    fn address_forms() {
        let want = q(&["ленина"], Some("5"), Some("12"));
        assert_eq!(parse("ленина 5 12"), want);
        assert_eq!(parse("Ленина д.5 кв.12"), want);
        assert_eq!(parse("ул. Ленина, д5, кв12"), want);
        assert_eq!(parse("Ленина дом 5 квартира 12"), want);
        assert_eq!(parse("кв 12 ленина д 5"), want);
        assert_eq!(parse("Ленина 5А"), q(&["ленина"], Some("5а"), None));
    }

    fn hf(words: &[&str], house: &str, flat: &str, whole: &str) -> SearchQuery {
        SearchQuery {
            whole_house: Some(whole.to_string()),
            ..q(words, Some(house), Some(flat))
        }
    }

    #[test]
    fn address_forms_people_write() {
        assert_eq!(
            parse("Амундсена,9-12"),
            hf(&["амундсена"], "9", "12", "9-12")
        );
        assert_eq!(
            parse("ул. Амундсена 9/12"),
            hf(&["амундсена"], "9", "12", "9/12")
        );
        assert_eq!(
            parse("Амундсена 9 12"),
            q(&["амундсена"], Some("9"), Some("12"))
        );
        // A street that starts with a number.
        assert_eq!(parse("8 Марта 12"), q(&["марта"], Some("12"), None));
        assert_eq!(
            parse("ул. 8 Марта, д. 12, кв. 3"),
            q(&["марта"], Some("12"), Some("3"))
        );
        assert_eq!(
            parse("40-летия Комсомола 3"),
            q(&["комсомола"], Some("3"), None)
        );
        assert_eq!(
            parse("50 лет Октября 7-2"),
            hf(&["лет", "октября"], "7", "2", "7-2")
        );
        // Markers still win: `д 8` is a house even before a month name.
        assert_eq!(parse("Марта д 8"), q(&["марта"], Some("8"), None));
        // A surname with a street: both words, matched against the account and its people.
        assert_eq!(parse("Иванов Ленина"), q(&["иванов", "ленина"], None, None));
        // The whole house is tried too.
        let w = parse("Амундсена 9/12").with_whole_house().unwrap();
        assert_eq!(w.house.as_deref(), Some("9/12"));
        assert_eq!(w.flat, None);
        assert!(parse("Ленина 5 12").with_whole_house().is_none());
    }

    #[test]
    fn phone_tails() {
        assert_eq!(parse("67-89").phone_tail.as_deref(), Some("6789"));
        assert_eq!(parse("345-67-89").phone_tail.as_deref(), Some("3456789"));
        let p = parse("345 67 89");
        assert_eq!(p.phone_tail.as_deref(), Some("3456789"));
        assert!(p.house.is_none() && p.words.is_empty());
        // A whole phone is not a tail; three digits are a house.
        assert_eq!(parse("8 912 345 67 89").phone_tail, None);
        assert_eq!(parse("123").phone_tail, None);
        assert_eq!(parse("Ленина 5").phone_tail, None);
    }

    #[test]
    fn names_and_yo() {
        assert_eq!(parse("Семёнов"), q(&["семенов"], None, None));
        assert_eq!(parse("Иванов Пётр"), q(&["иванов", "петр"], None, None));
    }

    #[test]
    fn phones_in_any_form() {
        for s in [
            "8 (912) 345-67-89",
            "+79123456789",
            "8 912 345 67 89",
            "89123456789",
        ] {
            assert_eq!(parse(s).phone.as_deref(), Some("9123456789"), "{s}");
        }
        let p = parse("8 912 345 67 89");
        assert!(p.words.is_empty() && p.house.is_none());
    }

    #[test]
    fn account_number() {
        let p = parse("100234");
        assert_eq!(p.number.as_deref(), Some("100234"));
        assert_eq!(p.house.as_deref(), Some("100234"));
        assert_eq!(parse("ЛС-0012").number.as_deref(), Some("ЛС-0012"));
    }

    #[test]
    fn indexed_tokens_meet_query_tokens() {
        let t = account_tokens("100234", "ул. Ленина", "5", "12");
        let (exact, prefixes) = parse("Ленина д.5 кв.12").address_tokens();
        for e in exact {
            assert!(t.contains(&e), "{e} in {t:?}");
        }
        for p in prefixes {
            assert!(t.iter().any(|x| x.starts_with(&p)), "{p} in {t:?}");
        }
        let pt = person_tokens("Семёнов Пётр", &["+79123456789".into()]);
        assert!(pt.contains(&"w:семенов".to_string()));
        assert!(pt.contains(&"t:9123456789".to_string()));
    }

    use proptest::prelude::*;

    proptest! {
        #[test]
        fn parse_never_panics(s in "\\PC{0,40}") {
            let _ = parse(&s);
        }

        /// Whatever way an address is written, the query's tokens meet the account's.
        #[test]
        fn written_addresses_meet_the_index(
            street in "[А-Яа-я]{3,12}",
            house in 1u32..300,
            flat in 1u32..500,
            form in 0usize..6,
        ) {
            let folded = fold(&street);
            for list in [STOP_WORDS, HOUSE_MARKERS, FLAT_MARKERS, STREET_NUMBER_WORDS] {
                prop_assume!(!list.contains(&folded.as_str()));
            }
            let (h, f) = (house.to_string(), flat.to_string());
            let text = match form {
                0 => format!("{street},{h}-{f}"),
                1 => format!("ул. {street} {h}/{f}"),
                2 => format!("{street} д.{h} кв.{f}"),
                3 => format!("{street} {h} {f}"),
                4 => format!("8 Марта {street} {h} {f}"),
                _ => format!("кв {f} {street} дом {h}"),
            };
            let t = account_tokens("100234", &format!("ул. {street}"), &h, &f);
            let parsed = parse(&text);
            prop_assert_eq!(parsed.house.as_deref(), Some(h.as_str()), "{}", text);
            prop_assert_eq!(parsed.flat.as_deref(), Some(f.as_str()), "{}", text);
            let (exact, prefixes) = parsed.address_tokens();
            for e in exact {
                prop_assert!(t.contains(&e), "{} in {:?}", e, t);
            }
            for p in prefixes.iter().filter(|p| !p.contains("марта")) {
                prop_assert!(t.iter().any(|x| x.starts_with(p.as_str())), "{} in {:?}", p, t);
            }
        }

        /// The last 4–9 digits of any phone, in any grouping, are a tail of it.
        #[test]
        fn phone_tails_are_suffixes(n in 1_000_000_000u64..9_999_999_999, k in 4usize..=9) {
            let full = n.to_string();
            let tail = &full[full.len() - k..];
            let grouped: String = tail.chars().enumerate()
                .flat_map(|(i, c)| if i > 0 && i % 2 == 0 { vec!['-', c] } else { vec![c] })
                .collect();
            let parsed = parse(&grouped);
            prop_assert_eq!(parsed.phone_tail.as_deref(), Some(tail));
            prop_assert!(full.ends_with(parsed.phone_tail.as_deref().unwrap_or("x")));
        }
    }

    #[test]
    fn empty_query() {
        assert!(parse("   ").is_empty());
        assert!(parse("ул.").is_empty());
    }
}
