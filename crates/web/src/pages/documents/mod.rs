//! Documents in the UI: the archive list and card, the stored PDF, issuing from the account
//! and person cards, the free-form letter, and issuing a corrected copy.

pub mod hand_in;
pub mod print_runs;
pub mod templates;

use std::collections::BTreeMap;

use crate::extract::{Path, Query};
use abonent_documents::DocKind;
use abonent_domain::correspondence::SendMethod;
use abonent_storage::correspondence::Period;
use abonent_storage::documents::{self, Document, DocumentFilter};
use abonent_storage::registry::{account, link, person, Page, PageReq};
use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use axum::Extension;

use super::{flash_of, html, invalid, layout, to, PageResult};
use crate::auth::Principal;
use crate::forms::FormView;
use crate::views::{self, Layout, ListQuery, PagerItem};
use crate::{AppError, AppState};
use abonent_app::documents::issue::{self, IssueRequest};

/// A document as a list row or card shows it.
#[derive(Clone)]
pub struct DocRow {
    pub id: i64,
    pub number: String,
    pub kind_title: &'static str,
    pub title: String,
    pub issued_on: String,
    pub issued_at: String,
    pub issued_by: String,
    pub corrects_id: Option<i64>,
}

fn kind_title(code: &str) -> &'static str {
    DocKind::from_code(code).map_or("Документ", DocKind::title)
}

pub(crate) fn row(d: &Document, tz: chrono_tz::Tz) -> DocRow {
    DocRow {
        id: d.id,
        number: d.number.clone(),
        kind_title: kind_title(&d.kind),
        title: d.title.clone(),
        issued_on: abonent_domain::registry::parse_date(&d.issued_on)
            .map(|d| views::date_ru(&d))
            .unwrap_or_else(|| d.issued_on.clone()),
        issued_at: views::local_time(&d.issued_at, tz),
        issued_by: d.issued_by_name.clone(),
        corrects_id: d.corrects_id,
    }
}

pub struct KindOption {
    pub code: &'static str,
    pub title: &'static str,
}

