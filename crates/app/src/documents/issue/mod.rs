//! Issuing documents: the data each kind prints is gathered from the registry (or the form),
//! checked by the engine before a number is taken, then numbered, rendered and stored in one
//! transaction (`abonent_storage::documents::issue`). Pages and the API both come here.

mod court;
pub mod ledger;
pub mod payment;
pub mod resident;
use abonent_documents::data::{
    BenefitLine, CertificateData, ComplaintActData, LetterData, PaymentData, RegisteredPerson,
    ReplyTo, StatementData, StatementPerson,
};
use abonent_documents::{samples, DocKind, RenderRequest};
use abonent_domain::correspondence::OutgoingForm;
use abonent_domain::registry::LinkRole;
use abonent_domain::ValidationErrors;
use abonent_storage::correspondence::incoming;
use abonent_storage::documents::{self, Document, NewDocument, Numbering};
use abonent_storage::registry::{account, link, person, premises, Account, LinkView};
use abonent_storage::{Actor, Db};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::{engine, organization, render_error, template_of};
use crate::{App, AppError};

/// What to issue. Which fields matter depends on `kind`; the rest are ignored.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct IssueRequest {
    /// `registration_certificate`, `account_statement`, `payment_document` or `letter`.
    pub kind: String,
    /// The account (certificate, statement and payment document need it).
    pub account_id: Option<i64>,
    /// The person it is issued for (payment document: the payer; by default the owner).
    pub person_id: Option<i64>,
    /// The appeal it answers (appeals issue).
    pub appeal_id: Option<i64>,
    /// The document this one corrects (same kind).
    pub corrects_id: Option<i64>,
    /// Certificate: «для предъявления в …»; payment document: the payment purpose (≤ 210).
    pub purpose: Option<String>,
    /// Payment document: the month, `2026-11`.
    pub period: Option<String>,
    /// Payment document: amount in roubles as written, `1 234,56`.
    pub amount: Option<String>,
    /// Payment document: amount in kopecks (instead of `amount`).
    pub amount_kopecks: Option<i64>,
    /// Payment document: pay by, `2026-12-10`.
    pub due_date: Option<String>,
    /// Letter: the addressee, one line each.
    pub addressee: Option<String>,
    /// Letter: the subject.
    pub subject: Option<String>,
    /// Letter: «Уважаемый Иван Иванович!».
    pub salutation: Option<String>,
    /// Letter: the text; paragraphs separated by an empty line.
    pub body: Option<String>,
    /// Letter: who signs when not the director.
    pub signer_title: Option<String>,
    pub signer_name: Option<String>,
    /// Letter: «Исп. Петрова А. А., тел. …».
    pub executor: Option<String>,
    /// Letter: how it is sent: `post`, `email`, `hand`, `portal` (post by default).
    pub method: Option<String>,
    /// Letter: postal tracking number.
    pub tracking_number: Option<String>,
    /// Letter: the incoming letter it answers (becomes answered).
    pub answers_incoming_id: Option<i64>,
    /// Ledger statement: the first period, `2026-01` (12 months back by default).
    pub period_from: Option<String>,
    /// Ledger statement: the last period, `2026-11` (this month by default).
    pub period_to: Option<String>,
    /// Penalty calculation: the date it is made «на», `2026-11-27` (today by default).
    pub on: Option<String>,
    /// Resident's application: which blank (`recalculation`, `absence`, `installment`,
    /// `claim`, `complaint`, `certificate`).
    pub form: Option<String>,
}

pub(crate) fn text(v: &Option<String>) -> Option<String> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// A document ready to be numbered: its data, what it is for, how it is numbered.
pub struct Prepared {
    pub kind: DocKind,
    pub data: serde_json::Value,
    pub title: String,
    pub account_id: Option<i64>,
    pub person_id: Option<i64>,
    pub search_words: Vec<String>,
    pub outgoing: Option<abonent_domain::correspondence::OutgoingData>,
}

fn kind_of(code: &str) -> Result<DocKind, AppError> {
    DocKind::from_code(code).ok_or_else(|| {
        AppError::Invalid(ValidationErrors::single(
            "kind",
            format!(
                "Неизвестный вид документа «{code}»: registration_certificate, \
                 account_statement, payment_document, letter, complaint_act, \
                 penalty_calculation, court_order_application, no_debt_certificate, \
                 ledger_statement или resident_application (уведомления и рассрочки — в \
                 работе с должниками)."
            ),
        ))
    })
}

