//! Bar and line charts as SVG text.

use std::fmt::Write;

use super::axis::{nice_scale, Scale};
use super::Chart;

const WIDTH: i64 = 720;
const HEIGHT: i64 = 320;
const LEFT: i64 = 84;
const RIGHT: i64 = 16;
const TOP: i64 = 40;
const BOTTOM: i64 = 64;
/// Colours that stay apart for the common colour-vision deficiencies (Okabe–Ito).
const COLOURS: [&str; 6] = [
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00",
];

/// Bars per category, series side by side.
pub fn bar_chart(c: &Chart) -> String {
    draw(c, |out, c, scale, x_of, band| {
        let n = c.series.len().max(1) as i64;
        let bar = (band * 7 / 10 / n).max(1);
        for (s, series) in c.series.iter().enumerate() {
            for (i, v) in series.values.iter().enumerate() {
                let x = x_of(i) - bar * n / 2 + bar * s as i64;
                let (y0, y1) = (y_of(scale, 0), y_of(scale, *v));
                let _ = write!(
                    out,
                    r#"<rect x="{x}" y="{}" width="{bar}" height="{}" fill="{}"><title>{}: {}</title></rect>"#,
                    y0.min(y1),
                    (y0 - y1).abs(),
                    COLOURS[s % COLOURS.len()],
                    esc(&c.categories[i]),
                    esc(&c.format.format(*v))
                );
            }
        }
    })
}

/// A line per series through the categories.
pub fn line_chart(c: &Chart) -> String {
    draw(c, |out, c, scale, x_of, _| {
        for (s, series) in c.series.iter().enumerate() {
            let colour = COLOURS[s % COLOURS.len()];
            let points: Vec<String> = series
                .values
                .iter()
                .enumerate()
                .map(|(i, v)| format!("{},{}", x_of(i), y_of(scale, *v)))
                .collect();
            let _ = write!(
                out,
                r#"<polyline points="{}" fill="none" stroke="{colour}" stroke-width="2"/>"#,
                points.join(" ")
            );
            for (i, v) in series.values.iter().enumerate() {
                let _ = write!(
                    out,
                    r#"<circle cx="{}" cy="{}" r="3" fill="{colour}"><title>{}: {}</title></circle>"#,
                    x_of(i),
                    y_of(scale, *v),
                    esc(&c.categories[i]),
                    esc(&c.format.format(*v))
                );
            }
        }
    })
}

fn y_of(scale: &Scale, v: i64) -> i64 {
    let plot = HEIGHT - TOP - BOTTOM;
    let v = v.clamp(scale.min, scale.max);
    HEIGHT
        - BOTTOM
        - ((i128::from(v - scale.min) * i128::from(plot)) / i128::from(scale.max - scale.min))
            as i64
}

/// The frame every chart shares: title, axis with round ticks, category labels, legend.
fn draw(
    c: &Chart,
    marks: impl Fn(&mut String, &Chart, &Scale, &dyn Fn(usize) -> i64, i64),
) -> String {
    let values = c.series.iter().flat_map(|s| s.values.iter().copied());
    let (lo, hi) = values.fold((0, 0), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let scale = nice_scale(lo, hi, 5);
    let n = c.categories.len().max(1) as i64;
    let band = (WIDTH - LEFT - RIGHT) / n;
    let x_of = |i: usize| LEFT + band * i as i64 + band / 2;
    let mut out = String::new();
    let desc: Vec<String> = c
        .series
        .iter()
        .map(|s| {
            let pairs: Vec<String> = s
                .values
                .iter()
                .zip(&c.categories)
                .map(|(v, k)| format!("{k} — {}", c.format.format(*v)))
                .collect();
            format!("{}: {}", s.name, pairs.join("; "))
        })
        .collect();
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" role="img" aria-labelledby="t d" font-family="Noto Serif, DejaVu Serif, serif" font-size="12"><title id="t">{}</title><desc id="d">{}</desc>"#,
        esc(&c.title),
        esc(&desc.join(". "))
    );
    let _ = write!(
        out,
        r#"<text x="{LEFT}" y="20" font-size="14" font-weight="bold">{}</text>"#,
        esc(&c.title)
    );
    for tick in scale.ticks() {
        let y = y_of(&scale, tick);
        let _ = write!(
            out,
            r##"<line x1="{LEFT}" x2="{}" y1="{y}" y2="{y}" stroke="#d0d0d0"/><text x="{}" y="{}" text-anchor="end">{}</text>"##,
            WIDTH - RIGHT,
            LEFT - 6,
            y + 4,
            esc(&c.format.format(tick))
        );
    }
    marks(&mut out, c, &scale, &x_of, band);
    // Every category is labelled unless they crowd: then every k-th.
    let every = ((n * 60) / (WIDTH - LEFT - RIGHT) + 1) as usize;
    for (i, k) in c
        .categories
        .iter()
        .enumerate()
        .filter(|(i, _)| i % every == 0)
    {
        let _ = write!(
            out,
            r#"<text x="{}" y="{}" text-anchor="middle">{}</text>"#,
            x_of(i),
            HEIGHT - BOTTOM + 16,
            esc(k)
        );
    }
    for (s, series) in c.series.iter().enumerate() {
        let x = LEFT + 160 * s as i64;
        let _ = write!(
            out,
            r#"<rect x="{x}" y="{}" width="12" height="12" fill="{}"/><text x="{}" y="{}">{}</text>"#,
            HEIGHT - 22,
            COLOURS[s % COLOURS.len()],
            x + 16,
            HEIGHT - 12,
            esc(&series.name)
        );
    }
    out.push_str("</svg>");
    out
}

/// Text safe inside SVG/XML.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
