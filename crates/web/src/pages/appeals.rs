//! The appeals register in the browser: the views, the intake screen built for a phone call,
//! the card with the workflow, comments and history.

use std::collections::BTreeMap;

use abonent_domain::appeal::{allowed_targets, classify, AppealKind, Channel, Priority, Status};
use abonent_domain::ValidationErrors;
use abonent_storage::appeals::{
    self, reference::Category, Appeal, AppealFilter, AppealListItem, NewAppeal, StatusChange, View,
};
use abonent_storage::registry::{Page, PageReq};
use abonent_storage::{history, users};
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::Extension;
use serde::Deserialize;

use super::{flash_of, html, invalid, layout, to, PageResult};
use crate::auth::Principal;
use crate::forms::{self, FormView};
use crate::views::{self, local_time, HistoryView, Layout, ListQuery, PagerItem};
use crate::{AppError, AppState};

/// A code and its Russian title, for selects and badges.
pub struct Opt {
    pub code: &'static str,
    pub title: &'static str,
}

pub(crate) fn kinds() -> Vec<Opt> {
    AppealKind::ALL
        .iter()
        .map(|k| Opt {
            code: k.code(),
            title: k.title(),
        })
        .collect()
}
pub(crate) fn channels() -> Vec<Opt> {
    Channel::ALL
        .iter()
        .map(|k| Opt {
            code: k.code(),
            title: k.title(),
        })
        .collect()
}
pub(crate) fn statuses() -> Vec<Opt> {
    Status::ALL
        .iter()
        .map(|k| Opt {
            code: k.code(),
            title: k.title(),
        })
        .collect()
}
pub(crate) fn priorities() -> Vec<Opt> {
    Priority::ALL
        .iter()
        .map(|k| Opt {
            code: k.code(),
            title: k.title(),
        })
        .collect()
}

pub fn status_title(code: &str) -> &'static str {
    Status::from_code(code).map_or("—", Status::title)
}
pub fn kind_title(code: &str) -> &'static str {
    AppealKind::from_code(code).map_or("—", AppealKind::title)
}
pub fn priority_title(code: &str) -> &'static str {
    Priority::from_code(code).map_or("—", Priority::title)
}

const VIEWS: [(&str, &str); 6] = [
    ("open", "Открытые"),
    ("overdue", "Просроченные"),
    ("at_risk", "Под угрозой срока"),
    ("emergencies", "Аварийные"),
    ("mine", "Мои"),
    ("all", "Все"),
];

#[derive(Template)]
#[template(path = "appeals/list.html")]
struct ListPage {
    l: Layout,
    page: Page<AppealListItem>,
    q: ListQuery,
    pager: Vec<PagerItem>,
    view: String,
    views: Vec<(&'static str, &'static str)>,
    kinds: Vec<Opt>,
    tz: chrono_tz::Tz,
    o: super::appeals_bulk::JournalOptions,
    o_statuses: Vec<Opt>,
    o_priorities: Vec<Opt>,
    /// The query string of this view: the bulk form returns to it.
    back: String,
    /// Why the bulk action changed nothing (shown above the table).
    bulk_error: String,
    can_process: bool,
}

/// What list and card templates show: local times and Russian titles of codes.
macro_rules! shows {
    ($t:ty) => {
        impl $t {
            fn when(&self, utc: &str) -> String {
                local_time(utc, self.tz)
            }
            fn when_opt(&self, utc: &Option<String>) -> String {
                utc.as_deref()
                    .map_or_else(|| "—".into(), |t| local_time(t, self.tz))
            }
            fn status(&self, code: &str) -> &'static str {
                status_title(code)
            }
            #[allow(dead_code)]
            fn kind(&self, code: &str) -> &'static str {
                kind_title(code)
            }
            #[allow(dead_code)]
            fn priority(&self, code: &str) -> &'static str {
                priority_title(code)
            }
        }
    };
}

shows!(ListPage);

pub fn filter_of(q: &ListQuery) -> AppealFilter {
    let view: View = serde_json::from_value(serde_json::Value::String(q.get("view").to_string()))
        .unwrap_or(View::Open);
    let some = |k: &str| Some(q.get(k).to_string()).filter(|v| !v.is_empty());
    AppealFilter {
        view,
        q: some("q"),
        kind: some("kind"),
        status: some("status"),
        priority: some("priority"),
        category_id: q.get("category_id").parse().ok(),
        building_id: q.get("building_id").parse().ok(),
        department_id: q.get("department_id").parse().ok(),
        contractor_id: q.get("contractor_id").parse().ok(),
        executor_id: q.get("executor_id").parse().ok(),
        person_id: q.get("person_id").parse().ok(),
        account_id: q.get("account_id").parse().ok(),
    }
}

