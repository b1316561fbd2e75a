//! Building-wide incidents and recurring problems: pages and API.

use abonent_domain::Permission::*;
use axum::http::Method as M;
use axum::routing::{get, post};

use crate::routes::Access::*;
use crate::routes::{r, Route};

pub(super) fn routes() -> Vec<Route> {
    use crate::api::appeals::incidents as api;
    use crate::pages::appeals::incidents as p;
    let view = Perm(ViewAppeals);
    let process = Perm(ProcessAppeals);
    vec![
        r(M::GET, "/incidents", view, get(p::list)),
        r(M::POST, "/incidents", process, post(p::create)),
        r(M::GET, "/incidents/{id}", view, get(p::show)),
        r(M::POST, "/incidents/{id}/appeals", process, post(p::link)),
        r(M::POST, "/incidents/{id}/close", process, post(p::close)),
        r(M::GET, "/recurring-problems", view, get(p::recurring)),
        r(M::GET, "/api/v1/incidents", view, get(api::list)),
        r(M::POST, "/api/v1/incidents", process, post(api::create)),
        r(
            M::GET,
            "/api/v1/incidents/proposals",
            view,
            get(api::proposals),
        ),
        r(M::GET, "/api/v1/incidents/{id}", view, get(api::show)),
        r(
            M::POST,
            "/api/v1/incidents/{id}/appeals",
            process,
            post(api::link),
        ),
        r(
            M::POST,
            "/api/v1/incidents/{id}/close",
            process,
            post(api::close),
        ),
        r(
            M::GET,
            "/api/v1/recurring-problems",
            view,
            get(api::recurring),
        ),
    ]
}
