//! A correspondence register for a period as an XLSX workbook (one sheet, a header row,
//! dates as dates): the page and the API both answer it.

use std::collections::BTreeMap;

use abonent_domain::registry::parse_date;
use abonent_domain::ValidationErrors;
use abonent_storage::correspondence::{incoming, outgoing, Period, Register};
use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

use crate::privacy::{RecordKind, Shown};
use crate::{App, AppError};

/// What to export, read from `register`, `from`, `to` (both dates required, at most 5 years).
pub struct ExportRequest {
    pub register: Register,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl ExportRequest {
    pub fn parse(q: &BTreeMap<String, String>) -> Result<Self, ValidationErrors> {
        let mut e = ValidationErrors::new();
        let v = |k: &str| q.get(k).map(|s| s.trim()).unwrap_or("");
        let register = Register::from_code(v("register"));
        if register.is_none() {
            e.add(
                "register",
                "Выберите журнал: входящие (incoming) или исходящие (outgoing).",
            );
        }
        let mut date = |k: &str, label: &str| match parse_date(v(k)) {
            Some(d) => Some(d),
            None => {
                e.add(
                    k,
                    format!("Укажите дату «{label}» как 01.01.2026; сейчас: «{}».", v(k)),
                );
                None
            }
        };
        let from = date("from", "с");
        let to = date("to", "по");
        if let (Some(f), Some(t)) = (from, to) {
            if f > t {
                e.add("to", "Конец периода раньше начала: поменяйте даты местами.");
            } else if (t - f).num_days() > 5 * 366 {
                e.add("to", "Период длиннее 5 лет: выгрузите его частями.");
            }
        }
        match (register, from, to) {
            (Some(register), Some(from), Some(to)) if e.is_empty() => {
                Ok(ExportRequest { register, from, to })
            }
            _ => Err(e),
        }
    }

    pub fn file_name(&self) -> String {
        let what = match self.register {
            Register::Incoming => "Входящие",
            Register::Outgoing => "Исходящие",
        };
        format!(
            "{what} {}–{}.xlsx",
            self.from.format("%d.%m.%Y"),
            self.to.format("%d.%m.%Y")
        )
    }
}

fn excel_date(d: NaiveDate) -> Result<ExcelDateTime, XlsxError> {
    ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)
}

struct Sheet<'a> {
    ws: &'a mut Worksheet,
    date: Format,
    row: u32,
}

impl Sheet<'_> {
    fn header(&mut self, titles: &[(&str, f64)]) -> Result<(), XlsxError> {
        let bold = Format::new().set_bold();
        for (i, (t, w)) in titles.iter().enumerate() {
            self.ws.write_string_with_format(0, i as u16, *t, &bold)?;
            self.ws.set_column_width(i as u16, *w)?;
        }
        self.ws.set_freeze_panes(1, 0)?;
        self.row = 1;
        Ok(())
    }

    fn text(&mut self, col: u16, s: &str) -> Result<(), XlsxError> {
        if !s.is_empty() {
            self.ws.write_string(self.row, col, s)?;
        }
        Ok(())
    }

    fn date(&mut self, col: u16, d: Option<NaiveDate>) -> Result<(), XlsxError> {
        if let Some(d) = d {
            self.ws
                .write_datetime_with_format(self.row, col, excel_date(d)?, &self.date)?;
        }
        Ok(())
    }

    fn number(&mut self, col: u16, n: Option<i64>) -> Result<(), XlsxError> {
        if let Some(n) = n {
            self.ws.write_number(self.row, col, n as f64)?;
        }
        Ok(())
    }
}

