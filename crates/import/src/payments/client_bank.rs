//! 1С «ClientBankExchange» bank statements: the text file a bank-client exports for 1С.
//! Only documents credited to the organization's account are payments of residents.

use abonent_domain::money::parse_amount;
use chrono::NaiveDate;
use serde::Serialize;

use super::purpose::{account_in_purpose, period_in_purpose};
use super::register::{LineError, RegisterError};

/// One payment order from the statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BankDocument {
    /// Line of `СекцияДокумент`.
    pub line: usize,
    pub kind: String,
    pub number: String,
    pub date: NaiveDate,
    /// Kopecks.
    pub amount: i64,
    pub payer: String,
    pub payer_inn: String,
    pub payer_account: String,
    pub recipient_account: String,
    pub purpose: String,
    pub received_on: Option<NaiveDate>,
    /// The account number found in the purpose, if any.
    pub account: Option<String>,
    pub period: Option<(i32, u32)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClientBankStatement {
    pub encoding: &'static str,
    /// Documents credited to `our_account` (all documents when it is not given).
    pub documents: Vec<BankDocument>,
    /// Documents skipped because they were not credited to our account (our own payments).
    pub skipped: usize,
}

const MAX_DOCUMENTS: usize = 1_000_000;

/// A `СекцияДокумент` being read: where it started, its kind, its `key=value` lines.
struct OpenDocument {
    line: usize,
    kind: String,
    fields: Vec<(String, String)>,
}

/// Reads a statement; `our_account` is the organization's settlement account.
pub fn parse_client_bank(
    bytes: &[u8],
    our_account: Option<&str>,
) -> Result<ClientBankStatement, RegisterError> {
    let (text, encoding) = decode(bytes);
    let mut lines = text.lines().enumerate().map(|(i, l)| (i + 1, l.trim()));
    match lines.next() {
        Some((_, first)) if first.trim_start_matches('\u{feff}') == "1CClientBankExchange" => {}
        _ => {
            return Err(RegisterError::Lines {
                errors: vec![LineError {
                    line: 1,
                    message: "файл не начинается с «1CClientBankExchange»: это не выписка 1С. Выгрузите выписку из банк-клиента в формате 1С.".into(),
                }],
                more: 0,
            })
        }
    }
    let mut errors = Vec::new();
    let mut docs = Vec::new();
    let mut skipped = 0;
    let mut current: Option<OpenDocument> = None;
    for (n, line) in lines {
        if let Some(kind) = line.strip_prefix("СекцияДокумент=") {
            if let Some(open) = &current {
                errors.push(LineError {
                    line: open.line,
                    message: "документ не закрыт строкой «КонецДокумента».".into(),
                });
            }
            current = Some(OpenDocument {
                line: n,
                kind: kind.to_string(),
                fields: Vec::new(),
            });
        } else if line == "КонецДокумента" {
            match current.take() {
                Some(open) => match document(open.line, open.kind, &open.fields) {
                    Ok(d) => {
                        let ours = our_account.is_none_or(|a| d.recipient_account == a.trim());
                        if ours {
                            docs.push(d);
                        } else {
                            skipped += 1;
                        }
                    }
                    Err(message) => errors.push(LineError {
                        line: open.line,
                        message,
                    }),
                },
                None => errors.push(LineError {
                    line: n,
                    message: "«КонецДокумента» без «СекцияДокумент».".into(),
                }),
            }
        } else if let Some(open) = current.as_mut() {
            if let Some((k, v)) = line.split_once('=') {
                open.fields
                    .push((k.trim().to_string(), v.trim().to_string()));
            }
        }
        if docs.len() > MAX_DOCUMENTS {
            return Err(RegisterError::File(crate::ImportError::TooManyRows));
        }
    }
    if let Some(open) = current {
        errors.push(LineError {
            line: open.line,
            message: "документ не закрыт строкой «КонецДокумента»: файл, вероятно, обрезан.".into(),
        });
    }
    if !errors.is_empty() {
        let more = errors.len().saturating_sub(super::MAX_LINE_ERRORS);
        errors.truncate(super::MAX_LINE_ERRORS);
        return Err(RegisterError::Lines { errors, more });
    }
    if docs.is_empty() {
        return Err(RegisterError::Empty);
    }
    Ok(ClientBankStatement {
        encoding,
        documents: docs,
        skipped,
    })
}

/// UTF-8 when valid; otherwise the `Кодировка=` header decides: DOS is cp866, else 1251.
fn decode(bytes: &[u8]) -> (std::borrow::Cow<'_, str>, &'static str) {
    if let Ok(t) = std::str::from_utf8(bytes) {
        return (t.into(), "UTF-8");
    }
    let head = &bytes[..bytes.len().min(512)];
    let dos = head.windows(3).any(|w| w == b"DOS");
    if dos {
        (
            encoding_rs::IBM866.decode_without_bom_handling(bytes).0,
            "DOS (cp866)",
        )
    } else {
        (
            encoding_rs::WINDOWS_1251
                .decode_without_bom_handling(bytes)
                .0,
            "windows-1251",
        )
    }
}

fn document(
    line: usize,
    kind: String,
    fields: &[(String, String)],
) -> Result<BankDocument, String> {
    let get = |k: &str| {
        fields
            .iter()
            .find(|(key, _)| key == k)
            .map_or("", |(_, v)| v.as_str())
    };
    let date_of = |k: &str| NaiveDate::parse_from_str(get(k), "%d.%m.%Y");
    let date = date_of("Дата")
        .map_err(|_| format!("дата документа «{}» не в формате ДД.ММ.ГГГГ.", get("Дата")))?;
    let amount = parse_amount(get("Сумма"))
        .map_err(|e| format!("сумма «{}»: {}.", get("Сумма"), e.trim_end_matches('.')))?;
    if amount <= 0 {
        return Err(format!("сумма «{}» должна быть больше нуля.", get("Сумма")));
    }
    let payer = match get("Плательщик1") {
        "" => get("Плательщик"),
        p => p,
    };
    let purpose = get("НазначениеПлатежа").to_string();
    Ok(BankDocument {
        line,
        kind,
        number: get("Номер").to_string(),
        date,
        amount,
        payer: payer.to_string(),
        payer_inn: get("ПлательщикИНН").to_string(),
        payer_account: get("ПлательщикСчет").to_string(),
        recipient_account: get("ПолучательСчет").to_string(),
        received_on: date_of("ДатаПоступило").ok(),
        account: account_in_purpose(&purpose),
        period: period_in_purpose(&purpose),
        purpose,
    })
}
