//! What work on an appeal is refused for, in a person's words. Storage finds these against
//! what it holds (inside its transaction) and returns them with the facts; the wording and
//! the form field they are shown at are decided here, like [`crate::ledger::LedgerRefusal`].

use crate::money::{counted, format_count};
use crate::ValidationErrors;

/// «не больше 1 обращения», «из 5 обращений».
const APPEALS_GENITIVE: [&str; 3] = ["обращения", "обращений", "обращений"];

/// A reference an assignment rule names that does not exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleReference {
    Category,
    Building,
    Department,
    Contractor,
    Staff,
}

impl RuleReference {
    pub fn field(self) -> &'static str {
        match self {
            RuleReference::Category => "category_id",
            RuleReference::Building => "building_id",
            RuleReference::Department => "department_id",
            RuleReference::Contractor => "contractor_id",
            RuleReference::Staff => "user_id",
        }
    }

    fn missing(self) -> &'static str {
        match self {
            RuleReference::Category => "Такой категории нет",
            RuleReference::Building => "Такого дома нет в реестре",
            RuleReference::Department => "Такого отдела нет",
            RuleReference::Contractor => "Такого подрядчика нет",
            RuleReference::Staff => "Такого сотрудника нет",
        }
    }
}

/// A change to an appeal, an incident or the appeals' reference data refused by what is
/// stored (or, for a few, by what was entered alone).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AppealRefusal {
    /// A status change without the status.
    NoTargetStatus,
    /// A deferral of an appeal whose clock does not run.
    DeferralNotRunning,
    /// Localisation of an appeal that is not an emergency.
    NoLocalisationDeadline,
    /// Localised already, at `at` (the organization's local time, as shown).
    AlreadyLocalised {
        at: String,
    },
    /// A change of priority of an appeal no longer open.
    PriorityNotOpen,
    /// An alert acknowledged before, by `by` when known.
    AlertAcknowledged {
        by: Option<String>,
    },
    /// A rating of an appeal not done yet.
    RatingBeforeDone,
    /// A rating link used or expired meanwhile.
    RatingLinkSpent,
    /// A bulk action with nothing marked.
    NothingMarked,
    /// A bulk action over its limit.
    TooManyMarked {
        max: usize,
        marked: usize,
    },
    /// A bulk action some appeals refused: each failure as «number: why».
    BulkRefused {
        failed: Vec<String>,
        total: usize,
    },
    /// An incident with no appeals marked.
    NoIncidentAppeals,
    /// An appeal no longer open joining an incident.
    JoinNotOpen {
        number: String,
    },
    /// An appeal in an incident already.
    JoinLinked {
        number: String,
    },
    /// An appeal without a building joining an incident.
    JoinNoBuilding {
        number: String,
    },
    /// An appeal of another building than the incident's.
    JoinOtherBuilding {
        number: String,
    },
    IncidentTitleTooLong,
    /// Appeals linked to a closed incident.
    IncidentClosedForLinks,
    /// An incident closed without saying what was done.
    IncidentNoResult,
    IncidentClosed,
    /// Registration naming an account, premises or building the registry does not hold, or
    /// ones that do not belong together.
    UnknownAccount,
    PremisesNotOfAccount,
    UnknownPremises,
    BuildingNotOfPremises,
    UnknownBuilding,
    UnknownCategory,
    UnknownParentCategory,
    CategoryExists {
        title: String,
    },
    UnknownDeadlineRule {
        code: String,
    },
    UnknownCategoryCode {
        code: String,
    },
    SameBinding,
    DepartmentExists,
    /// A contractor's building that the registry does not hold.
    UnknownContractorBuilding {
        id: i64,
    },
    /// An assignment rule needs exactly one executor.
    OneRuleTarget,
    UnknownRuleReference(RuleReference),
}

