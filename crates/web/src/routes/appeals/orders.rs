//! The contractor's own orders: only the contractor role; the handlers answer 404 unless the
//! appeal is assigned to the contractor of this login.

use abonent_domain::Permission::*;
use axum::http::Method as M;
use axum::routing::{get, post};

use crate::routes::Access::*;
use crate::routes::{r, Route};

pub(super) fn routes() -> Vec<Route> {
    use crate::api::appeals::orders as api;
    use crate::pages::appeals::orders as p;
    let orders = Perm(WorkOwnOrders);
    vec![
        r(M::GET, "/orders", orders, get(p::orders)),
        r(M::GET, "/orders/{id}", orders, get(p::order)),
        r(
            M::POST,
            "/orders/{id}/status",
            orders,
            post(p::order_status),
        ),
        r(M::GET, "/api/v1/orders", orders, get(api::list)),
        r(M::GET, "/api/v1/orders/{id}", orders, get(api::show)),
        r(
            M::POST,
            "/api/v1/orders/{id}/status",
            orders,
            post(api::status),
        ),
    ]
}
