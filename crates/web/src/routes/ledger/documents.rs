//! Documents from the ledger: «Расчёт пени» as PDF, resident documents, the court packet of
//! an account and of a building; pages and API.

use abonent_domain::Permission;
use axum::http::Method as M;
use axum::routing::{get, post};

use crate::routes::{r, Access, Route};

pub(super) fn routes() -> Vec<Route> {
    use crate::api::ledger::documents as api;
    use crate::pages::ledger::documents as p;
    let view = Access::Perm(Permission::ViewLedger);
    let edit = Access::Perm(Permission::EditLedger);
    let admin = Access::Perm(Permission::ManageLedgerSettings);
    vec![
        r(
            M::GET,
            "/accounts/{id}/penalty.pdf",
            view,
            get(p::penalty_pdf),
        ),
        r(
            M::POST,
            "/accounts/{id}/ledger-documents",
            view,
            post(p::ledger_document),
        ),
        r(
            M::POST,
            "/accounts/{id}/court-packet",
            edit,
            post(p::court_packet),
        ),
        r(
            M::POST,
            "/buildings/{id}/court",
            admin,
            post(p::building_court),
        ),
        r(
            M::GET,
            "/api/v1/accounts/{id}/penalty.pdf",
            view,
            get(api::penalty_pdf),
        ),
        r(
            M::POST,
            "/api/v1/accounts/{id}/ledger-documents",
            view,
            post(api::ledger_document),
        ),
        r(
            M::POST,
            "/api/v1/accounts/{id}/court-packet",
            edit,
            post(api::court_packet),
        ),
    ]
}
