//! The incoming register: awaiting view by deadline (overdue highlighted), search, the form,
//! the card with status, answers, scans and history.

use std::collections::BTreeMap;

use crate::extract::{Path, Query};
use crate::timeline;
use abonent_app::correspondence as letters;
use abonent_app::privacy::{RecordKind, Shown};
use abonent_domain::correspondence::{IncomingData, IncomingForm, IncomingStatus, SenderKind};
use abonent_storage::correspondence::incoming::{self, Incoming, IncomingFilter, StatusFilter};
use abonent_storage::correspondence::{attachments, outgoing, Period, Register};
use abonent_storage::history;
use abonent_storage::registry::PageReq;
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::Extension;

use super::{executors, scan_error, scan_views, sender_kinds, shown, statuses, Choice, ScanView};
use crate::auth::Principal;
use crate::forms::{self, FormView};
use crate::pages::{flash_of, html, invalid, layout, to, PageResult};
use crate::pickers;
use crate::views::{self, date_ru, opt_date_ru, HistoryView, Layout, ListQuery, PagerItem};
use crate::{AppError, AppState};
use abonent_storage::suggest::PickKind;

/// One line of the register.
pub struct Row {
    pub id: i64,
    pub number: String,
    pub received: String,
    pub kind: &'static str,
    pub sender: String,
    pub subject: String,
    pub deadline: String,
    pub status: &'static str,
    pub overdue: bool,
    pub executor: String,
    pub answer: String,
}

fn row(i: &Incoming) -> Row {
    Row {
        id: i.id,
        number: i.number.clone(),
        received: date_ru(&i.data.received_on),
        kind: i.data.sender_kind.title(),
        sender: i.data.sender_name.clone(),
        subject: i.data.subject.clone(),
        deadline: date_ru(&i.deadline_on),
        status: i.status.title(),
        overdue: i.overdue,
        executor: i.executor_name.clone().unwrap_or_default(),
        answer: i.answered_by_number.clone().unwrap_or_default(),
    }
}

#[derive(Template)]
#[template(path = "correspondence/incoming_list.html")]
struct ListPage {
    l: Layout,
    rows: Vec<Row>,
    total: i64,
    q: ListQuery,
    pager: Vec<PagerItem>,
    view: String,
    kinds: Vec<Choice>,
    statuses: Vec<Choice>,
    awaiting: i64,
    overdue: i64,
    register: &'static str,
    export_from: String,
    export_to: String,
}

/// The filter of a list request; `status` defaults to the awaiting view.
pub fn filter_of(q: &ListQuery) -> IncomingFilter {
    let view = if q.get("status").is_empty() {
        "awaiting"
    } else {
        q.get("status")
    };
    IncomingFilter {
        q: Some(q.get("q").to_string()).filter(|s| !s.trim().is_empty()),
        period: Period {
            from: abonent_domain::registry::parse_date(q.get("from")),
            to: abonent_domain::registry::parse_date(q.get("to")),
        },
        status: StatusFilter::from_code(view),
        sender_kind: SenderKind::from_code(q.get("sender_kind")),
        executor_user_id: q.get("executor").parse().ok(),
    }
}

pub async fn list(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Query(params): Query<BTreeMap<String, String>>,
) -> PageResult {
    let q = ListQuery::new("/correspondence/incoming", &params);
    let today = s.today().await?;
    let f = filter_of(&q);
    let page = incoming::list(
        &s.db,
        &f,
        today,
        PageReq::new(q.get("page").parse().ok(), None),
    )
    .await?;
    let what = Shown::default().with(RecordKind::IncomingLetter, page.items.iter().map(|l| l.id));
    shown(&s, &p, what, "GET /correspondence/incoming").await?;
    let (awaiting, overdue) = incoming::awaiting_counts(&s.db, today).await?;
    let pager = views::pager(&q, page.page, page.pages());
    let view = if q.get("status").is_empty() {
        "awaiting".to_string()
    } else {
        q.get("status").to_string()
    };
    html(&ListPage {
        l: layout(&s, &p, "Входящая корреспонденция", "incoming").await?,
        rows: page.items.iter().map(row).collect(),
        total: page.total,
        q,
        pager,
        view,
        kinds: sender_kinds(),
        statuses: statuses(),
        awaiting,
        overdue,
        register: "incoming",
        export_from: format!("{}-01-01", chrono::Datelike::year(&today)),
        export_to: today.to_string(),
    })
}

