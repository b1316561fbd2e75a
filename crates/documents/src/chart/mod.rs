//! Charts of the reports as SVG drawn here, without JavaScript or a plotting library: the
//! same text goes into a page (inline `<svg>`) and into a PDF (typst's `image(bytes(svg))`).
//! Each chart is accessible (`role="img"`, a title and a description) and the reports show
//! its numbers in a table beside it, so nothing depends on seeing the picture.

mod axis;
mod draw;

#[cfg(test)]
mod tests;

pub use axis::{nice_scale, Scale};
pub use draw::{bar_chart, line_chart};

/// How a value is written on the axis and in labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueFormat {
    /// A count: «1 250».
    Count,
    /// Kopecks, shown in rubles without kopecks: «12 500 ₽».
    Rubles,
    /// Basis points as a percentage: «95,5 %».
    Percent,
}

impl ValueFormat {
    pub fn format(self, value: i64) -> String {
        let grouped = abonent_domain::money::format_count;
        match self {
            ValueFormat::Count => grouped(value),
            ValueFormat::Rubles => format!("{} ₽", grouped((value + 50 * value.signum()) / 100)),
            ValueFormat::Percent => {
                let tenths = (value + 5 * value.signum()) / 10;
                match tenths % 10 {
                    0 => format!("{} %", tenths / 10),
                    r => format!("{},{} %", tenths / 10, r.abs()),
                }
            }
        }
    }
}

/// One named row of values, one per category.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Series {
    pub name: String,
    pub values: Vec<i64>,
}

/// What a chart shows: categories along the bottom (months, buckets, names), one or more
/// series, and how to write the values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chart {
    pub title: String,
    pub categories: Vec<String>,
    pub series: Vec<Series>,
    pub format: ValueFormat,
}
