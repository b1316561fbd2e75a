//! Reference data an administrator keeps up to date as laws and details change: the
//! organization's details, numbering patterns, the production calendar, answer-deadline rules.

use std::collections::BTreeMap;

use crate::extract::{Path, Query};
use abonent_app::settings;
use abonent_domain::calendar::CalendarSource;
use abonent_domain::correspondence::SenderKind;
use abonent_domain::numbering::NumberScheme;
use abonent_domain::settings as catalogue;
use abonent_storage::correspondence::rules;
use abonent_storage::{calendar, numbering};
use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use axum::Extension;
use chrono::Datelike;

use crate::auth::Principal;
use crate::forms::FormView;
use crate::pages::{flash_of, html, invalid, layout, to, PageResult};
use crate::views::{self, date_ru, Layout};
use crate::{AppError, AppState};

pub struct FieldRow {
    pub key: &'static str,
    pub title: &'static str,
    pub hint: &'static str,
}

// ---------------------------------------------------------------- organization details

#[derive(Template)]
#[template(path = "admin/organization.html")]
struct OrgPage {
    l: Layout,
    rows: Vec<FieldRow>,
    f: FormView,
}

const TZ_KEY: &str = "org.time_zone";

fn org_rows() -> Vec<FieldRow> {
    let hint = |k: &str| match k {
        "org.name" => "Полное наименование, как в ЕГРЮЛ: ООО «УК „Наш дом“»",
        "org.inn" => "10 цифр (12 — у предпринимателя)",
        "org.kpp" => "9 цифр",
        "org.ogrn" => "13 цифр (15 — ОГРНИП)",
        "org.phones" => "Как печатать: +7 (343) 123-45-67, +7 (343) 123-45-68",
        "org.bic" => "9 цифр",
        "org.corr_account" | "org.settlement_account" => "20 цифр",
        "org.director_name" => "Фамилия И. О.",
        _ => "",
    };
    catalogue::ORG_DETAILS
        .iter()
        .map(|k| FieldRow {
            key: k,
            title: catalogue::title(k),
            hint: hint(k),
        })
        .chain(std::iter::once(FieldRow {
            key: TZ_KEY,
            title: catalogue::title(TZ_KEY),
            hint: "Сроки и время в журналах считаются в нём: выберите город из списка",
        }))
        .collect()
}

pub async fn organization(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Query(q): Query<BTreeMap<String, String>>,
) -> PageResult {
    let mut f = FormView::default();
    for (k, v) in settings::org_details(&s).await? {
        f.set(&k, v);
    }
    f.set(TZ_KEY, settings::get(&s, TZ_KEY).await?);
    let l = layout(&s, &p, "Реквизиты организации", "organization")
        .await?
        .flash(flash_of(&q));
    html(&OrgPage {
        l,
        rows: org_rows(),
        f,
    })
}

pub async fn save_organization(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    body: Bytes,
) -> PageResult {
    let f = FormView::from_body(&body);
    let values: BTreeMap<String, String> = f.values.clone();
    match settings::save_organization(&s, &values, f.v(TZ_KEY), &p.actor()).await {
        Ok(()) => to("/admin/organization?saved=1".into()),
        Err(AppError::Invalid(e)) => invalid(&OrgPage {
            l: layout(&s, &p, "Реквизиты организации", "organization").await?,
            rows: org_rows(),
            f: f.errors(e),
        }),
        Err(e) => Err(e.into()),
    }
}

// ---------------------------------------------------------------- numbering

pub struct SchemeRow {
    pub key: &'static str,
    pub title: &'static str,
    pub default: &'static str,
    pub example: String,
    pub last: i64,
}

#[derive(Template)]
#[template(path = "admin/numbering.html")]
struct NumberingPage {
    l: Layout,
    rows: Vec<SchemeRow>,
    year: i32,
    f: FormView,
}

async fn scheme_rows(s: &AppState, f: &FormView, year: i32) -> Result<Vec<SchemeRow>, AppError> {
    let mut rows = Vec::new();
    for scope in catalogue::numbering_scopes() {
        let key = catalogue::KNOWN
            .iter()
            .map(|(k, _, _)| *k)
            .find(|k| k.strip_prefix("numbering.") == Some(scope))
            .unwrap_or("");
        let last = numbering::last(&s.db, scope, year).await?;
        let example = NumberScheme::parse(f.v(key))
            .map(|sc| sc.format(year, last + 1))
            .unwrap_or_default();
        rows.push(SchemeRow {
            key,
            title: catalogue::title(key),
            default: catalogue::default_of(key).unwrap_or(""),
            example,
            last,
        });
    }
    Ok(rows)
}

