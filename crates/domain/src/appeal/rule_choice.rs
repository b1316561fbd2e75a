//! Which deadline rule an appeal gets: the most specific binding that matches its kind,
//! priority, channel and category (or any ancestor category). Bindings are data.

use serde::{Deserialize, Serialize};

use super::{AppealKind, Channel, Priority};

/// «Appeals like this get that rule». An empty condition matches anything.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleBinding {
    pub kind: Option<AppealKind>,
    pub priority: Option<Priority>,
    pub channel: Option<Channel>,
    /// A category code; matches the category and everything under it.
    pub category: Option<String>,
    pub rule: String,
}

impl RuleBinding {
    /// How many conditions it sets; a category counts double (it is the most telling), a
    /// deeper category more than its parent.
    fn specificity(&self) -> usize {
        usize::from(self.kind.is_some())
            + usize::from(self.priority.is_some())
            + usize::from(self.channel.is_some())
            + self
                .category
                .as_ref()
                .map_or(0, |c| 2 + c.matches('.').count())
    }
}

/// The rule code for an appeal; `category_path` lists its category and ancestors' codes.
pub fn choose_rule<'a>(
    bindings: &'a [RuleBinding],
    kind: AppealKind,
    priority: Priority,
    channel: Channel,
    category_path: &[&str],
) -> Option<&'a str> {
    bindings
        .iter()
        .filter(|b| b.kind.is_none_or(|k| k == kind))
        .filter(|b| b.priority.is_none_or(|p| p == priority))
        .filter(|b| b.channel.is_none_or(|c| c == channel))
        .filter(|b| {
            b.category
                .as_deref()
                .is_none_or(|c| category_path.contains(&c))
        })
        // Most specific wins; among equals the first listed.
        .fold(None::<&RuleBinding>, |best, b| match best {
            Some(x) if x.specificity() >= b.specificity() => Some(x),
            _ => Some(b),
        })
        .map(|b| b.rule.as_str())
}

/// The shipped bindings to the rules of regulations §3 (`deadline::default_rules`).
pub fn default_bindings() -> Vec<RuleBinding> {
    let b = |kind, priority, channel, category: Option<&str>, rule: &str| RuleBinding {
        kind,
        priority,
        channel,
        category: category.map(str::to_string),
        rule: rule.into(),
    };
    use AppealKind::*;
    vec![
        b(None, None, None, None, "organization_request"),
        b(
            Some(Request),
            Some(Priority::Emergency),
            None,
            None,
            "ads_localisation",
        ),
        b(
            None,
            Some(Priority::Emergency),
            None,
            None,
            "ads_localisation",
        ),
        b(
            Some(Request),
            None,
            None,
            Some("sewage.blockage"),
            "ads_sewage_blockage",
        ),
        b(Some(Complaint), None, None, None, "quality_complaint_check"),
        b(
            Some(Complaint),
            None,
            Some(Channel::Letter),
            None,
            "appeal_59fz",
        ),
        b(
            Some(Complaint),
            None,
            Some(Channel::StatePortal),
            None,
            "appeal_59fz",
        ),
        b(
            Some(InformationRequest),
            None,
            None,
            None,
            "written_request",
        ),
        b(Some(Consultation), None, None, None, "basic_information"),
        b(None, None, Some(Channel::StatePortal), None, "appeal_59fz"),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_most_specific_binding_wins() {
        let b = default_bindings();
        let choose = |k, p, c, cat: &[&str]| choose_rule(&b, k, p, c, cat).unwrap();
        use AppealKind::*;
        assert_eq!(
            choose(
                Request,
                Priority::Normal,
                Channel::Phone,
                &["lift.broken", "lift"]
            ),
            "organization_request"
        );
        assert_eq!(
            choose(
                Request,
                Priority::Emergency,
                Channel::Phone,
                &["water.leak", "water"]
            ),
            "ads_localisation"
        );
        assert_eq!(
            choose(
                Request,
                Priority::Urgent,
                Channel::Phone,
                &["sewage.blockage", "sewage"]
            ),
            "ads_sewage_blockage"
        );
        assert_eq!(
            choose(Complaint, Priority::Normal, Channel::Phone, &[]),
            "quality_complaint_check"
        );
        assert_eq!(
            choose(Complaint, Priority::Normal, Channel::Letter, &[]),
            "appeal_59fz"
        );
        assert_eq!(
            choose(InformationRequest, Priority::Normal, Channel::Email, &[]),
            "written_request"
        );
        assert_eq!(
            choose(Consultation, Priority::Normal, Channel::StatePortal, &[]),
            "basic_information"
        );
    }

    #[test]
    fn no_binding_no_rule() {
        assert_eq!(
            choose_rule(
                &[],
                AppealKind::Request,
                Priority::Normal,
                Channel::Phone,
                &[]
            ),
            None
        );
    }
}
