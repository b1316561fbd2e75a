//! The ledger's words that storage writes into rows, history and results: notes of the
//! journal, titles of the turnover sheet, the nouns of «не найдено», import summaries and
//! the causes of internal failures. Worded here so storage keeps only SQL.

use chrono::NaiveDate;

use super::Period;
use crate::money::{format_amount, format_count};

/// Nouns a missing record is named by (`StoreError::NotFound`).
pub mod noun {
    pub const ACCOUNT: &str = "лицевой счёт";
    pub const BUILDING: &str = "дом";
    pub const ENTRY: &str = "запись журнала расчётов";
    pub const PAYMENT: &str = "платёж";
    pub const UNMATCHED_PAYMENT: &str = "неопознанный платёж";
    pub const REGISTER_PROFILE: &str = "профиль реестра";

    pub fn debt_notice(id: i64) -> String {
        format!("уведомление о задолженности с кодом {id}")
    }
}

/// Reason and history note of a payment taken at the cash desk.
pub const CASH_PAYMENT_NOTE: &str = "Оплата в кассе";
/// History note of a queued payment posted by hand.
pub const UNMATCHED_RESOLVED_NOTE: &str = "Неопознанный платёж разнесён на счёт";

/// The entry's reason when a queued payment is posted by hand.
pub fn unmatched_resolved_reason(id: i64) -> String {
    format!("Неопознанный платёж № {id} разнесён вручную")
}

/// History note of a reversal.
pub fn reversal_note(amount: i64, reason: &str) -> String {
    format!("Сторно оплаты {} ₽: {reason}", format_amount(amount))
}

/// An address with the flat: «г. Тверь, ул. Ленина, д. 1, кв. 5».
pub fn with_flat(address: &str, flat: &str) -> String {
    format!("{address}, кв. {flat}")
}

/// Why an account is suggested for a queued payment.
pub mod suggested_by {
    pub const NUMBER: &str = "похожий номер счёта";
    pub const ADDRESS: &str = "адрес плательщика";
    pub const PAYER: &str = "ФИО плательщика";
}

/// Titles of the turnover sheet.
pub mod turnover_title {
    pub const COMPANY: &str = "Вся организация";
    /// The account's row of entries without a service.
    pub const NO_SERVICE: &str = "Без разбивки по услугам (оплаты, сальдо, пени)";

    pub fn account(number: &str) -> String {
        format!("Лицевой счёт № {number}")
    }

    /// A building's row for one account.
    pub fn account_row(number: &str, flat: &str) -> String {
        format!("ЛС {number}, кв. {flat}")
    }

    /// The company's row for one building.
    pub fn building_row(street: &str, house: &str) -> String {
        format!("{street}, д. {house}")
    }
}

/// The outcome of a bank register's load, as the page and the command line print it.
pub fn payments_loaded(
    rows: usize,
    amount: i64,
    matched: usize,
    unmatched: usize,
    unmatched_amount: i64,
) -> String {
    let n = |x: usize| format_count(x as i64);
    format!(
        "Загружено платежей {} на {} ₽: разнесено по счетам {}, неопознанных {} на {} ₽ \
         (в очереди).",
        n(rows),
        format_amount(amount),
        n(matched),
        n(unmatched),
        format_amount(unmatched_amount)
    )
}

/// The outcome of a penalty run; `period` as stored (`2026-10`), `first_failure` the first
/// account that could not be calculated.
pub fn penalties_posted(
    period: &str,
    accounts: usize,
    posted: usize,
    amount: i64,
    failed: usize,
    first_failure: Option<&str>,
) -> String {
    let title = Period::parse(period).map_or_else(|| period.to_string(), |p| p.title());
    let n = |x: usize| format_count(x as i64);
    let mut msg = format!(
        "Пени за {title} начислены: счетов {}, проведено строк {} на {} ₽.",
        n(accounts),
        n(posted),
        format_amount(amount)
    );
    if let Some(first) = first_failure {
        msg.push_str(&format!(
            " Не рассчитано счетов: {} (например: {first}).",
            n(failed)
        ));
    }
    msg
}

