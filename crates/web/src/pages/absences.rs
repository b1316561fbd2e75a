//! «Заявление о временном отсутствии» (issue 20 §3): registered from the account card as an
//! appeal, its card with the recalculation the rules compute, approve / refuse / post.

use std::collections::BTreeMap;

use abonent_app::absences as app_absences;
use abonent_domain::absence::{words, ApplicationForm};
use abonent_domain::appeal::Channel;
use abonent_domain::quality::Service;
use abonent_domain::Permission;
use abonent_storage::registry::{account, link, Account};
use abonent_storage::{absences, history, ledger};
use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use axum::Extension;

use crate::auth::Principal;
use crate::extract::{Path, Query};
use crate::format;
use crate::forms::FormView;
use crate::pages::ledger::lay;
use crate::pages::{html, invalid, to, PageResult};
use crate::views::Layout;
use crate::{AppError, AppState};

pub struct PersonChoice {
    pub name: String,
    pub field: String,
}

pub struct ServiceChoice {
    pub title: String,
    pub metered: String,
    pub act: String,
}

#[derive(Template)]
#[template(path = "absences/new.html")]
struct NewPage {
    l: Layout,
    a: Account,
    persons: Vec<PersonChoice>,
    services: Vec<ServiceChoice>,
    channels: Vec<(&'static str, &'static str)>,
    f: FormView,
}

async fn new_page(
    s: &AppState,
    p: &Principal,
    a: Account,
    f: FormView,
) -> Result<NewPage, AppError> {
    let today = s.today().await?;
    let persons = link::registered_in_premises(&s.db, a.data.premises_id, today)
        .await?
        .into_iter()
        .map(|l| PersonChoice {
            field: format!("person_{}", l.link.data.person_id),
            name: l.person_name,
        })
        .collect();
    let services = ledger::services(&s.db)
        .await?
        .into_iter()
        .filter(|x| Service::parse(&x.code).is_some())
        .map(|x| ServiceChoice {
            metered: format!("metered_{}", x.code),
            act: format!("act_{}", x.code),
            title: x.title,
        })
        .collect();
    Ok(NewPage {
        l: lay(
            s,
            p,
            format!("Заявление о временном отсутствии — ЛС {}", a.data.number),
            "accounts",
        )
        .await?,
        a,
        persons,
        services,
        channels: Channel::ALL.iter().map(|c| (c.code(), c.title())).collect(),
        f,
    })
}