pub async fn list(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Query(params): Query<BTreeMap<String, String>>,
) -> PageResult {
    let bulk_error = String::new();
    html(&list_page(&s, &p, &params, bulk_error).await?)
}

/// The journal for a query string; `bulk_error` when a bulk action was refused.
pub(crate) async fn list_page(
    s: &AppState,
    p: &Principal,
    params: &BTreeMap<String, String>,
    bulk_error: String,
) -> Result<impl Template, crate::error::PageError> {
    let q = ListQuery::new("/appeals", params);
    let filter = filter_of(&q);
    let page = appeals::list(
        &s.db,
        &filter,
        PageReq::new(q.get("page").parse().ok(), None),
        p.user_id,
    )
    .await?;
    let pager = views::pager(&q, page.page, page.pages());
    let view = match q.get("view") {
        "" => "open".to_string(),
        v => v.to_string(),
    };
    let back = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(q.params.iter().filter(|(k, _)| *k != "bulk"))
        .finish();
    let mut l = layout(&s.db, p, "Обращения", "appeals").await?;
    if let Some(n) = params.get("bulk") {
        l = l.flash(format!("Изменено обращений: {n}."));
    }
    Ok(ListPage {
        l,
        page,
        pager,
        view,
        views: VIEWS.to_vec(),
        kinds: kinds(),
        tz: s.zone().await?,
        o: super::appeals_bulk::JournalOptions::load(&s.db).await?,
        o_statuses: statuses(),
        o_priorities: priorities(),
        back,
        bulk_error,
        can_process: p.can(abonent_domain::Permission::ProcessAppeals),
        q,
    })
}

#[derive(Template)]
#[template(path = "appeals/new.html")]
struct NewPage {
    l: Layout,
    f: FormView,
    kinds: Vec<Opt>,
    channels: Vec<Opt>,
    priorities: Vec<Opt>,
    categories: Vec<Category>,
}

async fn new_page(s: &AppState, p: &Principal, f: FormView, status_invalid: bool) -> PageResult {
    let page = NewPage {
        l: layout(&s.db, p, "Новое обращение", "appeals").await?,
        f,
        kinds: kinds(),
        channels: channels(),
        priorities: priorities(),
        categories: appeals::reference_admin::choosable_categories(&s.db).await?,
    };
    if status_invalid {
        invalid(&page)
    } else {
        html(&page)
    }
}

pub async fn new(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Query(q): Query<BTreeMap<String, String>>,
) -> PageResult {
    let mut f = FormView::default();
    for k in [
        "account_id",
        "person_id",
        "premises_id",
        "building_id",
        "applicant_phone",
    ] {
        if let Some(v) = q.get(k) {
            f.set(k, v.clone());
        }
    }
    f.set("kind", "request");
    f.set("channel", "phone");
    f.set("priority", "normal");
    new_page(&s, &p, f, false).await
}

/// The intake form as posted: every value is text until checked.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct IntakeForm {
    kind: String,
    channel: String,
    priority: String,
    category_id: String,
    building_id: String,
    premises_id: String,
    account_id: String,
    person_id: String,
    address_text: String,
    applicant_name: String,
    applicant_phone: String,
    applicant_email: String,
    anonymous: Option<String>,
    applicant_consent: Option<String>,
    substance: String,
}

fn id_field(e: &mut ValidationErrors, field: &str, v: &str) -> Option<i64> {
    let v = v.trim();
    if v.is_empty() {
        return None;
    }
    match v.parse() {
        Ok(id) => Some(id),
        Err(_) => {
            e.add(field, "Выберите значение из списка.");
            None
        }
    }
}

impl IntakeForm {
    fn to_new(&self) -> Result<NewAppeal, ValidationErrors> {
        let mut e = ValidationErrors::new();
        let a = NewAppeal {
            kind: AppealKind::from_code(&self.kind),
            channel: Channel::from_code(&self.channel),
            priority: Priority::from_code(&self.priority),
            category_id: id_field(&mut e, "category_id", &self.category_id),
            building_id: id_field(&mut e, "building_id", &self.building_id),
            premises_id: id_field(&mut e, "premises_id", &self.premises_id),
            account_id: id_field(&mut e, "account_id", &self.account_id),
            person_id: id_field(&mut e, "person_id", &self.person_id),
            address_text: self.address_text.clone(),
            applicant_name: self.applicant_name.clone(),
            applicant_phone: self.applicant_phone.clone(),
            applicant_email: self.applicant_email.clone(),
            anonymous: self.anonymous.is_some(),
            applicant_consent: self.applicant_consent.is_some(),
            substance: self.substance.clone(),
            received_at: None,
        };
        e.into_result(a)
    }
}

