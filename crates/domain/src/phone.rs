//! Russian phone numbers, normalized to `+7XXXXXXXXXX`.

/// Normalize a phone written in any common way: `8 (912) 345-67-89`, `+7 912 345 67 89`,
/// `79123456789`, `9123456789`. Returns `None` when it is not a Russian 10-digit number.
pub fn normalize(input: &str) -> Option<String> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return None;
    }
    if trimmed
        .chars()
        .any(|c| !(c.is_ascii_digit() || " +-().\u{a0}".contains(c)))
    {
        return None;
    }
    let digits: String = trimmed.chars().filter(|c| c.is_ascii_digit()).collect();
    let national = match digits.len() {
        10 => digits.as_str(),
        11 if digits.starts_with('7') || digits.starts_with('8') => &digits[1..],
        _ => return None,
    };
    // A plus sign means an international number: only +7 is Russian.
    if trimmed.starts_with('+') && !digits.starts_with('7') {
        return None;
    }
    Some(format!("+7{national}"))
}

/// Digits a search query can use to find a phone: the 10-digit national part, if the
/// text looks like a whole phone number.
pub fn search_digits(input: &str) -> Option<String> {
    normalize(input).map(|p| p[2..].to_string())
}

/// `+7 (912) 345-67-89` for display.
pub fn display(normalized: &str) -> String {
    let d: Vec<char> = normalized.chars().filter(|c| c.is_ascii_digit()).collect();
    if d.len() != 11 {
        return normalized.to_string();
    }
    let s: String = d.iter().collect();
    format!("+7 ({}) {}-{}-{}", &s[1..4], &s[4..7], &s[7..9], &s[9..11])
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn common_formats() {
        for s in [
            "8 (912) 345-67-89",
            "+79123456789",
            "+7 912 345 67 89",
            "79123456789",
            "9123456789",
            "8-912-345-67-89",
            "+7(912)345-67-89",
        ] {
            assert_eq!(normalize(s).as_deref(), Some("+79123456789"), "{s}");
        }
    }

    #[test]
    fn rejects_non_russian_and_garbage() {
        for s in [
            "",
            "12345",
            "+1 912 345 67 89",
            "891234567",
            "891234567890",
            "912-ABC-6789",
            "+89123456789",
        ] {
            assert_eq!(normalize(s), None, "{s}");
        }
    }

    #[test]
    fn display_formats() {
        assert_eq!(display("+79123456789"), "+7 (912) 345-67-89");
    }

    proptest! {
        #[test]
        fn normalization_is_idempotent(n in 0u64..10_000_000_000u64) {
            let raw = format!("8{n:010}");
            let once = normalize(&raw).unwrap();
            prop_assert_eq!(normalize(&once), Some(once.clone()));
            prop_assert_eq!(normalize(&display(&once)), Some(once));
        }
    }
}
