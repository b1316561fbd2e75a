//! The classifier on the frozen held-out set (data/appeals_heldout.tsv): realistic appeal
//! texts written and labelled by someone else, never used to write the concept table or to
//! tune the model. Only the figures are printed, never the texts, so that looking at a
//! failure cannot turn the set into training data. The floors are the targets.

use abonent_domain::appeal::{classify, parse_labelled};

const PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/appeals_heldout.tsv");

#[test]
fn held_out_quality() {
    let text = std::fs::read_to_string(PATH)
        .unwrap_or_else(|e| panic!("the held-out set {PATH} is missing: {e}"));
    let (set, bad) = parse_labelled(&text);
    assert!(bad.is_empty(), "lines not in the format: {bad:?}");
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
    println!("held-out: {} texts, {} emergencies", set.len(), tp + fn_);
    println!(
        "emergency: recall {recall:.3}, precision {precision:.3} (tp {tp}, fp {fp}, fn {fn_})"
    );
    println!(
        "category: accuracy {accuracy:.3} ({category_ok} of {})",
        set.len()
    );
    // Run once on 2026-12-06 after the last change to the classifier: recall 0.937, category
    // accuracy 0.746 — the recall floor is not met; whether it stays is the lead's decision.
    assert!(recall >= 0.97, "emergency recall {recall:.3} < 0.97");
    assert!(
        precision >= 0.85,
        "emergency precision {precision:.3} < 0.85"
    );
}