pub(crate) fn need_account(r: &IssueRequest) -> Result<i64, AppError> {
    r.account_id.ok_or_else(|| {
        AppError::Invalid(ValidationErrors::single(
            "account_id",
            "Укажите лицевой счёт: документ выдаётся по счёту.",
        ))
    })
}

/// Open links of the account (not closed, not ended before `today`).
fn open_links(links: Vec<LinkView>, today: NaiveDate) -> Vec<LinkView> {
    links
        .into_iter()
        .filter(|l| l.link.closed_at.is_none() && l.link.data.to_date.is_none_or(|d| d >= today))
        .collect()
}

pub(crate) async fn account_links(
    db: &Db,
    id: i64,
    today: NaiveDate,
) -> Result<(Account, Vec<LinkView>), AppError> {
    let a = account::get(db, id).await?;
    let links = open_links(link::links_of_account(db, id).await?, today);
    Ok((a, links))
}

pub(crate) fn lower(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_lowercase().chain(c).collect())
        .unwrap_or_default()
}

/// Everyone registered in the account's premises on the day (through any account of it),
/// with their kinship and kind of registration as recorded; unknown values print nothing.
async fn certificate(db: &Db, r: &IssueRequest, today: NaiveDate) -> Result<Prepared, AppError> {
    let id = need_account(r)?;
    let a = account::get(db, id).await?;
    let links = link::registered_in_premises(db, a.data.premises_id, today).await?;
    let mut persons = Vec::new();
    let mut words = vec![a.data.number.clone(), a.address.clone()];
    for l in &links {
        let pe = person::get(db, l.link.data.person_id).await?;
        let reg = &l.link.data.registration;
        words.push(pe.full_name.clone());
        persons.push(RegisteredPerson {
            full_name: pe.full_name.clone(),
            birth_date: pe.data.birth_date,
            registered_on: l.link.data.from_date,
            registration: reg.kind_text(),
            relation: reg.kinship.clone(),
        });
    }
    let data = CertificateData {
        address: a.address.clone(),
        account: Some(a.data.number.clone()),
        persons,
        purpose: text(&r.purpose),
        extra: Default::default(),
    };
    Ok(Prepared {
        kind: DocKind::RegistrationCertificate,
        data: serde_json::to_value(data).unwrap_or_default(),
        title: format!("Справка о регистрации, л/с {}", a.data.number),
        account_id: Some(id),
        person_id: r.person_id,
        search_words: words,
        outgoing: None,
    })
}

async fn statement(db: &Db, r: &IssueRequest, today: NaiveDate) -> Result<Prepared, AppError> {
    let id = need_account(r)?;
    let (a, links) = account_links(db, id, today).await?;
    let p = premises::get(db, a.data.premises_id).await?;
    let mut words = vec![a.data.number.clone(), a.address.clone()];
    let mut persons = Vec::new();
    for l in &links {
        let pe = person::get(db, l.link.data.person_id).await?;
        words.push(pe.full_name.clone());
        persons.push(StatementPerson {
            full_name: pe.full_name.clone(),
            birth_date: pe.data.birth_date,
            role: lower(&l.role_title),
            share: l.link.data.share.map(|s| s.to_string()),
            registered_on: (l.link.data.role == LinkRole::Registered)
                .then_some(l.link.data.from_date)
                .flatten(),
        });
    }
    let benefits = link::benefits_of_account(db, id)
        .await?
        .into_iter()
        .filter(|(_, b)| b.closed_at.is_none() && b.data.to_date.is_none_or(|d| d >= today))
        .map(|(name, b)| BenefitLine {
            person: name,
            name: b.data.category,
            document: b.data.document,
            valid_until: b.data.to_date,
        })
        .collect();
    let data = StatementData {
        account: a.data.number.clone(),
        address: a.address.clone(),
        premises_kind: Some(
            if p.data.residential {
                "жилое помещение"
            } else {
                "нежилое помещение"
            }
            .into(),
        ),
        total_area_centi: p.data.area_centi,
        living_area_centi: None,
        rooms: p.data.rooms.map(|r| r as u32),
        opened_on: Some(a.data.opened_on),
        share: Some(a.data.share.to_string()),
        persons,
        benefits,
        // No ledger yet (payments issue): the balance is not printed.
        balance_kopecks: None,
        extra: Default::default(),
    };
    Ok(Prepared {
        kind: DocKind::AccountStatement,
        data: serde_json::to_value(data).unwrap_or_default(),
        title: format!("Выписка из лицевого счёта {}", a.data.number),
        account_id: Some(id),
        person_id: r.person_id,
        search_words: words,
        outgoing: None,
    })
}

