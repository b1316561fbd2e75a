//! Legal capacity (дееспособность, ГК РФ ст. 21, 29, 30). An adult is presumed capable; only a
//! court limits capacity or declares a person incapable, so the registry records the decision
//! as the basis. Liability for utilities follows it: the capable family members of an owner
//! and those limited by a court answer jointly with the owner (ЖК РФ ст. 31 ч. 3), only the
//! capable members of a social tenant's family with the tenant (ЖК РФ ст. 69 ч. 2); a person
//! declared incapable answers through the guardian.

use serde::{Deserialize, Serialize};

use crate::{text, ValidationErrors};

#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum LegalCapacity {
    /// Дееспособен (presumed; nothing recorded).
    #[default]
    Full,
    /// Ограничен судом в дееспособности (ГК ст. 30).
    Limited,
    /// Признан судом недееспособным (ГК ст. 29).
    Incapable,
}

impl LegalCapacity {
    pub const ALL: [LegalCapacity; 3] = [
        LegalCapacity::Full,
        LegalCapacity::Limited,
        LegalCapacity::Incapable,
    ];

    pub fn code(self) -> &'static str {
        match self {
            LegalCapacity::Full => "full",
            LegalCapacity::Limited => "limited",
            LegalCapacity::Incapable => "incapable",
        }
    }

    pub fn from_code(s: &str) -> Option<LegalCapacity> {
        Self::ALL.into_iter().find(|k| k.code() == s)
    }

    pub fn title(self) -> &'static str {
        match self {
            LegalCapacity::Full => "дееспособен",
            LegalCapacity::Limited => "ограничен судом в дееспособности",
            LegalCapacity::Incapable => "признан судом недееспособным",
        }
    }

    /// Answers jointly with the owner as a family member (ЖК ст. 31 ч. 3: «дееспособные и
    /// ограниченные судом в дееспособности»).
    pub fn liable_as_owner_family(self) -> bool {
        self != LegalCapacity::Incapable
    }

    /// Answers jointly with a social tenant (ЖК ст. 69 ч. 2: «дееспособные»).
    pub fn liable_as_tenant_family(self) -> bool {
        self == LegalCapacity::Full
    }
}

/// The form's two fields checked: the capacity code (empty = capable) and the court decision
/// it rests on, required unless the person is capable and dropped when they are.
pub(super) fn validate(
    e: &mut ValidationErrors,
    code: Option<&str>,
    basis: Option<&str>,
) -> (LegalCapacity, Option<String>) {
    let code = code.map(str::trim).unwrap_or("");
    let capacity = if code.is_empty() {
        LegalCapacity::Full
    } else if let Some(c) = LegalCapacity::from_code(code) {
        c
    } else {
        e.add(
            "legal_capacity",
            format!("«{code}» — неизвестное значение. Выберите из списка."),
        );
        LegalCapacity::Full
    };
    let basis = text::optional(e, "capacity_basis", "Решение суда", basis, 300);
    match (capacity, basis) {
        (LegalCapacity::Full, _) => (capacity, None),
        (_, None) => {
            e.add(
                "capacity_basis",
                "Дееспособность ограничивает только суд: укажите его решение — суд, номер и дату.",
            );
            (capacity, None)
        }
        (_, basis) => (capacity, basis),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(
        code: Option<&str>,
        basis: Option<&str>,
    ) -> Result<(LegalCapacity, Option<String>), Vec<String>> {
        let mut e = ValidationErrors::new();
        let out = validate(&mut e, code, basis);
        if e.is_empty() {
            Ok(out)
        } else {
            Err(e.0.into_iter().map(|f| f.field).collect())
        }
    }

    #[test]
    fn capable_by_default_and_basis_dropped() {
        assert_eq!(check(None, None), Ok((LegalCapacity::Full, None)));
        assert_eq!(
            check(Some(""), Some("решение")),
            Ok((LegalCapacity::Full, None))
        );
        assert_eq!(check(Some("full"), None), Ok((LegalCapacity::Full, None)));
    }

    #[test]
    fn a_court_decision_is_required_for_limits() {
        for code in ["limited", "incapable"] {
            assert_eq!(
                check(Some(code), Some("  ")),
                Err(vec!["capacity_basis".into()])
            );
            let (c, b) = check(
                Some(code),
                Some("Ленинский районный суд, дело № 2-15/2024 от 12.03.2024"),
            )
            .unwrap();
            assert_eq!(c.code(), code);
            assert!(b.unwrap().contains("2-15/2024"));
        }
    }

    #[test]
    fn unknown_codes_are_refused_at_the_field() {
        assert_eq!(
            check(Some("partial"), None),
            Err(vec!["legal_capacity".into()])
        );
    }

    #[test]
    fn liability_follows_the_code() {
        use LegalCapacity::*;
        assert!(Full.liable_as_owner_family() && Full.liable_as_tenant_family());
        assert!(Limited.liable_as_owner_family() && !Limited.liable_as_tenant_family());
        assert!(!Incapable.liable_as_owner_family() && !Incapable.liable_as_tenant_family());
        for c in LegalCapacity::ALL {
            assert_eq!(LegalCapacity::from_code(c.code()), Some(c));
        }
    }
}
