//! The emergency decision: a table of emergency concepts (gas, water escaping, fire…), each
//! with its phrasings as lemma sequences, kept as data in `data/emergency_concepts.txt`.
//! Whole lemmas are matched, never stem prefixes, so «газон» is not «газ»; a phrasing that is
//! negated («газом не пахнет») or told as a closed past («вчера текло, сейчас сухо») does not
//! count. The file's header describes its syntax.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::words::{self, Token};

mod typos;
#[cfg(test)]
use typos::sound;
use typos::Typos;

/// One emergency concept found in a text: why the appeal is flagged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Concept {
    /// A stable code (`gas`, `water`…).
    pub code: &'static str,
    /// What the specialist is shown: «запах газа».
    pub title: &'static str,
}

/// The emergency concepts a text speaks of, as a live event, in the table's order.
pub fn concepts(text: &str) -> Vec<Concept> {
    concepts_in(&words::tokens(text))
}

pub(crate) fn concepts_in(toks: &[Token]) -> Vec<Concept> {
    assess(toks).live
}

/// What the table says of a text: the live concepts, and whether some phrasing was found
/// but denied — negated or told as a closed past («запаха газа нет»), so that nothing else
/// may flag the text on the strength of the same words.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Assessment {
    pub live: Vec<Concept>,
    pub denied: bool,
}

pub(crate) fn assess(toks: &[Token]) -> Assessment {
    let t = table();
    let read = t.typos.read(toks);
    let text = Text::new(t, read.as_deref().unwrap_or(toks));
    let toks = &text;
    let ctx = Context::of(t, toks);
    let mut out = Assessment {
        live: Vec::new(),
        denied: false,
    };
    for c in &t.concepts {
        let verdicts: Vec<Verdict> = c.phrases.iter().map(|p| p.live(toks, t, &ctx)).collect();
        if c.quiet() {
            // A matter the rules call no emergency («сосульки»): what it speaks of may
            // not be flagged on the strength of its words either.
            out.denied |= verdicts.contains(&Verdict::Live);
        } else if verdicts.contains(&Verdict::Live) {
            out.live.push(c.concept);
        } else if verdicts
            .iter()
            .any(|v| matches!(v, Verdict::Denied | Verdict::Excluded))
        {
            out.denied = true;
        }
    }
    out
}

/// Why a text is read as it is, for a person tuning the table: each phrasing found, with
/// its concept and what became of it (`Live`, `Denied`, `Excluded`).
pub fn explain(text: &str) -> Vec<String> {
    let t = table();
    let toks = words::tokens(text);
    let read = t.typos.read(&toks);
    let text = Text::new(t, read.as_deref().unwrap_or(&toks));
    let ctx = Context::of(t, &text);
    let mut out = Vec::new();
    for c in &t.concepts {
        for p in &c.phrases {
            let v = p.live(&text, t, &ctx);
            if v != Verdict::Absent {
                out.push(format!("{} {v:?}: {}", c.concept.code, p.line));
            }
        }
    }
    out
}

/// What became of a phrasing in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    /// Not there.
    Absent,
    /// There, but another matter is meant («свет горит», «капает кран»): no other rule may
    /// flag the text on the strength of the same words either.
    Excluded,
    /// There, but negated or closed.
    Denied,
    Live,
}

/// The built-in table, checked by the tests; every concept the classifier knows.
pub fn all_concepts() -> Vec<Concept> {
    table()
        .concepts
        .iter()
        .filter(|c| !c.quiet())
        .map(|c| c.concept)
        .collect()
}

/// Slots of one phrasing lie within this many words of each other.
const WINDOW: usize = 8;

/// One alternative of a slot: lemmas in a row.
type Alt = Vec<String>;

#[derive(Debug)]
struct Slot {
    alts: Vec<Alt>,
    anywhere: bool,
}

#[derive(Debug)]
struct Phrase {
    /// The table's line, for [`explain`].
    line: &'static str,
    slots: Vec<Slot>,
    except: Vec<Alt>,
    /// Excluded in the same stretch between commas as a slot only («!,»).
    except_part: Vec<Alt>,
    /// Excluded when the match is a part of one of these («!:», «датчик дыма»).
    except_here: Vec<Alt>,
}