async fn letter(db: &Db, r: &IssueRequest, today: NaiveDate) -> Result<Prepared, AppError> {
    let addressee: Vec<String> = r
        .addressee
        .as_deref()
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect();
    let paragraphs: Vec<String> = r
        .body
        .as_deref()
        .unwrap_or_default()
        .replace("\r\n", "\n")
        .split("\n\n")
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect();
    // The register entry, checked by the register's own rules (lengths, method, tracking).
    let form = OutgoingForm {
        sent_on: Some(today.to_string()),
        addressee: Some(addressee.join(", ")),
        subject: text(&r.subject),
        method: Some(text(&r.method).unwrap_or_else(|| "post".into())),
        tracking_number: text(&r.tracking_number),
        document_id: None,
        answers_incoming_id: r.answers_incoming_id.map(|i| i.to_string()),
        account_id: r.account_id.map(|i| i.to_string()),
        person_id: r.person_id.map(|i| i.to_string()),
        note: None,
    };
    let outgoing = form.validate(today).map_err(AppError::Invalid)?;
    let in_reply_to = match r.answers_incoming_id {
        Some(id) => {
            let inc = incoming::get(db, id, today).await?;
            match (inc.data.sender_ref_number, inc.data.sender_ref_date) {
                (Some(number), Some(date)) => Some(ReplyTo { number, date }),
                _ => None,
            }
        }
        None => None,
    };
    let subject = text(&r.subject).unwrap_or_default();
    let data = LetterData {
        addressee: addressee.clone(),
        subject: subject.clone(),
        salutation: text(&r.salutation),
        paragraphs,
        in_reply_to,
        executor: text(&r.executor),
        signer_title: text(&r.signer_title),
        signer_name: text(&r.signer_name),
        extra: Default::default(),
    };
    let mut words = addressee;
    words.push(subject.clone());
    Ok(Prepared {
        kind: DocKind::Letter,
        data: serde_json::to_value(data).unwrap_or_default(),
        title: format!("Письмо: {subject}"),
        account_id: r.account_id,
        person_id: r.person_id,
        search_words: words,
        outgoing: Some(outgoing),
    })
}

/// The act of a complaint's outcome, from the appeal's analysis and decision (issue 4 §8).
async fn complaint_act(db: &Db, r: &IssueRequest) -> Result<Prepared, AppError> {
    let id = r.appeal_id.ok_or_else(|| {
        AppError::Invalid(ValidationErrors::single(
            "appeal_id",
            "Укажите жалобу, по которой составляется акт.",
        ))
    })?;
    let a = abonent_storage::appeals::get(db, id).await?;
    if a.kind != abonent_domain::appeal::AppealKind::Complaint.code() {
        return Err(AppError::Invalid(ValidationErrors::single(
            "appeal_id",
            format!(
                "Обращение {} — не жалоба: акт по жалобе составляется только по жалобам.",
                a.number
            ),
        )));
    }
    let mut e = ValidationErrors::new();
    let need = |e: &mut ValidationErrors, field: &str, v: &Option<String>, what: &str| {
        let v = v.as_deref().map(str::trim).unwrap_or_default().to_string();
        if v.is_empty() {
            e.add(
                field,
                format!(
                    "В жалобе {} не записано {what}: заполните анализ жалобы в карточке, \
                     затем составьте акт.",
                    a.number
                ),
            );
        }
        v
    };
    let cause = need(&mut e, "cause", &a.cause, "причина");
    let responsible = need(&mut e, "responsible", &a.responsible, "кто отвечает");
    let decision = need(&mut e, "decision", &a.decision, "решение");
    e.into_result(()).map_err(AppError::Invalid)?;
    let zone = abonent_storage::settings::time_zone(db).await?;
    let received_on = abonent_storage::time::parse(&a.received_at)
        .map(|t| t.with_timezone(&zone).date_naive())
        .unwrap_or_default();
    let applicant = match (&a.applicant_name, a.anonymous) {
        (_, true) => "анонимно".to_string(),
        (Some(n), _) if !n.trim().is_empty() => n.trim().to_string(),
        _ => "не указан".to_string(),
    };
    let data = ComplaintActData {
        appeal_number: a.number.clone(),
        received_on,
        applicant: applicant.clone(),
        address: a.address.clone(),
        category: a.category_title.clone(),
        substance: a.substance.clone(),
        cause,
        responsible,
        parties: a.parties.clone(),
        actions: a.result.clone(),
        decision,
        commission: Vec::new(),
    };
    Ok(Prepared {
        kind: DocKind::ComplaintAct,
        data: serde_json::to_value(data).unwrap_or_default(),
        title: format!("Акт по жалобе {}", a.number),
        account_id: a.account_id,
        person_id: a.person_id,
        search_words: vec![a.number, applicant, a.address],
        outgoing: None,
    })
}

