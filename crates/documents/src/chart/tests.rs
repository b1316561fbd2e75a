// Kopecks are written rubles_kopecks (1_250_000_49 is 1 250 000,49 ₽), not in groups of three.
#![allow(clippy::inconsistent_digit_grouping)]

use super::*;

fn months() -> Chart {
    Chart {
        title: "Обращения по месяцам".into(),
        categories: ["11.2025", "12.2025", "01.2026"].map(String::from).to_vec(),
        series: vec![
            Series {
                name: "Поступило".into(),
                values: vec![120, 0, 95],
            },
            Series {
                name: "Выполнено в срок".into(),
                values: vec![100, 0, 60],
            },
        ],
        format: ValueFormat::Count,
    }
}

fn parse(svg: &str) -> roxmltree::Document<'_> {
    roxmltree::Document::parse(svg).expect("the chart is well-formed XML")
}

#[test]
fn round_ticks_cover_the_values_and_zero() {
    assert_eq!(
        nice_scale(0, 95, 5),
        Scale {
            min: 0,
            max: 100,
            step: 20
        }
    );
    assert_eq!(
        nice_scale(0, 120, 5),
        Scale {
            min: 0,
            max: 150,
            step: 50
        }
    );
    assert_eq!(
        nice_scale(-30, 70, 5),
        Scale {
            min: -40,
            max: 80,
            step: 20
        }
    );
    assert_eq!(
        nice_scale(0, 0, 5),
        Scale {
            min: 0,
            max: 1,
            step: 1
        }
    );
    assert_eq!(
        nice_scale(0, 9_550, 5),
        Scale {
            min: 0,
            max: 10_000,
            step: 2_000
        }
    );
    let s = nice_scale(0, 1_234_567_89, 5);
    assert!(s.max >= 1_234_567_89 && (s.max - s.min) / s.step <= 5);
}

#[test]
fn values_are_written_in_russian() {
    assert_eq!(ValueFormat::Count.format(1_250), "1 250");
    assert_eq!(ValueFormat::Rubles.format(1_250_000_49), "1 250 000 ₽");
    assert_eq!(ValueFormat::Rubles.format(1_250_000_50), "1 250 001 ₽");
    assert_eq!(ValueFormat::Percent.format(9_550), "95,5 %");
    assert_eq!(ValueFormat::Percent.format(10_000), "100 %");
}

#[test]
fn bars_are_proportional_to_the_values() {
    let c = months();
    let svg = bar_chart(&c);
    let doc = parse(&svg);
    let bars: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("rect") && n.children().any(|c| c.has_tag_name("title")))
        .collect();
    assert_eq!(bars.len(), 6);
    let h = |i: usize| bars[i].attribute("height").unwrap().parse::<i64>().unwrap();
    // 120 of a 150 axis and 60: twice as tall, ±1 px of rounding; zero is flat.
    assert!((h(0) - 2 * h(5)).abs() <= 1, "{} {}", h(0), h(5));
    assert_eq!(h(1), 0);
    let tip: Vec<_> = bars[2]
        .descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect();
    assert_eq!(tip.concat(), "01.2026: 95");
    let root = doc.root_element();
    assert_eq!(root.attribute("role"), Some("img"));
    let desc = root
        .children()
        .find(|n| n.has_tag_name("desc"))
        .unwrap()
        .text()
        .unwrap();
    assert!(
        desc.contains("Поступило: 11.2025 — 120; 12.2025 — 0; 01.2026 — 95"),
        "{desc}"
    );
}

#[test]
fn a_line_passes_through_each_value() {
    let svg = line_chart(&months());
    let doc = parse(&svg);
    let lines: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("polyline"))
        .collect();
    assert_eq!(lines.len(), 2);
    let ys: Vec<i64> = lines[0]
        .attribute("points")
        .unwrap()
        .split(' ')
        .map(|p| p.split(',').nth(1).unwrap().parse().unwrap())
        .collect();
    // Higher values are higher up (smaller y); the zero month lies on the axis floor.
    assert!(ys[0] < ys[2] && ys[2] < ys[1]);
}

#[test]
fn text_is_escaped() {
    let mut c = months();
    c.title = "Дом <5> & «Ко»".into();
    c.categories[0] = "a\"b".into();
    let svg = bar_chart(&c);
    let doc = parse(&svg);
    let title = doc
        .root_element()
        .children()
        .find(|n| n.has_tag_name("title"))
        .unwrap();
    assert_eq!(title.text(), Some("Дом <5> & «Ко»"));
}

#[test]
fn many_categories_are_labelled_without_crowding() {
    let c = Chart {
        title: "13 месяцев".into(),
        categories: (1..=40).map(|i| format!("{i:02}")).collect(),
        series: vec![Series {
            name: "n".into(),
            values: (1..=40).collect(),
        }],
        format: ValueFormat::Count,
    };
    let svg = bar_chart(&c);
    let doc = parse(&svg);
    let labels = doc
        .descendants()
        .filter(|n| n.has_tag_name("text") && n.attribute("text-anchor") == Some("middle"))
        .count();
    assert!((10..40).contains(&labels), "{labels}");
}

#[test]
fn typst_embeds_the_chart_in_a_pdf() {
    use crate::{samples, DocKind, Engine, RenderRequest};
    let org = samples::organization();
    let mut data = samples::data(DocKind::Letter);
    data["subject"] = serde_json::Value::String(bar_chart(&months()));
    let render = |template: &str, data: serde_json::Value| {
        Engine::new().render(&RenderRequest {
            kind: DocKind::Letter,
            template_override: Some(template),
            org: &org,
            data,
            reg_number: "ИСХ-1".into(),
            issued_on: samples::date(),
        })
    };
    let template =
        "#let d = json(\"/data.json\")\n#image(bytes(d.subject), format: \"svg\", width: 16cm)\n";
    let pdf = render(template, data.clone()).expect("typst reads the SVG");
    assert!(pdf.starts_with(b"%PDF"));
    // The same template refuses what is not SVG, so the render above did read the chart.
    data["subject"] = serde_json::Value::String("<svg".into());
    assert!(render(template, data).is_err());
}