fn kind_options() -> Vec<KindOption> {
    DocKind::ALL
        .iter()
        .map(|k| KindOption {
            code: k.code(),
            title: k.title(),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "documents/list.html")]
struct ListPage {
    l: Layout,
    rows: Vec<DocRow>,
    total: i64,
    q: ListQuery,
    pager: Vec<PagerItem>,
    kinds: Vec<KindOption>,
}

fn filter_of(q: &ListQuery) -> DocumentFilter {
    let date = |k: &str| abonent_domain::registry::parse_date(q.get(k));
    DocumentFilter {
        q: Some(q.get("q").to_string()).filter(|s| !s.is_empty()),
        kind: Some(q.get("kind").to_string()).filter(|s| !s.is_empty()),
        account_id: q.get("account_id").parse().ok(),
        person_id: q.get("person_id").parse().ok(),
        appeal_id: q.get("appeal_id").parse().ok(),
        period: Period {
            from: date("from"),
            to: date("to"),
        },
    }
}

pub async fn list(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Query(params): Query<BTreeMap<String, String>>,
) -> PageResult {
    let q = ListQuery::new("/documents", &params);
    let page: Page<Document> = documents::list(
        &s.db,
        &filter_of(&q),
        PageReq::new(q.get("page").parse().ok(), None),
    )
    .await?;
    // A document's title names whom it is for: one view of the people of the page.
    let shown: Vec<i64> = page.items.iter().filter_map(|d| d.person_id).collect();
    abonent_app::privacy::record_views(&s, &p.actor(), &shown, "GET /documents").await?;
    let tz = s.zone().await?;
    let pager = views::pager(&q, page.page, page.pages());
    html(&ListPage {
        l: layout(&s, &p, "Выданные документы", "documents").await?,
        rows: page.items.iter().map(|d| row(d, tz)).collect(),
        total: page.total,
        q,
        pager,
        kinds: kind_options(),
    })
}

#[derive(Template)]
#[template(path = "documents/card.html")]
struct CardPage {
    l: Layout,
    d: DocRow,
    account: Option<(i64, String)>,
    person: Option<(i64, String)>,
    corrects: Option<(i64, String)>,
    corrected_by: Vec<(i64, String)>,
    outgoing: Option<i64>,
    template: String,
    size_kb: String,
    sha256: String,
    /// A resident's blank: what it was registered as when handed in, or the form to do it.
    hand_in: Option<hand_in::View>,
}

pub async fn show(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    Query(q): Query<BTreeMap<String, String>>,
) -> PageResult {
    let flash = if q.get("saved").map(String::as_str) == Some("issued") {
        "Документ выпущен и сохранён в архиве.".to_string()
    } else {
        flash_of(&q).to_string()
    };
    html(&card(&s, &p, id, flash, hand_in::View::default()).await?)
}

/// The document's card; `hand_in` carries a refused hand-in's form back.
async fn card(
    s: &AppState,
    p: &Principal,
    id: i64,
    flash: String,
    hand_in: hand_in::View,
) -> Result<CardPage, crate::PageError> {
    let d = documents::get(&s.db, id).await?;
    let shown: Vec<i64> = d.person_id.into_iter().collect();
    abonent_app::privacy::record_views(s, &p.actor(), &shown, "GET /documents/{id}").await?;
    let account = match d.account_id {
        Some(a) => Some((a, account::get(&s.db, a).await?.data.number)),
        None => None,
    };
    // Names are personal data: shown only to those who may see them.
    let person = match d.person_id {
        Some(pid) if p.can(abonent_domain::Permission::ViewPersonalData) => {
            Some((pid, person::get(&s.db, pid).await?.full_name))
        }
        _ => None,
    };
    let corrects = match d.corrects_id {
        Some(c) => Some((c, documents::get(&s.db, c).await?.number)),
        None => None,
    };
    let corrected_by = documents::corrections(&s.db, id)
        .await?
        .into_iter()
        .map(|r| (r.id, r.number))
        .collect();
    let template = match d.template_version_id {
        None => "поставляемый".to_string(),
        Some(v) => format!("изменённый администратором (версия {v})"),
    };
    let l = layout(s, p, format!("Документ {}", d.number), "documents")
        .await?
        .flash(flash);
    let hand_in = hand_in.of(s, p, &d).await?;
    Ok(CardPage {
        l,
        d: row(&d, s.zone().await?),
        account,
        person,
        corrects,
        corrected_by,
        outgoing: d.outgoing_id,
        template,
        size_kb: format!("{:.1}", d.pdf_size as f64 / 1024.0),
        sha256: d.sha256,
        hand_in,
    })
}

/// The stored bytes, exactly as issued.
pub async fn pdf(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> PageResult {
    let (_, bytes) = documents::pdf(&s.db, id).await?;
    let shown: Vec<i64> = documents::person_of(&s.db, id).await?.into_iter().collect();
    abonent_app::privacy::record_views(&s, &p.actor(), &shown, "GET /documents/{id}/pdf").await?;
    Ok(crate::http::pdf_response(id, bytes))
}

/// An issue form's fields as a request.
pub fn request_of(f: &FormView) -> IssueRequest {
    let s = |k: &str| Some(f.v(k).to_string()).filter(|v| !v.trim().is_empty());
    let id = |k: &str| f.v(k).trim().parse::<i64>().ok();
    IssueRequest {
        kind: f.v("kind").to_string(),
        account_id: id("account_id"),
        person_id: id("person_id"),
        appeal_id: id("appeal_id"),
        corrects_id: id("corrects_id"),
        purpose: s("purpose"),
        period: s("period"),
        amount: s("amount"),
        amount_kopecks: None,
        due_date: s("due_date"),
        addressee: s("addressee"),
        subject: s("subject"),
        salutation: s("salutation"),
        body: s("body"),
        signer_title: s("signer_title"),
        signer_name: s("signer_name"),
        executor: s("executor"),
        method: s("method"),
        tracking_number: s("tracking_number"),
        answers_incoming_id: id("answers_incoming_id"),
        period_from: s("period_from"),
        period_to: s("period_to"),
        on: s("on"),
        form: s("form"),
    }
}

/// Field errors that no input shows (organization's details, template) go on top.
const SHOWN: [&str; 12] = [
    "form",
    "purpose",
    "period",
    "amount",
    "due_date",
    "person_id",
    "addressee",
    "subject",
    "body",
    "method",
    "tracking_number",
    "salutation",
];

/// The account's documents panel (a full page, or the part loaded into the account card).
pub struct AccountPanel {
    account_id: i64,
    number: String,
    address: String,
    payers: Vec<(i64, String)>,
    /// The resident's blanks: (code, title).
    forms: Vec<(&'static str, &'static str)>,
    rows: Vec<DocRow>,
    f: FormView,
    top_errors: Vec<String>,
}

#[derive(Template)]
#[template(path = "documents/account.html")]
struct AccountPage {
    l: Layout,
    p: AccountPanel,
}

#[derive(Template)]
#[template(path = "documents/account_part.html")]
struct AccountPart {
    l: Layout,
    p: AccountPanel,
}

async fn account_page(
    s: &AppState,
    p: &Principal,
    id: i64,
    f: FormView,
) -> Result<AccountPage, crate::PageError> {
    let a = account::get(&s.db, id).await?;
    let payers = link::links_of_account(&s.db, id)
        .await?
        .into_iter()
        .filter(|l| l.link.closed_at.is_none())
        .map(|l| {
            (
                l.link.data.person_id,
                format!("{} ({})", l.person_name, l.role_title.to_lowercase()),
            )
        })
        .collect();
    let filter = DocumentFilter {
        account_id: Some(id),
        ..Default::default()
    };
    let docs = documents::list(&s.db, &filter, PageReq::new(None, Some(100))).await?;
    let tz = s.zone().await?;
    let top_errors = f.other_errors(&SHOWN);
    Ok(AccountPage {
        l: layout(s, p, format!("Документы ЛС {}", a.data.number), "accounts").await?,
        p: AccountPanel {
            account_id: id,
            number: a.data.number,
            address: a.address,
            payers,
            forms: abonent_domain::resident_form::ResidentForm::ALL
                .iter()
                .map(|f| (f.code(), f.title()))
                .collect(),
            rows: docs.items.iter().map(|d| row(d, tz)).collect(),
            f,
            top_errors,
        },
    })
}

/// The account's documents: issue forms and what was issued (`?part=1`: the card's panel).
pub async fn for_account(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    Query(q): Query<BTreeMap<String, String>>,
) -> PageResult {
    let mut f = FormView::default();
    let t = s.today().await?;
    f.set("period", t.format("%Y-%m").to_string());
    let page = account_page(&s, &p, id, f).await?;
    if q.contains_key("part") {
        return html(&AccountPart {
            l: page.l,
            p: page.p,
        });
    }
    html(&page)
}

/// Issues a document for the account from one of the panel's forms.
pub async fn issue_for_account(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    body: Bytes,
) -> PageResult {
    let mut f = FormView::from_body(&body);
    f.set("account_id", id.to_string());
    let r = request_of(&f);
    abonent_app::documents::issue::ledger::check_access(p.role, &r.kind)?;
    match issue::issue(&s, &r, &p.actor()).await {
        Ok(d) => to(format!("/documents/{}?saved=issued", d.id)),
        Err(AppError::Invalid(e)) => invalid(&account_page(&s, &p, id, f.errors(e)).await?),
        Err(e) => Err(e.into()),
    }
}

pub struct PersonPanel {
    person_id: i64,
    name: String,
    accounts: Vec<(i64, String)>,
    rows: Vec<DocRow>,
}

#[derive(Template)]
#[template(path = "documents/person.html")]
struct PersonPage {
    l: Layout,
    p: PersonPanel,
}

#[derive(Template)]
#[template(path = "documents/person_part.html")]
struct PersonPart {
    l: Layout,
    p: PersonPanel,
}

/// The person's documents and, per account they are tied to, buttons to issue.
pub async fn for_person(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    Query(q): Query<BTreeMap<String, String>>,
) -> PageResult {
    let pe = person::get(&s.db, id).await?;
    // The name with the person's accounts and documents (152-ФЗ).
    let via = "GET /persons/{id}/documents";
    abonent_app::privacy::record_views(&s, &p.actor(), &[id], via).await?;
    let accounts = link::links_of_person(&s.db, id)
        .await?
        .into_iter()
        .filter(|l| l.link.closed_at.is_none())
        .map(|l| {
            (
                l.link.data.account_id,
                format!("{}, {}", l.account_number, l.address),
            )
        })
        .collect();
    let filter = DocumentFilter {
        person_id: Some(id),
        ..Default::default()
    };
    let docs = documents::list(&s.db, &filter, PageReq::new(None, Some(100))).await?;
    let tz = s.zone().await?;
    let l = layout(&s, &p, format!("Документы: {}", pe.full_name), "persons").await?;
    let panel = PersonPanel {
        person_id: id,
        name: pe.full_name,
        accounts,
        rows: docs.items.iter().map(|d| row(d, tz)).collect(),
    };
    if q.contains_key("part") {
        return html(&PersonPart { l, p: panel });
    }
    html(&PersonPage { l, p: panel })
}

pub struct MethodOption {
    pub code: &'static str,
    pub title: &'static str,
}

#[derive(Template)]
#[template(path = "documents/letter_form.html")]
struct LetterPage {
    l: Layout,
    f: FormView,
    methods: Vec<MethodOption>,
    corrects: Option<(i64, String)>,
    top_errors: Vec<String>,
}

fn methods() -> Vec<MethodOption> {
    [
        SendMethod::Post,
        SendMethod::Email,
        SendMethod::Hand,
        SendMethod::Portal,
    ]
    .into_iter()
    .map(|m| MethodOption {
        code: m.code(),
        title: m.title(),
    })
    .collect()
}

async fn letter_page(
    s: &AppState,
    p: &Principal,
    f: FormView,
) -> Result<LetterPage, crate::PageError> {
    let corrects = match f.v("corrects_id").parse::<i64>().ok() {
        Some(c) => Some((c, documents::get(&s.db, c).await?.number)),
        None => None,
    };
    let top_errors = f.other_errors(&SHOWN);
    Ok(LetterPage {
        l: layout(s, p, "Письмо на бланке", "letter").await?,
        f,
        methods: methods(),
        corrects,
        top_errors,
    })
}

/// The letter form; `?account_id=`, `?person_id=`, `?answers_incoming_id=` prefill it.
pub async fn letter_form(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Query(q): Query<BTreeMap<String, String>>,
) -> PageResult {
    let mut f = FormView::default();
    for k in ["account_id", "person_id", "answers_incoming_id"] {
        if let Some(v) = q.get(k) {
            f.set(k, v.clone());
        }
    }
    f.set("method", "post");
    if let Some(id) = q.get("appeal_id").and_then(|v| v.parse::<i64>().ok()) {
        reply_to_appeal(&s, &mut f, id).await?;
    }
    html(&letter_page(&s, &p, f).await?)
}

/// Prefills a reply to an appeal: the applicant and the address, the subject with the
/// appeal's number and date, the decision (or the answer given) as the text. The letter is
/// registered as outgoing and linked to the appeal.
async fn reply_to_appeal(s: &AppState, f: &mut FormView, id: i64) -> Result<(), AppError> {
    let a = abonent_storage::appeals::get(&s.db, id).await?;
    let zone = s.zone().await?;
    let received = abonent_storage::time::parse(&a.received_at)
        .map(|t| t.with_timezone(&zone).format("%d.%m.%Y").to_string())
        .unwrap_or_default();
    f.set("appeal_id", id.to_string());
    for (k, v) in [("account_id", a.account_id), ("person_id", a.person_id)] {
        if let Some(v) = v {
            f.set(k, v.to_string());
        }
    }
    let mut addressee = Vec::new();
    if let Some(n) = a.applicant_name.as_deref().filter(|n| !n.trim().is_empty()) {
        addressee.push(n.trim().to_string());
    }
    addressee.push(a.address.clone());
    f.set("addressee", addressee.join("\n"));
    f.set(
        "subject",
        format!("Ответ на обращение № {} от {received}", a.number),
    );
    if let Some(text) = a.decision.clone().or(a.result.clone()) {
        f.set("body", text);
    }
    Ok(())
}

pub async fn letter_create(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    body: Bytes,
) -> PageResult {
    let mut f = FormView::from_body(&body);
    f.set("kind", DocKind::Letter.code());
    match issue::issue(&s, &request_of(&f), &p.actor()).await {
        Ok(d) => to(format!("/documents/{}?saved=issued", d.id)),
        Err(AppError::Invalid(e)) => invalid(&letter_page(&s, &p, f.errors(e)).await?),
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "documents/correct.html")]
struct CorrectPage {
    l: Layout,
    d: DocRow,
    kind: String,
    f: FormView,
    top_errors: Vec<String>,
}

fn form_of(r: &IssueRequest) -> FormView {
    let id = |v: Option<i64>| v.map(|i| i.to_string());
    FormView::with([
        ("kind", Some(r.kind.clone())),
        ("account_id", id(r.account_id)),
        ("person_id", id(r.person_id)),
        ("appeal_id", id(r.appeal_id)),
        ("corrects_id", id(r.corrects_id)),
        ("purpose", r.purpose.clone()),
        ("period", r.period.clone()),
        ("amount", r.amount.clone()),
        ("due_date", r.due_date.clone()),
        ("addressee", r.addressee.clone()),
        ("subject", r.subject.clone()),
        ("salutation", r.salutation.clone()),
        ("body", r.body.clone()),
        ("signer_title", r.signer_title.clone()),
        ("signer_name", r.signer_name.clone()),
        ("executor", r.executor.clone()),
        ("method", Some("post".into())),
    ])
}

/// The form of a corrected copy, prefilled from the original (a letter opens the letter form).
pub async fn correct_form(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> PageResult {
    let d = documents::get(&s.db, id).await?;
    let f = form_of(&issue::correction_of(&d));
    if d.kind == DocKind::Letter.code() {
        return html(&letter_page(&s, &p, f).await?);
    }
    html(&CorrectPage {
        l: layout(
            &s,
            &p,
            format!("Исправление документа {}", d.number),
            "documents",
        )
        .await?,
        d: row(&d, s.zone().await?),
        kind: d.kind.clone(),
        f,
        top_errors: vec![],
    })
}

pub async fn correct(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    body: Bytes,
) -> PageResult {
    let d = documents::get(&s.db, id).await?;
    let base = issue::correction_of(&d);
    let mut f = FormView::from_body(&body);
    // What the copy is of cannot be changed by the form.
    f.set("kind", base.kind.clone());
    f.set("corrects_id", id.to_string());
    for (k, v) in [
        ("account_id", base.account_id),
        ("appeal_id", base.appeal_id),
    ] {
        f.set(k, v.map(|i| i.to_string()).unwrap_or_default());
    }
    if f.v("person_id").is_empty() {
        f.set(
            "person_id",
            base.person_id.map(|i| i.to_string()).unwrap_or_default(),
        );
    }
    abonent_app::documents::issue::ledger::check_access(p.role, &base.kind)?;
    match issue::issue(&s, &request_of(&f), &p.actor()).await {
        Ok(n) => to(format!("/documents/{}?saved=issued", n.id)),
        Err(AppError::Invalid(e)) if d.kind == DocKind::Letter.code() => {
            invalid(&letter_page(&s, &p, f.errors(e)).await?)
        }
        Err(AppError::Invalid(e)) => {
            let f = f.errors(e);
            let top_errors = f.other_errors(&SHOWN);
            invalid(&CorrectPage {
                l: layout(
                    &s,
                    &p,
                    format!("Исправление документа {}", d.number),
                    "documents",
                )
                .await?,
                d: row(&d, s.zone().await?),
                kind: d.kind.clone(),
                f,
                top_errors,
            })
        }
        Err(e) => Err(e.into()),
    }
}
