//! A bank register profile as a form: separator, encoding and formats from lists, each
//! column's number (counted from 1, as people count the columns of a file), the totals line.

use abonent_domain::ValidationErrors;
use abonent_import::payments::{PaymentField, PeriodFormat, RegisterProfile, TotalsLine};
use abonent_import::SourceEncoding;

use crate::forms::FormView;

pub const SEPARATORS: &[(&str, &str)] = &[
    (";", "точка с запятой «;»"),
    (",", "запятая «,»"),
    ("|", "вертикальная черта «|»"),
    ("tab", "табуляция"),
];

pub const ENCODINGS: &[(&str, &str)] = &[
    ("auto", "определить по файлу"),
    ("windows1251", "windows-1251"),
    ("utf8", "UTF-8"),
];

pub const DATE_FORMATS: &[(&str, &str)] = &[
    ("%d-%m-%Y", "ДД-ММ-ГГГГ (31-10-2026)"),
    ("%d.%m.%Y", "ДД.ММ.ГГГГ (31.10.2026)"),
    ("%d/%m/%Y", "ДД/ММ/ГГГГ (31/10/2026)"),
    ("%Y-%m-%d", "ГГГГ-ММ-ДД (2026-10-31)"),
    ("%d.%m.%y", "ДД.ММ.ГГ (31.10.26)"),
];

pub const TIME_FORMATS: &[(&str, &str)] = &[
    ("%H-%M-%S", "ЧЧ-ММ-СС (14-05-09)"),
    ("%H:%M:%S", "ЧЧ:ММ:СС (14:05:09)"),
    ("%H:%M", "ЧЧ:ММ (14:05)"),
];

pub const PERIOD_FORMATS: &[(&str, &str)] = &[
    ("mmyy", "ММГГ (1026)"),
    ("mm_yyyy", "ММ.ГГГГ (10.2026)"),
    ("yyyy_mm", "ГГГГ-ММ (2026-10)"),
];

