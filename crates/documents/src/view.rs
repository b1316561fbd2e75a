//! The `/data.json` a template reads: the caller's data checked against its [`crate::data`]
//! shape, with ready-to-print helpers added (dates the Russian way, amounts in figures and
//! words, the organization block), so templates only place text.

use abonent_domain::money::{amount_in_words, date_in_words, date_ru, format_rub};
use abonent_domain::registry::format_area;
use abonent_domain::ValidationErrors;
use chrono::NaiveDate;
use serde::de::DeserializeOwned;
use serde_json::{json, Map, Value};

use crate::data::{
    CertificateData, ComplaintActData, DebtNoticeData, InstallmentAgreementData, LetterData,
    ResidentApplicationData, StatementData,
};
use crate::{ledger_view, payment, DocKind, RenderRequest};

/// The prepared template input, plus the QR payload bytes for a payment document.
pub(crate) struct Prepared {
    pub data: Value,
    pub qr_payload: Option<Vec<u8>>,
}

/// Checks the request and builds the template input; every problem found is reported.
pub(crate) fn prepare(req: &RenderRequest<'_>) -> Result<Prepared, ValidationErrors> {
    let mut errors = req.org.validate_for(req.kind);
    let mut qr_payload = None;
    let body = match req.kind {
        DocKind::RegistrationCertificate => parse(req).map(|d| certificate(d, &mut errors)),
        DocKind::AccountStatement => parse(req).map(|d| statement(d, &mut errors)),
        DocKind::Letter => parse(req).map(|d| letter(d, req.org, &mut errors)),
        DocKind::ComplaintAct => parse(req).map(|d| complaint_act(d, &mut errors)),
        DocKind::DebtNotice => parse(req).map(|d| debt_notice(d, &mut errors)),
        DocKind::InstallmentAgreement => parse(req).map(|d| agreement(d, &mut errors)),
        DocKind::PaymentDocument => parse(req).map(|d| {
            let (view, qr) = payment::view(d, req.org, &mut errors);
            qr_payload = qr;
            view
        }),
        DocKind::PenaltyCalculation => parse(req).map(|d| ledger_view::penalty(d, &mut errors)),
        DocKind::CourtOrderApplication => {
            parse(req).map(|d| ledger_view::court_order(d, &mut errors))
        }
        DocKind::NoDebtCertificate => parse(req).map(|d| ledger_view::no_debt(d, &mut errors)),
        DocKind::LedgerStatement => {
            parse(req).map(|d| ledger_view::ledger_statement(d, &mut errors))
        }
        DocKind::ResidentApplication => parse(req).map(|d| resident_application(d, &mut errors)),
    };
    let mut body = match body {
        Ok(b) => b,
        Err(e) => {
            errors.0.extend(e.0);
            return Err(errors);
        }
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    body.insert("org".into(), req.org.view());
    body.insert("doc".into(), doc_view(req));
    Ok(Prepared {
        data: Value::Object(body),
        qr_payload,
    })
}

fn parse<T: DeserializeOwned>(req: &RenderRequest<'_>) -> Result<T, ValidationErrors> {
    serde_json::from_value(req.data.clone()).map_err(|e| {
        ValidationErrors::single(
            "data",
            format!(
                "Данные не подходят к документу «{}»: {e}. Это ошибка программы, сообщите \
                 администратору.",
                req.kind.title()
            ),
        )
    })
}

fn doc_view(req: &RenderRequest<'_>) -> Value {
    json!({
        "kind": req.kind.code(),
        "title": req.kind.title(),
        "reg_number": req.reg_number,
        "issued_on": date_ru(req.issued_on),
        "issued_on_words": date_in_words(req.issued_on),
        "issued_on_iso": req.issued_on.to_string(),
    })
}

/// `27.11.2026`, or an empty string (templates print nothing).
pub(crate) fn date_opt(d: Option<NaiveDate>) -> String {
    d.map(date_ru).unwrap_or_default()
}

pub(crate) fn opt(s: &Option<String>) -> String {
    s.as_deref().map(str::trim).unwrap_or_default().to_string()
}

pub(crate) fn require(errors: &mut ValidationErrors, field: &str, value: &str, what: &str) {
    if value.trim().is_empty() {
        errors.add(field, format!("Укажите {what}."));
    }
}

fn area(centi: Option<i64>) -> Value {
    centi.map_or(Value::Null, |c| json!(format!("{} м²", format_area(c))))
}

fn certificate(d: CertificateData, errors: &mut ValidationErrors) -> Map<String, Value> {
    require(errors, "address", &d.address, "адрес помещения");
    let persons: Vec<Value> = d
        .persons
        .iter()
        .enumerate()
        .map(|(i, p)| {
            require(
                errors,
                &format!("persons[{i}].full_name"),
                &p.full_name,
                "Ф. И. О.",
            );
            json!({
                "n": i + 1,
                "full_name": p.full_name.trim(),
                "birth_date": date_opt(p.birth_date),
                "registered_on": date_opt(p.registered_on),
                // Unknown prints nothing: the kind is never guessed.
                "registration": opt(&p.registration),
                "relation": opt(&p.relation),
            })
        })
        .collect();
    // The caller's extra keys stay, so edited templates can use them.
    let mut v = d.extra;
    v.insert("address".into(), json!(d.address.trim()));
    v.insert("account".into(), json!(opt(&d.account)));
    v.insert("persons_count".into(), json!(persons.len()));
    v.insert("persons".into(), Value::Array(persons));
    let purpose = d
        .purpose
        .unwrap_or_else(|| "для предъявления по месту требования".into());
    v.insert("purpose".into(), json!(purpose));
    v
}

fn statement(d: StatementData, errors: &mut ValidationErrors) -> Map<String, Value> {
    require(errors, "account", &d.account, "номер лицевого счёта");
    require(errors, "address", &d.address, "адрес помещения");
    let persons: Vec<Value> = d
        .persons
        .iter()
        .enumerate()
        .map(|(i, p)| {
            require(
                errors,
                &format!("persons[{i}].full_name"),
                &p.full_name,
                "Ф. И. О.",
            );
            json!({
                "n": i + 1,
                "full_name": p.full_name.trim(),
                "birth_date": date_opt(p.birth_date),
                "role": p.role.trim(),
                "share": opt(&p.share),
                "registered_on": date_opt(p.registered_on),
            })
        })
        .collect();
    let benefits: Vec<Value> = d
        .benefits
        .iter()
        .enumerate()
        .map(|(i, b)| {
            json!({
                "n": i + 1,
                "person": b.person.trim(),
                "name": b.name.trim(),
                "document": opt(&b.document),
                "valid_until": date_opt(b.valid_until),
            })
        })
        .collect();
    let balance = d.balance_kopecks.map_or(Value::Null, |k| {
        let (label, abs) = match k {
            k if k > 0 => ("Задолженность", k),
            k if k < 0 => ("Переплата", -k),
            _ => ("Задолженности нет", 0),
        };
        json!({ "label": label, "amount": format_rub(abs), "words": amount_in_words(abs) })
    });
    // The caller's extra keys stay, so edited templates can use them.
    let mut v = d.extra;
    v.insert("account".into(), json!(d.account.trim()));
    v.insert("address".into(), json!(d.address.trim()));
    let kind = d.premises_kind.unwrap_or_else(|| "жилое помещение".into());
    v.insert("premises_kind".into(), json!(kind));
    v.insert("total_area".into(), area(d.total_area_centi));
    v.insert("living_area".into(), area(d.living_area_centi));
    v.insert("rooms".into(), json!(d.rooms));
    v.insert("opened_on".into(), json!(date_opt(d.opened_on)));
    v.insert("share".into(), json!(opt(&d.share)));
    v.insert("persons".into(), Value::Array(persons));
    v.insert("benefits".into(), Value::Array(benefits));
    v.insert("balance".into(), balance);
    v
}

fn letter(
    d: LetterData,
    org: &crate::Organization,
    errors: &mut ValidationErrors,
) -> Map<String, Value> {
    if d.addressee.iter().all(|l| l.trim().is_empty()) {
        errors.add("addressee", "Укажите адресата письма.");
    }
    require(errors, "subject", &d.subject, "тему письма");
    if d.paragraphs.iter().all(|p| p.trim().is_empty()) {
        errors.add("paragraphs", "Напишите текст письма.");
    }
    let reply = d.in_reply_to.as_ref().map_or(
        Value::Null,
        |r| json!({ "number": r.number.trim(), "date": date_ru(r.date) }),
    );
    // The caller's extra keys stay, so edited templates can use them.
    let mut v = d.extra;
    let lines: Vec<&str> = d
        .addressee
        .iter()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty())
        .collect();
    v.insert("addressee".into(), json!(lines));
    v.insert("subject".into(), json!(d.subject.trim()));
    v.insert("salutation".into(), json!(opt(&d.salutation)));
    let paragraphs: Vec<&str> = d
        .paragraphs
        .iter()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
        .collect();
    v.insert("paragraphs".into(), json!(paragraphs));
    v.insert("in_reply_to".into(), reply);
    v.insert("executor".into(), json!(opt(&d.executor)));
    // The director signs unless the letter names another signer.
    let signer = |own: &Option<String>, org: &str| {
        Some(opt(own))
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| org.trim().to_string())
    };
    v.insert(
        "signer".into(),
        json!({
            "director_title": signer(&d.signer_title, &org.director_title),
            "director_name": signer(&d.signer_name, &org.director_name),
        }),
    );
    v
}

