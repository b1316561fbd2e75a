//! Every consultation recorded (issue 20 §6): the caller's question, its topic (a category of
//! the appeals' tree), the answer given, the knowledge-base articles used, and whether a
//! written answer was promised. It is registered as an appeal of kind consultation, so it has
//! a number and counts in the journal and the reports by topic; answered on the spot it is
//! closed at once, with a written answer promised it stays open with the deadline of its rule.

use abonent_domain::appeal::{classify, AppealKind, Channel};
use abonent_domain::{Role, ValidationErrors};
use abonent_storage::appeals::NewAppeal;
use abonent_storage::consultations::{self, NewConsultation};
use abonent_storage::Actor;
use serde::{Deserialize, Serialize};

use crate::{App, AppError};

/// What the specialist records.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ConsultationForm {
    pub account_id: Option<i64>,
    pub person_id: Option<i64>,
    /// A caller not in the registry.
    pub applicant_name: String,
    pub applicant_phone: String,
    /// The topic: a category; empty — the classifier's suggestion for the question.
    pub category_id: Option<i64>,
    /// `phone` by default.
    pub channel: Option<Channel>,
    pub question: String,
    pub answer: String,
    pub written_promised: bool,
    /// Knowledge-base articles the answer used.
    pub articles: Vec<i64>,
}

/// The consultation's appeal.
#[derive(Debug, Clone, Serialize)]
pub struct Recorded {
    pub appeal_id: i64,
    pub number: String,
    /// Closed with the answer; false when a written answer was promised.
    pub closed: bool,
    /// The written answer's deadline, UTC.
    pub deadline_at: Option<String>,
}

/// Checks the form (the answer is required: a consultation is what was answered) and writes
/// the appeal and its consultation in one transaction.
pub async fn record(
    app: &App,
    f: &ConsultationForm,
    role: Role,
    actor: &Actor,
) -> Result<Recorded, AppError> {
    let mut articles = f.articles.clone();
    articles.sort_unstable();
    articles.dedup();
    let appeal = NewAppeal {
        kind: Some(AppealKind::Consultation),
        channel: Some(f.channel.unwrap_or(Channel::Phone)),
        account_id: f.account_id,
        person_id: f.person_id,
        category_id: f.category_id,
        applicant_name: f.applicant_name.trim().to_string(),
        applicant_phone: f.applicant_phone.trim().to_string(),
        substance: f.question.trim().to_string(),
        // Answered on the spot nobody needs to be reached again: a caller who gave no name or
        // number is recorded as anonymous; a written answer needs a contact as any appeal.
        anonymous: !f.written_promised
            && f.person_id.is_none()
            && f.applicant_phone.trim().is_empty()
            && f.applicant_name.trim().is_empty(),
        ..Default::default()
    };
    let prepared = crate::appeals::prepare(app, &appeal, classify(&appeal.substance), actor).await;
    let mut errors = ValidationErrors::new();
    if f.answer.trim().is_empty() {
        errors.add(
            "answer",
            "Запишите, что вы ответили: консультация — это вопрос и ответ.",
        );
    }
    let (prepared, pending) = match prepared {
        Ok(p) if errors.is_empty() => p,
        Ok(_) => return Err(AppError::Invalid(errors)),
        Err(AppError::Invalid(e)) => {
            // The question's own messages name «substance»: here the field is «question».
            for mut x in e.0 {
                if x.field == "substance" {
                    x.field = "question".into();
                    x.message = "Запишите вопрос: о чём спросил житель.".into();
                }
                errors.0.push(x);
            }
            return Err(AppError::Invalid(errors));
        }
        Err(e) => return Err(e),
    };
    let c = NewConsultation {
        answer: f.answer.trim().to_string(),
        written_promised: f.written_promised,
        articles,
    };
    let (appeal_id, number) = consultations::record(&app.db, &prepared, &c, role, actor).await?;
    Ok(Recorded {
        appeal_id,
        number,
        closed: !f.written_promised,
        deadline_at: f
            .written_promised
            .then(|| pending.deadline_at().map(str::to_string))
            .flatten(),
    })
}