/// Gathers the data of a request (registry reads; nothing is written).
pub async fn prepare(db: &Db, r: &IssueRequest, today: NaiveDate) -> Result<Prepared, AppError> {
    match kind_of(&r.kind)? {
        DocKind::RegistrationCertificate => certificate(db, r, today).await,
        DocKind::AccountStatement => statement(db, r, today).await,
        DocKind::PaymentDocument => payment::payment(db, r, today).await,
        DocKind::Letter => letter(db, r, today).await,
        DocKind::ComplaintAct => complaint_act(db, r).await,
        DocKind::DebtNotice | DocKind::InstallmentAgreement => {
            Err(AppError::Invalid(ValidationErrors::single(
                "kind",
                "Уведомления о задолженности и соглашения о рассрочке выпускаются в работе с \
                 должниками: список должников и карточка расчётов счёта.",
            )))
        }
        k @ (DocKind::PenaltyCalculation
        | DocKind::CourtOrderApplication
        | DocKind::NoDebtCertificate
        | DocKind::LedgerStatement) => ledger::prepare(db, k, r, today).await,
        DocKind::ResidentApplication => resident::prepare(db, r, today).await,
    }
}

/// Issues a document: gathers the data, checks it and the organization's details (no number
/// is taken when anything is wrong), then numbers, renders and stores it in one transaction.
pub async fn issue(app: &App, r: &IssueRequest, actor: &Actor) -> Result<Document, AppError> {
    let today = app.today().await?;
    let prep = prepare(&app.db, r, today).await?;
    let mut docs = issue_all(app, vec![prep], r, today, actor).await?;
    Ok(docs.remove(0))
}

/// Issues prepared documents of one request (the court packet's applications): each is
/// checked before any number is taken, then all are numbered, rendered and stored in one
/// transaction — all or none.
pub(crate) async fn issue_all(
    app: &App,
    preps: Vec<Prepared>,
    r: &IssueRequest,
    today: NaiveDate,
    actor: &Actor,
) -> Result<Vec<Document>, AppError> {
    let db = &app.db;
    let org = organization(db).await?;
    let mut templates = Vec::with_capacity(preps.len());
    for p in &preps {
        templates.push(template_of(db, p.kind).await?);
    }
    let req = |i: usize, number: &str| RenderRequest {
        kind: preps[i].kind,
        template_override: templates[i].as_ref().map(|(s, _)| s.as_str()),
        org: &org,
        data: preps[i].data.clone(),
        reg_number: number.to_string(),
        issued_on: today,
    };
    for (i, p) in preps.iter().enumerate() {
        engine()
            .validate(&req(i, ""))
            .map_err(|e| AppError::from(render_error(e, p.kind)))?;
    }
    let news: Vec<NewDocument> = preps
        .iter()
        .zip(&templates)
        .map(|(prep, template)| NewDocument {
            kind: prep.kind.code(),
            title: prep.title.clone(),
            numbering: match &prep.outgoing {
                Some(letter) => Numbering::Outgoing(letter),
                None => Numbering::Scope(documents::scope_of(prep.kind.code())),
            },
            issued_on: today,
            account_id: prep.account_id,
            person_id: prep.person_id,
            appeal_id: r.appeal_id,
            corrects_id: r.corrects_id,
            data: prep.data.clone(),
            org: serde_json::to_value(&org).unwrap_or_default(),
            template_version_id: template.as_ref().map(|(_, v)| *v),
            search_words: prep.search_words.clone(),
        })
        .collect();
    Ok(documents::issue_many(db, &news, actor, |i, number| {
        engine()
            .render(&req(i, number))
            .map_err(|e| render_error(e, preps[i].kind))
    })
    .await?)
}

