//! The outgoing register: list with search, the form (prefilled when answering an incoming
//! letter), the card with scans and history.

use std::collections::BTreeMap;

use crate::extract::{Path, Query};
use crate::timeline;
use abonent_app::correspondence as letters;
use abonent_app::privacy::{RecordKind, Shown};
use abonent_domain::correspondence::{OutgoingData, OutgoingForm, SendMethod};
use abonent_storage::correspondence::outgoing::{self, Outgoing, OutgoingFilter};
use abonent_storage::correspondence::{attachments, incoming, Period, Register};
use abonent_storage::history;
use abonent_storage::registry::PageReq;
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::Extension;

use super::{methods, scan_error, scan_views, shown, Choice, ScanView};
use crate::auth::Principal;
use crate::forms::{self, FormView};
use crate::pages::{flash_of, html, invalid, layout, to, PageResult};
use crate::pickers;
use crate::views::{self, date_ru, HistoryView, Layout, ListQuery, PagerItem};
use crate::{AppError, AppState};
use abonent_storage::suggest::PickKind;

pub struct Row {
    pub id: i64,
    pub number: String,
    pub sent: String,
    pub addressee: String,
    pub subject: String,
    pub method: &'static str,
    pub tracking: String,
    pub answers: String,
    pub answers_id: i64,
}

fn row(o: &Outgoing) -> Row {
    Row {
        id: o.id,
        number: o.number.clone(),
        sent: date_ru(&o.data.sent_on),
        addressee: o.data.addressee.clone(),
        subject: o.data.subject.clone(),
        method: o.data.method.title(),
        tracking: o.data.tracking_number.clone().unwrap_or_default(),
        answers: o.answers_incoming_number.clone().unwrap_or_default(),
        answers_id: o.data.answers_incoming_id.unwrap_or(0),
    }
}

#[derive(Template)]
#[template(path = "correspondence/outgoing_list.html")]
struct ListPage {
    l: Layout,
    rows: Vec<Row>,
    total: i64,
    q: ListQuery,
    pager: Vec<PagerItem>,
    methods: Vec<Choice>,
    register: &'static str,
    export_from: String,
    export_to: String,
}

pub fn filter_of(q: &ListQuery) -> OutgoingFilter {
    OutgoingFilter {
        q: Some(q.get("q").to_string()).filter(|s| !s.trim().is_empty()),
        period: Period {
            from: abonent_domain::registry::parse_date(q.get("from")),
            to: abonent_domain::registry::parse_date(q.get("to")),
        },
        method: SendMethod::from_code(q.get("method")),
    }
}

pub async fn list(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Query(params): Query<BTreeMap<String, String>>,
) -> PageResult {
    let q = ListQuery::new("/correspondence/outgoing", &params);
    let page = outgoing::list(
        &s.db,
        &filter_of(&q),
        PageReq::new(q.get("page").parse().ok(), None),
    )
    .await?;
    let what = Shown::default().with(RecordKind::OutgoingLetter, page.items.iter().map(|l| l.id));
    shown(&s, &p, what, "GET /correspondence/outgoing").await?;
    let pager = views::pager(&q, page.page, page.pages());
    let today = s.today().await?;
    html(&ListPage {
        l: layout(&s, &p, "Исходящая корреспонденция", "outgoing").await?,
        rows: page.items.iter().map(row).collect(),
        total: page.total,
        q,
        pager,
        methods: methods(),
        register: "outgoing",
        export_from: format!("{}-01-01", chrono::Datelike::year(&today)),
        export_to: today.to_string(),
    })
}

/// The form's pickers: records chosen by number, address or name.
const PICKS: &[pickers::Field] = &[
    ("answers_incoming_id", PickKind::Letter),
    ("document_id", PickKind::Document),
    ("account_id", PickKind::Account),
    ("person_id", PickKind::Person),
];

#[derive(Template)]
#[template(path = "correspondence/outgoing_form.html")]
struct FormPage {
    l: Layout,
    f: FormView,
    id: Option<i64>,
    number: String,
    methods: Vec<Choice>,
    /// «Ответ на входящее № …» when answering.
    answers_label: String,
}