impl AppealRefusal {
    /// The form field the refusal is shown at.
    pub fn field(&self) -> &'static str {
        use AppealRefusal::*;
        match self {
            NoTargetStatus => "to",
            DeferralNotRunning => "deadline",
            NoLocalisationDeadline | AlreadyLocalised { .. } => "localised",
            PriorityNotOpen => "priority",
            AlertAcknowledged { .. } => "alert",
            RatingBeforeDone | RatingLinkSpent => "rating",
            NothingMarked | TooManyMarked { .. } | BulkRefused { .. } => "ids",
            NoIncidentAppeals
            | JoinNotOpen { .. }
            | JoinLinked { .. }
            | JoinNoBuilding { .. }
            | JoinOtherBuilding { .. } => "appeal_ids",
            IncidentTitleTooLong => "title",
            IncidentClosedForLinks => "incident_id",
            IncidentNoResult => "result",
            IncidentClosed => "status",
            UnknownAccount => "account_id",
            PremisesNotOfAccount | UnknownPremises => "premises_id",
            BuildingNotOfPremises | UnknownBuilding => "building_id",
            UnknownCategory => "category_id",
            UnknownParentCategory => "parent_id",
            CategoryExists { .. } => "title",
            UnknownDeadlineRule { .. } | SameBinding => "rule",
            UnknownCategoryCode { .. } => "category",
            DepartmentExists => "name",
            UnknownContractorBuilding { .. } => "building_ids",
            OneRuleTarget => "target",
            UnknownRuleReference(r) => r.field(),
        }
    }

    pub fn message(&self) -> String {
        use AppealRefusal::*;
        match self {
            NoTargetStatus => "Выберите новый статус обращения.".into(),
            DeferralNotRunning => "Срок переносят только у обращения в работе (не ожидающего, \
                                   не выполненного и не закрытого)."
                .into(),
            NoLocalisationDeadline => {
                "У обращения нет срока локализации: он есть только у аварийных.".into()
            }
            AlreadyLocalised { at } => format!("Авария уже отмечена локализованной {at}."),
            PriorityNotOpen => "Приоритет меняют только у открытого обращения.".into(),
            AlertAcknowledged { by } => format!(
                "Оповещение уже подтверждено ({}): повторно подтверждать не нужно.",
                by.as_deref().unwrap_or("сотрудник")
            ),
            RatingBeforeDone => {
                "Оценку записывают после выполнения работ: обращение ещё не выполнено.".into()
            }
            RatingLinkSpent => {
                "Ссылка уже использована или её срок истёк: оценка не записана.".into()
            }
            NothingMarked => "Отметьте в журнале хотя бы одно обращение.".into(),
            TooManyMarked { max, marked } => format!(
                "За один раз можно изменить не больше {}, отмечено {}. \
                 Разделите выбор на части.",
                counted(*max as i64, APPEALS_GENITIVE),
                format_count(*marked as i64)
            ),
            BulkRefused { failed, total } => format!(
                "Ничего не изменено: {} из {} нельзя перевести. {}",
                format_count(failed.len() as i64),
                counted(*total as i64, APPEALS_GENITIVE),
                failed.join("; ")
            ),
            NoIncidentAppeals => "Отметьте обращения, которые относятся к аварии.".into(),
            JoinNotOpen { number } => format!(
                "Обращение {number} уже не открыто: к аварии привязываются только открытые."
            ),
            JoinLinked { number } => format!("Обращение {number} уже привязано к аварии."),
            JoinNoBuilding { number } => {
                format!("У обращения {number} не указан дом: авария относится к одному дому.")
            }
            JoinOtherBuilding { number } => {
                format!("Обращение {number} — из другого дома: авария относится к одному дому.")
            }
            IncidentTitleTooLong => "Название аварии длиннее 300 знаков: сократите его.".into(),
            IncidentClosedForLinks => "Авария уже закрыта: зарегистрируйте новую.".into(),
            IncidentNoResult => {
                "Опишите, что сделано по аварии: это запишется в каждое обращение.".into()
            }
            IncidentClosed => "Авария уже закрыта.".into(),
            UnknownAccount => "Такого лицевого счёта нет: выберите счёт из реестра.".into(),
            PremisesNotOfAccount => {
                "Помещение не совпадает с помещением лицевого счёта: выберите одно из них.".into()
            }
            UnknownPremises => "Такого помещения нет: выберите помещение из реестра.".into(),
            BuildingNotOfPremises => {
                "Дом не совпадает с домом помещения: выберите одно из них.".into()
            }
            UnknownBuilding => "Такого дома нет в реестре: выберите дом из списка или запишите \
                                адрес текстом."
                .into(),
            UnknownCategory => "Такой категории нет: выберите категорию из списка.".into(),
            UnknownParentCategory => {
                "Такой родительской категории нет: выберите её из списка.".into()
            }
            CategoryExists { title } => {
                format!("Категория «{title}» здесь уже есть: выберите другое название.")
            }
            UnknownDeadlineRule { code } => {
                format!("Правила срока «{code}» нет: выберите правило из списка.")
            }
            UnknownCategoryCode { code } => {
                format!("Категории с кодом «{code}» нет: выберите категорию из списка.")
            }
            SameBinding => "Привязка с такими же условиями уже есть: измените условия или \
                            удалите прежнюю."
                .into(),
            DepartmentExists => "Отдел с таким названием уже есть: назовите иначе.".into(),
            UnknownContractorBuilding { id } => {
                format!("Дома с кодом {id} нет в реестре: выберите дом из списка.")
            }
            OneRuleTarget => {
                "Выберите одного исполнителя правила: отдел, подрядчика или сотрудника.".into()
            }
            UnknownRuleReference(r) => format!("{}: выберите из списка.", r.missing()),
        }
    }

    /// Adds the refusal to errors being collected (forms that report every field at once).
    pub fn add_to(&self, e: &mut ValidationErrors) {
        e.add(self.field(), self.message());
    }
}

