//! Appeals, part 2: building-wide incidents, recurring problems, attachments, the
//! contractor's own orders, bulk actions and the complaint act.

use abonent_domain::Permission::*;
use axum::http::Method as M;
use axum::routing::{get, post};

use super::Access::*;
use super::{r, Route};
use crate::{api, pages};

pub(super) fn routes() -> Vec<Route> {
    let view = Perm(ViewAppeals);
    let process = Perm(ProcessAppeals);
    let orders = Perm(WorkOwnOrders);
    vec![
        // The contractor's own orders: only the contractor role; the handler answers 404
        // unless the appeal is assigned to the contractor of this login.
        r(
            M::GET,
            "/orders",
            orders,
            get(pages::appeals::incidents::orders),
        ),
        r(
            M::GET,
            "/orders/{id}",
            orders,
            get(pages::appeals::incidents::order),
        ),
        r(
            M::POST,
            "/orders/{id}/status",
            orders,
            post(pages::appeals::incidents::order_status),
        ),
        r(
            M::GET,
            "/api/v1/orders",
            orders,
            get(api::appeals::orders::list),
        ),
        r(
            M::GET,
            "/api/v1/orders/{id}",
            orders,
            get(api::appeals::orders::show),
        ),
        r(
            M::POST,
            "/api/v1/orders/{id}/status",
            orders,
            post(api::appeals::orders::status),
        ),
        r(
            M::GET,
            "/api/v1/appeals/{id}/files",
            view,
            get(api::appeals::orders::files_list),
        ),
        r(
            M::POST,
            "/api/v1/appeals/{id}/files",
            process,
            post(api::appeals::orders::files_add),
        ),
        r(
            M::GET,
            "/api/v1/appeals/{id}/files/{file_id}",
            view,
            get(api::appeals::orders::files_get),
        ),
        r(
            M::POST,
            "/appeals/{id}/files",
            process,
            post(pages::appeals::incidents::file_add),
        ),
        r(
            M::GET,
            "/appeals/{id}/files/{file_id}",
            view,
            get(pages::appeals::incidents::file_get),
        ),
        r(
            M::GET,
            "/incidents",
            view,
            get(pages::appeals::incidents::list),
        ),
        r(
            M::POST,
            "/incidents",
            process,
            post(pages::appeals::incidents::create),
        ),
        r(
            M::GET,
            "/incidents/{id}",
            view,
            get(pages::appeals::incidents::show),
        ),
        r(
            M::POST,
            "/incidents/{id}/appeals",
            process,
            post(pages::appeals::incidents::link),
        ),
        r(
            M::POST,
            "/incidents/{id}/close",
            process,
            post(pages::appeals::incidents::close),
        ),
        r(
            M::GET,
            "/recurring-problems",
            view,
            get(pages::appeals::incidents::recurring),
        ),
        r(
            M::GET,
            "/api/v1/incidents",
            view,
            get(api::appeals::incidents::list),
        ),
        r(
            M::POST,
            "/api/v1/incidents",
            process,
            post(api::appeals::incidents::create),
        ),
        r(
            M::GET,
            "/api/v1/incidents/proposals",
            view,
            get(api::appeals::incidents::proposals),
        ),
        r(
            M::GET,
            "/api/v1/incidents/{id}",
            view,
            get(api::appeals::incidents::show),
        ),
        r(
            M::POST,
            "/api/v1/incidents/{id}/appeals",
            process,
            post(api::appeals::incidents::link),
        ),
        r(
            M::POST,
            "/api/v1/incidents/{id}/close",
            process,
            post(api::appeals::incidents::close),
        ),
        r(
            M::GET,
            "/api/v1/recurring-problems",
            view,
            get(api::appeals::incidents::recurring),
        ),
    ]
}
