//! The shipped deadline rules (regulations §3) and the validation of edited ones.

use super::{DeadlineRule, DeadlineUnit};
use crate::error::ValidationErrors;
use chrono::NaiveTime;
use serde::{Deserialize, Serialize};

/// Whether a rule was checked against a published source. Unverified rules are shown with a
/// warning and should be confirmed by the organization's lawyer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verification {
    Confirmed,
    #[default]
    Unverified,
}

/// What a rule's term counts from (regulations §3): the moment the company received the
/// appeal (a call, a letter arriving) or the moment it was registered. Where the source
/// counts from receipt, registering late never hides lateness.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CountsFrom {
    /// From receipt: ПП 354 п. 108 «с момента получения сообщения», запросы по ПП 416.
    Receipt,
    /// From registration: ПП 416 п. 13 «с момента регистрации заявки», 59-ФЗ ст. 12.
    #[default]
    Registration,
}

impl CountsFrom {
    pub const ALL: [CountsFrom; 2] = [Self::Receipt, Self::Registration];

    pub fn code(self) -> &'static str {
        match self {
            Self::Receipt => "receipt",
            Self::Registration => "registration",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == code.trim())
    }

    /// Russian, as the rule's page shows it.
    pub fn title(self) -> &'static str {
        match self {
            Self::Receipt => "с момента поступления обращения",
            Self::Registration => "с момента регистрации",
        }
    }
}

/// The rules of regulations §3, as defaults for the settings table.
pub fn default_rules() -> Vec<DeadlineRule> {
    use DeadlineUnit::*;
    use Verification::*;
    const P416: &str = "ПП РФ № 416, п. 13";
    let window = NaiveTime::from_hms_opt(8, 0, 0).zip(NaiveTime::from_hms_opt(23, 0, 0));
    let rule = |code: &str, title: &str, amount, unit, source: &str, verification| DeadlineRule {
        code: code.into(),
        title: title.into(),
        amount,
        unit,
        source: source.into(),
        only_between: None,
        verification,
        counts_from: CountsFrom::Registration,
    };
    // Where the source counts from the moment the company learned of the matter.
    let from_receipt = |r: DeadlineRule| DeadlineRule {
        counts_from: CountsFrom::Receipt,
        ..r
    };
    vec![
        rule(
            "ads_localisation",
            "Локализация аварийного повреждения (вода, канализация, отопление, электроснабжение)",
            30,
            Minutes,
            P416,
            Confirmed,
        ),
        rule(
            "ads_sewage_blockage",
            "Устранение засора канализации",
            2,
            Hours,
            P416,
            Confirmed,
        ),
        DeadlineRule {
            only_between: window,
            ..rule(
                "ads_refuse_chute_blockage",
                "Устранение засора мусоропровода (с 08:00 до 23:00)",
                2,
                Hours,
                P416,
                Confirmed,
            )
        },
        from_receipt(rule(
            "ads_emergency_elimination",
            "Устранение аварийного повреждения (3 суток)",
            3,
            CalendarDays,
            P416,
            Confirmed,
        )),
        from_receipt(rule(
            "quality_complaint_check",
            "Проверка сообщения о нарушении качества коммунальной услуги",
            2,
            Hours,
            "ПП РФ № 354, п. 108",
            Confirmed,
        )),
        from_receipt(rule(
            "written_request",
            "Ответ на письменный запрос в управляющую организацию",
            10,
            WorkingDays,
            "ПП РФ № 416 (запросы собственников и пользователей помещений)",
            Confirmed,
        )),
        from_receipt(rule(
            "basic_information",
            "Предоставление основной информации об управляющей организации (на следующий день)",
            1,
            WorkingDays,
            "ПП РФ № 416 (запросы собственников и пользователей помещений)",
            Unverified,
        )),
        from_receipt(rule(
            "works_information",
            "Информация о перечне, объёмах и качестве оказанных услуг и выполненных работ",
            5,
            WorkingDays,
            "ПП РФ № 491, п. 40 «а»",
            Unverified,
        )),
        rule(
            "organization_request",
            "Заявка на работы без аварии — по регламенту организации (уточните срок)",
            3,
            WorkingDays,
            "Регламент управляющей организации (настраивается администратором)",
            Unverified,
        ),
        from_receipt(rule(
            "complaint_answer",
            "Ответ на жалобу, не связанную с качеством коммунальной услуги (поведение сотрудников, уборка, содержание)",
            10,
            WorkingDays,
            "ПП РФ № 416 (обращения собственников и пользователей помещений)",
            Unverified,
        )),
        from_receipt(rule(
            "charges_check",
            "Проверка правильности начисления платы по обращению потребителя (немедленно — не позже следующего рабочего дня)",
            1,
            WorkingDays,
            "ПП РФ № 354, п. 31 «д»",
            Unverified,
        )),
        rule(
            "appeal_59fz",
            "Ответ на обращение гражданина (в т. ч. переданное жилищной инспекцией)",
            30,
            CalendarDays,
            "Федеральный закон № 59-ФЗ, ст. 12 ч. 1",
            Unverified,
        ),
    ]
}

impl DeadlineRule {
    /// Checks a rule an administrator edited. Russian messages per field.
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let code_ok = !self.code.is_empty()
            && self
                .code
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if !code_ok {
            errors.add(
                "code",
                "Код: латинские строчные буквы, цифры и «_», например ads_sewage_blockage",
            );
        }
        if self.title.trim().is_empty() {
            errors.add("title", "Укажите название срока");
        }
        if self.source.trim().is_empty() {
            errors.add(
                "source",
                "Укажите источник: документ и пункт, например «ПП РФ № 416, п. 13»",
            );
        }
        // About a year in each unit: a longer term is almost surely a wrong unit.
        let max = match self.unit {
            DeadlineUnit::Minutes => 366 * 24 * 60,
            DeadlineUnit::Hours => 366 * 24,
            DeadlineUnit::CalendarDays => 366,
            DeadlineUnit::WorkingDays => 250,
        };
        if self.amount == 0 {
            errors.add("amount", "Срок должен быть больше нуля");
        } else if self.amount > max {
            errors.add(
                "amount",
                format!("Срок больше года ({max}) — проверьте единицу измерения"),
            );
        }
        if let Some((open, close)) = self.only_between {
            if self.unit.is_day_counted() {
                errors.add(
                    "only_between",
                    "Часы работы задаются только для сроков в минутах и часах",
                );
            } else if open >= close {
                errors.add(
                    "only_between",
                    format!(
                        "Начало ({}) должно быть раньше конца ({}) в пределах суток",
                        open.format("%H:%M"),
                        close.format("%H:%M")
                    ),
                );
            }
        }
        errors.into_result(())
    }
}

/// A new rule's code must not be taken: the refusal names the field `code`.
pub fn check_new_rule_code(code: &str, taken: bool) -> Result<(), crate::ValidationErrors> {
    if taken {
        return Err(crate::ValidationErrors::single(
            "code",
            format!(
                "Правило с кодом «{code}» уже есть: выберите другой код или измените его выше."
            ),
        ));
    }
    Ok(())
}
