use std::collections::BTreeMap;
use std::time::Duration;

use crate::extract::Query;
use abonent_storage::users::{self, LoginOutcome};
use askama::Template;
use axum::extract::State;
use axum::http::header;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use serde::Deserialize;

use crate::auth::{self, Principal};
use crate::views::render;
use crate::AppState;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    error: String,
    login: String,
    next: String,
}

/// Where to go after signing in: only a path on this site. Browsers read a backslash as a
/// slash, so `/\evil.example/` would leave the site like `//evil.example/` does; a path
/// with a backslash, a control character or a space is refused as a whole.
fn safe_next(next: &str) -> String {
    let local = next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains('\\')
        && !next.chars().any(|c| c.is_control() || c.is_whitespace());
    if local {
        next.to_string()
    } else {
        "/".into()
    }
}

pub async fn form(Query(q): Query<BTreeMap<String, String>>) -> Response {
    Html(render(&LoginPage {
        error: String::new(),
        login: String::new(),
        next: safe_next(q.get("next").map(String::as_str).unwrap_or("/")),
    }))
    .into_response()
}

#[derive(Deserialize)]
pub struct LoginForm {
    login: String,
    password: String,
    #[serde(default)]
    next: String,
}

pub async fn submit(
    State(s): State<AppState>,
    headers: axum::http::HeaderMap,
    Form(f): Form<LoginForm>,
) -> Response {
    let fail = |msg: String| {
        (
            axum::http::StatusCode::UNAUTHORIZED,
            Html(render(&LoginPage {
                error: msg,
                login: f.login.clone(),
                next: safe_next(&f.next),
            })),
        )
            .into_response()
    };
    match users::login(&s.db, &f.login, &f.password, s.clock().now()).await {
        Ok(LoginOutcome::Ok(user)) => match users::create_session(&s.db, user.id).await {
            Ok(sess) => {
                let mut next = safe_next(&f.next);
                // A new installation: the administrator is led through the first-run setup.
                if next == "/"
                    && user
                        .role
                        .can(abonent_domain::Permission::ManageReferenceData)
                    && crate::pages::admin::setup::missing(&s)
                        .await
                        .is_ok_and(|m| !m.is_empty())
                {
                    next = "/admin/setup".into();
                }
                (
                    [(
                        header::SET_COOKIE,
                        auth::session_cookie(&sess.token, auth::over_https(&s, &headers).await),
                    )],
                    Redirect::to(&next),
                )
                    .into_response()
            }
            Err(_) => fail("Не удалось начать сеанс. Повторите попытку.".into()),
        },
        Ok(LoginOutcome::Wrong { failed }) => {
            // Each failure in a row answers more slowly, to blunt password guessing.
            tokio::time::sleep(Duration::from_millis(250 * failed.clamp(1, 8) as u64)).await;
            fail(format!(
                "Неверный логин или пароль. После {} неудачных попыток вход будет временно заблокирован.",
                users::MAX_FAILED_LOGINS
            ))
        }
        Ok(LoginOutcome::Locked { until }) => {
            // The organization's clock, as everywhere else; UTC only if the zone is unreadable.
            let at = match s.zone().await {
                Ok(tz) => until.with_timezone(&tz).format("%H:%M").to_string(),
                Err(_) => format!("{} UTC", until.format("%H:%M")),
            };
            fail(format!(
                "Слишком много неудачных попыток: вход заблокирован до {at}. Обратитесь к администратору, если это не вы."
            ))
        }
        Err(_) => fail("Сервер не смог проверить пароль. Повторите попытку.".into()),
    }
}

pub async fn logout(
    State(s): State<AppState>,
    headers: axum::http::HeaderMap,
    Extension(_p): Extension<Principal>,
) -> Response {
    if let Some(token) = auth::cookie(&headers, auth::SESSION_COOKIE) {
        // The cookie is cleared either way; a session left behind expires on its own.
        if let Err(e) = users::delete_session(&s.db, &token).await {
            tracing::warn!("logout: the session was not deleted: {e}");
        }
    }
    (
        [(header::SET_COOKIE, auth::clear_cookie())],
        Redirect::to("/login"),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_is_only_a_path_on_this_site() {
        for ok in [
            "/",
            "/accounts",
            "/appeals?view=overdue&page=2",
            "/accounts/12#history",
        ] {
            assert_eq!(safe_next(ok), ok);
        }
        for bad in [
            "//evil.example/",
            "/\\evil.example/",
            "/\\/evil.example",
            "\\\\evil.example",
            "https://evil.example/",
            "evil.example",
            "/\tevil",
            "/ /evil.example",
            "",
        ] {
            assert_eq!(safe_next(bad), "/", "{bad:?}");
        }
    }
}
