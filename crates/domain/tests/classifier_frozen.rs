//! The classifier on the frozen held-out sets: each written and labelled by someone who never
//! looked at the classifier, frozen before a change, and evaluated once (the history of each is
//! on its test). Only the figures are printed, never the texts, so that looking at a failure
//! cannot turn a set into training data. One test binary, so the model is trained once.
//!
//! What is asserted is a regression floor at each set's one run (rounded down), not the
//! target; the target line is printed on every run.

use abonent_domain::appeal::{classify, parse_labelled};

const TARGET_RECALL: f64 = 0.97;
const TARGET_PRECISION: f64 = 0.85;

/// The floors of one set: its one run's figures, rounded down.
struct Floors {
    recall: f64,
    precision: f64,
    /// The second set's run recorded no category floor.
    category: Option<f64>,
}

/// Classifies every text of `file` (under data/) and checks the floors.
fn evaluate(name: &str, file: &str, floors: Floors) {
    let path = format!("{}/data/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("the held-out set {path} is missing: {e}"));
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
    println!("{name}: {} texts, {} emergencies", set.len(), tp + fn_);
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
        recall >= floors.recall,
        "{name}: emergency recall {recall:.3} < {}",
        floors.recall
    );
    assert!(
        precision >= floors.precision,
        "{name}: emergency precision {precision:.3} < {}",
        floors.precision
    );
    if let Some(c) = floors.category {
        assert!(
            accuracy >= c,
            "{name}: category accuracy {accuracy:.3} < {c}"
        );
    }
}

/// The classifier on the frozen second held-out set (data/appeals_heldout2.tsv, HELDOUT2.md):
/// 465 appeal texts written and labelled by a helper who never opened the classifier, its
/// phrase lists, its training texts or the first held-out set, and frozen on main (commit
/// 39fb0c7, SHA-256 `cc3293e7…bb08c8`) before the classifier was changed for issue 15 §1.
/// Nobody tuning the classifier has seen it. Only the figures are printed, never the texts,
/// so that looking at a failure cannot turn the set into training data.
///
/// The shipped model (`classify`) is measured: at the one run it learned from the labelled
/// set and the two development sets, none of which held these texts.
///
/// The one evaluation, 2026-12-07, classifier of branch `cls` (f0f1b31) merged: recall 0.954
/// (208 of 218), precision 0.933 (15 false alarms), category 0.837. The precision target
/// (≥ 0.85) is met; the recall target (≥ 0.97) is MISSED, and this set is now spent: a
/// classifier changed to meet the target needs a third held-out set written before it.
///
/// What is asserted is a regression floor at that one run's figures (rounded down), not the
/// target; the target line is printed on every run.
///
/// Since the second tuning (issue 15 §1, branch `classifier`) this set is a development set
/// and the shipped model learns from it (`labelled_set`), so what this test prints now is
/// memory, not quality: the figures of a model that never saw it are in
/// tests/classifier_heldout.rs, and the independent figure is the third held-out set's.
#[test]
fn frozen_held_out_quality() {
    // The figures of the one run (208/218 and 208/223), rounded down.
    let floors = Floors {
        recall: 0.954,
        precision: 0.932,
        category: None,
    };
    evaluate("held-out 2", "appeals_heldout2.tsv", floors);
}

/// The classifier on the frozen third held-out set (data/appeals_heldout3.tsv, HELDOUT3.md):
/// 509 appeal texts written and labelled by a helper who never looked at the classifier, its
/// phrase lists or its training texts, committed on branch `heldout3` (21812b5, SHA-256
/// `c5cd74d1…649333`) while the classifier was being changed for issue 15 §1, and merged only
/// after that change was final and committed (274da94). Nobody tuning the classifier has seen
/// it. Only the figures are printed, never the texts, so that looking at a failure cannot turn
/// the set into training data.
///
/// The shipped model (`classify`) is measured: it learns from the labelled set and the
/// development sets, none of which holds these texts.
///
/// The one evaluation, 2026-12-07, classifier 274da94 (branch `classifier`): recall 0.969
/// (247 of 255), precision 0.922 (247 of 268; 21 false alarms), category 0.855 (435 of 509).
/// The precision target (≥ 0.85) is met; the recall target (≥ 0.97) is MISSED, by one text
/// (248 of 255 would be 0.973). The classifier was not changed after the run, and this set is
/// now spent: a classifier changed to meet the target needs a fourth held-out set written
/// before it. Recorded in HELDOUT3.md and docs/APPEALS.md.
///
/// What is asserted is a regression floor at that run's figures (rounded down), not the
/// target; the target line is printed on every run.
///
/// Since 2026-12-07, after its one evaluation, this set is a DEVELOPMENT set, like the first
/// two: the third tuning (issue 15 §1, branch `classifier`) studied its misses and false
/// alarms and generalised them into the concept table, and the shipped model learns from it
/// (`labelled_set`). What this test prints now is memory, not quality (after that tuning:
/// recall 1.000, 255 of 255; precision 1.000, 255 of 255; category 0.976, 497 of 509); the
/// figures of a model that never learnt from it are in tests/classifier_heldout.rs, and the
/// independent figure is the fourth held-out set's. The floors stay those of the one run.
#[test]
fn third_frozen_held_out_quality() {
    // The figures of the one run (247/255, 247/268, 435/509), rounded down.
    let floors = Floors {
        recall: 0.968,
        precision: 0.921,
        category: Some(0.854),
    };
    evaluate("held-out 3", "appeals_heldout3.tsv", floors);
}

/// The classifier on the frozen fourth held-out set (data/appeals_heldout4.tsv, HELDOUT4.md):
/// 612 appeal texts (299 emergencies) written and labelled by a helper who never looked at the
/// classifier, its phrase lists or its training texts, committed on branch `heldout4` (ec0b728,
/// SHA-256 `0cde9bc5…8355aadd2`) while the classifier was being tuned on the development sets
/// (which by then included the spent third held-out set), and merged only after that tuning was
/// final and committed (948c458). Only the figures are printed, never the texts.
///
/// The one evaluation, 2026-12-07, classifier 948c458 (branch `classifier`): recall 0.983
/// (294 of 299), precision 0.907 (294 of 324; 30 false alarms), category 0.856 (524 of 612).
/// Both targets of issue 15 (recall ≥ 0.97, precision ≥ 0.85) are met. This set is now spent
/// as well: what is asserted is a regression floor at that run's figures (rounded down).
#[test]
fn fourth_frozen_held_out_quality() {
    // The figures of the one run (294/299, 294/324, 524/612), rounded down.
    let floors = Floors {
        recall: 0.983,
        precision: 0.907,
        category: Some(0.856),
    };
    evaluate("held-out 4", "appeals_heldout4.tsv", floors);
}