fn complaint_act(d: ComplaintActData, errors: &mut ValidationErrors) -> Map<String, Value> {
    require(errors, "appeal_number", &d.appeal_number, "номер жалобы");
    require(errors, "substance", &d.substance, "суть жалобы");
    require(errors, "cause", &d.cause, "причину (анализ жалобы)");
    require(errors, "responsible", &d.responsible, "ответственного");
    require(errors, "decision", &d.decision, "решение по жалобе");
    let mut v = Map::new();
    v.insert("appeal_number".into(), json!(d.appeal_number.trim()));
    v.insert("received_on".into(), json!(date_ru(d.received_on)));
    v.insert("applicant".into(), json!(d.applicant.trim()));
    v.insert("address".into(), json!(d.address.trim()));
    v.insert("category".into(), json!(opt(&d.category)));
    v.insert("substance".into(), json!(d.substance.trim()));
    v.insert("cause".into(), json!(d.cause.trim()));
    v.insert("responsible".into(), json!(d.responsible.trim()));
    v.insert("parties".into(), json!(opt(&d.parties)));
    let actions = Some(opt(&d.actions))
        .filter(|a| !a.is_empty())
        .unwrap_or_else(|| "не требовались.".into());
    v.insert("actions".into(), json!(actions));
    v.insert("decision".into(), json!(d.decision.trim()));
    let commission: Vec<&str> = d
        .commission
        .iter()
        .map(|m| m.trim())
        .filter(|m| !m.is_empty())
        .collect();
    v.insert("commission".into(), json!(commission));
    v
}

