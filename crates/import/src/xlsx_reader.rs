//! XLSX: the first worksheet, every cell as the text a person sees in Excel.

use std::io::Cursor;

use calamine::{Data, DataRef, DataType, Reader, Xlsx, XlsxError};
use chrono::{NaiveDate, Timelike};

use crate::table::{from_rows, Row, SourceEncoding};
use crate::{ImportError, Limits, Table};

/// The first worksheet, read cell by cell within `limits`. calamine's own range reader
/// allocates the whole sheet first (sized by what the file claims); this one holds only the
/// filled cells it has read and stops at the first one beyond a limit.
pub(crate) fn read(bytes: &[u8], limits: &Limits) -> Result<Table, ImportError> {
    let xlsx = |e: XlsxError| ImportError::Xlsx(e.to_string());
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(xlsx)?;
    let name = book
        .sheet_names()
        .first()
        .cloned()
        .ok_or(ImportError::NoSheet)?;
    let mut cells = match book.worksheet_cells_reader(&name) {
        Ok(reader) => filled_cells(reader, limits)?,
        // A chart sheet first: nothing to read, as calamine's range would say.
        Err(XlsxError::NotAWorksheet(_)) => Vec::new(),
        Err(e) => return Err(xlsx(e)),
    };
    // Cells come in sheet order; a stable sort keeps that and mends a file that is not.
    cells.sort_by_key(|c| (c.0, c.1));
    let first_col = cells.iter().map(|c| c.1).min().unwrap_or(0);
    // Columns empty in every row (formatting left over on the right) are not columns.
    let width = cells
        .iter()
        .filter(|c| !c.2.is_empty())
        .map(|c| (c.1 - first_col) as usize + 1)
        .max()
        .unwrap_or(0);
    // Rows are padded to the width: bound what that makes before making it.
    let mut rows_with_data = 0usize;
    let mut last = None;
    for c in cells.iter().filter(|c| !c.2.is_empty()) {
        if last != Some(c.0) {
            rows_with_data += 1;
            last = Some(c.0);
        }
    }
    if rows_with_data.saturating_mul(width) > limits.max_cells {
        return Err(ImportError::TooManyCells);
    }
    let mut rows: Vec<Row> = Vec::with_capacity(rows_with_data);
    for (r, col, text) in cells {
        let col = (col - first_col) as usize;
        if col >= width || text.is_empty() {
            continue;
        }
        if rows.last().is_none_or(|row| row.line != r as usize + 1) {
            rows.push(Row {
                line: r as usize + 1,
                cells: vec![String::new(); width],
            });
        }
        if let Some(row) = rows.last_mut() {
            row.cells[col] = text;
        }
    }
    from_rows(SourceEncoding::Xlsx, rows, limits.max_rows)
}

/// (row, column, text) of every cell that holds something, up to the limits.
fn filled_cells<R: std::io::Read + std::io::Seek>(
    mut reader: calamine::XlsxCellReader<'_, R>,
    limits: &Limits,
) -> Result<Vec<(u32, u32, String)>, ImportError> {
    let mut cells = Vec::new();
    let (mut rows, mut last_row) = (0usize, None);
    while let Some(cell) = reader
        .next_cell()
        .map_err(|e| ImportError::Xlsx(e.to_string()))?
    {
        let value: &DataRef = cell.get_value();
        if value.is_empty() {
            continue;
        }
        let (r, c) = cell.get_position();
        if last_row != Some(r) {
            rows += 1;
            last_row = Some(r);
            // +1 for the header row.
            if rows > limits.max_rows + 1 {
                return Err(ImportError::TooManyRows);
            }
        }
        if cells.len() == limits.max_cells {
            return Err(ImportError::TooManyCells);
        }
        cells.push((r, c, cell_text(&Data::from(value.clone()))));
    }
    Ok(cells)
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
        let e = read(b"PK\x03\x04garbage", &Limits::DEFAULT).unwrap_err();
        assert!(matches!(e, ImportError::Xlsx(_)), "{e:?}");
    }
}