#[derive(Debug)]
struct ConceptDef {
    concept: Concept,
    phrases: Vec<Phrase>,
}

impl ConceptDef {
    /// A matter the rules call no emergency, named so that nothing flags it (`[-code]`).
    fn quiet(&self) -> bool {
        self.concept.code.starts_with('-')
    }
}

#[derive(Debug)]
struct Table {
    concepts: Vec<ConceptDef>,
    lists: HashMap<String, Vec<Alt>>,
    typos: Typos,
    /// Every word the table names, with its search stem (for words the dictionary lacks).
    words: HashMap<String, String>,
}

impl Table {
    fn list(&self, name: &str) -> &[Alt] {
        self.lists.get(name).map_or(&[], Vec::as_slice)
    }
}

const SOURCE: &str = include_str!("../../data/emergency_concepts.txt");

fn table() -> &'static Table {
    static T: OnceLock<Table> = OnceLock::new();
    T.get_or_init(|| parse(SOURCE).unwrap_or_else(|e| panic!("emergency_concepts.txt: {e}")))
}

/// Parses the table; an error names the line, so a broken edit fails the tests at once.
fn parse(src: &'static str) -> Result<Table, String> {
    let mut lists: HashMap<String, Vec<Alt>> = HashMap::new();
    let mut concepts: Vec<ConceptDef> = Vec::new();
    for (n, line) in src.lines().enumerate() {
        let line = line.trim();
        let src_line = line;
        let err = |m: &str| format!("line {}: {m}: {line}", n + 1);
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        // «@name = …» defines a list; a phrasing may start with «@name» too.
        if let Some((name, body)) = line.strip_prefix('@').and_then(|d| d.split_once(" = ")) {
            let alts = alternatives(body, &lists).map_err(|e| err(&e))?;
            lists.insert(name.trim().to_string(), alts);
        } else if let Some(head) = line.strip_prefix('[') {
            let (code, title) = head.split_once(']').ok_or_else(|| err("«]» expected"))?;
            concepts.push(ConceptDef {
                concept: Concept {
                    code: code.trim(),
                    title: title.trim(),
                },
                phrases: Vec::new(),
            });
        } else {
            let c = concepts
                .last_mut()
                .ok_or_else(|| err("a phrasing before any [concept]"))?;
            let (line, except_here) = match line.split_once(" !: ") {
                Some((b, e)) => (b, alternatives(e, &lists).map_err(|e| err(&e))?),
                None => (line, Vec::new()),
            };
            let (line, except_part) = match line.split_once(" !, ") {
                Some((b, e)) => (b, alternatives(e, &lists).map_err(|e| err(&e))?),
                None => (line, Vec::new()),
            };
            let (body, except) = match line.split_once(" ! ") {
                Some((b, e)) => (b, alternatives(e, &lists).map_err(|e| err(&e))?),
                None => (line, Vec::new()),
            };
            let slots = body
                .split(" + ")
                .map(|s| {
                    let s = s.trim();
                    let (anywhere, s) = match s.strip_prefix('~') {
                        Some(rest) => (true, rest),
                        None => (false, s),
                    };
                    Ok(Slot {
                        alts: alternatives(s, &lists)?,
                        anywhere,
                    })
                })
                .collect::<Result<Vec<_>, String>>()
                .map_err(|e| err(&e))?;
            if slots.iter().all(|s| s.anywhere) {
                return Err(err("a phrasing needs a slot that is not «~»"));
            }
            c.phrases.push(Phrase {
                line: src_line,
                slots,
                except,
                except_part,
                except_here,
            });
        }
    }
    let mut all: Vec<String> = lists.values().flatten().flatten().cloned().collect();
    for c in &concepts {
        for p in &c.phrases {
            let slots = p.slots.iter().flat_map(|s| s.alts.iter());
            let except = p.except.iter().chain(&p.except_part).chain(&p.except_here);
            all.extend(slots.chain(except).flatten().cloned());
        }
    }
    let words = all.iter().map(|w| (w.clone(), words::stem(w))).collect();
    Ok(Table {
        concepts,
        lists,
        typos: Typos::build(all),
        words,
    })
}

