//! What an appeal must carry before it can be registered. The form names every missing
//! detail; an emergency needs only an address and the substance, so nothing slows it down.

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
    if !f.phone.trim().is_empty() && crate::phone::normalize(f.phone).is_none() {
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
