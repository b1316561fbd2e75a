//! A bank payment register, line by line: each payment checked and handed to the caller,
//! every bad line collected with its number and reason, the totals line compared at the end.

use std::borrow::Cow;

use abonent_domain::money::{format_amount, parse_amount};
use chrono::{NaiveDate, NaiveTime};
use serde::Serialize;

use super::profile::{PaymentField, PeriodFormat, RegisterProfile};
use crate::{encoding, ImportError, SourceEncoding, MAX_BYTES, MAX_ROWS};

/// Bad lines reported in full; beyond that only counted (the file is rejected anyway).
pub const MAX_LINE_ERRORS: usize = 200;

/// One payment as the bank listed it. Money in kopecks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RegisterPayment {
    /// 1-based line in the file.
    pub line: usize,
    pub paid_on: NaiveDate,
    pub paid_at: Option<NaiveTime>,
    pub branch: String,
    pub cashier: String,
    /// The bank's operation number: with the date, what makes a payment unique.
    pub operation_id: String,
    pub account: String,
    pub full_name: String,
    pub address: String,
    /// Paid period (year, month) when the register gives it.
    pub period: Option<(i32, u32)>,
    pub amount: i64,
    pub transfer_amount: Option<i64>,
    pub commission: Option<i64>,
}

/// A line that could not be read, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LineError {
    pub line: usize,
    pub message: String,
}

/// What a register held, once every line passed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RegisterSummary {
    pub encoding: Option<SourceEncoding>,
    pub count: usize,
    pub amount: i64,
    pub transfer_amount: i64,
    pub commission: i64,
    /// Whether a totals line was found and matched.
    pub totals_checked: bool,
}

/// Why a register was rejected whole. Messages are Russian and name the line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RegisterError {
    #[error("Профиль реестра не годится: {}", .0.join(" "))]
    Profile(Vec<String>),
    #[error("{0}")]
    File(ImportError),
    #[error("В реестре нет ни одного платежа.")]
    Empty,
    #[error("{}", lines_message(.errors, *.more))]
    Lines { errors: Vec<LineError>, more: usize },
    #[error("Строка {line}: итоги не сходятся с платежами — {}. Реестр не загружен: запросите у банка исправленный файл.", .problems.join("; "))]
    Totals { line: usize, problems: Vec<String> },
    #[error("В реестре нет итоговой строки (начинается с «{prefix}»): файл, вероятно, обрезан. Запросите у банка полный файл.")]
    NoTotals { prefix: String },
}

fn lines_message(errors: &[LineError], more: usize) -> String {
    let n = errors.len() + more;
    let mut s = format!(
        "Реестр не загружен: ошибки в {} {}. ",
        abonent_domain::money::format_count(n as i64),
        abonent_domain::money::plural(n as u64, ["строке", "строках", "строках"])
    );
    for e in errors.iter().take(5) {
        s.push_str(&format!("Строка {}: {} ", e.line, e.message));
    }
    s.trim_end().to_string()
}

/// A bank register is read line by line as it streams, so it may be larger than a table.
pub const MAX_REGISTER_BYTES: usize = MAX_BYTES * 4;

