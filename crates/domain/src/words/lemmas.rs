//! Lemmas from a real Russian morphological dictionary (the `rumorph` crate: OpenCorpora and
//! Wiktionary, compiled into the binary), for rules that must match whole words: «газом»
//! and «газа» are «газ», «газон» stays «газон», «течёт» and «текло» are «течь».

use std::sync::OnceLock;

use rumorph::{Dictionary, Source};

/// One word of a text as the rules see it.
#[derive(Debug, Clone)]
pub struct Token {
    /// Lower-cased, «ё» read as «е».
    pub word: String,
    /// Every lemma the dictionary gives (a homonym keeps all of its readings), «ё» as «е»;
    /// a word the dictionary does not know is its own lemma.
    pub lemmas: Vec<String>,
    /// Whether the dictionary knows the word (else it is a typo, a name or slang).
    pub known: bool,
    /// The most likely reading is a finite verb in the past tense («текло», «залили»).
    pub past: bool,
    /// The most likely reading is a finite verb in the present or future («течёт»).
    pub present: bool,
    /// The most likely reading is a noun in the genitive («нет света»).
    pub genitive: bool,
    /// The most likely reading is a verb that reports no deed done: an infinitive, an
    /// imperative or a present/future form («прошу устранить», «когда починят»).
    pub undone: bool,
    /// The search stem of [`super::stem`]: typos of a word often keep it («текет», «пахнит»).
    pub stem: String,
    /// The number of the clause the word is in: sentences and «;» separate clauses.
    pub clause: usize,
    /// The number of the stretch between commas (or other inner punctuation) the word is in,
    /// counted over the whole text: «если прорвёт трубу, кто ответит» has two.
    pub part: usize,
}

impl Token {
    pub fn has(&self, lemma: &str) -> bool {
        self.lemmas.iter().any(|l| l == lemma)
    }
}

fn dictionary() -> Option<&'static Dictionary> {
    static D: OnceLock<Option<Dictionary>> = OnceLock::new();
    D.get_or_init(|| Dictionary::bundled().ok()).as_ref()
}

/// Gives the dictionary's pages back to the kernel after a pass over many texts (loading
/// reads all of it, training most of it); later lookups read back only what they need.
/// Call it when such a pass is over, not between lookups.
pub fn release_dictionary_pages() {
    super::pages::release(rumorph_dict_ru::DICTIONARY);
}

/// The words of a text with their lemmas, in order.
pub fn tokens(text: &str) -> Vec<Token> {
    // An English text stays in Latin letters: read as Cyrillic it would be nonsense.
    const ENGLISH: &[&str] = &[
        "the", "is", "are", "does", "not", "please", "and", "my", "with", "since", "have", "there",
        "water", "flat", "help", "hello", "from", "this", "of",
    ];
    let english = text
        .split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| ENGLISH.contains(&w.to_ascii_lowercase().as_str()))
        .count()
        >= 2;
    let mut out = Vec::new();
    let mut clause = 0;
    let mut part = 0;
    let mut word = String::new();
    let flush = |word: &mut String, clause: usize, part: usize, out: &mut Vec<Token>| {
        if !word.is_empty() {
            let mut t = token(word, clause, english);
            t.part = part;
            out.push(t);
            word.clear();
        }
    };
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        // «-25» outside: the sign is a word residents mean («минус 25»).
        let sign = matches!(c, '-' | '−' | '–')
            && chars.get(i + 1).is_some_and(|n| n.is_ascii_digit())
            && (i == 0 || !chars[i - 1].is_alphanumeric());
        if sign {
            flush(&mut word, clause, part, &mut out);
            let mut t = token("минус", clause, false);
            t.part = part;
            out.push(t);
        } else if c.is_alphanumeric() {
            word.extend(c.to_lowercase());
        } else if matches!(c, '\'' | '’' | '`')
            && !word.is_empty()
            && chars.get(i + 1).is_some_and(|n| n.is_alphabetic())
        {
            // «pod'ezd», «под'езд»: the apostrophe residents type for «ъ».
            word.push('\'');
        } else {
            let ends = match c {
                '!' | '?' | ';' | '\n' => true,
                '.' => {
                    !abbreviation(&word) && !chars.get(i + 1).is_some_and(|n| n.is_alphanumeric())
                }
                _ => false,
            };
            flush(&mut word, clause, part, &mut out);
            if ends {
                clause += 1;
            }
            if ends || matches!(c, ',' | ':' | '(' | ')' | '—' | '«' | '»' | '"') {
                part += 1;
            }
        }
    }
    flush(&mut word, clause, part, &mut out);
    mark_cold_rooms(&mut out);
    mark_mild_minus(&mut out);
    out
}

