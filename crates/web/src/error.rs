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
        (
            status(&e),
            [(header::CONTENT_TYPE, "application/problem+json")],
            body.to_string(),
        )
            .into_response()
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
