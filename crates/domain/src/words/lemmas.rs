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
    /// The search stem of [`super::stem`]: typos of a word often keep it («текет», «пахнит»).
    pub stem: String,
    /// The number of the clause the word is in: sentences and «;» separate clauses.
    pub clause: usize,
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

/// The words of a text with their lemmas, in order.
pub fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut clause = 0;
    let mut word = String::new();
    let flush = |word: &mut String, clause: usize, out: &mut Vec<Token>| {
        if !word.is_empty() {
            out.push(token(word, clause));
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
            flush(&mut word, clause, &mut out);
            out.push(token("минус", clause));
        } else if c.is_alphanumeric() {
            word.extend(c.to_lowercase());
        } else {
            let ends = match c {
                '!' | '?' | ';' | '\n' => true,
                '.' => {
                    !abbreviation(&word) && !chars.get(i + 1).is_some_and(|n| n.is_alphanumeric())
                }
                _ => false,
            };
            flush(&mut word, clause, &mut out);
            if ends {
                clause += 1;
            }
        }
    }
    flush(&mut word, clause, &mut out);
    out
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

fn token(raw: &str, clause: usize) -> Token {
    let word = raw.replace('ё', "е");
    let stem = super::stem(&word);
    let mut t = Token {
        lemmas: Vec::new(),
        known: false,
        past: false,
        present: false,
        genitive: false,
        stem,
        clause,
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
    }
    if !t.known && !t.lemmas.contains(&t.word) {
        t.lemmas.push(t.word.clone());
    }
    t
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