/// «на улице -5»: a few degrees below zero are not the frost the rules mean (−10 °C or
/// colder), so «минус» before a number under 10 loses its lemma.
fn mark_mild_minus(toks: &mut [Token]) {
    for i in 0..toks.len().saturating_sub(1) {
        let mild = toks[i + 1].word.parse::<u32>().is_ok_and(|n| n < 10);
        if toks[i].word == "минус" && mild {
            toks[i].lemmas = vec!["минус<10".to_string()];
        }
    }
}

/// The lemma a temperature of 12 °C or less gets when it is said of a room («дома 12
/// градусов», «в квартире +11, …», «градусник показывает 10»), so that the rules can
/// name it; an address («квартира 12 …», «кв. 5») or a time («в 9 часов») does not.
pub const COLD_ROOM: &str = "≤12";

fn mark_cold_rooms(toks: &mut [Token]) {
    const ROOM: &[&str] = &[
        "дома",
        "квартира",
        "комната",
        "спальня",
        "детская",
        "кухня",
        "зал",
        "помещение",
        "температура",
        "градусник",
        "термометр",
        "показывать",
    ];
    const NUMBERS: &[&str] = &[
        "ноль",
        "один",
        "два",
        "три",
        "четыре",
        "пять",
        "шесть",
        "семь",
        "восемь",
        "девять",
        "десять",
        "одиннадцать",
        "двенадцать",
    ];
    let degree = |t: &Token| {
        t.has("градус") || matches!(t.word.as_str(), "гр" | "град" | "градусов" | "c" | "с")
    };
    for i in 0..toks.len() {
        let t = &toks[i];
        let small = match t.word.parse::<u32>() {
            Ok(n) => n <= 12 && t.word.len() <= 2,
            Err(_) => NUMBERS.iter().any(|n| t.has(n)),
        };
        if !small || (i > 0 && toks[i - 1].word == "минус") {
            continue;
        }
        let same = |j: usize| toks[j].part == t.part;
        // Not «12.12 с 10 до 16»: a date, and «с» before a number is «from».
        let number = |j: usize| toks.get(j).is_some_and(|n| n.word.parse::<u32>().is_ok());
        let from = toks
            .get(i + 1)
            .is_some_and(|n| matches!(n.word.as_str(), "c" | "с"))
            && number(i + 2);
        let next_degree = toks.get(i + 1).is_some_and(|n| same(i + 1) && degree(n)) && !from;
        let room_before = (i.saturating_sub(2)..i)
            .any(|j| same(j) && ROOM.iter().any(|r| toks[j].has(r) || toks[j].word == *r));
        // «в комнате 12 и …», «+11, отопления нет»: the number ends what is said of the room.
        let ends = toks.get(i + 1).is_none_or(|n| {
            !same(i + 1)
                || matches!(
                    n.word.as_str(),
                    "и" | "а" | "но" | "тепла" | "уже" | "термометр" | "градусник" | "показывает"
                )
        });
        let address = i > 0
            && matches!(
                toks[i - 1].word.as_str(),
                "кв" | "квартира" | "квартиры" | "номер" | "д" | "дом"
            );
        if next_degree || (room_before && ends && !address) {
            toks[i].lemmas.push(COLD_ROOM.to_string());
        }
    }
}

/// «ул. Лесная», «д. 5», «кв. 3»: a dot after these does not end the sentence.
fn abbreviation(word: &str) -> bool {
    const SHORT: &[&str] = &[
        "ул",
        "д",
        "кв",
        "корп",
        "к",
        "стр",
        "пр",
        "просп",
        "пер",
        "г",
        "эт",
        "под",
        "п",
        "пл",
        "б",
        "наб",
        "ш",
        "мкр",
        "тел",
        "им",
        "руб",
        "р",
        "коп",
        "т",
        "см",
        "мин",
        "ч",
        "св",
    ];
    SHORT.contains(&word)
}

