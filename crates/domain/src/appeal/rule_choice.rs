//! Which deadline rule an appeal gets: the most specific binding that matches its kind,
//! priority, channel, sender and category (or any ancestor category). Bindings are data.
//!
//! The shipped bindings follow the matter, not the channel: a complaint about the quality of
//! a utility gets the 2-hour check of ПП 354 п. 108 however it arrived (phone, e-mail, paper,
//! ГИС ЖКХ); complaints about staff, cleaning or charges get their own rules; 59-ФЗ applies
//! to appeals forwarded by a state body (the sender kind given at intake).

use serde::{Deserialize, Serialize};

use super::{AppealKind, Channel, Priority};
use crate::correspondence::SenderKind;

/// The rule an emergency gets besides its bound one: localisation of the damage, ПП 416
/// п. 13 (30 minutes). The bound rule of an emergency is the elimination (3 сутки).
pub const LOCALISATION_RULE: &str = "ads_localisation";

/// What [`choose_rule`] matches on.
#[derive(Debug, Clone, Copy)]
pub struct RuleFacts<'a> {
    pub kind: AppealKind,
    pub priority: Priority,
    pub channel: Channel,
    pub sender: SenderKind,
    /// The category's code and its ancestors' codes.
    pub category_path: &'a [&'a str],
}

/// «Appeals like this get that rule». An empty condition matches anything.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleBinding {
    pub kind: Option<AppealKind>,
    pub priority: Option<Priority>,
    pub channel: Option<Channel>,
    /// Who sent the appeal (a state body forwarding a citizen's appeal: 59-ФЗ).
    #[serde(default)]
    pub sender: Option<SenderKind>,
    /// A category code; matches the category and everything under it.
    pub category: Option<String>,
    pub rule: String,
}

impl RuleBinding {
    /// How many conditions it sets; a category counts double (it is the most telling), each
    /// level deeper twice more (a subcategory's own binding beats «complaints about the
    /// group»); a sender decides the law the appeal falls under, so it outweighs the rest.
    fn specificity(&self) -> usize {
        usize::from(self.kind.is_some())
            + usize::from(self.priority.is_some())
            + usize::from(self.channel.is_some())
            + 16 * usize::from(self.sender.is_some())
            + self
                .category
                .as_ref()
                .map_or(0, |c| 2 + 2 * c.matches('.').count())
    }
}

/// The rule code for an appeal.
pub fn choose_rule<'a>(bindings: &'a [RuleBinding], f: &RuleFacts<'_>) -> Option<&'a str> {
    bindings
        .iter()
        .filter(|b| b.kind.is_none_or(|k| k == f.kind))
        .filter(|b| b.priority.is_none_or(|p| p == f.priority))
        .filter(|b| b.channel.is_none_or(|c| c == f.channel))
        .filter(|b| b.sender.is_none_or(|s| s == f.sender))
        .filter(|b| {
            b.category
                .as_deref()
                .is_none_or(|c| f.category_path.contains(&c))
        })
        // Most specific wins; among equals the first listed.
        .fold(None::<&RuleBinding>, |best, b| match best {
            Some(x) if x.specificity() >= b.specificity() => Some(x),
            _ => Some(b),
        })
        .map(|b| b.rule.as_str())
}

/// The categories whose complaints are about the quality of a utility (ПП 354 п. 108).
pub const UTILITY_GROUPS: &[&str] = &["water", "sewage", "heating", "electricity", "gas"];

