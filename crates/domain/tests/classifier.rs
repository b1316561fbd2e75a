//! Quality of the built-in classifier on the labelled set (data/appeals_labelled.tsv),
//! measured honestly: 5-fold cross-validation, each fold classified by a model trained on
//! the other four. `cargo test -p abonent-domain --test classifier -- --nocapture` prints the
//! figures docs/APPEALS.md quotes; the asserts keep them from sliding.

use std::collections::BTreeMap;

use abonent_domain::appeal::{classify, group_of, labelled_set, Model, DEFAULT_CATEGORIES};

const FOLDS: usize = 5;

#[test]
fn the_labelled_set_is_big_and_uses_known_leaf_categories() {
    let set = labelled_set();
    assert!(set.len() >= 300, "{} examples", set.len());
    for e in &set {
        let known = DEFAULT_CATEGORIES
            .iter()
            .any(|c| c.code == e.category && (!c.phrases.is_empty() || c.code == "other"));
        assert!(known, "unknown category {} in «{}»", e.category, e.text);
    }
    assert!(set.iter().filter(|e| e.emergency).count() >= 60);
}

#[test]
fn cross_validated_quality() {
    let set = labelled_set();
    let (mut tp, mut fp, mut fn_) = (0usize, 0usize, 0usize);
    let (mut leaf_ok, mut group_ok) = (0usize, 0usize);
    let mut per_group: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for fold in 0..FOLDS {
        let train: Vec<_> = set
            .iter()
            .enumerate()
            .filter(|(i, _)| i % FOLDS != fold)
            .map(|(_, e)| e.clone())
            .collect();
        let model = Model::train(&train);
        for (_, e) in set.iter().enumerate().filter(|(i, _)| i % FOLDS == fold) {
            let s = model.classify(&e.text);
            match (s.emergency, e.emergency) {
                (true, true) => tp += 1,
                (true, false) => {
                    fp += 1;
                    let why: Vec<_> = s.reasons.iter().map(|c| c.title).collect();
                    println!("false alarm: {} {why:?}", e.text);
                }
                (false, true) => {
                    fn_ += 1;
                    println!("missed emergency: {} [{}]", e.text, s.category);
                }
                _ => {}
            }
            let g = per_group
                .entry(group_of(&e.category).to_string())
                .or_default();
            g.1 += 1;
            leaf_ok += usize::from(s.category == e.category);
            if s.category != e.category {
                println!(
                    "category: {} → {} (want {})",
                    e.text, s.category, e.category
                );
            }
            if group_of(&s.category) == group_of(&e.category) {
                group_ok += 1;
                g.0 += 1;
            }
        }
    }
    let n = set.len() as f64;
    let recall = tp as f64 / (tp + fn_) as f64;
    let precision = tp as f64 / (tp + fp) as f64;
    let leaf = leaf_ok as f64 / n;
    let group = group_ok as f64 / n;
    println!("examples: {}, {FOLDS}-fold cross-validation", set.len());
    println!(
        "emergency: recall {recall:.3}, precision {precision:.3} (tp {tp}, fp {fp}, fn {fn_})"
    );
    println!("category: leaf accuracy {leaf:.3}, group accuracy {group:.3}");
    for (g, (ok, all)) in &per_group {
        println!("  {g}: {ok}/{all}");
    }
    assert!(recall >= 0.95, "emergency recall {recall:.3} < 0.95");
    assert!(
        precision >= 0.70,
        "emergency precision {precision:.3} < 0.70"
    );
    assert!(leaf >= 0.80, "leaf accuracy {leaf:.3} < 0.80");
}

#[test]
fn word_forms_and_negation() {
    for text in [
        "Срочно! Затопило квартиру, течёт с потолка на кухне",
        "соседи сверху топят, вода по стене",
        "залили нас, потолок мокрый",
    ] {
        let s = classify(text);
        assert!(s.emergency, "{text}: {s:?}");
        assert_eq!(group_of(&s.category), "water", "{text}: {s:?}");
    }
    let s = classify("в подъезде сильно пахнет газом");
    assert_eq!((s.category.as_str(), s.emergency), ("gas.smell", true));
    let s = classify("вопрос по оплате за газ в квитанции");
    assert!(!s.emergency, "{s:?}");
    assert_eq!(group_of(&s.category), "billing");
    let s = classify("капает кран в ванной");
    assert_eq!(s.category, "water.leak");
}

#[test]
fn nothing_recognisable_is_other() {
    let s = classify("zzz qqq");
    assert_eq!(s.category, "other");
    assert!(!s.emergency);
}
