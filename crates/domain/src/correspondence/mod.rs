//! Correspondence registers (входящая / исходящая корреспонденция): what a letter is, how
//! its answer deadline follows from the sender kind (regulations §3) and which scans are
//! accepted. Pure: the caller passes today and the work calendar.

mod attachment;
mod deadline;
mod forms;
mod refusal;

pub use attachment::{check_attachment, MAX_ATTACHMENT_BYTES};
pub use deadline::{
    answer_deadline, answer_deadline_by, check_answer_rule, rule_for, AnswerDeadline,
};
pub use forms::{IncomingData, IncomingForm, OutgoingData, OutgoingForm};
pub use refusal::{answer_note, check_status_change, removal_reason, CorrespondenceRefusal};

use serde::{Deserialize, Serialize};

/// Who wrote an incoming letter; decides the default answer deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SenderKind {
    Person,
    Organization,
    HousingInspectorate,
    Prosecutor,
    OtherState,
}

impl SenderKind {
    pub const ALL: [SenderKind; 5] = [
        SenderKind::Person,
        SenderKind::Organization,
        SenderKind::HousingInspectorate,
        SenderKind::Prosecutor,
        SenderKind::OtherState,
    ];

    pub fn code(self) -> &'static str {
        match self {
            SenderKind::Person => "person",
            SenderKind::Organization => "organization",
            SenderKind::HousingInspectorate => "housing_inspectorate",
            SenderKind::Prosecutor => "prosecutor",
            SenderKind::OtherState => "other_state",
        }
    }

    pub fn from_code(s: &str) -> Option<SenderKind> {
        Self::ALL.into_iter().find(|k| k.code() == s.trim())
    }

    pub fn title(self) -> &'static str {
        match self {
            SenderKind::Person => "Гражданин",
            SenderKind::Organization => "Организация",
            SenderKind::HousingInspectorate => "Жилищная инспекция",
            SenderKind::Prosecutor => "Прокуратура",
            SenderKind::OtherState => "Иной государственный орган",
        }
    }

    /// State bodies often set the term in the letter itself; it then takes precedence.
    pub fn is_state_body(self) -> bool {
        matches!(
            self,
            SenderKind::HousingInspectorate | SenderKind::Prosecutor | SenderKind::OtherState
        )
    }
}

/// Where an incoming letter stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum IncomingStatus {
    Registered,
    InWork,
    Answered,
    Closed,
}

impl IncomingStatus {
    pub const ALL: [IncomingStatus; 4] = [
        IncomingStatus::Registered,
        IncomingStatus::InWork,
        IncomingStatus::Answered,
        IncomingStatus::Closed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            IncomingStatus::Registered => "registered",
            IncomingStatus::InWork => "in_work",
            IncomingStatus::Answered => "answered",
            IncomingStatus::Closed => "closed",
        }
    }

    pub fn from_code(s: &str) -> Option<IncomingStatus> {
        Self::ALL.into_iter().find(|k| k.code() == s)
    }

    pub fn title(self) -> &'static str {
        match self {
            IncomingStatus::Registered => "Зарегистрировано",
            IncomingStatus::InWork => "На исполнении",
            IncomingStatus::Answered => "Дан ответ",
            IncomingStatus::Closed => "Закрыто",
        }
    }

    /// Still waiting for an answer (shown in the «awaiting» view).
    pub fn is_awaiting(self) -> bool {
        matches!(self, IncomingStatus::Registered | IncomingStatus::InWork)
    }
}

/// How an outgoing letter was sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SendMethod {
    Post,
    Email,
    Hand,
    Portal,
}

impl SendMethod {
    pub const ALL: [SendMethod; 4] = [
        SendMethod::Post,
        SendMethod::Email,
        SendMethod::Hand,
        SendMethod::Portal,
    ];

    pub fn code(self) -> &'static str {
        match self {
            SendMethod::Post => "post",
            SendMethod::Email => "email",
            SendMethod::Hand => "hand",
            SendMethod::Portal => "portal",
        }
    }

    pub fn from_code(s: &str) -> Option<SendMethod> {
        Self::ALL.into_iter().find(|k| k.code() == s.trim())
    }

    pub fn title(self) -> &'static str {
        match self {
            SendMethod::Post => "Почтой",
            SendMethod::Email => "Электронной почтой",
            SendMethod::Hand => "Нарочно (под подпись)",
            SendMethod::Portal => "Через портал (ГИС ЖКХ)",
        }
    }
}

#[cfg(test)]
mod tests;
