//! What the classifier learns from a registration: a specialist's change of its suggestion.

use super::Suggestion;

/// A correction to keep: the text with what the specialist chose instead of the suggestion.
#[derive(Debug, Clone, PartialEq)]
pub struct Correction {
    pub text: String,
    pub category: String,
    pub emergency: bool,
    pub suggested_category: String,
    pub suggested_emergency: bool,
}

/// The correction a registration implies, if the specialist changed the suggestion: a
/// category chosen other than the suggested one, or a priority chosen that disagrees with
/// the emergency flag. What was left to the suggestion teaches nothing.
pub fn correction(
    text: &str,
    suggested: &Suggestion,
    chosen_category: Option<&str>,
    chosen_emergency: Option<bool>,
) -> Option<Correction> {
    let category = chosen_category.unwrap_or(&suggested.category);
    let emergency = chosen_emergency.unwrap_or(suggested.emergency);
    let changed = category != suggested.category || emergency != suggested.emergency;
    changed.then(|| Correction {
        text: text.trim().to_string(),
        category: category.to_string(),
        emergency,
        suggested_category: suggested.category.clone(),
        suggested_emergency: suggested.emergency,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn suggested(category: &str, emergency: bool) -> Suggestion {
        Suggestion {
            category: category.into(),
            emergency,
            reasons: Vec::new(),
            matched: Vec::new(),
        }
    }

    #[test]
    fn only_a_change_of_the_suggestion_is_a_correction() {
        let s = suggested("water.leak", true);
        assert_eq!(correction("т", &s, None, None), None);
        assert_eq!(correction("т", &s, Some("water.leak"), Some(true)), None);
        let c = correction(" т ", &s, Some("heating.leak"), None).unwrap();
        assert_eq!(
            (c.text.as_str(), c.category.as_str(), c.emergency),
            ("т", "heating.leak", true)
        );
        let c = correction("т", &s, None, Some(false)).unwrap();
        assert_eq!((c.category.as_str(), c.emergency), ("water.leak", false));
        assert_eq!(
            (c.suggested_category.as_str(), c.suggested_emergency),
            ("water.leak", true)
        );
    }
}
