use std::collections::BTreeMap;

use crate::extract::{Path, Query};
use crate::timeline;
use abonent_app::registry;
use abonent_domain::registry::{format_area, PremisesData, PremisesForm};
use abonent_storage::history;
use abonent_storage::registry::{account, building, premises, Account, Building, Premises};
use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use axum::Extension;

use crate::auth::Principal;
use crate::forms::{self, FormView};
use crate::pages::{flash_of, html, invalid, layout, to, PageResult};
use crate::views::{HistoryView, Layout};
use crate::{AppError, AppState};

#[derive(Template)]
#[template(path = "premises/form.html")]
struct FormPage {
    l: Layout,
    f: FormView,
    id: Option<i64>,
    building: Building,
}

fn to_form(d: &PremisesData) -> FormView {
    FormView::with([
        ("building_id", Some(d.building_id.to_string())),
        ("number", Some(d.number.clone())),
        ("residential", d.residential.then(|| "on".to_string())),
        ("area", d.area_centi.map(format_area)),
        ("rooms", d.rooms.map(|v| v.to_string())),
        ("entrance", d.entrance.map(|v| v.to_string())),
        ("floor", d.floor.map(|v| v.to_string())),
    ])
}

pub async fn new(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Query(q): Query<BTreeMap<String, String>>,
) -> PageResult {
    let building_id: i64 = q.get("building_id").and_then(|v| v.parse().ok()).ok_or_else(|| {
        AppError::BadRequest("Помещение добавляется из карточки дома: откройте дом и нажмите «Добавить помещение».".into())
    })?;
    let building = building::get(&s.db, building_id).await?;
    let mut f = FormView::default();
    f.set("building_id", building_id.to_string());
    f.set("residential", "on");
    html(&FormPage {
        l: layout(&s, &p, "Новое помещение", "buildings").await?,
        f,
        id: None,
        building,
    })
}

async fn reshow(
    s: &AppState,
    p: &Principal,
    body: &[u8],
    e: abonent_domain::ValidationErrors,
    id: Option<i64>,
) -> PageResult {
    let f = FormView::from_body(body).errors(e);
    let building_id: i64 = f.v("building_id").parse().unwrap_or(0);
    let building = building::get(&s.db, building_id).await?;
    invalid(&FormPage {
        l: layout(s, p, "Помещение", "buildings").await?,
        f,
        id,
        building,
    })
}

pub async fn create(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    body: Bytes,
) -> PageResult {
    let form: PremisesForm = forms::parse(&body)?;
    match registry::create_premises(&s, &form, &p.actor()).await {
        Ok(id) => to(format!("/premises/{id}?saved=1")),
        Err(AppError::Invalid(e)) => reshow(&s, &p, &body, e, None).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "premises/card.html")]
struct Card {
    l: Layout,
    p: Premises,
    area: String,
    accounts: Vec<Account>,
    history: Vec<HistoryView>,
}

pub async fn show(
    State(s): State<AppState>,
    Extension(pr): Extension<Principal>,
    Path(id): Path<i64>,
    Query(q): Query<BTreeMap<String, String>>,
) -> PageResult {
    let p = premises::get(&s.db, id).await?;
    let accounts = account::of_premises(&s.db, id).await?;
    let history = timeline::show(&s, &history::for_card(&s.db, "premises", id, 100).await?).await?;
    let title = format!("{}, {}", p.building_address, p.label);
    let l = layout(&s, &pr, title, "buildings")
        .await?
        .flash(flash_of(&q));
    html(&Card {
        l,
        area: p
            .data
            .area_centi
            .map(format_area)
            .unwrap_or_else(|| "—".into()),
        p,
        accounts,
        history,
    })
}

pub async fn edit(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> PageResult {
    let pr = premises::get(&s.db, id).await?;
    let building = building::get(&s.db, pr.data.building_id).await?;
    html(&FormPage {
        l: layout(&s, &p, "Изменение помещения", "buildings").await?,
        f: to_form(&pr.data),
        id: Some(id),
        building,
    })
}

pub async fn update(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    body: Bytes,
) -> PageResult {
    let form: PremisesForm = forms::parse(&body)?;
    match registry::update_premises(&s, id, &form, &p.actor()).await {
        Ok(()) => to(format!("/premises/{id}?saved=1")),
        Err(AppError::Invalid(e)) => reshow(&s, &p, &body, e, Some(id)).await,
        Err(e) => Err(e.into()),
    }
}

pub async fn close(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    body: Bytes,
) -> PageResult {
    let f = FormView::from_body(&body);
    registry::close_premises(&s, id, f.v("reason"), &p.actor()).await?;
    to(format!("/premises/{id}?saved=closed"))
}
