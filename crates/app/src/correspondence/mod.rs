//! Correspondence use cases: registering and correcting incoming and outgoing letters,
//! moving an incoming letter through its states, the scans of letters, the answer-deadline
//! rules by sender kind, and the export of a register for a period.

pub mod export;

use std::collections::BTreeMap;

use abonent_domain::correspondence::{
    check_answer_rule, IncomingForm, IncomingStatus, OutgoingForm, SenderKind,
};
use abonent_domain::deadline::{DeadlineRule, DeadlineUnit};
use abonent_domain::ValidationErrors;
use abonent_storage::correspondence::{attachments, incoming, outgoing, rules, Register};
use abonent_storage::Actor;

use crate::{App, AppError};

/// Register an incoming letter (checked against today); returns its id.
pub async fn register_incoming(
    app: &App,
    form: &IncomingForm,
    actor: &Actor,
) -> Result<i64, AppError> {
    let d = form.validate(app.today().await?)?;
    Ok(incoming::create(&app.db, &d, actor).await?.0)
}

/// Correct an incoming letter; its deadline is computed again, the number stays.
pub async fn update_incoming(
    app: &App,
    id: i64,
    form: &IncomingForm,
    actor: &Actor,
) -> Result<(), AppError> {
    let d = form.validate(app.today().await?)?;
    Ok(incoming::update(&app.db, id, &d, actor).await?)
}

/// Put an incoming letter in work, close it without an answer, or reopen it (with a reason).
pub async fn set_incoming_status(
    app: &App,
    id: i64,
    to: IncomingStatus,
    reason: &str,
    actor: &Actor,
) -> Result<(), AppError> {
    Ok(incoming::set_status(&app.db, id, to, reason, actor).await?)
}

/// Register an outgoing letter (an answer marks its incoming letter answered); returns its id.
pub async fn register_outgoing(
    app: &App,
    form: &OutgoingForm,
    actor: &Actor,
) -> Result<i64, AppError> {
    let d = form.validate(app.today().await?)?;
    Ok(outgoing::create(&app.db, &d, actor).await?.0)
}

/// Correct an outgoing letter; the number stays.
pub async fn update_outgoing(
    app: &App,
    id: i64,
    form: &OutgoingForm,
    actor: &Actor,
) -> Result<(), AppError> {
    let d = form.validate(app.today().await?)?;
    Ok(outgoing::update(&app.db, id, &d, actor).await?)
}

/// Attach a scan to a letter; returns the attachment's id.
pub async fn attach_scan(
    app: &App,
    register: Register,
    letter_id: i64,
    file_name: &str,
    content: &[u8],
    actor: &Actor,
) -> Result<i64, AppError> {
    Ok(attachments::add(&app.db, register, letter_id, file_name, content, actor).await?)
}

/// Mark a scan removed, with a reason.
pub async fn remove_scan(app: &App, id: i64, reason: &str, actor: &Actor) -> Result<(), AppError> {
    Ok(attachments::remove(&app.db, id, reason, actor).await?)
}

/// Check and save the answer-deadline rules of every sender kind from values named
/// `<kind>.amount`, `<kind>.unit`, `<kind>.title`, `<kind>.source`: nothing is saved when one
/// is wrong (the errors carry those names); only the rules that changed are saved.
pub async fn save_answer_rules(
    app: &App,
    values: &BTreeMap<String, String>,
    actor: &Actor,
) -> Result<(), AppError> {
    let current = rules::all(&app.db).await?;
    let mut e = ValidationErrors::new();
    let mut changed = Vec::new();
    for r in &current {
        let k = r.sender_kind.code();
        let v = |field: &str| {
            values
                .get(&format!("{k}.{field}"))
                .map(|x| x.trim().to_string())
                .unwrap_or_default()
        };
        let amount = match v("amount").parse::<u32>() {
            Ok(n) => n,
            Err(_) => {
                e.add(
                    &format!("{k}.amount"),
                    "Срок — целое число дней, например 30.",
                );
                continue;
            }
        };
        let Some(unit) = DeadlineUnit::from_code(&v("unit")) else {
            e.add(
                &format!("{k}.unit"),
                "Выберите единицу: календарные или рабочие дни.",
            );
            continue;
        };
        let rule = DeadlineRule {
            amount,
            unit,
            title: v("title"),
            source: v("source"),
            ..r.rule.clone()
        };
        match check_answer_rule(&rule) {
            Err(err) => e.0.extend(err.prefixed(&format!("{k}.")).0),
            Ok(()) => {
                let same = rule.amount == r.rule.amount
                    && rule.unit == r.rule.unit
                    && rule.title == r.rule.title
                    && rule.source == r.rule.source;
                if !same {
                    changed.push((r.sender_kind, rule));
                }
            }
        }
    }
    if !e.is_empty() {
        return Err(AppError::Invalid(e));
    }
    for (kind, rule) in changed {
        rules::save(&app.db, kind, &rule, actor).await?;
    }
    Ok(())
}

/// Return the answer-deadline rule of a sender kind to the default.
pub async fn reset_answer_rule(app: &App, kind: SenderKind, actor: &Actor) -> Result<(), AppError> {
    Ok(rules::reset(&app.db, kind, actor).await?)
}
