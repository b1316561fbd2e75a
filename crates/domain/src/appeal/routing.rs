//! Who gets an appeal: assignment rules by category and building, the most specific wins.
//! An emergency no rule covers goes to the emergency dispatch service (the caller decides
//! that; see storage `appeals::routing`).

use serde::{Deserialize, Serialize};

/// Where a rule sends the appeal: a department, a contractor or a staff member.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case", tag = "kind", content = "id")]
pub enum Target {
    Department(i64),
    Contractor(i64),
    Staff(i64),
}

/// One assignment rule: empty category or building means «any».
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssignmentRule {
    pub id: i64,
    /// Category code; a rule on a group (`water`) covers its leaves (`water.leak`).
    pub category: Option<String>,
    pub building_id: Option<i64>,
    pub target: Target,
}

/// How specific a rule is for this appeal, `None` when it does not apply. The category
/// counts first (what is broken decides who can fix it): the leaf beats its group, a group
/// beats no category; the building refines within the same category level.
fn specificity(
    r: &AssignmentRule,
    category_path: &[&str],
    building: Option<i64>,
) -> Option<(usize, bool)> {
    let cat = match &r.category {
        None => 0,
        Some(code) => {
            let at = category_path.iter().position(|c| c == code)?;
            category_path.len() - at
        }
    };
    let bld = match r.building_id {
        None => false,
        Some(b) if Some(b) == building => true,
        Some(_) => return None,
    };
    Some((cat, bld))
}

/// The rule that decides, given the category with its ancestors (nearest first) and the
/// building. Equal specificity: the older rule (smaller id) wins, so adding a rule never
/// silently reroutes what an equal older rule covers.
pub fn choose_assignment<'a>(
    rules: &'a [AssignmentRule],
    category_path: &[&str],
    building: Option<i64>,
) -> Option<&'a AssignmentRule> {
    rules
        .iter()
        .filter_map(|r| specificity(r, category_path, building).map(|s| (s, r)))
        .max_by(|(sa, a), (sb, b)| sa.cmp(sb).then(b.id.cmp(&a.id)))
        .map(|(_, r)| r)
}

/// An ИНН of a contractor: 10 digits (organization) or 12 (individual entrepreneur) with
/// matching control digits. `None` when it is right, else the Russian message.
pub fn check_inn(inn: &str) -> Option<&'static str> {
    let inn = inn.trim();
    if !inn.bytes().all(|b| b.is_ascii_digit()) || !(inn.len() == 10 || inn.len() == 12) {
        return Some("ИНН — 10 цифр у организации или 12 у предпринимателя: проверьте число цифр.");
    }
    if !crate::organization::inn_key_ok(inn) {
        return Some("ИНН не сходится по контрольным цифрам: сверьте его с выпиской ЕГРЮЛ/ЕГРИП.");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(id: i64, category: Option<&str>, building: Option<i64>, t: Target) -> AssignmentRule {
        AssignmentRule {
            id,
            category: category.map(str::to_string),
            building_id: building,
            target: t,
        }
    }

    #[test]
    fn the_most_specific_rule_wins() {
        let rules = [
            rule(1, None, None, Target::Department(1)),
            rule(2, Some("water"), None, Target::Department(2)),
            rule(3, Some("water.leak"), None, Target::Contractor(3)),
            rule(4, Some("water.leak"), Some(7), Target::Staff(4)),
            rule(5, None, Some(7), Target::Department(5)),
        ];
        let leak = ["water.leak", "water"];
        let hot = ["water.no_hot", "water"];
        let pick = |path: &[&str], b| choose_assignment(&rules, path, b).map(|r| r.id);
        assert_eq!(pick(&leak, Some(7)), Some(4));
        assert_eq!(pick(&leak, Some(8)), Some(3));
        assert_eq!(pick(&hot, Some(8)), Some(2));
        // The category counts before the building.
        assert_eq!(pick(&hot, Some(7)), Some(2));
        assert_eq!(pick(&["lift.stuck", "lift"], Some(7)), Some(5));
        assert_eq!(pick(&["lift.stuck", "lift"], None), Some(1));
        assert_eq!(pick(&[], None), Some(1));
        assert_eq!(choose_assignment(&rules[1..4], &["lift"], None), None);
    }

    #[test]
    fn equal_rules_keep_the_older_one() {
        let rules = [
            rule(9, Some("lift"), None, Target::Department(1)),
            rule(2, Some("lift"), None, Target::Department(2)),
        ];
        assert_eq!(
            choose_assignment(&rules, &["lift"], None).map(|r| r.id),
            Some(2)
        );
    }

    #[test]
    fn inn_is_checked_by_its_control_digits() {
        assert_eq!(check_inn("7707083893"), None);
        assert!(check_inn("7707083894").unwrap().contains("контрольным"));
        assert!(check_inn("77070838").unwrap().contains("10 цифр"));
        assert_eq!(check_inn("500100732259"), None);
        assert!(check_inn("500100732250").is_some());
    }
}
