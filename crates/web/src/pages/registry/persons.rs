use std::collections::BTreeMap;

use crate::extract::{Path, Query};
use crate::timeline;
use abonent_app::privacy;
use abonent_app::registry::{self, NewPerson};
use abonent_domain::phone;
use abonent_domain::privacy as privacy_rules;
use abonent_domain::registry::{LinkForm, PersonData, PersonForm};
use abonent_storage::history;
use abonent_storage::registry::{
    account, link, person, Account, Benefit, LinkView, Page, PageReq, Person, PersonFilter,
    SimilarPerson,
};
use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use axum::response::{Html, IntoResponse};
use axum::Extension;

use super::accounts::{kin_heads, role_options, KinHead, RoleOption};
use crate::auth::Principal;
use crate::forms::{self, FormView};
use crate::pages::{flash_of, html, invalid, layout, to, PageResult};
use crate::views::{self, HistoryView, Layout, ListQuery, PagerItem};
use crate::{AppError, AppState};

#[derive(Template)]
#[template(path = "persons/list.html")]
struct ListPage {
    l: Layout,
    page: Page<Person>,
    q: ListQuery,
    pager: Vec<PagerItem>,
}

pub async fn list(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Query(params): Query<BTreeMap<String, String>>,
) -> PageResult {
    let q = ListQuery::new("/persons", &params);
    let filter = PersonFilter {
        name: Some(q.get("name").to_string()),
        include_closed: q.get("closed") == "1",
        sort: Some(q.get("sort").to_string()).filter(|s| !s.is_empty()),
    };
    let mut page = person::list(
        &s.db,
        &filter,
        PageReq::new(q.get("page").parse().ok(), None),
    )
    .await?;
    // 152-ФЗ: a list shows masked contacts and is logged as one view of everyone on it.
    for pe in &mut page.items {
        pe.data = privacy_rules::masked(&pe.data);
    }
    let ids: Vec<i64> = page.items.iter().map(|pe| pe.id).collect();
    privacy::record_views(&s, &p.actor(), &ids, "GET /persons").await?;
    let pager = views::pager(&q, page.page, page.pages());
    html(&ListPage {
        l: layout(&s, &p, "Люди", "persons").await?,
        page,
        q,
        pager,
    })
}

#[derive(Template)]
#[template(path = "persons/form.html")]
struct FormPage {
    l: Layout,
    f: FormView,
    id: Option<i64>,
    account: Option<Account>,
    similar: Vec<SimilarPerson>,
    roles: Vec<RoleOption>,
    /// «Чей родственник» when adding from an account card.
    heads: Vec<KinHead>,
}

async fn heads_of(s: &AppState, account: &Option<Account>) -> Result<Vec<KinHead>, AppError> {
    Ok(match account {
        Some(a) => kin_heads(&link::links_of_account(&s.db, a.id).await?, None),
        None => vec![],
    })
}

pub async fn new(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Query(q): Query<BTreeMap<String, String>>,
) -> PageResult {
    let account = match q.get("account_id").and_then(|v| v.parse().ok()) {
        Some(id) => Some(account::get(&s.db, id).await?),
        None => None,
    };
    let mut f = FormView::default();
    if let Some(a) = &account {
        f.set("account_id", a.id.to_string());
        f.set("role", "owner");
        f.set("from_date", s.today().await?.to_string());
    }
    html(&FormPage {
        l: layout(&s, &p, "Новый человек", "persons").await?,
        f,
        id: None,
        heads: heads_of(&s, &account).await?,
        account,
        similar: vec![],
        roles: role_options(),
    })
}

async fn reshow(
    s: &AppState,
    p: &Principal,
    f: FormView,
    id: Option<i64>,
    similar: Vec<SimilarPerson>,
) -> PageResult {
    let account = match f.v("account_id").parse().ok() {
        Some(aid) => Some(account::get(&s.db, aid).await?),
        None => None,
    };
    invalid(&FormPage {
        l: layout(s, p, "Человек", "persons").await?,
        f,
        id,
        heads: heads_of(s, &account).await?,
        account,
        similar,
        roles: role_options(),
    })
}

