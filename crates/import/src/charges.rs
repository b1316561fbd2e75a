//! Charges from the billing system (CSV or XLSX): one line per account, period and service,
//! with volume, tariff and unit when the file has them; recalculations as signed lines with a
//! reason; opening balances for a company that starts mid-life. Every bad line is reported.

use std::collections::BTreeMap;

use abonent_domain::ledger::Period;
use abonent_domain::money::parse_amount;
use abonent_domain::text::fold;
use serde::{Deserialize, Serialize};

use crate::guess::normalize;
use crate::{RowError, Table};

/// A service a charges file may name: its code, its title and the words the administrator
/// gave it (reference data in storage; nothing here is compiled in).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServiceName {
    pub code: String,
    pub title: String,
    pub names: Vec<String>,
}

/// The service code for a cell: a code (`cold_water`), a title («Отопление») or one of the
/// service's words contained in the cell (`ХВС`, «Холодная вода» for «холодн»).
pub fn service_code<'a>(cell: &str, catalog: &'a [ServiceName]) -> Option<&'a str> {
    let f = normalize(cell);
    if f.is_empty() {
        return None;
    }
    let code = cell.trim().to_ascii_lowercase();
    let by_code = catalog.iter().find(|s| s.code == code);
    let by_title = || catalog.iter().find(|s| normalize(&s.title) == f);
    let by_word = || {
        catalog.iter().find(|s| {
            s.names
                .iter()
                .map(|w| normalize(w))
                .any(|w| !w.is_empty() && f.contains(&w))
        })
    };
    by_code
        .or_else(by_title)
        .or_else(by_word)
        .map(|s| s.code.as_str())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChargeField {
    AccountNumber,
    Period,
    Service,
    Amount,
    Volume,
    Tariff,
    Unit,
    /// Charge, recalculation (a flag «да» works too) or opening balance.
    Kind,
    Reason,
}

impl ChargeField {
    pub const ALL: [ChargeField; 9] = [
        ChargeField::AccountNumber,
        ChargeField::Period,
        ChargeField::Service,
        ChargeField::Amount,
        ChargeField::Volume,
        ChargeField::Tariff,
        ChargeField::Unit,
        ChargeField::Kind,
        ChargeField::Reason,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ChargeField::AccountNumber => "account_number",
            ChargeField::Period => "period",
            ChargeField::Service => "service",
            ChargeField::Amount => "amount",
            ChargeField::Volume => "volume",
            ChargeField::Tariff => "tariff",
            ChargeField::Unit => "unit",
            ChargeField::Kind => "kind",
            ChargeField::Reason => "reason",
        }
    }

    pub fn from_code(code: &str) -> Option<ChargeField> {
        Self::ALL.into_iter().find(|f| f.code() == code)
    }

    pub fn title(self) -> &'static str {
        match self {
            ChargeField::AccountNumber => "Лицевой счёт",
            ChargeField::Period => "Период (ГГГГ-ММ, ММ.ГГГГ)",
            ChargeField::Service => "Услуга",
            ChargeField::Amount => "Сумма",
            ChargeField::Volume => "Объём",
            ChargeField::Tariff => "Тариф",
            ChargeField::Unit => "Единица",
            ChargeField::Kind => "Вид строки (начисление / перерасчёт / сальдо)",
            ChargeField::Reason => "Причина перерасчёта",
        }
    }

    fn guesses(self) -> &'static [&'static str] {
        match self {
            ChargeField::AccountNumber => &["лс", "л с", "лицевой счет", "номер лс", "счет"],
            ChargeField::Period => &["период", "месяц", "расчетный период"],
            ChargeField::Service => &["услуга", "наименование услуги", "вид услуги"],
            ChargeField::Amount => &["сумма", "начислено", "к оплате", "сумма начисления"],
            ChargeField::Volume => &["объем", "количество", "кол во", "потребление"],
            ChargeField::Tariff => &["тариф", "цена", "ставка"],
            ChargeField::Unit => &["единица", "ед", "ед изм", "единица измерения"],
            ChargeField::Kind => &["вид", "тип", "вид строки", "перерасчет", "признак"],
            ChargeField::Reason => &["причина", "основание", "комментарий", "примечание"],
        }
    }
}

/// Field → 0-based column, saved per company (`{"account_number": 0, "period": 1}`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ChargeMapping(pub BTreeMap<ChargeField, usize>);

impl ChargeMapping {
    pub fn get(&self, f: ChargeField) -> Option<usize> {
        self.0.get(&f).copied()
    }

    /// One field per column: a column taken by another field is freed.
    pub fn set(&mut self, f: ChargeField, col: usize) {
        self.0.retain(|_, c| *c != col);
        self.0.insert(f, col);
    }

