//! Typos in residents' words: a word the dictionary does not know is read as a form of one
//! of the emergency table's lemmas when it sounds the same, or one letter of the sound key
//! away from such a form.

use crate::words::{self, Token};

/// Words the dictionary does not know read as forms of the table's lemmas when they sound
/// the same («тичот», «патолка», «гозом», «пажар»: see [`sound`]) or differ from such a
/// form by one letter of the sound key (keys of 5 letters or more: «элекричество»). Known
/// words are never re-read, so «газон» stays «газон».
#[derive(Debug, Default)]
pub(super) struct Typos {
    lemmas: Vec<String>,
    /// (hash of the sound key of a form, a lemma it is a form of), sorted. Hashes rather than
    /// strings in maps: the index has some 10⁵ entries, and `serve` keeps it for its life.
    exact: KeyIndex,
    /// The same for a long key with one letter dropped.
    dropped: KeyIndex,
}

/// A sorted list of (key hash, lemma index) pairs, 16 bytes an entry.
#[derive(Debug, Default)]
struct KeyIndex(Vec<(u64, u16)>);

impl KeyIndex {
    fn push(&mut self, key: &str, n: u16) {
        self.0.push((key_hash(key), n));
    }

    fn seal(&mut self) {
        self.0.sort_unstable();
        self.0.dedup();
        self.0.shrink_to_fit();
    }

    fn get(&self, key: &str) -> impl Iterator<Item = u16> + '_ {
        let h = key_hash(key);
        let start = self.0.partition_point(|&(k, _)| k < h);
        self.0[start..]
            .iter()
            .take_while(move |&&(k, _)| k == h)
            .map(|&(_, n)| n)
    }
}

/// A fixed-key hash, the same in every process.
fn key_hash(key: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    key.hash(&mut h);
    h.finish()
}

/// Sound keys this long or longer meet one letter off.
const TYPO_MIN: usize = 5;

impl Typos {
    pub(super) fn build(lemmas: impl IntoIterator<Item = String>) -> Typos {
        let mut t = Typos::default();
        let mut lemmas: Vec<String> = lemmas
            .into_iter()
            .filter(|l| l.chars().count() >= 3 && l.chars().all(|c| matches!(c, 'а'..='я')))
            .collect();
        lemmas.sort_unstable();
        lemmas.dedup();
        for (n, lemma) in lemmas.iter().enumerate() {
            let n = n as u16;
            let mut forms = words::forms_of(lemma);
            if forms.is_empty() {
                forms.push(lemma.clone());
            }
            // «ё» is heard as «о» and written as «е»: «течот», «течет».
            let spelt: Vec<String> = forms
                .iter()
                .flat_map(|f| [f.replace('ё', "е"), f.replace('ё', "о")])
                .collect();
            for f in spelt {
                let key = sound(&f);
                let len = key.chars().count();
                if len < 3 {
                    continue;
                }
                t.exact.push(&key, n);
                if len >= TYPO_MIN {
                    for d in deletions(&key) {
                        t.dropped.push(&d, n);
                    }
                }
            }
        }
        t.exact.seal();
        t.dropped.seal();
        t.lemmas = lemmas;
        t
    }

    /// The lemmas an unknown word may be a typo of.
    fn candidates(&self, word: &str) -> Vec<&str> {
        let mut out: Vec<u16> = Vec::new();
        let key = sound(word);
        let len = key.chars().count();
        if len < 3 {
            return Vec::new();
        }
        let mut take = |m: &KeyIndex, k: &str| out.extend(m.get(k));
        take(&self.exact, &key);
        if len >= TYPO_MIN {
            // A letter dropped from the form, or one added to it.
            take(&self.dropped, &key);
            for d in deletions(&key) {
                take(&self.exact, &d);
                if len > TYPO_MIN {
                    // One letter changed (or two neighbours swapped).
                    take(&self.dropped, &d);
                }
            }
        }
        out.sort_unstable();
        out.dedup();
        out.into_iter()
            .map(|n| self.lemmas[n as usize].as_str())
            .collect()
    }

    /// The tokens with the lemmas their typos may stand for added; `None` when no word needs
    /// it (the common case: nothing is copied).
    pub(super) fn read(&self, toks: &[Token]) -> Option<Vec<Token>> {
        let unknown = |t: &Token| !t.known && t.word.chars().all(|c| matches!(c, 'а'..='я'));
        if !toks.iter().any(unknown) {
            return None;
        }
        let mut out = toks.to_vec();
        for t in out.iter_mut().filter(|t| unknown(t)) {
            for l in self.candidates(&t.word) {
                if !t.has(l) {
                    t.lemmas.push(l.to_string());
                }
            }
        }
        Some(out)
    }
}

/// The key with each one of its letters dropped in turn.
fn deletions(key: &str) -> impl Iterator<Item = String> + '_ {
    let chars: Vec<char> = key.chars().collect();
    (0..chars.len()).map(move |i| {
        chars
            .iter()
            .enumerate()
            .filter(|&(j, _)| j != i)
            .map(|(_, c)| *c)
            .collect()
    })
}

/// How a word sounds, roughly, as people misspell it: unstressed «о»/«а» and «е»/«и»/«я»
/// merge («патолок», «тичет», «газам»), «ы» and «й» with «и», «ю» with «у», «щ» with «ш»,
/// «тс»/«тьс» with «ц», soft and hard signs drop («падезд»), a final voiced consonant is
/// heard voiceless («потолог»), doubled letters count once («аварийнный»).
pub(crate) fn sound(word: &str) -> String {
    let mut out: Vec<char> = Vec::with_capacity(word.len());
    let chars: Vec<char> = word.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        let mapped = match c {
            'ь' | 'ъ' => None,
            'о' | 'а' => Some('а'),
            'е' | 'ё' | 'и' | 'э' | 'я' | 'ы' | 'й' => Some('и'),
            'у' | 'ю' => Some('у'),
            'щ' => Some('ш'),
            'т' | 'д' if next == Some('с') => {
                i += 1;
                Some('ц')
            }
            'т' | 'д' if next == Some('ь') && chars.get(i + 2) == Some(&'с') => {
                i += 2;
                Some('ц')
            }
            c => Some(c),
        };
        if let Some(m) = mapped {
            if out.last() != Some(&m) {
                out.push(m);
            }
        }
        i += 1;
    }
    if let Some(last) = out.last_mut() {
        *last = match *last {
            'б' => 'п',
            'в' => 'ф',
            'г' => 'к',
            'д' => 'т',
            'ж' => 'ш',
            'з' => 'с',
            c => c,
        };
    }
    out.into_iter().collect()
}
