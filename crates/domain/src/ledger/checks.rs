//! Checks of what a person entered for the ledger's reference data, reports and files, and
//! the refusals of a charge or payment file, worded for the person.

use super::{EntryKind, Period};
use crate::ValidationErrors;

/// A turnover sheet runs from an earlier period to a later one.
pub fn check_turnover_range(from: Period, to: Period) -> Result<(), ValidationErrors> {
    if from > to {
        return Err(ValidationErrors::single(
            "from",
            "Начальный период позже конечного: поменяйте их местами.",
        ));
    }
    Ok(())
}

/// Every version of reference data names its basis.
pub fn check_reference_source(source: &str) -> Result<(), ValidationErrors> {
    if source.trim().is_empty() {
        return Err(ValidationErrors::single(
            "source",
            "Укажите основание изменения: документ, постановление или файл.",
        ));
    }
    Ok(())
}

/// The due-date rules are never saved empty.
pub fn check_due_rules_given(count: usize) -> Result<(), ValidationErrors> {
    if count == 0 {
        return Err(ValidationErrors::single(
            "rules",
            "Нужно хотя бы одно правило срока оплаты.",
        ));
    }
    Ok(())
}

/// A register profile's name, trimmed.
pub fn check_profile_name(name: &str) -> Result<String, ValidationErrors> {
    let n = name.trim();
    if n.is_empty() || n.chars().count() > 200 {
        return Err(ValidationErrors::single(
            "name",
            "Укажите название профиля (банк и вид реестра), до 200 символов.",
        ));
    }
    Ok(n.to_string())
}

pub const PROFILE_NAME_TAKEN: &str = "Профиль с таким названием уже есть.";

/// The kinds a charge file may hold.
pub fn charge_file_kind(kind: EntryKind) -> bool {
    matches!(
        kind,
        EntryKind::Charge | EntryKind::Recalculation | EntryKind::Opening
    )
}

/// Refusals of a charge or payment file; all at the `file` field.
pub mod file {
    pub const NO_CHARGES: &str = "В файле нет ни одной строки начислений.";
    pub const NO_PAYMENTS: &str = "В файле нет ни одного платежа.";
    pub const LOADED_JUST_NOW: &str =
        "Этот файл только что загрузил другой сотрудник: повторная загрузка не нужна.";

    /// The same file was loaded before (`loaded_at` as stored, `id` the load's number).
    pub fn loaded_before(loaded_at: &str, by: &str, id: i64) -> String {
        format!(
            "Этот файл уже загружен {} ({by}; загрузка № {id}). Повторная загрузка удвоила бы \
             суммы — файл не загружен.",
            loaded_at.get(..10).unwrap_or(loaded_at)
        )
    }
}

/// Refusals of one line of a charge file.
pub mod charge_line {
    pub fn unknown_account(line: usize, number: &str) -> String {
        format!(
            "Строка {line}: лицевого счёта № {} нет в реестре. Добавьте счёт или исправьте номер.",
            number.trim()
        )
    }

    pub fn unknown_service(line: usize, service: &str) -> String {
        format!("Строка {line}: услуги «{service}» нет в справочнике.")
    }

    pub fn wrong_kind(line: usize) -> String {
        format!("Строка {line}: в файле начислений только начисления, перерасчёты и сальдо.")
    }
}

/// A write names an account that does not exist.
pub const NO_SUCH_ACCOUNT: &str = "Такого лицевого счёта нет.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_range_may_be_one_period_but_not_reversed() {
        let (a, b) = (Period::new(2026, 1).unwrap(), Period::new(2026, 2).unwrap());
        assert!(check_turnover_range(a, a).is_ok());
        assert!(check_turnover_range(a, b).is_ok());
        let e = check_turnover_range(b, a).unwrap_err();
        assert!(e.for_field("from").is_some());
    }

    #[test]
    fn reference_needs_a_source_and_rules() {
        assert!(check_reference_source(" \t").is_err());
        assert!(check_reference_source("ПП 354").is_ok());
        assert!(check_due_rules_given(0)
            .unwrap_err()
            .for_field("rules")
            .is_some());
        assert!(check_due_rules_given(1).is_ok());
    }

    #[test]
    fn a_profile_name_is_trimmed_and_bounded() {
        assert_eq!(check_profile_name("  Сбер ").unwrap(), "Сбер");
        assert!(check_profile_name(" ").is_err());
        assert!(check_profile_name(&"я".repeat(200)).is_ok());
        assert!(check_profile_name(&"я".repeat(201)).is_err());
    }

    #[test]
    fn a_charge_file_holds_no_payments() {
        assert!(charge_file_kind(EntryKind::Opening));
        assert!(charge_file_kind(EntryKind::Recalculation));
        assert!(!charge_file_kind(EntryKind::Payment));
        assert!(!charge_file_kind(EntryKind::Penalty));
    }

    #[test]
    fn a_repeated_file_names_the_earlier_load() {
        assert_eq!(
            file::loaded_before("2026-03-04T10:00:00Z", "Иванова", 7),
            "Этот файл уже загружен 2026-03-04 (Иванова; загрузка № 7). Повторная загрузка \
             удвоила бы суммы — файл не загружен."
        );
        assert_eq!(
            charge_line::unknown_account(3, " 01 "),
            "Строка 3: лицевого счёта № 01 нет в реестре. Добавьте счёт или исправьте номер."
        );
    }
}
