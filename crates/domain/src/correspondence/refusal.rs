//! What a letter's change is refused for: a move between states the register does not
//! allow, and the conflicts storage finds against stored letters and records (a date moved
//! out of the number's year, a missing executor). Storage reports the facts; the words are
//! here.

use super::IncomingStatus;
use crate::ValidationErrors;

/// The longest reason kept with a status change.
const MAX_REASON: usize = 500;

/// Whether an incoming letter in `from` may be moved to `to` with `reason` (already
/// cleaned; `None` when empty). «Answered» comes only from registering the reply.
pub fn check_status_change(
    from: IncomingStatus,
    to: IncomingStatus,
    reason: Option<&str>,
) -> Result<(), ValidationErrors> {
    let refuse = |field: &str, message: String| Err(ValidationErrors::single(field, message));
    match (from, to) {
        (_, IncomingStatus::Answered) => {
            return refuse(
                "status",
                "Отметка «Дан ответ» ставится регистрацией исходящего письма со ссылкой на это входящее: зарегистрируйте ответ в исходящих.".into(),
            )
        }
        (_, IncomingStatus::Registered) => {
            return refuse(
                "status",
                "Вернуть письмо в «Зарегистрировано» нельзя: выберите «На исполнении» или «Закрыто».".into(),
            )
        }
        (from, to) if from == to => {
            return refuse("status", format!("Письмо уже в состоянии «{}».", to.title()))
        }
        (IncomingStatus::Answered | IncomingStatus::Closed, IncomingStatus::InWork)
            if reason.is_none() =>
        {
            return refuse(
                "reason",
                "Укажите, почему письмо возвращается на исполнение.".into(),
            )
        }
        (_, IncomingStatus::Closed) if reason.is_none() => {
            return refuse(
                "reason",
                "Укажите причину закрытия без ответа (например, «Ответ дан устно заявителю» или «Направлено по подведомственности»).".into(),
            )
        }
        _ => {}
    }
    if reason.is_some_and(|r| r.chars().count() > MAX_REASON) {
        return refuse(
            "reason",
            "Причина длиннее 500 символов: сократите её.".into(),
        );
    }
    Ok(())
}

/// The reason a scan is removed: required, at most 500 characters; cleaned.
pub fn removal_reason(reason: &str) -> Result<String, ValidationErrors> {
    let mut e = ValidationErrors::new();
    let r = crate::text::required(&mut e, "reason", "Причина удаления", reason, MAX_REASON);
    e.into_result(r)
}

/// The history note of an incoming letter answered by the outgoing letter `number`.
pub fn answer_note(outgoing_number: &str) -> String {
    format!("Ответ: исходящее № {outgoing_number}")
}

/// A letter's write refused by what is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CorrespondenceRefusal {
    /// An incoming letter's date moved out of the year its number belongs to.
    ReceivedInOtherYear {
        number: String,
        year: i32,
    },
    /// An outgoing letter's date moved out of the year its number belongs to.
    SentInOtherYear {
        number: String,
        year: i32,
    },
    NoSuchExecutor(i64),
    ExecutorInactive,
    NoSuchAccount(i64),
    NoSuchPerson(i64),
    /// The incoming letter an outgoing one answers does not exist.
    NoSuchAnswered(i64),
    AttachmentRemoved,
}

impl CorrespondenceRefusal {
    pub fn field(&self) -> &'static str {
        use CorrespondenceRefusal::*;
        match self {
            ReceivedInOtherYear { .. } => "received_on",
            SentInOtherYear { .. } => "sent_on",
            NoSuchExecutor(_) | ExecutorInactive => "executor_user_id",
            NoSuchAccount(_) => "account_id",
            NoSuchPerson(_) => "person_id",
            NoSuchAnswered(_) => "answers_incoming_id",
            AttachmentRemoved => "reason",
        }
    }

    pub fn message(&self) -> String {
        use CorrespondenceRefusal::*;
        match self {
            ReceivedInOtherYear { number, year } => format!(
                "Письмо № {number} зарегистрировано в {year} году: дату поступления можно менять только в пределах этого года."
            ),
            SentInOtherYear { number, year } => format!(
                "Письмо № {number} зарегистрировано в {year} году: дату отправки можно менять только в пределах этого года. Ошибочное письмо отметьте в примечании и зарегистрируйте новое."
            ),
            NoSuchExecutor(id) => {
                format!("Сотрудник с кодом {id} не найден: выберите исполнителя из списка.")
            }
            ExecutorInactive => {
                "Учётная запись исполнителя отключена: выберите другого сотрудника.".into()
            }
            NoSuchAccount(id) => format!(
                "Лицевой счёт с кодом {id} не найден: выберите запись из реестра или оставьте поле пустым."
            ),
            NoSuchPerson(id) => format!(
                "Человек с кодом {id} не найден: выберите запись из реестра или оставьте поле пустым."
            ),
            NoSuchAnswered(id) => format!(
                "Входящее письмо с кодом {id} не найдено: выберите письмо, на которое отвечаете, из реестра."
            ),
            AttachmentRemoved => "Вложение уже удалено.".into(),
        }
    }

    /// Adds the refusal to the others found for the same letter.
    pub fn add_to(&self, errors: &mut ValidationErrors) {
        errors.add(self.field(), self.message());
    }
}

