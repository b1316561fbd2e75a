//! Where a value of a row comes from — its own column, the whole-address or full-name
//! column, or the import defaults — so an error names the column the user has to fix.

use crate::mapping::{ColumnMapping, RegistryField as F};
use crate::{RegistryDefaults, Row, RowError, Table};

/// The domain forms a row is checked with.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Form {
    Building,
    Premises,
    Account,
    Person,
    Link,
    Benefit,
}

impl Form {
    /// Domain form field → registry field, to name the column of a domain error.
    pub fn fields(self) -> &'static [(&'static str, F)] {
        FIELDS[self as usize]
    }
}

/// Indexed by `Form`.
const FIELDS: [&[(&str, F)]; 6] = [
    &[
        ("region", F::Region),
        ("city", F::City),
        ("street", F::Street),
        ("house", F::House),
        ("korpus", F::Korpus),
        ("stroenie", F::Stroenie),
    ],
    &[
        ("number", F::Flat),
        ("residential", F::Residential),
        ("area", F::Area),
        ("rooms", F::Rooms),
        ("entrance", F::Entrance),
        ("floor", F::Floor),
    ],
    &[("number", F::AccountNumber), ("opened_on", F::OpenedOn)],
    &[
        ("last_name", F::LastName),
        ("first_name", F::FirstName),
        ("middle_name", F::MiddleName),
        ("birth_date", F::BirthDate),
        ("phones", F::Phones),
        ("email", F::Email),
    ],
    &[("role", F::Role), ("share", F::Share)],
    &[
        ("category", F::BenefitCategory),
        ("document", F::BenefitDocument),
        ("from_date", F::BenefitFrom),
    ],
];

const ADDRESS_PARTS: [F; 7] = [
    F::Region,
    F::City,
    F::Street,
    F::House,
    F::Korpus,
    F::Stroenie,
    F::Flat,
];
const NAME_PARTS: [F; 3] = [F::LastName, F::FirstName, F::MiddleName];

pub(crate) struct Source<'a> {
    table: &'a Table,
    mapping: &'a ColumnMapping,
    pub defaults: &'a RegistryDefaults,
    row: &'a Row,
}

impl<'a> Source<'a> {
    pub fn new(
        table: &'a Table,
        mapping: &'a ColumnMapping,
        defaults: &'a RegistryDefaults,
        row: &'a Row,
    ) -> Self {
        Self {
            table,
            mapping,
            defaults,
            row,
        }
    }

    /// The non-blank cell of a field's own column.
    pub fn cell(&self, f: F) -> Option<&'a str> {
        let col = self.mapping.get(f)?;
        Some(self.row.cell(col).trim()).filter(|s| !s.is_empty())
    }

    /// The column header as the user sees it in the file, or the field's title.
    pub fn label(&self, f: F) -> String {
        self.mapping
            .get(f)
            .and_then(|c| self.table.headers.get(c))
            .filter(|h| !h.trim().is_empty())
            .map_or_else(|| f.title().to_string(), |h| h.trim().to_string())
    }

    /// Defaults that apply to this row (blank or missing region, city, opening date; the
    /// benefit start when there is no such column).
    pub fn defaults_for(&self, has_benefit: bool) -> Vec<(F, String)> {
        let d = self.defaults;
        let mut out = vec![
            (F::Region, d.region.trim()),
            (F::City, d.city.trim()),
            (F::OpenedOn, d.opened_on.trim()),
        ];
        if has_benefit && self.mapping.get(F::BenefitFrom).is_none() {
            out.push((F::BenefitFrom, d.opened_on.trim()));
        }
        out.into_iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(f, v)| (f, v.to_string()))
            .collect()
    }

    /// An error about `field`; `has_value` says whether the row had any value for it.
    pub fn error(&self, field: F, has_value: bool, domain_message: &str) -> RowError {
        let (column, message) = if has_value {
            self.bad_value(field, domain_message)
        } else {
            self.missing(field)
        };
        RowError {
            line: self.row.line,
            field: column.code().to_string(),
            message,
        }
    }

    fn bad_value(&self, field: F, msg: &str) -> (F, String) {
        for (col, applies) in [
            (field, true),
            (F::Address, ADDRESS_PARTS.contains(&field)),
            (F::FullName, NAME_PARTS.contains(&field)),
        ] {
            if applies && self.cell(col).is_some() {
                return (col, with_column(&self.label(col), msg));
            }
        }
        let hint = format!(
            "Значение по умолчанию из настроек импорта: {msg} Исправьте его или добавьте в файл колонку «{}».",
            field.title()
        );
        (field, hint)
    }

    fn missing(&self, field: F) -> (F, String) {
        let title = field.title();
        let mapped = |f: F| self.mapping.get(f).is_some();
        if mapped(field) {
            let label = self.label(field);
            return (
                field,
                format!("Не заполнена колонка «{label}». Заполните её."),
            );
        }
        if matches!(field, F::Region | F::City) {
            let hint = format!("Не указано «{title}»: добавьте такую колонку в файл или задайте значение по умолчанию в настройках импорта.");
            return (field, hint);
        }
        if ADDRESS_PARTS.contains(&field) && mapped(F::Address) {
            let label = self.label(F::Address);
            let hint = format!("Колонка «{label}»: в адресе не найдено «{title}». Запишите адрес полностью, например «г. Екатеринбург, ул. Ленина, д. 5, кв. 12».");
            return (F::Address, hint);
        }
        if NAME_PARTS.contains(&field) && mapped(F::FullName) {
            let label = self.label(F::FullName);
            let hint = format!("Колонка «{label}»: не найдено «{title}». Запишите фамилию, имя и отчество полностью, например «Иванов Пётр Сергеевич».");
            return (F::FullName, hint);
        }
        let hint = format!("Не указано «{title}»: добавьте в файл колонку «{title}».");
        (field, hint)
    }
}

/// «Поле «Открыт»: «31.02.2026» не дата» → «Колонка «Дата открытия»: «31.02.2026» не дата»:
/// the user knows the file's header, not the form's label.
fn with_column(label: &str, msg: &str) -> String {
    if let Some((_, rest)) = msg.strip_prefix("Поле «").and_then(|r| r.split_once('»')) {
        return format!("Колонка «{label}»{rest}");
    }
    format!("Колонка «{label}»: {msg}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domain_label_is_replaced_by_column() {
        assert_eq!(
            with_column("Дата открытия", "Поле «Открыт»: «x» не дата."),
            "Колонка «Дата открытия»: «x» не дата."
        );
        assert_eq!(
            with_column("ФИО", "Поле «Имя» может содержать только буквы."),
            "Колонка «ФИО» может содержать только буквы."
        );
        assert_eq!(
            with_column("Телефон", "Телефон «1» не распознан."),
            "Колонка «Телефон»: Телефон «1» не распознан."
        );
    }
}
