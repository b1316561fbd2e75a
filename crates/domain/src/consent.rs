//! Whom a resident may be written to: only by a channel they consented to (registry person
//! flags), and SMS only to a mobile number.

use crate::outbox::OutboxChannel;
use crate::registry::PersonData;

/// Russian mobile numbers (`+79…`) take SMS; landlines do not.
fn mobile(p: &PersonData) -> Option<&str> {
    p.phones
        .iter()
        .map(String::as_str)
        .find(|ph| ph.starts_with("+79") && ph.len() == 12)
}

/// May this person be informed through `channel`: consented and reachable there.
pub fn allowed(p: &PersonData, channel: OutboxChannel) -> bool {
    match channel {
        OutboxChannel::Email => {
            p.consent_email && p.email.as_deref().is_some_and(|e| !e.is_empty())
        }
        OutboxChannel::Sms => p.consent_sms && mobile(p).is_some(),
    }
}

/// Every (channel, address) the person consented to, e-mail first.
pub fn recipients(p: &PersonData) -> Vec<(OutboxChannel, String)> {
    let mut out = Vec::new();
    if allowed(p, OutboxChannel::Email) {
        if let Some(e) = &p.email {
            out.push((OutboxChannel::Email, e.clone()));
        }
    }
    if allowed(p, OutboxChannel::Sms) {
        if let Some(m) = mobile(p) {
            out.push((OutboxChannel::Sms, m.to_string()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(phones: &[&str], email: Option<&str>, sms: bool, mail: bool) -> PersonData {
        PersonData {
            last_name: "Иванова".into(),
            first_name: "Мария".into(),
            middle_name: None,
            birth_date: None,
            phones: phones.iter().map(|s| s.to_string()).collect(),
            email: email.map(str::to_string),
            id_document: None,
            consent_sms: sms,
            consent_email: mail,
            legal_capacity: Default::default(),
            capacity_basis: None,
        }
    }

    #[test]
    fn consent_is_needed_per_channel() {
        let p = person(&["+79123456789"], Some("m@example.ru"), false, true);
        assert!(allowed(&p, OutboxChannel::Email));
        assert!(!allowed(&p, OutboxChannel::Sms));
        assert_eq!(
            recipients(&p),
            [(OutboxChannel::Email, "m@example.ru".to_string())]
        );
        let p = person(&["+79123456789"], Some("m@example.ru"), true, false);
        assert_eq!(
            recipients(&p),
            [(OutboxChannel::Sms, "+79123456789".to_string())]
        );
    }

    #[test]
    fn consent_without_an_address_sends_nothing() {
        let p = person(&[], None, true, true);
        assert!(!allowed(&p, OutboxChannel::Email));
        assert!(!allowed(&p, OutboxChannel::Sms));
        assert!(recipients(&p).is_empty());
    }

    #[test]
    fn sms_goes_to_the_first_mobile_not_a_landline() {
        let p = person(&["+73432123456", "+79001112233"], None, true, false);
        assert_eq!(
            recipients(&p),
            [(OutboxChannel::Sms, "+79001112233".to_string())]
        );
        let p = person(&["+73432123456"], None, true, false);
        assert!(!allowed(&p, OutboxChannel::Sms));
    }
}
