//! What a user reads on the pages (issue 17 §6): no page points at the repository's docs or at
//! sections of internal documents, and the emergency badge on the dark top bar is readable
//! (contrast at least 4.5:1, WCAG AA).

use std::path::Path;

fn files(dir: &Path, out: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, out);
        } else if let Ok(text) = std::fs::read_to_string(&path) {
            out.push((path.display().to_string(), text));
        }
    }
}

#[test]
fn pages_never_point_at_internal_documents() {
    let mut all = Vec::new();
    files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("templates"),
        &mut all,
    );
    let mut bad = Vec::new();
    for (path, text) in &all {
        for (n, line) in text.lines().enumerate() {
            if ["docs/", ".md", "regulations", "glossary"]
                .iter()
                .any(|w| line.contains(w))
            {
                bad.push(format!("{path}:{}: {line}", n + 1));
            }
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

/// `#rrggbb` → relative luminance (WCAG 2.1).
fn luminance(hex: &str) -> f64 {
    let hex = hex.trim_start_matches('#');
    let channel = |i: usize| {
        let c = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap()) / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4)
}

fn contrast(a: &str, b: &str) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// The value of `property` in the rule whose selector is exactly `selector`.
fn css_value(css: &str, selector: &str, property: &str) -> String {
    let start = css
        .find(&format!("{selector} {{"))
        .unwrap_or_else(|| panic!("no rule {selector}"));
    let body = &css[start..start + css[start..].find('}').unwrap()];
    body.lines()
        .find_map(|l| l.trim().strip_prefix(&format!("{property}:")))
        .unwrap_or_else(|| panic!("no {property} in {selector}"))
        .trim()
        .trim_end_matches(';')
        .to_string()
}

#[test]
fn the_emergency_badge_is_readable() {
    let css = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/app.css"))
        .unwrap();
    let rule = "header.topbar a.alert-badge";
    let fg = css_value(&css, rule, "color");
    let bg = css_value(&css, rule, "background");
    let ratio = contrast(&fg, &bg);
    assert!(ratio >= 4.5, "{fg} on {bg}: {ratio:.2}:1");
    // The bar's own colour around it: the badge stands out from it too.
    assert!(contrast(&bg, "#1d3557") > 1.2);
}
