//! Documents sent by post in bulk (debt notices): one PDF of them all for printing, in the
//! order given, and the list of registered letters for the post office (form 103: addressee,
//! address, what is sent) as CSV and XLSX.

use abonent_documents::DocKind;
use abonent_domain::ValidationErrors;
use abonent_storage::documents::{self, Document};
use abonent_storage::{Actor, StoreError};
use rust_xlsxwriter::{Format, Workbook};

use super::{organization, reprint_combined};
use crate::{privacy, App, AppError};

/// One registered letter of the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Letter {
    pub addressee: String,
    pub address: String,
    /// «Уведомление о задолженности № УЗ-1/26, л/с 700001».
    pub contents: String,
}

const BULK_KINDS: [DocKind; 1] = [DocKind::DebtNotice];

fn invalid(msg: String) -> AppError {
    AppError::Invalid(ValidationErrors::single("document_ids", msg))
}

/// The documents in the order given, each a kind sent by post; the people they name are
/// recorded as shown to `actor` (152-ФЗ).
async fn sent(app: &App, ids: &[i64], actor: &Actor, via: &str) -> Result<Vec<Document>, AppError> {
    if ids.is_empty() {
        return Err(invalid("Укажите хотя бы один документ.".into()));
    }
    let mut out = Vec::with_capacity(ids.len());
    for &id in ids {
        let d = match documents::get(&app.db, id).await {
            Ok(d) => d,
            Err(StoreError::NotFound(_)) => {
                return Err(invalid(format!("Документа № {id} (внутренний) нет.")))
            }
            Err(e) => return Err(e.into()),
        };
        if !BULK_KINDS.iter().any(|k| k.code() == d.kind) {
            return Err(invalid(format!(
                "Документ {} — не уведомление о задолженности: список для почты составляется \
                 из уведомлений.",
                d.number
            )));
        }
        out.push(d);
    }
    let people: Vec<i64> = out.iter().filter_map(|d| d.person_id).collect();
    privacy::record_views(app, actor, &people, via).await?;
    Ok(out)
}

/// One PDF of the documents `ids` for printing.
pub async fn combined_pdf(app: &App, ids: &[i64], actor: &Actor) -> Result<Vec<u8>, AppError> {
    let docs = sent(app, ids, actor, "уведомления одним PDF для печати").await?;
    reprint_combined(app, docs).await
}

/// The registered letters of the documents `ids`, in their order.
pub async fn letters(app: &App, ids: &[i64], actor: &Actor) -> Result<Vec<Letter>, AppError> {
    let docs = sent(app, ids, actor, "список заказных писем (ф. 103)").await?;
    Ok(docs
        .iter()
        .map(|d| {
            let s = |k: &str| d.data[k].as_str().unwrap_or_default().trim().to_string();
            let title = DocKind::from_code(&d.kind).map_or("Документ", |k| k.title());
            Letter {
                addressee: Some(s("debtor"))
                    .filter(|x| !x.is_empty())
                    .unwrap_or_else(|| "Собственнику помещения".into()),
                address: s("address"),
                contents: format!("{title} № {}, л/с {}", d.number, s("account")),
            }
        })
        .collect())
}

const HEADERS: [&str; 7] = [
    "№ п/п",
    "Адресат",
    "Адрес",
    "Почтовый идентификатор",
    "Масса, г",
    "Объявленная ценность, руб.",
    "Примечание",
];

fn csv_cell(s: &str) -> String {
    if s.contains([';', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// Form 103 as CSV (UTF-8 with BOM, «;»), one letter a line.
pub fn letters_csv(letters: &[Letter]) -> Vec<u8> {
    let mut out = String::from("\u{feff}");
    out.push_str(&HEADERS.join(";"));
    out.push_str("\r\n");
    for (i, l) in letters.iter().enumerate() {
        let row = [
            (i + 1).to_string(),
            csv_cell(&l.addressee),
            csv_cell(&l.address),
            String::new(),
            String::new(),
            String::new(),
            csv_cell(&l.contents),
        ];
        out.push_str(&row.join(";"));
        out.push_str("\r\n");
    }
    out.into_bytes()
}

/// Form 103 as XLSX: the sender, then the same columns as the CSV.
pub async fn letters_xlsx(app: &App, letters: &[Letter]) -> Result<Vec<u8>, AppError> {
    let org = organization(&app.db).await?;
    let xlsx = |e: rust_xlsxwriter::XlsxError| AppError::Internal(format!("XLSX: {e}"));
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Ф. 103").map_err(xlsx)?;
    let bold = Format::new().set_bold();
    ws.write_string_with_format(
        0,
        0,
        "Список внутренних почтовых отправлений (ф. 103)",
        &bold,
    )
    .map_err(xlsx)?;
    ws.write_string(1, 0, format!("Отправитель: {}, {}", org.name, org.address))
        .map_err(xlsx)?;
    for (c, h) in HEADERS.iter().enumerate() {
        ws.write_string_with_format(3, c as u16, *h, &bold)
            .map_err(xlsx)?;
    }
    for (i, l) in letters.iter().enumerate() {
        let r = 4 + i as u32;
        ws.write_number(r, 0, (i + 1) as f64).map_err(xlsx)?;
        ws.write_string(r, 1, &l.addressee).map_err(xlsx)?;
        ws.write_string(r, 2, &l.address).map_err(xlsx)?;
        ws.write_string(r, 6, &l.contents).map_err(xlsx)?;
    }
    ws.set_column_width(1, 36).map_err(xlsx)?;
    ws.set_column_width(2, 60).map_err(xlsx)?;
    ws.set_column_width(6, 50).map_err(xlsx)?;
    wb.save_to_buffer().map_err(xlsx)
}

/// A file for the post: its type, name and bytes.
pub struct MailingFile {
    pub mime: &'static str,
    pub file_name: String,
    pub bytes: Vec<u8>,
}

/// What the page and the API answer: `document_ids` «12,13,14», `format` `pdf` (all in one
/// PDF), `csv` or `xlsx` (form 103).
pub async fn file(
    app: &App,
    document_ids: &str,
    format: &str,
    actor: &Actor,
) -> Result<MailingFile, AppError> {
    let mut e = ValidationErrors::new();
    let ids: Vec<i64> = document_ids
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .filter_map(|s| {
            s.parse().ok().or_else(|| {
                e.add(
                    "document_ids",
                    format!("«{s}» не номер документа: перечислите номера через запятую."),
                );
                None
            })
        })
        .collect();
    if !["pdf", "csv", "xlsx"].contains(&format) {
        e.add(
            "format",
            "Формат: pdf (все одним файлом), csv или xlsx (список ф. 103).",
        );
    }
    e.into_result(()).map_err(AppError::Invalid)?;
    Ok(match format {
        "pdf" => MailingFile {
            mime: "application/pdf",
            file_name: "Уведомления для печати.pdf".into(),
            bytes: combined_pdf(app, &ids, actor).await?,
        },
        "csv" => MailingFile {
            mime: "text/csv; charset=utf-8",
            file_name: "Список ф. 103.csv".into(),
            bytes: letters_csv(&letters(app, &ids, actor).await?),
        },
        _ => MailingFile {
            mime: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            file_name: "Список ф. 103.xlsx".into(),
            bytes: letters_xlsx(app, &letters(app, &ids, actor).await?).await?,
        },
    })
}
