use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::account::Share;
use super::capacity::LegalCapacity;
use super::fields::{self, flag, loose};
use super::registration::{Registration, RegistrationForm};
use crate::{phone, text, ValidationErrors};

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct PersonForm {
    #[serde(default, deserialize_with = "loose")]
    pub last_name: Option<String>,
    #[serde(default, deserialize_with = "loose")]
    pub first_name: Option<String>,
    #[serde(default, deserialize_with = "loose")]
    pub middle_name: Option<String>,
    #[serde(default, deserialize_with = "loose")]
    pub birth_date: Option<String>,
    /// One or more phones separated by commas or semicolons, in any common format.
    #[serde(default, deserialize_with = "loose")]
    pub phones: Option<String>,
    #[serde(default, deserialize_with = "loose")]
    pub email: Option<String>,
    #[serde(default, deserialize_with = "loose")]
    pub id_document: Option<String>,
    #[serde(default, deserialize_with = "loose")]
    pub consent_sms: Option<String>,
    #[serde(default, deserialize_with = "loose")]
    pub consent_email: Option<String>,
    /// `full` (empty), `limited` or `incapable`.
    #[serde(default, deserialize_with = "loose")]
    pub legal_capacity: Option<String>,
    /// The court decision that limited capacity.
    #[serde(default, deserialize_with = "loose")]
    pub capacity_basis: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PersonData {
    pub last_name: String,
    pub first_name: String,
    pub middle_name: Option<String>,
    pub birth_date: Option<NaiveDate>,
    /// Normalized `+7XXXXXXXXXX`.
    pub phones: Vec<String>,
    pub email: Option<String>,
    /// Identity document as written: `паспорт 6512 345678, выдан ...`.
    pub id_document: Option<String>,
    pub consent_sms: bool,
    pub consent_email: bool,
    /// Presumed capable: older records and forms without the field.
    #[serde(default)]
    pub legal_capacity: LegalCapacity,
    /// The court decision for a limit; none for a capable person.
    #[serde(default)]
    pub capacity_basis: Option<String>,
}

impl PersonData {
    pub fn full_name(&self) -> String {
        match &self.middle_name {
            Some(m) => format!("{} {} {}", self.last_name, self.first_name, m),
            None => format!("{} {}", self.last_name, self.first_name),
        }
    }
}

impl PersonForm {
    /// `today` bounds the birth date (the domain has no clock).
    pub fn validate(&self, today: NaiveDate) -> Result<PersonData, ValidationErrors> {
        let mut e = ValidationErrors::new();
        let name = |e: &mut ValidationErrors, f: &str, l: &str, v: &Option<String>| {
            let n = text::required(e, f, l, v.as_deref().unwrap_or(""), 60);
            check_name(e, f, l, &n);
            n
        };
        let last_name = name(&mut e, "last_name", "Фамилия", &self.last_name);
        let first_name = name(&mut e, "first_name", "Имя", &self.first_name);
        let middle_name = text::optional(
            &mut e,
            "middle_name",
            "Отчество",
            self.middle_name.as_deref(),
            60,
        );
        if let Some(m) = &middle_name {
            check_name(&mut e, "middle_name", "Отчество", m);
        }
        let birth_date = fields::date(&mut e, "birth_date", "Дата рождения", &self.birth_date);
        if let Some(b) = birth_date {
            if b > today || today.years_since(b).unwrap_or(0) > 130 {
                e.add(
                    "birth_date",
                    "Дата рождения вне разумных пределов. Проверьте год.",
                );
            }
        }
        let mut phones = Vec::new();
        for raw in self
            .phones
            .as_deref()
            .unwrap_or("")
            .split([',', ';'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            match phone::normalize(raw) {
                Some(p) if !phones.contains(&p) => phones.push(p),
                Some(_) => {}
                None => e.add(
                    "phones",
                    format!("Телефон «{raw}» не распознан. Введите российский номер: 8 912 345-67-89 или +7 912 345-67-89."),
                ),
            }
        }
        if phones.len() > 5 {
            e.add("phones", "Укажите не более пяти телефонов.");
        }
        let email = text::optional(&mut e, "email", "Эл. почта", self.email.as_deref(), 120)
            .map(|m| m.to_lowercase());
        if let Some(m) = &email {
            if !looks_like_email(m) {
                e.add(
                    "email",
                    format!("Адрес «{m}» не похож на адрес эл. почты: нужен вид name@example.ru."),
                );
            }
        }
        let id_document = text::optional(
            &mut e,
            "id_document",
            "Документ, удостоверяющий личность",
            self.id_document.as_deref(),
            300,
        );
        let consent_sms = flag(&self.consent_sms);
        let consent_email = flag(&self.consent_email);
        if consent_sms && phones.is_empty() {
            e.add(
                "consent_sms",
                "Согласие на SMS без телефона: укажите телефон или снимите отметку.",
            );
        }
        if consent_email && email.is_none() {
            e.add(
                "consent_email",
                "Согласие на письма без адреса: укажите эл. почту или снимите отметку.",
            );
        }
        let (legal_capacity, capacity_basis) = super::capacity::validate(
            &mut e,
            self.legal_capacity.as_deref(),
            self.capacity_basis.as_deref(),
        );
        e.into_result(PersonData {
            last_name,
            first_name,
            middle_name,
            birth_date,
            phones,
            email,
            id_document,
            consent_sms,
            consent_email,
            legal_capacity,
            capacity_basis,
        })
    }
}

fn check_name(e: &mut ValidationErrors, field: &str, label: &str, v: &str) {
    if v.chars()
        .any(|c| !(c.is_alphabetic() || " -'.".contains(c)))
    {
        e.add(
            field,
            format!("Поле «{label}» может содержать только буквы, пробел, дефис и апостроф."),
        );
    }
}

fn looks_like_email(m: &str) -> bool {
    let Some((user, host)) = m.split_once('@') else {
        return false;
    };
    !user.is_empty()
        && host.contains('.')
        && !host.starts_with('.')
        && !host.ends_with('.')
        && !m.contains(char::is_whitespace)
        && !host.contains('@')
}

/// How a person relates to an account.
#[derive(Debug, Clone, Copy, PartialEq, Hash, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LinkRole {
    Owner,
    Tenant,
    Registered,
    Representative,
}

impl LinkRole {
    pub const ALL: [LinkRole; 4] = [
        LinkRole::Owner,
        LinkRole::Tenant,
        LinkRole::Registered,
        LinkRole::Representative,
    ];

    pub fn code(self) -> &'static str {
        match self {
            LinkRole::Owner => "owner",
            LinkRole::Tenant => "tenant",
            LinkRole::Registered => "registered",
            LinkRole::Representative => "representative",
        }
    }

    pub fn from_code(s: &str) -> Option<LinkRole> {
        LinkRole::ALL.into_iter().find(|r| r.code() == s)
    }

    pub fn title(self) -> &'static str {
        match self {
            LinkRole::Owner => "Собственник",
            LinkRole::Tenant => "Наниматель",
            LinkRole::Registered => "Зарегистрирован",
            LinkRole::Representative => "Представитель",
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct LinkForm {
    #[serde(default, deserialize_with = "loose")]
    pub account_id: Option<String>,
    #[serde(default, deserialize_with = "loose")]
    pub person_id: Option<String>,
    #[serde(default, deserialize_with = "loose")]
    pub role: Option<String>,
    #[serde(default, deserialize_with = "loose")]
    pub share: Option<String>,
    #[serde(default, deserialize_with = "loose")]
    pub from_date: Option<String>,
    #[serde(default, deserialize_with = "loose")]
    pub to_date: Option<String>,
    /// Registration kind, stay end, arrival, departure, kinship (passport-office records).
    #[serde(flatten)]
    pub registration: RegistrationForm,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct LinkData {
    pub account_id: i64,
    pub person_id: i64,
    pub role: LinkRole,
    /// Ownership share, for owners only.
    pub share: Option<Share>,
    pub from_date: Option<NaiveDate>,
    pub to_date: Option<NaiveDate>,
    /// What the passport office records; unknown fields stay empty.
    #[serde(default)]
    pub registration: Registration,
}

impl LinkForm {
    pub fn validate(&self) -> Result<LinkData, ValidationErrors> {
        let mut e = ValidationErrors::new();
        let account_id = fields::id(&mut e, "account_id", "Лицевой счёт", &self.account_id);
        let person_id = fields::id(&mut e, "person_id", "Человек", &self.person_id);
        let role = match self.role.as_deref().map(str::trim) {
            Some(r) if LinkRole::from_code(r).is_some() => LinkRole::from_code(r).unwrap(),
            _ => {
                e.add(
                    "role",
                    "Выберите роль: собственник, наниматель, зарегистрирован или представитель.",
                );
                LinkRole::Owner
            }
        };
        let share = match self
            .share
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => None,
            Some(s) => match Share::parse(s) {
                Some(sh) if role == LinkRole::Owner => Some(sh),
                Some(_) => {
                    e.add(
                        "share",
                        "Доля в собственности указывается только для собственника.",
                    );
                    None
                }
                None => {
                    e.add(
                        "share",
                        format!("Доля «{s}» не распознана. Введите 1, 1/2, 1/3 и т. п."),
                    );
                    None
                }
            },
        };
        let from_date = fields::date(&mut e, "from_date", "С", &self.from_date);
        let to_date = fields::date(&mut e, "to_date", "По", &self.to_date);
        if let (Some(f), Some(t)) = (from_date, to_date) {
            if t < f {
                e.add("to_date", "Дата окончания раньше даты начала.");
            }
        }
        let registration = self.registration.check(&mut e);
        e.into_result(LinkData {
            account_id,
            person_id,
            role,
            share,
            from_date,
            to_date,
            registration,
        })
    }
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct BenefitForm {
    #[serde(default, deserialize_with = "loose")]
    pub person_id: Option<String>,
    #[serde(default, deserialize_with = "loose")]
    pub category: Option<String>,
    #[serde(default, deserialize_with = "loose")]
    pub document: Option<String>,
    #[serde(default, deserialize_with = "loose")]
    pub from_date: Option<String>,
    #[serde(default, deserialize_with = "loose")]
    pub to_date: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct BenefitData {
    pub person_id: i64,
    pub category: String,
    pub document: Option<String>,
    pub from_date: NaiveDate,
    pub to_date: Option<NaiveDate>,
}

impl BenefitForm {
    pub fn validate(&self) -> Result<BenefitData, ValidationErrors> {
        let mut e = ValidationErrors::new();
        let person_id = fields::id(&mut e, "person_id", "Человек", &self.person_id);
        let category = text::required(
            &mut e,
            "category",
            "Категория льготы",
            self.category.as_deref().unwrap_or(""),
            200,
        );
        let document = text::optional(
            &mut e,
            "document",
            "Подтверждающий документ",
            self.document.as_deref(),
            300,
        );
        let from_date = fields::required_date(&mut e, "from_date", "Действует с", &self.from_date);
        let to_date = fields::date(&mut e, "to_date", "Действует по", &self.to_date);
        if let (Some(f), Some(t)) = (from_date, to_date) {
            if t < f {
                e.add("to_date", "Дата окончания льготы раньше даты начала.");
            }
        }
        e.into_result(BenefitData {
            person_id,
            category,
            document,
            from_date: from_date.unwrap_or_default(),
            to_date,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()
    }

    fn ivanov() -> PersonForm {
        PersonForm {
            last_name: Some("Иванов".into()),
            first_name: Some("Пётр".into()),
            middle_name: Some("Сергеевич".into()),
            phones: Some("8 (912) 345-67-89; +7 343 123 45 67".into()),
            email: Some("Ivanov@Mail.ru".into()),
            consent_sms: Some("on".into()),
            ..Default::default()
        }
    }

    #[test]
    fn person_is_normalized() {
        let p = ivanov().validate(today()).unwrap();
        assert_eq!(p.phones, vec!["+79123456789", "+73431234567"]);
        assert_eq!(p.email.as_deref(), Some("ivanov@mail.ru"));
        assert!(p.consent_sms && !p.consent_email);
        assert_eq!(p.full_name(), "Иванов Пётр Сергеевич");
    }

    #[test]
    fn bad_phone_email_and_markup_named() {
        let f = PersonForm {
            phones: Some("12-34".into()),
            email: Some("ivanov.mail.ru".into()),
            last_name: Some("<script>alert(1)</script>".into()),
            ..ivanov()
        };
        let e = f.validate(today()).unwrap_err();
        assert!(e.for_field("phones").unwrap().contains("12-34"));
        assert!(e.for_field("email").is_some());
        assert!(e.for_field("last_name").is_some());
    }

    #[test]
    fn consent_needs_a_channel() {
        let f = PersonForm {
            phones: None,
            ..ivanov()
        };
        assert!(f
            .validate(today())
            .unwrap_err()
            .for_field("consent_sms")
            .is_some());
    }

    #[test]
    fn future_birth_date_refused() {
        let f = PersonForm {
            birth_date: Some("01.01.2030".into()),
            ..ivanov()
        };
        assert!(f
            .validate(today())
            .unwrap_err()
            .for_field("birth_date")
            .is_some());
    }

    #[test]
    fn share_only_for_owner() {
        let f = LinkForm {
            account_id: Some("1".into()),
            person_id: Some("2".into()),
            role: Some("tenant".into()),
            share: Some("1/2".into()),
            ..Default::default()
        };
        assert!(f.validate().unwrap_err().for_field("share").is_some());
        let ok = LinkForm {
            role: Some("owner".into()),
            ..f
        }
        .validate()
        .unwrap();
        assert_eq!(ok.share, Some(Share { num: 1, den: 2 }));
    }

    #[test]
    fn benefit_dates() {
        let e = BenefitForm {
            person_id: Some("1".into()),
            category: Some("Ветеран труда".into()),
            from_date: Some("01.01.2026".into()),
            to_date: Some("01.01.2025".into()),
            ..Default::default()
        }
        .validate()
        .unwrap_err();
        assert!(e.for_field("to_date").is_some());
    }
}
