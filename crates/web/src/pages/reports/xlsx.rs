//! A report as XLSX: one sheet, its tables one under another; counts and money as numbers
//! (rubles with two decimals), shares in percent, so Excel can sum and chart them.

use abonent_app::reports::{Report, Unit};
use rust_xlsxwriter::{Format, FormatAlign, Workbook, XlsxError};

pub fn report(r: &Report) -> Result<Vec<u8>, XlsxError> {
    let bold = Format::new().set_bold();
    let head = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center);
    let money = Format::new().set_num_format("# ##0.00");
    let percent = Format::new().set_num_format("0.00");
    let count = Format::new().set_num_format("0");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Отчёт")?;
    ws.set_column_width(0, 48.0)?;
    ws.write_string_with_format(0, 0, format!("{}: {}", r.title, r.period_title), &bold)?;
    let mut row = 1u32;
    for f in &r.filters {
        ws.write_string(row, 0, f)?;
        row += 1;
    }
    for t in &r.tables {
        row += 1;
        ws.write_string_with_format(row, 0, &t.title, &bold)?;
        row += 1;
        ws.write_string_with_format(row, 0, "Показатель", &head)?;
        for (i, c) in t.columns.iter().enumerate() {
            let col = i as u16 + 1;
            ws.write_string_with_format(row, col, c, &head)?;
            ws.set_column_width(col, 16.0)?;
        }
        row += 1;
        for line in &t.rows {
            let indent = if line.level > 0 { "    " } else { "" };
            let title = format!("{indent}{}", line.title);
            if line.total {
                ws.write_string_with_format(row, 0, &title, &bold)?;
            } else {
                ws.write_string(row, 0, &title)?;
            }
            for (i, c) in line.cells.iter().enumerate() {
                let col = i as u16 + 1;
                let Some(v) = c.value else {
                    ws.write_string(row, col, "—")?;
                    continue;
                };
                match c.unit {
                    Unit::Count => ws.write_number_with_format(row, col, v as f64, &count)?,
                    Unit::Kopecks => {
                        ws.write_number_with_format(row, col, v as f64 / 100.0, &money)?
                    }
                    Unit::BasisPoints | Unit::Hundredths => {
                        ws.write_number_with_format(row, col, v as f64 / 100.0, &percent)?
                    }
                };
            }
            row += 1;
        }
        if !t.note.is_empty() {
            ws.write_string(row, 0, &t.note)?;
            row += 1;
        }
    }
    wb.save_to_buffer()
}