/// A word written in Latin letters, as residents type Russian on a phone without Cyrillic
/// («pahnet gazom v podezde», «svet otklyuchili»), read back in Cyrillic; other words as they
/// are. An English word comes out as nonsense the rules do not know, which is harmless.
pub fn cyrillic(word: &str) -> std::borrow::Cow<'_, str> {
    // A Cyrillic word with Latin letters in it («nет», «тeчет», «гaз»): a keyboard's
    // lookalikes, read as the Cyrillic letters they look like.
    let latin = word.chars().any(|c| c.is_ascii_alphabetic());
    if latin
        && word
            .chars()
            .any(|c| matches!(c, 'а'..='я' | 'А'..='Я' | 'ё' | 'Ё'))
    {
        let mixed: String = word
            .chars()
            .map(|c| match c.to_ascii_lowercase() {
                'a' => 'а',
                'b' => 'в',
                'c' => 'с',
                'e' => 'е',
                'h' | 'n' => 'н',
                'k' => 'к',
                'm' => 'м',
                'o' => 'о',
                'p' => 'р',
                't' => 'т',
                'x' => 'х',
                'y' => 'у',
                'u' => 'и',
                _ => c,
            })
            .collect();
        return std::borrow::Cow::Owned(mixed);
    }
    if word.contains('\'') && !word.chars().any(|c| c.is_ascii_alphabetic()) {
        return std::borrow::Cow::Owned(word.replace('\'', "ъ"));
    }
    if word.is_empty() || !word.chars().all(|c| c.is_ascii_alphabetic() || c == '\'') {
        return std::borrow::Cow::Borrowed(word);
    }
    let w: Vec<char> = word.to_ascii_lowercase().chars().collect();
    let vowel = |c: char| "aeiouy".contains(c);
    let mut out = String::with_capacity(word.len() * 2);
    let mut i = 0;
    while i < w.len() {
        let rest: String = w[i..w.len().min(i + 4)].iter().collect();
        let (cyr, n) = if rest.starts_with("shch") {
            ("щ", 4)
        } else if rest.starts_with("sch") {
            ("щ", 3)
        } else if rest.starts_with("zh") {
            ("ж", 2)
        } else if rest.starts_with("kh") {
            ("х", 2)
        } else if rest.starts_with("ch") {
            ("ч", 2)
        } else if rest.starts_with("sh") {
            ("ш", 2)
        } else if rest.starts_with("ts") {
            ("ц", 2)
        } else if rest.starts_with("yu") || rest.starts_with("ju") || rest.starts_with("iu") {
            ("ю", 2)
        } else if rest.starts_with("ya") || rest.starts_with("ja") || rest.starts_with("ia") {
            ("я", 2)
        } else if ["yo", "jo", "ye", "je"].iter().any(|p| rest.starts_with(p)) {
            ("е", 2)
        } else {
            let c = w[i];
            let prev_vowel = i > 0 && vowel(w[i - 1]);
            let s = match c {
                'a' => "а",
                'b' => "б",
                'v' | 'w' => "в",
                'g' => "г",
                'd' => "д",
                // «etazh», «elektrichestvo»: a word-initial «e» is «э».
                'e' if i == 0 => "э",
                'e' => "е",
                'z' => "з",
                'i' => "и",
                'j' => "й",
                'k' | 'q' => "к",
                'l' => "л",
                'm' => "м",
                'n' => "н",
                'o' => "о",
                'p' => "п",
                'r' => "р",
                's' => "с",
                't' => "т",
                'u' => "у",
                'f' => "ф",
                'h' => "х",
                'c' => "ц",
                'x' => "кс",
                'y' if prev_vowel => "й",
                'y' => "ы",
                '\'' => "ъ",
                _ => "",
            };
            (s, 1)
        };
        out.push_str(cyr);
        i += n;
    }
    std::borrow::Cow::Owned(out)
}

/// Every form of a lemma the dictionary knows (lower-cased, «ё» kept: the typo index reads
/// «течёт» both as «течет» and as «течот»); empty when the dictionary does not know it.
pub(crate) fn forms_of(lemma: &str) -> Vec<String> {
    let Some(d) = dictionary() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for a in d.analyze(lemma) {
        if a.source != Source::Dictionary || a.lemma.to_lowercase().replace('ё', "е") != lemma {
            continue;
        }
        for f in d.forms(&a) {
            // Full participles («затопленного») are many and rarely misspelt in appeals;
            // short ones («обесточен») stay.
            let tag = d.ud_tag(f.ud);
            let long_participle = tag.is_some_and(|t| {
                t.feat("VerbForm") == Some("Part") && t.feat("Variant") != Some("Short")
            });
            if long_participle {
                continue;
            }
            let w = f.word.to_lowercase();
            if !out.contains(&w) {
                out.push(w);
            }
        }
    }
    out
}

