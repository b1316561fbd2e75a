//! The classifier on its development sets, besides the labelled set of classifier.rs.
//!
//! History. `data/appeals_heldout.tsv` was written as a frozen held-out set (HELDOUT.md) and
//! evaluated once, on 2026-12-06: recall 0.937 (193 of 206), precision 0.850 (34 false alarms),
//! category 0.746 — the recall target (≥ 0.97) missed. After that one run it was opened and
//! used for tuning (issue 15 §1), so it is now a DEVELOPMENT set: its figures here are
//! optimistic and are no evidence of quality on unseen text. The same holds for
//! `data/appeals_dev_extra.tsv`, texts written by the tuning session itself before tuning;
//! every fifth of them (`i % 5 == 4`) was kept aside from the phrase writing and is
//! reported apart as a weaker check of generalisation. The honest figure is the one of a new
//! frozen held-out set written by someone else under the same rules (the merger's test).
//!
//! The second held-out set, `data/appeals_heldout2.tsv` (HELDOUT2.md), was evaluated once on
//! 2026-12-07 (recall 0.954, 208 of 218 — target missed; tests/classifier_frozen.rs) and is a
//! development set since, like the first. The second tuning session (issue 15 §1, branch
//! `classifier`) wrote 979 texts of its own in eleven batches, appended to
//! `appeals_dev_extra.tsv` after the first session's 301 (`OWN_FIRST`); each batch was first
//! classified by the table as it stood, and only then were its misses studied (the first-look
//! figures are in docs/APPEALS.md). They are reported apart here, and all of them are tuning
//! figures: memory, not quality.
//!
//! The third held-out set, `data/appeals_heldout3.tsv` (HELDOUT3.md), was evaluated once on
//! 2026-12-07 (recall 0.969, 247 of 255 — target missed; tests/classifier_frozen.rs, third_frozen_held_out_quality) and is a
//! development set since, like the first two: its misses and false alarms were studied and
//! generalised into the concept table (issue 15 §1, third tuning). Its figures here are tuning
//! figures too.
//!
//! The shipped model learns from the development sets too (`labelled_set`); the figures
//! here are those of a model trained on `appeals_labelled.tsv` alone, so that the learned
//! parts meet these texts for the first time (the concept table does not: it was tuned on
//! them).
//!
//! What is asserted are regression floors at the figures of the last tuning (rounded down),
//! not the targets. `CLASSIFIER_VERBOSE=1 cargo test --test classifier_heldout -- --nocapture`
//! prints the misses.

use std::sync::OnceLock;

use abonent_domain::appeal::{parse_labelled, Labelled, Model};

/// The first tuning session's texts at the head of `appeals_dev_extra.tsv`; the second
/// session's follow.
const OWN_FIRST: usize = 301;

const TARGET_RECALL: f64 = 0.97;
const TARGET_PRECISION: f64 = 0.85;

fn load(name: &str) -> Vec<Labelled> {
    let path = format!("{}/data/{name}", env!("CARGO_MANIFEST_DIR"));
    let text =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("the set {path} is missing: {e}"));
    let (set, bad) = parse_labelled(&text);
    assert!(bad.is_empty(), "{name}: lines not in the format: {bad:?}");
    set
}

struct Figures {
    recall: f64,
    precision: f64,
    category: f64,
}

/// The model trained on `appeals_labelled.tsv` alone: the shipped model also learns from
/// the development sets, so measuring it on them would measure its memory.
fn model() -> &'static Model {
    static M: OnceLock<Model> = OnceLock::new();
    M.get_or_init(|| Model::train(&load("appeals_labelled.tsv")))
}

fn measure(label: &str, set: &[Labelled]) -> Figures {
    let verbose = std::env::var_os("CLASSIFIER_VERBOSE").is_some();
    let (mut tp, mut fp, mut fn_, mut category_ok) = (0usize, 0usize, 0usize, 0usize);
    for e in set {
        let s = model().classify(&e.text);
        match (s.emergency, e.emergency) {
            (true, true) => tp += 1,
            (true, false) => {
                fp += 1;
                if verbose {
                    let why: Vec<_> = s.reasons.iter().map(|c| c.code).collect();
                    println!("  false alarm {why:?}: {}", e.text);
                }
            }
            (false, true) => {
                fn_ += 1;
                if verbose {
                    println!("  missed: {}", e.text);
                }
            }
            _ => {}
        }
        category_ok += usize::from(s.category == e.category);
        if verbose && s.category != e.category {
            println!(
                "  category {} (want {}): {}",
                s.category, e.category, e.text
            );
        }
    }
    let f = Figures {
        recall: tp as f64 / (tp + fn_) as f64,
        precision: tp as f64 / (tp + fp) as f64,
        category: category_ok as f64 / set.len() as f64,
    };
    println!(
        "{label}: {} texts, {} emergencies; recall {:.3} ({tp}/{}), precision {:.3} ({tp}/{}), \
         category {:.3} ({category_ok}/{})",
        set.len(),
        tp + fn_,
        f.recall,
        tp + fn_,
        f.precision,
        tp + fp,
        f.category,
        set.len()
    );
    if f.recall < TARGET_RECALL || f.precision < TARGET_PRECISION {
        println!("  below the targets recall ≥ {TARGET_RECALL}, precision ≥ {TARGET_PRECISION}");
    }
    f
}

