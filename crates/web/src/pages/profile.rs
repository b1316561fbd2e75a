use std::collections::BTreeMap;

use crate::extract::Query;
use abonent_domain::ValidationErrors;
use abonent_storage::users;
use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use axum::Extension;

use super::{html, invalid, layout, to, PageResult};
use crate::auth::Principal;
use crate::forms::FormView;
use crate::views::Layout;
use crate::AppState;

#[derive(Template)]
#[template(path = "admin/password.html")]
struct PasswordPage {
    l: Layout,
    f: FormView,
}

pub async fn form(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Query(q): Query<BTreeMap<String, String>>,
) -> PageResult {
    let l = layout(&s, &p, "Смена пароля", "profile")
        .await?
        .flash(super::flash_of(&q));
    html(&PasswordPage {
        l,
        f: FormView::default(),
    })
}

pub async fn submit(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    body: Bytes,
) -> PageResult {
    let f = FormView::from_body(&body);
    let Some(user_id) = p.user_id else {
        return Err(crate::AppError::Forbidden.into());
    };
    let mut e = ValidationErrors::new();
    if !users::check_password(&s.db, user_id, f.v("current")).await? {
        e.add("current", "Текущий пароль введён неверно.");
    }
    if f.v("password") != f.v("repeat") {
        e.add(
            "repeat",
            "Пароли не совпадают: введите новый пароль ещё раз.",
        );
    }
    if let Err(v) = users::validate_password(f.v("password")) {
        e.0.extend(v.0);
    }
    if !e.is_empty() {
        let l = layout(&s, &p, "Смена пароля", "profile").await?;
        return invalid(&PasswordPage {
            l,
            f: FormView::default().errors(e),
        });
    }
    users::set_password(&s.db, user_id, f.v("password")).await?;
    to("/login?next=/".into())
}