fn token(raw: &str, clause: usize, english: bool) -> Token {
    let raw = if english {
        std::borrow::Cow::Borrowed(raw)
    } else {
        cyrillic(raw)
    };
    let raw = &*raw;
    let word = raw.replace('ё', "е");
    let stem = super::stem(&word);
    let mut t = Token {
        lemmas: Vec::new(),
        known: false,
        past: false,
        present: false,
        genitive: false,
        undone: false,
        stem,
        clause,
        part: 0,
        word,
    };
    if let Some(d) = dictionary() {
        let analyses = d.analyze(raw);
        for a in &analyses {
            if a.source == Source::Dictionary {
                t.known = true;
            }
            let lemma = a.lemma.to_lowercase().replace('ё', "е");
            if !t.lemmas.contains(&lemma) {
                t.lemmas.push(lemma);
            }
        }
        // A guessed reading's tense is a guess too: «ивл» would be a past verb.
        let top = analyses
            .iter()
            .filter(|a| a.source == Source::Dictionary)
            .max_by(|a, b| a.prob.total_cmp(&b.prob))
            .and_then(|a| d.ud_tag(a.ud));
        t.genitive = top.is_some_and(|t| t.pos() == "NOUN" && t.feat("Case") == Some("Gen"));
        if let Some(tag) = top.filter(|t| t.feat("VerbForm") == Some("Fin")) {
            t.past = tag.feat("Tense") == Some("Past");
            t.present = !t.past && tag.feat("Mood") != Some("Imp");
        }
        t.undone = top.is_some_and(|tag| {
            tag.feat("VerbForm") == Some("Inf")
                || (tag.feat("VerbForm") == Some("Fin") && tag.feat("Tense") != Some("Past"))
        });
    }
    if !t.known && !t.lemmas.contains(&t.word) {
        t.lemmas.push(t.word.clone());
    }
    if english {
        if let Some(l) = english_lemma(&t.word) {
            t.lemmas.push(l.to_string());
        }
    }
    t
}

/// The few English words of an emergency, as the Russian lemmas the rules name (one
/// message in a few hundred is in English: «gas smell in the hallway»).
fn english_lemma(word: &str) -> Option<&'static str> {
    Some(match word {
        "gas" => "газ",
        "smell" | "smells" | "smelling" | "stink" | "stinks" => "запах",
        "smoke" | "smoking" | "smoky" => "дым",
        "fire" | "burning" | "flames" => "пожар",
        "spark" | "sparks" | "sparking" => "искрить",
        "leak" | "leaks" | "leaking" | "pouring" | "dripping" | "running" => "течь",
        "flood" | "flooding" | "flooded" => "затопить",
        "burst" => "прорвать",
        "pipe" | "pipes" => "труба",
        "water" => "вода",
        "ceiling" => "потолок",
        "stuck" | "trapped" => "застрять",
        "lift" | "elevator" => "лифт",
        "power" | "electricity" | "light" | "lights" => "электричество",
        "no" | "without" => "нет",
        "whole" | "entire" | "all" => "весь",
        "building" | "house" => "дом",
        "entrance" | "staircase" => "подъезд",
        "heating" => "отопление",
        "freezing" | "frost" => "мороз",
        "sewage" => "канализация",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lemmas(w: &str) -> Vec<String> {
        tokens(w).remove(0).lemmas
    }

    #[test]
    fn forms_meet_and_lookalikes_stay_apart() {
        assert!(lemmas("газом").contains(&"газ".to_string()));
        assert!(!lemmas("газон").contains(&"газ".to_string()));
        assert!(lemmas("текло").contains(&"течь".to_string()));
        assert!(lemmas("течёт").contains(&"течь".to_string()));
        assert!(lemmas("застряли").contains(&"застрять".to_string()));
        assert!(lemmas("подъезде").contains(&"подъезд".to_string()));
    }

    #[test]
    fn a_minus_sign_is_a_word() {
        let t = tokens("на улице -25, кв 3-5");
        let w: Vec<_> = t.iter().map(|t| t.word.as_str()).collect();
        assert_eq!(w, ["на", "улице", "минус", "25", "кв", "3", "5"]);
    }

    #[test]
    fn tense_and_clauses() {
        let t = tokens("ул. Лесная д. 5 кв. 3. течёт");
        assert!(t.iter().take(6).all(|t| t.clause == 0));
        assert_eq!(t[6].clause, 1);
        let t = tokens("вчера текло. сейчас течёт");
        assert!(t[1].past && !t[1].present);
        assert!(t[3].present && !t[3].past);
        assert_eq!((t[0].clause, t[3].clause), (0, 1));
    }

    #[test]
    fn unknown_words_keep_their_stem() {
        let t = tokens("пахнит");
        assert!(!t[0].known);
        assert_eq!(t[0].stem, "пахн");
    }
}
