//! Routing and feedback in the browser: departments, contractors, assignment rules and the
//! duty roster (administration); emergency alerts (a badge on every page, the alerts page,
//! acknowledgement); the card's rating, deferral and alert blocks; the applicant's rating
//! page behind the personal link.

use std::collections::BTreeMap;

use crate::extract::{Path, Query};
use crate::timeline;
use abonent_app::appeals::reference as change;
use abonent_app::appeals::work;
use abonent_domain::appeal::{Rating, Target};
use abonent_domain::{Permission, ValidationErrors};
use abonent_storage::appeals::routing::{
    self, Contractor, ContractorForm, Department, DepartmentForm, RuleForm, RuleRow, Staff,
    StaffForm,
};
use abonent_storage::appeals::{self, alerts, alerts::Alert, ratings, reference::Category};
use abonent_storage::history;
use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use axum::response::{Html, IntoResponse};
use axum::Extension;
use serde::Deserialize;

use crate::auth::Principal;
use crate::forms::{self, FormView};
use crate::pages::{html, invalid, layout, to, PageResult};
use crate::views::{self, local_time, HistoryView, Layout};
use crate::{AppError, AppState};

type Q = Query<BTreeMap<String, String>>;

fn id_of(v: &str) -> Option<i64> {
    v.trim().parse().ok()
}

fn ids_of(v: &str) -> Vec<i64> {
    v.split([',', ' ', ';'])
        .filter_map(|s| s.trim().parse().ok())
        .collect()
}

fn on(v: &Option<String>) -> bool {
    v.is_some()
}

/// The redirect after a save, or the error page.
fn done(r: Result<String, AppError>) -> PageResult {
    match r {
        Ok(url) => to(url),
        Err(e) => Err(e.into()),
    }
}

// ------------------------------------------------------------ departments

#[derive(Template)]
#[template(path = "appeals/admin_departments.html")]
struct DepartmentsPage {
    l: Layout,
    rows: Vec<Department>,
    f: FormView,
    history: Vec<HistoryView>,
}

async fn departments_page(s: &AppState, p: &Principal, f: FormView, bad: bool) -> PageResult {
    let edit = id_of(f.v("id"));
    let history = match edit {
        Some(id) => {
            timeline::show(s, &history::for_card(&s.db, "department", id, 50).await?).await?
        }
        None => vec![],
    };
    let page = DepartmentsPage {
        l: layout(s, p, "Отделы и службы", "departments").await?,
        rows: routing::departments(&s.db).await?,
        f,
        history,
    };
    if bad {
        invalid(&page)
    } else {
        html(&page)
    }
}

