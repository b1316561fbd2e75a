//! Issued documents: what an issue is refused for when a record it refers to is missing,
//! and the note of a correction in the history. Storage finds the facts; the words are here.

use crate::ValidationErrors;

/// The history note of a document issued to correct another.
pub const CORRECTION_NOTE: &str = "исправленный документ";

/// A document refused by what is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentRefusal {
    NoSuchAccount(i64),
    NoSuchPerson(i64),
    /// The document to correct does not exist.
    NoSuchCorrected(i64),
    /// A correction must be of the corrected document's kind.
    OtherKind,
}

impl DocumentRefusal {
    pub fn field(self) -> &'static str {
        match self {
            DocumentRefusal::NoSuchAccount(_) => "account_id",
            DocumentRefusal::NoSuchPerson(_) => "person_id",
            DocumentRefusal::NoSuchCorrected(_) | DocumentRefusal::OtherKind => "corrects_id",
        }
    }

    pub fn message(self) -> String {
        match self {
            DocumentRefusal::NoSuchAccount(id) => format!("Лицевой счёт с кодом {id} не найден."),
            DocumentRefusal::NoSuchPerson(id) => format!("Человек с кодом {id} не найден."),
            DocumentRefusal::NoSuchCorrected(id) => {
                format!("Исправляемый документ с кодом {id} не найден.")
            }
            DocumentRefusal::OtherKind => {
                "Исправленный документ должен быть того же вида, что и исправляемый.".into()
            }
        }
    }

    /// Adds the refusal to the others found for the same document.
    pub fn add_to(self, errors: &mut ValidationErrors) {
        errors.add(self.field(), self.message());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_name_the_field_and_the_code() {
        let mut e = ValidationErrors::new();
        for r in [
            DocumentRefusal::NoSuchAccount(1),
            DocumentRefusal::NoSuchPerson(2),
            DocumentRefusal::NoSuchCorrected(3),
            DocumentRefusal::OtherKind,
        ] {
            r.add_to(&mut e);
        }
        let got: Vec<(&str, &str)> =
            e.0.iter()
                .map(|f| (f.field.as_str(), f.message.as_str()))
                .collect();
        assert_eq!(
            got,
            [
                ("account_id", "Лицевой счёт с кодом 1 не найден."),
                ("person_id", "Человек с кодом 2 не найден."),
                ("corrects_id", "Исправляемый документ с кодом 3 не найден."),
                (
                    "corrects_id",
                    "Исправленный документ должен быть того же вида, что и исправляемый."
                ),
            ]
        );
    }
}