fn alternatives(body: &str, lists: &HashMap<String, Vec<Alt>>) -> Result<Vec<Alt>, String> {
    let mut out = Vec::new();
    for a in body.split('|').map(str::trim) {
        if let Some(name) = a.strip_prefix('@') {
            let l = lists
                .get(name)
                .ok_or_else(|| format!("unknown list @{name}"))?;
            out.extend(l.iter().cloned());
        } else if a.is_empty() {
            return Err("an empty alternative".into());
        } else {
            out.push(a.split_whitespace().map(|w| w.replace('ё', "е")).collect());
        }
    }
    Ok(out)
}

/// Whether a token is a form of the lemma. A word the dictionary does not know (a typo such
/// as «пахнит», or trade slang) meets a lemma one letter away from a guessed lemma, or whose
/// search stem it begins with (4 letters or more, or 3 and a short ending): a known word such
/// as «газон» never meets «газ». `other` is the lemma's search stem, worked out once.
fn is_stemmed(tok: &Token, lemma: &str, other: &str) -> bool {
    if tok.has(lemma) {
        return true;
    }
    if tok.known {
        return false;
    }
    // The dictionary's guesses at the typo's lemma, one letter away: «чуствоваться».
    if lemma.chars().count() >= 5 && tok.lemmas.iter().any(|l| one_edit(l, lemma)) {
        return true;
    }
    let (short, long) = if tok.stem.len() <= other.len() {
        (tok.stem.as_str(), other)
    } else {
        (other, tok.stem.as_str())
    };
    let (n, m) = (short.chars().count(), long.chars().count());
    // A three-letter stem only with a short ending after it: «тек» / «текет».
    (n >= 4 || (n == 3 && m <= 5)) && (long.starts_with(short) || (n >= 4 && one_edit(short, long)))
}

/// Whether two words differ by one letter changed, added or dropped, or two neighbours
/// swapped («чуств»/«чувств», «падъезд»/«подъезд», «элеткричество»).
fn one_edit(a: &str, b: &str) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > 1 || a == b {
        return a == b;
    }
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let rest = |x: &[char], y: &[char]| x == y;
    let swapped = |x: &[char], y: &[char]| {
        x.len() >= prefix + 2 && x[prefix] == y[prefix + 1] && x[prefix + 1] == y[prefix]
    };
    match a.len().cmp(&b.len()) {
        std::cmp::Ordering::Equal => {
            rest(&a[prefix + 1..], &b[prefix + 1..])
                || (swapped(&a, &b) && rest(&a[prefix + 2..], &b[prefix + 2..]))
        }
        std::cmp::Ordering::Less => rest(&a[prefix..], &b[prefix + 1..]),
        std::cmp::Ordering::Greater => rest(&a[prefix + 1..], &b[prefix..]),
    }
}

/// A text as the table reads it: its tokens, and where each lemma of the table stands
/// (worked out once per text, so that a phrasing looks up its words instead of testing
/// every token against every alternative).
struct Text<'a> {
    toks: &'a [Token],
    at: HashMap<&'a str, Vec<usize>>,
}

impl<'a> Text<'a> {
    fn new(t: &'a Table, toks: &'a [Token]) -> Text<'a> {
        let mut at: HashMap<&'a str, Vec<usize>> = HashMap::new();
        for (i, tok) in toks.iter().enumerate() {
            let mut put = |k: &'a str| {
                let v = at.entry(k).or_default();
                if v.last() != Some(&i) {
                    v.push(i);
                }
            };
            for l in &tok.lemmas {
                if let Some((k, _)) = t.words.get_key_value(l.as_str()) {
                    put(k);
                }
            }
            // A word the dictionary lacks meets table words by its stem or one letter off.
            let cyrillic = tok.word.chars().all(|c| matches!(c, 'а'..='я'));
            if !tok.known && cyrillic && tok.word.chars().count() >= 3 {
                for (k, stem) in &t.words {
                    if is_stemmed(tok, k, stem) {
                        put(k);
                    }
                }
            }
        }
        Text { toks, at }
    }

    fn is(&self, i: usize, lemma: &str) -> bool {
        self.at.get(lemma).is_some_and(|v| v.contains(&i))
    }
}