fn floors(label: &str, f: &Figures, recall: f64, precision: f64, category: f64) {
    assert!(
        f.recall >= recall,
        "{label}: recall {:.3} < {recall}",
        f.recall
    );
    assert!(
        f.precision >= precision,
        "{label}: precision {:.3} < {precision}",
        f.precision
    );
    assert!(
        f.category >= category,
        "{label}: category {:.3} < {category}",
        f.category
    );
}

/// A former held-out set, a development set since its one evaluation (see the history
/// above), against floors at the last tuning's figures (recall, precision, category).
fn former_held_out(name: &str, label: &str, floor: (f64, f64, f64)) {
    let set = load(name);
    assert!(set.len() >= 400, "{name}: {} texts", set.len());
    let f = measure(label, &set);
    floors(label, &f, floor.0, floor.1, floor.2);
}

#[test]
fn former_held_out_set_now_a_development_set() {
    former_held_out(
        "appeals_heldout.tsv",
        "former held-out (dev)",
        (0.995, 0.957, 0.789),
    );
}

#[test]
fn second_former_held_out_set_now_a_development_set() {
    former_held_out(
        "appeals_heldout2.tsv",
        "second former held-out (dev)",
        (F2_RECALL, F2_PRECISION, F2_CATEGORY),
    );
}

/// Evaluated once on 2026-12-07 (tests/classifier_frozen.rs, third_frozen_held_out_quality), a development set since.
#[test]
fn third_former_held_out_set_now_a_development_set() {
    former_held_out(
        "appeals_heldout3.tsv",
        "third former held-out (dev)",
        (F3_RECALL, F3_PRECISION, F3_CATEGORY),
    );
}

/// The tuning sessions' own texts: the first session's, and apart the fifth of them kept
/// aside from its phrase writing; then the second session's.
#[test]
fn own_development_texts() {
    let mut set = load("appeals_dev_extra.tsv");
    assert!(set.len() >= OWN_FIRST + 900, "{} texts", set.len());
    let second = set.split_off(OWN_FIRST);
    let f = measure("dev extra (first session)", &set);
    floors(
        "dev extra (first session)",
        &f,
        X1_RECALL,
        X1_PRECISION,
        X1_CATEGORY,
    );
    let (aside, tuned): (Vec<_>, Vec<_>) =
        set.into_iter().enumerate().partition(|(i, _)| i % 5 == 4);
    let strip = |v: Vec<(usize, Labelled)>| v.into_iter().map(|(_, e)| e).collect::<Vec<_>>();
    let f = measure("dev extra (first session, tuned 4/5)", &strip(tuned));
    floors(
        "dev extra (tuned 4/5)",
        &f,
        X1T_RECALL,
        X1T_PRECISION,
        X1T_CATEGORY,
    );
    let f = measure("dev extra (first session, kept-aside 1/5)", &strip(aside));
    floors(
        "dev extra (kept-aside 1/5)",
        &f,
        X1A_RECALL,
        X1A_PRECISION,
        X1A_CATEGORY,
    );
    let f = measure("dev extra (second session)", &second);
    floors(
        "dev extra (second session)",
        &f,
        X2_RECALL,
        X2_PRECISION,
        X2_CATEGORY,
    );
}

// Regression floors: the figures of the last tuning, rounded down (tuning figures, not
// targets). In the third tuning the first session's precision floors came down (0.982 →
// 0.965, tuned 4/5 0.992 → 0.978): seven icicle texts of appeals_labelled.tsv were relabelled
// non-emergencies, as HELDOUT.md rules and all three held-out sets label them, and the model
// trained on that file alone now flags three of these texts (cold rooms, an open window).
const F2_RECALL: f64 = 0.995;
const F2_PRECISION: f64 = 0.959;
const F2_CATEGORY: f64 = 0.793;
const F3_RECALL: f64 = 0.996;
const F3_PRECISION: f64 = 0.996;
const F3_CATEGORY: f64 = 0.789;
const X1_RECALL: f64 = 0.994;
const X1_PRECISION: f64 = 0.965;
const X1_CATEGORY: f64 = 0.784;
const X1T_RECALL: f64 = 0.992;
const X1T_PRECISION: f64 = 0.978;
const X1T_CATEGORY: f64 = 0.788;
const X1A_RECALL: f64 = 0.999;
const X1A_PRECISION: f64 = 0.911;
const X1A_CATEGORY: f64 = 0.766;
const X2_RECALL: f64 = 0.994;
const X2_PRECISION: f64 = 0.972;
const X2_CATEGORY: f64 = 0.810;