pub async fn departments(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Query(q): Q,
) -> PageResult {
    let mut f = FormView::default();
    if let Some(d) = q.get("edit").and_then(|v| id_of(v)) {
        let d = routing::department(&s.db, d).await?;
        f.set("id", d.id.to_string());
        f.set("name", d.name);
        f.set("phone", d.phone.unwrap_or_default());
        f.set("email", d.email.unwrap_or_default());
        for (k, v) in [("is_dispatch", d.is_dispatch), ("active", d.active)] {
            if v {
                f.set(k, "on");
            }
        }
    } else {
        f.set("active", "on");
    }
    departments_page(&s, &p, f, false).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DepartmentBody {
    id: String,
    name: String,
    is_dispatch: Option<String>,
    phone: String,
    email: String,
    active: Option<String>,
}

pub async fn save_department(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    body: Bytes,
) -> PageResult {
    let b: DepartmentBody = forms::parse(&body)?;
    let form = DepartmentForm {
        name: b.name,
        is_dispatch: on(&b.is_dispatch),
        phone: b.phone,
        email: b.email,
        active: Some(on(&b.active)),
    };
    let r = change::save_department(&s, id_of(&b.id), &form, &p.actor())
        .await
        .map(|_| "/admin/departments?saved=1".to_string());
    let f = FormView::from_body(&body);
    match r {
        Err(AppError::Invalid(e)) => departments_page(&s, &p, f.errors(e), true).await,
        r => done(r),
    }
}

// ------------------------------------------------------------ contractors

#[derive(Template)]
#[template(path = "appeals/admin_contractors.html")]
struct ContractorsPage {
    l: Layout,
    rows: Vec<Contractor>,
    f: FormView,
    history: Vec<HistoryView>,
}

impl ContractorsPage {
    fn buildings(&self, ids: &[i64]) -> String {
        ids.iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

async fn contractors_page(s: &AppState, p: &Principal, f: FormView, bad: bool) -> PageResult {
    let history = match id_of(f.v("id")) {
        Some(id) => {
            timeline::show(s, &history::for_card(&s.db, "contractor", id, 50).await?).await?
        }
        None => vec![],
    };
    let page = ContractorsPage {
        l: layout(s, p, "Подрядчики", "contractors").await?,
        rows: routing::contractors(&s.db).await?,
        f,
        history,
    };
    if bad {
        invalid(&page)
    } else {
        html(&page)
    }
}

pub async fn contractors(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Query(q): Q,
) -> PageResult {
    let mut f = FormView::default();
    f.set("active", "on");
    if let Some(id) = q.get("edit").and_then(|v| id_of(v)) {
        let c = routing::contractor(&s.db, id).await?;
        f.set("id", c.id.to_string());
        f.set("name", c.name);
        f.set("inn", c.inn.unwrap_or_default());
        f.set("contact_person", c.contact_person.unwrap_or_default());
        f.set("phone", c.phone.unwrap_or_default());
        f.set("email", c.email.unwrap_or_default());
        f.set("services", c.services);
        f.set(
            "building_ids",
            c.building_ids
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(", "),
        );
        if !c.active {
            f.values.remove("active");
        }
    }
    contractors_page(&s, &p, f, false).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ContractorBody {
    id: String,
    name: String,
    inn: String,
    contact_person: String,
    phone: String,
    email: String,
    services: String,
    building_ids: String,
    active: Option<String>,
}

pub async fn save_contractor(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    body: Bytes,
) -> PageResult {
    let b: ContractorBody = forms::parse(&body)?;
    let form = ContractorForm {
        name: b.name,
        inn: b.inn,
        contact_person: b.contact_person,
        phone: b.phone,
        email: b.email,
        services: b.services,
        active: Some(on(&b.active)),
        building_ids: ids_of(&b.building_ids),
    };
    let r = work::save_contractor(&s, id_of(&b.id), &form, &p.actor())
        .await
        .map(|_| "/admin/contractors?saved=1".to_string());
    match r {
        Err(AppError::Invalid(e)) => {
            contractors_page(&s, &p, FormView::from_body(&body).errors(e), true).await
        }
        r => done(r),
    }
}

// ------------------------------------------------------------ assignment rules

#[derive(Template)]
#[template(path = "appeals/admin_rules.html")]
struct RulesPage {
    l: Layout,
    rows: Vec<RuleRow>,
    f: FormView,
    categories: Vec<Category>,
    departments: Vec<Department>,
    contractors: Vec<Contractor>,
    staff: Vec<Staff>,
}

impl RulesPage {
    fn problems(&self) -> Vec<String> {
        self.f.other_errors(&["building_id"])
    }
    fn kind(&self, t: &Target) -> &'static str {
        match t {
            Target::Department(_) => "отдел",
            Target::Contractor(_) => "подрядчик",
            Target::Staff(_) => "сотрудник",
        }
    }
}

/// A rule's building, chosen by street and house.
const RULE_PICKS: &[crate::pickers::Field] =
    &[("building_id", abonent_storage::suggest::PickKind::Building)];

async fn rules_page(s: &AppState, p: &Principal, mut f: FormView, bad: bool) -> PageResult {
    crate::pickers::fill_labels(s, &mut f, RULE_PICKS).await?;
    let page = RulesPage {
        l: layout(s, p, "Правила назначения", "assignment_rules").await?,
        rows: routing::rules(&s.db).await?,
        f,
        categories: appeals::reference::categories(&s.db).await?,
        departments: routing::departments(&s.db).await?,
        contractors: routing::contractors(&s.db).await?,
        staff: routing::staff(&s.db).await?,
    };
    if bad {
        invalid(&page)
    } else {
        html(&page)
    }
}

pub async fn rules(State(s): State<AppState>, Extension(p): Extension<Principal>) -> PageResult {
    rules_page(&s, &p, FormView::default(), false).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RuleBody {
    category_id: String,
    building_id: String,
    /// `department:3`, `contractor:5` or `staff:7`.
    target: String,
    note: String,
}

pub async fn add_rule(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    body: Bytes,
) -> PageResult {
    let body = match crate::pickers::posted(&s, &body, RULE_PICKS).await? {
        Ok(b) => b,
        Err(f) => return rules_page(&s, &p, f, true).await,
    };
    let b: RuleBody = forms::parse(&body)?;
    let (kind, id) = b.target.split_once(':').unwrap_or(("", ""));
    let id = id_of(id);
    let form = RuleForm {
        category_id: id_of(&b.category_id),
        building_id: id_of(&b.building_id),
        department_id: id.filter(|_| kind == "department"),
        contractor_id: id.filter(|_| kind == "contractor"),
        user_id: id.filter(|_| kind == "staff"),
        note: b.note,
    };
    let r = change::add_assignment_rule(&s, &form, &p.actor())
        .await
        .map(|_| "/admin/assignment-rules?saved=1".to_string());
    match r {
        Err(AppError::Invalid(e)) => {
            rules_page(&s, &p, FormView::from_body(&body).errors(e), true).await
        }
        r => done(r),
    }
}

pub async fn delete_rule(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> PageResult {
    change::delete_assignment_rule(&s, id, &p.actor()).await?;
    to("/admin/assignment-rules?saved=1".into())
}

// ------------------------------------------------------------ duty roster

#[derive(Template)]
#[template(path = "appeals/admin_duty.html")]
struct DutyPage {
    l: Layout,
    rows: Vec<Staff>,
    f: FormView,
    bad_id: i64,
}

impl DutyPage {
    fn problems(&self) -> Vec<String> {
        self.f.other_errors(&["building_id"])
    }
    fn role(&self, code: &str) -> &'static str {
        abonent_domain::Role::from_code(code).map_or("—", |r| r.title())
    }
}

pub async fn duty(State(s): State<AppState>, Extension(p): Extension<Principal>) -> PageResult {
    html(&DutyPage {
        l: layout(&s, &p, "Дежурные и контакты сотрудников", "duty").await?,
        rows: routing::staff(&s.db).await?,
        f: FormView::default(),
        bad_id: 0,
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DutyBody {
    on_duty: Option<String>,
    email: String,
    phone: String,
}

pub async fn save_duty(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    body: Bytes,
) -> PageResult {
    let b: DutyBody = forms::parse(&body)?;
    let form = StaffForm {
        on_duty: on(&b.on_duty),
        email: b.email,
        phone: b.phone,
    };
    match work::save_staff(&s, id, &form, &p.actor()).await {
        Ok(()) => to("/admin/duty?saved=1".into()),
        Err(AppError::Invalid(e)) => invalid(&DutyPage {
            l: layout(&s, &p, "Дежурные и контакты сотрудников", "duty").await?,
            rows: routing::staff(&s.db).await?,
            f: FormView::from_body(&body).errors(e),
            bad_id: id,
        }),
        Err(e) => Err(e.into()),
    }
}

// ------------------------------------------------------------ alerts

#[derive(Template)]
#[template(path = "appeals/alerts.html")]
struct AlertsPage {
    l: Layout,
    open: Vec<Alert>,
    recent: Vec<Alert>,
    can_ack: bool,
    tz: chrono_tz::Tz,
}

impl AlertsPage {
    fn when(&self, utc: &str) -> String {
        local_time(utc, self.tz)
    }
}

pub async fn alerts_page(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Query(q): Q,
) -> PageResult {
    let l = layout(&s, &p, "Аварийные оповещения", "alerts").await?;
    let l = match q.get("saved").map(String::as_str) {
        Some("ack") => l.flash("Оповещение подтверждено: вы приняли аварию в работу."),
        _ => l,
    };
    html(&AlertsPage {
        l,
        open: alerts::open(&s.db).await?,
        recent: alerts::recent(&s.db, 30).await?,
        can_ack: p.can(Permission::ProcessAppeals),
        tz: s.zone().await?,
    })
}

/// The badge on every page (htmx polls it): unacknowledged emergencies.
pub async fn badge(State(s): State<AppState>, Extension(p): Extension<Principal>) -> PageResult {
    if !p.can(Permission::ViewAppeals) {
        return Ok(Html(String::new()).into_response());
    }
    let n = alerts::open(&s.db).await?.len();
    let body = if n == 0 {
        String::new()
    } else {
        format!(
            "<a class=\"badge badge-danger alert-badge\" href=\"/alerts\" role=\"alert\">Авария: не подтверждено {}</a>",
            crate::format::grouped(n)
        )
    };
    Ok(Html(body).into_response())
}

pub async fn acknowledge(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    Query(q): Q,
) -> PageResult {
    match work::acknowledge_alert(&s, id, &p.actor()).await {
        Ok(a) if q.get("back").is_some_and(|b| b == "card") => {
            to(format!("/appeals/{}?saved=status", a.appeal_id))
        }
        Ok(_) => to("/alerts?saved=ack".into()),
        // Someone was faster: show the list, where the alert is no longer open.
        Err(AppError::Invalid(_)) => to("/alerts".into()),
        Err(e) => Err(e.into()),
    }
}

// ------------------------------------------------------------ the card's blocks

#[derive(Template)]
#[template(path = "appeals/feedback.html")]
struct FeedbackBlock {
    id: i64,
    csrf: String,
    status: String,
    rating: String,
    rating_via: String,
    alerts: Vec<Alert>,
    can_process: bool,
    tz: chrono_tz::Tz,
}

impl FeedbackBlock {
    fn when(&self, utc: &str) -> String {
        local_time(utc, self.tz)
    }
    fn done(&self) -> bool {
        matches!(self.status.as_str(), "done" | "quality_checked" | "closed")
    }
    fn open(&self) -> bool {
        matches!(
            self.status.as_str(),
            "registered" | "assigned" | "in_progress" | "reopened"
        )
    }
}

async fn feedback_block(s: &AppState, p: &Principal, id: i64) -> Result<FeedbackBlock, AppError> {
    let a = appeals::get(&s.db, id).await?;
    let rating = match (a.rating, a.not_fixed) {
        (_, true) => "не устранено".to_string(),
        (Some(m), _) => format!("{m} из 5"),
        _ => String::new(),
    };
    Ok(FeedbackBlock {
        id,
        csrf: p.csrf.clone().unwrap_or_default(),
        status: a.status,
        rating,
        rating_via: match ratings::rating_via(&s.db, id).await?.as_deref() {
            Some("link") => "по ссылке".into(),
            Some("phone") => "по телефону".into(),
            _ => String::new(),
        },
        alerts: alerts::of_appeal(&s.db, id).await?,
        can_process: p.can(Permission::ProcessAppeals),
        tz: s.zone().await?,
    })
}

/// Alerts, rating and deferral of the card, loaded into it by htmx.
pub async fn feedback(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> PageResult {
    html(&feedback_block(&s, &p, id).await?)
}

#[derive(Template)]
#[template(path = "appeals/executors.html")]
struct ExecutorsBlock {
    departments: Vec<Department>,
    contractors: Vec<Contractor>,
    department_id: Option<i64>,
    contractor_id: Option<i64>,
}

impl ExecutorsBlock {
    fn is_department(&self, id: &i64) -> bool {
        self.department_id == Some(*id)
    }
    fn is_contractor(&self, id: &i64) -> bool {
        self.contractor_id == Some(*id)
    }
}

/// Department and contractor selects for the card's status form (reassignment).
pub async fn executors(State(s): State<AppState>, Path(id): Path<i64>) -> PageResult {
    let a = appeals::get(&s.db, id).await?;
    html(&ExecutorsBlock {
        departments: routing::departments(&s.db)
            .await?
            .into_iter()
            .filter(|d| d.active)
            .collect(),
        contractors: routing::contractors(&s.db)
            .await?
            .into_iter()
            .filter(|c| c.active)
            .collect(),
        department_id: a.department_id,
        contractor_id: a.contractor_id,
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RatingBody {
    rating: String,
}

/// The applicant's answer given by phone, recorded by the specialist.
pub async fn rate_by_phone(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    body: Bytes,
) -> PageResult {
    let b: RatingBody = forms::parse(&body)?;
    let Some(rating) = Rating::parse(&b.rating) else {
        return Err(AppError::Invalid(ValidationErrors::single(
            "rating",
            "Выберите оценку от 1 до 5 или «не устранено».",
        ))
        .into());
    };
    work::rate_by_phone(&s, id, rating, &p.actor()).await?;
    to(format!("/appeals/{id}?saved=status"))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DeferBody {
    /// Local date and time from `<input type="datetime-local">`.
    deadline: String,
    reason: String,
}

/// A local `2026-12-05T18:00` in the organization's zone, as UTC.
pub fn parse_local(v: &str, zone: chrono_tz::Tz) -> Option<chrono::DateTime<chrono::Utc>> {
    let v = v.trim();
    let t = chrono::NaiveDateTime::parse_from_str(v, "%Y-%m-%dT%H:%M")
        .or_else(|_| chrono::NaiveDateTime::parse_from_str(v, "%Y-%m-%dT%H:%M:%S"))
        .ok()?;
    Some(abonent_domain::deadline::from_local(&zone, t).with_timezone(&chrono::Utc))
}

pub async fn defer(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    body: Bytes,
) -> PageResult {
    let b: DeferBody = forms::parse(&body)?;
    let Some(at) = parse_local(&b.deadline, s.zone().await?) else {
        return Err(AppError::Invalid(ValidationErrors::single(
            "deadline",
            "Укажите новый срок: дату и время.",
        ))
        .into());
    };
    work::defer(&s, id, at, &b.reason, p.role, &p.actor()).await?;
    to(format!("/appeals/{id}?saved=status"))
}

// ------------------------------------------------------------ the applicant's rating page

#[derive(Template)]
#[template(path = "appeals/rate.html")]
struct RatePage {
    token: String,
    /// A staff member's browser opening the link has a session: its forms need the token.
    csrf: String,
    view: Option<ratings::LinkView>,
    /// The choice waiting for confirmation.
    confirm: Option<(String, String)>,
    done: String,
    error: String,
}

fn public_page(t: &RatePage, status: axum::http::StatusCode) -> PageResult {
    Ok((status, Html(views::render(t))).into_response())
}

fn csrf_of(p: &Option<Extension<Principal>>) -> String {
    p.as_ref()
        .and_then(|Extension(p)| p.csrf.clone())
        .unwrap_or_default()
}

/// GET never votes: mail scanners open links. It shows the question.
pub async fn rate_page(
    State(s): State<AppState>,
    p: Option<Extension<Principal>>,
    Path(token): Path<String>,
) -> PageResult {
    let view = match ratings::link(&s.db, &token).await {
        Ok(v) => Some(v),
        Err(abonent_storage::StoreError::NotFound(_)) => None,
        Err(e) => return Err(AppError::from(e).into()),
    };
    let status = if view.is_some() {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::NOT_FOUND
    };
    public_page(
        &RatePage {
            token,
            csrf: csrf_of(&p),
            view,
            confirm: None,
            done: String::new(),
            error: String::new(),
        },
        status,
    )
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RateBody {
    rating: String,
    confirm: String,
}

/// First POST: the choice, asked to confirm. Second POST (`confirm=yes`): recorded.
pub async fn rate(
    State(s): State<AppState>,
    p: Option<Extension<Principal>>,
    Path(token): Path<String>,
    body: Bytes,
) -> PageResult {
    let b: RateBody = forms::parse(&body)?;
    let view = ratings::link(&s.db, &token).await.map_err(AppError::from)?;
    let mut page = RatePage {
        token: token.clone(),
        csrf: csrf_of(&p),
        view: Some(view),
        confirm: None,
        done: String::new(),
        error: String::new(),
    };
    let Some(rating) = Rating::parse(&b.rating) else {
        page.error = "Выберите оценку от 1 до 5 или «Не устранено».".into();
        return public_page(&page, axum::http::StatusCode::UNPROCESSABLE_ENTITY);
    };
    if b.confirm != "yes" {
        page.confirm = Some((b.rating.trim().to_string(), rating.title()));
        return public_page(&page, axum::http::StatusCode::OK);
    }
    match work::rate_by_link(&s, &token, rating).await {
        Ok(a) => {
            page.done = if a.status == "reopened" {
                "Спасибо. Обращение открыто повторно: с вами свяжутся.".into()
            } else {
                "Спасибо за оценку!".into()
            };
            public_page(&page, axum::http::StatusCode::OK)
        }
        Err(AppError::Invalid(e)) => {
            page.error = e.0.first().map(|f| f.message.clone()).unwrap_or_default();
            public_page(&page, axum::http::StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(e) => Err(e.into()),
    }
}
