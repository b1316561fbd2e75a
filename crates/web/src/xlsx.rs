//! XLSX files of the ledger: the penalty calculation as courts expect it and the turnover
//! sheet. Money is written as numbers in rubles with two decimals, so Excel can sum it.

use abonent_domain::penalty::{format_rate, PenaltyCalculation};
use abonent_storage::ledger::turnover::TurnoverSheet;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use rust_xlsxwriter::{Format, FormatAlign, Workbook, XlsxError};

use crate::AppError;

fn rub(k: i64) -> f64 {
    k as f64 / 100.0
}

fn formats() -> (Format, Format, Format) {
    let bold = Format::new().set_bold();
    let money = Format::new().set_num_format("# ##0.00");
    let head = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center);
    (bold, money, head)
}

/// «Расчёт пени»: one row per stretch of days with the formula, totals below.
pub fn penalty(c: &PenaltyCalculation, title: &str, basis: &str) -> Result<Vec<u8>, XlsxError> {
    let (bold, money, head) = formats();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Расчёт пени")?;
    ws.write_string_with_format(0, 0, title, &bold)?;
    ws.write_string(1, 0, basis)?;
    let cols = [
        ("Период", 10.0),
        ("Сумма долга, ₽", 14.0),
        ("С", 11.0),
        ("По", 11.0),
        ("Дней", 7.0),
        ("Доля ставки", 9.0),
        ("Ставка", 8.0),
        ("Формула", 44.0),
        ("Пени, ₽", 12.0),
    ];
    for (i, (name, width)) in cols.iter().enumerate() {
        ws.write_string_with_format(3, i as u16, *name, &head)?;
        ws.set_column_width(i as u16, *width)?;
    }
    let mut row = 4u32;
    for r in &c.rows {
        ws.write_string(row, 0, &r.period)?;
        ws.write_number_with_format(row, 1, rub(r.debt_kopecks), &money)?;
        ws.write_string(row, 2, r.from.format("%d.%m.%Y").to_string())?;
        ws.write_string(row, 3, r.to.format("%d.%m.%Y").to_string())?;
        ws.write_number(row, 4, r.days as f64)?;
        ws.write_string(row, 5, format!("1/{}", r.share))?;
        ws.write_string(row, 6, format_rate(r.rate_bp))?;
        ws.write_string(row, 7, &r.formula)?;
        ws.write_number_with_format(row, 8, rub(r.penalty_kopecks), &money)?;
        row += 1;
    }
    ws.write_string_with_format(row, 7, "Итого пени", &bold)?;
    ws.write_number_with_format(row, 8, rub(c.total_kopecks), &money)?;
    wb.save_to_buffer()
}

/// The turnover sheet with its totals row.
pub fn turnover(t: &TurnoverSheet) -> Result<Vec<u8>, XlsxError> {
    let (bold, money, head) = formats();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("ОСВ")?;
    ws.write_string_with_format(
        0,
        0,
        format!(
            "Оборотно-сальдовая ведомость: {}, периоды {} — {}",
            t.title, t.from, t.to
        ),
        &bold,
    )?;
    let cols = [
        ("Строка", 40.0),
        ("Сальдо на начало, ₽", 15.0),
        ("Начислено, ₽", 14.0),
        ("Перерасчёт, ₽", 14.0),
        ("Пени, ₽", 12.0),
        ("Оплачено, ₽", 14.0),
        ("Сальдо на конец, ₽", 15.0),
    ];
    for (i, (name, width)) in cols.iter().enumerate() {
        ws.write_string_with_format(2, i as u16, *name, &head)?;
        ws.set_column_width(i as u16, *width)?;
    }
    let mut row = 3u32;
    let mut line = |ws: &mut rust_xlsxwriter::Worksheet,
                    title: &str,
                    f: &abonent_domain::ledger::Turnover,
                    fmt: Option<&Format>|
     -> Result<(), XlsxError> {
        match fmt {
            Some(b) => ws.write_string_with_format(row, 0, title, b)?,
            None => ws.write_string(row, 0, title)?,
        };
        for (i, v) in [
            f.opening,
            f.charged,
            f.recalculated,
            f.penalties,
            f.paid,
            f.closing,
        ]
        .iter()
        .enumerate()
        {
            ws.write_number_with_format(row, i as u16 + 1, rub(*v), &money)?;
        }
        row += 1;
        Ok(())
    };
    for r in &t.rows {
        line(ws, &r.title, &r.figures, None)?;
    }
    line(ws, "Итого", &t.total, Some(&bold))?;
    wb.save_to_buffer()
}

pub const XLSX_MIME: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A download response.
pub fn download(bytes: Result<Vec<u8>, XlsxError>, file_name: &str) -> Result<Response, AppError> {
    let bytes = bytes.map_err(|e| AppError::Internal(format!("XLSX: {e}")))?;
    let encoded: String = url::form_urlencoded::byte_serialize(file_name.as_bytes()).collect();
    Ok((
        [
            (header::CONTENT_TYPE, XLSX_MIME.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"ledger.xlsx\"; filename*=UTF-8''{encoded}"),
            ),
        ],
        bytes,
    )
        .into_response())
}
