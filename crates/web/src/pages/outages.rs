//! «Отключения» (issue 19 §5–6): the list of active and past outages, the form to register
//! one, and its card with the actual times, the recalculation proposal per affected
//! account, posting and reversal, and the history.

use std::collections::BTreeMap;

use abonent_app::outages::recalc::{self, Proposal};
use abonent_app::outages::{self as app_outages, OutageView};
use abonent_domain::outage::{Effect, OutageForm, OutageKind, Parameters, Place};
use abonent_domain::quality::Cause;
use abonent_domain::{Permission, ValidationErrors};
use abonent_storage::outages::postings::{self, Posted};
use abonent_storage::outages::OutageFilter;
use abonent_storage::{history, ledger};
use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use axum::Extension;

use crate::api::outages::{period, reporter};
use crate::auth::Principal;
use crate::extract::{Path, Query};
use crate::format;
use crate::forms::FormView;
use crate::pages::ledger::lay;
use crate::pages::{html, invalid, to, PageResult};
use crate::views::Layout;
use crate::{AppError, AppState};

#[derive(Template)]
#[template(path = "outages/list.html")]
struct ListPage {
    l: Layout,
    active: Vec<OutageView>,
    past: Vec<OutageView>,
    can_report: bool,
}

pub async fn list(State(s): State<AppState>, Extension(p): Extension<Principal>) -> PageResult {
    let who = reporter(&p);
    let of = |active| OutageFilter {
        active: Some(active),
        ..Default::default()
    };
    let active = app_outages::list(&s, of(true), &who).await?;
    let mut past = app_outages::list(&s, of(false), &who).await?;
    past.truncate(100);
    html(&ListPage {
        l: lay(&s, &p, "Отключения", "outages").await?,
        active: app_outages::views(&s, active).await?,
        past: app_outages::views(&s, past).await?,
        can_report: p.can(Permission::ReportOutages),
    })
}

#[derive(Template)]
#[template(path = "outages/new.html")]
struct NewPage {
    l: Layout,
    f: FormView,
    services: Vec<(String, String)>,
    kinds: Vec<(&'static str, &'static str)>,
    effects: Vec<(&'static str, &'static str)>,
    causes: Vec<(&'static str, &'static str)>,
}

async fn new_page(s: &AppState, p: &Principal, f: FormView) -> Result<NewPage, AppError> {
    Ok(NewPage {
        l: lay(s, p, "Новое отключение", "outages").await?,
        f,
        services: ledger::services(&s.db)
            .await?
            .into_iter()
            .map(|x| (x.code, x.title))
            .collect(),
        kinds: [OutageKind::Planned, OutageKind::Emergency]
            .iter()
            .map(|k| (k.code(), k.title()))
            .collect(),
        effects: [Effect::Interruption, Effect::Quality]
            .iter()
            .map(|k| (k.code(), k.title()))
            .collect(),
        causes: vec![
            ("ordinary", "обычная"),
            ("dead_end_accident", "авария на тупиковой магистрали"),
            ("annual_maintenance", "ежегодный профилактический ремонт"),
        ],
    })
}

pub async fn new(State(s): State<AppState>, Extension(p): Extension<Principal>) -> PageResult {
    let mut f = FormView::default();
    f.set("kind", "planned");
    f.set("effect", "interruption");
    f.set("cause", "ordinary");
    html(&new_page(&s, &p, f).await?)
}

/// Tenths of °C from «12,5»; a bad number is named at its field.
fn tenths(f: &FormView, field: &str, e: &mut ValidationErrors) -> Option<i32> {
    let v = f.opt(field)?;
    match v.replace(',', ".").parse::<f64>() {
        Ok(t) if t.abs() < 1000.0 => Some((t * 10.0).round() as i32),
        _ => {
            e.add(
                field,
                format!("Температуру укажите числом, например 12,5, а не «{v}»"),
            );
            None
        }
    }
}

fn form_of(f: &FormView, e: &mut ValidationErrors) -> OutageForm {
    let building = f
        .opt("building_id")
        .or_else(|| f.opt("building_id__pick"))
        .and_then(|v| v.trim().parse::<i64>().ok());
    let entrances: Vec<i64> = f
        .v("entrances")
        .split([',', ' ', ';'])
        .filter(|x| !x.trim().is_empty())
        .filter_map(|x| match x.trim().parse() {
            Ok(n) => Some(n),
            Err(_) => {
                e.add(
                    "entrances",
                    format!("Подъезды — номера через запятую, а не «{x}»"),
                );
                None
            }
        })
        .collect();
    let cause = match f.v("cause") {
        "dead_end_accident" => Cause::DeadEndAccident,
        "annual_maintenance" => Cause::AnnualMaintenance,
        _ => Cause::Ordinary,
    };
    let measured = tenths(f, "measured", e);
    let room = tenths(f, "room", e);
    let outdoor = tenths(f, "outdoor", e);
    OutageForm {
        service: f.v("service").to_string(),
        kind: OutageKind::parse(f.v("kind")).unwrap_or_default(),
        effect: Effect::parse(f.v("effect")).unwrap_or_default(),
        cause,
        reason: f.v("reason").to_string(),
        places: building
            .map(|b| {
                vec![Place {
                    building_id: b,
                    entrances,
                }]
            })
            .unwrap_or_default(),
        planned_from: f.opt("planned_from"),
        planned_to: f.opt("planned_to"),
        actual_from: f.opt("actual_from"),
        actual_to: f.opt("actual_to"),
        parameters: Parameters {
            measured_dc: measured,
            room_dc: room,
            outdoor_dc: outdoor,
            power_sources: f.opt("power_sources").and_then(|v| v.trim().parse().ok()),
        },
        confirm_overlap: f.checked("confirm_overlap"),
    }
}