    pub fn field_of(&self, col: usize) -> Option<ChargeField> {
        self.0.iter().find(|(_, c)| **c == col).map(|(f, _)| *f)
    }

    /// Exact header names first, then a header that starts with one of them.
    pub fn guess(headers: &[String]) -> ChargeMapping {
        let norm: Vec<String> = headers.iter().map(|h| normalize(h)).collect();
        let mut m = ChargeMapping::default();
        for exact in [true, false] {
            for f in ChargeField::ALL {
                if m.get(f).is_some() {
                    continue;
                }
                let hit = norm.iter().enumerate().find(|(i, h)| {
                    m.field_of(*i).is_none()
                        && f.guesses()
                            .iter()
                            .any(|g| if exact { *h == g } else { h.starts_with(g) })
                });
                if let Some((i, _)) = hit {
                    m.0.insert(f, i);
                }
            }
        }
        m
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChargeKind {
    Charge,
    Recalculation,
    Opening,
}

/// One good line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChargeRow {
    pub line: usize,
    pub account_number: String,
    pub period: Period,
    /// A code of [`SERVICES`]; `None` for an opening balance kept as one sum.
    pub service: Option<String>,
    /// Kopecks; negative only for a recalculation or an advance.
    pub amount: i64,
    pub volume: Option<String>,
    pub tariff: Option<String>,
    pub unit: Option<String>,
    pub kind: ChargeKind,
    pub reason: Option<String>,
}

#[derive(Debug, Clone)]
pub struct ChargesImport {
    pub rows: Vec<ChargeRow>,
    /// Sorted by line.
    pub errors: Vec<RowError>,
    pub total_rows: usize,
}

fn err(line: usize, f: ChargeField, message: String) -> RowError {
    RowError {
        line,
        field: f.code().into(),
        message: format!("Строка {line}: {message}"),
    }
}

/// `2026-10`, `10.2026`, `10/2026`, `01.10.2026` (a date means its month), «октябрь 2026».
pub fn parse_period(s: &str) -> Option<Period> {
    let s = s.trim();
    if let Some(p) = Period::parse(s) {
        return Some(p);
    }
    if let Ok(d) = chrono::NaiveDate::parse_from_str(s, "%d.%m.%Y") {
        return Some(Period::of(d));
    }
    if let Some((m, y)) = s.split_once(['.', '/']) {
        if y.len() == 4 {
            return Period::new(y.parse().ok()?, m.parse().ok()?);
        }
    }
    let (y, m) = crate::payments::period_in_purpose(s)?;
    Period::new(y, m)
}

/// A decimal as the file writes it (`12,345` or `12.345`), normalised to `12.345`.
fn decimal(line: usize, f: ChargeField, v: &str) -> Result<Option<String>, RowError> {
    let v = v.trim().replace([' ', '\u{a0}'], "");
    if v.is_empty() {
        return Ok(None);
    }
    let d = v.replace(',', ".");
    let ok = d.parse::<f64>().is_ok_and(f64::is_finite)
        && d.chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == '-');
    if ok {
        Ok(Some(d))
    } else {
        Err(err(
            line,
            f,
            format!(
                "{} «{v}» — не число. Пишите цифры и запятую, например 12,345.",
                f.title()
            ),
        ))
    }
}

fn kind_of(v: &str) -> Option<ChargeKind> {
    let f = fold(v.trim());
    let f = f.trim();
    if f.is_empty() || ["нет", "0", "н", "false", "начисление", "charge"].contains(&f)
    {
        return Some(ChargeKind::Charge);
    }
    if f.starts_with("начисл") {
        Some(ChargeKind::Charge)
    } else if f.starts_with("перерасч")
        || f.starts_with("коррект")
        || ["да", "1", "д", "true", "recalculation"].contains(&f)
    {
        Some(ChargeKind::Recalculation)
    } else if f.contains("сальдо") || f.starts_with("долг на") || f == "opening" {
        Some(ChargeKind::Opening)
    } else {
        None
    }
}

