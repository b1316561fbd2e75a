//! A service charges are made for, as the administrator enters it: code, title, kind (the
//! kind decides the penalty rule of capital repair, ЖК ст. 155 ч. 14.1), whether it may be
//! limited or suspended for a debt (ПП 354 п. 117, 119), and the words a charges file names
//! it by.

use serde::{Deserialize, Serialize};

use crate::ValidationErrors;

/// The kinds of a service, with their Russian titles.
pub const SERVICE_KINDS: [(&str, &str); 4] = [
    ("utility", "коммунальная услуга"),
    ("maintenance", "содержание жилого помещения"),
    ("capital_repair", "взнос на капитальный ремонт"),
    ("other", "прочая услуга"),
];

pub const CODE_TAKEN: &str = "Услуга с таким кодом уже есть: выберите другой код.";
/// The noun of a service not found.
pub const NO_SERVICE: &str = "Услуга";

/// The Russian title of a kind code.
pub fn kind_title(code: &str) -> &'static str {
    SERVICE_KINDS
        .iter()
        .find(|k| k.0 == code)
        .map_or("", |k| k.1)
}

/// A service as a form or the API sends it.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct ServiceForm {
    /// Latin letters, digits and `_`: `intercom`. Fixed once created.
    #[serde(default)]
    pub code: String,
    /// «Домофон».
    pub title: String,
    /// `utility`, `maintenance`, `capital_repair` or `other`.
    pub kind: String,
    /// May be limited or suspended for a debt.
    #[serde(default)]
    pub may_suspend: bool,
    /// Words a charges file names it by, comma-separated: «домофон, ЗУ».
    #[serde(default)]
    pub names: String,
}

/// A checked service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceInput {
    pub code: String,
    pub title: String,
    pub kind: String,
    pub may_suspend: bool,
    pub names: Vec<String>,
}

/// «домофон, ЗУ» → [«домофон», «ЗУ»].
pub fn split_names(s: &str) -> Vec<String> {
    s.split([',', ';', '\n'])
        .map(str::trim)
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

impl ServiceForm {
    /// Every problem at its field, in Russian.
    pub fn validate(&self) -> Result<ServiceInput, ValidationErrors> {
        let mut e = ValidationErrors::new();
        let code = self.code.trim().to_ascii_lowercase();
        if code.is_empty()
            || code.len() > 40
            || !code
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            e.add(
                "code",
                "Код услуги — латинские буквы, цифры и «_», до 40 знаков, например intercom.",
            );
        }
        let title = self.title.trim().to_string();
        if title.is_empty() || title.chars().count() > 200 {
            e.add("title", "Укажите название услуги (до 200 знаков).");
        }
        let kind = self.kind.trim().to_string();
        if kind_title(&kind).is_empty() {
            e.add(
                "kind",
                "Вид услуги: utility (коммунальная), maintenance (содержание), capital_repair \
                 (капитальный ремонт) или other (прочая).",
            );
        }
        let names = split_names(&self.names);
        if names.iter().any(|n| n.chars().count() > 100) {
            e.add(
                "names",
                "Каждое слово для файлов начислений — до 100 знаков.",
            );
        }
        e.into_result(ServiceInput {
            code,
            title,
            kind,
            may_suspend: self.may_suspend,
            names,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_service_is_checked_field_by_field() {
        let ok = ServiceForm {
            code: "Intercom".into(),
            title: " Домофон ".into(),
            kind: "other".into(),
            may_suspend: true,
            names: "домофон; ЗУ,".into(),
        }
        .validate()
        .unwrap();
        assert_eq!(ok.code, "intercom");
        assert_eq!(ok.names, vec!["домофон", "ЗУ"]);
        let e = ServiceForm {
            code: "домофон".into(),
            kind: "x".into(),
            ..Default::default()
        }
        .validate()
        .unwrap_err();
        for f in ["code", "title", "kind"] {
            assert!(e.for_field(f).is_some(), "{f}");
        }
    }
}