/// Form fields have the page's names; the domain's `places` and `parameters.*` are shown at
/// the building and the temperature.
fn for_page(e: ValidationErrors) -> ValidationErrors {
    let mut out = ValidationErrors::new();
    for x in e.0 {
        let field = match x.field.as_str() {
            "places" => "building_id",
            "parameters.measured_dc" => "measured",
            "parameters.power_sources" => "power_sources",
            other => other,
        };
        out.add(field, x.message);
    }
    out
}

pub async fn create(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    body: Bytes,
) -> PageResult {
    let f = FormView::from_body(&body);
    let mut e = ValidationErrors::new();
    let form = form_of(&f, &mut e);
    let r = if e.is_empty() {
        app_outages::register(&s, &form, &reporter(&p)).await
    } else {
        Err(AppError::Invalid(e))
    };
    match r {
        Ok(id) => to(format!("/outages/{id}?saved=1")),
        Err(AppError::Invalid(e)) => invalid(&new_page(&s, &p, f.errors(for_page(e))).await?),
        Err(e) => Err(e.into()),
    }
}

pub struct LineRow {
    pub account_id: i64,
    pub number: String,
    pub premises: String,
    pub charge: String,
    pub share: String,
    pub reduction: String,
    pub by_others: String,
    pub posted: String,
    pub to_post: String,
    pub refused: String,
}

pub struct FigureRow {
    pub place: String,
    pub counted: String,
    pub beyond: String,
    pub share: String,
}

#[derive(Template)]
#[template(path = "outages/card.html")]
struct CardPage {
    l: Layout,
    o: OutageView,
    measured: String,
    flash: String,
    error: String,
    months: Vec<(String, String)>,
    period: String,
    proposal: Option<Proposal>,
    proposal_error: String,
    figures: Vec<FigureRow>,
    rows: Vec<LineRow>,
    to_post: String,
    posted_total: String,
    posted_count: String,
    f: FormView,
    can_report: bool,
    can_book: bool,
    history: Vec<crate::timeline::HistoryView>,
}

fn share(bp: u32) -> String {
    format!("{},{:02} %", bp / 100, bp % 100)
}

/// «12,5 °C» from tenths.
fn celsius(dc: i32) -> String {
    let sign = if dc < 0 { "−" } else { "" };
    format!("{sign}{},{} °C", dc.abs() / 10, dc.abs() % 10)
}

fn hours(minutes: i64) -> String {
    format!("{} ч {:02} мин", minutes / 60, minutes % 60)
}