/// Checks the mapping, then every row. Rows with errors are left out of `rows`.
pub fn map_charges(
    table: &Table,
    mapping: &ChargeMapping,
    services: &[ServiceName],
) -> ChargesImport {
    let mut out = ChargesImport {
        rows: Vec::new(),
        errors: Vec::new(),
        total_rows: table.rows.len(),
    };
    let head = table.header_line;
    for f in [
        ChargeField::AccountNumber,
        ChargeField::Period,
        ChargeField::Amount,
    ] {
        if mapping.get(f).is_none() {
            out.errors.push(RowError {
                line: head,
                field: f.code().into(),
                message: format!(
                    "Не найдена колонка «{}». Укажите её при сопоставлении колонок.",
                    f.title()
                ),
            });
        }
    }
    for (f, col) in &mapping.0 {
        if *col >= table.headers.len() {
            out.errors.push(RowError {
                line: head,
                field: f.code().into(),
                message: format!(
                    "Поле «{}» сопоставлено с колонкой №{}, а в файле всего {}.",
                    f.title(),
                    col + 1,
                    abonent_domain::money::counted(
                        table.headers.len() as i64,
                        crate::mapping::COLUMN_NOUN
                    )
                ),
            });
        }
    }
    if !out.errors.is_empty() {
        return out;
    }
    for row in &table.rows {
        match map_row(row, mapping, services) {
            Ok(r) => out.rows.push(r),
            Err(e) => out.errors.extend(e),
        }
    }
    out
}

