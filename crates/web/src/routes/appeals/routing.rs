//! Routing and feedback of appeals: executors' reference data, emergency alerts, ratings.

use abonent_domain::Permission::*;
use axum::http::Method as M;
use axum::routing::{delete, get, post, put};

use crate::api::appeals::routing as api;
use crate::pages::appeals::routing as p;
use crate::routes::Access::*;
use crate::routes::{r, Route};

pub(super) fn routes() -> Vec<Route> {
    let admin = Perm(ManageReferenceData);
    let view = Perm(ViewAppeals);
    let process = Perm(ProcessAppeals);
    vec![
        r(M::GET, "/admin/departments", admin, get(p::departments)),
        r(
            M::POST,
            "/admin/departments",
            admin,
            post(p::save_department),
        ),
        r(M::GET, "/admin/contractors", admin, get(p::contractors)),
        r(
            M::POST,
            "/admin/contractors",
            admin,
            post(p::save_contractor),
        ),
        r(M::GET, "/admin/assignment-rules", admin, get(p::rules)),
        r(M::POST, "/admin/assignment-rules", admin, post(p::add_rule)),
        r(
            M::POST,
            "/admin/assignment-rules/{id}/delete",
            admin,
            post(p::delete_rule),
        ),
        r(M::GET, "/admin/duty", admin, get(p::duty)),
        r(M::POST, "/admin/duty/{id}", admin, post(p::save_duty)),
        r(M::GET, "/alerts", view, get(p::alerts_page)),
        r(M::GET, "/alerts/badge", Staff, get(p::badge)),
        r(
            M::POST,
            "/alerts/{id}/acknowledge",
            process,
            post(p::acknowledge),
        ),
        r(M::GET, "/appeals/{id}/feedback", view, get(p::feedback)),
        r(M::GET, "/appeals/{id}/executors", view, get(p::executors)),
        r(
            M::POST,
            "/appeals/{id}/rating",
            process,
            post(p::rate_by_phone),
        ),
        r(M::POST, "/appeals/{id}/deadline", process, post(p::defer)),
        r(M::GET, "/rate/{token}", Public, get(p::rate_page)),
        r(M::POST, "/rate/{token}", Public, post(p::rate)),
        // API
        r(
            M::GET,
            "/api/v1/departments",
            view,
            get(api::list_departments),
        ),
        r(
            M::POST,
            "/api/v1/departments",
            admin,
            post(api::create_department),
        ),
        r(
            M::PUT,
            "/api/v1/departments/{id}",
            admin,
            put(api::update_department),
        ),
        r(
            M::GET,
            "/api/v1/departments/{id}/history",
            view,
            get(api::department_history),
        ),
        r(
            M::GET,
            "/api/v1/contractors",
            view,
            get(api::list_contractors),
        ),
        r(
            M::POST,
            "/api/v1/contractors",
            admin,
            post(api::create_contractor),
        ),
        r(
            M::GET,
            "/api/v1/contractors/{id}",
            view,
            get(api::show_contractor),
        ),
        r(
            M::PUT,
            "/api/v1/contractors/{id}",
            admin,
            put(api::update_contractor),
        ),
        r(
            M::GET,
            "/api/v1/contractors/{id}/history",
            view,
            get(api::contractor_history),
        ),
        r(M::GET, "/api/v1/staff", view, get(api::list_staff)),
        r(M::PUT, "/api/v1/staff/{id}", admin, put(api::update_staff)),
        r(
            M::GET,
            "/api/v1/assignment-rules",
            view,
            get(api::list_rules),
        ),
        r(
            M::POST,
            "/api/v1/assignment-rules",
            admin,
            post(api::create_rule),
        ),
        r(
            M::DELETE,
            "/api/v1/assignment-rules/{id}",
            admin,
            delete(api::delete_rule),
        ),
        r(M::GET, "/api/v1/alerts", view, get(api::list_alerts)),
        r(
            M::POST,
            "/api/v1/alerts/{id}/acknowledge",
            process,
            post(api::acknowledge),
        ),
        r(
            M::POST,
            "/api/v1/appeals/{id}/rating",
            process,
            post(api::rate),
        ),
        r(
            M::POST,
            "/api/v1/appeals/{id}/deadline",
            process,
            post(api::defer),
        ),
    ]
}
