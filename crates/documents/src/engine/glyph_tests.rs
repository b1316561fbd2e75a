//! Every character a shipped template prints must exist in the shipped fonts: typst draws a
//! missing one as an empty box («tofu», glyph 0), which a court or a resident then reads.

use std::collections::BTreeMap;

use typst::layout::{Frame, FrameItem};

use super::*;

/// Characters drawn with glyph 0 (the font's «missing» glyph), with the text they were in.
fn missing_glyphs(frame: &Frame, out: &mut BTreeMap<char, String>) {
    for (_, item) in frame.items() {
        match item {
            FrameItem::Group(group) => missing_glyphs(&group.frame, out),
            FrameItem::Text(text) => {
                for glyph in text.glyphs.iter().filter(|g| g.id == 0) {
                    let chars = text.text.get(glyph.range()).unwrap_or_default();
                    for c in chars.chars().filter(|c| !c.is_whitespace()) {
                        out.entry(c).or_insert_with(|| text.text.to_string());
                    }
                }
            }
            _ => {}
        }
    }
}

fn layout(kind: DocKind, data: serde_json::Value) -> PagedDocument {
    let engine = Engine::new();
    let org = samples::organization();
    let req = RenderRequest {
        kind,
        template_override: None,
        org: &org,
        data,
        reg_number: "№ 1-ОБР/2026".into(),
        issued_on: samples::date(),
    };
    let prepared = prepare(&req).expect("sample data is valid");
    let world = engine
        .world(kind, None, prepared, req.issued_on)
        .expect("world");
    compile(&world).expect("template compiles")
}

#[test]
fn every_shipped_template_prints_every_glyph() {
    let mut missing = BTreeMap::new();
    for kind in DocKind::ALL {
        let mut found = BTreeMap::new();
        for page in layout(kind, samples::data(kind)).pages() {
            missing_glyphs(&page.frame, &mut found);
        }
        for (c, text) in found {
            missing.insert(c, format!("{}: «{text}»", kind.code()));
        }
    }
    let report: Vec<String> = missing
        .iter()
        .map(|(c, at)| format!("U+{:04X} «{c}» in {at}", u32::from(*c)))
        .collect();
    assert!(
        report.is_empty(),
        "no glyph in the shipped fonts:\n{}",
        report.join("\n")
    );
}

/// Characters the data prints beside the templates' own text: formulas (state duty, penalties),
/// money, numbers of documents, quotes and dashes, the whole Russian alphabet.
#[test]
fn characters_the_data_prints_exist_in_the_fonts() {
    let alphabet: String = ('А'..='я').chain(['Ё', 'ё']).collect();
    let mut data = samples::data(DocKind::Letter);
    data["paragraphs"] = serde_json::json!([
        "2 000,00 ₽ + 1,5% × (150 000,00 ₽ − 100 000,00 ₽) = 2 750,00 ₽; 1/300 · 9,5 %",
        "№ 1 «кавычки» „вложенные“ — тире – минус − … ° § ± ≤ ≥ ½",
        alphabet,
    ]);
    let mut found = BTreeMap::new();
    for page in layout(DocKind::Letter, data).pages() {
        missing_glyphs(&page.frame, &mut found);
    }
    assert!(found.is_empty(), "no glyph in the shipped fonts: {found:?}");
}

/// The check itself works: a character no shipped font has is reported.
#[test]
fn a_character_outside_the_fonts_is_reported() {
    let mut data = samples::data(DocKind::Letter);
    data["subject"] = serde_json::Value::String("О доме \u{1F3E0}".into());
    let mut found = BTreeMap::new();
    for page in layout(DocKind::Letter, data).pages() {
        missing_glyphs(&page.frame, &mut found);
    }
    assert!(found.contains_key(&'\u{1F3E0}'), "{found:?}");
}