/// Why one account was not calculated, named by its number.
pub fn account_failure(number: &str, cause: &str) -> String {
    format!("счёт {number}: {cause}")
}

/// The reason of a penalty line of `line` posted by the run for `run` on `calc_date`.
pub fn penalty_reason(line: Period, run: Period, calc_date: NaiveDate) -> String {
    let on = calc_date.format("%d.%m.%Y");
    if line == run {
        format!("Пени за {} (расчёт на {on})", run.title())
    } else {
        format!(
            "Пени за {}: поправка при начислении за {} (расчёт на {on})",
            line.title(),
            run.title()
        )
    }
}

/// Causes of failures that are not the person's doing (a broken row, a bug), for the log.
pub mod internal {
    pub fn unknown_entry_kind(kind: &str) -> String {
        format!("неизвестный вид записи «{kind}»")
    }

    pub fn unknown_journal_kind(kind: &str) -> String {
        format!("неизвестный вид записи журнала «{kind}»")
    }

    pub fn bad_period(s: &str) -> String {
        format!("в журнале период «{s}» не в формате ГГГГ-ММ")
    }

    pub fn bad_date(s: &str) -> String {
        format!("в журнале дата «{s}» не в формате ГГГГ-ММ-ДД")
    }

    pub fn bad_packed_entry(item: &str) -> String {
        format!("запись «{item}» не разобрана")
    }

    pub fn account_journal(id: i64, cause: &str) -> String {
        format!("журнал счёта {id}: {cause}")
    }

    pub fn unreadable_reference(kind: &str, version: i64, cause: &str) -> String {
        format!(
            "Справочник «{kind}» (версия {version}) не читается: {cause}. Сохраните его заново."
        )
    }

    pub fn parsing_aborted(cause: &str) -> String {
        format!("разбор файла прерван: {cause}")
    }

    pub fn bulk_bad_target(table: &str) -> String {
        format!("Недопустимая таблица или колонки при массовой записи в «{table}».")
    }

    pub fn bulk_row_width(table: &str, row: usize, values: usize, columns: usize) -> String {
        format!("Запись в {table}: в строке {row} значений {values}, а колонок {columns}.")
    }

    pub const PLAN_NOT_SAVED: &str = "рассрочка не сохранилась";
}

/// The actor that creates the shipped register profile.
pub const DEFAULT_PROFILE_ACTOR: &str = "Профиль по умолчанию";

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_penalty_run_names_every_failed_account() {
        assert_eq!(
            penalties_posted("2026-10", 120, 7, 123_456, 0, None),
            "Пени за октябрь 2026 начислены: счетов 120, проведено строк 7 на 1 234,56 ₽."
        );
        let m = penalties_posted("bad", 1, 0, 0, 60, Some("счёт 1: нет ставки"));
        assert!(m.starts_with("Пени за bad начислены"), "{m}");
        assert!(
            m.ends_with(" Не рассчитано счетов: 60 (например: счёт 1: нет ставки)."),
            "{m}"
        );
    }

    #[test]
    fn a_correction_line_names_both_periods() {
        let (oct, nov) = (
            Period::new(2026, 10).unwrap(),
            Period::new(2026, 11).unwrap(),
        );
        assert_eq!(
            penalty_reason(nov, nov, day("2026-12-01")),
            "Пени за ноябрь 2026 (расчёт на 01.12.2026)"
        );
        assert_eq!(
            penalty_reason(oct, nov, day("2026-12-01")),
            "Пени за октябрь 2026: поправка при начислении за ноябрь 2026 (расчёт на 01.12.2026)"
        );
    }

    #[test]
    fn a_register_summary_counts_the_queue() {
        assert_eq!(
            payments_loaded(3, 300_00, 2, 1, 100_00),
            "Загружено платежей 3 на 300,00 ₽: разнесено по счетам 2, неопознанных 1 на 100,00 ₽ (в очереди)."
        );
        assert_eq!(
            reversal_note(150_000, "ошибка"),
            "Сторно оплаты 1 500,00 ₽: ошибка"
        );
    }
}
