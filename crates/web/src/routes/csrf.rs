//! Where a session's write carries its CSRF token: the `X-CSRF-Token` header (htmx, scripts),
//! the `_csrf` field of a urlencoded form, or the `_csrf` field of a multipart form before
//! its first file. Never the query string: an address ends up in logs, history and the
//! Referer of whatever the page links to.

use axum::body::{Body, Bytes};
use axum::extract::{FromRequest, Multipart, Request};
use axum::http::header;
use axum::http::request::Parts;

use crate::auth;

/// The token the request carries, if any.
pub(super) async fn given(parts: &Parts, body: &Bytes) -> Option<String> {
    if let Some(v) = parts.headers.get(auth::CSRF_HEADER) {
        return v.to_str().ok().map(str::to_string);
    }
    let ct = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if ct.starts_with("application/x-www-form-urlencoded") {
        url::form_urlencoded::parse(body)
            .find(|(k, _)| k == auth::CSRF_FIELD)
            .map(|(_, v)| v.into_owned())
    } else if ct.starts_with("multipart/form-data") {
        multipart_field(ct, body.clone()).await
    } else {
        None
    }
}

/// The `_csrf` field of a multipart body, read before any file: forms put it first, and a
/// request is refused before its upload is looked at.
async fn multipart_field(content_type: &str, body: Bytes) -> Option<String> {
    let req = Request::builder()
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body))
        .ok()?;
    let mut mp = Multipart::from_request(req, &()).await.ok()?;
    while let Ok(Some(field)) = mp.next_field().await {
        if field.file_name().is_some() {
            return None;
        }
        if field.name() == Some(auth::CSRF_FIELD) {
            return field.text().await.ok();
        }
    }
    None
}
