//! Staff roles and what each may do. The server checks these on every page and API route.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Administrator,
    Manager,
    Specialist,
    Dispatcher,
    Accountant,
    Lawyer,
    Contractor,
    Auditor,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permission {
    /// See buildings, premises and accounts.
    ViewRegistry,
    /// See people: personal data under 152-ФЗ; every read is logged.
    ViewPersonalData,
    /// Create, edit and close registry records.
    EditRegistry,
    /// Bulk import of the registry from files.
    ImportRegistry,
    /// Staff accounts and API tokens.
    ManageUsers,
    /// See charges, payments, penalties, debts and the turnover sheet.
    ViewLedger,
    /// Import charges and payment registers, take cash payments, reverse payments, resolve
    /// unmatched payments, run the penalty accrual.
    EditLedger,
    /// Register profiles, key rates, penalty settings, due-date rules.
    ManageLedgerSettings,
    /// Organization details, numbering schemes, the work calendar: reference data laws change.
    ManageReferenceData,
    /// See issued documents and print them again.
    ViewDocuments,
    /// Issue certificates, statements, payment documents and letters.
    IssueDocuments,
    /// Edit, preview and revert document templates.
    ManageTemplates,
    /// See the incoming and outgoing correspondence registers.
    ViewCorrespondence,
    /// Register letters, attach scans, set executors and answers.
    EditCorrespondence,
    /// See the appeals register.
    ViewAppeals,
    /// Register appeals (phone, letter, visit…).
    RegisterAppeals,
    /// Move appeals through the workflow and comment; each transition is further checked
    /// against the role by abonent_domain::appeal::check_transition.
    ProcessAppeals,
    /// The contractor's own orders: see the appeals assigned to the contractor of this login
    /// and report on them. Only the contractor role; the register stays closed to it.
    WorkOwnOrders,
    /// Register outages and record their actual times (a contractor only its own).
    ReportOutages,
    /// Post and reverse the quality recalculation of an outage (ПП 354, приложение № 1).
    RecalculateOutages,
    /// Debtor work: stage moves, notices and their delivery, installment plans.
    WorkDebtors,
    /// Erase a person's personal data when the ground to keep it has ended (152-ФЗ).
    ErasePersonalData,
    /// The personal-data access log (who was shown whom, 152-ФЗ): the auditor and the
    /// administrator only.
    ReadAccessLog,
    /// Read the knowledge base and its feed of legal changes.
    ReadKnowledge,
    /// Confirm having read a «новое в законодательстве» article: everyone who answers
    /// residents; not the auditor, who only reads.
    ConfirmKnowledge,
    /// Write articles (each edit a new version) and see who has not confirmed reading.
    EditKnowledge,
}

