use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::fields::{self, loose};
use crate::{text, ValidationErrors};

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct AccountForm {
    #[serde(default, deserialize_with = "loose")]
    pub number: Option<String>,
    #[serde(default, deserialize_with = "loose")]
    pub premises_id: Option<String>,
    #[serde(default, deserialize_with = "loose")]
    pub opened_on: Option<String>,
    #[serde(default, deserialize_with = "loose")]
    pub closed_on: Option<String>,
    /// Share of the premises this account covers: `1`, `1/2`, `1/3`.
    #[serde(default, deserialize_with = "loose")]
    pub share: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Share {
    pub num: i32,
    pub den: i32,
}

impl Share {
    pub const WHOLE: Share = Share { num: 1, den: 1 };

    pub fn parse(s: &str) -> Option<Share> {
        let s = s.trim();
        let (n, d) = s.split_once('/').unwrap_or((s, "1"));
        let num: i32 = n.trim().parse().ok()?;
        let den: i32 = d.trim().parse().ok()?;
        (num > 0 && den > 0 && num <= den && den <= 10_000).then_some(Share { num, den })
    }
}

impl std::fmt::Display for Share {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.num == self.den {
            f.write_str("1")
        } else {
            write!(f, "{}/{}", self.num, self.den)
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AccountData {
    pub number: String,
    pub premises_id: i64,
    pub opened_on: NaiveDate,
    pub closed_on: Option<NaiveDate>,
    pub share: Share,
}

/// The organization's format of account numbers, set by the administrator:
/// `#` a digit, `A` a letter, `*` a letter or digit, anything else stands for itself.
/// An empty pattern allows 1–20 letters, digits, `-` and `/`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AccountNumberFormat {
    pub pattern: String,
}

impl AccountNumberFormat {
    pub fn new(pattern: &str) -> Self {
        Self {
            pattern: pattern.trim().to_string(),
        }
    }

    pub fn check(&self, number: &str) -> Result<(), String> {
        if self.pattern.is_empty() {
            let ok = (1..=20).contains(&number.chars().count())
                && number
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == '-' || c == '/');
            return if ok {
                Ok(())
            } else {
                Err("Номер лицевого счёта: от 1 до 20 букв, цифр, «-» или «/».".into())
            };
        }
        let p: Vec<char> = self.pattern.chars().collect();
        let n: Vec<char> = number.chars().collect();
        let fits = p.len() == n.len()
            && p.iter().zip(&n).all(|(pc, nc)| match pc {
                '#' => nc.is_ascii_digit(),
                'A' => nc.is_alphabetic(),
                '*' => nc.is_alphanumeric(),
                other => other == nc,
            });
        if fits {
            Ok(())
        } else {
            Err(format!(
                "Номер лицевого счёта «{number}» не соответствует формату организации «{}» (# — цифра, A — буква).",
                self.pattern
            ))
        }
    }
}

impl AccountForm {
    pub fn validate(&self, format: &AccountNumberFormat) -> Result<AccountData, ValidationErrors> {
        let mut e = ValidationErrors::new();
        let number = text::required(
            &mut e,
            "number",
            "Номер лицевого счёта",
            self.number.as_deref().unwrap_or(""),
            20,
        )
        .to_uppercase();
        if !number.is_empty() {
            if let Err(msg) = format.check(&number) {
                e.add("number", msg);
            }
        }
        let premises_id = fields::id(&mut e, "premises_id", "Помещение", &self.premises_id);
        let opened_on = fields::required_date(&mut e, "opened_on", "Открыт", &self.opened_on);
        let closed_on = fields::date(&mut e, "closed_on", "Закрыт", &self.closed_on);
        if let (Some(o), Some(c)) = (opened_on, closed_on) {
            if c < o {
                e.add(
                    "closed_on",
                    "Дата закрытия раньше даты открытия. Исправьте одну из дат.",
                );
            }
        }
        let share = match self
            .share
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => Share::WHOLE,
            Some(s) => Share::parse(s).unwrap_or_else(|| {
                e.add(
                    "share",
                    format!("Доля «{s}» не распознана. Введите 1, 1/2, 1/3 и т. п."),
                );
                Share::WHOLE
            }),
        };
        let opened_on = opened_on.unwrap_or_default();
        e.into_result(AccountData {
            number,
            premises_id,
            opened_on,
            closed_on,
            share,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_patterns() {
        let f = AccountNumberFormat::new("######");
        assert!(f.check("100234").is_ok());
        assert!(f.check("10023").is_err());
        assert!(f.check("10023A").is_err());
        let f = AccountNumberFormat::new("ЛС-####");
        assert!(f.check("ЛС-0012").is_ok());
        assert!(f.check("LS-0012").is_err());
        let any = AccountNumberFormat::default();
        assert!(any.check("12-34/5").is_ok());
        assert!(any.check("12 34").is_err());
        assert!(any.check("").is_err());
    }

    #[test]
    fn shares() {
        assert_eq!(Share::parse("1/2"), Some(Share { num: 1, den: 2 }));
        assert_eq!(Share::parse("1"), Some(Share::WHOLE));
        assert_eq!(Share::parse("3/2"), None);
        assert_eq!(Share::parse("0/2"), None);
        assert_eq!(Share { num: 1, den: 3 }.to_string(), "1/3");
    }

    #[test]
    fn closed_before_opened_is_refused() {
        let e = AccountForm {
            number: Some("100001".into()),
            premises_id: Some("1".into()),
            opened_on: Some("01.02.2026".into()),
            closed_on: Some("01.01.2026".into()),
            share: None,
        }
        .validate(&AccountNumberFormat::default())
        .unwrap_err();
        assert!(e.for_field("closed_on").is_some());
        assert_eq!(e.0.len(), 1);
    }
}
