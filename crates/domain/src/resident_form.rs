//! The forms residents most often hand in (issue 20 §5): a blank filled from the person and
//! account cards, printed for the resident to complete and sign. What each is called, what
//! it asks for, and how it is registered when handed in: an appeal of the kind it is, or an
//! incoming letter.

use serde::{Deserialize, Serialize};

use crate::appeal::AppealKind;
use crate::ValidationErrors;

/// A kind of resident's application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ResidentForm {
    /// О перерасчёте платы (ПП 354: wrong charge, poor quality).
    Recalculation,
    /// О перерасчёте в связи с временным отсутствием (ПП 354 раздел VIII).
    Absence,
    /// О рассрочке погашения задолженности.
    Installment,
    /// Претензия: a demand to put right a loss or a poor service.
    Claim,
    /// Жалоба.
    Complaint,
    /// О выдаче справки или выписки.
    Certificate,
}

impl ResidentForm {
    pub const ALL: [ResidentForm; 6] = [
        ResidentForm::Recalculation,
        ResidentForm::Absence,
        ResidentForm::Installment,
        ResidentForm::Claim,
        ResidentForm::Complaint,
        ResidentForm::Certificate,
    ];

    /// Stable code (API, the document's data, the template's choice of wording).
    pub fn code(self) -> &'static str {
        match self {
            ResidentForm::Recalculation => "recalculation",
            ResidentForm::Absence => "absence",
            ResidentForm::Installment => "installment",
            ResidentForm::Claim => "claim",
            ResidentForm::Complaint => "complaint",
            ResidentForm::Certificate => "certificate",
        }
    }

    pub fn from_code(code: &str) -> Option<ResidentForm> {
        Self::ALL.into_iter().find(|f| f.code() == code.trim())
    }

    /// The name in a list and in the register: «Заявление о перерасчёте».
    pub fn title(self) -> &'static str {
        match self {
            ResidentForm::Recalculation => "Заявление о перерасчёте платы",
            ResidentForm::Absence => "Заявление о временном отсутствии",
            ResidentForm::Installment => "Заявление о рассрочке",
            ResidentForm::Claim => "Претензия",
            ResidentForm::Complaint => "Жалоба",
            ResidentForm::Certificate => "Заявление на справку",
        }
    }

    /// The printed heading: the document's name in capitals and what it is about.
    pub fn heading(self) -> (&'static str, &'static str) {
        match self {
            ResidentForm::Recalculation => {
                ("ЗАЯВЛЕНИЕ", "о перерасчёте платы за коммунальные услуги")
            }
            ResidentForm::Absence => (
                "ЗАЯВЛЕНИЕ",
                "о перерасчёте платы за коммунальные услуги в связи с временным отсутствием",
            ),
            ResidentForm::Installment => (
                "ЗАЯВЛЕНИЕ",
                "о предоставлении рассрочки погашения задолженности",
            ),
            ResidentForm::Claim => ("ПРЕТЕНЗИЯ", "о ненадлежащем оказании услуг"),
            ResidentForm::Complaint => ("ЖАЛОБА", ""),
            ResidentForm::Certificate => ("ЗАЯВЛЕНИЕ", "о выдаче справки"),
        }
    }

    /// The appeal it becomes when handed in: a claim or a complaint is a complaint (it needs
    /// an analysis and a decision), a request for a certificate asks for information, the
    /// rest ask the company to act.
    pub fn appeal_kind(self) -> AppealKind {
        match self {
            ResidentForm::Claim | ResidentForm::Complaint => AppealKind::Complaint,
            ResidentForm::Certificate => AppealKind::InformationRequest,
            ResidentForm::Recalculation | ResidentForm::Absence | ResidentForm::Installment => {
                AppealKind::Request
            }
        }
    }

    /// Reads the form's code, or says which codes there are.
    pub fn parse(code: Option<&str>) -> Result<ResidentForm, ValidationErrors> {
        let code = code.map(str::trim).unwrap_or_default();
        ResidentForm::from_code(code).ok_or_else(|| {
            let known: Vec<String> = Self::ALL
                .iter()
                .map(|f| format!("{} — «{}»", f.code(), f.title()))
                .collect();
            let what = if code.is_empty() {
                "Выберите, какое заявление напечатать".to_string()
            } else {
                format!("Нет такого бланка «{code}»")
            };
            ValidationErrors::single("form", format!("{what}: {}.", known.join(", ")))
        })
    }
}

/// How a handed-in form is registered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum HandIn {
    /// An appeal of the form's kind, on the account, with its own deadline.
    Appeal,
    /// An incoming letter from the resident, with the answer deadline of the register.
    Incoming,
}

impl HandIn {
    pub fn parse(code: Option<&str>) -> Result<HandIn, ValidationErrors> {
        match code.map(str::trim) {
            Some("appeal") => Ok(HandIn::Appeal),
            Some("incoming") => Ok(HandIn::Incoming),
            _ => Err(ValidationErrors::single(
                "as",
                "Выберите, как зарегистрировать заявление: appeal — обращением, incoming — \
                 входящим письмом.",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_form_reads_back_from_its_code_and_has_a_heading() {
        for f in ResidentForm::ALL {
            assert_eq!(ResidentForm::from_code(f.code()), Some(f));
            assert_eq!(ResidentForm::parse(Some(f.code())).unwrap(), f);
            assert!(!f.heading().0.is_empty() && !f.title().is_empty());
        }
        let codes: std::collections::BTreeSet<_> =
            ResidentForm::ALL.iter().map(|f| f.code()).collect();
        assert_eq!(codes.len(), ResidentForm::ALL.len());
    }

    #[test]
    fn claims_and_complaints_become_complaints() {
        assert_eq!(ResidentForm::Claim.appeal_kind(), AppealKind::Complaint);
        assert_eq!(ResidentForm::Complaint.appeal_kind(), AppealKind::Complaint);
        assert_eq!(
            ResidentForm::Certificate.appeal_kind(),
            AppealKind::InformationRequest
        );
        assert_eq!(ResidentForm::Absence.appeal_kind(), AppealKind::Request);
    }

    #[test]
    fn an_unknown_or_missing_form_is_named_at_its_field() {
        let e = ResidentForm::parse(Some("letter")).unwrap_err();
        assert_eq!(e.0[0].field, "form");
        assert!(e.0[0].message.contains("«letter»"));
        assert!(e.0[0].message.contains("recalculation"));
        let e = ResidentForm::parse(None).unwrap_err();
        assert!(e.0[0].message.starts_with("Выберите"));
        assert_eq!(HandIn::parse(Some("appeal")).unwrap(), HandIn::Appeal);
        assert_eq!(HandIn::parse(Some("x")).unwrap_err().0[0].field, "as");
    }
}