impl From<CorrespondenceRefusal> for ValidationErrors {
    fn from(r: CorrespondenceRefusal) -> Self {
        ValidationErrors::single(r.field(), r.message())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use IncomingStatus::*;

    fn said(r: Result<(), ValidationErrors>) -> (String, String) {
        let e = r.unwrap_err();
        (e.0[0].field.clone(), e.0[0].message.clone())
    }

    #[test]
    fn answered_and_registered_are_not_chosen_by_hand() {
        let (f, m) = said(check_status_change(InWork, Answered, Some("x")));
        assert_eq!(f, "status");
        assert!(
            m.starts_with("Отметка «Дан ответ» ставится регистрацией"),
            "{m}"
        );
        let (f, m) = said(check_status_change(InWork, Registered, None));
        assert_eq!(f, "status");
        assert!(
            m.starts_with("Вернуть письмо в «Зарегистрировано» нельзя"),
            "{m}"
        );
        let (_, m) = said(check_status_change(InWork, InWork, None));
        assert_eq!(m, "Письмо уже в состоянии «На исполнении».");
    }

    #[test]
    fn reopening_and_closing_need_a_reason() {
        assert!(check_status_change(Registered, InWork, None).is_ok());
        for from in [Answered, Closed] {
            let (f, m) = said(check_status_change(from, InWork, None));
            assert_eq!(
                (f.as_str(), m.as_str()),
                (
                    "reason",
                    "Укажите, почему письмо возвращается на исполнение."
                )
            );
            assert!(check_status_change(from, InWork, Some("повторное обращение")).is_ok());
        }
        let (f, m) = said(check_status_change(InWork, Closed, None));
        assert_eq!(f, "reason");
        assert!(m.starts_with("Укажите причину закрытия без ответа"), "{m}");
        assert!(check_status_change(InWork, Closed, Some("дан устно")).is_ok());
        let long = "я".repeat(501);
        let (f, m) = said(check_status_change(InWork, Closed, Some(&long)));
        assert_eq!(
            (f.as_str(), m.as_str()),
            ("reason", "Причина длиннее 500 символов: сократите её.")
        );
    }

    #[test]
    fn removal_reason_and_answer_note() {
        assert_eq!(removal_reason(" не то письмо ").unwrap(), "не то письмо");
        assert!(removal_reason(" ")
            .unwrap_err()
            .for_field("reason")
            .is_some());
        assert_eq!(answer_note("Исх-3/26"), "Ответ: исходящее № Исх-3/26");
    }

    #[test]
    fn refusals_name_their_field() {
        use CorrespondenceRefusal::*;
        let cases = [
            (ReceivedInOtherYear { number: "Вх-1/26".into(), year: 2026 }, "received_on", "Письмо № Вх-1/26 зарегистрировано в 2026 году: дату поступления можно менять только в пределах этого года."),
            (SentInOtherYear { number: "Исх-1/26".into(), year: 2026 }, "sent_on", "Письмо № Исх-1/26 зарегистрировано в 2026 году: дату отправки можно менять только в пределах этого года. Ошибочное письмо отметьте в примечании и зарегистрируйте новое."),
            (NoSuchExecutor(4), "executor_user_id", "Сотрудник с кодом 4 не найден: выберите исполнителя из списка."),
            (ExecutorInactive, "executor_user_id", "Учётная запись исполнителя отключена: выберите другого сотрудника."),
            (NoSuchAccount(5), "account_id", "Лицевой счёт с кодом 5 не найден: выберите запись из реестра или оставьте поле пустым."),
            (NoSuchPerson(6), "person_id", "Человек с кодом 6 не найден: выберите запись из реестра или оставьте поле пустым."),
            (NoSuchAnswered(7), "answers_incoming_id", "Входящее письмо с кодом 7 не найдено: выберите письмо, на которое отвечаете, из реестра."),
            (AttachmentRemoved, "reason", "Вложение уже удалено."),
        ];
        for (r, field, message) in cases {
            assert_eq!(ValidationErrors::from(r).for_field(field), Some(message));
        }
    }
}
