//! Sign-in, assets, the API description, the home page and one's own profile.

use axum::http::Method as M;
use axum::routing::{get, post};

use super::Access::*;
use super::{r, Route};
use crate::{api, assets, pages};

pub(super) fn routes() -> Vec<Route> {
    vec![
        // Public
        r(M::GET, "/login", Public, get(pages::login::form)),
        r(M::POST, "/login", Public, post(pages::login::submit)),
        r(M::GET, "/assets/{name}", Public, get(assets::file)),
        r(M::GET, "/api/docs", Public, get(assets::api_docs)),
        r(
            M::GET,
            "/api/v1/openapi.json",
            Public,
            get(api::openapi::spec),
        ),
        r(M::GET, "/health", Public, get(pages::home::health)),
        // Any staff
        r(M::POST, "/logout", Staff, post(pages::login::logout)),
        r(M::GET, "/", Staff, get(pages::home::index)),
        r(
            M::GET,
            "/profile/password",
            Staff,
            get(pages::profile::form),
        ),
        r(
            M::POST,
            "/profile/password",
            Staff,
            post(pages::profile::submit),
        ),
        r(M::GET, "/api/v1/me", Staff, get(api::me)),
    ]
}
