//! Outages (issue 19 §5–6): everyone sees them (a contractor only its own), dispatchers,
//! specialists and contractors register them, specialists post the recalculation, the
//! administrator replaces the table of allowances.

use abonent_domain::Permission;
use axum::http::Method;
use axum::routing::{get, post, put};

use super::{r, Access, Route};
use crate::{api, pages};

pub(super) fn routes() -> Vec<Route> {
    // Every staff member sees outages (a contractor only its own, checked in the use cases).
    let view = Access::Staff;
    let report = Access::Perm(Permission::ReportOutages);
    let book = Access::Perm(Permission::RecalculateOutages);
    let admin = Access::Perm(Permission::ManageReferenceData);
    use api::outages as ao;
    use pages::outages as po;
    use Method as M;
    vec![
        r(M::GET, "/outages", view, get(po::list)),
        r(M::GET, "/outages/new", report, get(po::new)),
        r(M::POST, "/outages", report, post(po::create)),
        r(M::GET, "/outages/{id}", view, get(po::show)),
        r(M::POST, "/outages/{id}/actual", report, post(po::actual)),
        r(M::POST, "/outages/{id}/post", book, post(po::post)),
        r(M::POST, "/outages/{id}/reverse", book, post(po::reverse)),
        r(M::GET, "/api/v1/outages", view, get(ao::list)),
        r(M::POST, "/api/v1/outages", report, post(ao::create)),
        r(M::GET, "/api/v1/outages/{id}", view, get(ao::show)),
        r(M::PUT, "/api/v1/outages/{id}", report, put(ao::update)),
        r(
            M::POST,
            "/api/v1/outages/{id}/actual",
            report,
            post(ao::actual),
        ),
        r(
            M::GET,
            "/api/v1/outages/{id}/recalculation",
            view,
            get(ao::proposal),
        ),
        r(
            M::POST,
            "/api/v1/outages/{id}/recalculation/post",
            book,
            post(ao::post),
        ),
        r(
            M::POST,
            "/api/v1/outages/{id}/recalculation/reverse",
            book,
            post(ao::reverse),
        ),
        r(M::GET, "/api/v1/quality-norms", view, get(ao::norms_get)),
        r(M::PUT, "/api/v1/quality-norms", admin, put(ao::norms_put)),
    ]
}
