//! Ranked search over articles by Russian word stems (the stemmer of [`crate::words`], the
//! one the appeals search uses, so «перерасчёт», «перерасчёта» and «перерасчёты» meet).
//!
//! An article is indexed under the distinct stems of its title, category and text, each
//! with a weight: [`TITLE_WEIGHT`] when the stem is in the title, plus [`TEXT_WEIGHT`] when
//! it is in the category or the text. An article ranks by how many of the query's stems it
//! has, then by the sum of their weights: a word in the title counts above the same word
//! in the text. Storage computes the same sums in SQL to pick the candidates.

use std::cmp::Ordering;

use serde::Serialize;

use crate::words;

pub const TITLE_WEIGHT: i64 = 3;
pub const TEXT_WEIGHT: i64 = 1;
/// Query words beyond these are ignored: a pasted paragraph stays a fast query.
pub const MAX_QUERY_TERMS: usize = 12;

/// Words that occur in nearly every article and question and so rank nothing.
const STOP_WORDS: &[&str] = &[
    "как",
    "что",
    "на",
    "не",
    "по",
    "за",
    "для",
    "если",
    "мне",
    "меня",
    "от",
    "до",
    "из",
    "или",
    "это",
    "мой",
    "моя",
    "мы",
    "вы",
    "он",
    "она",
    "они",
    "ли",
    "же",
    "бы",
    "так",
    "то",
    "его",
    "ее",
    "их",
    "при",
    "со",
    "во",
    "об",
    "без",
    "когда",
    "где",
    "почему",
    "можно",
    "нужно",
    "есть",
    "был",
    "была",
    "было",
    "быть",
    "какой",
    "какая",
    "который",
    "которая",
];

/// The stem of one lower-cased word as search sees it, or `None` for a word search ignores.
fn term(word: &str) -> Option<String> {
    if STOP_WORDS.contains(&word) {
        return None;
    }
    let s = words::stem(word);
    (s.chars().count() >= 2).then_some(s)
}

/// The terms a query looks for: distinct stems in the order typed, at most
/// [`MAX_QUERY_TERMS`].
pub fn query_terms(query: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for w in words::words(query) {
        if let Some(t) = term(&w) {
            if !out.contains(&t) {
                out.push(t);
            }
        }
        if out.len() == MAX_QUERY_TERMS {
            break;
        }
    }
    out
}

/// The terms an article version is indexed under, with their weights, sorted by term.
pub fn index_terms(title: &str, category: &str, body: &str) -> Vec<(String, i64)> {
    // (in the title, in the category or the text) per term.
    let mut map = std::collections::BTreeMap::<String, (bool, bool)>::new();
    for w in words::words(title) {
        if let Some(t) = term(&w) {
            map.entry(t).or_default().0 = true;
        }
    }
    for w in words::words(category).chain(words::words(body)) {
        if let Some(t) = term(&w) {
            map.entry(t).or_default().1 = true;
        }
    }
    map.into_iter()
        .map(|(t, (in_title, in_text))| {
            let w = if in_title { TITLE_WEIGHT } else { 0 } + if in_text { TEXT_WEIGHT } else { 0 };
            (t, w)
        })
        .collect()
}

/// How well an article meets a query.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, utoipa::ToSchema)]
pub struct Score {
    /// Distinct query terms the article has.
    pub matched: i64,
    /// The sum of their weights.
    pub weight: i64,
}

impl Ord for Score {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.matched, self.weight).cmp(&(other.matched, other.weight))
    }
}

impl PartialOrd for Score {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// The score of an article indexed under `index` (as [`index_terms`] gives) for `query`.
pub fn score(query: &[String], index: &[(String, i64)]) -> Score {
    let mut s = Score::default();
    for q in query {
        if let Ok(i) = index.binary_search_by(|(t, _)| t.as_str().cmp(q)) {
            s.matched += 1;
            s.weight += index[i].1;
        }
    }
    s
}

/// Sorts hits best first; equal scores keep the newer (higher id) first.
pub fn rank<T>(hits: &mut [(i64, Score, T)]) {
    hits.sort_by(|a, b| b.1.cmp(&a.1).then(b.0.cmp(&a.0)));
}

/// A piece of a fragment: a matched word or the text between.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Piece {
    pub text: String,
    /// The piece is a word of the query (shown highlighted).
    pub matched: bool,
}

/// The words of a text with their byte ranges.
fn word_spans(text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                spans.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        spans.push((s, text.len()));
    }
    spans
}

fn matches(word: &str, query: &[String]) -> bool {
    let w = word.to_lowercase().replace('ё', "е");
    term(&w).is_some_and(|t| query.contains(&t))
}

/// A fragment of `text` of about `max_chars` around its first matched word, cut at word
/// boundaries («…» where cut), with every matched word marked. Without a match, the
/// beginning of the text.
pub fn highlight(text: &str, query: &[String], max_chars: usize) -> Vec<Piece> {
    let spans = word_spans(text);
    let hit: Vec<bool> = spans
        .iter()
        .map(|&(s, e)| matches(&text[s..e], query))
        .collect();
    // Start a few words before the first match so the reader sees its context.
    let first = hit.iter().position(|&h| h).unwrap_or(0);
    let from_word = first.saturating_sub(6);
    let start = if from_word == 0 {
        0
    } else {
        spans[from_word].0
    };
    let mut end = text.len();
    for &(s, e) in &spans[from_word..] {
        if s > start && text[start..e].chars().count() > max_chars {
            end = s;
            break;
        }
    }
    let mut pieces: Vec<Piece> = Vec::new();
    let mut push = |t: &str, matched: bool| {
        if t.is_empty() {
            return;
        }
        match pieces.last_mut() {
            Some(p) if !p.matched && !matched => p.text.push_str(t),
            _ => pieces.push(Piece {
                text: t.to_string(),
                matched,
            }),
        }
    };
    if start > 0 {
        push("…", false);
    }
    let mut at = start;
    for (i, &(s, e)) in spans.iter().enumerate().skip(from_word) {
        if s >= end {
            break;
        }
        push(&text[at..s], false);
        push(&text[s..e], hit[i]);
        at = e;
    }
    if end == text.len() {
        push(&text[at..], false);
    } else {
        push(text[at..end].trim_end(), false);
        push("…", false);
    }
    pieces
}

/// Pieces joined back into text (what a fragment reads as).
pub fn joined(pieces: &[Piece]) -> String {
    pieces.iter().map(|p| p.text.as_str()).collect()
}