pub async fn create(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    body: Bytes,
) -> PageResult {
    let form: IntakeForm = forms::parse(&body)?;
    let f = FormView::from_body(&body);
    let new = match form.to_new() {
        Ok(n) => n,
        Err(e) => return new_page(&s, &p, f.errors(e), true).await,
    };
    match appeals::register(&s.db, &new, &p.actor())
        .await
        .map_err(AppError::from)
    {
        Ok(r) => to(format!("/appeals/{}?saved=registered", r.id)),
        Err(AppError::Invalid(e)) => new_page(&s, &p, f.errors(e), true).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "appeals/suggestion.html")]
struct SuggestionPanel {
    category: String,
    title: String,
    emergency: bool,
    matched: String,
}

/// The classifier's suggestion for the substance being typed.
pub async fn suggest(
    State(s): State<AppState>,
    Query(q): Query<BTreeMap<String, String>>,
) -> PageResult {
    let text = q.get("substance").map(String::as_str).unwrap_or("");
    let sug = classify(text);
    let title = appeals::reference::categories(&s.db)
        .await?
        .into_iter()
        .find(|c| c.code == sug.category)
        .map(|c| c.title)
        .unwrap_or_default();
    html(&SuggestionPanel {
        category: sug.category,
        title,
        emergency: sug.emergency && !text.trim().is_empty(),
        // Phrases are stems with «*»; «…» reads as «and so on» to a person.
        matched: sug.matched.join(", ").replace('*', "…"),
    })
}

#[derive(Template)]
#[template(path = "appeals/card.html")]
struct Card {
    l: Layout,
    a: Appeal,
    f: FormView,
    targets: Vec<Opt>,
    staff: Vec<users::User>,
    comments: Vec<CommentView>,
    history: Vec<HistoryView>,
    files: Vec<appeals::files::AppealFile>,
    proposal: Option<appeals::incidents::Proposal>,
    tz: chrono_tz::Tz,
    /// The complaint act and reply letters issued for this appeal.
    docs: Vec<abonent_storage::documents::Document>,
    can_issue: bool,
}

shows!(Card);

impl Card {
    fn is_executor(&self, id: &i64) -> bool {
        self.a.executor_id == Some(*id)
    }
    fn overdue(&self) -> bool {
        Status::from_code(&self.a.status).is_some_and(Status::clock_runs)
            && self
                .a
                .deadline_at
                .as_deref()
                .is_some_and(|d| d < abonent_storage::time::now_text().as_str())
    }
}

pub struct CommentView {
    pub at: String,
    pub who: String,
    pub to_applicant: bool,
    pub body: String,
}

pub(crate) async fn card(
    s: &AppState,
    p: &Principal,
    id: i64,
    f: FormView,
    flash: &str,
    bad: bool,
) -> PageResult {
    let a = appeals::get(&s.db, id).await?;
    let zone = s.zone().await?;
    let kind = AppealKind::from_code(&a.kind).unwrap_or(AppealKind::Request);
    let targets = Status::from_code(&a.status)
        .map(|st| allowed_targets(kind, st))
        .unwrap_or(&[])
        .iter()
        .filter(|t| p.role != abonent_domain::Role::Auditor || t.is_final())
        .map(|t| Opt {
            code: t.code(),
            title: t.title(),
        })
        .collect();
    let comments = appeals::comments(&s.db, id)
        .await?
        .into_iter()
        .map(|c| CommentView {
            at: local_time(&c.created_at, zone),
            who: c.author,
            to_applicant: c.kind == "to_applicant",
            body: c.body,
        })
        .collect();
    let page = Card {
        l: layout(&s.db, p, format!("Обращение № {}", a.number), "appeals")
            .await?
            .flash(flash),
        a,
        f,
        targets,
        staff: users::list(&s.db)
            .await?
            .into_iter()
            .filter(|u| u.active)
            .collect(),
        comments,
        history: views::history_views(&history::for_card(&s.db, "appeal", id, 100).await?, zone),
        files: appeals::files::of_appeal(&s.db, id).await?,
        proposal: appeals::incidents::proposal_for(&s.db, id).await?,
        tz: zone,
        docs: abonent_storage::documents::list(
            &s.db,
            &abonent_storage::documents::DocumentFilter {
                appeal_id: Some(id),
                ..Default::default()
            },
            PageReq::new(None, Some(100)),
        )
        .await?
        .items,
        can_issue: p.can(abonent_domain::Permission::IssueDocuments),
    };
    if bad {
        invalid(&page)
    } else {
        html(&page)
    }
}

