//! The built-in classifier: suggests a category and flags emergencies from the free text.
//!
//! Words are reduced to stems (see [`crate::words`]), so «затопило», «затопление» and
//! «топят соседи» meet. A naive Bayes model over stems, stem pairs, negated stems and the
//! hand-written phrases of the default tree is trained on the labelled set shipped in
//! `data/appeals_labelled.tsv`; the phrases carry domain knowledge the set is too small to
//! teach. Emergencies lean to recall: a false alarm costs a call back, a missed one a flat.
//! The specialist confirms or changes every suggestion; the measured quality (cross-validated)
//! is in docs/APPEALS.md.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use super::category::DEFAULT_CATEGORIES;
use crate::words;

/// What the classifier suggests for one text.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    /// A leaf code of the default tree; `other` when nothing points anywhere.
    pub category: String,
    pub emergency: bool,
    /// The default-tree phrases found in the text, for the specialist to see why.
    pub matched: Vec<&'static str>,
}

/// One labelled appeal text.
#[derive(Debug, Clone)]
pub struct Labelled {
    pub text: String,
    pub category: String,
    pub emergency: bool,
}

/// The labelled set shipped with the product (text, category code, emergency 0/1).
pub fn labelled_set() -> Vec<Labelled> {
    include_str!("../../data/appeals_labelled.tsv")
        .lines()
        .skip(1)
        .filter_map(|l| {
            let mut f = l.split('\t');
            Some(Labelled {
                text: f.next()?.to_string(),
                category: f.next()?.trim().to_string(),
                emergency: f.next()?.trim() == "1",
            })
        })
        .collect()
}

/// Suggests a category and whether the appeal is an emergency, with the shipped model.
pub fn classify(text: &str) -> Suggestion {
    static MODEL: OnceLock<Model> = OnceLock::new();
    MODEL
        .get_or_init(|| Model::train(&labelled_set()))
        .classify(text)
}

/// Categories that are emergencies by themselves, whatever the wording.
const ALWAYS_EMERGENCY: &[&str] = &["gas.smell", "lift.stuck", "electricity.sparking"];

/// The knobs of the model; [`Tuning::SHIPPED`] was chosen by cross-validation.
#[derive(Debug, Clone, Copy)]
pub struct Tuning {
    /// Laplace smoothing of the feature counts.
    pub alpha: f64,
    /// Log-odds above which an appeal is flagged as an emergency (below zero: recall first).
    pub emergency_log_odds: f64,
    /// Weight of the default-tree phrases next to the learned evidence.
    pub phrase_weight: f64,
    /// Whether class sizes count (a prior); without, small categories are not drowned.
    pub prior: bool,
}

impl Tuning {
    pub const SHIPPED: Tuning = Tuning {
        alpha: 0.3,
        emergency_log_odds: 2.0,
        phrase_weight: 6.0,
        prior: false,
    };
}

/// A trained model: counts per class for the category and for the emergency flag.
#[derive(Debug)]
pub struct Model {
    category: NaiveBayes,
    emergency: NaiveBayes,
    tuning: Tuning,
}

impl Model {
    pub fn train(set: &[Labelled]) -> Model {
        Self::train_with(set, Tuning::SHIPPED)
    }

    pub fn train_with(set: &[Labelled], tuning: Tuning) -> Model {
        let mut category = NaiveBayes::default();
        let mut emergency = NaiveBayes::default();
        for l in set {
            let f = features(&l.text).0;
            category.add(&l.category, &f);
            emergency.add(if l.emergency { "1" } else { "0" }, &f);
        }
        Model {
            category,
            emergency,
            tuning,
        }
    }

    pub fn classify(&self, text: &str) -> Suggestion {
        let (f, matched) = features(text);
        let t = self.tuning;
        let category = if f.iter().all(|x| !self.category.known(x)) {
            "other".to_string()
        } else {
            let mut scores = self.category.scores(&f, t.alpha, t.prior);
            for (class, s) in scores.iter_mut() {
                *s += t.phrase_weight * phrase_score(&f, class);
            }
            best(&scores).to_string()
        };
        let scores = self.emergency.scores(&f, t.alpha, true);
        let odds = scores.get("1").copied().unwrap_or(f64::MIN)
            - scores.get("0").copied().unwrap_or(f64::MIN);
        let emergency = odds > t.emergency_log_odds
            || ALWAYS_EMERGENCY.contains(&category.as_str())
            || f.contains("e:life")
            || f.contains(&format!("e:{category}"));
        Suggestion {
            category,
            emergency,
            matched,
        }
    }
}

#[derive(Debug, Default)]
struct NaiveBayes {
    /// Documents per class.
    docs: HashMap<String, usize>,
    /// Feature → documents of each class that have it.
    counts: HashMap<String, HashMap<String, usize>>,
    /// Sum of feature occurrences per class.
    totals: HashMap<String, usize>,
}

impl NaiveBayes {
    fn add(&mut self, class: &str, features: &HashSet<String>) {
        *self.docs.entry(class.into()).or_default() += 1;
        for f in features {
            *self
                .counts
                .entry(f.clone())
                .or_default()
                .entry(class.into())
                .or_default() += 1;
            *self.totals.entry(class.into()).or_default() += 1;
        }
    }

    fn known(&self, f: &str) -> bool {
        self.counts.contains_key(f)
    }

