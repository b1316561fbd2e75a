//! Consultations (issue 20 §6): recording needs the right to register appeals, reading the
//! appeals register's.

use abonent_domain::Permission;
use axum::http::Method;
use axum::routing::{get, post};

use super::{r, Access, Route};
use crate::{api, pages};

pub(super) fn routes() -> Vec<Route> {
    let view = Access::Perm(Permission::ViewAppeals);
    let register = Access::Perm(Permission::RegisterAppeals);
    use api::consultations as ac;
    use pages::consultations as pc;
    use Method as M;
    vec![
        r(M::GET, "/consultations", register, get(pc::show)),
        r(M::POST, "/consultations", register, post(pc::create)),
        r(M::GET, "/api/v1/consultations", view, get(ac::list)),
        r(M::POST, "/api/v1/consultations", register, post(ac::create)),
        r(M::GET, "/api/v1/consultations/{id}", view, get(ac::show)),
    ]
}
