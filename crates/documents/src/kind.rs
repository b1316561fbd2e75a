//! The kinds of documents and the templates shipped for them.

use serde::{Deserialize, Serialize};

/// A kind of document the engine prints. Each has one shipped template.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocKind {
    /// Справка о регистрации: who is registered in the premises.
    RegistrationCertificate,
    /// Выписка из лицевого счёта: premises, area, people, benefits.
    AccountStatement,
    /// Квитанция-извещение with the payment QR code (ГОСТ Р 56042-2014).
    PaymentDocument,
    /// Письмо на бланке организации.
    Letter,
    /// Акт по результатам рассмотрения жалобы (issue 4 §8).
    ComplaintAct,
    /// Уведомление о задолженности (ПП 354 пп. 117–119): debt by period, the 20 days.
    DebtNotice,
    /// Соглашение о погашении задолженности в рассрочку с графиком платежей.
    InstallmentAgreement,
    /// Расчёт пени (ЖК ст. 155 ч. 14) as courts expect it.
    PenaltyCalculation,
    /// Заявление о вынесении судебного приказа with its appendices (the court packet).
    CourtOrderApplication,
    /// Справка об отсутствии задолженности.
    NoDebtCertificate,
    /// Выписка по лицевому счёту: charges, payments, penalties by period.
    LedgerStatement,
    /// Бланк заявления жителя (о перерасчёте, о рассрочке, претензия, жалоба …).
    ResidentApplication,
}

/// A shipped template: what the administrator sees in the list and can revert to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TemplateInfo {
    pub kind: DocKind,
    /// File name, also the name the template has inside typst (errors point to it).
    pub file_name: &'static str,
    /// Russian title of the document kind.
    pub title: &'static str,
    /// The shipped source.
    pub source: &'static str,
}

/// The shared blocks every template imports as `/common.typ` (letterhead, signature, page).
pub const COMMON_FILE: &str = "common.typ";
pub(crate) const COMMON_SOURCE: &str = include_str!("../templates/common.typ");

static SHIPPED: [TemplateInfo; 12] = [
    TemplateInfo {
        kind: DocKind::RegistrationCertificate,
        file_name: "registration_certificate.typ",
        title: "Справка о регистрации",
        source: include_str!("../templates/registration_certificate.typ"),
    },
    TemplateInfo {
        kind: DocKind::AccountStatement,
        file_name: "account_statement.typ",
        title: "Выписка из лицевого счёта",
        source: include_str!("../templates/account_statement.typ"),
    },
    TemplateInfo {
        kind: DocKind::PaymentDocument,
        file_name: "payment_document.typ",
        title: "Платёжный документ (квитанция)",
        source: include_str!("../templates/payment_document.typ"),
    },
    TemplateInfo {
        kind: DocKind::Letter,
        file_name: "letter.typ",
        title: "Письмо",
        source: include_str!("../templates/letter.typ"),
    },
    TemplateInfo {
        kind: DocKind::ComplaintAct,
        file_name: "complaint_act.typ",
        title: "Акт по жалобе",
        source: include_str!("../templates/complaint_act.typ"),
    },
    TemplateInfo {
        kind: DocKind::DebtNotice,
        file_name: "debt_notice.typ",
        title: "Уведомление о задолженности",
        source: include_str!("../templates/debt_notice.typ"),
    },
    TemplateInfo {
        kind: DocKind::InstallmentAgreement,
        file_name: "installment_agreement.typ",
        title: "Соглашение о рассрочке",
        source: include_str!("../templates/installment_agreement.typ"),
    },
    TemplateInfo {
        kind: DocKind::PenaltyCalculation,
        file_name: "penalty_calculation.typ",
        title: "Расчёт пени",
        source: include_str!("../templates/penalty_calculation.typ"),
    },
    TemplateInfo {
        kind: DocKind::CourtOrderApplication,
        file_name: "court_order_application.typ",
        title: "Заявление о вынесении судебного приказа",
        source: include_str!("../templates/court_order_application.typ"),
    },
    TemplateInfo {
        kind: DocKind::NoDebtCertificate,
        file_name: "no_debt_certificate.typ",
        title: "Справка об отсутствии задолженности",
        source: include_str!("../templates/no_debt_certificate.typ"),
    },
    TemplateInfo {
        kind: DocKind::LedgerStatement,
        file_name: "ledger_statement.typ",
        title: "Выписка по лицевому счёту",
        source: include_str!("../templates/ledger_statement.typ"),
    },
    TemplateInfo {
        kind: DocKind::ResidentApplication,
        file_name: "resident_application.typ",
        title: "Бланк заявления жителя",
        source: include_str!("../templates/resident_application.typ"),
    },
];

impl DocKind {
    pub const ALL: [DocKind; 12] = [
        DocKind::RegistrationCertificate,
        DocKind::AccountStatement,
        DocKind::PaymentDocument,
        DocKind::Letter,
        DocKind::ComplaintAct,
        DocKind::DebtNotice,
        DocKind::InstallmentAgreement,
        DocKind::PenaltyCalculation,
        DocKind::CourtOrderApplication,
        DocKind::NoDebtCertificate,
        DocKind::LedgerStatement,
        DocKind::ResidentApplication,
    ];

    /// Stable machine code (database, API, numbering scheme key).
    pub fn code(self) -> &'static str {
        match self {
            DocKind::RegistrationCertificate => "registration_certificate",
            DocKind::AccountStatement => "account_statement",
            DocKind::PaymentDocument => "payment_document",
            DocKind::Letter => "letter",
            DocKind::ComplaintAct => "complaint_act",
            DocKind::DebtNotice => "debt_notice",
            DocKind::InstallmentAgreement => "installment_agreement",
            DocKind::PenaltyCalculation => "penalty_calculation",
            DocKind::CourtOrderApplication => "court_order_application",
            DocKind::NoDebtCertificate => "no_debt_certificate",
            DocKind::LedgerStatement => "ledger_statement",
            DocKind::ResidentApplication => "resident_application",
        }
    }

    pub fn from_code(code: &str) -> Option<DocKind> {
        DocKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// Russian title, as printed on the document.
    pub fn title(self) -> &'static str {
        self.template().title
    }

    /// File name of the shipped template.
    pub fn template_file(self) -> &'static str {
        self.template().file_name
    }

    /// The shipped template of this kind.
    pub fn template(self) -> &'static TemplateInfo {
        &SHIPPED[self as usize]
    }
}

/// All shipped templates, one per [`DocKind`], in [`DocKind::ALL`] order.
pub fn shipped_templates() -> &'static [TemplateInfo] {
    &SHIPPED
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_table_matches_kinds() {
        for kind in DocKind::ALL {
            assert_eq!(kind.template().kind, kind);
            assert_eq!(DocKind::from_code(kind.code()), Some(kind));
            assert_eq!(kind.template_file(), format!("{}.typ", kind.code()));
        }
    }
}
