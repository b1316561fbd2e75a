//! Administration: staff accounts, API tokens, organization settings.

use std::collections::BTreeMap;

use crate::extract::{Path, Query};
use abonent_app::users as app_users;
use abonent_domain::Role;
use abonent_storage::users::{self, ApiToken, User};
use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use axum::Extension;

use crate::auth::Principal;
use crate::forms::FormView;
use crate::pages::{flash_of, html, invalid, layout, to, PageResult};
use crate::views::Layout;
use crate::{AppError, AppState};

pub struct RoleChoice {
    pub code: &'static str,
    pub title: &'static str,
}

fn roles() -> Vec<RoleChoice> {
    Role::ALL
        .iter()
        .map(|r| RoleChoice {
            code: r.code(),
            title: r.title(),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "admin/users.html")]
struct UsersPage {
    l: Layout,
    users: Vec<User>,
    f: FormView,
    roles: Vec<RoleChoice>,
}

pub async fn users(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Query(q): Query<BTreeMap<String, String>>,
) -> PageResult {
    let l = layout(&s, &p, "Пользователи", "users")
        .await?
        .flash(flash_of(&q));
    html(&UsersPage {
        l,
        users: users::list(&s.db).await?,
        f: FormView::default(),
        roles: roles(),
    })
}

pub async fn create_user(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    body: Bytes,
) -> PageResult {
    let f = FormView::from_body(&body);
    let role = Role::from_code(f.v("role"));
    let (login, name, password) = (f.v("login"), f.v("full_name"), f.v("password"));
    match app_users::create_user(&s, login, name, role, password).await {
        Ok(_) => to("/admin/users?saved=1".into()),
        Err(AppError::Invalid(e)) => {
            let l = layout(&s, &p, "Пользователи", "users").await?;
            let mut f = f.errors(e);
            f.values.remove("password");
            invalid(&UsersPage {
                l,
                users: users::list(&s.db).await?,
                f,
                roles: roles(),
            })
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn set_active(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    body: Bytes,
) -> PageResult {
    let f = FormView::from_body(&body);
    app_users::set_active(&s, id, f.checked("active"), p.user_id).await?;
    to("/admin/users?saved=1".into())
}

#[derive(Template)]
#[template(path = "admin/tokens.html")]
struct TokensPage {
    l: Layout,
    tokens: Vec<ApiToken>,
    f: FormView,
    roles: Vec<RoleChoice>,
    secret: String,
}

pub async fn tokens(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Query(q): Query<BTreeMap<String, String>>,
) -> PageResult {
    let l = layout(&s, &p, "API-токены", "tokens")
        .await?
        .flash(flash_of(&q));
    html(&TokensPage {
        l,
        tokens: users::list_tokens(&s.db).await?,
        f: FormView::default(),
        roles: roles(),
        secret: String::new(),
    })
}

pub async fn create_token(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    body: Bytes,
) -> PageResult {
    let f = FormView::from_body(&body);
    let role = Role::from_code(f.v("role"));
    let result = app_users::create_token(&s, f.v("name"), role, p.user_id).await;
    let l = layout(&s, &p, "API-токены", "tokens").await?;
    match result {
        // The secret is shown once, on this response only.
        Ok((_, secret)) => html(&TokensPage {
            l: l.flash("Токен создан. Скопируйте его сейчас: больше он показан не будет."),
            tokens: users::list_tokens(&s.db).await?,
            f: FormView::default(),
            roles: roles(),
            secret,
        }),
        Err(AppError::Invalid(e)) => invalid(&TokensPage {
            l,
            tokens: users::list_tokens(&s.db).await?,
            f: f.errors(e),
            roles: roles(),
            secret: String::new(),
        }),
        Err(e) => Err(e.into()),
    }
}

pub async fn revoke_token(State(s): State<AppState>, Path(id): Path<i64>) -> PageResult {
    app_users::revoke_token(&s, id).await?;
    to("/admin/tokens?saved=1".into())
}
