//! The reference data of appeals: the category tree, deadline rules and the bindings that
//! choose a rule for an appeal; pages for the administrator and the API.

use abonent_domain::Permission::*;
use axum::http::Method as M;
use axum::routing::{delete, get, post, put};

use crate::routes::Access::*;
use crate::routes::{r, Route};

pub(super) fn routes() -> Vec<Route> {
    use crate::api::appeals::reference as api;
    use crate::pages::appeals::reference as a;
    let admin = Perm(ManageReferenceData);
    vec![
        r(
            M::GET,
            "/admin/appeal-categories",
            admin,
            get(a::categories),
        ),
        r(
            M::POST,
            "/admin/appeal-categories",
            admin,
            post(a::create_category),
        ),
        r(
            M::POST,
            "/admin/appeal-categories/{id}",
            admin,
            post(a::update_category),
        ),
        r(M::GET, "/admin/deadline-rules", admin, get(a::rules)),
        r(M::POST, "/admin/deadline-rules", admin, post(a::save_rules)),
        r(
            M::POST,
            "/admin/deadline-rules/new",
            admin,
            post(a::create_rule),
        ),
        r(
            M::POST,
            "/admin/deadline-bindings",
            admin,
            post(a::create_binding),
        ),
        r(
            M::POST,
            "/admin/deadline-bindings/{id}/remove",
            admin,
            post(a::remove_binding),
        ),
        r(
            M::GET,
            "/api/v1/appeal-categories",
            Perm(ViewAppeals),
            get(api::categories),
        ),
        r(
            M::POST,
            "/api/v1/appeal-categories",
            admin,
            post(api::create_category),
        ),
        r(
            M::PUT,
            "/api/v1/appeal-categories/{id}",
            admin,
            put(api::update_category),
        ),
        r(
            M::GET,
            "/api/v1/deadline-rules",
            Perm(ViewAppeals),
            get(api::rules),
        ),
        r(
            M::PUT,
            "/api/v1/deadline-rules/{code}",
            admin,
            put(api::save_rule),
        ),
        r(
            M::GET,
            "/api/v1/deadline-bindings",
            Perm(ViewAppeals),
            get(api::bindings),
        ),
        r(
            M::POST,
            "/api/v1/deadline-bindings",
            admin,
            post(api::create_binding),
        ),
        r(
            M::DELETE,
            "/api/v1/deadline-bindings/{id}",
            admin,
            delete(api::remove_binding),
        ),
    ]
}