/// The form's pickers: records chosen by number, address or name.
const PICKS: &[pickers::Field] = &[
    ("account_id", PickKind::Account),
    ("person_id", PickKind::Person),
];

#[derive(Template)]
#[template(path = "correspondence/incoming_form.html")]
struct FormPage {
    l: Layout,
    f: FormView,
    id: Option<i64>,
    number: String,
    kinds: Vec<Choice>,
    executors: Vec<Choice>,
}

fn to_form(d: &IncomingData) -> FormView {
    let id = |v: Option<i64>| v.map(|x| x.to_string());
    FormView::with([
        ("received_on", Some(d.received_on.to_string())),
        ("sender_kind", Some(d.sender_kind.code().to_string())),
        ("sender_name", Some(d.sender_name.clone())),
        ("sender_ref_number", d.sender_ref_number.clone()),
        ("sender_ref_date", d.sender_ref_date.map(|x| x.to_string())),
        ("subject", Some(d.subject.clone())),
        ("pages", d.pages.map(|x| x.to_string())),
        ("executor_user_id", id(d.executor_user_id)),
        ("deadline_on", d.letter_term.map(|x| x.to_string())),
        ("account_id", id(d.account_id)),
        ("person_id", id(d.person_id)),
        ("note", d.note.clone()),
    ])
}

async fn form_page(
    s: &AppState,
    p: &Principal,
    mut f: FormView,
    id: Option<i64>,
    number: String,
) -> Result<FormPage, AppError> {
    pickers::fill_labels(s, &mut f, PICKS).await?;
    let title = if id.is_some() {
        "Изменение входящего письма"
    } else {
        "Регистрация входящего письма"
    };
    Ok(FormPage {
        l: layout(s, p, title, "incoming").await.map_err(|e| e.0)?,
        f,
        id,
        number,
        kinds: sender_kinds(),
        executors: executors(&s.db).await?,
    })
}

pub async fn new(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Query(q): Query<BTreeMap<String, String>>,
) -> PageResult {
    let mut f = FormView::default();
    f.set("received_on", s.today().await?.to_string());
    for k in ["account_id", "person_id"] {
        if let Some(v) = q.get(k) {
            f.set(k, v.clone());
        }
    }
    html(&form_page(&s, &p, f, None, String::new()).await?)
}

pub async fn create(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    body: Bytes,
) -> PageResult {
    let body = match pickers::posted(&s, &body, PICKS).await? {
        Ok(b) => b,
        Err(f) => return invalid(&form_page(&s, &p, f, None, String::new()).await?),
    };
    let form: IncomingForm = forms::parse(&body)?;
    match letters::register_incoming(&s, &form, &p.actor()).await {
        Ok(id) => to(format!("/correspondence/incoming/{id}?saved=1")),
        Err(AppError::Invalid(e)) => {
            let f = FormView::from_body(&body).errors(e);
            invalid(&form_page(&s, &p, f, None, String::new()).await?)
        }
        Err(e) => Err(e.into()),
    }
}

pub struct AnswerView {
    pub id: i64,
    pub number: String,
    pub sent: String,
    pub method: &'static str,
}

#[derive(Template)]
#[template(path = "correspondence/incoming_card.html")]
struct Card {
    l: Layout,
    i: Incoming,
    received: String,
    sender_ref_date: String,
    letter_term: String,
    deadline: String,
    answers: Vec<AnswerView>,
    scans: Vec<ScanView>,
    scan_action: String,
    scan_error: String,
    history: Vec<HistoryView>,
    f: FormView,
}

