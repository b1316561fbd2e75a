//! Informing the applicant and their rating: message templates with `{name}` fields, and
//! when a rating sends the appeal back to work.

use serde::{Deserialize, Serialize};

/// Fills `{name}` fields of a template (an administrator edits them in the settings);
/// unknown fields stay as written so that a typo shows in the message preview.
pub fn fill(template: &str, vars: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (k, v) in vars {
        out = out.replace(&format!("{{{k}}}"), v);
    }
    out
}

/// The applicant's answer to «Устранено ли?»: a mark 1–5 or «не устранено».
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Rating {
    Mark(u8),
    NotFixed,
}

impl Rating {
    /// From a form value: `1`…`5` or `not_fixed`.
    pub fn parse(v: &str) -> Option<Rating> {
        match v.trim() {
            "not_fixed" => Some(Rating::NotFixed),
            s => s
                .parse()
                .ok()
                .filter(|m| (1..=5).contains(m))
                .map(Rating::Mark),
        }
    }

    pub fn title(self) -> String {
        match self {
            Rating::Mark(m) => format!("{m} из 5"),
            Rating::NotFixed => "не устранено".into(),
        }
    }

    /// A bad mark (at most `reopen_at`) or «не устранено» sends the appeal back to work.
    pub fn reopens(self, reopen_at: u8) -> bool {
        match self {
            Rating::Mark(m) => m <= reopen_at,
            Rating::NotFixed => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_fill_known_fields_only() {
        assert_eq!(
            fill(
                "Обращение № {number}, срок {deadline}. {x}",
                &[("number", "З-1"), ("deadline", "завтра")]
            ),
            "Обращение № З-1, срок завтра. {x}"
        );
    }

    #[test]
    fn ratings_parse_and_reopen() {
        assert_eq!(Rating::parse("4"), Some(Rating::Mark(4)));
        assert_eq!(Rating::parse("not_fixed"), Some(Rating::NotFixed));
        assert_eq!(Rating::parse("0"), None);
        assert_eq!(Rating::parse("6"), None);
        assert_eq!(Rating::parse(""), None);
        assert!(Rating::Mark(2).reopens(2));
        assert!(!Rating::Mark(3).reopens(2));
        assert!(Rating::NotFixed.reopens(0));
        assert!(!Rating::Mark(1).reopens(0));
    }
}
