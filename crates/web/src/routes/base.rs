//! Sign-in, assets, the home page, search and staff administration (users, tokens, outbox).

use abonent_domain::Permission::*;
use axum::http::Method as M;
use axum::routing::{get, post};

use super::Access::*;
use super::{r, Route};
use crate::{api, assets, pages};

pub(super) fn routes() -> Vec<Route> {
    let view = Perm(ViewRegistry);
    let admin = Perm(ManageUsers);
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
        // Search
        r(M::GET, "/search", view, get(pages::registry::search::page)),
        r(M::GET, "/api/v1/search", view, get(api::search)),
        // Administration
        r(
            M::GET,
            "/admin/users",
            admin,
            get(pages::admin::staff::users),
        ),
        r(
            M::POST,
            "/admin/users",
            admin,
            post(pages::admin::staff::create_user),
        ),
        r(
            M::POST,
            "/admin/users/{id}/active",
            admin,
            post(pages::admin::staff::set_active),
        ),
        r(
            M::GET,
            "/admin/tokens",
            admin,
            get(pages::admin::staff::tokens),
        ),
        r(
            M::POST,
            "/admin/tokens",
            admin,
            post(pages::admin::staff::create_token),
        ),
        r(
            M::POST,
            "/admin/tokens/{id}/revoke",
            admin,
            post(pages::admin::staff::revoke_token),
        ),
        r(
            M::GET,
            "/admin/settings",
            admin,
            get(pages::admin::staff::settings),
        ),
        r(
            M::POST,
            "/admin/settings",
            admin,
            post(pages::admin::staff::save_settings),
        ),
        // Notifications outbox
        r(M::GET, "/admin/outbox", admin, get(pages::outbox::list)),
        r(
            M::POST,
            "/admin/outbox/{id}/retry",
            admin,
            post(pages::outbox::retry),
        ),
        r(
            M::POST,
            "/admin/outbox/{id}/cancel",
            admin,
            post(pages::outbox::cancel),
        ),
        r(M::GET, "/api/v1/outbox", admin, get(api::outbox::list)),
        r(M::GET, "/api/v1/outbox/{id}", admin, get(api::outbox::show)),
        r(
            M::POST,
            "/api/v1/outbox/{id}/retry",
            admin,
            post(api::outbox::retry),
        ),
        r(
            M::POST,
            "/api/v1/outbox/{id}/cancel",
            admin,
            post(api::outbox::cancel),
        ),
    ]
}