pub async fn new(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> PageResult {
    let a = account::get(&s.db, id).await.map_err(AppError::from)?;
    let mut f = FormView::default();
    f.set("applied_on", s.today().await?.to_string());
    f.set("channel", Channel::Visit.code());
    html(&new_page(&s, &p, a, f).await?)
}

fn date_of(
    f: &FormView,
    field: &str,
    e: &mut abonent_domain::ValidationErrors,
) -> Option<chrono::NaiveDate> {
    let v = f.opt(field)?;
    match chrono::NaiveDate::parse_from_str(&v, "%Y-%m-%d")
        .or_else(|_| chrono::NaiveDate::parse_from_str(&v, "%d.%m.%Y"))
    {
        Ok(d) => Some(d),
        Err(_) => {
            e.add(
                field,
                format!("Дата «{v}» не прочитана: укажите её как 25.03.2026"),
            );
            None
        }
    }
}

/// Registers the application; a bad field is shown at its place and nothing is saved.
pub async fn create(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    body: Bytes,
) -> PageResult {
    let a = account::get(&s.db, id).await.map_err(AppError::from)?;
    let f = FormView::from_body(&body);
    let mut e = abonent_domain::ValidationErrors::default();
    let prefixed = |prefix: &str| -> Vec<String> {
        f.values
            .iter()
            .filter(|(k, v)| k.starts_with(prefix) && matches!(v.as_str(), "on" | "true" | "1"))
            .map(|(k, _)| k[prefix.len()..].to_string())
            .collect()
    };
    let form = ApplicationForm {
        account_id: id,
        persons: prefixed("person_")
            .iter()
            .filter_map(|x| x.parse().ok())
            .collect(),
        left_on: date_of(&f, "left_on", &mut e),
        returned_on: date_of(&f, "returned_on", &mut e),
        applied_on: date_of(&f, "applied_on", &mut e),
        reason: f.v("reason").to_string(),
        documents: f.v("documents").to_string(),
        documents_received_on: date_of(&f, "documents_received_on", &mut e),
        metered: prefixed("metered_"),
        meter_acts: prefixed("act_"),
        gas_for_heating: f.checked("gas_for_heating"),
        channel: Channel::from_code(f.v("channel")),
    };
    let result = if e.is_empty() {
        app_absences::register(&s, &form, &p.actor()).await
    } else {
        Err(AppError::Invalid(e))
    };
    match result {
        Ok(r) => to(format!("/absences/{}?saved=1", r.id)),
        Err(AppError::Invalid(e)) => invalid(&new_page(&s, &p, a, f.errors(e)).await?),
        Err(e) => Err(e.into()),
    }
}

pub struct LineRow {
    pub month: String,
    pub service: String,
    pub charge: String,
    pub days: String,
    pub persons: String,
    pub sum: String,
    pub why_not: String,
}

#[derive(Template)]
#[template(path = "absences/card.html")]
struct CardPage {
    l: Layout,
    c: app_absences::Computed,
    persons: Vec<String>,
    status: &'static str,
    deadline: String,
    left_on: String,
    returned_on: String,
    applied_on: String,
    documents_on: String,
    decide_by: String,
    rows: Vec<LineRow>,
    total: String,
    flash: String,
    error: String,
    can_decide: bool,
    can_post: bool,
    entries: Vec<i64>,
    history: Vec<crate::timeline::HistoryView>,
}

async fn card(
    s: &AppState,
    p: &Principal,
    id: i64,
    flash: String,
    error: String,
) -> Result<CardPage, AppError> {
    let c = app_absences::compute(s, id).await?;
    let names: BTreeMap<i64, String> = link::registered_in_premises(
        &s.db,
        account::get(&s.db, c.record.data.account_id)
            .await?
            .data
            .premises_id,
        c.record.data.left_on,
    )
    .await?
    .into_iter()
    .map(|l| (l.link.data.person_id, l.person_name))
    .collect();
    let persons = c
        .record
        .data
        .persons
        .iter()
        .map(|id| names.get(id).cloned().unwrap_or_else(|| format!("№ {id}")))
        .collect();
    let rows = c
        .lines
        .iter()
        .map(|l| LineRow {
            month: l.period.title(),
            service: l.service_title.clone(),
            charge: format::rubles(l.charge_kopecks),
            days: if l.not_recalculated.is_some() {
                String::new()
            } else {
                format!("{} из {}", l.absent_days, l.days_in_month)
            },
            persons: l
                .persons
                .map(|x| format!("{} из {}", x.absent.min(x.counted), x.counted))
                .unwrap_or_default(),
            sum: if l.not_recalculated.is_some() {
                String::new()
            } else {
                format::rubles(l.kopecks)
            },
            why_not: l.not_recalculated.clone().unwrap_or_default(),
        })
        .collect();
    let tz = s.zone().await?;
    let deadline = c
        .record
        .appeal_deadline_at
        .as_deref()
        .and_then(abonent_storage::time::parse)
        .map(|t| t.with_timezone(&tz).format("%d.%m.%Y %H:%M").to_string())
        .unwrap_or_default();
    let entries = absences::entries(&s.db, id).await?;
    let history =
        crate::timeline::show(s, &history::for_card(&s.db, "absence", id, 50).await?).await?;
    Ok(CardPage {
        l: lay(
            s,
            p,
            format!("Заявление № {}", c.record.appeal_number),
            "accounts",
        )
        .await?,
        persons,
        status: words::status_title(&c.record.status),
        deadline,
        left_on: format::date(&c.record.data.left_on),
        returned_on: format::date(&c.record.data.returned_on),
        applied_on: format::date(&c.record.data.applied_on),
        documents_on: format::date(&c.record.data.documents_received_on),
        decide_by: format::date(&c.record.data.decide_by),
        rows,
        total: format::rubles(c.record.total.unwrap_or(c.total_kopecks)),
        flash,
        error,
        can_decide: p.can(Permission::ProcessAppeals) && c.record.status == absences::REGISTERED,
        can_post: p.can(Permission::EditLedger) && c.record.status == absences::APPROVED,
        entries,
        history,
        c,
    })
}

pub async fn show(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    Query(q): Query<BTreeMap<String, String>>,
) -> PageResult {
    let flash = match q.get("saved").map(String::as_str) {
        Some("1") => "Заявление зарегистрировано.".to_string(),
        Some("approved") => "Перерасчёт одобрен; заявителю отправлен ответ.".into(),
        Some("refused") => "В перерасчёте отказано; заявителю отправлен ответ.".into(),
        Some("posted") => format!(
            "Перерасчёт проведён в расчётах: записей {}.",
            q.get("n").map(String::as_str).unwrap_or("0")
        ),
        _ => String::new(),
    };
    html(&card(&s, &p, id, flash, String::new()).await?)
}

async fn after(s: &AppState, p: &Principal, id: i64, r: Result<String, AppError>) -> PageResult {
    match r {
        Ok(url) => to(url),
        Err(AppError::Invalid(e)) => {
            let msg =
                e.0.iter()
                    .map(|x| x.message.clone())
                    .collect::<Vec<_>>()
                    .join(" ");
            invalid(&card(s, p, id, String::new(), msg).await?)
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn approve(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> PageResult {
    let r = app_absences::approve(&s, id, p.role, &p.actor())
        .await
        .map(|_| format!("/absences/{id}?saved=approved"));
    after(&s, &p, id, r).await
}

pub async fn refuse(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    body: Bytes,
) -> PageResult {
    let f = FormView::from_body(&body);
    let r = app_absences::refuse(&s, id, f.opt("reason").as_deref(), p.role, &p.actor())
        .await
        .map(|_| format!("/absences/{id}?saved=refused"));
    after(&s, &p, id, r).await
}

pub async fn post(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> PageResult {
    let r = app_absences::post(&s, id, &p.actor())
        .await
        .map(|n| format!("/absences/{id}?saved=posted&n={n}"));
    after(&s, &p, id, r).await
}
