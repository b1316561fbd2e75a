use std::collections::BTreeMap;

use super::account_card::card;
use crate::extract::{Path, Query};
use abonent_app::{privacy, registry};
use abonent_domain::registry::{AccountData, AccountForm, LinkRole};
use abonent_storage::registry::{
    account, premises, AccountFilter, AccountListItem, LinkView, Page, PageReq, Premises,
};
use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use axum::Extension;

use crate::auth::Principal;
use crate::forms::{self, FormView};
use crate::pages::{flash_of, html, invalid, layout, to, PageResult};
use crate::views::{self, Layout, ListQuery, PagerItem};
use crate::{AppError, AppState};

#[derive(Template)]
#[template(path = "accounts/list.html")]
struct ListPage {
    l: Layout,
    page: Page<AccountListItem>,
    q: ListQuery,
    pager: Vec<PagerItem>,
}

pub async fn list(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Query(params): Query<BTreeMap<String, String>>,
) -> PageResult {
    let q = ListQuery::new("/accounts", &params);
    let filter = AccountFilter {
        number: Some(q.get("number").to_string()),
        building_id: q.get("building_id").parse().ok(),
        status: Some(q.get("status").to_string()).filter(|s| !s.is_empty()),
        sort: Some(q.get("sort").to_string()).filter(|s| !s.is_empty()),
    };
    let page = account::list(
        &s.db,
        &filter,
        PageReq::new(q.get("page").parse().ok(), None),
    )
    .await?;
    // The holder's name with the address is personal data (152-ФЗ): one view of them all.
    let ids: Vec<i64> = page.items.iter().filter_map(|a| a.owner_id).collect();
    privacy::record_views(&s, &p.actor(), &ids, "GET /accounts").await?;
    let pager = views::pager(&q, page.page, page.pages());
    html(&ListPage {
        l: layout(&s, &p, "Лицевые счета", "accounts").await?,
        page,
        q,
        pager,
    })
}

#[derive(Template)]
#[template(path = "accounts/form.html")]
struct FormPage {
    l: Layout,
    f: FormView,
    id: Option<i64>,
    premises: Premises,
    duplicates: Vec<String>,
}

pub async fn new(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Query(q): Query<BTreeMap<String, String>>,
) -> PageResult {
    let premises_id: i64 = q.get("premises_id").and_then(|v| v.parse().ok()).ok_or_else(|| {
        AppError::BadRequest("Лицевой счёт открывается из карточки помещения: откройте помещение и нажмите «Открыть лицевой счёт».".into())
    })?;
    let premises = premises::get(&s.db, premises_id).await?;
    let mut f = FormView::default();
    f.set("premises_id", premises_id.to_string());
    f.set("opened_on", s.today().await?.to_string());
    f.set("share", "1");
    // Warn before typing, not only after saving, when the premises already has an account.
    let duplicates = account::open_on_premises(&s.db, premises_id, None).await?;
    html(&FormPage {
        l: layout(&s, &p, "Новый лицевой счёт", "accounts").await?,
        f,
        id: None,
        premises,
        duplicates,
    })
}

async fn save(s: &AppState, p: &Principal, body: &[u8], id: Option<i64>) -> PageResult {
    let form: AccountForm = forms::parse(body)?;
    let f = FormView::from_body(body);
    let result = match id {
        // Another open account on the same premises is usually a mistake: ask once.
        None => {
            let confirmed = f.checked("confirm_duplicate");
            registry::create_account(s, &form, confirmed, &p.actor()).await
        }
        Some(id) => registry::update_account(s, id, &form, &p.actor())
            .await
            .map(|_| id),
    };
    match result {
        Ok(id) => to(format!("/accounts/{id}?saved=1")),
        Err(AppError::Invalid(e)) => reshow(s, p, f.errors(e), id, vec![]).await,
        Err(AppError::Conflict { extra, .. }) => {
            let duplicates =
                serde_json::from_value(extra["duplicates"].clone()).unwrap_or_default();
            reshow(s, p, f, id, duplicates).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn reshow(
    s: &AppState,
    p: &Principal,
    f: FormView,
    id: Option<i64>,
    duplicates: Vec<String>,
) -> PageResult {
    let premises_id: i64 = f.v("premises_id").parse().unwrap_or(0);
    let premises = premises::get(&s.db, premises_id).await?;
    invalid(&FormPage {
        l: layout(s, p, "Лицевой счёт", "accounts").await?,
        f,
        id,
        premises,
        duplicates,
    })
}

pub async fn create(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    body: Bytes,
) -> PageResult {
    save(&s, &p, &body, None).await
}

pub async fn update(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    body: Bytes,
) -> PageResult {
    save(&s, &p, &body, Some(id)).await
}

pub fn to_form(d: &AccountData) -> FormView {
    FormView::with([
        ("number", Some(d.number.clone())),
        ("premises_id", Some(d.premises_id.to_string())),
        ("opened_on", Some(d.opened_on.to_string())),
        ("closed_on", d.closed_on.map(|v| v.to_string())),
        ("share", Some(d.share.to_string())),
    ])
}

pub async fn edit(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> PageResult {
    let a = account::get(&s.db, id).await?;
    let premises = premises::get(&s.db, a.data.premises_id).await?;
    html(&FormPage {
        l: layout(&s, &p, "Изменение лицевого счёта", "accounts").await?,
        f: to_form(&a.data),
        id: Some(id),
        premises,
        duplicates: vec![],
    })
}

pub struct RoleOption {
    pub code: &'static str,
    pub title: &'static str,
}

/// A choice of «Чей родственник»: an owner or tenant of the account, by name.
pub struct KinHead {
    pub id: i64,
    pub name: String,
}

/// The open owner and tenant links of an account, each person once, but `except` (the person
/// whose link is edited).
pub fn kin_heads(links: &[LinkView], except: Option<i64>) -> Vec<KinHead> {
    let mut out: Vec<KinHead> = Vec::new();
    for l in links {
        let d = &l.link.data;
        if l.link.closed_at.is_none()
            && matches!(d.role, LinkRole::Owner | LinkRole::Tenant)
            && Some(d.person_id) != except
            && !out.iter().any(|h| h.id == d.person_id)
        {
            out.push(KinHead {
                id: d.person_id,
                name: l.person_name.clone(),
            });
        }
    }
    out
}

pub fn role_options() -> Vec<RoleOption> {
    LinkRole::ALL
        .iter()
        .map(|r| RoleOption {
            code: r.code(),
            title: r.title(),
        })
        .collect()
}

pub async fn show(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    Query(q): Query<BTreeMap<String, String>>,
) -> PageResult {
    let c = card(&s, &p, id, flash_of(&q), None).await?;
    html(&c)
}

pub async fn close(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    body: Bytes,
) -> PageResult {
    let f = FormView::from_body(&body);
    let on = match super::close_date(&f, "closed_on", "Дата закрытия") {
        Ok(on) => on,
        Err(e) => {
            let typed = f.v("closed_on").to_string();
            return invalid(&card(&s, &p, id, "", Some((typed, e))).await?);
        }
    };
    registry::close_account(&s, id, on, f.v("reason"), &p.actor()).await?;
    to(format!("/accounts/{id}?saved=closed"))
}
