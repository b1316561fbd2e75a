//! What a registry write is refused for when the stored registry disagrees (a taken
//! number, a closed house, an open account left on premises). Storage finds it in its
//! transaction and reports the facts; the words are here.

use super::LinkRole;
use crate::ValidationErrors;

/// A registry write refused by what the registry holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegistryRefusal {
    AccountNumberTaken {
        number: String,
    },
    /// The premises chosen for an account does not exist.
    NoSuchPremises {
        premises_id: i64,
    },
    PremisesClosed,
    AccountClosed,
    ClosedBeforeOpened,
    BuildingHasOpenAccounts {
        open_accounts: i64,
    },
    /// The building chosen for premises does not exist.
    NoSuchBuilding {
        building_id: i64,
    },
    BuildingClosed,
    PremisesNumberTaken {
        number: String,
    },
    PremisesHasOpenAccounts,
    /// The account of a new link does not exist.
    NoSuchAccount {
        account_id: i64,
    },
    /// The person of a new link or benefit does not exist.
    NoSuchPerson {
        person_id: i64,
    },
    LinkRoleTaken {
        role: LinkRole,
    },
    /// «Whose relative» names someone who is not an owner or tenant of the account, or the
    /// person themselves.
    KinOfNotHead,
    /// A link's account or person changed.
    LinkRebound,
    LinkClosed,
    /// A benefit's person changed.
    BenefitMoved,
    PersonArchived,
}

impl RegistryRefusal {
    /// The form field the refusal is shown at.
    pub fn field(&self) -> &'static str {
        use RegistryRefusal::*;
        match self {
            AccountNumberTaken { .. } | PremisesNumberTaken { .. } => "number",
            NoSuchPremises { .. } | PremisesClosed => "premises_id",
            AccountClosed | ClosedBeforeOpened => "closed_on",
            BuildingHasOpenAccounts { .. }
            | PremisesHasOpenAccounts
            | LinkClosed
            | PersonArchived => "reason",
            NoSuchBuilding { .. } | BuildingClosed => "building_id",
            NoSuchAccount { .. } | LinkRebound => "account_id",
            NoSuchPerson { .. } | BenefitMoved => "person_id",
            LinkRoleTaken { .. } => "role",
            KinOfNotHead => "kin_of",
        }
    }

    pub fn message(&self) -> String {
        use RegistryRefusal::*;
        match self {
            AccountNumberTaken { number } => format!(
                "Лицевой счёт № {number} уже есть. Номер должен быть уникальным: проверьте его."
            ),
            NoSuchPremises { premises_id } => {
                format!("Помещение с кодом {premises_id} не найдено. Выберите помещение из списка.")
            }
            PremisesClosed => "Помещение закрыто: лицевые счета на нём не открываются.".into(),
            AccountClosed => "Лицевой счёт уже закрыт.".into(),
            ClosedBeforeOpened => {
                "Дата закрытия раньше даты открытия счёта. Исправьте дату.".into()
            }
            BuildingHasOpenAccounts { open_accounts } => {
                format!("В доме {open_accounts} открытых лицевых счетов: сначала закройте их.")
            }
            NoSuchBuilding { building_id } => {
                format!("Дом с кодом {building_id} не найден. Выберите дом из списка.")
            }
            BuildingClosed => {
                "Дом закрыт (выбыл из управления): помещения в нём не добавляются.".into()
            }
            PremisesNumberTaken { number } => {
                format!("В этом доме уже есть помещение № {number}. Проверьте номер.")
            }
            PremisesHasOpenAccounts => {
                "На помещении есть открытые лицевые счета: сначала закройте их.".into()
            }
            NoSuchAccount { account_id } => format!("Лицевой счёт с кодом {account_id} не найден."),
            NoSuchPerson { person_id } => format!("Человек с кодом {person_id} не найден."),
            LinkRoleTaken { role } => format!(
                "Этот человек уже указан на счёте с ролью «{}».",
                role.title()
            ),
            KinOfNotHead => "Родство указывается к собственнику или нанимателю этого же счёта: \
                выберите его из списка."
                .into(),
            LinkRebound => {
                "Счёт и человека в связи изменить нельзя: закройте эту связь и создайте новую."
                    .into()
            }
            LinkClosed => "Связь уже закрыта.".into(),
            BenefitMoved => "Льготу нельзя перенести на другого человека.".into(),
            PersonArchived => "Запись уже в архиве.".into(),
        }
    }
}

