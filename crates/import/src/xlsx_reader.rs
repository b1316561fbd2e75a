//! XLSX: the first worksheet, every cell as the text a person sees in Excel.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use chrono::{NaiveDate, Timelike};

use crate::table::{from_rows, Row, SourceEncoding, MAX_ROWS};
use crate::{ImportError, Table};

pub(crate) fn read(bytes: &[u8]) -> Result<Table, ImportError> {
    let mut book: Xlsx<_> =
        Xlsx::new(Cursor::new(bytes)).map_err(|e| ImportError::Xlsx(e.to_string()))?;
    let range = book
        .worksheet_range_at(0)
        .ok_or(ImportError::NoSheet)?
        .map_err(|e| ImportError::Xlsx(e.to_string()))?;
    // +1 for the header row.
    if range.height() > MAX_ROWS + 1 {
        return Err(ImportError::TooManyRows);
    }
    let first_row = range.start().map_or(0, |(r, _)| r as usize);
    let mut rows: Vec<Row> = range
        .rows()
        .enumerate()
        .map(|(i, cells)| Row {
            line: first_row + i + 1,
            cells: cells.iter().map(cell_text).collect(),
        })
        .collect();
    // Columns empty in every row (formatting left over on the right) are not columns.
    let width = rows
        .iter()
        .filter_map(|r| r.cells.iter().rposition(|c| !c.is_empty()))
        .max()
        .map_or(0, |i| i + 1);
    for r in &mut rows {
        r.cells.truncate(width);
    }
    from_rows(SourceEncoding::Xlsx, rows)
}

fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number(*f),
        Data::Bool(b) => if *b { "да" } else { "нет" }.to_string(),
        Data::DateTime(dt) if dt.is_datetime() => match dt.as_datetime() {
            // Excel's day 0 (1899-12-30/31) holds a time without a date.
            Some(d) if dt.as_f64() < 1.0 => d.format("%H:%M").to_string(),
            Some(d) if d.time().num_seconds_from_midnight() == 0 => {
                d.format("%d.%m.%Y").to_string()
            }
            Some(d) => d.format("%d.%m.%Y %H:%M").to_string(),
            None => number(dt.as_f64()),
        },
        Data::DateTime(dt) => number(dt.as_f64()),
        Data::DateTimeIso(s) => s
            .get(..10)
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            .filter(|_| s.len() == 10)
            .map_or_else(|| s.clone(), |d| d.format("%d.%m.%Y").to_string()),
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => e.to_string(),
    }
}

/// Whole numbers without `.0` (account numbers, phones, flats); fractions rounded to what
/// Excel shows, so 0.1 + 0.2 is `0.3`, not `0.30000000000000004`.
fn number(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        return format!("{}", f as i64);
    }
    let s = format!("{f:.10}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_as_excel_shows_them() {
        assert_eq!(number(100234.0), "100234");
        assert_eq!(number(89123456789.0), "89123456789");
        assert_eq!(number(54.3), "54.3");
        assert_eq!(number(0.1 + 0.2), "0.3");
        assert_eq!(number(-2.0), "-2");
        assert_eq!(number(f64::NAN), "NaN");
    }

    #[test]
    fn not_a_workbook() {
        let e = read(b"PK\x03\x04garbage").unwrap_err();
        assert!(matches!(e, ImportError::Xlsx(_)), "{e:?}");
    }
}
