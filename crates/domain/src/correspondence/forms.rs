//! Incoming and outgoing letters as typed into a form or sent to the API, and their checks.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{SendMethod, SenderKind};
use crate::registry::fields::{self, loose};
use crate::{text, ValidationErrors};

/// An incoming letter to register.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct IncomingForm {
    /// Date received, `2026-11-27` or `27.11.2026`.
    #[serde(default, deserialize_with = "loose")]
    pub received_on: Option<String>,
    /// `person`, `organization`, `housing_inspectorate`, `prosecutor`, `other_state`.
    #[serde(default, deserialize_with = "loose")]
    pub sender_kind: Option<String>,
    #[serde(default, deserialize_with = "loose")]
    pub sender_name: Option<String>,
    /// The sender's own number of the letter.
    #[serde(default, deserialize_with = "loose")]
    pub sender_ref_number: Option<String>,
    #[serde(default, deserialize_with = "loose")]
    pub sender_ref_date: Option<String>,
    #[serde(default, deserialize_with = "loose")]
    pub subject: Option<String>,
    #[serde(default, deserialize_with = "loose")]
    pub pages: Option<String>,
    #[serde(default, deserialize_with = "loose")]
    pub executor_user_id: Option<String>,
    /// The answer term set in the letter itself; empty — computed by the rule of the sender kind.
    #[serde(default, deserialize_with = "loose")]
    pub deadline_on: Option<String>,
    #[serde(default, deserialize_with = "loose")]
    pub account_id: Option<String>,
    #[serde(default, deserialize_with = "loose")]
    pub person_id: Option<String>,
    #[serde(default, deserialize_with = "loose")]
    pub note: Option<String>,
}

/// A valid incoming letter (before its number and deadline are assigned).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct IncomingData {
    pub received_on: NaiveDate,
    pub sender_kind: SenderKind,
    pub sender_name: String,
    pub sender_ref_number: Option<String>,
    pub sender_ref_date: Option<NaiveDate>,
    pub subject: String,
    pub pages: Option<i64>,
    pub executor_user_id: Option<i64>,
    /// Term set in the letter, if any.
    pub letter_term: Option<NaiveDate>,
    pub account_id: Option<i64>,
    pub person_id: Option<i64>,
    pub note: Option<String>,
}

/// An optional reference to another record by id.
fn opt_id(e: &mut ValidationErrors, field: &str, label: &str, v: &Option<String>) -> Option<i64> {
    let s = v.as_deref().map(str::trim).filter(|s| !s.is_empty())?;
    match s.parse::<i64>() {
        Ok(n) if n > 0 => Some(n),
        _ => {
            e.add(field, format!("Поле «{label}»: неверная ссылка «{s}»."));
            None
        }
    }
}

/// A required date that may not be later than today.
fn past_date(
    e: &mut ValidationErrors,
    field: &str,
    label: &str,
    v: &Option<String>,
    today: NaiveDate,
) -> Option<NaiveDate> {
    let d = fields::required_date(e, field, label, v)?;
    if d > today {
        e.add(
            field,
            format!(
                "Поле «{label}»: {} ещё не наступило. Укажите сегодняшнюю или прошедшую дату.",
                d.format("%d.%m.%Y")
            ),
        );
    }
    Some(d)
}

impl IncomingForm {
    pub fn validate(&self, today: NaiveDate) -> Result<IncomingData, ValidationErrors> {
        let mut e = ValidationErrors::new();
        let s = |v: &Option<String>| v.clone().unwrap_or_default();
        let received_on = past_date(
            &mut e,
            "received_on",
            "Дата поступления",
            &self.received_on,
            today,
        );
        let sender_kind = SenderKind::from_code(&s(&self.sender_kind));
        if sender_kind.is_none() {
            e.add(
                "sender_kind",
                "Выберите, от кого письмо: гражданин, организация, жилищная инспекция, прокуратура или иной орган.",
            );
        }
        let sender_name = text::required(
            &mut e,
            "sender_name",
            "Отправитель",
            &s(&self.sender_name),
            300,
        );
        let sender_ref_number = text::optional(
            &mut e,
            "sender_ref_number",
            "Исходящий номер отправителя",
            self.sender_ref_number.as_deref(),
            50,
        );
        let sender_ref_date = fields::date(
            &mut e,
            "sender_ref_date",
            "Дата письма",
            &self.sender_ref_date,
        );
        if let (Some(r), Some(d)) = (received_on, sender_ref_date) {
            if d > r {
                e.add(
                    "sender_ref_date",
                    "Письмо датировано позже, чем поступило: проверьте дату письма и дату поступления.",
                );
            }
        }
        let subject = text::required(
            &mut e,
            "subject",
            "Содержание (тема)",
            &s(&self.subject),
            1000,
        );
        let pages = fields::int(&mut e, "pages", "Листов", &self.pages, 1, 10_000);
        let executor_user_id = opt_id(
            &mut e,
            "executor_user_id",
            "Исполнитель",
            &self.executor_user_id,
        );
        let letter_term = fields::date(&mut e, "deadline_on", "Срок из письма", &self.deadline_on);
        if let (Some(r), Some(t)) = (received_on, letter_term) {
            if t < r {
                e.add(
                    "deadline_on",
                    "Срок ответа раньше даты поступления: проверьте срок или оставьте поле пустым — срок рассчитается по правилу.",
                );
            }
        }
        let account_id = opt_id(&mut e, "account_id", "Лицевой счёт", &self.account_id);
        let person_id = opt_id(&mut e, "person_id", "Человек", &self.person_id);
        let note = text::optional(&mut e, "note", "Примечание", self.note.as_deref(), 2000);
        match (received_on, sender_kind) {
            (Some(received_on), Some(sender_kind)) if e.is_empty() => Ok(IncomingData {
                received_on,
                sender_kind,
                sender_name,
                sender_ref_number,
                sender_ref_date,
                subject,
                pages,
                executor_user_id,
                letter_term,
                account_id,
                person_id,
                note,
            }),
            _ => Err(e),
        }
    }
}

