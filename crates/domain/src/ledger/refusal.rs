//! What a cash payment, a reversal or a bank register is refused for, in a person's words.
//! The checks of what was entered run before anything is read; the refusals found against
//! the ledger are found by storage inside its transaction and come back as a
//! [`LedgerRefusal`] with the facts, told here.

use chrono::NaiveDate;

use crate::money::format_amount;
use crate::ValidationErrors;

/// Kopecks above which an amount is taken for a misplaced comma (100 million ₽).
const MAX_AMOUNT: i64 = 10_000_000_000;

/// A cash payment as entered, checked against `today` before the ledger is read.
pub fn check_cash_payment(
    amount: i64,
    receipt_no: &str,
    paid_on: NaiveDate,
    today: NaiveDate,
) -> Result<(), ValidationErrors> {
    let mut e = ValidationErrors::new();
    if amount <= 0 {
        e.add(
            "amount",
            "Сумма оплаты должна быть больше нуля, например 1 500,00.",
        );
    }
    if amount > MAX_AMOUNT {
        e.add("amount", "Сумма больше 100 млн ₽: проверьте запятую.");
    }
    if receipt_no.trim().is_empty() {
        e.add(
            "receipt_no",
            "Укажите номер кассового чека или приходного ордера.",
        );
    }
    if paid_on > today {
        e.add(
            "paid_on",
            format!(
                "Дата оплаты {} ещё не наступила.",
                paid_on.format("%d.%m.%Y")
            ),
        );
    }
    e.into_result(())
}

/// A reversal needs a reason (it is printed in the ledger and kept in the history).
pub fn check_reversal_reason(reason: &str) -> Result<(), ValidationErrors> {
    if reason.trim().is_empty() {
        return Err(ValidationErrors::single(
            "reason",
            "Укажите причину сторно, например «возврат банком: ошибочный счёт».",
        ));
    }
    Ok(())
}

/// The facts of a register's payment that a refusal names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentFacts {
    pub line: usize,
    pub operation_id: String,
    pub paid_on: NaiveDate,
    pub amount: i64,
    pub account_number: String,
}

impl PaymentFacts {
    fn describe(&self) -> String {
        format!(
            "операция № {} от {} на {} ₽, ЛС {}",
            self.operation_id.trim(),
            self.paid_on.format("%d.%m.%Y"),
            format_amount(self.amount),
            if self.account_number.trim().is_empty() {
                "не указан"
            } else {
                self.account_number.trim()
            }
        )
    }
}

/// A write refused by what the ledger already holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LedgerRefusal {
    /// A cash receipt number already posted on that day.
    ReceiptPosted {
        receipt: String,
        paid_on: NaiveDate,
    },
    /// Only a payment can be reversed.
    NotAPayment,
    AlreadyReversed,
    ReversalBeforePayment {
        paid_on: NaiveDate,
    },
    /// An unidentified payment already posted to an account.
    UnmatchedResolved,
    /// The account has a payment with the same operation, date and amount.
    SamePaymentOnAccount,
    /// A register's payment repeats an earlier line of the same file.
    RepeatsLine {
        payment: PaymentFacts,
        first: usize,
    },
    /// A register's payment was loaded before, by `file` at `loaded_at` (stored instant).
    LoadedBefore {
        payment: PaymentFacts,
        file: String,
        loaded_at: String,
    },
    /// A repeat inside the file that could not be pinned to a line.
    RepeatsInFile,
}

impl LedgerRefusal {
    /// The form field the refusal is shown at.
    pub fn field(&self) -> &'static str {
        match self {
            LedgerRefusal::ReceiptPosted { .. } => "receipt_no",
            LedgerRefusal::NotAPayment | LedgerRefusal::AlreadyReversed => "entry_id",
            LedgerRefusal::ReversalBeforePayment { .. } => "date",
            LedgerRefusal::UnmatchedResolved | LedgerRefusal::SamePaymentOnAccount => "account_id",
            LedgerRefusal::RepeatsLine { .. }
            | LedgerRefusal::LoadedBefore { .. }
            | LedgerRefusal::RepeatsInFile => "file",
        }
    }

    pub fn message(&self) -> String {
        match self {
            LedgerRefusal::ReceiptPosted { receipt, paid_on } => format!(
                "Чек № {receipt} от {} уже проведён. Проверьте номер чека.",
                paid_on.format("%d.%m.%Y")
            ),
            LedgerRefusal::NotAPayment => {
                "Сторнировать можно только оплату; начисление исправляется перерасчётом.".into()
            }
            LedgerRefusal::AlreadyReversed => "Этот платёж уже сторнирован.".into(),
            LedgerRefusal::ReversalBeforePayment { paid_on } => format!(
                "Дата сторно раньше даты платежа ({}).",
                paid_on.format("%d.%m.%Y")
            ),
            LedgerRefusal::UnmatchedResolved => "Этот платёж уже разнесён на лицевой счёт.".into(),
            LedgerRefusal::SamePaymentOnAccount => {
                "На этом счёте уже есть платёж с той же операцией, датой и суммой.".into()
            }
            LedgerRefusal::RepeatsLine { payment, first } => format!(
                "Строка {}: платёж ({}) повторяет строку {first}. Реестр не загружен: \
                 запросите у банка исправленный файл.",
                payment.line,
                payment.describe()
            ),
            LedgerRefusal::LoadedBefore {
                payment,
                file,
                loaded_at,
            } => format!(
                "Строка {}: платёж ({}) уже загружен — файл «{file}», {}. Повторно платёж не \
                 проводится; реестр не загружен. Уберите уже загруженные платежи из файла.",
                payment.line,
                payment.describe(),
                loaded_at.get(..10).unwrap_or(loaded_at)
            ),
            LedgerRefusal::RepeatsInFile => {
                "Платёж в файле повторяет платёж из предыдущих строк этого же файла (тот же номер \
                 операции, дата, сумма и счёт). Реестр не загружен: запросите у банка \
                 исправленный файл."
                    .into()
            }
        }
    }
}

impl std::fmt::Display for LedgerRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message())
    }
}

impl From<LedgerRefusal> for ValidationErrors {
    fn from(r: LedgerRefusal) -> Self {
        ValidationErrors::single(r.field(), r.message())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn cash_checks_every_field_at_once() {
        let e = check_cash_payment(0, " ", day("2026-03-06"), day("2026-03-05")).unwrap_err();
        for f in ["amount", "receipt_no", "paid_on"] {
            assert!(e.for_field(f).is_some(), "{f}");
        }
        assert!(check_cash_payment(1, "1", day("2026-03-05"), day("2026-03-05")).is_ok());
    }

    #[test]
    fn a_refusal_names_its_facts() {
        let p = PaymentFacts {
            line: 7,
            operation_id: "42".into(),
            paid_on: day("2026-03-05"),
            amount: 150000,
            account_number: " ".into(),
        };
        let r = LedgerRefusal::LoadedBefore {
            payment: p,
            file: "реестр.txt".into(),
            loaded_at: "2026-03-04T10:00:00.000000Z".into(),
        };
        assert_eq!(r.field(), "file");
        let m = r.to_string();
        assert!(
            m.starts_with("Строка 7: платёж (операция № 42 от 05.03.2026"),
            "{m}"
        );
        assert!(
            m.contains("ЛС не указан") && m.contains("«реестр.txt», 2026-03-04"),
            "{m}"
        );
    }
}
