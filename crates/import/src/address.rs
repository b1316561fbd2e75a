//! Parsing what people write in one «Адрес» or «ФИО» column:
//! `г. Екатеринбург, ул. Ленина, д. 5, корп. 1, кв. 12`, `Ленина 5-12`,
//! `Екатеринбург г, Малышева ул, дом № 5А, кв 7`, `Иванов П.С.`.

use abonent_domain::text::fold;

/// Parts found in an address; what was not found is `None`. Values are kept as written
/// (`ул. Ленина`, `г. Екатеринбург`), only a 1С-style `Екатеринбург г` becomes
/// `г. Екатеринбург`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedAddress {
    pub region: Option<String>,
    pub city: Option<String>,
    pub street: Option<String>,
    pub house: Option<String>,
    pub korpus: Option<String>,
    pub stroenie: Option<String>,
    pub flat: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    House,
    Korpus,
    Stroenie,
    Flat,
}

const REGION: &[&str] = &[
    "обл",
    "область",
    "край",
    "респ",
    "республика",
    "ао",
    "аобл",
    "округ",
];
const CITY: &[&str] = &[
    "г",
    "город",
    "пос",
    "поселок",
    "п",
    "пгт",
    "рп",
    "с",
    "село",
    "д",
    "дер",
    "деревня",
    "ст-ца",
    "станица",
    "х",
    "хутор",
    "нп",
    "снт",
];
const STREET: &[&str] = &[
    "ул",
    "улица",
    "пр",
    "пр-т",
    "пр-кт",
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
    "проезд",
    "пр-д",
    "тракт",
    "мкр",
    "мкрн",
    "микрорайон",
    "аллея",
    "туп",
    "тупик",
    "линия",
    "кв-л",
    "квартал",
    "тер",
];
const MARKERS: &[(Slot, &[&str])] = &[
    (Slot::House, &["д", "дом", "влд", "владение"]),
    (Slot::Korpus, &["к", "корп", "корпус"]),
    (Slot::Stroenie, &["с", "стр", "строение"]),
    (
        Slot::Flat,
        &[
            "кв",
            "квартира",
            "пом",
            "помещение",
            "оф",
            "офис",
            "комн",
            "комната",
            "-",
        ],
    ),
];

pub fn parse_address(s: &str) -> ParsedAddress {
    let mut a = ParsedAddress::default();
    // Text segments without a marker: the last is the street, the one before the city.
    let mut unmarked: Vec<String> = Vec::new();
    for seg in s.split([',', ';']) {
        let toks = tokens(seg);
        let Some(first) = toks.first() else { continue };
        let keys: Vec<String> = toks.iter().map(|t| key(t)).collect();
        if toks.len() == 1 && first.len() == 6 && first.chars().all(|c| c.is_ascii_digit()) {
            continue; // postal code
        }
        if keys.iter().any(|k| REGION.contains(&k.as_str())) {
            a.region.get_or_insert_with(|| toks.join(" "));
            continue;
        }
        if starts_with_digit(first) || (marker(&keys[0]).is_some() && toks.len() > 1) {
            if let Some(next) = house_spec(&toks, &a) {
                a = next;
                continue;
            }
        }
        let last = keys.last().map(String::as_str).unwrap_or("");
        if toks.len() > 1 && CITY.contains(&keys[0].as_str()) {
            a.city.get_or_insert_with(|| toks.join(" "));
            continue;
        }
        if toks.len() > 1 && last == "г" {
            a.city
                .get_or_insert_with(|| format!("г. {}", toks[..toks.len() - 1].join(" ")));
            continue;
        }
        let street_marked =
            toks.len() > 1 && (STREET.contains(&keys[0].as_str()) || STREET.contains(&last));
        // «Ленина 5-12», «ул. 8 Марта 12 кв 3»: a street followed by the house part.
        let split = (1..toks.len()).find_map(|i| {
            let names_street = toks[..i]
                .iter()
                .zip(&keys)
                .any(|(t, k)| t.chars().any(char::is_alphabetic) && !STREET.contains(&k.as_str()));
            let next = (names_street
                && (starts_with_digit(&toks[i]) || marker(&keys[i]).is_some()))
            .then(|| house_spec(&toks[i..], &a))??;
            Some((toks[..i].join(" "), next))
        });
        match split {
            Some((street, next)) if a.street.is_none() => {
                a = next;
                a.street = Some(street);
            }
            _ if street_marked => {
                a.street.get_or_insert_with(|| toks.join(" "));
            }
            _ => unmarked.push(toks.join(" ")),
        }
    }
    if a.street.is_none() {
        a.street = unmarked.pop();
    }
    if a.city.is_none() {
        a.city = unmarked.pop();
    }
    a
}

/// Split a segment into words; `ул.Ленина` and `д.5` become two words each.
fn tokens(seg: &str) -> Vec<String> {
    let mut out = String::with_capacity(seg.len() + 8);
    let mut prev = ' ';
    let mut chars = seg.chars().peekable();
    while let Some(c) = chars.next() {
        let c = if c == '№' { ' ' } else { c };
        out.push(c);
        if c == '.' && prev.is_alphabetic() && chars.peek().is_some_and(|n| !n.is_whitespace()) {
            out.push(' ');
        }
        prev = c;
    }
    out.split_whitespace().map(str::to_string).collect()
}