/// Reads a register with `profile`, calling `on_payment` for each good payment in file order.
/// Returns an error — and the caller must then discard what it received — when any line is
/// bad, the totals disagree or the file cannot be read.
pub fn parse_register(
    bytes: &[u8],
    profile: &RegisterProfile,
    mut on_payment: impl FnMut(RegisterPayment),
) -> Result<RegisterSummary, RegisterError> {
    let problems = profile.problems();
    if !problems.is_empty() {
        return Err(RegisterError::Profile(problems));
    }
    if bytes.len() > MAX_REGISTER_BYTES {
        return Err(RegisterError::File(ImportError::TooLarge {
            bytes: bytes.len(),
        }));
    }
    let enc = match profile.encoding {
        Some(e) => e,
        None => detect(bytes).map_err(RegisterError::File)?,
    };
    let mut sum = RegisterSummary {
        encoding: Some(enc),
        ..Default::default()
    };
    let mut errors = Vec::new();
    let mut more = 0usize;
    let fail = |errors: &mut Vec<LineError>, more: &mut usize, line: usize, message: String| {
        if errors.len() < MAX_LINE_ERRORS {
            errors.push(LineError { line, message });
        } else {
            *more += 1;
        }
    };
    let mut totals_seen = false;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    for (i, raw) in bytes.split(|&b| b == b'\n').enumerate() {
        let n = i + 1;
        let text = match decode_line(raw, enc) {
            Ok(t) => t,
            Err(m) => {
                fail(&mut errors, &mut more, n, m);
                continue;
            }
        };
        let text = text.trim();
        if n <= profile.skip_lines || text.is_empty() {
            continue;
        }
        if totals_seen {
            fail(
                &mut errors,
                &mut more,
                n,
                "после итоговой строки не должно быть платежей.".into(),
            );
            continue;
        }
        if let Some(t) = profile
            .totals
            .as_ref()
            .filter(|t| text.starts_with(&t.prefix))
        {
            totals_seen = true;
            let rest = &text[t.prefix.len()..];
            if let Err(problems) = check_totals(rest, profile, &sum) {
                if errors.is_empty() {
                    return Err(RegisterError::Totals { line: n, problems });
                }
            }
            sum.totals_checked = true;
            continue;
        }
        if sum.count >= MAX_ROWS {
            return Err(RegisterError::File(ImportError::TooManyRows));
        }
        match payment(n, text, profile) {
            Ok(p) => {
                sum.count += 1;
                sum.amount = sum.amount.saturating_add(p.amount);
                sum.transfer_amount = sum
                    .transfer_amount
                    .saturating_add(p.transfer_amount.unwrap_or(0));
                sum.commission = sum.commission.saturating_add(p.commission.unwrap_or(0));
                if errors.is_empty() {
                    on_payment(p);
                }
            }
            Err(m) => fail(&mut errors, &mut more, n, m),
        }
    }
    if !errors.is_empty() {
        return Err(RegisterError::Lines { errors, more });
    }
    if let Some(t) = &profile.totals {
        if !totals_seen {
            return Err(RegisterError::NoTotals {
                prefix: t.prefix.clone(),
            });
        }
    }
    if sum.count == 0 {
        return Err(RegisterError::Empty);
    }
    Ok(sum)
}

/// UTF-8 or windows-1251, judged on the first 64 KB cut at a line end.
fn detect(bytes: &[u8]) -> Result<SourceEncoding, ImportError> {
    let mut end = bytes.len().min(64 * 1024);
    if end < bytes.len() {
        end = bytes[..end]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(end, |p| p + 1);
    }
    encoding::decode(&bytes[..end]).map(|(_, e)| e)
}

fn decode_line(raw: &[u8], enc: SourceEncoding) -> Result<Cow<'_, str>, String> {
    match enc {
        SourceEncoding::Windows1251 => {
            Ok(encoding_rs::WINDOWS_1251.decode_without_bom_handling(raw).0)
        }
        _ => std::str::from_utf8(raw).map(Cow::Borrowed).map_err(|_| {
            "повреждённые символы UTF-8: пересохраните файл в UTF-8 или windows-1251.".to_string()
        }),
    }
}

fn cell<'a>(cells: &[&'a str], profile: &RegisterProfile, f: PaymentField) -> &'a str {
    profile
        .column(f)
        .and_then(|c| cells.get(c))
        .map_or("", |s| s.trim())
}