fn map_row(
    row: &crate::Row,
    m: &ChargeMapping,
    services: &[ServiceName],
) -> Result<ChargeRow, Vec<RowError>> {
    let line = row.line;
    let get = |f: ChargeField| m.get(f).map_or("", |c| row.cell(c).trim());
    let mut errors = Vec::new();
    let account = get(ChargeField::AccountNumber).to_uppercase();
    if account.is_empty() {
        errors.push(err(
            line,
            ChargeField::AccountNumber,
            "не указан лицевой счёт.".into(),
        ));
    }
    let period = match parse_period(get(ChargeField::Period)) {
        Some(p) => Some(p),
        None => {
            errors.push(err(
                line,
                ChargeField::Period,
                format!(
                    "период «{}» не распознан: пишите 2026-10 или 10.2026.",
                    get(ChargeField::Period)
                ),
            ));
            None
        }
    };
    let kind = match kind_of(get(ChargeField::Kind)) {
        Some(k) => Some(k),
        None => {
            errors.push(err(
                line,
                ChargeField::Kind,
                format!(
                    "вид строки «{}» не распознан: начисление, перерасчёт или входящее сальдо.",
                    get(ChargeField::Kind)
                ),
            ));
            None
        }
    };
    let amount_text = get(ChargeField::Amount);
    let amount = match parse_amount(amount_text) {
        Ok(a) => Some(a),
        Err(e) => {
            errors.push(err(
                line,
                ChargeField::Amount,
                format!("сумма «{amount_text}»: {}.", e.trim_end_matches('.')),
            ));
            None
        }
    };
    let service_text = get(ChargeField::Service);
    let service = match (service_text.is_empty(), kind) {
        (true, Some(ChargeKind::Opening)) => None,
        (true, _) => {
            errors.push(err(line, ChargeField::Service, "не указана услуга.".into()));
            None
        }
        (false, _) => match service_code(service_text, services) {
            Some(c) => Some(c.to_string()),
            None => {
                errors.push(err(
                    line,
                    ChargeField::Service,
                    format!(
                        "услуга «{service_text}» не распознана. Известны: {}.",
                        services
                            .iter()
                            .map(|s| s.title.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
                None
            }
        },
    };
    let reason = Some(get(ChargeField::Reason).to_string()).filter(|r| !r.is_empty());
    if let (Some(a), Some(k)) = (amount, kind) {
        if k == ChargeKind::Charge && a < 0 {
            errors.push(err(
                line,
                ChargeField::Amount,
                format!(
                    "начисление не может быть отрицательным ({amount_text}). Уменьшение начисления — перерасчёт с причиной."
                ),
            ));
        }
        if k == ChargeKind::Recalculation && reason.is_none() {
            errors.push(err(
                line,
                ChargeField::Reason,
                "у перерасчёта должна быть причина.".into(),
            ));
        }
        if a == 0 && k != ChargeKind::Opening {
            errors.push(err(
                line,
                ChargeField::Amount,
                "сумма равна нулю: уберите строку.".into(),
            ));
        }
    }
    let volume = decimal(line, ChargeField::Volume, get(ChargeField::Volume));
    let tariff = decimal(line, ChargeField::Tariff, get(ChargeField::Tariff));
    let (volume, tariff) = match (volume, tariff) {
        (Ok(v), Ok(t)) => (v, t),
        (v, t) => {
            errors.extend(v.err());
            errors.extend(t.err());
            (None, None)
        }
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(ChargeRow {
        line,
        account_number: account,
        period: period.unwrap_or(Period {
            year: 2000,
            month: 1,
        }),
        service,
        amount: amount.unwrap_or(0),
        volume,
        tariff,
        unit: Some(get(ChargeField::Unit).to_string()).filter(|u| !u.is_empty()),
        kind: kind.unwrap_or(ChargeKind::Charge),
        reason,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read_table;

    /// A catalogue as an administrator might keep it.
    fn catalog() -> Vec<ServiceName> {
        let s = |code: &str, title: &str, names: &[&str]| ServiceName {
            code: code.into(),
            title: title.into(),
            names: names.iter().map(|n| n.to_string()).collect(),
        };
        vec![
            s("cold_water", "Холодное водоснабжение", &["хвс", "холодн"]),
            s("hot_water", "Горячее водоснабжение", &["гвс", "горяч"]),
            s("heating", "Отопление", &["отоплен"]),
            s("waste", "Обращение с ТКО", &["тко"]),
            s(
                "capital_repair",
                "Взнос на капитальный ремонт",
                &["капремонт"],
            ),
        ]
    }

    #[test]
    fn services_by_code_title_and_words() {
        let c = catalog();
        let code = |cell| service_code(cell, &c);
        assert_eq!(code("ХВС"), Some("cold_water"));
        assert_eq!(code("Горячее водоснабжение"), Some("hot_water"));
        assert_eq!(code("heating"), Some("heating"));
        assert_eq!(code("Отопление"), Some("heating"));
        assert_eq!(code("Вывоз ТКО"), Some("waste"));
        assert_eq!(code("Взнос на капремонт"), Some("capital_repair"));
        assert_eq!(code("Домофон"), None);
        // A service the administrator added is recognised by its title and its words.
        let mut c = catalog();
        c.push(ServiceName {
            code: "intercom".into(),
            title: "Домофон".into(),
            names: vec!["запирающее устройство".into()],
        });
        assert_eq!(service_code("Домофон", &c), Some("intercom"));
        assert_eq!(
            service_code("Обслуживание запирающего устройства", &c),
            None,
            "words are matched as given"
        );
        assert_eq!(service_code("Запирающее устройство", &c), Some("intercom"));
    }

    #[test]
    fn periods() {
        let p = |s| parse_period(s).map(|p| p.to_string());
        assert_eq!(p("2026-10").as_deref(), Some("2026-10"));
        assert_eq!(p("10.2026").as_deref(), Some("2026-10"));
        assert_eq!(p("01.10.2026").as_deref(), Some("2026-10"));
        assert_eq!(p("октябрь 2026").as_deref(), Some("2026-10"));
        assert_eq!(p("13.2026"), None);
    }

    #[test]
    fn rows_and_errors() {
        let csv = "ЛС;Период;Услуга;Объём;Тариф;Ед.;Сумма;Вид;Причина\n\
                   100001;2026-10;ХВС;3,5;45,67;м3;159,85;;\n\
                   100001;2026-10;ХВС;;;;-20,00;перерасчёт;Показания счётчика\n\
                   100002;2026-09;;;;;1 500,00;входящее сальдо;\n\
                   100003;2026-10;Отопление;;;;1 234,5o;;\n\
                   100004;2026-10;Отопление;;;;-5,00;;\n\
                   100005;2026-10;Отопление;;;;5,00;перерасчёт;\n";
        let t = read_table(csv.as_bytes()).unwrap();
        let m = ChargeMapping::guess(&t.headers);
        assert_eq!(m.get(ChargeField::Unit), Some(5));
        assert_eq!(m.get(ChargeField::Kind), Some(7));
        let r = map_charges(&t, &m, &catalog());
        assert_eq!(r.rows.len(), 3, "{:?}", r.errors);
        assert_eq!(r.rows[0].amount, 15985);
        assert_eq!(r.rows[0].volume.as_deref(), Some("3.5"));
        assert_eq!(r.rows[1].kind, ChargeKind::Recalculation);
        assert_eq!(r.rows[2].kind, ChargeKind::Opening);
        assert_eq!(r.rows[2].service, None);
        let lines: Vec<(usize, &str)> = r
            .errors
            .iter()
            .map(|e| (e.line, e.field.as_str()))
            .collect();
        assert_eq!(lines, vec![(5, "amount"), (6, "amount"), (7, "reason")]);
        assert!(
            r.errors[0].message.contains("1 234,5o"),
            "{}",
            r.errors[0].message
        );
        assert!(r.errors[0].message.starts_with("Строка 5"));
    }

    #[test]
    fn missing_columns_named() {
        let t = read_table("Счёт;Сумма\n1;2\n".as_bytes()).unwrap();
        let r = map_charges(&t, &ChargeMapping::guess(&t.headers), &catalog());
        assert!(r.errors.iter().any(|e| e.field == "period"));
        assert!(r.rows.is_empty());
    }
}