impl std::ops::Deref for Text<'_> {
    type Target = [Token];
    fn deref(&self) -> &[Token] {
        self.toks
    }
}

/// Whether the alternative's lemmas stand in a row from token `i`, in one clause.
fn at(toks: &Text, alt: &Alt, i: usize) -> bool {
    alt.iter().enumerate().all(|(k, l)| {
        toks.get(i + k)
            .is_some_and(|x| toks.is(i + k, l) && x.clause == toks[i].clause)
    })
}

/// Where an alternative occurs: (first, last) token of each occurrence.
fn occurrences<'a>(toks: &'a Text, alt: &'a Alt) -> impl Iterator<Item = (usize, usize)> + 'a {
    let first = alt.first().and_then(|l| toks.at.get(l.as_str()));
    first
        .into_iter()
        .flatten()
        .copied()
        .filter(move |&i| at(toks, alt, i))
        .map(move |i| (i, i + alt.len() - 1))
}

fn any_at(toks: &Text, alts: &[Alt], i: usize) -> bool {
    alts.iter().any(|a| at(toks, a, i))
}

/// What the whole text says about time, read once per text.
struct Context {
    closed: bool,
    habit: bool,
    open: bool,
}

impl Context {
    fn of(t: &Table, toks: &Text) -> Context {
        let not = |i: usize| toks.get(i).is_some_and(|x| x.has("не") || x.has("нет"));
        // A marker counts unless negated: «не починили» closes nothing.
        let negated = |s: usize, e: usize| (s > 0 && not(s - 1)) || not(e + 1);
        // Nor does a deed asked for or promised: «прошу устранить», «когда починят».
        let undone = |s: usize, e: usize| (s..=e).any(|i| toks[i].undone);
        // «час назад», «пять минут назад»: a moment ago is now, not a past date.
        let recent = |s: usize| {
            toks[s].word == "назад"
                && (s.saturating_sub(2)..s).any(|i| any_at(toks, t.list("recent"), i))
        };
        // «при каждом сливе сверху», «каждый раз, когда сливают»: recurring every few
        // minutes is going on now, not a habit of the weather.
        let ongoing = |e: usize| {
            (e + 1..=e + 5).any(|i| {
                toks.get(i).is_some_and(|x| {
                    x.clause == toks[e].clause && any_at(toks, t.list("ongoing"), i)
                })
            })
        };
        let found = |name: &str| {
            t.list(name).iter().any(|a| {
                occurrences(toks, a).any(|(s, e)| {
                    let void = negated(s, e) || undone(s, e) || recent(s);
                    !void && (name != "habit" || !ongoing(e))
                })
            })
        };
        // «до сих пор капает», «продолжает течь»: a present verb in the marker or right after.
        // (in the marker's own stretch between commas: not «до сих пор, дети лазят»).
        let present = |from: usize, to: usize| {
            (from..=to).any(|i| {
                toks.get(i)
                    .is_some_and(|x| x.present && x.part == toks[from].part)
            })
        };
        // «до сих пор нет света», «до сих пор не дали»: still not put right is open too;
        // not «до сих пор не возместили ущерб».
        let still_not = |i: usize| {
            toks.get(i).is_some_and(|x| x.has("нет") || x.has("нету"))
                || (toks.get(i).is_some_and(|x| x.has("не"))
                    && toks
                        .get(i + 1)
                        .is_some_and(|_| any_at(toks, t.list("fix"), i + 1)))
        };
        let open = t
            .list("open")
            .iter()
            .any(|a| occurrences(toks, a).any(|(s, e)| present(s, e + 2) || still_not(e + 1)));
        // «слесарь перекрыл», «электрик поменял», «через час дали»: done, in the past tense.
        let done = t.list("done").iter().any(|a| {
            occurrences(toks, a).any(|(s, e)| (s..=e).any(|i| toks[i].past) && !negated(s, e))
        });
        Context {
            closed: found("closed") || done,
            habit: found("habit"),
            open,
        }
    }
}