    fn scores(&self, features: &HashSet<String>, alpha: f64, prior: bool) -> HashMap<&str, f64> {
        let n: usize = self.docs.values().sum();
        let vocab = self.counts.len() as f64;
        self.docs
            .iter()
            .map(|(class, &docs)| {
                let total = self.totals.get(class).copied().unwrap_or(0) as f64;
                let mut s = if prior {
                    (docs as f64 / n as f64).ln()
                } else {
                    0.0
                };
                for f in features.iter().filter(|f| self.known(f)) {
                    let c = self
                        .counts
                        .get(f)
                        .and_then(|m| m.get(class))
                        .copied()
                        .unwrap_or(0) as f64;
                    s += ((c + alpha) / (total + alpha * vocab)).ln();
                }
                (class.as_str(), s)
            })
            .collect()
    }
}

/// The highest-scoring class; ties go to the smaller code, so hash order never decides.
fn best<'a>(scores: &HashMap<&'a str, f64>) -> &'a str {
    let mut best: Option<(&str, f64)> = None;
    for (&c, &s) in scores {
        if best.is_none_or(|(bc, bs)| s > bs || (s == bs && c < bc)) {
            best = Some((c, s));
        }
    }
    best.map_or("other", |(c, _)| c)
}

/// The phrases of the category found in the text, longer ones weighing more
/// (features `p:<code>#<phrase>#<words>`).
fn phrase_score(f: &HashSet<String>, class: &str) -> f64 {
    let key = format!("p:{class}#");
    f.iter()
        .filter_map(|x| x.strip_prefix(&key))
        .filter_map(|rest| rest.rsplit('#').next()?.parse::<f64>().ok())
        .map(|words| 2.0 * words - 1.0)
        .sum()
}

/// The features of a text and the default-tree phrases found in it.
fn features(text: &str) -> (HashSet<String>, Vec<&'static str>) {
    let toks: Vec<(String, String)> = words::words(text)
        .map(|w| {
            let s = words::stem(&w);
            (w, s)
        })
        .collect();
    let mut f = HashSet::new();
    for (i, (_, s)) in toks.iter().enumerate() {
        f.insert(format!("w:{s}"));
        if let Some((_, next)) = toks.get(i + 1) {
            f.insert(format!("b:{s}_{next}"));
        }
        if i > 0 && matches!(toks[i - 1].0.as_str(), "не" | "нет" | "без") {
            f.insert(format!("n:{s}"));
        }
    }
    let mut matched = Vec::new();
    for c in compiled() {
        for (k, p) in c
            .phrases
            .iter()
            .enumerate()
            .filter(|(_, p)| p.occurs(&toks))
        {
            f.insert(format!("p:{}", c.code));
            // The phrase's length rides along: longer phrases are more specific.
            f.insert(format!("p:{}#{k}#{}", c.code, p.words.len()));
            matched.push(p.text);
        }
        for p in c.emergency.iter().filter(|p| p.occurs(&toks)) {
            f.insert(format!("e:{}", c.code));
            f.insert("e:any".into());
            if c.code == "other" {
                f.insert("e:life".into());
            }
            matched.push(p.text);
        }
    }
    matched.sort_unstable();
    matched.dedup();
    (f, matched)
}

/// One word of a phrase: a stem to equal, or a prefix any word or stem may begin with.
#[derive(Debug)]
enum Word {
    Stem(String),
    Prefix(String),
}

impl Word {
    fn parse(w: &str) -> Word {
        let w = w.to_lowercase().replace('ё', "е");
        match w.strip_suffix('*') {
            Some(p) => Word::Prefix(p.to_string()),
            None => Word::Stem(words::stem(&w)),
        }
    }

    fn matches(&self, (word, stem): &(String, String)) -> bool {
        match self {
            Word::Stem(s) => s == stem,
            Word::Prefix(p) => word.starts_with(p.as_str()) || stem.starts_with(p.as_str()),
        }
    }
}

#[derive(Debug)]
struct Phrase {
    text: &'static str,
    words: Vec<Word>,
}

impl Phrase {
    fn parse(text: &'static str) -> Phrase {
        Phrase {
            text,
            words: text.split_whitespace().map(Word::parse).collect(),
        }
    }

    /// The phrase's words in order, each within a few tokens of the previous one, and not
    /// right after «не» unless the phrase itself starts with it.
    fn occurs(&self, toks: &[(String, String)]) -> bool {
        const GAP: usize = 3;
        let Some(first) = self.words.first() else {
            return false;
        };
        let negated = |i: usize| i > 0 && toks[i - 1].0 == "не" && !self.text.starts_with("не");
        (0..toks.len()).any(|i| {
            if !first.matches(&toks[i]) || negated(i) {
                return false;
            }
            let mut at = i;
            for w in &self.words[1..] {
                let end = (at + 1 + GAP).min(toks.len());
                match (at + 1..end).find(|&j| w.matches(&toks[j])) {
                    Some(j) => at = j,
                    None => return false,
                }
            }
            true
        })
    }
}

struct Compiled {
    code: &'static str,
    phrases: Vec<Phrase>,
    emergency: Vec<Phrase>,
}

fn compiled() -> &'static [Compiled] {
    static C: OnceLock<Vec<Compiled>> = OnceLock::new();
    C.get_or_init(|| {
        DEFAULT_CATEGORIES
            .iter()
            .map(|cat| Compiled {
                code: cat.code,
                phrases: cat.phrases.iter().map(|p| Phrase::parse(p)).collect(),
                emergency: cat.emergency.iter().map(|p| Phrase::parse(p)).collect(),
            })
            .collect()
    })
}