/// The shipped bindings to the rules of regulations §3 (`deadline::default_rules`). No
/// binding names a channel: the same matter gets the same deadline however it arrived.
pub fn default_bindings() -> Vec<RuleBinding> {
    let b = |kind, priority, category: Option<&str>, rule: &str| RuleBinding {
        kind,
        priority,
        channel: None,
        sender: None,
        category: category.map(str::to_string),
        rule: rule.into(),
    };
    use AppealKind::*;
    let mut all = vec![
        b(None, None, None, "organization_request"),
        // An emergency: elimination in 3 сутки; localisation (30 minutes) comes with it.
        b(
            None,
            Some(Priority::Emergency),
            None,
            "ads_emergency_elimination",
        ),
        b(
            Some(Request),
            None,
            Some("sewage.blockage"),
            "ads_sewage_blockage",
        ),
        // A complaint that is not about a utility's quality: staff, cleaning, upkeep.
        b(Some(Complaint), None, None, "complaint_answer"),
        b(Some(Complaint), None, Some("billing"), "charges_check"),
    ];
    all.extend(
        UTILITY_GROUPS
            .iter()
            .map(|g| b(Some(Complaint), None, Some(g), "quality_complaint_check")),
    );
    all.extend([
        b(Some(InformationRequest), None, None, "written_request"),
        b(Some(Consultation), None, None, "basic_information"),
    ]);
    all.extend(
        SenderKind::ALL
            .into_iter()
            .filter(|s| s.is_state_body())
            .map(|s| RuleBinding {
                sender: Some(s),
                ..b(None, None, None, "appeal_59fz")
            }),
    );
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    fn choose(kind: AppealKind, priority: Priority, channel: Channel, cat: &[&str]) -> String {
        choose_by(kind, priority, channel, SenderKind::Person, cat)
    }

    fn choose_by(
        kind: AppealKind,
        priority: Priority,
        channel: Channel,
        sender: SenderKind,
        cat: &[&str],
    ) -> String {
        let b = default_bindings();
        let f = RuleFacts {
            kind,
            priority,
            channel,
            sender,
            category_path: cat,
        };
        choose_rule(&b, &f).unwrap().to_string()
    }

    #[test]
    fn the_most_specific_binding_wins() {
        use AppealKind::*;
        use Channel::*;
        let normal = Priority::Normal;
        assert_eq!(
            choose(Request, normal, Phone, &["lift.broken", "lift"]),
            "organization_request"
        );
        assert_eq!(
            choose(
                Request,
                Priority::Emergency,
                Phone,
                &["water.leak", "water"]
            ),
            "ads_emergency_elimination"
        );
        assert_eq!(
            choose(
                Request,
                Priority::Urgent,
                Phone,
                &["sewage.blockage", "sewage"]
            ),
            "ads_sewage_blockage"
        );
        assert_eq!(
            choose(InformationRequest, normal, Email, &[]),
            "written_request"
        );
        assert_eq!(
            choose(Consultation, normal, StatePortal, &[]),
            "basic_information"
        );
    }

    #[test]
    fn the_two_hour_check_is_for_the_quality_of_a_utility_by_any_channel() {
        use AppealKind::Complaint;
        let hot = ["water.no_hot", "water"];
        for channel in Channel::ALL {
            assert_eq!(
                choose(Complaint, Priority::Normal, *channel, &hot),
                "quality_complaint_check",
                "{channel:?}"
            );
        }
        assert_eq!(
            choose(
                Complaint,
                Priority::Normal,
                Channel::Phone,
                &["cleaning.stairs", "cleaning"]
            ),
            "complaint_answer"
        );
        // Staff behaviour has no category of its own: the complaint rule, not the 2 hours.
        assert_eq!(
            choose(Complaint, Priority::Normal, Channel::Phone, &["other"]),
            "complaint_answer"
        );
        assert_eq!(
            choose(
                Complaint,
                Priority::Normal,
                Channel::Letter,
                &["billing.charges", "billing"]
            ),
            "charges_check"
        );
    }

    #[test]
    fn the_state_system_follows_kind_and_matter_and_59_fz_follows_the_sender() {
        use AppealKind::*;
        assert_eq!(
            choose(
                Request,
                Priority::Normal,
                Channel::StatePortal,
                &["lift.broken", "lift"]
            ),
            "organization_request"
        );
        for sender in [
            SenderKind::HousingInspectorate,
            SenderKind::Prosecutor,
            SenderKind::OtherState,
        ] {
            assert_eq!(
                choose_by(
                    Complaint,
                    Priority::Normal,
                    Channel::Letter,
                    sender,
                    &["water.no_hot", "water"]
                ),
                "appeal_59fz"
            );
        }
        assert_eq!(
            choose_by(
                Complaint,
                Priority::Normal,
                Channel::Letter,
                SenderKind::Organization,
                &["cleaning"]
            ),
            "complaint_answer"
        );
    }

    #[test]
    fn no_binding_no_rule() {
        let f = RuleFacts {
            kind: AppealKind::Request,
            priority: Priority::Normal,
            channel: Channel::Phone,
            sender: SenderKind::Person,
            category_path: &[],
        };
        assert_eq!(choose_rule(&[], &f), None);
    }
}
