//! The notifications outbox for administrators: pages and API.

use abonent_domain::Permission::*;
use axum::http::Method as M;
use axum::routing::{get, post};

use crate::routes::Access::*;
use crate::routes::{r, Route};
use crate::{api, pages};

pub(super) fn routes() -> Vec<Route> {
    let admin = Perm(ManageUsers);
    vec![
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
