//! Measurements of the emergency classifier that a person reads (they assert nothing, so
//! they are not tests): `speed`, `thresholds` (the learned fallback's log-odds against the
//! development sets) and `labelled-alone` (5-fold cross-validation of `appeals_labelled.tsv`
//! alone). `cargo run --release --example classifier_report -p abonent-domain -- speed`.

use abonent_domain::appeal::{classify, parse_labelled, Labelled, Model};

fn load(name: &str) -> Vec<Labelled> {
    let path = format!("{}/data/{name}", env!("CARGO_MANIFEST_DIR"));
    let text =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("the set {path} is missing: {e}"));
    let (set, bad) = parse_labelled(&text);
    assert!(bad.is_empty(), "{name}: lines not in the format: {bad:?}");
    set
}

fn main() {
    match std::env::args().nth(1).as_deref() {
        Some("speed") => speed(),
        Some("thresholds") => learned_fallback_thresholds(),
        Some("labelled-alone") => labelled_alone_cross_validated(),
        Some("explain") => explain(),
        _ => eprintln!("usage: classifier_report speed | thresholds | labelled-alone | explain"),
    }
}

/// How long one classification takes, on every development text: run in release mode,
/// `cargo run --release --example classifier_report -p abonent-domain -- speed`.
fn speed() {
    let mut texts: Vec<String> = Vec::new();
    for name in ["appeals_heldout.tsv", "appeals_dev_extra.tsv"] {
        texts.extend(load(name).into_iter().map(|e| e.text));
    }
    let path = format!("{}/data/appeals_labelled.tsv", env!("CARGO_MANIFEST_DIR"));
    let labelled = std::fs::read_to_string(path).expect("labelled set");
    texts.extend(parse_labelled(&labelled).0.into_iter().map(|e| e.text));
    let rss = || {
        std::fs::read_to_string("/proc/self/status")
            .ok()
            .and_then(|s| {
                s.lines()
                    .find(|l| l.starts_with("VmRSS"))
                    .map(str::to_string)
            })
            .unwrap_or_default()
    };
    let before = rss();
    let start = std::time::Instant::now();
    classify("прогрев"); // the model and the dictionaries load once
    println!(
        "first classification (model, tables) {:.0} ms; {before} → {}",
        start.elapsed().as_secs_f64() * 1e3,
        rss()
    );
    let rounds = 5;
    let start = std::time::Instant::now();
    let mut flagged = 0usize;
    for _ in 0..rounds {
        for t in &texts {
            flagged += usize::from(classify(t).emergency);
        }
    }
    let per = start.elapsed().as_secs_f64() * 1e6 / (rounds * texts.len()) as f64;
    println!(
        "classify: {per:.1} µs per text over {} texts × {rounds} ({flagged} flagged)",
        texts.len()
    );
    // Of which: reading the words, and the emergency concepts (which read them again).
    let time = |f: &dyn Fn(&str) -> usize| {
        let start = std::time::Instant::now();
        let mut n = 0;
        for _ in 0..rounds {
            for t in &texts {
                n += f(t);
            }
        }
        (
            start.elapsed().as_secs_f64() * 1e6 / (rounds * texts.len()) as f64,
            n,
        )
    };
    let (words, _) = time(&|t| abonent_domain::words::tokens(t).len());
    let (concepts, _) = time(&|t| abonent_domain::appeal::concepts(t).len());
    println!("  of which words {words:.1} µs, words + concepts {concepts:.1} µs");
}

/// The learned fallback's threshold against the development sets:
/// `cargo run --example classifier_report -p abonent-domain -- thresholds`.
fn learned_fallback_thresholds() {
    use abonent_domain::appeal::Tuning;
    let sets = [
        load("appeals_heldout3.tsv"),
        load("appeals_heldout.tsv"),
        load("appeals_dev_extra.tsv"),
        load("appeals_heldout2.tsv"),
    ];
    for odds in [4.0, 6.0, 7.0, 8.0, 9.0, 10.0, 12.0, f64::INFINITY] {
        let model = Model::train_with(
            &load("appeals_labelled.tsv"),
            Tuning {
                emergency_log_odds: odds,
                ..Tuning::SHIPPED
            },
        );
        for (n, set) in sets.iter().enumerate() {
            let (mut tp, mut fp, mut fn_) = (0, 0, 0);
            for e in set {
                match (model.classify(&e.text).emergency, e.emergency) {
                    (true, true) => tp += 1,
                    (true, false) => fp += 1,
                    (false, true) => fn_ += 1,
                    _ => {}
                }
            }
            println!("odds {odds}: set {n}: tp {tp} fp {fp} fn {fn_}");
        }
    }
}

/// `appeals_labelled.tsv` alone by 5-fold cross-validation, as classifier.rs measured it
/// before the development sets joined the shipped training texts (for comparison):
/// `cargo run --example classifier_report -p abonent-domain -- labelled-alone`.
fn labelled_alone_cross_validated() {
    let set = load("appeals_labelled.tsv");
    let (mut tp, mut fp, mut fn_, mut ok) = (0usize, 0usize, 0usize, 0usize);
    for fold in 0..5 {
        let train: Vec<_> = set
            .iter()
            .enumerate()
            .filter(|(i, _)| i % 5 != fold)
            .map(|(_, e)| e.clone())
            .collect();
        let model = Model::train(&train);
        for (_, e) in set.iter().enumerate().filter(|(i, _)| i % 5 == fold) {
            let s = model.classify(&e.text);
            match (s.emergency, e.emergency) {
                (true, true) => tp += 1,
                (true, false) => fp += 1,
                (false, true) => fn_ += 1,
                _ => {}
            }
            ok += usize::from(s.category == e.category);
        }
    }
    println!(
        "labelled alone, 5-fold: recall {:.3} ({tp}/{}), precision {:.3} ({tp}/{}), category {:.3}",
        tp as f64 / (tp + fn_) as f64,
        tp + fn_,
        tp as f64 / (tp + fp) as f64,
        tp + fp,
        ok as f64 / set.len() as f64
    );
}

/// Each line of the standard input with the classifier's suggestion and the concept
/// table's phrasings found in it: `… -- explain < texts.txt`.
fn explain() {
    for line in std::io::stdin().lines().map_while(Result::ok) {
        let s = classify(&line);
        println!("{} {}: {line}", u8::from(s.emergency), s.category);
        for p in abonent_domain::appeal::explain(&line) {
            println!("    {p}");
        }
    }
}
