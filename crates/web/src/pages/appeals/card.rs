//! The card of an appeal: the workflow (status changes with what each needs), comments,
//! attachments, history, the incident proposal and the complaint act issued from it.

use abonent_app::privacy::{RecordKind, Shown};
use std::collections::BTreeMap;

use crate::extract::{Path, Query};
use crate::timeline;
use abonent_app::appeals::work;
use abonent_domain::appeal::{allowed_targets, AppealKind, Status};
use abonent_domain::ValidationErrors;
use abonent_storage::appeals::{self, Appeal, StatusChange};
use abonent_storage::registry::PageReq;
use abonent_storage::{history, users};
use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use axum::Extension;
use serde::Deserialize;

use super::{id_field, Opt};
use crate::auth::Principal;
use crate::forms::{self, FormView};
use crate::pages::{flash_of, html, invalid, layout, to, PageResult};
use crate::views::{local_time, HistoryView, Layout};
use crate::{AppError, AppState};

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
    /// Now by the app's clock, as stored: what "overdue" is measured against.
    now: String,
    /// The complaint act and reply letters issued for this appeal.
    docs: Vec<abonent_storage::documents::Document>,
    can_issue: bool,
    /// Deferrals and reopenings of the deadline.
    moves: Vec<appeals::deadlines::DeadlineMove>,
    priorities: Vec<Opt>,
}

shows!(Card);

impl Card {
    fn is_executor(&self, id: &i64) -> bool {
        self.a.executor_id == Some(*id)
    }
    fn overdue(&self) -> bool {
        self.a.overdue(&self.now)
    }
    fn localisation_overdue(&self) -> bool {
        self.a.localisation_overdue(&self.now)
    }
    fn is_open(&self) -> bool {
        Status::from_code(&self.a.status).is_some_and(Status::is_open)
    }
    fn sender(&self, code: &str) -> &'static str {
        abonent_domain::correspondence::SenderKind::from_code(code).map_or("—", |k| k.title())
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
    // The applicant's name, contacts and address, free text or a registry person (152-ФЗ).
    let shown = Shown::default().with(RecordKind::Appeal, [a.id]);
    abonent_app::privacy::record_views_of(s, &p.actor(), shown, "GET /appeals/{id}").await?;
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
        l: layout(s, p, format!("Обращение № {}", a.number), "appeals")
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
        history: timeline::show(s, &history::for_card(&s.db, "appeal", id, 100).await?).await?,
        files: appeals::files::of_appeal(&s.db, id).await?,
        proposal: appeals::incidents::proposal_for(&s.db, id).await?,
        tz: zone,
        now: s.db.now_text(),
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
        moves: appeals::deadlines::moves(&s.db, id).await?,
        priorities: super::priorities(),
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
        Some("localised") => "Авария отмечена локализованной.",
        Some("priority") => "Приоритет изменён, срок пересчитан; причина записана в историю.",
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
    match work::change_status(&s, id, &ch, p.role, &p.actor()).await {
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
    match work::comment(&s, id, form.to_applicant.is_some(), &form.body, &p.actor()).await {
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
    let r = abonent_app::documents::issue::IssueRequest {
        kind: abonent_documents::DocKind::ComplaintAct.code().into(),
        appeal_id: Some(id),
        ..Default::default()
    };
    match abonent_app::documents::issue::issue(&s, &r, &p.actor()).await {
        Ok(d) => to(format!("/documents/{}?saved=issued", d.id)),
        Err(AppError::Invalid(e)) => {
            card(&s, &p, id, FormView::default().errors(e), "", true).await
        }
        Err(e) => Err(e.into()),
    }
}

/// «Авария локализована»: the first deadline of ПП 416 п. 13 is met (or late) now.
pub async fn localised(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> PageResult {
    match work::localised(&s, id, &p.actor()).await {
        Ok(_) => to(format!("/appeals/{id}?saved=localised")),
        Err(AppError::Invalid(e)) => {
            card(&s, &p, id, FormView::default().errors(e), "", true).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PriorityForm {
    priority: String,
    priority_reason: String,
}

/// A change of priority with its reason (a downgraded emergency, most often).
pub async fn priority(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    body: Bytes,
) -> PageResult {
    let form: PriorityForm = forms::parse(&body)?;
    let f = FormView::from_body(&body);
    let Some(to_priority) = abonent_domain::appeal::Priority::from_code(&form.priority) else {
        let e = ValidationErrors::single("priority", "Выберите приоритет из списка.");
        return card(&s, &p, id, f.errors(e), "", true).await;
    };
    match abonent_app::appeals::change_priority(
        &s,
        id,
        to_priority,
        &form.priority_reason,
        &p.actor(),
    )
    .await
    {
        Ok(_) => to(format!("/appeals/{id}?saved=priority")),
        Err(AppError::Invalid(mut e)) => {
            // The form names its reason field apart from the status form's «reason».
            for fe in &mut e.0 {
                if fe.field == "reason" {
                    fe.field = "priority_reason".into();
                }
            }
            card(&s, &p, id, f.errors(e), "", true).await
        }
        Err(e) => Err(e.into()),
    }
}
