//! How one bank lays out its register: saved per bank, edited by the administrator.

use serde::{Deserialize, Serialize};

use crate::SourceEncoding;

/// A column a register may carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentField {
    Date,
    Time,
    Branch,
    Cashier,
    OperationId,
    Account,
    FullName,
    Address,
    Period,
    Amount,
    TransferAmount,
    Commission,
}

impl PaymentField {
    /// In the order of the common layout (regulations §9).
    pub const ALL: [PaymentField; 12] = [
        PaymentField::Date,
        PaymentField::Time,
        PaymentField::Branch,
        PaymentField::Cashier,
        PaymentField::OperationId,
        PaymentField::Account,
        PaymentField::FullName,
        PaymentField::Address,
        PaymentField::Period,
        PaymentField::Amount,
        PaymentField::TransferAmount,
        PaymentField::Commission,
    ];

    pub fn title(self) -> &'static str {
        match self {
            PaymentField::Date => "дата",
            PaymentField::Time => "время",
            PaymentField::Branch => "отделение",
            PaymentField::Cashier => "кассир",
            PaymentField::OperationId => "номер операции",
            PaymentField::Account => "лицевой счёт",
            PaymentField::FullName => "ФИО",
            PaymentField::Address => "адрес",
            PaymentField::Period => "период",
            PaymentField::Amount => "сумма",
            PaymentField::TransferAmount => "сумма перевода",
            PaymentField::Commission => "комиссия",
        }
    }
}

/// How the paid period is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodFormat {
    /// `1026` — month and two-digit year, as in the common Sberbank layout.
    Mmyy,
    /// `10.2026` or `10/2026`.
    MmYyyy,
    /// `2026-10`.
    YyyyMm,
}

/// The closing line with the totals: `=count;amount;transfer;commission;...`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TotalsLine {
    /// The line starts with this (after trimming).
    pub prefix: String,
    /// 0-based column of each total, counted after the prefix is removed.
    pub count: usize,
    pub amount: usize,
    pub transfer_amount: Option<usize>,
    pub commission: Option<usize>,
}

/// One bank's register layout.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterProfile {
    pub name: String,
    pub separator: char,
    /// `None`: detect UTF-8 or windows-1251 from the bytes.
    pub encoding: Option<SourceEncoding>,
    /// Lines before the first payment (a header).
    pub skip_lines: usize,
    /// 0-based column of each field; `Date`, `Account` and `Amount` are required.
    pub columns: Vec<(PaymentField, usize)>,
    /// chrono format, e.g. `%d-%m-%Y`.
    pub date_format: String,
    /// chrono format, e.g. `%H-%M-%S`.
    pub time_format: String,
    pub period_format: PeriodFormat,
    pub totals: Option<TotalsLine>,
}

impl RegisterProfile {
    /// The common layout of regulations §9 (Sberbank-style): windows-1251, `;`, no header,
    /// `ДД-ММ-ГГГГ;ЧЧ-ММ-СС;отделение;кассир;№ операции;ЛС;ФИО;адрес;ММГГ;сумма;перевод;комиссия`
    /// and a closing `=кол-во;итого;итого перевод;итого комиссия;№ п/п;дата п/п`.
    pub fn common() -> RegisterProfile {
        RegisterProfile {
            name: "Типовой реестр (Сбербанк)".into(),
            separator: ';',
            encoding: None,
            skip_lines: 0,
            columns: PaymentField::ALL
                .into_iter()
                .enumerate()
                .map(|(i, f)| (f, i))
                .collect(),
            date_format: "%d-%m-%Y".into(),
            time_format: "%H-%M-%S".into(),
            period_format: PeriodFormat::Mmyy,
            totals: Some(TotalsLine {
                prefix: "=".into(),
                count: 0,
                amount: 1,
                transfer_amount: Some(2),
                commission: Some(3),
            }),
        }
    }

    pub fn column(&self, f: PaymentField) -> Option<usize> {
        self.columns.iter().find(|(g, _)| *g == f).map(|(_, c)| *c)
    }

    /// What is wrong with the profile itself, in Russian; empty when usable.
    pub fn problems(&self) -> Vec<String> {
        let mut p = Vec::new();
        for f in [
            PaymentField::Date,
            PaymentField::Account,
            PaymentField::Amount,
        ] {
            if self.column(f).is_none() {
                p.push(format!("В профиле не указана колонка «{}».", f.title()));
            }
        }
        let mut cols: Vec<usize> = self.columns.iter().map(|(_, c)| *c).collect();
        cols.sort_unstable();
        if cols.windows(2).any(|w| w[0] == w[1]) {
            p.push("Две колонки профиля указывают на один столбец файла.".into());
        }
        if self.separator == '"' || self.separator.is_alphanumeric() {
            p.push(format!(
                "Разделитель «{}» не подходит: обычно это «;», «,», «|» или табуляция.",
                self.separator
            ));
        }
        if self.date_format.trim().is_empty() {
            p.push("Укажите формат даты, например %d-%m-%Y.".into());
        }
        if matches!(&self.totals, Some(t) if t.prefix.trim().is_empty()) {
            p.push("Укажите, с чего начинается итоговая строка, например «=».".into());
        }
        p
    }
}