impl Phrase {
    /// Whether some occurrence of the phrasing is a live event: not excluded, not negated,
    /// not a closed past.
    fn live(&self, toks: &Text, t: &Table, ctx: &Context) -> Verdict {
        // The slot with the fewest alternatives first: most phrasings fail on some slot, and
        // then the others need not be looked up.
        let mut order: Vec<usize> = (0..self.slots.len()).collect();
        order.sort_by_key(|&k| self.slots[k].alts.len());
        let mut places: Vec<Vec<(usize, usize)>> = vec![Vec::new(); self.slots.len()];
        for k in order {
            let alts = &self.slots[k].alts;
            let mut v: Vec<_> = alts.iter().flat_map(|a| occurrences(toks, a)).collect();
            if v.is_empty() {
                return Verdict::Absent;
            }
            v.sort_unstable();
            v.dedup();
            places[k] = v;
        }
        let near: Vec<usize> = (0..self.slots.len())
            .filter(|&k| !self.slots[k].anywhere)
            .collect();
        let mut chosen = Vec::with_capacity(near.len());
        self.search(toks, t, ctx, &places, &near, &mut chosen)
    }

    /// Tries every combination of the near slots' occurrences (texts are short).
    fn search(
        &self,
        toks: &Text,
        t: &Table,
        ctx: &Context,
        places: &[Vec<(usize, usize)>],
        near: &[usize],
        chosen: &mut Vec<(usize, usize)>,
    ) -> Verdict {
        let Some((&k, rest)) = near.split_first() else {
            // A «~» slot is another word than the match's: «батарея халодная» (a typo read
            // as «холодный» and «холод» at once) is no frost.
            // Nor one negated: «мороза нет», «без мороза».
            let no = |i: usize| toks.get(i).is_some_and(|x| x.has("нет") || x.has("нету"));
            // (the match's own «нет» does not count: «в тамбуре нет двери»).
            let ours = |i: usize| chosen.iter().any(|&(cs, ce)| (cs..=ce).contains(&i));
            let negated = |s: usize, e: usize| {
                let before = s > 0 && (toks[s - 1].has("не") || toks[s - 1].has("без"));
                (before && !ours(s - 1)) || (no(e + 1) && !ours(e + 1))
            };
            let apart = |&(s, e): &(usize, usize)| {
                chosen.iter().all(|&(cs, ce)| e < cs || s > ce) && !negated(s, e)
            };
            let anywhere = (0..self.slots.len()).filter(|&k| self.slots[k].anywhere);
            if anywhere.into_iter().any(|k| !places[k].iter().any(apart)) {
                return Verdict::Absent;
            }
            return self.accept(toks, t, ctx, chosen);
        };
        let mut best = Verdict::Absent;
        for &(s, e) in &places[k] {
            let fits = chosen.iter().all(|&(cs, ce)| {
                let lo = cs.min(s);
                let hi = ce.max(e);
                toks[cs].clause == toks[s].clause && hi - lo < WINDOW && (e < cs || s > ce)
            });
            if fits {
                chosen.push((s, e));
                let v = self.search(toks, t, ctx, places, rest, chosen);
                chosen.pop();
                match v {
                    Verdict::Live => return v,
                    Verdict::Denied => best = v,
                    Verdict::Excluded if best == Verdict::Absent => best = v,
                    Verdict::Excluded | Verdict::Absent => {}
                }
            }
        }
        best
    }

