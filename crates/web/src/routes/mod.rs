//! Every route, declared once with the access it needs. The router is built from this table
//! and the guard checks access on the server; the route tests walk the same table.

use abonent_domain::Permission;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::MethodRouter;
use axum::Router;

mod absences;
mod admin;
mod appeals;
mod base;
mod consultations;
mod correspondence;
mod csrf;
mod documents;
mod knowledge;
mod ledger;
mod outages;
mod outbox;
mod privacy;
mod registry;
mod reports;
mod tariffs;

use crate::auth::{self, Via};
use crate::error::Refusal;
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
        privacy::routes(),
        appeals::routes(),
        documents::routes(),
        correspondence::routes(),
        ledger::routes(),
        reports::routes(),
        tariffs::routes(),
        absences::routes(),
        consultations::routes(),
        outages::routes(),
        knowledge::routes(),
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
    outer_layers(router.fallback(|uri: axum::http::Uri| async move {
        let e = AppError::NotFound("такой страницы нет".into());
        if crate::error::is_api(uri.path()) {
            ApiError(e).into_response()
        } else {
            PageError(e).into_response()
        }
    }))
    .with_state(state)
}

/// What every answer passes through, whatever its route: the body limit, Russian
/// problem+json for axum's own refusals, the security headers, and a 500 for a handler that
/// panicked (the connection used to drop without an answer).
fn outer_layers<S: Clone + Send + Sync + 'static>(router: Router<S>) -> Router<S> {
    router
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(middleware::from_fn(crate::error::api_plain_errors))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(
            crate::error::panicked,
        ))
        .layer(middleware::from_fn(crate::headers::secure))
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
                return Refusal {
                    api,
                    status: StatusCode::PAYLOAD_TOO_LARGE,
                    title: "Слишком большой запрос",
                    detail: "Слишком большой запрос: не более 50 МБ.".into(),
                    field: None,
                }
                .into_response()
            }
        };
        let expected = principal.csrf.clone().unwrap_or_default();
        if !csrf::given(&parts, &bytes)
            .await
            .is_some_and(|g| !expected.is_empty() && auth::same_secret(&g, &expected))
        {
            return Refusal {
                api,
                status: StatusCode::FORBIDDEN,
                title: "Форма устарела",
                detail: "Форма устарела: нет защитного кода (CSRF). Обновите страницу и отправьте её снова.".into(),
                field: Some(auth::CSRF_FIELD.into()),
            }
            .into_response();
        }
        req = Request::from_parts(parts, Body::from(bytes));
    }
    req.extensions_mut().insert(principal);
    next.run(req).await
}

#[cfg(test)]
mod panic_tests {
    use axum::body::Body;
    use axum::http::{Request, StatusCode};
    use tower::ServiceExt;

    #[tokio::test]
    async fn a_handler_that_panics_answers_500_in_russian() {
        let router: axum::Router<()> = super::outer_layers(axum::Router::new().route(
            "/api/v1/boom",
            axum::routing::get(|| async {
                if true {
                    panic!("boom");
                }
                ""
            }),
        ));
        let res = router
            .oneshot(Request::get("/api/v1/boom").body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(
            res.headers()["content-type"],
            "application/problem+json",
            "{:?}",
            res.headers()
        );
        assert!(res.headers().contains_key("x-content-type-options"));
        let body = axum::body::to_bytes(res.into_body(), 1 << 16)
            .await
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(v["status"], 500);
        assert!(v["title"].as_str().unwrap().contains("ошибка"), "{v}");
    }
}