/// The workbook bytes.
/// Issuing it is logged as one view of every letter in it (senders and addressees are often
/// residents) by `actor` through `via`.
pub async fn workbook(
    app: &App,
    r: &ExportRequest,
    actor: &abonent_storage::Actor,
    via: &str,
) -> Result<Vec<u8>, AppError> {
    let mut shown = Shown::default();
    let period = Period {
        from: Some(r.from),
        to: Some(r.to),
    };
    let today = app.today().await?;
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let fail = |e: XlsxError| AppError::Internal(format!("XLSX: {e}"));
    let mut sh = Sheet {
        ws,
        date: Format::new().set_num_format("dd.mm.yyyy"),
        row: 0,
    };
    match r.register {
        Register::Incoming => {
            sh.ws.set_name("Входящие").map_err(fail)?;
            let rows = incoming::for_period(&app.db, period, today).await?;
            shown = shown.with(RecordKind::IncomingLetter, rows.iter().map(|l| l.id));
            sh.header(&[
                ("Рег. номер", 12.0),
                ("Дата поступления", 12.0),
                ("Вид отправителя", 20.0),
                ("Отправитель", 32.0),
                ("Исх. номер отправителя", 14.0),
                ("Дата письма", 12.0),
                ("Содержание", 48.0),
                ("Листов", 8.0),
                ("Исполнитель", 24.0),
                ("Срок ответа", 12.0),
                ("Состояние", 16.0),
                ("Ответ (исх. номер)", 14.0),
                ("Примечание", 32.0),
            ])
            .map_err(fail)?;
            for l in rows {
                (|| -> Result<(), XlsxError> {
                    sh.text(0, &l.number)?;
                    sh.date(1, Some(l.data.received_on))?;
                    sh.text(2, l.data.sender_kind.title())?;
                    sh.text(3, &l.data.sender_name)?;
                    sh.text(4, l.data.sender_ref_number.as_deref().unwrap_or(""))?;
                    sh.date(5, l.data.sender_ref_date)?;
                    sh.text(6, &l.data.subject)?;
                    sh.number(7, l.data.pages)?;
                    sh.text(8, l.executor_name.as_deref().unwrap_or(""))?;
                    sh.date(9, Some(l.deadline_on))?;
                    let status = if l.overdue {
                        format!("{} (просрочено)", l.status.title())
                    } else {
                        l.status.title().to_string()
                    };
                    sh.text(10, &status)?;
                    sh.text(11, l.answered_by_number.as_deref().unwrap_or(""))?;
                    sh.text(12, l.data.note.as_deref().unwrap_or(""))?;
                    sh.row += 1;
                    Ok(())
                })()
                .map_err(fail)?;
            }
        }
        Register::Outgoing => {
            sh.ws.set_name("Исходящие").map_err(fail)?;
            let rows = outgoing::for_period(&app.db, period).await?;
            shown = shown.with(RecordKind::OutgoingLetter, rows.iter().map(|o| o.id));
            sh.header(&[
                ("Рег. номер", 12.0),
                ("Дата отправки", 12.0),
                ("Адресат", 32.0),
                ("Содержание", 48.0),
                ("Способ отправки", 20.0),
                ("Трек-номер", 18.0),
                ("Ответ на входящее", 14.0),
                ("Документ (код)", 10.0),
                ("Примечание", 32.0),
            ])
            .map_err(fail)?;
            for o in rows {
                (|| -> Result<(), XlsxError> {
                    sh.text(0, &o.number)?;
                    sh.date(1, Some(o.data.sent_on))?;
                    sh.text(2, &o.data.addressee)?;
                    sh.text(3, &o.data.subject)?;
                    sh.text(4, o.data.method.title())?;
                    sh.text(5, o.data.tracking_number.as_deref().unwrap_or(""))?;
                    sh.text(6, o.answers_incoming_number.as_deref().unwrap_or(""))?;
                    sh.number(7, o.data.document_id)?;
                    sh.text(8, o.data.note.as_deref().unwrap_or(""))?;
                    sh.row += 1;
                    Ok(())
                })()
                .map_err(fail)?;
            }
        }
    }
    if sh.row > 1 {
        let last_col = match r.register {
            Register::Incoming => 12,
            Register::Outgoing => 8,
        };
        sh.ws.autofilter(0, 0, sh.row - 1, last_col).map_err(fail)?;
    }
    let bytes = wb.save_to_buffer().map_err(fail)?;
    crate::privacy::record_views_of(app, actor, shown, via).await?;
    Ok(bytes)
}
