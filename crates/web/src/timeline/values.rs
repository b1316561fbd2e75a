//! A history value as a person reads it: codes by their Russian names, money in rubles,
//! areas in m², dates ДД.ММ.ГГГГ, instants in the organization's time zone, and references
//! as links named by what they point at — never an internal id or JSON.

use std::collections::HashMap;

use abonent_domain::appeal::{AppealKind, Channel, Priority, Status};
use abonent_domain::correspondence::{IncomingStatus, SendMethod, SenderKind};
use abonent_domain::debtor::{delivery_method_title, Stage};
use abonent_domain::outbox::{OutboxChannel, OutboxState};
use abonent_domain::registry::LinkRole;
use abonent_storage::labels::RecordRef;
use serde_json::Value;

use crate::format;

/// One part of a shown value: text, and where it leads when it names a record.
pub struct Part {
    pub text: String,
    pub href: String,
}

/// A value shown: one part, or several (a list of appeals).
pub struct Shown {
    pub parts: Vec<Part>,
}

impl Shown {
    pub fn text(t: impl Into<String>) -> Shown {
        Shown {
            parts: vec![Part {
                text: t.into(),
                href: String::new(),
            }],
        }
    }

    /// The text alone, as a test reads it.
    #[cfg(test)]
    pub fn plain(&self) -> String {
        self.parts
            .iter()
            .map(|p| p.text.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// What the values refer to, resolved once for a whole history.
#[derive(Default)]
pub struct Names {
    /// Records by kind and id: an account's number, a person's name.
    pub records: HashMap<(RecordRef, i64), String>,
    /// Appeal deadline rules by code: their titles.
    pub rules: HashMap<String, String>,
}

pub struct Context<'a> {
    pub tz: chrono_tz::Tz,
    pub names: &'a Names,
}

/// The kind of record a field holds the id of.
pub fn reference(field: &str) -> Option<RecordRef> {
    Some(match field {
        "account_id" => RecordRef::Account,
        "person_id" | "kin_of" => RecordRef::Person,
        "premises_id" => RecordRef::Premises,
        "building_id" => RecordRef::Building,
        "document_id" | "corrects_id" => RecordRef::Document,
        "outgoing_id" | "answered_by_outgoing_id" => RecordRef::OutgoingLetter,
        "answers_incoming_id" => RecordRef::IncomingLetter,
        "executor_user_id" | "executor_id" => RecordRef::User,
        "department_id" => RecordRef::Department,
        "contractor_id" => RecordRef::Contractor,
        "category_id" => RecordRef::Category,
        "merged_into" | "appeal_ids" => RecordRef::Appeal,
        "incident_id" => RecordRef::Incident,
        _ => return None,
    })
}

/// An assignment's target (`{"kind": "department", "id": 3}`) as a reference.
pub fn target(v: &Value) -> Option<(RecordRef, i64)> {
    let t = v.get("target").unwrap_or(v);
    let kind = match t.get("kind")?.as_str()? {
        "department" => RecordRef::Department,
        "contractor" => RecordRef::Contractor,
        "staff" => RecordRef::User,
        _ => return None,
    };
    Some((kind, t.get("id")?.as_i64()?))
}

fn href(kind: RecordRef, id: i64) -> String {
    match kind {
        RecordRef::Account => format!("/accounts/{id}"),
        RecordRef::Person => format!("/persons/{id}"),
        RecordRef::Premises => format!("/premises/{id}"),
        RecordRef::Building => format!("/buildings/{id}"),
        RecordRef::Document => format!("/documents/{id}"),
        RecordRef::Appeal => format!("/appeals/{id}"),
        RecordRef::IncomingLetter => format!("/correspondence/incoming/{id}"),
        RecordRef::OutgoingLetter => format!("/correspondence/outgoing/{id}"),
        RecordRef::Incident => format!("/incidents/{id}"),
        RecordRef::User | RecordRef::Department | RecordRef::Contractor | RecordRef::Category => {
            String::new()
        }
    }
}

/// What a reference is called when its record is gone or was not looked up.
fn generic(kind: RecordRef) -> &'static str {
    match kind {
        RecordRef::Account => "лицевой счёт",
        RecordRef::Person => "карточка человека",
        RecordRef::Premises => "помещение",
        RecordRef::Building => "дом",
        RecordRef::Document => "документ",
        RecordRef::Appeal => "обращение",
        RecordRef::IncomingLetter => "входящее письмо",
        RecordRef::OutgoingLetter => "исходящее письмо",
        RecordRef::User => "сотрудник",
        RecordRef::Department => "отдел",
        RecordRef::Contractor => "подрядчик",
        RecordRef::Category => "категория",
        RecordRef::Incident => "инцидент",
    }
}

fn link(kind: RecordRef, id: i64, ctx: &Context) -> Part {
    let name = ctx.names.records.get(&(kind, id));
    let text = match (kind, name) {
        (RecordRef::Document, Some(n)) => format!("документ № {n}"),
        (RecordRef::Appeal, Some(n)) => format!("обращение № {n}"),
        (RecordRef::IncomingLetter, Some(n)) => format!("входящее № {n}"),
        (RecordRef::OutgoingLetter, Some(n)) => format!("исходящее № {n}"),
        (RecordRef::Account, Some(n)) => format!("ЛС {n}"),
        (_, Some(n)) => n.clone(),
        (_, None) => generic(kind).to_string(),
    };
    Part {
        text,
        href: href(kind, id),
    }
}

/// `entity`'s field `field` holding `v`.
pub fn show(entity: &str, field: &str, v: &Value, ctx: &Context) -> Shown {
    if v.is_null() {
        return Shown::text("—");
    }
    if let Some(kind) = reference(field) {
        let ids: Vec<i64> = match v {
            Value::Array(a) => a.iter().filter_map(Value::as_i64).collect(),
            other => other.as_i64().into_iter().collect(),
        };
        if !ids.is_empty() {
            return Shown {
                parts: ids.into_iter().map(|id| link(kind, id, ctx)).collect(),
            };
        }
    }
    if field == "assigned" {
        return match target(v) {
            Some((kind, id)) => Shown {
                parts: vec![link(kind, id, ctx)],
            },
            None => Shown::text("—"),
        };
    }
    if let (Some(o), "registration") = (v.as_object(), field) {
        return Shown::text(registration(o, ctx.tz));
    }
    if let Some(s) = v.as_str() {
        if let Some(t) = code_title(entity, field, s, ctx) {
            return Shown::text(t);
        }
    }
    if let Some(n) = v.as_i64() {
        if let Some(t) = number(entity, field, n) {
            return Shown::text(t);
        }
    }
    Shown::text(plain(v, ctx.tz))
}

/// Numbers with a unit: money in kopecks, areas in hundredths of m², sizes in bytes.
fn number(entity: &str, field: &str, n: i64) -> Option<String> {
    Some(match field {
        "amount" if !matches!(entity, "answer_rule" | "deadline_rule") => format::rubles(n),
        "debt" | "total" | "awarded_debt" | "awarded_penalties" | "awarded_duty" => {
            format::rubles(n)
        }
        "area_centi" => format!("{} м²", abonent_domain::registry::format_area(n)),
        "size" | "size_bytes" => format::bytes(n),
        "rating" => format!("{n} из 5"),
        _ => return None,
    })
}

/// A code's Russian name, by the field (and the record) that holds it.
fn code_title(entity: &str, field: &str, code: &str, ctx: &Context) -> Option<String> {
    let t: &str = match (entity, field) {
        (_, "role") => LinkRole::from_code(code)?.title(),
        (_, "legal_capacity") => abonent_domain::registry::LegalCapacity::from_code(code)?.title(),
        ("appeal", "status") => Status::from_code(code)?.title(),
        ("incoming_letter", "status") => IncomingStatus::from_code(code)?.title(),
        ("installment_plan", "status") => match code {
            "active" => "действует",
            "broken" => "расторгнута",
            "completed" => "выполнена",
            _ => return None,
        },
        ("incident", "status") => match code {
            "open" => "открыт",
            "closed" => "закрыт",
            _ => return None,
        },
        (_, "state") | ("outbox", "status") => OutboxState::from_code(code)?.title(),
        ("appeal", "kind") => AppealKind::from_code(code)?.title(),
        ("document", "kind") => abonent_documents::DocKind::from_code(code)?.title(),
        (_, "kind") => match code {
            "to_applicant" => "сообщение заявителю",
            "internal" => "внутренний комментарий",
            _ => return None,
        },
        ("appeal", "channel") => Channel::from_code(code)?.title(),
        (_, "channel") => OutboxChannel::from_code(code)?.title(),
        (_, "priority") => Priority::from_code(code)?.title(),
        (_, "sender_kind") => SenderKind::from_code(code)?.title(),
        (_, "stage") => Stage::from_code(code)?.title(),
        ("outgoing_letter", "method") => SendMethod::from_code(code)?.title(),
        ("debt_notice", "method") => delivery_method_title(code),
        (_, "unit") => match code {
            "minutes" => "минуты",
            "hours" => "часы",
            "calendar_days" => "календарные дни",
            "working_days" => "рабочие дни",
            _ => return None,
        },
        (_, "counts_from") => abonent_domain::deadline::CountsFrom::from_code(code)?.title(),
        (_, "deadline_rule" | "localisation_rule") => {
            return Some(
                ctx.names
                    .rules
                    .get(code)
                    .cloned()
                    .unwrap_or_else(|| "правило срока".into()),
            )
        }
        (_, "via") => match code {
            "link" => "по ссылке из сообщения",
            "phone" => "по телефону",
            "portal" => "в личном кабинете",
            _ => return None,
        },
        (_, "paid_period") => {
            return abonent_domain::ledger::Period::parse(code).map(|p| p.title())
        }
        _ => return None,
    };
    Some(t.to_string())
}

/// A link's registration («по месту пребывания; регистрация по месту пребывания до
/// 31.12.2026; родство: сын»): its kind by name, the unknown parts left out.
fn registration(o: &serde_json::Map<String, Value>, tz: chrono_tz::Tz) -> String {
    let parts: Vec<String> = o
        .iter()
        .filter(|(_, x)| !x.is_null())
        .map(|(k, x)| match (k.as_str(), x.as_str()) {
            ("kind", Some(code)) => abonent_domain::registry::RegistrationKind::from_code(code)
                .map(|r| r.title().to_string())
                .unwrap_or_else(|| "вид не указан".into()),
            _ => format!(
                "{}: {}",
                super::fields::field_title("", k).to_lowercase(),
                plain(x, tz)
            ),
        })
        .collect();
    if parts.is_empty() {
        "не указана".into()
    } else {
        parts.join("; ")
    }
}

/// Any other value: dates and instants in Russian form, numbers grouped, lists joined,
/// objects as «name: value» — never JSON.
fn plain(v: &Value, tz: chrono_tz::Tz) -> String {
    match v {
        Value::Null => "—".into(),
        Value::Bool(b) => if *b { "да" } else { "нет" }.into(),
        Value::Number(n) => match n.as_i64() {
            Some(i) => abonent_domain::money::format_count(i),
            None => n.to_string().replace('.', ","),
        },
        Value::String(s) => format::date_or_instant(s, tz).unwrap_or_else(|| s.clone()),
        Value::Array(a) => a
            .iter()
            .map(|x| plain(x, tz))
            .collect::<Vec<_>>()
            .join(", "),
        Value::Object(o) if o.contains_key("num") && o.contains_key("den") => {
            format!("{}/{}", plain(&o["num"], tz), plain(&o["den"], tz))
        }
        Value::Object(o) => o
            .iter()
            .map(|(k, x)| {
                format!(
                    "{}: {}",
                    super::fields::field_title("", k).to_lowercase(),
                    plain(x, tz)
                )
            })
            .collect::<Vec<_>>()
            .join("; "),
    }
}
