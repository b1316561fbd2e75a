//! Payment QR code payload, ГОСТ Р 56042-2014 (regulations.md §8):
//! `ST0001` + encoding digit, then `|Key=Value` pairs. Rendering the QR image is not here.

mod account_key;
pub mod cp1251;
#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};

pub use account_key::{correspondent_account_ok, settlement_account_ok};

use crate::error::ValidationErrors;

/// The encoding digit of the header.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QrEncoding {
    /// `1` (windows-1251) when every character fits it, otherwise `2` (UTF-8).
    #[default]
    Auto,
    /// Always `1`; a character outside windows-1251 is an error.
    Windows1251,
    /// Always `2` (the §8 example uses it).
    Utf8,
}

/// Payee and payment requisites. Optional fields that are `None` or blank are left out.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentQr {
    /// Name — payee name, ≤ 160 characters.
    pub name: String,
    /// PersonalAcc — payee's settlement account, 20 digits.
    pub personal_acc: String,
    /// BankName — ≤ 45 characters.
    pub bank_name: String,
    /// BIC — 9 digits.
    pub bic: String,
    /// CorrespAcc — 20 digits.
    pub corresp_acc: String,
    /// PayeeINN — 10 (organisation) or 12 (individual entrepreneur) digits.
    pub payee_inn: Option<String>,
    /// KPP — 9 characters.
    pub kpp: Option<String>,
    /// Sum — kopecks, > 0.
    pub sum_kopecks: Option<i64>,
    /// Purpose — ≤ 210 characters.
    pub purpose: Option<String>,
    pub last_name: Option<String>,
    pub first_name: Option<String>,
    pub middle_name: Option<String>,
    pub payer_address: Option<String>,
    /// PersAcc — the payer's account number with the company (лицевой счёт).
    pub pers_acc: Option<String>,
    pub flat: Option<String>,
    pub phone: Option<String>,
    /// PaymPeriod — `MMYYYY`, e.g. `032026` (bank practice [u]).
    pub paym_period: Option<String>,
    /// AddAmount — penalty, kopecks, > 0.
    pub add_amount_kopecks: Option<i64>,
    /// TechCode — `02` for housing and utilities; codes `01`–`15`.
    pub tech_code: Option<String>,
    pub encoding: QrEncoding,
    /// A settlement/correspondent account whose control key does not match the BIC is an
    /// error when `false` (default), a warning (see [`PaymentQr::warnings`]) when `true`.
    pub account_key_as_warning: bool,
}

fn digits(s: &str, n: usize) -> bool {
    s.len() == n && s.bytes().all(|b| b.is_ascii_digit())
}

/// KPP: 4 digits, 2 digits or capital Latin letters (ФНС format since 2024), 3 digits.
fn kpp_ok(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 9
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 5 => c.is_ascii_digit() || c.is_ascii_uppercase(),
            _ => c.is_ascii_digit(),
        })
}

fn paym_period_ok(s: &str) -> bool {
    digits(s, 6) && matches!(s[..2].parse::<u32>(), Ok(1..=12))
}

fn tech_code_ok(s: &str) -> bool {
    digits(s, 2) && matches!(s.parse::<u32>(), Ok(1..=15))
}

impl PaymentQr {
    /// (key, field name for errors, value) in payload order; blanks skipped.
    fn pairs(&self) -> Vec<(&'static str, &'static str, String)> {
        let mut out = vec![
            ("Name", "name", self.name.clone()),
            ("PersonalAcc", "personal_acc", self.personal_acc.clone()),
            ("BankName", "bank_name", self.bank_name.clone()),
            ("BIC", "bic", self.bic.clone()),
            ("CorrespAcc", "corresp_acc", self.corresp_acc.clone()),
        ];
        let optional: [(&str, &str, Option<String>); 14] = [
            ("PayeeINN", "payee_inn", self.payee_inn.clone()),
            ("KPP", "kpp", self.kpp.clone()),
            (
                "Sum",
                "sum_kopecks",
                self.sum_kopecks.map(|k| k.to_string()),
            ),
            ("Purpose", "purpose", self.purpose.clone()),
            ("LastName", "last_name", self.last_name.clone()),
            ("FirstName", "first_name", self.first_name.clone()),
            ("MiddleName", "middle_name", self.middle_name.clone()),
            ("PayerAddress", "payer_address", self.payer_address.clone()),
            ("PersAcc", "pers_acc", self.pers_acc.clone()),
            ("Flat", "flat", self.flat.clone()),
            ("Phone", "phone", self.phone.clone()),
            ("PaymPeriod", "paym_period", self.paym_period.clone()),
            (
                "AddAmount",
                "add_amount_kopecks",
                self.add_amount_kopecks.map(|k| k.to_string()),
            ),
            ("TechCode", "tech_code", self.tech_code.clone()),
        ];
        for (key, field, value) in optional {
            if let Some(v) = value.filter(|v| !v.trim().is_empty()) {
                out.push((key, field, v));
            }
        }
        out
    }

    /// Control-key mismatches of the accounts (only when both are well-formed).
    fn key_problems(&self) -> ValidationErrors {
        let mut e = ValidationErrors::new();
        let well = digits(&self.bic, 9);
        if well
            && digits(&self.personal_acc, 20)
            && !settlement_account_ok(&self.bic, &self.personal_acc)
        {
            e.add(
                "personal_acc",
                format!(
                    "PersonalAcc (расчётный счёт): контрольный ключ не сходится с БИК {} — \
                     проверьте счёт и БИК",
                    self.bic
                ),
            );
        }
        if well
            && digits(&self.corresp_acc, 20)
            && !correspondent_account_ok(&self.bic, &self.corresp_acc)
        {
            e.add(
                "corresp_acc",
                format!(
                    "CorrespAcc (корр. счёт): контрольный ключ не сходится с БИК {} — \
                     проверьте счёт и БИК",
                    self.bic
                ),
            );
        }
        e
    }