impl Role {
    pub const ALL: [Role; 8] = [
        Role::Administrator,
        Role::Manager,
        Role::Specialist,
        Role::Dispatcher,
        Role::Accountant,
        Role::Lawyer,
        Role::Contractor,
        Role::Auditor,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Role::Administrator => "administrator",
            Role::Manager => "manager",
            Role::Specialist => "specialist",
            Role::Dispatcher => "dispatcher",
            Role::Accountant => "accountant",
            Role::Lawyer => "lawyer",
            Role::Contractor => "contractor",
            Role::Auditor => "auditor",
        }
    }

    pub fn from_code(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }

    /// Russian name for the UI.
    pub fn title(self) -> &'static str {
        match self {
            Role::Administrator => "Администратор",
            Role::Manager => "Руководитель",
            Role::Specialist => "Специалист",
            Role::Dispatcher => "Диспетчер",
            Role::Accountant => "Бухгалтер",
            Role::Lawyer => "Юрист",
            Role::Contractor => "Подрядчик",
            Role::Auditor => "Аудитор (только чтение)",
        }
    }

    pub fn can(self, p: Permission) -> bool {
        use Permission::*;
        use Role::*;
        match p {
            ViewRegistry | ViewPersonalData => !matches!(self, Contractor),
            EditRegistry => matches!(self, Administrator | Manager | Specialist | Accountant),
            ImportRegistry => matches!(self, Administrator | Manager | Specialist),
            ViewLedger => !matches!(self, Contractor),
            EditLedger => matches!(self, Administrator | Accountant),
            ManageLedgerSettings => matches!(self, Administrator),
            ManageUsers | ManageReferenceData | ManageTemplates => matches!(self, Administrator),
            ViewDocuments | ViewCorrespondence => !matches!(self, Contractor),
            IssueDocuments | EditCorrespondence => matches!(
                self,
                Administrator | Manager | Specialist | Accountant | Lawyer
            ),
            ViewAppeals => !matches!(self, Contractor),
            RegisterAppeals => matches!(self, Administrator | Manager | Specialist | Dispatcher),
            ProcessAppeals => !matches!(self, Auditor | Contractor),
            WorkOwnOrders => matches!(self, Contractor),
            ReportOutages => matches!(
                self,
                Administrator | Manager | Specialist | Dispatcher | Contractor
            ),
            RecalculateOutages => matches!(self, Administrator | Manager | Specialist | Accountant),
            WorkDebtors => matches!(self, Administrator | Manager | Accountant | Lawyer),
            ErasePersonalData => matches!(self, Administrator),
            ReadAccessLog => matches!(self, Administrator | Auditor),
            ReadKnowledge => !matches!(self, Contractor),
            ConfirmKnowledge => !matches!(self, Contractor | Auditor),
            EditKnowledge => matches!(self, Administrator | Manager | Lawyer),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specialists_read_and_confirm_managers_write_articles() {
        use Permission::*;
        assert!(Role::Specialist.can(ReadKnowledge) && Role::Specialist.can(ConfirmKnowledge));
        assert!(!Role::Specialist.can(EditKnowledge));
        assert!(Role::Manager.can(EditKnowledge) && Role::Administrator.can(EditKnowledge));
        assert!(Role::Auditor.can(ReadKnowledge) && !Role::Auditor.can(ConfirmKnowledge));
        assert!(!Role::Contractor.can(ReadKnowledge));
    }

    #[test]
    fn codes_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::from_code(r.code()), Some(r));
        }
        assert_eq!(Role::from_code("root"), None);
    }

    #[test]
    fn auditor_reads_but_never_writes() {
        assert!(Role::Auditor.can(Permission::ViewRegistry));
        assert!(!Role::Auditor.can(Permission::EditRegistry));
        assert!(!Role::Auditor.can(Permission::ImportRegistry));
        assert!(!Role::Auditor.can(Permission::ManageUsers));
        assert!(Role::Auditor.can(Permission::ViewDocuments));
        assert!(!Role::Auditor.can(Permission::IssueDocuments));
        assert!(!Role::Auditor.can(Permission::EditCorrespondence));
    }

    #[test]
    fn contractor_sees_no_registry() {
        assert!(!Role::Contractor.can(Permission::ViewRegistry));
        assert!(!Role::Contractor.can(Permission::ViewPersonalData));
        assert!(!Role::Contractor.can(Permission::ViewAppeals));
    }

    #[test]
    fn only_contractor_works_own_orders() {
        for r in Role::ALL {
            assert_eq!(r.can(Permission::WorkOwnOrders), r == Role::Contractor);
        }
    }

    #[test]
    fn outages_are_reported_by_contractors_and_recalculated_by_staff() {
        assert!(Role::Contractor.can(Permission::ReportOutages));
        assert!(!Role::Contractor.can(Permission::RecalculateOutages));
        assert!(Role::Specialist.can(Permission::RecalculateOutages));
        assert!(!Role::Auditor.can(Permission::ReportOutages));
    }

    #[test]
    fn ledger_rights() {
        assert!(Role::Lawyer.can(Permission::ViewLedger));
        assert!(!Role::Contractor.can(Permission::ViewLedger));
        assert!(Role::Accountant.can(Permission::EditLedger));
        assert!(!Role::Specialist.can(Permission::EditLedger));
        assert!(!Role::Auditor.can(Permission::EditLedger));
        assert!(!Role::Accountant.can(Permission::ManageLedgerSettings));
        assert!(Role::Administrator.can(Permission::ManageLedgerSettings));
        assert!(Role::Lawyer.can(Permission::WorkDebtors));
        assert!(!Role::Specialist.can(Permission::WorkDebtors));
        assert!(!Role::Auditor.can(Permission::WorkDebtors));
    }

    #[test]
    fn access_log_is_for_the_auditor_and_the_administrator() {
        for r in Role::ALL {
            assert_eq!(
                r.can(Permission::ReadAccessLog),
                matches!(r, Role::Administrator | Role::Auditor)
            );
        }
    }

    #[test]
    fn only_administrator_manages_users() {
        for r in Role::ALL {
            assert_eq!(r.can(Permission::ManageUsers), r == Role::Administrator);
        }
    }
}
