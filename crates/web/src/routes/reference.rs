//! Reference data administrators keep: organization details, numbering, calendar, rules.

use abonent_domain::Permission::*;
use axum::http::Method as M;
use axum::routing::{delete, get, post, put};

use super::Access::*;
use super::{r, Route};
use crate::{api, pages};

pub(super) fn routes() -> Vec<Route> {
    use pages::admin::organization as p;
    use pages::appeals::reference as a;
    let admin = Perm(ManageReferenceData);
    vec![
        r(M::GET, "/admin/organization", admin, get(p::organization)),
        r(
            M::POST,
            "/admin/organization",
            admin,
            post(p::save_organization),
        ),
        r(M::GET, "/admin/numbering", admin, get(p::numbering_page)),
        r(M::POST, "/admin/numbering", admin, post(p::save_numbering)),
        r(M::GET, "/admin/calendar", admin, get(p::calendar_view)),
        r(M::POST, "/admin/calendar", admin, post(p::save_calendar)),
        r(
            M::POST,
            "/admin/calendar/{year}/remove",
            admin,
            post(p::remove_calendar_year),
        ),
        r(M::GET, "/admin/answer-rules", admin, get(p::answer_rules)),
        r(
            M::POST,
            "/admin/answer-rules",
            admin,
            post(p::save_answer_rules),
        ),
        r(
            M::POST,
            "/admin/answer-rules/{kind}/reset",
            admin,
            post(p::reset_answer_rule),
        ),
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
            get(api::appeals::reference::categories),
        ),
        r(
            M::POST,
            "/api/v1/appeal-categories",
            admin,
            post(api::appeals::reference::create_category),
        ),
        r(
            M::PUT,
            "/api/v1/appeal-categories/{id}",
            admin,
            put(api::appeals::reference::update_category),
        ),
        r(
            M::GET,
            "/api/v1/deadline-rules",
            Perm(ViewAppeals),
            get(api::appeals::reference::rules),
        ),
        r(
            M::PUT,
            "/api/v1/deadline-rules/{code}",
            admin,
            put(api::appeals::reference::save_rule),
        ),
        r(
            M::GET,
            "/api/v1/deadline-bindings",
            Perm(ViewAppeals),
            get(api::appeals::reference::bindings),
        ),
        r(
            M::POST,
            "/api/v1/deadline-bindings",
            admin,
            post(api::appeals::reference::create_binding),
        ),
        r(
            M::DELETE,
            "/api/v1/deadline-bindings/{id}",
            admin,
            delete(api::appeals::reference::remove_binding),
        ),
    ]
}
