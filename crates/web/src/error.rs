//! The HTTP face of the use cases' one error: an HTML page with its Russian message, or an
//! RFC 9457 problem document (`application/problem+json`) with a message per field in the API.

use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use serde_json::json;

pub use abonent_app::AppError;

/// The HTTP status of a use case's error: the one place it is decided.
fn status(e: &AppError) -> StatusCode {
    match e {
        AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
        AppError::NotFound(_) => StatusCode::NOT_FOUND,
        AppError::Unauthorized => StatusCode::UNAUTHORIZED,
        AppError::Forbidden => StatusCode::FORBIDDEN,
        AppError::Conflict { .. } => StatusCode::CONFLICT,
        AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
        AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// An error answered as `application/problem+json`.
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl<E: Into<AppError>> From<E> for ApiError {
    fn from(e: E) -> Self {
        ApiError(e.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let e = self.0;
        let mut body = json!({
            "type": "about:blank",
            "title": e.title(),
            "status": status(&e).as_u16(),
            "detail": e.detail(),
        });
        if let AppError::Invalid(v) = &e {
            body["errors"] = serde_json::to_value(&v.0).unwrap_or_default();
        }
        if let AppError::Conflict { extra, .. } = &e {
            if let (Some(obj), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
                obj.extend(extra.clone());
            }
        }
        problem(status(&e), body)
    }
}

/// The answer to a handler that panicked: 500 problem+json in Russian. The panic itself is
/// printed to the server's log by the panic hook; nothing of it goes to the client.
pub fn panicked(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    problem(
        StatusCode::INTERNAL_SERVER_ERROR,
        json!({
            "type": "about:blank",
            "title": "Внутренняя ошибка сервера",
            "status": 500,
            "detail": "Запрос не выполнен из-за ошибки в программе; она записана в журнал сервера. \
                       Повторите позже или сообщите администратору.",
        }),
    )
}

fn problem(status: StatusCode, body: serde_json::Value) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/problem+json")],
        body.to_string(),
    )
        .into_response()
}

/// A request refused before any use case runs (a malformed address, query or body, a
/// missing CSRF token), with its own status: problem+json on the API (`errors` names the
/// field when there is one), an error page elsewhere. The body's `status` is the HTTP one.
#[derive(Debug)]
pub struct Refusal {
    pub api: bool,
    pub status: StatusCode,
    pub title: &'static str,
    pub detail: String,
    pub field: Option<String>,
}

impl Refusal {
    /// A bad request about `field`, answered the way the request's path calls for.
    pub fn field(path: &str, field: &str, detail: String) -> Refusal {
        Refusal {
            api: is_api(path),
            status: StatusCode::BAD_REQUEST,
            title: "Неверный запрос",
            detail,
            field: Some(field.to_string()),
        }
    }
}

/// Whether a path belongs to the JSON API (answers problem+json).
pub fn is_api(path: &str) -> bool {
    path == "/api/v1" || path.starts_with("/api/v1/")
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        if !self.api {
            let page = crate::views::ErrorPage {
                title: self.title,
                detail: self.detail,
                status: self.status.as_u16(),
            };
            return (self.status, Html(crate::views::render(&page))).into_response();
        }
        let mut body = json!({
            "type": "about:blank",
            "title": self.title,
            "status": self.status.as_u16(),
            "detail": self.detail,
        });
        if let Some(field) = self.field {
            body["errors"] = json!([{ "field": field, "message": self.detail }]);
        }
        problem(self.status, body)
    }
}

/// An error answered as an HTML page.
#[derive(Debug)]
pub struct PageError(pub AppError);

impl<E: Into<AppError>> From<E> for PageError {
    fn from(e: E) -> Self {
        PageError(e.into())
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let e = self.0;
        let page = crate::views::ErrorPage {
            title: e.title(),
            detail: e.detail(),
            status: status(&e).as_u16(),
        };
        (status(&e), Html(crate::views::render(&page))).into_response()
    }
}

/// The API's safety net: an answer of an API path that is an error in plain text (a refusal
/// of axum itself: an unknown method, a body over the limit, an unsupported content type) is
/// turned into problem+json with a Russian detail and the same status.
pub async fn api_plain_errors(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let api = is_api(req.uri().path());
    let method = req.method().clone();
    let res = next.run(req).await;
    let status = res.status();
    let plain = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|v| v.starts_with("text/plain"));
    if !api || !plain || !(status.is_client_error() || status.is_server_error()) {
        return res;
    }
    let detail = match status {
        StatusCode::NOT_FOUND => "Такого адреса в API нет: сверьтесь со справочником /api/docs.".to_string(),
        StatusCode::METHOD_NOT_ALLOWED => format!("Метод {method} для этого адреса не поддерживается: сверьтесь со справочником /api/docs."),
        StatusCode::PAYLOAD_TOO_LARGE => "Слишком большой запрос: не более 50 МБ.".into(),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "Неверный заголовок Content-Type: для тела JSON укажите application/json.".into(),
        s if s.is_server_error() => "Сервер не смог выполнить действие. Повторите попытку; если ошибка повторится, сообщите администратору.".into(),
        _ => "Запрос не разобран: сверьтесь со справочником /api/docs.".into(),
    };
    problem(
        status,
        json!({
            "type": "about:blank",
            "title": "Неверный запрос",
            "status": status.as_u16(),
            "detail": detail,
        }),
    )
}
