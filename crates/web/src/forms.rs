//! Form bodies and what a form template needs to show them again: the typed values and the
//! Russian message next to each bad field.

use std::collections::BTreeMap;

use abonent_domain::ValidationErrors;
use serde::de::DeserializeOwned;

use crate::AppError;

const FORM_UNREADABLE: &str = "Форма не разобрана. Обновите страницу и повторите.";

/// Parse a urlencoded body into a form struct.
pub fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, AppError> {
    serde_urlencoded::from_bytes(body).map_err(|e| {
        // The library's reason is English: it goes to the log, the person reads Russian.
        tracing::info!("форма не разобрана: {e}");
        AppError::BadRequest(FORM_UNREADABLE.into())
    })
}

/// Values and errors of a form being shown.
#[derive(Debug, Clone, Default)]
pub struct FormView {
    pub values: BTreeMap<String, String>,
    pub errors: ValidationErrors,
}

impl FormView {
    pub fn from_body(body: &[u8]) -> FormView {
        FormView {
            values: serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
                .unwrap_or_default()
                .into_iter()
                .collect(),
            errors: ValidationErrors::new(),
        }
    }

    pub fn with<K: Into<String>>(pairs: impl IntoIterator<Item = (K, Option<String>)>) -> FormView {
        FormView {
            values: pairs
                .into_iter()
                .filter_map(|(k, v)| v.map(|v| (k.into(), v)))
                .collect(),
            errors: ValidationErrors::new(),
        }
    }

    pub fn set(&mut self, k: &str, v: impl Into<String>) {
        self.values.insert(k.to_string(), v.into());
    }

    pub fn errors(mut self, e: ValidationErrors) -> Self {
        self.errors = e;
        self
    }

    /// The value to put back in the input (askama escapes it).
    pub fn v(&self, k: &str) -> &str {
        self.values.get(k).map(String::as_str).unwrap_or("")
    }

    /// The trimmed value, `None` when empty.
    pub fn opt(&self, k: &str) -> Option<String> {
        Some(self.v(k).trim().to_string()).filter(|v| !v.is_empty())
    }

    /// The visible text of a picker field: the chosen record's label or what was typed.
    pub fn pick(&self, k: &str) -> &str {
        self.values
            .get(&format!("{k}__pick"))
            .map(String::as_str)
            .unwrap_or("")
    }

    pub fn err(&self, k: &str) -> &str {
        self.errors.for_field(k).unwrap_or("")
    }

    pub fn has_err(&self, k: &str) -> bool {
        self.errors.for_field(k).is_some()
    }

    pub fn checked(&self, k: &str) -> bool {
        matches!(self.v(k), "on" | "true" | "1")
    }

    pub fn is(&self, k: &str, value: &str) -> bool {
        self.v(k) == value
    }

    /// Errors for fields the form does not show (e.g. an id), to list at the top.
    pub fn other_errors(&self, shown: &[&str]) -> Vec<String> {
        self.errors
            .0
            .iter()
            .filter(|e| !shown.contains(&e.field.as_str()))
            .map(|e| e.message.clone())
            .collect()
    }
}

/// A form whose keys repeat (the journal's and the debtor list's checkboxes): every pair in
/// order, for the ids of the marked rows and the one-off fields beside them.
pub struct Pairs(Vec<(String, String)>);

impl Pairs {
    pub fn parse(body: &[u8]) -> Result<Pairs, AppError> {
        serde_urlencoded::from_bytes(body).map(Pairs).map_err(|e| {
            tracing::info!("форма не разобрана: {e}");
            AppError::BadRequest(FORM_UNREADABLE.into())
        })
    }

    /// The first value of `k`, trimmed; `None` when absent or empty.
    pub fn get(&self, k: &str) -> Option<String> {
        self.0
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.trim().to_string())
            .filter(|v| !v.is_empty())
    }

    /// Every value of `k` as an id (the marked rows).
    pub fn ids(&self, k: &str) -> Result<Vec<i64>, AppError> {
        self.0
            .iter()
            .filter(|(n, _)| n == k)
            .map(|(_, v)| {
                v.trim().parse().map_err(|_| {
                    AppError::BadRequest(format!(
                        "Отмеченная строка «{v}» не распознана. Обновите страницу и повторите."
                    ))
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_and_errors() {
        let mut f = FormView::from_body(b"street=%D0%9B%D0%B5%D0%BD%D0%B8%D0%BD%D0%B0&flag=on");
        assert_eq!(f.v("street"), "Ленина");
        assert!(f.checked("flag"));
        f = f.errors(ValidationErrors::single("street", "плохо"));
        assert_eq!(f.err("street"), "плохо");
        assert!(f.has_err("street"));
        assert_eq!(f.err("house"), "");
    }

    #[test]
    fn repeated_ids_and_blank_values() {
        let p = Pairs::parse(b"ids=3&to=+&ids=7&back=view%3Dall&f=+x+").unwrap();
        assert_eq!(p.ids("ids").unwrap(), [3, 7]);
        assert_eq!(p.get("to"), None);
        assert_eq!(p.get("back").as_deref(), Some("view=all"));
        assert_eq!(FormView::from_body(b"f=+x+").opt("f").as_deref(), Some("x"));
        assert!(matches!(
            Pairs::parse(b"ids=3&ids=x").unwrap().ids("ids"),
            Err(AppError::BadRequest(_))
        ));
    }
}