    /// Everything wrong with the requisites; empty when a payload can be built.
    pub fn validate(&self) -> ValidationErrors {
        let mut e = ValidationErrors::new();
        for (key, field, value) in self.pairs() {
            if value.contains('|') {
                e.add(
                    field,
                    format!(
                        "{key}: символ «|» разделяет реквизиты QR-кода и в значении \
                         недопустим — замените его, например, на «/»"
                    ),
                );
            }
            if value.chars().any(char::is_control) {
                e.add(
                    field,
                    format!("{key}: уберите переводы строк и другие управляющие символы"),
                );
            }
        }
        let mandatory = [
            ("Name", "name", &self.name, "наименование получателя"),
            ("BankName", "bank_name", &self.bank_name, "банк получателя"),
        ];
        for (key, field, value, what) in mandatory {
            if value.trim().is_empty() {
                e.add(field, format!("{key}: укажите {what}"));
            }
        }
        let len = |s: &str| s.chars().count();
        for (key, field, value, max) in [
            ("Name", "name", Some(&self.name), 160),
            ("BankName", "bank_name", Some(&self.bank_name), 45),
            ("Purpose", "purpose", self.purpose.as_ref(), 210),
        ] {
            if let Some(v) = value.filter(|v| len(v) > max) {
                e.add(
                    field,
                    format!("{key}: не длиннее {max} символов, сейчас {}", len(v)),
                );
            }
        }
        for (key, field, value, n, what) in [
            (
                "PersonalAcc",
                "personal_acc",
                &self.personal_acc,
                20,
                "расчётный счёт",
            ),
            ("BIC", "bic", &self.bic, 9, "БИК"),
            (
                "CorrespAcc",
                "corresp_acc",
                &self.corresp_acc,
                20,
                "корр. счёт",
            ),
        ] {
            if !digits(value, n) {
                e.add(
                    field,
                    format!("{key} ({what}): ровно {n} цифр без пробелов"),
                );
            }
        }
        let present = |v: &Option<String>| v.clone().filter(|s| !s.trim().is_empty());
        if let Some(inn) = present(&self.payee_inn) {
            if !(digits(&inn, 10) || digits(&inn, 12)) {
                e.add("payee_inn", "PayeeINN (ИНН получателя): 10 или 12 цифр");
            }
        }
        if let Some(kpp) = present(&self.kpp) {
            if !kpp_ok(&kpp) {
                e.add(
                    "kpp",
                    "KPP: 9 знаков — цифры, в 5–6-й позиции допустимы A–Z",
                );
            }
        }
        if let Some(p) = present(&self.paym_period) {
            if !paym_period_ok(&p) {
                e.add(
                    "paym_period",
                    "PaymPeriod (период оплаты): ММГГГГ, например 032026",
                );
            }
        }
        if let Some(t) = present(&self.tech_code) {
            if !tech_code_ok(&t) {
                e.add("tech_code", "TechCode: две цифры от 01 до 15 (02 — ЖКУ)");
            }
        }
        for (key, field, value) in [
            ("Sum", "sum_kopecks", self.sum_kopecks),
            ("AddAmount", "add_amount_kopecks", self.add_amount_kopecks),
        ] {
            if value.is_some_and(|k| k <= 0) {
                e.add(field, format!("{key}: сумма в копейках больше нуля"));
            }
        }
        if self.encoding == QrEncoding::Windows1251 {
            for (key, field, value) in self.pairs() {
                if let Some(c) = value.chars().find(|&c| cp1251::encode_char(c).is_none()) {
                    e.add(
                        field,
                        format!("{key}: символа «{c}» нет в кодировке windows-1251"),
                    );
                }
            }
        }
        if !self.account_key_as_warning {
            e.0.extend(self.key_problems().0);
        }
        e
    }

    /// Problems that do not stop the build (control-key mismatches when configured so).
    pub fn warnings(&self) -> ValidationErrors {
        if self.account_key_as_warning {
            self.key_problems()
        } else {
            ValidationErrors::new()
        }
    }

    /// `1` (windows-1251) or `2` (UTF-8), per [`QrEncoding`].
    pub fn encoding_digit(&self) -> u8 {
        match self.encoding {
            QrEncoding::Windows1251 => 1,
            QrEncoding::Utf8 => 2,
            QrEncoding::Auto => {
                let all_fit = self
                    .pairs()
                    .iter()
                    .all(|(_, _, v)| cp1251::is_representable(v));
                if all_fit {
                    1
                } else {
                    2
                }
            }
        }
    }

    /// The payload text: `ST0001` + encoding digit + `|Key=Value` pairs.
    pub fn build(&self) -> Result<String, ValidationErrors> {
        self.validate().into_result(())?;
        let mut s = format!("ST0001{}", self.encoding_digit());
        for (key, _, value) in self.pairs() {
            s.push('|');
            s.push_str(key);
            s.push('=');
            s.push_str(&value);
        }
        Ok(s)
    }

    /// The bytes to put into the QR code, encoded as the header says.
    pub fn build_bytes(&self) -> Result<Vec<u8>, ValidationErrors> {
        let s = self.build()?;
        Ok(match self.encoding_digit() {
            1 => cp1251::encode(&s).expect("validated or chosen only when representable"),
            _ => s.into_bytes(),
        })
    }
}