/// Renders `source` for `kind` on real data of an account (or sample data without one), for
/// the administrator's preview. Nothing is numbered or stored.
pub async fn preview(
    app: &App,
    kind: DocKind,
    source: &str,
    account_id: Option<i64>,
) -> Result<Vec<u8>, AppError> {
    let (db, today) = (&app.db, app.today().await?);
    let data = match account_id {
        None => samples::data(kind),
        Some(id) => {
            let mut r = IssueRequest {
                kind: kind.code().into(),
                account_id: Some(id),
                ..Default::default()
            };
            if kind == DocKind::PaymentDocument {
                r.period = Some(format!("{}-{:02}", today.year(), today.month()));
                r.amount_kopecks = Some(samples::payment().amount_kopecks);
            }
            if kind == DocKind::Letter {
                return preview_letter(db, source, id, today).await;
            }
            prepare(db, &r, today).await?.data
        }
    };
    let org = organization(db).await?;
    engine()
        .render(&RenderRequest {
            kind,
            template_override: Some(source),
            org: &org,
            data,
            reg_number: "ОБРАЗЕЦ".into(),
            issued_on: today,
        })
        .map_err(|e| AppError::from(render_error(e, kind)))
}

/// The sample letter addressed to the account's first person.
async fn preview_letter(
    db: &Db,
    source: &str,
    account_id: i64,
    today: NaiveDate,
) -> Result<Vec<u8>, AppError> {
    let (a, links) = account_links(db, account_id, today).await?;
    let mut d = samples::letter();
    d.addressee = links
        .first()
        .map(|l| vec![l.person_name.clone(), a.address.clone()])
        .unwrap_or_else(|| vec![a.address.clone()]);
    let org = organization(db).await?;
    engine()
        .render(&RenderRequest {
            kind: DocKind::Letter,
            template_override: Some(source),
            org: &org,
            data: serde_json::to_value(d).unwrap_or_default(),
            reg_number: "ОБРАЗЕЦ".into(),
            issued_on: today,
        })
        .map_err(|e| AppError::from(render_error(e, DocKind::Letter)))
}

/// The request that issues a corrected copy of `d`: the same kind, account and person, the
/// form fields it was printed from; certificate and statement re-read the registry.
pub fn correction_of(d: &Document) -> IssueRequest {
    let s = |k: &str| d.data.get(k).and_then(|v| v.as_str()).map(str::to_string);
    let mut r = IssueRequest {
        kind: d.kind.clone(),
        account_id: d.account_id,
        person_id: d.person_id,
        appeal_id: d.appeal_id,
        corrects_id: Some(d.id),
        ..Default::default()
    };
    match DocKind::from_code(&d.kind) {
        Some(DocKind::RegistrationCertificate) => r.purpose = s("purpose"),
        Some(DocKind::PaymentDocument) => {
            let p = &d.data["period"];
            let itemized =
                serde_json::from_value::<PaymentData>(d.data.clone()).is_ok_and(|p| p.itemized());
            r.period = p["year"]
                .as_i64()
                .zip(p["month"].as_i64())
                .map(|(y, m)| format!("{y}-{m:02}"));
            // A document from the ledger is made from the ledger again (same month).
            if !itemized {
                r.amount_kopecks = d.data["amount_kopecks"].as_i64();
                r.amount = r.amount_kopecks.map(abonent_domain::money::format_amount);
                r.purpose = s("purpose");
                r.due_date = s("due_date");
            }
        }
        Some(DocKind::Letter) => {
            let lines = |k: &str| {
                d.data[k]
                    .as_array()
                    .map(|a| a.iter().filter_map(|v| v.as_str()).collect::<Vec<_>>())
                    .unwrap_or_default()
            };
            r.addressee = Some(lines("addressee").join("\n"));
            r.subject = s("subject");
            r.salutation = s("salutation");
            r.body = Some(lines("paragraphs").join("\n\n"));
            r.executor = s("executor");
            r.signer_title = s("signer_title");
            r.signer_name = s("signer_name");
        }
        Some(DocKind::ResidentApplication) => r.form = s("form"),
        Some(k) => ledger::correction(k, d, &mut r),
        None => {}
    }
    r
}
