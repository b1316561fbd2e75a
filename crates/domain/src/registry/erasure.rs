//! Erasure of a person's data when the legal ground to keep it has ended (152-ФЗ ст. 21
//! ч. 7): what the card shows afterwards, which written forms of the person's values are
//! scrubbed from other records, and the refusals.

use super::PersonData;
use crate::{phone, text, ValidationErrors};

/// The name an erased person's card shows: the registers keep pointing at the record.
pub fn placeholder(person_id: i64) -> String {
    format!("Удалено (152-ФЗ) №{person_id}")
}

/// Shorter forms are not scrubbed from free text: they would hit other people's words.
const SHORTEST_FORM: usize = 5;

/// Every written form of the person's values that other records may quote: the full name
/// and its short forms (also lower- and upper-case, as bank registers write payers), each
/// phone as stored, as digits and as displayed, the e-mail, the identity document. Longest
/// first, so that a full name is replaced before its parts. The birth date is not among
/// them: a date in another record is that record's own date; it is erased from the card
/// and, sealed, from history.
pub fn forms(d: &PersonData) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let initial = |s: &str| {
        s.chars()
            .next()
            .map(|c| format!("{c}."))
            .unwrap_or_default()
    };
    let (last, first) = (d.last_name.trim(), d.first_name.trim());
    let middle = d.middle_name.as_deref().unwrap_or("").trim();
    let mut names = vec![
        d.full_name(),
        format!("{last} {first}"),
        format!("{first} {last}"),
    ];
    if !middle.is_empty() {
        names.push(format!("{first} {middle} {last}"));
        names.push(format!("{last} {} {}", initial(first), initial(middle)));
        names.push(format!("{last} {}{}", initial(first), initial(middle)));
        names.push(format!("{} {} {last}", initial(first), initial(middle)));
        names.push(format!("{}{} {last}", initial(first), initial(middle)));
    } else {
        names.push(format!("{last} {}", initial(first)));
    }
    for n in names {
        out.push(n.to_uppercase());
        out.push(n.to_lowercase());
        out.push(text::fold(&n));
        out.push(n);
    }
    for p in &d.phones {
        out.push(p.clone());
        out.push(phone::display(p));
        let digits: String = p.chars().filter(char::is_ascii_digit).collect();
        if digits.len() == 11 {
            out.push(format!("8{}", &digits[1..]));
            out.push(digits[1..].to_string());
            out.push(digits);
        }
    }
    if let Some(e) = d.email.as_deref().filter(|e| !e.is_empty()) {
        out.push(e.to_string());
        out.push(e.to_lowercase());
    }
    if let Some(doc) = d.id_document.as_deref().filter(|s| !s.trim().is_empty()) {
        out.push(doc.trim().to_string());
    }
    out.retain(|f| f.chars().count() >= SHORTEST_FORM);
    out.sort_by(|a, b| b.chars().count().cmp(&a.chars().count()).then(a.cmp(b)));
    out.dedup();
    out
}

/// The legal ground entered for an erasure: required, kept in the history.
pub fn check_ground(ground: &str) -> Result<String, ValidationErrors> {
    let g = ground.trim();
    if g.chars().count() < 5 {
        return Err(ValidationErrors::single(
            "ground",
            "Укажите основание удаления персональных данных (например, «истёк срок хранения, \
             договор управления расторгнут»).",
        ));
    }
    Ok(g.to_string())
}

/// Refusal: only an administrator erases a person.
pub const ONLY_ADMIN: &str = "Удалить персональные данные человека может только администратор.";

/// Refusal: the person's data is erased already.
pub const ALREADY_ERASED: &str = "Персональные данные этого человека уже удалены.";

#[cfg(test)]
mod tests {
    use super::*;

    fn person() -> PersonData {
        PersonData {
            last_name: "Щекотихина".into(),
            first_name: "Ариадна".into(),
            middle_name: Some("Всеволодовна".into()),
            birth_date: None,
            phones: vec!["+79123456789".into()],
            email: Some("Ariadna@Example.ru".into()),
            id_document: Some("паспорт 6512 345678".into()),
            consent_sms: false,
            consent_email: false,
            legal_capacity: Default::default(),
            capacity_basis: None,
        }
    }

    #[test]
    fn forms_cover_names_phones_mail_and_document() {
        let f = forms(&person());
        for want in [
            "Щекотихина Ариадна Всеволодовна",
            "ЩЕКОТИХИНА АРИАДНА ВСЕВОЛОДОВНА",
            "щекотихина ариадна всеволодовна",
            "Щекотихина А. В.",
            "Щекотихина А.В.",
            "+79123456789",
            "+7 (912) 345-67-89",
            "89123456789",
            "9123456789",
            "ariadna@example.ru",
            "паспорт 6512 345678",
        ] {
            assert!(f.contains(&want.to_string()), "{want} in {f:?}");
        }
        assert!(f
            .windows(2)
            .all(|w| w[0].chars().count() >= w[1].chars().count()));
    }

    #[test]
    fn a_ground_is_required() {
        assert!(check_ground(" ").is_err());
        assert_eq!(
            check_ground(" истёк срок хранения ").unwrap(),
            "истёк срок хранения"
        );
    }
}
