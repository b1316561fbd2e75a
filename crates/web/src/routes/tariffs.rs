//! Tariffs and norms (issue 20 §1–2): the register is read by everyone who reads the ledger,
//! edited by the administrator of the ledger settings.

use abonent_domain::Permission;
use axum::http::Method;
use axum::routing::{get, post};

use super::{r, Access, Route};
use crate::{api, pages};

pub(super) fn routes() -> Vec<Route> {
    let view = Access::Perm(Permission::ViewLedger);
    let admin = Access::Perm(Permission::ManageLedgerSettings);
    use api::tariffs as at;
    use pages::tariffs as pt;
    use Method as M;
    vec![
        r(M::GET, "/tariffs", view, get(pt::index)),
        r(M::POST, "/tariffs", admin, post(pt::create_tariff)),
        r(M::POST, "/tariffs/norms", admin, post(pt::create_norm)),
        r(M::POST, "/tariffs/groups", admin, post(pt::set_group)),
        r(M::POST, "/tariffs/import", admin, post(pt::upload)),
        r(
            M::POST,
            "/tariffs/import/{id}/commit",
            admin,
            post(pt::commit),
        ),
        r(M::GET, "/accounts/{id}/explain", view, get(pt::explain)),
        r(
            M::POST,
            "/accounts/{id}/explain/letter",
            Access::Perm(Permission::IssueDocuments),
            post(pt::answer_letter),
        ),
        r(
            M::POST,
            "/api/v1/accounts/{id}/explain/letter",
            Access::Perm(Permission::IssueDocuments),
            post(at::answer_letter),
        ),
        r(M::GET, "/api/v1/tariffs", view, get(at::list)),
        r(M::POST, "/api/v1/tariffs", admin, post(at::create)),
        r(M::GET, "/api/v1/norms", view, get(at::norms)),
        r(M::POST, "/api/v1/norms", admin, post(at::create_norm)),
        r(M::POST, "/api/v1/tariffs/import", admin, post(at::import)),
        r(
            M::GET,
            "/api/v1/accounts/{id}/explain",
            view,
            get(at::explain),
        ),
    ]
}
