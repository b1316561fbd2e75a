//! A workbook of plain text tables, one sheet per section: what the access log and the
//! subject's export are made of. Text only, so what a reader sees is what was stored.

use rust_xlsxwriter::{Format, Workbook, XlsxError};

use crate::AppError;

/// One sheet: its name (at most 31 characters), the column titles with widths, the rows.
pub struct Table {
    pub name: &'static str,
    pub columns: Vec<(&'static str, f64)>,
    pub rows: Vec<Vec<String>>,
}

fn xlsx_error(e: XlsxError) -> AppError {
    AppError::Internal(format!("XLSX: {e}"))
}

/// The workbook's bytes.
pub fn workbook(tables: &[Table]) -> Result<Vec<u8>, AppError> {
    let bold = Format::new().set_bold();
    let mut wb = Workbook::new();
    for t in tables {
        let ws = wb.add_worksheet();
        ws.set_name(t.name).map_err(xlsx_error)?;
        for (i, (title, width)) in t.columns.iter().enumerate() {
            ws.write_string_with_format(0, i as u16, *title, &bold)
                .map_err(xlsx_error)?;
            ws.set_column_width(i as u16, *width).map_err(xlsx_error)?;
        }
        ws.set_freeze_panes(1, 0).map_err(xlsx_error)?;
        for (r, row) in t.rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                if !v.is_empty() {
                    ws.write_string(r as u32 + 1, c as u16, v)
                        .map_err(xlsx_error)?;
                }
            }
        }
    }
    wb.save_to_buffer().map_err(xlsx_error)
}

/// An instant as stored, shown in the organization's time zone: `07.12.2026 10:15`.
pub fn local(at: &str, tz: chrono_tz::Tz) -> String {
    match abonent_storage::time::parse(at) {
        Some(t) => t.with_timezone(&tz).format("%d.%m.%Y %H:%M:%S").to_string(),
        None => at.to_string(),
    }
}
