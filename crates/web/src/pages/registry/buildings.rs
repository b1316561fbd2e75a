use std::collections::BTreeMap;

use crate::extract::{Path, Query};
use crate::timeline;
use abonent_app::registry;
use abonent_domain::registry::{format_area, BuildingData, BuildingForm};
use abonent_storage::history;
use abonent_storage::registry::{building, premises, Building, BuildingFilter, Page, PageReq};
use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use axum::Extension;

use crate::auth::Principal;
use crate::forms::{self, FormView};
use crate::pages::{flash_of, html, invalid, layout, to, PageResult};
use crate::views::{self, HistoryView, Layout, ListQuery, PagerItem};
use crate::{AppError, AppState};

#[derive(Template)]
#[template(path = "buildings/list.html")]
struct ListPage {
    l: Layout,
    page: Page<Building>,
    q: ListQuery,
    pager: Vec<PagerItem>,
}

pub async fn list(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Query(params): Query<BTreeMap<String, String>>,
) -> PageResult {
    let q = ListQuery::new("/buildings", &params);
    let filter = BuildingFilter {
        street: Some(q.get("street").to_string()),
        include_closed: q.get("closed") == "1",
        sort: Some(q.get("sort").to_string()).filter(|s| !s.is_empty()),
    };
    let page = building::list(
        &s.db,
        &filter,
        PageReq::new(q.get("page").parse().ok(), None),
    )
    .await?;
    let pager = views::pager(&q, page.page, page.pages());
    html(&ListPage {
        l: layout(&s, &p, "Дома", "buildings").await?,
        page,
        q,
        pager,
    })
}

#[derive(Template)]
#[template(path = "buildings/form.html")]
struct FormPage {
    l: Layout,
    f: FormView,
    id: Option<i64>,
}

pub fn to_form(d: &BuildingData) -> FormView {
    FormView::with([
        ("region", Some(d.region.clone())),
        ("city", Some(d.city.clone())),
        ("street", Some(d.street.clone())),
        ("house", Some(d.house.clone())),
        ("korpus", d.korpus.clone()),
        ("stroenie", d.stroenie.clone()),
        ("fias_id", d.fias_id.clone()),
        ("year_built", d.year_built.map(|v| v.to_string())),
        ("floors", d.floors.map(|v| v.to_string())),
        ("entrances", d.entrances.map(|v| v.to_string())),
        ("managed_since", d.managed_since.map(|v| v.to_string())),
    ])
}

pub async fn new(State(s): State<AppState>, Extension(p): Extension<Principal>) -> PageResult {
    let mut f = FormView::default();
    f.set(
        "region",
        abonent_app::settings::get(&s, "org.default_region").await?,
    );
    f.set(
        "city",
        abonent_app::settings::get(&s, "org.default_city").await?,
    );
    html(&FormPage {
        l: layout(&s, &p, "Новый дом", "buildings").await?,
        f,
        id: None,
    })
}

pub async fn create(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    body: Bytes,
) -> PageResult {
    let form: BuildingForm = forms::parse(&body)?;
    match registry::create_building(&s, &form, &p.actor()).await {
        Ok(id) => to(format!("/buildings/{id}?saved=1")),
        Err(AppError::Invalid(e)) => invalid(&FormPage {
            l: layout(&s, &p, "Новый дом", "buildings").await?,
            f: FormView::from_body(&body).errors(e),
            id: None,
        }),
        Err(e) => Err(e.into()),
    }
}

pub struct PremisesRow {
    pub id: i64,
    pub label: String,
    pub area: String,
    pub rooms: Option<i32>,
    pub place: String,
    pub closed_at: Option<String>,
}

#[derive(Template)]
#[template(path = "buildings/card.html")]
struct Card {
    l: Layout,
    b: Building,
    managed_since: String,
    premises: Vec<PremisesRow>,
    history: Vec<HistoryView>,
    /// This building's own court for court orders (name, address); empty: the organization's.
    court: (String, String),
}

pub async fn show(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    Query(q): Query<BTreeMap<String, String>>,
) -> PageResult {
    let b = building::get(&s.db, id).await?;
    let premises = premises::of_building(&s.db, id)
        .await?
        .into_iter()
        .map(|x| PremisesRow {
            id: x.id,
            label: x.label,
            area: x.data.area_centi.map(format_area).unwrap_or_default(),
            rooms: x.data.rooms,
            place: match (x.data.entrance, x.data.floor) {
                (Some(e), Some(f)) => format!("{e} / {f}"),
                (Some(e), None) => format!("{e} / —"),
                (None, Some(f)) => format!("— / {f}"),
                _ => String::new(),
            },
            closed_at: x.closed_at,
        })
        .collect();
    let history = timeline::show(&s, &history::for_card(&s.db, "building", id, 100).await?).await?;
    let l = layout(&s, &p, b.address.clone(), "buildings")
        .await?
        .flash(flash_of(&q));
    let court = abonent_app::documents::issue::ledger::building_court(&s.db, id).await?;
    html(&Card {
        l,
        court,
        managed_since: views::opt_date_ru(&b.data.managed_since),
        b,
        premises,
        history,
    })
}

pub async fn edit(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> PageResult {
    let b = building::get(&s.db, id).await?;
    html(&FormPage {
        l: layout(&s, &p, "Изменение дома", "buildings").await?,
        f: to_form(&b.data),
        id: Some(id),
    })
}

pub async fn update(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    body: Bytes,
) -> PageResult {
    let form: BuildingForm = forms::parse(&body)?;
    match registry::update_building(&s, id, &form, &p.actor()).await {
        Ok(()) => to(format!("/buildings/{id}?saved=1")),
        Err(AppError::Invalid(e)) => invalid(&FormPage {
            l: layout(&s, &p, "Изменение дома", "buildings").await?,
            f: FormView::from_body(&body).errors(e),
            id: Some(id),
        }),
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
    registry::close_building(&s, id, f.v("reason"), &p.actor()).await?;
    to(format!("/buildings/{id}?saved=closed"))
}
