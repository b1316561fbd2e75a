//! The classifier on the frozen second held-out set (data/appeals_heldout2.tsv, HELDOUT2.md):
//! 465 appeal texts written and labelled by a helper who never opened the classifier, its
//! phrase lists, its training texts or the first held-out set, and frozen on main (commit
//! 39fb0c7, SHA-256 `cc3293e7…bb08c8`) before the classifier was changed for issue 15 §1.
//! Nobody tuning the classifier has seen it. Only the figures are printed, never the texts,
//! so that looking at a failure cannot turn the set into training data.
//!
//! The shipped model (`classify`) is measured: at the one run it learned from the labelled
//! set and the two development sets, none of which held these texts.
//!
//! The one evaluation, 2026-12-07, classifier of branch `cls` (f0f1b31) merged: recall 0.954
//! (208 of 218), precision 0.933 (15 false alarms), category 0.837. The precision target
//! (≥ 0.85) is met; the recall target (≥ 0.97) is MISSED, and this set is now spent: a
//! classifier changed to meet the target needs a third held-out set written before it.
//!
//! What is asserted is a regression floor at that one run's figures (rounded down), not the
//! target; the target line is printed on every run.
//!
//! Since the second tuning (issue 15 §1, branch `classifier`) this set is a development set
//! and the shipped model learns from it (`labelled_set`), so what this test prints now is
//! memory, not quality: the figures of a model that never saw it are in
//! tests/classifier_heldout.rs, and the independent figure is the third held-out set's.

use abonent_domain::appeal::{classify, parse_labelled};

const TARGET_RECALL: f64 = 0.97;
const TARGET_PRECISION: f64 = 0.85;
/// The figures of the one run (208/218 and 208/223), rounded down.
const FLOOR_RECALL: f64 = 0.954;
const FLOOR_PRECISION: f64 = 0.932;

const PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/appeals_heldout2.tsv");

#[test]
fn frozen_held_out_quality() {
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
    println!("held-out 2: {} texts, {} emergencies", set.len(), tp + fn_);
    println!(
        "emergency: recall {recall:.3}, precision {precision:.3} (tp {tp}, fp {fp}, fn {fn_})"
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
}
