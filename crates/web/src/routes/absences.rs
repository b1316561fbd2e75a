//! Temporary absence (issue 20 §3): registering needs the right to register appeals, the
//! decision the right to process them, posting the right to edit the ledger; reading, the
//! ledger's.

use abonent_domain::Permission;
use axum::http::Method;
use axum::routing::{get, post};

use super::{r, Access, Route};
use crate::{api, pages};

pub(super) fn routes() -> Vec<Route> {
    let view = Access::Perm(Permission::ViewLedger);
    let register = Access::Perm(Permission::RegisterAppeals);
    let decide = Access::Perm(Permission::ProcessAppeals);
    let book = Access::Perm(Permission::EditLedger);
    use api::absences as aa;
    use pages::absences as pa;
    use Method as M;
    vec![
        r(
            M::GET,
            "/accounts/{id}/absences/new",
            register,
            get(pa::new),
        ),
        r(
            M::POST,
            "/accounts/{id}/absences",
            register,
            post(pa::create),
        ),
        r(M::GET, "/absences/{id}", view, get(pa::show)),
        r(M::POST, "/absences/{id}/approve", decide, post(pa::approve)),
        r(M::POST, "/absences/{id}/refuse", decide, post(pa::refuse)),
        r(M::POST, "/absences/{id}/post", book, post(pa::post)),
        r(M::GET, "/api/v1/absences", view, get(aa::list)),
        r(M::POST, "/api/v1/absences", register, post(aa::create)),
        r(M::GET, "/api/v1/absences/{id}", view, get(aa::show)),
        r(
            M::POST,
            "/api/v1/absences/{id}/approve",
            decide,
            post(aa::approve),
        ),
        r(
            M::POST,
            "/api/v1/absences/{id}/refuse",
            decide,
            post(aa::refuse),
        ),
        r(M::POST, "/api/v1/absences/{id}/post", book, post(aa::post)),
    ]
}