async fn card(
    s: &AppState,
    p: &Principal,
    id: i64,
    flash: &str,
    scan_error: String,
    f: FormView,
    via: &str,
) -> Result<Card, AppError> {
    let i = incoming::get(&s.db, id, s.today().await?).await?;
    let answers = outgoing::answering(&s.db, id).await?;
    // The sender, and the addressees of the answers.
    let entries = history::for_card(&s.db, Register::Incoming.entity(), id, 200).await?;
    let mut what = Shown::default()
        .with(RecordKind::IncomingLetter, [id])
        .with(RecordKind::OutgoingLetter, answers.iter().map(|o| o.id));
    // The history names the people the letter was tied to, now or before.
    what.people
        .extend(abonent_app::privacy::people_in_history(&entries));
    shown(s, p, what, via).await?;
    let answers = answers
        .into_iter()
        .map(|o| AnswerView {
            id: o.id,
            number: o.number,
            sent: date_ru(&o.data.sent_on),
            method: o.data.method.title(),
        })
        .collect();
    let scans = scan_views(attachments::of_letter(&s.db, Register::Incoming, id).await?);
    let history = timeline::show(s, &entries).await?;
    let l = layout(s, p, format!("Входящее № {}", i.number), "incoming")
        .await
        .map_err(|e| e.0)?
        .flash(flash);
    Ok(Card {
        l,
        received: date_ru(&i.data.received_on),
        sender_ref_date: opt_date_ru(&i.data.sender_ref_date),
        letter_term: opt_date_ru(&i.data.letter_term),
        deadline: date_ru(&i.deadline_on),
        i,
        answers,
        scans,
        scan_action: format!("/correspondence/incoming/{id}/attachments"),
        scan_error,
        history,
        f,
    })
}

pub async fn show(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    Query(q): Query<BTreeMap<String, String>>,
) -> PageResult {
    html(
        &card(
            &s,
            &p,
            id,
            flash_of(&q),
            scan_error(&q),
            FormView::default(),
            "GET /correspondence/incoming/{id}",
        )
        .await?,
    )
}

pub async fn edit(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> PageResult {
    let i = incoming::get(&s.db, id, s.today().await?).await?;
    let what = Shown::default().with(RecordKind::IncomingLetter, [id]);
    shown(&s, &p, what, "GET /correspondence/incoming/{id}/edit").await?;
    html(&form_page(&s, &p, to_form(&i.data), Some(id), i.number).await?)
}

pub async fn update(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    body: Bytes,
) -> PageResult {
    let body = match pickers::posted(&s, &body, PICKS).await? {
        Ok(b) => b,
        Err(f) => {
            let number = incoming::get(&s.db, id, s.today().await?).await?.number;
            return invalid(&form_page(&s, &p, f, Some(id), number).await?);
        }
    };
    let form: IncomingForm = forms::parse(&body)?;
    match letters::update_incoming(&s, id, &form, &p.actor()).await {
        Ok(()) => to(format!("/correspondence/incoming/{id}?saved=1")),
        Err(AppError::Invalid(e)) => {
            let number = incoming::get(&s.db, id, s.today().await?).await?.number;
            let f = FormView::from_body(&body).errors(e);
            invalid(&form_page(&s, &p, f, Some(id), number).await?)
        }
        Err(e) => Err(e.into()),
    }
}

/// Put in work, close without an answer, or reopen (with a reason).
pub async fn set_status(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    body: Bytes,
) -> PageResult {
    let f = FormView::from_body(&body);
    let result = match IncomingStatus::from_code(f.v("status")) {
        Some(to) => letters::set_incoming_status(&s, id, to, f.v("reason"), &p.actor()).await,
        None => Err(AppError::Invalid(abonent_domain::ValidationErrors::single(
            "status",
            "Выберите новое состояние письма.",
        ))),
    };
    match result {
        Ok(()) => to(format!("/correspondence/incoming/{id}?saved=1")),
        Err(AppError::Invalid(e)) => {
            let f = f.errors(e);
            let via = "POST /correspondence/incoming/{id}/status";
            invalid(&card(&s, &p, id, "", String::new(), f, via).await?)
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn attach(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    req: Request,
) -> PageResult {
    super::attach(&s, &p, Register::Incoming, id, req).await
}
