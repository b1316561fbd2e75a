//! «Консультации» (issue 20 §6): the screen a specialist fills while the caller is on the
//! line — the topic from the category tree, the question, the answer given, whether a
//! written answer was promised — and the list of recent consultations.

use std::collections::BTreeMap;

use abonent_app::consultations::{self as app_consultations, ConsultationForm};
use abonent_domain::appeal::Channel;
use abonent_storage::appeals::{self, reference::Category};
use abonent_storage::consultations::{self, Consultation};
use abonent_storage::registry::account;
use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use axum::Extension;

use crate::auth::Principal;
use crate::extract::Query;
use crate::forms::FormView;
use crate::pages::{html, invalid, layout, to, PageResult};
use crate::views::{self, Layout};
use crate::{AppError, AppState};

/// A row of the list.
pub struct Row {
    pub appeal_id: i64,
    pub number: String,
    pub at: String,
    pub topic: String,
    pub question: String,
    pub answer: String,
    /// Knowledge-base articles used.
    pub articles: Vec<i64>,
    pub state: String,
}

fn row(c: &Consultation, tz: chrono_tz::Tz) -> Row {
    let state = if !c.written_promised {
        "ответ дан при обращении".to_string()
    } else if c.status == "closed" || c.status == "done" {
        "письменный ответ дан".to_string()
    } else {
        match &c.deadline_at {
            Some(d) => format!("обещан письменный ответ до {}", views::local_time(d, tz)),
            None => "обещан письменный ответ".to_string(),
        }
    };
    Row {
        appeal_id: c.appeal_id,
        number: c.number.clone(),
        at: views::local_time(&c.created_at, tz),
        topic: c.topic.clone().unwrap_or_else(|| "без темы".into()),
        question: c.question.clone(),
        answer: c.answer.clone(),
        articles: c.articles.clone(),
        state,
    }
}

#[derive(Template)]
#[template(path = "consultations/page.html")]
struct Page {
    l: Layout,
    f: FormView,
    /// The caller's account, when the screen was opened from it: (id, «ЛС 1001 · адрес»).
    account: Option<(i64, String)>,
    categories: Vec<Category>,
    rows: Vec<Row>,
}

async fn page(
    s: &AppState,
    p: &Principal,
    f: FormView,
    flash: String,
) -> Result<Page, crate::PageError> {
    let account_id = f.v("account_id").trim().parse::<i64>().ok();
    let account = match account_id {
        Some(id) => {
            let a = account::get(&s.db, id).await.map_err(AppError::from)?;
            Some((id, format!("ЛС {} · {}", a.data.number, a.address)))
        }
        None => None,
    };
    let tz = s.zone().await?;
    let rows = consultations::list(&s.db, account_id, 50)
        .await
        .map_err(AppError::from)?
        .iter()
        .map(|c| row(c, tz))
        .collect();
    Ok(Page {
        l: layout(s, p, "Консультации", "appeals").await?.flash(flash),
        f,
        account,
        categories: appeals::reference_admin::choosable_categories(&s.db)
            .await
            .map_err(AppError::from)?,
        rows,
    })
}

/// GET /consultations[?account_id=…]: the form and the recent consultations.
pub async fn show(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Query(q): Query<BTreeMap<String, String>>,
) -> PageResult {
    let f = FormView::with([("account_id", q.get("account_id").cloned())]);
    let flash = match q.get("saved").and_then(|v| v.parse::<i64>().ok()) {
        Some(id) => match consultations::get(&s.db, id)
            .await
            .map_err(AppError::from)?
        {
            Some(c) if c.written_promised => format!(
                "Консультация записана: обращение № {}, письменный ответ — в срок обращения.",
                c.number
            ),
            Some(c) => format!("Консультация записана и закрыта: обращение № {}.", c.number),
            None => String::new(),
        },
        None => String::new(),
    };
    html(&page(&s, &p, f, flash).await?)
}

/// POST /consultations: records it; a bad field is shown at its place, nothing saved.
pub async fn create(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    body: Bytes,
) -> PageResult {
    let f = FormView::from_body(&body);
    let id = |k: &str| f.v(k).trim().parse::<i64>().ok();
    let form = ConsultationForm {
        account_id: id("account_id"),
        person_id: None,
        applicant_name: f.v("applicant_name").to_string(),
        applicant_phone: f.v("applicant_phone").to_string(),
        category_id: id("category_id"),
        channel: Channel::from_code(f.v("channel")),
        question: f.v("question").to_string(),
        answer: f.v("answer").to_string(),
        written_promised: f.checked("written_promised"),
        // The suggested articles marked «использована в ответе».
        articles: f
            .values
            .iter()
            .filter(|(k, v)| k.starts_with("article_") && v.as_str() == "on")
            .filter_map(|(k, _)| k["article_".len()..].parse().ok())
            .collect(),
    };
    match app_consultations::record(&s, &form, p.role, &p.actor()).await {
        Ok(r) => {
            let back = form
                .account_id
                .map(|a| format!("&account_id={a}"))
                .unwrap_or_default();
            to(format!("/consultations?saved={}{back}", r.appeal_id))
        }
        Err(AppError::Invalid(e)) => invalid(&page(&s, &p, f.errors(e), String::new()).await?),
        Err(e) => Err(e.into()),
    }
}