pub async fn show(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    Query(q): Query<BTreeMap<String, String>>,
) -> PageResult {
    let flash = match q.get("saved").map(String::as_str) {
        Some("registered") => "Обращение зарегистрировано. Сообщите заявителю номер и срок.",
        Some("status") => "Статус изменён.",
        Some("comment") => "Комментарий добавлен.",
        Some("file") => "Файл приложен.",
        _ => flash_of(&q),
    };
    card(&s, &p, id, FormView::default(), flash, false).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct StatusForm {
    to: String,
    reason: String,
    result: String,
    quality_ok: Option<String>,
    quality_comment: String,
    executor_id: String,
    department_id: String,
    contractor_id: String,
    merged_into: String,
    cause: String,
    responsible: String,
    parties: String,
    decision: String,
}

fn opt_text(s: &str) -> Option<String> {
    Some(s.trim().to_string()).filter(|s| !s.is_empty())
}

pub async fn change_status(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    body: Bytes,
) -> PageResult {
    let form: StatusForm = forms::parse(&body)?;
    let f = FormView::from_body(&body);
    let mut e = ValidationErrors::new();
    let ch = StatusChange {
        to: Status::from_code(&form.to),
        reason: opt_text(&form.reason),
        result: opt_text(&form.result),
        quality_ok: form.quality_ok.as_ref().map(|v| v == "yes"),
        quality_comment: opt_text(&form.quality_comment),
        executor_id: id_field(&mut e, "executor_id", &form.executor_id),
        department_id: id_field(&mut e, "department_id", &form.department_id),
        contractor_id: id_field(&mut e, "contractor_id", &form.contractor_id),
        merged_into: id_field(&mut e, "merged_into", &form.merged_into),
        cause: opt_text(&form.cause),
        responsible: opt_text(&form.responsible),
        parties: opt_text(&form.parties),
        decision: opt_text(&form.decision),
    };
    if !e.is_empty() {
        return card(&s, &p, id, f.errors(e), "", true).await;
    }
    // The card's selects show the current department and contractor: unchanged is no change.
    let mut ch = ch;
    let current = appeals::get(&s.db, id).await?;
    if ch.department_id == current.department_id {
        ch.department_id = None;
    }
    if ch.contractor_id == current.contractor_id {
        ch.contractor_id = None;
    }
    match appeals::change_status(&s.db, id, &ch, p.role, &p.actor())
        .await
        .map_err(AppError::from)
    {
        Ok(_) => to(format!("/appeals/{id}?saved=status")),
        Err(AppError::Invalid(e)) => card(&s, &p, id, f.errors(e), "", true).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct CommentForm {
    body: String,
    to_applicant: Option<String>,
}

pub async fn comment(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    body: Bytes,
) -> PageResult {
    let form: CommentForm = forms::parse(&body)?;
    let f = FormView::from_body(&body);
    match appeals::comment(
        &s.db,
        id,
        form.to_applicant.is_some(),
        &form.body,
        &p.actor(),
    )
    .await
    .map_err(AppError::from)
    {
        Ok(_) => to(format!("/appeals/{id}?saved=comment")),
        Err(AppError::Invalid(e)) => card(&s, &p, id, f.errors(e), "", true).await,
        Err(e) => Err(e.into()),
    }
}

/// The act of a complaint's outcome, issued from the card.
pub async fn complaint_act(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> PageResult {
    let r = crate::issue::IssueRequest {
        kind: abonent_documents::DocKind::ComplaintAct.code().into(),
        appeal_id: Some(id),
        ..Default::default()
    };
    match crate::issue::issue(&s, &r, &p.actor()).await {
        Ok(d) => to(format!("/documents/{}?saved=issued", d.id)),
        Err(AppError::Invalid(e)) => {
            card(&s, &p, id, FormView::default().errors(e), "", true).await
        }
        Err(e) => Err(e.into()),
    }
}
