//! What an appeal must carry before it can be registered. The form names every missing
//! detail; an emergency needs only an address and the substance, so nothing slows it down.

use chrono::{DateTime, TimeDelta, Utc};

use super::{AppealKind, Priority};
use crate::ValidationErrors;

/// The intake form as the specialist filled it in.
#[derive(Debug, Clone, Default)]
pub struct Intake<'a> {
    pub kind: Option<AppealKind>,
    pub priority: Option<Priority>,
    /// A building or premises from the registry was picked.
    pub has_registry_address: bool,
    /// Free-text address for callers not in the registry.
    pub address_text: &'a str,
    pub substance: &'a str,
    /// The applicant is a person from the registry.
    pub has_person: bool,
    pub phone: &'a str,
    pub email: &'a str,
    /// The applicant did not give a name or contacts; the appeal is marked anonymous.
    pub anonymous: bool,
}

/// The longest substance accepted (a letter may be long; a novel is an attachment).
pub const MAX_SUBSTANCE: usize = 10_000;

/// Every missing detail, by field. Information requests and consultations need no address.
pub fn check_intake(f: &Intake<'_>) -> ValidationErrors {
    let mut e = ValidationErrors::new();
    let emergency = f.priority == Some(Priority::Emergency);
    if f.kind.is_none() && !emergency {
        e.add(
            "kind",
            "Выберите вид обращения: заявка, жалоба, запрос информации или консультация.",
        );
    }
    let substance = f.substance.trim();
    if substance.is_empty() {
        e.add("substance", "Запишите суть обращения: что случилось и где.");
    } else if substance.chars().count() > MAX_SUBSTANCE {
        e.add(
            "substance",
            format!("Суть обращения длиннее {MAX_SUBSTANCE} знаков: сократите текст, а письмо приложите файлом."),
        );
    }
    let needs_address = emergency || !f.kind.is_some_and(AppealKind::is_informational);
    if needs_address && !f.has_registry_address && f.address_text.trim().is_empty() {
        e.add(
            "address",
            "Укажите адрес: выберите дом или квартиру из реестра либо запишите адрес текстом.",
        );
    }
    let has_contact = f.has_person || !f.phone.trim().is_empty() || !f.email.trim().is_empty();
    if !emergency && !f.anonymous && !has_contact {
        e.add(
            "contact",
            "Укажите, как связаться с заявителем (телефон или e-mail), или отметьте обращение как анонимное.",
        );
    }
    // An emergency is never held up by a phone typed wrong: it is kept as typed and marked
    // for checking (see [`phone_of`]).
    if !emergency && matches!(phone_of(f.phone), Phone::Unchecked(_)) {
        e.add(
            "phone",
            "Телефон не распознан: нужен российский номер, например +7 912 345-67-89.",
        );
    }
    if !f.email.trim().is_empty() && !f.email.contains('@') {
        e.add(
            "email",
            "Адрес e-mail должен содержать «@», например ivanova@mail.ru.",
        );
    }
    e
}

/// The priority an appeal is registered with. Given: as given. Not given: an emergency when
/// the classifier flags the text as one (a person may downgrade it later, with a reason),
/// otherwise normal. So «Пахнет газом в подъезде» sent without a priority is an emergency.
pub fn intake_priority(given: Option<Priority>, classifier_emergency: bool) -> Priority {
    match given {
        Some(p) => p,
        None if classifier_emergency => Priority::Emergency,
        None => Priority::Normal,
    }
}

/// The applicant's phone as the appeal keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Phone {
    None,
    /// Normalized, `+7XXXXXXXXXX`.
    Parsed(String),
    /// Not recognised: kept as typed, marked for checking (only an emergency gets this far).
    Unchecked(String),
}

pub fn phone_of(typed: &str) -> Phone {
    match typed.trim() {
        "" => Phone::None,
        t => crate::phone::normalize(t)
            .map_or_else(|| Phone::Unchecked(t.to_string()), Phone::Parsed),
    }
}

/// A change of an appeal's priority needs a reason, kept in its history; lowering an
/// emergency especially (the classifier or the caller said it was one).
pub fn check_downgrade(from: Priority, to: Priority, reason: &str) -> Result<(), ValidationErrors> {
    let mut e = ValidationErrors::new();
    if from == to {
        e.add(
            "priority",
            format!(
                "Приоритет уже «{}»: выберите другой.",
                to.title().to_lowercase()
            ),
        );
    }
    if reason.trim().is_empty() {
        let what = if from == Priority::Emergency {
            "почему обращение не аварийное"
        } else {
            "причину смены приоритета"
        };
        e.add(
            "reason",
            format!("Укажите, {what}: причина сохранится в истории обращения."),
        );
    }
    e.into_result(())
}

/// When the appeal was received, as registration keeps it: the time given (when the
/// resident called or the letter arrived) or else `now`, never later than `now`. A time
/// more than a minute ahead is refused as a typo; a minute of clock difference between
/// machines is not.
pub fn received_at(
    given: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
    errors: &mut ValidationErrors,
) -> DateTime<Utc> {
    if given.is_some_and(|r| r > now + TimeDelta::minutes(1)) {
        errors.add(
            "received_at",
            "Время поступления позже текущего: укажите, когда житель позвонил или письмо пришло.",
        );
    }
    given.unwrap_or(now).min(now)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_emergency_flagged_by_the_classifier_is_registered_as_one() {
        assert_eq!(intake_priority(None, true), Priority::Emergency);
        assert_eq!(intake_priority(None, false), Priority::Normal);
        assert_eq!(
            intake_priority(Some(Priority::Normal), true),
            Priority::Normal
        );
    }

    #[test]
    fn a_phone_typed_wrong_never_blocks_an_emergency() {
        let f = Intake {
            priority: Some(Priority::Emergency),
            address_text: "Ленина 5",
            substance: "Пахнет газом в подъезде",
            phone: "912 34",
            ..Default::default()
        };
        assert!(check_intake(&f).is_empty(), "{:?}", check_intake(&f));
        assert_eq!(phone_of("912 34"), Phone::Unchecked("912 34".into()));
        assert_eq!(
            phone_of(" 8 912 345-67-89 "),
            Phone::Parsed("+79123456789".into())
        );
        let normal = Intake {
            kind: Some(AppealKind::Request),
            priority: Some(Priority::Normal),
            ..f
        };
        assert!(check_intake(&normal).for_field("phone").is_some());
    }

    #[test]
    fn a_downgrade_needs_a_reason() {
        let e = check_downgrade(Priority::Emergency, Priority::Normal, " ").unwrap_err();
        assert!(e.for_field("reason").unwrap().contains("не аварийное"));
        assert!(check_downgrade(Priority::Emergency, Priority::Normal, "запах от краски").is_ok());
        assert!(check_downgrade(Priority::Normal, Priority::Normal, "x").is_err());
    }

    #[test]
    fn a_receipt_in_the_future_is_refused_beyond_a_minute() {
        let now = chrono::DateTime::parse_from_rfc3339("2026-12-07T10:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let mut e = ValidationErrors::new();
        assert_eq!(received_at(None, now, &mut e), now);
        let earlier = now - TimeDelta::hours(2);
        assert_eq!(received_at(Some(earlier), now, &mut e), earlier);
        let skew = now + TimeDelta::seconds(30);
        assert_eq!(received_at(Some(skew), now, &mut e), now);
        assert!(e.is_empty());
        received_at(Some(now + TimeDelta::minutes(5)), now, &mut e);
        assert_eq!(e.0[0].field, "received_at");
    }
}