impl std::fmt::Display for AppealRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message())
    }
}

impl From<AppealRefusal> for ValidationErrors {
    fn from(r: AppealRefusal) -> Self {
        ValidationErrors::single(r.field(), r.message())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_name_their_facts_at_their_field() {
        let r = AppealRefusal::AlertAcknowledged {
            by: Some("Иванова".into()),
        };
        assert_eq!(r.field(), "alert");
        assert_eq!(
            r.to_string(),
            "Оповещение уже подтверждено (Иванова): повторно подтверждать не нужно."
        );
        let anonymous = AppealRefusal::AlertAcknowledged { by: None }.message();
        assert!(anonymous.contains("(сотрудник)"), "{anonymous}");
        let r = AppealRefusal::BulkRefused {
            failed: vec!["З-1: нет доступа".into(), "З-2: нельзя".into()],
            total: 5,
        };
        assert_eq!(
            r.message(),
            "Ничего не изменено: 2 из 5 обращений нельзя перевести. З-1: нет доступа; З-2: нельзя"
        );
        let m = AppealRefusal::TooManyMarked { max: 3, marked: 4 }.message();
        assert!(
            m.contains("не больше 3 обращений, отмечено 4. Разделите"),
            "{m}"
        );
        let m = AppealRefusal::DeferralNotRunning.message();
        assert!(m.contains("(не ожидающего, не выполненного"), "{m}");
    }

    #[test]
    fn rule_references_say_which_is_missing() {
        let r = AppealRefusal::UnknownRuleReference(RuleReference::Building);
        assert_eq!(r.field(), "building_id");
        assert_eq!(
            r.message(),
            "Такого дома нет в реестре: выберите из списка."
        );
        let e: ValidationErrors = AppealRefusal::UnknownRuleReference(RuleReference::Staff).into();
        assert_eq!(
            e.for_field("user_id"),
            Some("Такого сотрудника нет: выберите из списка.")
        );
    }

    #[test]
    fn collected_refusals_keep_each_field() {
        let mut e = ValidationErrors::new();
        AppealRefusal::UnknownContractorBuilding { id: 7 }.add_to(&mut e);
        AppealRefusal::UnknownContractorBuilding { id: 9 }.add_to(&mut e);
        assert_eq!(e.0.len(), 2);
        assert_eq!(
            e.0[1].message,
            "Дома с кодом 9 нет в реестре: выберите дом из списка."
        );
    }
}