async fn card(
    s: &AppState,
    p: &Principal,
    id: i64,
    q: &BTreeMap<String, String>,
    flash: String,
    error: String,
) -> Result<CardPage, AppError> {
    let who = reporter(p);
    let o = app_outages::get(s, id, &who).await?;
    let months: Vec<(String, String)> = recalc::months(s, &o)
        .await?
        .into_iter()
        .map(|m| (m.to_string(), m.title()))
        .collect();
    let chosen = period(q.get("period").map(String::as_str))?;
    let f = {
        let form = app_outages::form_of(s, &o).await?;
        let mut f = FormView::default();
        f.set("actual_from", form.actual_from.unwrap_or_default());
        f.set("actual_to", form.actual_to.unwrap_or_default());
        f
    };
    let (proposal, proposal_error) = if o.data.actual_from.is_some() {
        match recalc::proposal(s, id, chosen, &who).await {
            Ok(pr) => (Some(pr), String::new()),
            Err(AppError::Invalid(e)) => (None, e.to_string()),
            Err(e) => return Err(e),
        }
    } else {
        (None, String::new())
    };
    let posted: Vec<Posted> = postings::posted(&s.db, id).await?;
    let (mut figures, mut rows) = (Vec::new(), Vec::new());
    let mut period_code = String::new();
    let (mut to_post, mut posted_total) = (0, 0);
    if let Some(pr) = &proposal {
        period_code = pr.period.to_string();
        to_post = pr.to_post_kopecks;
        posted_total = pr.posted_kopecks;
        figures = pr
            .figures
            .iter()
            .map(|x| FigureRow {
                place: match x.entrance {
                    Some(e) => format!("{}, подъезд {e}", x.address),
                    None => x.address.clone(),
                },
                counted: hours(x.figures.excess.counted_minutes),
                beyond: hours(x.figures.excess.beyond_minutes),
                share: share(x.figures.reduction_bp),
            })
            .collect();
        rows = pr
            .lines
            .iter()
            .map(|l| LineRow {
                account_id: l.account_id,
                number: l.account_number.clone(),
                premises: l.premises.clone(),
                charge: format::rubles(l.charge_kopecks),
                share: share(l.reduction_bp),
                reduction: format::rubles(l.reduction_kopecks),
                by_others: format::rubles(l.by_others_kopecks),
                posted: format::rubles(l.posted_kopecks),
                to_post: format::rubles(l.to_post_kopecks),
                refused: l.refused.clone().unwrap_or_default(),
            })
            .collect();
    }
    let measured_dc = o.data.parameters.measured_dc;
    let views = app_outages::views(s, vec![o]).await?;
    let history =
        crate::timeline::show(s, &history::for_card(&s.db, "outage", id, 50).await?).await?;
    Ok(CardPage {
        l: lay(s, p, format!("Отключение № {id}"), "outages").await?,
        measured: measured_dc.map(celsius).unwrap_or_default(),
        o: views
            .into_iter()
            .next()
            .ok_or_else(|| AppError::NotFound("Отключение".into()))?,
        flash,
        error,
        months,
        period: period_code,
        proposal,
        proposal_error,
        figures,
        rows,
        to_post: format::rubles(to_post),
        posted_total: format::rubles(posted_total),
        posted_count: format::counted(
            posted.iter().filter(|x| x.reverses.is_none()).count(),
            ["запись", "записи", "записей"],
        ),
        f,
        can_report: p.can(Permission::ReportOutages),
        can_book: p.can(Permission::RecalculateOutages),
        history,
    })
}

pub async fn show(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    Query(q): Query<BTreeMap<String, String>>,
) -> PageResult {
    let n = q.get("n").cloned().unwrap_or_default();
    let flash = match q.get("saved").map(String::as_str) {
        Some("1") => "Отключение зарегистрировано.".to_string(),
        Some("actual") => "Фактическое время записано.".into(),
        Some("posted") => format!("Перерасчёт проведён в расчётах: новых записей {n}."),
        Some("reversed") => format!("Перерасчёт сторнирован: записей {n}."),
        _ => String::new(),
    };
    html(&card(&s, &p, id, &q, flash, String::new()).await?)
}

async fn after(
    s: &AppState,
    p: &Principal,
    id: i64,
    q: BTreeMap<String, String>,
    r: Result<String, AppError>,
) -> PageResult {
    match r {
        Ok(url) => to(url),
        Err(AppError::Invalid(e)) => {
            let msg =
                e.0.iter()
                    .map(|x| x.message.clone())
                    .collect::<Vec<_>>()
                    .join(" ");
            invalid(&card(s, p, id, &q, String::new(), msg).await?)
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn actual(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    body: Bytes,
) -> PageResult {
    let f = FormView::from_body(&body);
    let r = app_outages::set_actual(
        &s,
        id,
        f.opt("actual_from"),
        f.opt("actual_to"),
        f.checked("confirm_overlap"),
        &reporter(&p),
    )
    .await
    .map(|_| format!("/outages/{id}?saved=actual"));
    after(&s, &p, id, BTreeMap::new(), r).await
}

pub async fn post(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    body: Bytes,
) -> PageResult {
    let f = FormView::from_body(&body);
    let q: BTreeMap<String, String> = f
        .opt("period")
        .map(|v| ("period".to_string(), v))
        .into_iter()
        .collect();
    let r = match period(f.opt("period").as_deref()) {
        Ok(pr) => recalc::post(&s, id, pr, &reporter(&p)).await.map(|d| {
            format!(
                "/outages/{id}?saved=posted&n={}&period={}",
                d.entries, d.proposal.period
            )
        }),
        Err(e) => Err(e),
    };
    after(&s, &p, id, q, r).await
}

pub async fn reverse(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    body: Bytes,
) -> PageResult {
    let f = FormView::from_body(&body);
    let q: BTreeMap<String, String> = f
        .opt("period")
        .map(|v| ("period".to_string(), v))
        .into_iter()
        .collect();
    let r = match period(f.opt("period").as_deref()) {
        Ok(Some(pr)) => recalc::reverse(&s, id, pr, f.v("reason"), &reporter(&p))
            .await
            .map(|d| format!("/outages/{id}?saved=reversed&n={}&period={pr}", d.entries)),
        Ok(None) => Err(AppError::field("period", "Укажите месяц")),
        Err(e) => Err(e),
    };
    after(&s, &p, id, q, r).await
}