/// An outgoing letter to register.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct OutgoingForm {
    #[serde(default, deserialize_with = "loose")]
    pub sent_on: Option<String>,
    #[serde(default, deserialize_with = "loose")]
    pub addressee: Option<String>,
    #[serde(default, deserialize_with = "loose")]
    pub subject: Option<String>,
    /// `post`, `email`, `hand`, `portal`.
    #[serde(default, deserialize_with = "loose")]
    pub method: Option<String>,
    /// Postal tracking number (only for `post`).
    #[serde(default, deserialize_with = "loose")]
    pub tracking_number: Option<String>,
    /// An issued document the letter carries.
    #[serde(default, deserialize_with = "loose")]
    pub document_id: Option<String>,
    /// The incoming letter this one answers; it becomes «answered».
    #[serde(default, deserialize_with = "loose")]
    pub answers_incoming_id: Option<String>,
    #[serde(default, deserialize_with = "loose")]
    pub account_id: Option<String>,
    #[serde(default, deserialize_with = "loose")]
    pub person_id: Option<String>,
    #[serde(default, deserialize_with = "loose")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct OutgoingData {
    pub sent_on: NaiveDate,
    pub addressee: String,
    pub subject: String,
    pub method: SendMethod,
    pub tracking_number: Option<String>,
    pub document_id: Option<i64>,
    pub answers_incoming_id: Option<i64>,
    pub account_id: Option<i64>,
    pub person_id: Option<i64>,
    pub note: Option<String>,
}

impl OutgoingForm {
    pub fn validate(&self, today: NaiveDate) -> Result<OutgoingData, ValidationErrors> {
        let mut e = ValidationErrors::new();
        let s = |v: &Option<String>| v.clone().unwrap_or_default();
        let sent_on = past_date(&mut e, "sent_on", "Дата отправки", &self.sent_on, today);
        let addressee = text::required(&mut e, "addressee", "Адресат", &s(&self.addressee), 300);
        let subject = text::required(
            &mut e,
            "subject",
            "Содержание (тема)",
            &s(&self.subject),
            1000,
        );
        let method = SendMethod::from_code(&s(&self.method));
        if method.is_none() {
            e.add(
                "method",
                "Выберите способ отправки: почтой, электронной почтой, нарочно или через портал.",
            );
        }
        let tracking_number = text::optional(
            &mut e,
            "tracking_number",
            "Трек-номер",
            self.tracking_number.as_deref(),
            40,
        );
        if tracking_number.is_some() && method.is_some_and(|m| m != SendMethod::Post) {
            e.add(
                "tracking_number",
                "Трек-номер указывается только для писем, отправленных почтой: очистите поле или выберите способ «Почтой».",
            );
        }
        let document_id = opt_id(&mut e, "document_id", "Документ", &self.document_id);
        let answers_incoming_id = opt_id(
            &mut e,
            "answers_incoming_id",
            "Ответ на входящее",
            &self.answers_incoming_id,
        );
        let account_id = opt_id(&mut e, "account_id", "Лицевой счёт", &self.account_id);
        let person_id = opt_id(&mut e, "person_id", "Человек", &self.person_id);
        let note = text::optional(&mut e, "note", "Примечание", self.note.as_deref(), 2000);
        match (sent_on, method) {
            (Some(sent_on), Some(method)) if e.is_empty() => Ok(OutgoingData {
                sent_on,
                addressee,
                subject,
                method,
                tracking_number,
                document_id,
                answers_incoming_id,
                account_id,
                person_id,
                note,
            }),
            _ => Err(e),
        }
    }
}
