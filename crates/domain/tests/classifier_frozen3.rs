//! The classifier on the frozen third held-out set (data/appeals_heldout3.tsv, HELDOUT3.md):
//! 509 appeal texts written and labelled by a helper who never looked at the classifier, its
//! phrase lists or its training texts, committed on branch `heldout3` (21812b5, SHA-256
//! `c5cd74d1…649333`) while the classifier was being changed for issue 15 §1, and merged only
//! after that change was final and committed (274da94). Nobody tuning the classifier has seen
//! it. Only the figures are printed, never the texts, so that looking at a failure cannot turn
//! the set into training data.
//!
//! The shipped model (`classify`) is measured: it learns from the labelled set and the
//! development sets, none of which holds these texts.
//!
//! The one evaluation, 2026-12-07, classifier 274da94 (branch `classifier`): recall 0.969
//! (247 of 255), precision 0.922 (247 of 268; 21 false alarms), category 0.855 (435 of 509).
//! The precision target (≥ 0.85) is met; the recall target (≥ 0.97) is MISSED, by one text
//! (248 of 255 would be 0.973). The classifier was not changed after the run, and this set is
//! now spent: a classifier changed to meet the target needs a fourth held-out set written
//! before it. Recorded in HELDOUT3.md and docs/APPEALS.md.
//!
//! What is asserted is a regression floor at that run's figures (rounded down), not the
//! target; the target line is printed on every run.
//!
//! Since 2026-12-07, after its one evaluation, this set is a DEVELOPMENT set, like the first
//! two: the third tuning (issue 15 §1, branch `classifier`) studied its misses and false
//! alarms and generalised them into the concept table, and the shipped model learns from it
//! (`labelled_set`). What this test prints now is memory, not quality (after that tuning:
//! recall 1.000, 255 of 255; precision 1.000, 255 of 255; category 0.976, 497 of 509); the
//! figures of a model that never learnt from it are in tests/classifier_heldout.rs, and the
//! independent figure is the fourth held-out set's. The floors stay those of the one run.

use abonent_domain::appeal::{classify, parse_labelled};

const TARGET_RECALL: f64 = 0.97;
const TARGET_PRECISION: f64 = 0.85;
/// The figures of the one run (247/255, 247/268, 435/509), rounded down.
const FLOOR_RECALL: f64 = 0.968;
const FLOOR_PRECISION: f64 = 0.921;
const FLOOR_CATEGORY: f64 = 0.854;

const PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/appeals_heldout3.tsv");

#[test]
fn third_frozen_held_out_quality() {
    let text = std::fs::read_to_string(PATH)
        .unwrap_or_else(|e| panic!("the held-out set {PATH} is missing: {e}"));
    let (set, bad) = parse_labelled(&text);
    assert!(
        bad.is_empty(),
        "lines not in the format: {} lines",
        bad.len()
    );
    assert!(set.len() >= 400, "{} texts", set.len());
    let (mut tp, mut fp, mut fn_, mut category_ok) = (0usize, 0usize, 0usize, 0usize);
    for e in &set {
        let s = classify(&e.text);
        match (s.emergency, e.emergency) {
            (true, true) => tp += 1,
            (true, false) => fp += 1,
            (false, true) => fn_ += 1,
            _ => {}
        }
        category_ok += usize::from(s.category == e.category);
    }
    let recall = tp as f64 / (tp + fn_) as f64;
    let precision = tp as f64 / (tp + fp) as f64;
    let accuracy = category_ok as f64 / set.len() as f64;
    println!("held-out 3: {} texts, {} emergencies", set.len(), tp + fn_);
    println!(
        "emergency: recall {recall:.3} ({tp} of {}), precision {precision:.3} ({tp} of {}; \
         tp {tp}, fp {fp}, fn {fn_})",
        tp + fn_,
        tp + fp
    );
    println!(
        "category: accuracy {accuracy:.3} ({category_ok} of {})",
        set.len()
    );
    let met = recall >= TARGET_RECALL && precision >= TARGET_PRECISION;
    println!(
        "target recall ≥ {TARGET_RECALL}, precision ≥ {TARGET_PRECISION} (issue 15): {}",
        if met { "met" } else { "MISSED" }
    );
    assert!(
        recall >= FLOOR_RECALL,
        "emergency recall {recall:.3} < {FLOOR_RECALL}"
    );
    assert!(
        precision >= FLOOR_PRECISION,
        "emergency precision {precision:.3} < {FLOOR_PRECISION}"
    );
    assert!(
        accuracy >= FLOOR_CATEGORY,
        "category accuracy {accuracy:.3} < {FLOOR_CATEGORY}"
    );
}
