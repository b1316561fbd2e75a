//! Every route, declared once with the access it needs. The router is built from this table
//! and the guard checks access on the server; the route tests walk the same table.

use abonent_domain::Permission;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{header, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::MethodRouter;
use axum::Router;

mod admin;
mod appeals;
mod base;
mod correspondence;
mod documents;
mod ledger;
mod outbox;
mod registry;

use crate::auth::{self, Via};
use crate::{ApiError, AppError, AppState, PageError};

/// Largest request body: registry files up to 50 MB plus form overhead.
pub const BODY_LIMIT: usize = 64 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// No login needed (login page, assets, API description).
    Public,
    /// Any signed-in staff member.
    Staff,
    Perm(Permission),
}

pub struct Route {
    pub method: Method,
    pub path: &'static str,
    pub access: Access,
    /// API routes answer problem+json and accept bearer tokens.
    pub api: bool,
    handler: MethodRouter<AppState>,
}

fn r(method: Method, path: &'static str, access: Access, handler: MethodRouter<AppState>) -> Route {
    Route {
        api: path.starts_with("/api/v1"),
        method,
        path,
        access,
        handler,
    }
}

/// The route table, one part per area.
pub fn all() -> Vec<Route> {
    [
        base::routes(),
        admin::routes(),
        outbox::routes(),
        registry::routes(),
        appeals::routes(),
        documents::routes(),
        correspondence::routes(),
        ledger::routes(),
    ]
    .into_iter()
    .flatten()
    .collect()
}

pub fn router(state: AppState) -> Router {
    let mut router = Router::new();
    for route in all() {
        let (access, api) = (route.access, route.api);
        let guarded = route.handler.route_layer(middleware::from_fn_with_state(
            state.clone(),
            move |s: State<AppState>, req: Request, next: Next| guard(s, access, api, req, next),
        ));
        router = router.route(route.path, guarded);
    }
    router
        .fallback(|| async {
            PageError(AppError::NotFound("такой страницы нет".into()))
        })
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .with_state(state)
}

fn refuse(api: bool, e: AppError) -> Response {
    if api {
        ApiError(e).into_response()
    } else {
        PageError(e).into_response()
    }
}

/// Authenticate, authorize and check CSRF before the handler runs.
async fn guard(
    State(state): State<AppState>,
    access: Access,
    api: bool,
    req: Request,
    next: Next,
) -> Response {
    let principal = match auth::principal(&state.db, req.headers(), api).await {
        Ok(p) => p,
        Err(e) => return refuse(api, e.into()),
    };
    let Some(principal) = principal else {
        if access == Access::Public {
            return next.run(req).await;
        }
        if api {
            return refuse(api, AppError::Unauthorized);
        }
        let next_url = req
            .uri()
            .path_and_query()
            .map(|p| p.as_str())
            .unwrap_or("/");
        let target = format!(
            "/login?next={}",
            url::form_urlencoded::byte_serialize(next_url.as_bytes()).collect::<String>()
        );
        return Redirect::to(&target).into_response();
    };
    if let Access::Perm(p) = access {
        if !principal.can(p) {
            return refuse(api, AppError::Forbidden);
        }
    }
    let mut req = req;
    if principal.via == Via::Session && !matches!(*req.method(), Method::GET | Method::HEAD) {
        let (parts, body) = req.into_parts();
        let bytes = match axum::body::to_bytes(body, BODY_LIMIT).await {
            Ok(b) => b,
            Err(_) => {
                return refuse(
                    api,
                    AppError::BadRequest("Слишком большой запрос: не более 50 МБ.".into()),
                )
            }
        };
        let expected = principal.csrf.clone().unwrap_or_default();
        if !csrf_ok(&parts, &bytes, &expected) {
            return (
                StatusCode::FORBIDDEN,
                refuse(api, AppError::BadRequest(
                    "Форма устарела: нет защитного кода (CSRF). Обновите страницу и отправьте её снова.".into(),
                )),
            )
                .into_response();
        }
        req = Request::from_parts(parts, Body::from(bytes));
    }
    req.extensions_mut().insert(principal);
    next.run(req).await
}

fn csrf_ok(parts: &axum::http::request::Parts, body: &[u8], expected: &str) -> bool {
    if expected.is_empty() {
        return false;
    }
    let given = parts
        .headers
        .get(auth::CSRF_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .or_else(|| {
            let ct = parts
                .headers
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            let source: &[u8] = if ct.starts_with("application/x-www-form-urlencoded") {
                body
            } else {
                parts.uri.query().unwrap_or("").as_bytes()
            };
            url::form_urlencoded::parse(source)
                .find(|(k, _)| k == auth::CSRF_FIELD)
                .map(|(_, v)| v.into_owned())
        });
    given.is_some_and(|g| auth::same_secret(&g, expected))
}