fn to_form(d: &OutgoingData) -> FormView {
    let id = |v: Option<i64>| v.map(|x| x.to_string());
    FormView::with([
        ("sent_on", Some(d.sent_on.to_string())),
        ("addressee", Some(d.addressee.clone())),
        ("subject", Some(d.subject.clone())),
        ("method", Some(d.method.code().to_string())),
        ("tracking_number", d.tracking_number.clone()),
        ("document_id", id(d.document_id)),
        ("answers_incoming_id", id(d.answers_incoming_id)),
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
        "Изменение исходящего письма"
    } else {
        "Регистрация исходящего письма"
    };
    let answers_label = match f.v("answers_incoming_id").parse::<i64>() {
        Ok(i) => match incoming::get(&s.db, i, s.today().await?).await {
            Ok(l) => format!(
                "Ответ на входящее № {} от {} — {}",
                l.number,
                date_ru(&l.data.received_on),
                l.data.sender_name
            ),
            Err(_) => String::new(),
        },
        Err(_) => String::new(),
    };
    Ok(FormPage {
        l: layout(s, p, title, "outgoing").await.map_err(|e| e.0)?,
        f,
        id,
        number,
        methods: methods(),
        answers_label,
    })
}

/// `?answers=<incoming id>` prefills the addressee, subject and link from the incoming letter.
pub async fn new(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Query(q): Query<BTreeMap<String, String>>,
) -> PageResult {
    let today = s.today().await?;
    let mut f = FormView::default();
    f.set("sent_on", today.to_string());
    f.set("method", "post");
    if let Some(i) = q.get("answers").and_then(|v| v.parse::<i64>().ok()) {
        let l = incoming::get(&s.db, i, today).await?;
        f.set("answers_incoming_id", i.to_string());
        f.set("addressee", l.data.sender_name.clone());
        let ref_part = match (&l.data.sender_ref_number, l.data.sender_ref_date) {
            (Some(n), Some(d)) => format!(" на № {n} от {}", date_ru(&d)),
            (Some(n), None) => format!(" на № {n}"),
            _ => String::new(),
        };
        f.set("subject", format!("Ответ{ref_part}: {}", l.data.subject));
        for (k, v) in [
            ("account_id", l.data.account_id),
            ("person_id", l.data.person_id),
        ] {
            if let Some(v) = v {
                f.set(k, v.to_string());
            }
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
    let form: OutgoingForm = forms::parse(&body)?;
    match letters::register_outgoing(&s, &form, &p.actor()).await {
        Ok(id) => to(format!("/correspondence/outgoing/{id}?saved=1")),
        Err(AppError::Invalid(e)) => {
            let f = FormView::from_body(&body).errors(e);
            invalid(&form_page(&s, &p, f, None, String::new()).await?)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "correspondence/outgoing_card.html")]
struct Card {
    l: Layout,
    o: Outgoing,
    sent: String,
    scans: Vec<ScanView>,
    scan_action: String,
    scan_error: String,
    history: Vec<HistoryView>,
}

pub async fn show(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    Query(q): Query<BTreeMap<String, String>>,
) -> PageResult {
    let o = outgoing::get(&s.db, id).await?;
    let entries = history::for_card(&s.db, Register::Outgoing.entity(), id, 200).await?;
    let mut what = Shown::default().with(RecordKind::OutgoingLetter, [id]);
    // The history names the people the letter was tied to, now or before.
    what.people
        .extend(abonent_app::privacy::people_in_history(&entries));
    shown(&s, &p, what, "GET /correspondence/outgoing/{id}").await?;
    let scans = scan_views(attachments::of_letter(&s.db, Register::Outgoing, id).await?);
    let history = timeline::show(&s, &entries).await?;
    let l = layout(&s, &p, format!("Исходящее № {}", o.number), "outgoing")
        .await?
        .flash(flash_of(&q));
    html(&Card {
        l,
        sent: date_ru(&o.data.sent_on),
        o,
        scans,
        scan_action: format!("/correspondence/outgoing/{id}/attachments"),
        scan_error: scan_error(&q),
        history,
    })
}

pub async fn edit(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> PageResult {
    let o = outgoing::get(&s.db, id).await?;
    let what = Shown::default().with(RecordKind::OutgoingLetter, [id]);
    shown(&s, &p, what, "GET /correspondence/outgoing/{id}/edit").await?;
    html(&form_page(&s, &p, to_form(&o.data), Some(id), o.number).await?)
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
            let number = outgoing::get(&s.db, id).await?.number;
            return invalid(&form_page(&s, &p, f, Some(id), number).await?);
        }
    };
    let form: OutgoingForm = forms::parse(&body)?;
    match letters::update_outgoing(&s, id, &form, &p.actor()).await {
        Ok(()) => to(format!("/correspondence/outgoing/{id}?saved=1")),
        Err(AppError::Invalid(e)) => {
            let number = outgoing::get(&s.db, id).await?.number;
            let f = FormView::from_body(&body).errors(e);
            invalid(&form_page(&s, &p, f, Some(id), number).await?)
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
    super::attach(&s, &p, Register::Outgoing, id, req).await
}