impl From<RegistryRefusal> for ValidationErrors {
    fn from(r: RegistryRefusal) -> Self {
        ValidationErrors::single(r.field(), r.message())
    }
}

/// A line of a registry import refused by the registry or by an earlier line of the file.
/// Each names its line in the field (`rows[7].number`), so the whole file is refused with
/// one message per line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportRefusal {
    AccountExists {
        line: usize,
        number: String,
    },
    BuildingClosed {
        line: usize,
        address: String,
    },
    PremisesClosed {
        line: usize,
        number: String,
        address: String,
    },
    /// The same account number on an earlier line with another address.
    AccountElsewhere {
        line: usize,
        number: String,
        first: usize,
    },
    /// A role, share or benefit without a person on the line.
    NoPerson {
        line: usize,
    },
}

impl ImportRefusal {
    pub fn field(&self) -> String {
        use ImportRefusal::*;
        match self {
            AccountExists { line, .. } | AccountElsewhere { line, .. } => {
                format!("rows[{line}].number")
            }
            BuildingClosed { line, .. } => format!("rows[{line}].house"),
            PremisesClosed { line, .. } => format!("rows[{line}].flat"),
            NoPerson { line } => format!("rows[{line}].last_name"),
        }
    }

    pub fn message(&self) -> String {
        use ImportRefusal::*;
        match self {
            AccountExists { line, number } => format!(
                "Строка {line}: лицевой счёт № {} уже есть в реестре. Уберите строку из файла \
                 или исправьте номер счёта.",
                number.trim()
            ),
            BuildingClosed { line, address } => format!(
                "Строка {line}: дом «{address}» закрыт (выбыл из управления), помещения и счета в нём не добавляются. \
                 Уберите строку из файла или верните дом в управление."
            ),
            PremisesClosed { line, number, address } => format!(
                "Строка {line}: помещение № {number} в доме «{address}» закрыто, лицевые счета на нём не открываются. \
                 Уберите строку из файла или исправьте номер помещения."
            ),
            AccountElsewhere { line, number, first } => format!(
                "Строка {line}: лицевой счёт № {number} уже указан в строке {first} с другим адресом. \
                 Исправьте номер счёта или адрес."
            ),
            NoPerson { line } => format!(
                "Строка {line}: роль, доля или льгота указаны без человека. Заполните ФИО."
            ),
        }
    }

    /// Adds the refusal to the file's list.
    pub fn add_to(&self, errors: &mut ValidationErrors) {
        errors.add(&self.field(), self.message());
    }
}