fn key(tok: &str) -> String {
    fold(tok.trim_end_matches('.'))
}

fn marker(key: &str) -> Option<Slot> {
    MARKERS
        .iter()
        .find(|(_, words)| words.contains(&key))
        .map(|(s, _)| *s)
}

fn starts_with_digit(t: &str) -> bool {
    t.chars().next().is_some_and(|c| c.is_ascii_digit())
}

fn slot(a: &mut ParsedAddress, s: Slot) -> &mut Option<String> {
    match s {
        Slot::House => &mut a.house,
        Slot::Korpus => &mut a.korpus,
        Slot::Stroenie => &mut a.stroenie,
        Slot::Flat => &mut a.flat,
    }
}

/// `д. 5 корп. 1 кв. 12`, `5к1-12`, `5 А`, `12` (a flat once the house is known).
/// `None` when the words are not a house part, so the caller can try another reading.
fn house_spec(toks: &[String], base: &ParsedAddress) -> Option<ParsedAddress> {
    let mut a = base.clone();
    let mut pending: Option<Slot> = None;
    let mut last: Option<Slot> = None;
    for tok in toks {
        let tok = tok.trim_end_matches('.');
        if pending.is_none() {
            if let Some(s) = marker(&fold(tok)) {
                pending = Some(s);
                continue;
            }
        }
        if starts_with_digit(tok) {
            let s = match pending.take() {
                Some(s) => s,
                None if a.house.is_none() => Slot::House,
                None if a.flat.is_none() => Slot::Flat,
                None => return None,
            };
            let parts = if s == Slot::House {
                compact_house(tok)
            } else {
                vec![(s, tok.to_string())]
            };
            for (s, v) in parts {
                let dst = slot(&mut a, s);
                if dst.is_some() {
                    return None;
                }
                *dst = Some(v);
            }
            last = Some(s);
        } else if let (Some(s), None, 1) = (last, pending, tok.chars().count()) {
            // «5 А» → «5А».
            let dst = slot(&mut a, s).as_mut()?;
            if !tok.chars().all(char::is_alphabetic) {
                return None;
            }
            dst.push_str(tok);
        } else {
            return None;
        }
    }
    pending.is_none().then_some(a)
}

/// `5к1с2-12` → house 5, korpus 1, stroenie 2, flat 12. `5/1`, `12А` stay whole.
fn compact_house(v: &str) -> Vec<(Slot, String)> {
    let (main, flat) = match v.split_once('-') {
        Some((h, f)) if !h.is_empty() && starts_with_digit(f) => (h, Some(f)),
        _ => (v, None),
    };
    let chars: Vec<char> = main.chars().collect();
    let lower: Vec<char> = fold(main).chars().collect();
    let mut cuts: Vec<(usize, usize, Slot)> = Vec::new();
    if lower.len() == chars.len() {
        let mut i = 1;
        while i < chars.len() {
            let hit = [
                ("корп", Slot::Korpus),
                ("стр", Slot::Stroenie),
                ("к", Slot::Korpus),
                ("с", Slot::Stroenie),
            ]
            .into_iter()
            .find(|(m, _)| {
                let m: Vec<char> = m.chars().collect();
                lower[i..].starts_with(&m)
                    && chars.get(i + m.len()).is_some_and(|c| c.is_ascii_digit())
            });
            match hit {
                Some((m, s)) => {
                    let len = m.chars().count();
                    cuts.push((i, len, s));
                    i += len;
                }
                None => i += 1,
            }
        }
    }
    let end = |k: usize| cuts.get(k + 1).map_or(chars.len(), |c| c.0);
    let mut out = vec![(
        Slot::House,
        chars[..cuts.first().map_or(chars.len(), |c| c.0)]
            .iter()
            .collect(),
    )];
    for (k, (start, len, s)) in cuts.iter().enumerate() {
        out.push((*s, chars[start + len..end(k)].iter().collect()));
    }
    if let Some(f) = flat {
        out.push((Slot::Flat, f.to_string()));
    }
    out
}

/// A name split into parts; `first` is `None` when only one word was given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FullName {
    pub last: String,
    pub first: Option<String>,
    pub middle: Option<String>,
}

/// `Иванов Пётр Сергеевич`, `Иванов П.С.`, `П. С. Иванов`, `Алиев Рашид Гусейн оглы`.
pub fn parse_full_name(s: &str) -> Option<FullName> {
    let mut words: Vec<String> = Vec::new();
    for w in s.split_whitespace() {
        // «П.С.» → «П.», «С.».
        if is_initials(w) {
            words.extend(w.split_inclusive('.').map(str::to_string));
        } else {
            words.push(w.to_string());
        }
    }
    if words.len() > 1 && is_initials(&words[0]) && !is_initials(&words[words.len() - 1]) {
        let last = words.pop()?;
        words.insert(0, last);
    }
    let mut it = words.into_iter();
    let last = it.next()?;
    let first = it.next();
    let rest: Vec<String> = it.collect();
    Some(FullName {
        last,
        first,
        middle: (!rest.is_empty()).then(|| rest.join(" ")),
    })
}

/// `П.`, `П.С.` — letters each followed by a dot.
fn is_initials(w: &str) -> bool {
    w.ends_with('.')
        && w.split_terminator('.')
            .all(|p| p.chars().count() == 1 && p.chars().all(char::is_alphabetic))
}