/// Code of a payment field, as in the profile (`account`, `full_name`).
pub fn field_code(f: PaymentField) -> String {
    serde_json::to_value(f)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn code_of<T: serde::Serialize>(v: T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// The options of a list with the stored value added when it is not among them.
pub fn options(list: &[(&'static str, &'static str)], current: &str) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = list
        .iter()
        .map(|(c, t)| (c.to_string(), t.to_string()))
        .collect();
    if !current.is_empty() && !list.iter().any(|(c, _)| *c == current) {
        v.push((current.to_string(), current.to_string()));
    }
    v
}

/// The profile into the form's fields.
pub fn fill(f: &mut FormView, p: &RegisterProfile) {
    f.set("name", p.name.clone());
    f.set(
        "separator",
        match p.separator {
            '\t' => "tab".to_string(),
            c => c.to_string(),
        },
    );
    f.set(
        "encoding",
        p.encoding.map_or_else(|| "auto".to_string(), code_of),
    );
    f.set("skip_lines", p.skip_lines.to_string());
    for (field, col) in &p.columns {
        f.set(
            &format!("col.{}", field_code(*field)),
            (col + 1).to_string(),
        );
    }
    f.set("date_format", p.date_format.clone());
    f.set("time_format", p.time_format.clone());
    f.set("period_format", code_of(p.period_format));
    if let Some(t) = &p.totals {
        f.set("totals_on", "on");
        f.set("totals_prefix", t.prefix.clone());
        f.set("totals_count", (t.count + 1).to_string());
        f.set("totals_amount", (t.amount + 1).to_string());
        let opt = |c: Option<usize>| c.map(|c| (c + 1).to_string()).unwrap_or_default();
        f.set("totals_transfer", opt(t.transfer_amount));
        f.set("totals_commission", opt(t.commission));
    }
}

const MAX_COLUMN: usize = 200;

/// A column number typed by a person (from 1) as the profile's (from 0); blank is `None`.
fn column(f: &FormView, e: &mut ValidationErrors, name: &str, required: bool) -> Option<usize> {
    let v = f.v(name).trim();
    if v.is_empty() {
        if required {
            e.add(name, "Укажите номер столбца (считая с 1)");
        }
        return None;
    }
    match v.parse::<usize>() {
        Ok(n) if (1..=MAX_COLUMN).contains(&n) => Some(n - 1),
        _ => {
            e.add(
                name,
                format!("Номер столбца — целое число от 1 до {MAX_COLUMN}, а не «{v}»"),
            );
            None
        }
    }
}

/// The profile the form describes, or an error at each wrong input.
pub fn read(f: &FormView) -> Result<RegisterProfile, ValidationErrors> {
    let mut e = ValidationErrors::new();
    let name = f.v("name").trim().to_string();
    if name.is_empty() {
        e.add("name", "Укажите название: банк и вид реестра");
    }
    let separator = match f.v("separator") {
        "tab" => '\t',
        s if SEPARATORS.iter().any(|(c, _)| *c == s) => s.chars().next().unwrap_or(';'),
        _ => {
            e.add("separator", "Выберите разделитель из списка");
            ';'
        }
    };
    let encoding = match f.v("encoding") {
        "utf8" => Some(SourceEncoding::Utf8),
        "windows1251" => Some(SourceEncoding::Windows1251),
        "auto" | "" => None,
        _ => {
            e.add("encoding", "Выберите кодировку из списка");
            None
        }
    };
    let skip_lines = match f.v("skip_lines").trim() {
        "" => 0,
        v => v
            .parse::<usize>()
            .ok()
            .filter(|n| *n <= 100)
            .unwrap_or_else(|| {
                e.add("skip_lines", "Строк заголовка — целое число от 0 до 100");
                0
            }),
    };
    let mut columns: Vec<(PaymentField, usize)> = Vec::new();
    for field in PaymentField::ALL {
        let name = format!("col.{}", field_code(field));
        let required = matches!(
            field,
            PaymentField::Date | PaymentField::Account | PaymentField::Amount
        );
        if let Some(c) = column(f, &mut e, &name, required) {
            if let Some((other, _)) = columns.iter().find(|(_, x)| *x == c) {
                e.add(
                    &name,
                    format!("Столбец {} уже указан для поля «{}»", c + 1, other.title()),
                );
            }
            columns.push((field, c));
        }
    }
    let date_format = f.v("date_format").trim().to_string();
    if date_format.is_empty() {
        e.add("date_format", "Выберите формат даты");
    }
    let period_format = match f.v("period_format") {
        "mm_yyyy" => PeriodFormat::MmYyyy,
        "yyyy_mm" => PeriodFormat::YyyyMm,
        _ => PeriodFormat::Mmyy,
    };
    let totals = if f.checked("totals_on") {
        let prefix = f.v("totals_prefix").trim().to_string();
        if prefix.is_empty() {
            e.add(
                "totals_prefix",
                "Укажите, с чего начинается итоговая строка, например «=»",
            );
        }
        let count = column(f, &mut e, "totals_count", true);
        let amount = column(f, &mut e, "totals_amount", true);
        let transfer_amount = column(f, &mut e, "totals_transfer", false);
        let commission = column(f, &mut e, "totals_commission", false);
        Some(TotalsLine {
            prefix,
            count: count.unwrap_or(0),
            amount: amount.unwrap_or(0),
            transfer_amount,
            commission,
        })
    } else {
        None
    };
    let p = RegisterProfile {
        name,
        separator,
        encoding,
        skip_lines,
        columns,
        date_format,
        time_format: f.v("time_format").trim().to_string(),
        period_format,
        totals,
    };
    if e.is_empty() {
        for m in p.problems() {
            e.add("profile", m);
        }
    }
    e.into_result(p)
}

/// One column input of the form: field code, Russian title, whether required.
pub struct ColumnInput {
    pub code: String,
    pub title: &'static str,
    pub required: bool,
}

pub fn column_inputs() -> Vec<ColumnInput> {
    PaymentField::ALL
        .into_iter()
        .map(|f| ColumnInput {
            code: format!("col.{}", field_code(f)),
            title: f.title(),
            required: matches!(
                f,
                PaymentField::Date | PaymentField::Account | PaymentField::Amount
            ),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_common_profile_round_trips() {
        let p = RegisterProfile::common();
        let mut f = FormView::default();
        fill(&mut f, &p);
        assert_eq!(f.v("col.account"), "6");
        assert_eq!(read(&f).unwrap(), p);
    }

    #[test]
    fn a_column_twice_and_a_missing_amount_are_named() {
        let mut f = FormView::default();
        fill(&mut f, &RegisterProfile::common());
        f.set("col.full_name", "6");
        f.set("col.amount", "");
        let e = read(&f).unwrap_err();
        let fields: Vec<_> = e.0.iter().map(|x| x.field.as_str()).collect();
        assert!(fields.contains(&"col.full_name"), "{e:?}");
        assert!(fields.contains(&"col.amount"), "{e:?}");
    }
}