fn money(k: i64) -> Value {
    json!({ "amount": format_rub(k), "words": amount_in_words(k) })
}

fn debt_notice(d: DebtNoticeData, errors: &mut ValidationErrors) -> Map<String, Value> {
    require(errors, "account", &d.account, "номер лицевого счёта");
    require(errors, "address", &d.address, "адрес помещения");
    if d.total_kopecks <= 0 {
        errors.add("total_kopecks", "Долга нет: уведомление не выпускается.");
    }
    let lines: Vec<Value> = d
        .lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            json!({
                "n": i + 1,
                "period": l.period.trim(),
                "service": l.service.trim(),
                "amount": format_rub(l.amount_kopecks),
            })
        })
        .collect();
    // The caller's extra keys stay, so edited templates can use them.
    let mut v = d.extra;
    v.insert("account".into(), json!(d.account.trim()));
    v.insert("address".into(), json!(d.address.trim()));
    let debtor = Some(opt(&d.debtor))
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "Собственнику помещения".into());
    v.insert("debtor".into(), json!(debtor));
    v.insert("as_of".into(), json!(date_ru(d.as_of)));
    v.insert("lines".into(), Value::Array(lines));
    v.insert("total".into(), money(d.total_kopecks));
    v.insert(
        "penalties".into(),
        if d.penalties_kopecks > 0 {
            money(d.penalties_kopecks)
        } else {
            Value::Null
        },
    );
    v.insert("notice_days".into(), json!(d.notice_days.to_string()));
    let services = d.services_to_limit.join(", ");
    v.insert("services_to_limit".into(), json!(services));
    v
}

