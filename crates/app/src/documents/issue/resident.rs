//! The resident's application forms (issue 20 §5): a blank filled from the person and
//! account cards, printed for the resident to complete and sign; when it is handed back it
//! is registered in one step as an appeal of the form's kind or as an incoming letter.

use abonent_documents::data::ResidentApplicationData;
use abonent_documents::DocKind;
use abonent_domain::appeal::Channel;
use abonent_domain::correspondence::IncomingForm;
use abonent_domain::ledger::balance_on;
use abonent_domain::phone;
use abonent_domain::registry::LinkRole;
use abonent_domain::resident_form::{HandIn, ResidentForm};
use abonent_domain::ValidationErrors;
use abonent_storage::appeals::NewAppeal;
use abonent_storage::documents::{self, hand_in, hand_in::HandedIn};
use abonent_storage::registry::{link, person};
use abonent_storage::{ledger, Actor, Db};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{account_links, need_account, Prepared};
use crate::{App, AppError};

/// The blank of `r.form` for the account, the applicant being the chosen person or else the
/// account's owner or tenant.
pub(super) async fn prepare(
    db: &Db,
    r: &super::IssueRequest,
    today: NaiveDate,
) -> Result<Prepared, AppError> {
    let form = ResidentForm::parse(r.form.as_deref());
    let account = need_account(r);
    let (form, id) = match (form, account) {
        (Ok(f), Ok(id)) => (f, id),
        (f, a) => {
            let mut e = ValidationErrors::new();
            if let Err(x) = f {
                e.0.extend(x.0);
            }
            if let Err(AppError::Invalid(x)) = a {
                e.0.extend(x.0);
            }
            return Err(AppError::Invalid(e));
        }
    };
    let (a, links) = account_links(db, id, today).await?;
    let applicant_id = r.person_id.or_else(|| {
        links
            .iter()
            .find(|l| matches!(l.link.data.role, LinkRole::Owner | LinkRole::Tenant))
            .or(links.first())
            .map(|l| l.link.data.person_id)
    });
    let Some(applicant_id) = applicant_id else {
        return Err(AppError::field(
            "person_id",
            "У счёта нет ни одного человека: выберите заявителя или добавьте его в карточку счёта.",
        ));
    };
    let pe = person::get(db, applicant_id).await?;
    let registered = if form == ResidentForm::Absence {
        let mut names = Vec::new();
        for l in link::registered_in_premises(db, a.data.premises_id, today).await? {
            names.push(person::get(db, l.link.data.person_id).await?.full_name);
        }
        names
    } else {
        Vec::new()
    };
    let debt = if form == ResidentForm::Installment {
        let entries = ledger::domain_entries(db, id).await?;
        Some(balance_on(&entries, today)).filter(|k| *k > 0)
    } else {
        None
    };
    let data = ResidentApplicationData {
        form: form.code().into(),
        applicant: pe.full_name.clone(),
        address: a.address.clone(),
        account: Some(a.data.number.clone()),
        phone: pe.data.phones.first().map(|p| phone::display(p)),
        email: pe.data.email.clone(),
        registered,
        debt_kopecks: debt,
        as_of: debt.map(|_| today),
        extra: Default::default(),
    };
    Ok(Prepared {
        kind: DocKind::ResidentApplication,
        data: serde_json::to_value(data).unwrap_or_default(),
        title: format!("{}: {}", form.title(), pe.full_name),
        account_id: Some(id),
        person_id: Some(applicant_id),
        search_words: vec![a.data.number.clone(), a.address.clone(), pe.full_name],
        outgoing: None,
    })
}

/// How a handed-in blank is to be registered.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct HandInRequest {
    /// `appeal` or `incoming`.
    #[serde(rename = "as")]
    pub register: Option<String>,
    /// What the resident wrote, in short; empty — the form's heading.
    pub substance: Option<String>,
    /// How it came: `visit` (default), `letter`, `email`, `portal` …
    pub channel: Option<String>,
    /// Pages handed in (incoming letter).
    pub pages: Option<String>,
}