    fn accept(&self, toks: &Text, t: &Table, ctx: &Context, chosen: &[(usize, usize)]) -> Verdict {
        let lo = chosen.iter().map(|c| c.0).min().unwrap_or(0);
        let hi = chosen.iter().map(|c| c.1).max().unwrap_or(0);
        let clause = toks[lo].clause;
        let inside = |i: usize| chosen.iter().any(|&(s, e)| (s..=e).contains(&i));
        let same = |i: usize| toks.get(i).is_some_and(|x| x.clause == clause);
        // Excluded words near the match: «свет горит в подъезде» is not a fire; but not
        // after «без»: «отключили без предупреждения» is no planned outage.
        let from = lo.saturating_sub(WINDOW);
        let to = (hi + WINDOW).min(toks.len() - 1);
        // Nor when the excluding word is denied itself: «объявлений никаких не было»,
        // «предупреждения не было», «ни объявления».
        let without = |i: usize| {
            let by = |j: usize, w: &[&str]| toks.get(j).is_some_and(|x| w.iter().any(|l| x.has(l)));
            (i > 0 && by(i - 1, &["без", "ни", "никакой"]))
                || by(i + 1, &["никакой"])
                || (by(i + 1, &["не"])
                    && toks.get(i + 2).is_some_and(|x| x.word.starts_with("был")))
        };
        let except = |i: usize, alts: &[Alt]| !without(i) && any_at(toks, alts, i);
        if (from..=to).any(|i| same(i) && except(i, &self.except)) {
            return Verdict::Excluded;
        }
        // «датчик дыма»: the match is a part of a name that means something else.
        let overlaps = |(s, e): (usize, usize)| chosen.iter().any(|&(cs, ce)| s <= ce && cs <= e);
        if self
            .except_here
            .iter()
            .any(|a| occurrences(toks, a).any(overlaps))
        {
            return Verdict::Excluded;
        }
        let in_part = |i: usize| chosen.iter().any(|&(s, _)| toks[s].part == toks[i].part);
        if (from..=to).any(|i| in_part(i) && except(i, &self.except_part)) {
            return Verdict::Excluded;
        }
        // A hypothetical: «если прорвёт трубу, …», «боюсь, батарея потечёт», «вдруг
        // загорится», and a modal right before a slot: «может прорвать», «могут замёрзнуть».
        // Right after the match too: «застревать боимся».
        let maybe = (lo.saturating_sub(WINDOW)..=(hi + 2).min(toks.len() - 1))
            .any(|i| in_part(i) && !inside(i) && any_at(toks, t.list("maybe"), i));
        // «если отключат отопление, трубы лопнут»: the match in the stretch right after an
        // «если» of its sentence (not «если можно, …»); a match told in the past is a fact,
        // not the consequence: «если не приедете, затопит всех, трубу прорвало».
        let told = chosen.iter().any(|&(s, e)| (s..=e).any(|i| toks[i].past));
        let then = |i: usize| {
            !told
                && toks[i].word == "если"
                && toks[i].clause == clause
                && chosen
                    .iter()
                    .any(|&(s, _)| toks[s].part == toks[i].part + 1)
                && !toks.get(i + 1).is_some_and(|n| {
                    n.part == toks[i].part && any_at(toks, t.list("if_idiom"), i + 1)
                })
        };
        let maybe = maybe || (lo.saturating_sub(2 * WINDOW)..lo).any(then);
        let might = chosen.iter().any(|&(s, _)| {
            let w = toks[s].word.as_str();
            let infinitive = ["ть", "ться", "чь", "чься", "ти"]
                .iter()
                .any(|e| w.ends_with(e));
            // «опять будет течь»: a future, not an event.
            let will = |j: usize| matches!(toks[j].word.as_str(), "будет" | "будут" | "будем");
            s > 0
                && infinitive
                && same(s - 1)
                && !inside(s - 1)
                && (any_at(toks, t.list("might"), s - 1) || will(s - 1))
        });
        if (maybe || might) && !ctx.open {
            return Verdict::Denied;
        }
        // «не пахнет», «нет запаха», «перестало течь»: a negator right before a slot.
        // Not «чуть не упал», «едва не»: a near miss is a danger, not a denial.
        let almost =
            |j: usize| j > 0 && toks[j].word == "не" && any_at(toks, t.list("almost"), j - 1);
        let before = |s: usize| {
            s > 0
                && same(s - 1)
                && !inside(s - 1)
                && !almost(s - 1)
                && (any_at(toks, t.list("not"), s - 1) || any_at(toks, t.list("stop"), s - 1))
        };
        if chosen.iter().any(|&(s, _)| before(s)) {
            return Verdict::Denied;
        }
        // «запаха газа нет», «… уже нет», «течь прекратилась»: right after the match; not
        // «пахнет горелым, света нет», where «нет» has a noun of its own.
        let no = |i: usize| same(i) && (toks[i].has("нет") || toks[i].has("нету"));
        let own_noun = |i: usize| same(i) && toks[i].genitive;
        // «огня и дыма нет»: one «нет» for two nouns.
        let and = |i: usize| same(i) && matches!(toks[i].word.as_str(), "и" | "или");
        let after = chosen
            .iter()
            .any(|&(_, e)| !inside(e + 1) && no(e + 1) && !own_noun(e + 2))
            || (and(hi + 1) && own_noun(hi + 2) && no(hi + 3))
            // «запаха газа нет, хотим поменять плиту»: the slot's noun phrase is denied.
            || chosen
                .iter()
                .any(|&(_, e)| {
                    let part = |i: usize| toks.get(i).is_some_and(|x| x.part == toks[e].part);
                    !inside(e + 1) && own_noun(e + 1) && no(e + 2) && part(e + 1) && part(e + 2)
                })
            || (same(hi + 1) && any_at(toks, t.list("filler"), hi + 1) && no(hi + 2))
            // «воды нигде не видно»: not seen, right after the match.
            || (hi + 1..=hi + 2).any(|i| same(i) && any_at(toks, t.list("unseen"), i))
            || (same(hi + 1) && any_at(toks, t.list("stop"), hi + 1));
        if after {
            return Verdict::Denied;
        }
        if ctx.open {
            return Verdict::Live;
        }
        // A present verb in the match or right beside it: «гарью пахнет», «вода идёт».
        // A verb outside the match counts in the match's stretch between commas only: not
        // «потекла батарея, хотим быть дома».
        let beside = |i: usize, j: usize| inside(i) || toks[i].part == toks[j].part;
        let present = (lo.saturating_sub(1)..=hi + 1).any(|i| {
            same(i)
                && (beside(i, lo) || beside(i, hi))
                && toks[i].present
                && !(i > 0 && !inside(i - 1) && toks[i - 1].has("не"))
        });
        // «там сейчас застряла соседка»: «сейчас» beside the match, not «сейчас сухо».
        // It must stand beside a verb of the match: not «протекло в комнату, сейчас на
        // потолке пятно».
        let by_verb = |i: usize| {
            chosen.iter().any(|&(s, e)| {
                (s..=e).any(|j| (toks[j].past || toks[j].present) && toks[j].part == toks[i].part)
            })
        };
        let near = lo.saturating_sub(WINDOW)..=(hi + WINDOW).min(toks.len() - 1);
        let now = t.list("now").iter().any(|a| {
            occurrences(toks, a).any(|(s, e)| {
                near.contains(&s)
                    && same(s)
                    && !inside(s)
                    && by_verb(s)
                    && !toks.get(e + 1).is_some_and(|x| {
                        x.clause == clause && any_at(toks, t.list("not_now"), e + 1)
                    })
            })
        });
        if now && !ctx.habit {
            return Verdict::Live;
        }
        // Thanks for a deed done close their own sentence only.
        let closed_here = t
            .list("closed_here")
            .iter()
            .any(|a| occurrences(toks, a).any(|(s, _)| toks[s].clause == clause));
        // A past verb or no verb at all: an event unless the text closes it.
        let live = if present {
            !ctx.habit
        } else {
            !ctx.closed && !closed_here
        };
        if live {
            Verdict::Live
        } else {
            Verdict::Denied
        }
    }
}

#[cfg(test)]
#[path = "emergency_tests.rs"]
mod tests;