pub async fn numbering_page(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Query(q): Query<BTreeMap<String, String>>,
) -> PageResult {
    let all = settings::all(&s).await?;
    let mut f = FormView::default();
    for scope in catalogue::numbering_scopes() {
        let key = format!("numbering.{scope}");
        f.set(&key, all.get(&key).cloned().unwrap_or_default());
    }
    let year = s.today().await?.year();
    let rows = scheme_rows(&s, &f, year).await?;
    let l = layout(&s, &p, "Нумерация документов", "numbering")
        .await?
        .flash(flash_of(&q));
    html(&NumberingPage { l, rows, year, f })
}

pub async fn save_numbering(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    body: Bytes,
) -> PageResult {
    let f = FormView::from_body(&body);
    let patterns: BTreeMap<String, String> = f
        .values
        .iter()
        .filter_map(|(k, v)| Some((k.strip_prefix("numbering.")?.to_string(), v.clone())))
        .collect();
    match settings::save_numbering(&s, &patterns, &p.actor()).await {
        Ok(()) => to("/admin/numbering?saved=1".into()),
        Err(AppError::Invalid(e)) => {
            let year = s.today().await?.year();
            let rows = scheme_rows(&s, &f, year).await?;
            invalid(&NumberingPage {
                l: layout(&s, &p, "Нумерация документов", "numbering").await?,
                rows,
                year,
                f: f.errors(e),
            })
        }
        Err(e) => Err(e.into()),
    }
}

// ---------------------------------------------------------------- work calendar

pub struct StoredYearView {
    pub year: i32,
    pub source: String,
    pub updated: String,
}

#[derive(Template)]
#[template(path = "admin/calendar.html")]
struct CalendarPage {
    l: Layout,
    year: i32,
    /// Where the year in force comes from.
    origin: String,
    stored: bool,
    working_days: u32,
    non_working: Vec<String>,
    working_weekends: Vec<String>,
    years: Vec<StoredYearView>,
    f: FormView,
    /// The year as month grids of checkboxes (checked = day off).
    months: Vec<super::calendar_grid::MonthGrid>,
    /// The decree of the year in force, for the grid form.
    source: String,
}

async fn calendar_page(
    s: &AppState,
    p: &Principal,
    year: i32,
    f: Option<FormView>,
    flash: &str,
) -> Result<CalendarPage, AppError> {
    let cal = calendar::load(&s.db).await?;
    let stored_years = calendar::stored_years(&s.db).await?;
    let stored = stored_years.iter().any(|y| y.year == year);
    let y = cal.year(year);
    let origin = match y.source() {
        CalendarSource::BaseRules => {
            "Постановление не загружено: выходные по ст. 112 ТК РФ без переносов".to_string()
        }
        CalendarSource::Decree { reference } if stored => {
            format!("{reference} (загружено администратором)")
        }
        CalendarSource::Decree { reference } => format!("{reference} (поставляется с программой)"),
    };
    let tz = s.zone().await?;
    let f = f.unwrap_or_else(|| {
        let mut f = FormView::default();
        f.set("year", year.to_string());
        if let CalendarSource::Decree { reference } = y.source() {
            f.set("source", reference.clone());
        }
        f.set(
            "non_working",
            y.non_working()
                .iter()
                .map(date_ru)
                .collect::<Vec<_>>()
                .join("\n"),
        );
        f.set(
            "working_weekends",
            y.working_weekends()
                .iter()
                .map(date_ru)
                .collect::<Vec<_>>()
                .join("\n"),
        );
        f
    });
    Ok(CalendarPage {
        l: layout(
            s,
            p,
            format!("Производственный календарь {year}"),
            "calendar",
        )
        .await
        .map_err(|e| e.0)?
        .flash(flash),
        year,
        origin,
        stored,
        working_days: y.working_days(),
        months: super::calendar_grid::months(&y),
        source: match y.source() {
            CalendarSource::Decree { reference } => reference.clone(),
            CalendarSource::BaseRules => String::new(),
        },
        non_working: y.non_working().iter().map(date_ru).collect(),
        working_weekends: y.working_weekends().iter().map(date_ru).collect(),
        years: stored_years
            .into_iter()
            .map(|y| StoredYearView {
                year: y.year,
                source: y.source,
                updated: format!(
                    "{} · {}",
                    views::local_time(&y.updated_at, tz),
                    y.updated_by.unwrap_or_default()
                ),
            })
            .collect(),
        f,
    })
}

pub async fn calendar_view(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Query(q): Query<BTreeMap<String, String>>,
) -> PageResult {
    let year = q
        .get("year")
        .and_then(|y| y.parse::<i32>().ok())
        .filter(|y| (2000..=2100).contains(y))
        .unwrap_or(s.today().await?.year());
    html(&calendar_page(&s, &p, year, None, flash_of(&q)).await?)
}

