//! Russian words for search and classification: one normal form per word, so that
//! «протечка», «протечки» and «протёк» meet, the same on SQLite and PostgreSQL (the stems are
//! computed here and stored as terms, not left to a database's own dictionary).

mod lemmas;
mod pages;
pub(crate) use lemmas::forms_of;
pub use lemmas::{cyrillic, release_dictionary_pages, tokens, Token};

use rust_stemmers::{Algorithm, Stemmer};
use std::sync::OnceLock;

fn stemmer() -> &'static Stemmer {
    static S: OnceLock<Stemmer> = OnceLock::new();
    S.get_or_init(|| Stemmer::create(Algorithm::Russian))
}

/// Lower-cased words of a text with «ё» read as «е»; digits stay, punctuation splits.
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase().replace('ё', "е"))
}

/// The normal form of one lower-cased word: the Snowball Russian stem, then the consonant
/// alternations Snowball leaves apart (протечка/протёк, течь/тёк, сторож/стерёг): a final
/// «ч» or «чк» becomes «к», a final «ж» becomes «г»; verbal nouns lose «-ен». Latin words and numbers stay as they are.
pub fn stem(word: &str) -> String {
    if !word.chars().any(|c| matches!(c, 'а'..='я')) {
        return word.to_string();
    }
    let mut s = stemmer().stem(word).into_owned();
    // Snowball keeps soft signs and a trailing «ь» on some forms (течь → теч, but мазь → маз).
    while s.ends_with('ь') {
        s.pop();
    }
    // Verbal nouns keep «-ен»/«-лен» that the verb forms lack: затопление/затопило,
    // искрение/искрит.
    let len = s.chars().count();
    if len > 6 && s.ends_with("лен") {
        s.truncate(s.len() - "лен".len());
    } else if len > 5 && s.ends_with("ен") {
        s.truncate(s.len() - "ен".len());
    }
    if let Some(base) = s.strip_suffix("чк") {
        s = format!("{base}к");
    } else if let Some(base) = s.strip_suffix('ч') {
        s = format!("{base}к");
    } else if let Some(base) = s.strip_suffix('ж') {
        s = format!("{base}г");
    }
    drop_fleeting_vowel(s)
}

/// «потолок» / «потолка»: the nominative keeps a vowel the other forms lose. Dropping it
/// from every stem ending in consonant + «ок»/«ек»/«ец» makes all forms meet (short stems
/// such as «срок» are left alone).
fn drop_fleeting_vowel(s: String) -> String {
    let chars: Vec<char> = s.chars().collect();
    let n = chars.len();
    let consonant = |c: char| "бвгджзклмнпрстфхцчшщ".contains(c);
    if n >= 5
        && matches!(chars[n - 1], 'к' | 'ц')
        && matches!(chars[n - 2], 'о' | 'е')
        && consonant(chars[n - 3])
    {
        let mut out: String = chars[..n - 2].iter().collect();
        out.push(chars[n - 1]);
        out
    } else {
        s
    }
}

/// The stems of a text, in order, repeats kept (the classifier looks at neighbours).
pub fn stems(text: &str) -> Vec<String> {
    words(text).map(|w| stem(&w)).collect()
}

/// Distinct stems of a text, for a search index.
pub fn terms(text: &str) -> Vec<String> {
    let mut t = stems(text);
    t.sort();
    t.dedup();
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same(a: &str, b: &str) {
        assert_eq!(stem(a), stem(b), "{a} / {b}");
    }

    #[test]
    fn word_forms_meet() {
        same("протечка", "протечки");
        same("протечка", "протёк".replace('ё', "е").as_str());
        same("затопило", "затопление");
        same("искрит", "искрение");
        same("застрял", "застряла");
        same("отопления", "отопление");
        same("лифте", "лифт");
        same("газа", "газом");
        same("потолок", "потолка");
        same("потолок", "потолке");
        same("замок", "замка");
        same("протёк".replace('ё', "е").as_str(), "протечки");
    }

    #[test]
    fn different_words_stay_apart() {
        assert_ne!(stem("газ"), stem("газон"));
        assert_ne!(stem("свет"), stem("совет"));
        assert_ne!(stem("лифт"), stem("лист"));
    }

    #[test]
    fn words_split_and_normalize() {
        let w: Vec<_> = words("Ёлка, кв.12 — ТЕЧЁТ!").collect();
        assert_eq!(w, ["елка", "кв", "12", "течет"]);
        assert_eq!(stem("12"), "12");
        assert_eq!(stem("abc"), "abc");
    }
}