fn payment(line: usize, text: &str, profile: &RegisterProfile) -> Result<RegisterPayment, String> {
    let cells: Vec<&str> = text.split(profile.separator).collect();
    let need = profile
        .columns
        .iter()
        .map(|(_, c)| c + 1)
        .max()
        .unwrap_or(0);
    if cells.len() < need {
        return Err(format!(
            "{} пол{} вместо {need}: проверьте разделитель «{}» в профиле банка.",
            cells.len(),
            if cells.len() == 1 { "е" } else { "ей" },
            profile.separator
        ));
    }
    let get = |f| cell(&cells, profile, f);
    let date_s = get(PaymentField::Date);
    let paid_on = NaiveDate::parse_from_str(date_s, &profile.date_format).map_err(|_| {
        format!(
            "дата «{date_s}» не по формату {} профиля банка.",
            human_format(&profile.date_format)
        )
    })?;
    let paid_at = match get(PaymentField::Time) {
        "" => None,
        t => Some(
            NaiveTime::parse_from_str(t, &profile.time_format).map_err(|_| {
                format!(
                    "время «{t}» не по формату {} профиля банка.",
                    human_format(&profile.time_format)
                )
            })?,
        ),
    };
    let account = get(PaymentField::Account);
    if account.is_empty() {
        return Err("не указан лицевой счёт.".into());
    }
    let money = |f: PaymentField, required: bool| -> Result<Option<i64>, String> {
        let v = get(f);
        if v.is_empty() && !required {
            return Ok(None);
        }
        parse_amount(v)
            .map(Some)
            .map_err(|e| format!("{} «{v}»: {}.", f.title(), e.trim_end_matches('.')))
    };
    let amount = money(PaymentField::Amount, true)?.unwrap_or(0);
    if amount <= 0 {
        return Err(format!(
            "сумма {} — платёж должен быть больше нуля.",
            format_amount(amount)
        ));
    }
    let period = match get(PaymentField::Period) {
        "" => None,
        p => Some(parse_period(p, profile.period_format).ok_or_else(|| {
            format!(
                "период «{p}» не по формату профиля ({}).",
                period_hint(profile.period_format)
            )
        })?),
    };
    Ok(RegisterPayment {
        line,
        paid_on,
        paid_at,
        branch: get(PaymentField::Branch).to_string(),
        cashier: get(PaymentField::Cashier).to_string(),
        operation_id: get(PaymentField::OperationId).to_string(),
        account: account.to_string(),
        full_name: get(PaymentField::FullName).to_string(),
        address: get(PaymentField::Address).to_string(),
        period,
        amount,
        transfer_amount: money(PaymentField::TransferAmount, false)?,
        commission: money(PaymentField::Commission, false)?,
    })
}

fn check_totals(
    rest: &str,
    profile: &RegisterProfile,
    sum: &RegisterSummary,
) -> Result<(), Vec<String>> {
    let Some(t) = &profile.totals else {
        return Ok(());
    };
    let cells: Vec<&str> = rest.split(profile.separator).map(str::trim).collect();
    let mut problems = Vec::new();
    let at = |c: usize| cells.get(c).copied().unwrap_or("");
    match at(t.count).parse::<usize>() {
        Ok(c) if c == sum.count => {}
        Ok(c) => problems.push(format!("платежей в итоге {c}, в файле {}", sum.count)),
        Err(_) => problems.push(format!("количество «{}» не число", at(t.count))),
    }
    let mut money = |col: Option<usize>, what: &str, actual: i64| {
        let Some(col) = col else { return };
        match parse_amount(at(col)) {
            Ok(v) if v == actual => {}
            Ok(v) => problems.push(format!(
                "{what} в итоге {}, по строкам {}",
                format_amount(v),
                format_amount(actual)
            )),
            Err(_) => problems.push(format!("{what} «{}» не сумма", at(col))),
        }
    };
    money(Some(t.amount), "сумма", sum.amount);
    money(t.transfer_amount, "сумма перевода", sum.transfer_amount);
    money(t.commission, "комиссия", sum.commission);
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// `1026` (MMYY), `10.2026`, `10/2026`, `2026-10`.
fn parse_period(s: &str, f: PeriodFormat) -> Option<(i32, u32)> {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let (y, m) = match f {
        PeriodFormat::Mmyy if s.len() == 4 && digits(s) => {
            (2000 + s[2..].parse::<i32>().ok()?, s[..2].parse().ok()?)
        }
        PeriodFormat::MmYyyy => {
            let (m, y) = s.split_once(['.', '/'])?;
            if !(digits(m) && digits(y) && y.len() == 4) {
                return None;
            }
            (y.parse().ok()?, m.parse().ok()?)
        }
        PeriodFormat::YyyyMm => {
            let (y, m) = s.split_once('-')?;
            if !(digits(m) && digits(y) && y.len() == 4) {
                return None;
            }
            (y.parse().ok()?, m.parse().ok()?)
        }
        PeriodFormat::Mmyy => return None,
    };
    (1..=12).contains(&m).then_some((y, m))
}

fn period_hint(f: PeriodFormat) -> &'static str {
    match f {
        PeriodFormat::Mmyy => "ММГГ, например 1026",
        PeriodFormat::MmYyyy => "ММ.ГГГГ, например 10.2026",
        PeriodFormat::YyyyMm => "ГГГГ-ММ, например 2026-10",
    }
}

/// `%d-%m-%Y` → `ДД-ММ-ГГГГ`.
fn human_format(f: &str) -> String {
    f.replace("%d", "ДД")
        .replace("%m", "ММ")
        .replace("%Y", "ГГГГ")
        .replace("%y", "ГГ")
        .replace("%H", "ЧЧ")
        .replace("%M", "ММ")
        .replace("%S", "СС")
}