/// Another import wrote the same accounts or premises while this one ran.
pub fn import_raced() -> ValidationErrors {
    ValidationErrors::single(
        "rows",
        "Пока шёл импорт, в реестр добавили такие же лицевые счета или помещения. \
         Ничего не сохранено: повторите импорт.",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_refusals_name_their_field_and_facts() {
        use RegistryRefusal::*;
        let cases = [
            (
                AccountNumberTaken {
                    number: "100234".into(),
                },
                "number",
                "Лицевой счёт № 100234 уже есть. Номер должен быть уникальным: проверьте его.",
            ),
            (
                NoSuchPremises { premises_id: 9 },
                "premises_id",
                "Помещение с кодом 9 не найдено. Выберите помещение из списка.",
            ),
            (
                PremisesClosed,
                "premises_id",
                "Помещение закрыто: лицевые счета на нём не открываются.",
            ),
            (AccountClosed, "closed_on", "Лицевой счёт уже закрыт."),
            (
                ClosedBeforeOpened,
                "closed_on",
                "Дата закрытия раньше даты открытия счёта. Исправьте дату.",
            ),
            (
                BuildingHasOpenAccounts { open_accounts: 3 },
                "reason",
                "В доме 3 открытых лицевых счетов: сначала закройте их.",
            ),
            (
                NoSuchBuilding { building_id: 999 },
                "building_id",
                "Дом с кодом 999 не найден. Выберите дом из списка.",
            ),
            (
                BuildingClosed,
                "building_id",
                "Дом закрыт (выбыл из управления): помещения в нём не добавляются.",
            ),
            (
                PremisesNumberTaken {
                    number: "12".into(),
                },
                "number",
                "В этом доме уже есть помещение № 12. Проверьте номер.",
            ),
            (
                PremisesHasOpenAccounts,
                "reason",
                "На помещении есть открытые лицевые счета: сначала закройте их.",
            ),
            (
                NoSuchAccount { account_id: 5 },
                "account_id",
                "Лицевой счёт с кодом 5 не найден.",
            ),
            (
                NoSuchPerson { person_id: 6 },
                "person_id",
                "Человек с кодом 6 не найден.",
            ),
            (
                LinkRoleTaken {
                    role: LinkRole::Owner,
                },
                "role",
                "Этот человек уже указан на счёте с ролью «Собственник».",
            ),
            (
                LinkRebound,
                "account_id",
                "Счёт и человека в связи изменить нельзя: закройте эту связь и создайте новую.",
            ),
            (
                KinOfNotHead,
                "kin_of",
                "Родство указывается к собственнику или нанимателю этого же счёта: выберите его \
                 из списка.",
            ),
            (LinkClosed, "reason", "Связь уже закрыта."),
            (
                BenefitMoved,
                "person_id",
                "Льготу нельзя перенести на другого человека.",
            ),
            (PersonArchived, "reason", "Запись уже в архиве."),
        ];
        for (r, field, message) in cases {
            let v = ValidationErrors::from(r.clone());
            assert_eq!(v.for_field(field), Some(message), "{r:?}");
            assert_eq!(v.0.len(), 1);
        }
    }

    #[test]
    fn import_refusals_name_the_line() {
        let mut e = ValidationErrors::new();
        ImportRefusal::AccountExists {
            line: 3,
            number: " 100234 ".into(),
        }
        .add_to(&mut e);
        ImportRefusal::BuildingClosed {
            line: 4,
            address: "г. Е, ул. Л, д. 5".into(),
        }
        .add_to(&mut e);
        ImportRefusal::PremisesClosed {
            line: 5,
            number: "12".into(),
            address: "г. Е, ул. Л, д. 5".into(),
        }
        .add_to(&mut e);
        ImportRefusal::AccountElsewhere {
            line: 6,
            number: "7".into(),
            first: 2,
        }
        .add_to(&mut e);
        ImportRefusal::NoPerson { line: 8 }.add_to(&mut e);
        assert_eq!(
            e.for_field("rows[3].number"),
            Some("Строка 3: лицевой счёт № 100234 уже есть в реестре. Уберите строку из файла или исправьте номер счёта.")
        );
        assert_eq!(
            e.for_field("rows[4].house"),
            Some("Строка 4: дом «г. Е, ул. Л, д. 5» закрыт (выбыл из управления), помещения и счета в нём не добавляются. Уберите строку из файла или верните дом в управление.")
        );
        assert_eq!(
            e.for_field("rows[5].flat"),
            Some("Строка 5: помещение № 12 в доме «г. Е, ул. Л, д. 5» закрыто, лицевые счета на нём не открываются. Уберите строку из файла или исправьте номер помещения.")
        );
        assert_eq!(
            e.for_field("rows[6].number"),
            Some("Строка 6: лицевой счёт № 7 уже указан в строке 2 с другим адресом. Исправьте номер счёта или адрес.")
        );
        assert_eq!(
            e.for_field("rows[8].last_name"),
            Some("Строка 8: роль, доля или льгота указаны без человека. Заполните ФИО.")
        );
        assert_eq!(
            import_raced().for_field("rows"),
            Some("Пока шёл импорт, в реестр добавили такие же лицевые счета или помещения. Ничего не сохранено: повторите импорт.")
        );
    }
}