fn agreement(d: InstallmentAgreementData, errors: &mut ValidationErrors) -> Map<String, Value> {
    require(errors, "account", &d.account, "номер лицевого счёта");
    require(errors, "address", &d.address, "адрес помещения");
    require(errors, "debtor", &d.debtor, "Ф. И. О. должника");
    let sum: i64 = d.schedule.iter().map(|l| l.amount_kopecks).sum();
    if d.schedule.is_empty() || sum != d.total_kopecks {
        errors.add(
            "schedule",
            "График платежей пуст или его сумма не равна сумме рассрочки.",
        );
    }
    let schedule: Vec<Value> = d
        .schedule
        .iter()
        .enumerate()
        .map(|(i, l)| {
            json!({ "n": i + 1, "due": date_ru(l.due), "amount": format_rub(l.amount_kopecks) })
        })
        .collect();
    let mut v = d.extra;
    v.insert("account".into(), json!(d.account.trim()));
    v.insert("address".into(), json!(d.address.trim()));
    v.insert("debtor".into(), json!(d.debtor.trim()));
    v.insert("total".into(), money(d.total_kopecks));
    v.insert("parts".into(), json!(schedule.len().to_string()));
    v.insert("schedule".into(), Value::Array(schedule));
    v
}

/// «Иванова О. П.» from «Иванова Ольга Петровна»: the name under the signature line.
fn short_name(full: &str) -> String {
    let mut parts = full.split_whitespace();
    let Some(last) = parts.next() else {
        return String::new();
    };
    parts.fold(last.to_string(), |acc, p| match p.chars().next() {
        Some(c) => format!("{acc} {c}."),
        None => acc,
    })
}

fn resident_application(
    d: ResidentApplicationData,
    errors: &mut ValidationErrors,
) -> Map<String, Value> {
    use abonent_domain::resident_form::ResidentForm;
    let form = match ResidentForm::parse(Some(&d.form)) {
        Ok(f) => Some(f),
        Err(e) => {
            errors.0.extend(e.0);
            None
        }
    };
    require(errors, "applicant", &d.applicant, "заявителя (Ф. И. О.)");
    require(errors, "address", &d.address, "адрес заявителя");
    let (name, about) = form.map(|f| f.heading()).unwrap_or_default();
    let mut m = Map::new();
    m.insert("form".into(), json!(d.form.trim()));
    m.insert("heading_name".into(), json!(name));
    m.insert("heading_about".into(), json!(about));
    m.insert("applicant".into(), json!(d.applicant.trim()));
    m.insert("applicant_short".into(), json!(short_name(&d.applicant)));
    m.insert("address".into(), json!(d.address.trim()));
    m.insert("account".into(), json!(opt(&d.account)));
    m.insert("phone".into(), json!(opt(&d.phone)));
    m.insert("email".into(), json!(opt(&d.email)));
    m.insert("registered".into(), json!(d.registered));
    let debt = d
        .debt_kopecks
        .filter(|k| *k > 0)
        .map(format_rub)
        .unwrap_or_default();
    m.insert("debt".into(), json!(debt));
    m.insert("as_of".into(), json!(date_opt(d.as_of)));
    m
}

#[cfg(test)]
mod resident_tests {
    #[test]
    fn the_signature_line_shows_the_surname_and_initials() {
        assert_eq!(super::short_name("Зайцева Ольга Петровна"), "Зайцева О. П.");
        assert_eq!(super::short_name(" Smith "), "Smith");
        assert_eq!(super::short_name(""), "");
    }
}