/// What the blank became.
#[derive(Debug, Clone, Serialize)]
pub struct HandedInOut {
    /// `appeal` or `incoming`.
    pub register: String,
    pub id: i64,
    pub number: String,
}

/// Registers the handed-in blank `id` as an appeal of its form's kind or as an incoming
/// letter from the applicant, on the same account, and notes it in the blank's history. A
/// blank already registered is refused with the number it got.
pub async fn hand_in(
    app: &App,
    id: i64,
    req: &HandInRequest,
    actor: &Actor,
) -> Result<HandedInOut, AppError> {
    let doc = documents::get(&app.db, id).await?;
    if doc.kind != DocKind::ResidentApplication.code() {
        return Err(AppError::field(
            "document",
            "Зарегистрировать как поданное можно только заявление жителя, напечатанное на бланке.",
        ));
    }
    if let Some(h) = hand_in::of(&app.db, id).await? {
        return Err(AppError::field("as", already(&h)));
    }
    let how = HandIn::parse(req.register.as_deref()).map_err(AppError::Invalid)?;
    let form = ResidentForm::parse(doc.data["form"].as_str()).map_err(AppError::Invalid)?;
    let applicant = doc.data["applicant"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let heading = heading_line(form);
    let substance = req
        .substance
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map_or_else(|| heading.clone(), str::to_string);
    let issued = abonent_domain::registry::parse_date(&doc.issued_on)
        .map(abonent_domain::money::date_ru)
        .unwrap_or_else(|| doc.issued_on.clone());
    let note = format!("Подано на бланке № {} от {issued}", doc.number);
    let (register, record_id, number) = match how {
        HandIn::Appeal => {
            let channel = match req.channel.as_deref().map(str::trim) {
                None | Some("") => Channel::Visit,
                Some(c) => Channel::from_code(c).ok_or_else(|| {
                    AppError::field("channel", format!("Нет такого канала «{c}»."))
                })?,
            };
            let r = crate::appeals::register(
                app,
                &NewAppeal {
                    kind: Some(form.appeal_kind()),
                    channel: Some(channel),
                    account_id: doc.account_id,
                    person_id: doc.person_id,
                    substance: format!("{substance}. {note}."),
                    ..Default::default()
                },
                actor,
            )
            .await?;
            ("appeal", r.id, r.number)
        }
        HandIn::Incoming => {
            let today = app.today().await?;
            let f = IncomingForm {
                received_on: Some(today.to_string()),
                sender_kind: Some("person".into()),
                sender_name: Some(applicant),
                subject: Some(substance),
                pages: req.pages.clone(),
                account_id: doc.account_id.map(|i| i.to_string()),
                person_id: doc.person_id.map(|i| i.to_string()),
                note: Some(note),
                ..Default::default()
            };
            let inc = crate::correspondence::register_incoming(app, &f, actor).await?;
            let number = abonent_storage::correspondence::incoming::get(&app.db, inc, today)
                .await?
                .number;
            ("incoming", inc, number)
        }
    };
    hand_in::record(&app.db, id, register, record_id, &number, actor).await?;
    Ok(HandedInOut {
        register: register.into(),
        id: record_id,
        number,
    })
}

/// «Заявление о перерасчёте платы за коммунальные услуги»: the printed heading as a line.
fn heading_line(form: ResidentForm) -> String {
    let (name, about) = form.heading();
    let mut c = name.chars();
    let name: String = c
        .next()
        .into_iter()
        .chain(c.as_str().to_lowercase().chars())
        .collect();
    format!("{name} {about}").trim().to_string()
}

fn already(h: &HandedIn) -> String {
    let what = if h.register == "appeal" {
        "обращение"
    } else {
        "входящее письмо"
    };
    format!("Это заявление уже зарегистрировано: {what} № {}.", h.number)
}