pub async fn save_calendar(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    body: Bytes,
) -> PageResult {
    let f = FormView::from_body(&body);
    // The grid sends the days off; the lists below it send dates as text.
    let (non_working, working_weekends) = match (f.v("grid"), f.v("year").trim().parse()) {
        ("1", Ok(year)) => {
            let off = super::calendar_grid::days_off(&body);
            let (nw, ww) = abonent_domain::calendar::lists_from_days_off(year, &off);
            let text =
                |v: Vec<chrono::NaiveDate>| v.iter().map(date_ru).collect::<Vec<_>>().join("\n");
            (text(nw), text(ww))
        }
        _ => (
            f.v("non_working").to_string(),
            f.v("working_weekends").to_string(),
        ),
    };
    let saved = abonent_app::calendar::save_year(
        &s,
        f.v("year"),
        f.v("source"),
        &non_working,
        &working_weekends,
        &p.actor(),
    )
    .await;
    match saved {
        Ok(year) => to(format!("/admin/calendar?year={year}&saved=1")),
        Err(AppError::Invalid(e)) => {
            let year = f
                .v("year")
                .trim()
                .parse::<i32>()
                .ok()
                .filter(|y| (2000..=2100).contains(y))
                .unwrap_or(s.today().await?.year());
            invalid(&calendar_page(&s, &p, year, Some(f.errors(e)), "").await?)
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn remove_calendar_year(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(year): Path<i32>,
) -> PageResult {
    abonent_app::calendar::remove_year(&s, year, &p.actor()).await?;
    to(format!("/admin/calendar?year={year}&saved=1"))
}

// ---------------------------------------------------------------- answer rules

/// One sender kind's rule with the values and errors of its inputs (named `<kind>.<field>`).
pub struct RuleRow {
    pub kind: &'static str,
    pub kind_title: &'static str,
    pub edited: bool,
    pub updated: String,
    pub amount: String,
    pub unit: String,
    pub title: String,
    pub source: String,
    pub errors: Vec<String>,
}

#[derive(Template)]
#[template(path = "admin/answer_rules.html")]
struct RulesPage {
    l: Layout,
    rows: Vec<RuleRow>,
}

async fn rules_page(
    s: &AppState,
    p: &Principal,
    f: Option<FormView>,
    flash: &str,
) -> Result<RulesPage, AppError> {
    let all = rules::all(&s.db).await?;
    let tz = s.zone().await?;
    let f = f.unwrap_or_else(|| {
        let mut f = FormView::default();
        for r in &all {
            let k = r.sender_kind.code();
            f.set(&format!("{k}.amount"), r.rule.amount.to_string());
            f.set(&format!("{k}.unit"), r.rule.unit.code());
            f.set(&format!("{k}.title"), r.rule.title.clone());
            f.set(&format!("{k}.source"), r.rule.source.clone());
        }
        f
    });
    let rows = all
        .into_iter()
        .map(|r| {
            let k = r.sender_kind.code();
            let v = |field: &str| f.v(&format!("{k}.{field}")).to_string();
            let errors = f
                .errors
                .0
                .iter()
                .filter(|e| e.field.starts_with(&format!("{k}.")))
                .map(|e| e.message.clone())
                .collect();
            RuleRow {
                kind: k,
                kind_title: r.sender_kind.title(),
                edited: r.edited,
                updated: match (r.updated_at, r.updated_by) {
                    (Some(at), by) => format!(
                        "изменено {} · {}",
                        views::local_time(&at, tz),
                        by.unwrap_or_default()
                    ),
                    _ => "правило поставляется с программой".into(),
                },
                amount: v("amount"),
                unit: v("unit"),
                title: v("title"),
                source: v("source"),
                errors,
            }
        })
        .collect();
    Ok(RulesPage {
        l: layout(s, p, "Сроки ответа на письма", "answer_rules")
            .await
            .map_err(|e| e.0)?
            .flash(flash),
        rows,
    })
}

pub async fn answer_rules(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Query(q): Query<BTreeMap<String, String>>,
) -> PageResult {
    html(&rules_page(&s, &p, None, flash_of(&q)).await?)
}

/// Checks every rule of the form; saves the changed ones only when all are valid.
pub async fn save_answer_rules(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    body: Bytes,
) -> PageResult {
    let f = FormView::from_body(&body);
    match abonent_app::correspondence::save_answer_rules(&s, &f.values, &p.actor()).await {
        Ok(()) => to("/admin/answer-rules?saved=1".into()),
        Err(AppError::Invalid(e)) => invalid(&rules_page(&s, &p, Some(f.errors(e)), "").await?),
        Err(e) => Err(e.into()),
    }
}

pub async fn reset_answer_rule(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(kind): Path<String>,
) -> PageResult {
    let kind = SenderKind::from_code(&kind)
        .ok_or_else(|| AppError::NotFound(format!("вид отправителя «{kind}»")))?;
    abonent_app::correspondence::reset_answer_rule(&s, kind, &p.actor()).await?;
    to("/admin/answer-rules?saved=1".into())
}
