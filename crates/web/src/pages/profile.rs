use std::collections::BTreeMap;

use crate::extract::Query;
use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use axum::Extension;

use super::{html, invalid, layout, to, PageResult};
use crate::auth::Principal;
use crate::forms::FormView;
use crate::views::Layout;
use crate::{AppError, AppState};

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
        return Err(AppError::Forbidden.into());
    };
    let (current, password, repeat) = (f.v("current"), f.v("password"), f.v("repeat"));
    match abonent_app::users::change_password(&s, user_id, current, password, repeat).await {
        Ok(()) => {}
        Err(AppError::Invalid(e)) => {
            let l = layout(&s, &p, "Смена пароля", "profile").await?;
            return invalid(&PasswordPage {
                l,
                f: FormView::default().errors(e),
            });
        }
        Err(e) => return Err(e.into()),
    }
    to("/login?next=/".into())
}
