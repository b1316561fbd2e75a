//! The organization whose letterhead and bank details go on every document.

use abonent_domain::ValidationErrors;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::DocKind;

/// Requisites of the management company. Blank strings mean "not filled in".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Organization {
    /// Full name as printed: ООО «УК „Наш дом“».
    pub name: String,
    pub inn: String,
    pub kpp: String,
    pub ogrn: String,
    pub address: String,
    /// As printed, e.g. `+7 (495) 123-45-67, +7 (495) 123-45-68`.
    pub phones: String,
    pub email: String,
    pub bank_name: String,
    pub bic: String,
    pub corr_account: String,
    pub settlement_account: String,
    /// Генеральный директор.
    pub director_title: String,
    /// Фамилия И. О.
    pub director_name: String,
}

fn blank(s: &str) -> bool {
    s.trim().is_empty()
}

fn digits(s: &str, lens: &[usize]) -> bool {
    let s = s.trim();
    lens.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
}

impl Organization {
    /// From the settings (`org.name`, `org.inn`, … as stored by the administrator).
    pub fn from_settings(settings: &std::collections::BTreeMap<String, String>) -> Organization {
        let get = |k: &str| {
            settings
                .get(&format!("org.{k}"))
                .map(|v| v.trim().to_string())
                .unwrap_or_default()
        };
        Organization {
            name: get("name"),
            inn: get("inn"),
            kpp: get("kpp"),
            ogrn: get("ogrn"),
            address: get("address"),
            phones: get("phones"),
            email: get("email"),
            bank_name: get("bank_name"),
            bic: get("bic"),
            corr_account: get("corr_account"),
            settlement_account: get("settlement_account"),
            director_title: get("director_title"),
            director_name: get("director_name"),
        }
    }

    /// The settings this organization is stored as (tests, demo data).
    pub fn to_settings(&self) -> Vec<(String, String)> {
        let v = serde_json::to_value(self).unwrap_or_default();
        v.as_object()
            .map(|m| {
                m.iter()
                    .map(|(k, v)| {
                        (
                            format!("org.{k}"),
                            v.as_str().unwrap_or_default().to_string(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// What is missing or malformed for printing a document of `kind`; fields are named
    /// `org.<field>` and messages say in Russian which detail to fill in.
    pub fn validate_for(&self, kind: DocKind) -> ValidationErrors {
        let mut e = ValidationErrors::new();
        let doc = kind.title();
        let mut need = |field: &str, value: &str, what: &str| {
            if blank(value) {
                e.add(
                    &format!("org.{field}"),
                    format!(
                        "В реквизитах организации не указан {what} — без него нельзя выпустить \
                         документ «{doc}». Заполните его в настройках организации."
                    ),
                );
            }
        };
        need("name", &self.name, "наименование");
        need("inn", &self.inn, "ИНН");
        need("address", &self.address, "адрес");
        match kind {
            DocKind::PaymentDocument => {
                need("kpp", &self.kpp, "КПП");
                need("bank_name", &self.bank_name, "банк");
                need("bic", &self.bic, "БИК банка");
                need("corr_account", &self.corr_account, "корреспондентский счёт");
                need(
                    "settlement_account",
                    &self.settlement_account,
                    "расчётный счёт",
                );
            }
            _ => {
                need("ogrn", &self.ogrn, "ОГРН");
                need(
                    "director_title",
                    &self.director_title,
                    "должность руководителя",
                );
                need(
                    "director_name",
                    &self.director_name,
                    "руководитель (Ф. И. О.)",
                );
            }
        }
        let mut format = |field: &str, value: &str, ok: bool, msg: &str| {
            if !blank(value) && !ok {
                e.add(&format!("org.{field}"), msg.to_string());
            }
        };
        format(
            "inn",
            &self.inn,
            digits(&self.inn, &[10, 12]),
            "ИНН организации: 10 или 12 цифр.",
        );
        format(
            "ogrn",
            &self.ogrn,
            digits(&self.ogrn, &[13, 15]),
            "ОГРН: 13 цифр (ОГРНИП — 15).",
        );
        format(
            "bic",
            &self.bic,
            digits(&self.bic, &[9]),
            "БИК: ровно 9 цифр.",
        );
        e
    }

    /// «ИНН 7701234567, КПП 770101001, ОГРН 1027700000000», skipping blanks.
    pub fn details_line(&self) -> String {
        let parts = [("ИНН", &self.inn), ("КПП", &self.kpp), ("ОГРН", &self.ogrn)];
        let parts: Vec<String> = parts
            .iter()
            .filter(|(_, v)| !blank(v))
            .map(|(k, v)| format!("{k} {}", v.trim()))
            .collect();
        parts.join(", ")
    }

    /// «тел. …; e-mail: …», skipping blanks.
    pub fn contacts_line(&self) -> String {
        let mut parts = Vec::new();
        if !blank(&self.phones) {
            parts.push(format!("тел. {}", self.phones.trim()));
        }
        if !blank(&self.email) {
            parts.push(format!("e-mail: {}", self.email.trim()));
        }
        parts.join("; ")
    }

    /// «р/с … в …, БИК …, к/с …», empty when there is no settlement account.
    pub fn bank_line(&self) -> String {
        if blank(&self.settlement_account) {
            return String::new();
        }
        let mut s = format!("р/с {}", self.settlement_account.trim());
        if !blank(&self.bank_name) {
            s.push_str(&format!(" в {}", self.bank_name.trim()));
        }
        if !blank(&self.bic) {
            s.push_str(&format!(", БИК {}", self.bic.trim()));
        }
        if !blank(&self.corr_account) {
            s.push_str(&format!(", к/с {}", self.corr_account.trim()));
        }
        s
    }

    /// The `org` object templates see: every field plus the ready-made lines.
    pub(crate) fn view(&self) -> Value {
        let mut v = serde_json::to_value(self).unwrap_or_default();
        if let Value::Object(m) = &mut v {
            m.insert("details_line".into(), json!(self.details_line()));
            m.insert("contacts_line".into(), json!(self.contacts_line()));
            m.insert("bank_line".into(), json!(self.bank_line()));
        }
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::samples;

    #[test]
    fn sample_org_is_complete_for_every_kind() {
        for kind in DocKind::ALL {
            assert!(
                samples::organization().validate_for(kind).is_empty(),
                "{kind:?}"
            );
        }
    }

    #[test]
    fn missing_bic_is_named_in_russian() {
        let org = Organization {
            bic: " ".into(),
            ..samples::organization()
        };
        let e = org.validate_for(DocKind::PaymentDocument);
        let msg = e.for_field("org.bic").expect("bic error");
        assert!(msg.contains("БИК"), "{msg}");
        // A certificate needs no bank details.
        assert!(org
            .validate_for(DocKind::RegistrationCertificate)
            .is_empty());
    }

    #[test]
    fn settings_round_trip() {
        let org = samples::organization();
        let map = org.to_settings().into_iter().collect();
        assert_eq!(Organization::from_settings(&map), org);
    }

    #[test]
    fn lines_skip_blanks() {
        let org = Organization {
            kpp: String::new(),
            email: String::new(),
            ..samples::organization()
        };
        assert!(!org.details_line().contains("КПП"));
        assert!(!org.contacts_line().contains("e-mail"));
        assert!(org.bank_line().starts_with("р/с "));
    }
}