async fn save(s: &AppState, p: &Principal, body: &[u8], id: Option<i64>) -> PageResult {
    let form: PersonForm = forms::parse(body)?;
    let f = FormView::from_body(body);
    let confirmed = f.checked("confirm_duplicate");
    let result = match id {
        None => {
            // Adding from an account card: the person is linked to it at once.
            let link_form = (!f.v("account_id").is_empty())
                .then(|| forms::parse::<LinkForm>(body).unwrap_or_default());
            registry::create_person(s, &form, link_form.as_ref(), confirmed, &p.actor()).await
        }
        Some(id) => registry::update_person(s, id, &form, confirmed, &p.actor())
            .await
            .map(|_| NewPerson {
                id,
                account_id: None,
            }),
    };
    match result {
        Ok(NewPerson {
            account_id: Some(aid),
            ..
        }) => to(format!("/accounts/{aid}?saved=1")),
        Ok(NewPerson { id: pid, .. }) => to(format!("/persons/{pid}?saved=1")),
        Err(AppError::Invalid(e)) => reshow(s, p, f.errors(e), id, vec![]).await,
        Err(e) => match registry::duplicates_of(&e) {
            Some(similar) => reshow(s, p, f, id, similar).await,
            None => Err(e.into()),
        },
    }
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

fn to_form(d: &PersonData) -> FormView {
    FormView::with([
        ("last_name", Some(d.last_name.clone())),
        ("first_name", Some(d.first_name.clone())),
        ("middle_name", d.middle_name.clone()),
        ("birth_date", d.birth_date.map(|v| v.to_string())),
        (
            "phones",
            Some(
                d.phones
                    .iter()
                    .map(|p| phone::display(p))
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
        ),
        ("email", d.email.clone()),
        ("id_document", d.id_document.clone()),
        ("consent_sms", d.consent_sms.then(|| "on".to_string())),
        ("consent_email", d.consent_email.then(|| "on".to_string())),
        ("legal_capacity", Some(d.legal_capacity.code().to_string())),
        ("capacity_basis", d.capacity_basis.clone()),
    ])
}

pub async fn edit(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> PageResult {
    let pe = person::get(&s.db, id).await?;
    html(&FormPage {
        l: layout(&s, &p, "Изменение данных человека", "persons").await?,
        f: to_form(&pe.data),
        id: Some(id),
        account: None,
        similar: vec![],
        roles: role_options(),
        heads: vec![],
    })
}

#[derive(Template)]
#[template(path = "persons/card.html")]
struct Card {
    l: Layout,
    p: Person,
    phones: Vec<String>,
    links: Vec<LinkView>,
    benefits: Vec<Benefit>,
    history: Vec<HistoryView>,
    today: String,
    /// The archiving form's date as typed, and why it was refused.
    close_on: String,
    close_error: Option<String>,
}

pub async fn show(
    State(s): State<AppState>,
    Extension(pr): Extension<Principal>,
    Path(id): Path<i64>,
    Query(q): Query<BTreeMap<String, String>>,
) -> PageResult {
    let c = card(&s, &pr, id, flash_of(&q), None).await?;
    html(&c)
}

/// The person's card; `close` is a refused archiving date and its message.
async fn card(
    s: &AppState,
    pr: &Principal,
    id: i64,
    flash: &'static str,
    close: Option<(String, String)>,
) -> Result<Card, crate::PageError> {
    // 152-ФЗ: every opening of a person's card by staff is recorded.
    let p = registry::open_card(
        s,
        id,
        &pr.actor(),
        "карточка в веб-интерфейсе",
        "GET /persons/{id}",
    )
    .await?;
    let links = link::links_of_person(&s.db, id).await?;
    let benefits = link::benefits_of_person(&s.db, id).await?;
    let history = timeline::show(
        s,
        &history::for_card_apart(&s.db, "person", id, 100, 20).await?,
    )
    .await?;
    let l = layout(s, pr, p.full_name.clone(), "persons")
        .await?
        .flash(flash);
    let phones = p.data.phones.iter().map(|x| phone::display(x)).collect();
    let today = s.today().await?.to_string();
    let (close_on, close_error) = match close {
        Some((typed, e)) => (typed, Some(e)),
        None => (today.clone(), None),
    };
    Ok(Card {
        l,
        phones,
        p,
        links,
        benefits,
        history,
        today,
        close_on,
        close_error,
    })
}

/// Archives a person (death, departure) on a date: their links end on it.
pub async fn close(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    body: Bytes,
) -> PageResult {
    let f = FormView::from_body(&body);
    let on = match super::close_date(&f, "closed_on", "Дата") {
        Ok(on) => on,
        Err(e) => {
            let typed = f.v("closed_on").to_string();
            return invalid(&card(&s, &p, id, "", Some((typed, e))).await?);
        }
    };
    registry::close_person(&s, id, on, f.v("reason"), &p.actor()).await?;
    to(format!("/persons/{id}?saved=closed"))
}

#[derive(Template)]
#[template(path = "persons/erase.html")]
struct ErasePage {
    l: Layout,
    p: Person,
    f: FormView,
}

/// Erases the person's personal data (152-ФЗ); a refusal shows the form with the reason.
pub async fn erase(
    State(s): State<AppState>,
    Extension(pr): Extension<Principal>,
    Path(id): Path<i64>,
    body: Bytes,
) -> PageResult {
    let f = FormView::from_body(&body);
    match registry::erase_person(&s, id, f.v("ground"), pr.role, &pr.actor()).await {
        Ok(_) => to(format!("/persons/{id}?saved=erased")),
        Err(AppError::Invalid(e)) => {
            let p = person::get(&s.db, id).await?;
            let l = layout(&s, &pr, "Удаление персональных данных", "persons").await?;
            invalid(&ErasePage {
                l,
                p,
                f: f.errors(e),
            })
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "persons/pick.html")]
struct Pick {
    people: Vec<Person>,
}

/// Candidates for linking to an account (an htmx fragment).
pub async fn pick(
    State(s): State<AppState>,
    Extension(pr): Extension<Principal>,
    Query(q): Query<BTreeMap<String, String>>,
) -> PageResult {
    let text = q.get("q").cloned().unwrap_or_default();
    let hits = abonent_storage::search::search(&s.db, &text, 10).await?;
    let mut people = Vec::new();
    for h in hits
        .into_iter()
        .filter(|h| h.kind == abonent_storage::search::HitKind::Person)
    {
        let mut pe = person::get(&s.db, h.id).await?;
        pe.data = privacy_rules::masked(&pe.data);
        people.push(pe);
    }
    let ids: Vec<i64> = people.iter().map(|pe| pe.id).collect();
    privacy::record_views(&s, &pr.actor(), &ids, "GET /persons/pick").await?;
    Ok(Html(views::render(&Pick { people })).into_response())
}
