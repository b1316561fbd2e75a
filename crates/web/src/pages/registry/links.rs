//! Links between people and accounts, and benefits: edited from the cards.

use crate::extract::Path;
use abonent_app::registry;
use abonent_domain::registry::{BenefitForm, LinkForm, RegistrationForm};
use abonent_storage::registry::{link, person, Benefit, LinkView, Person};
use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use axum::Extension;

use super::accounts::{kin_heads, role_options, KinHead, RoleOption};
use crate::auth::Principal;
use crate::forms::{self, FormView};
use crate::pages::{html, invalid, layout, to, PageResult};
use crate::views::Layout;
use crate::{AppError, AppState};

/// Link a person picked on the account card.
pub async fn create(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    body: Bytes,
) -> PageResult {
    let form: LinkForm = forms::parse(&body)?;
    let id = registry::create_link(&s, &form, &p.actor()).await?;
    let x = link::get_link(&s.db, id).await?;
    to(format!("/accounts/{}?saved=1", x.link.data.account_id))
}

#[derive(Template)]
#[template(path = "links/edit.html")]
struct EditLink {
    l: Layout,
    f: FormView,
    x: LinkView,
    roles: Vec<RoleOption>,
    /// «Чей родственник»: the account's owners and tenants.
    heads: Vec<KinHead>,
    /// The closing form's date as typed, and why it was refused.
    close_on: String,
    close_error: Option<String>,
}

fn link_form(x: &LinkView) -> FormView {
    let d = &x.link.data;
    let r = RegistrationForm::of(&d.registration);
    FormView::with([
        ("account_id", Some(d.account_id.to_string())),
        ("person_id", Some(d.person_id.to_string())),
        ("role", Some(d.role.code().to_string())),
        ("share", d.share.map(|s| s.to_string())),
        ("from_date", d.from_date.map(|v| v.to_string())),
        ("to_date", d.to_date.map(|v| v.to_string())),
        ("registration_kind", r.registration_kind),
        ("stay_until", r.stay_until),
        ("arrived_on", r.arrived_on),
        ("departed_on", r.departed_on),
        ("kinship", r.kinship),
        ("kin_of", r.kin_of),
    ])
}

async fn heads_of(s: &AppState, x: &LinkView) -> Result<Vec<KinHead>, AppError> {
    let links = link::links_of_account(&s.db, x.link.data.account_id).await?;
    Ok(kin_heads(&links, Some(x.link.data.person_id)))
}

pub async fn edit(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> PageResult {
    let x = link::get_link(&s.db, id).await?;
    html(&EditLink {
        l: layout(&s, &p, "Связь со счётом", "accounts").await?,
        f: link_form(&x),
        heads: heads_of(&s, &x).await?,
        x,
        roles: role_options(),
        close_on: s.today().await?.to_string(),
        close_error: None,
    })
}

pub async fn update(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    body: Bytes,
) -> PageResult {
    let x = link::get_link(&s.db, id).await?;
    let form: LinkForm = forms::parse(&body)?;
    match registry::update_link(&s, id, &form, &p.actor()).await {
        Ok(()) => to(format!("/accounts/{}?saved=1", x.link.data.account_id)),
        Err(AppError::Invalid(e)) => invalid(&EditLink {
            l: layout(&s, &p, "Связь со счётом", "accounts").await?,
            f: FormView::from_body(&body).errors(e),
            heads: heads_of(&s, &x).await?,
            x,
            roles: role_options(),
            close_on: s.today().await?.to_string(),
            close_error: None,
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
    let x = link::get_link(&s.db, id).await?;
    let on = match super::close_date(&f, "to_date", "Дата окончания") {
        Ok(on) => on,
        Err(e) => {
            return invalid(&EditLink {
                l: layout(&s, &p, "Связь со счётом", "accounts").await?,
                f: link_form(&x),
                heads: heads_of(&s, &x).await?,
                x,
                roles: role_options(),
                close_on: f.v("to_date").to_string(),
                close_error: Some(e),
            })
        }
    };
    registry::close_link(&s, id, on, f.v("reason"), &p.actor()).await?;
    to(format!("/accounts/{}?saved=closed", x.link.data.account_id))
}

pub async fn create_benefit(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    body: Bytes,
) -> PageResult {
    let form: BenefitForm = forms::parse(&body)?;
    let id = registry::create_benefit(&s, &form, &p.actor()).await?;
    let b = link::get_benefit(&s.db, id).await?;
    to(format!("/persons/{}?saved=1", b.data.person_id))
}

#[derive(Template)]
#[template(path = "links/benefit.html")]
struct EditBenefit {
    l: Layout,
    f: FormView,
    b: Benefit,
    person: Person,
}

pub async fn edit_benefit(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> PageResult {
    let b = link::get_benefit(&s.db, id).await?;
    let person = person::get(&s.db, b.data.person_id).await?;
    let f = FormView::with([
        ("person_id", Some(b.data.person_id.to_string())),
        ("category", Some(b.data.category.clone())),
        ("document", b.data.document.clone()),
        ("from_date", Some(b.data.from_date.to_string())),
        ("to_date", b.data.to_date.map(|v| v.to_string())),
    ]);
    html(&EditBenefit {
        l: layout(&s, &p, "Льгота", "persons").await?,
        f,
        b,
        person,
    })
}

pub async fn update_benefit(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    body: Bytes,
) -> PageResult {
    let b = link::get_benefit(&s.db, id).await?;
    let form: BenefitForm = forms::parse(&body)?;
    match registry::update_benefit(&s, id, &form, &p.actor()).await {
        Ok(()) => to(format!("/persons/{}?saved=1", b.data.person_id)),
        Err(AppError::Invalid(e)) => {
            let person = person::get(&s.db, b.data.person_id).await?;
            invalid(&EditBenefit {
                l: layout(&s, &p, "Льгота", "persons").await?,
                f: FormView::from_body(&body).errors(e),
                b,
                person,
            })
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn close_benefit(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    body: Bytes,
) -> PageResult {
    let f = FormView::from_body(&body);
    let b = link::get_benefit(&s.db, id).await?;
    registry::close_benefit(&s, id, f.v("reason"), &p.actor()).await?;
    to(format!("/persons/{}?saved=closed", b.data.person_id))
}
