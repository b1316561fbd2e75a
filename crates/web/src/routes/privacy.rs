//! Personal data under 152-ФЗ: the access log (the auditor and the administrator) and a
//! person's export of everything held about them.

use abonent_domain::Permission::*;
use axum::http::Method as M;
use axum::routing::get;

use super::Access::*;
use super::{r, Route};
use crate::{api, pages};

pub(super) fn routes() -> Vec<Route> {
    let log = Perm(ReadAccessLog);
    let people = Perm(ViewPersonalData);
    vec![
        r(M::GET, "/admin/pd-access", log, get(pages::privacy::log)),
        r(
            M::GET,
            "/admin/pd-access.xlsx",
            log,
            get(pages::privacy::log_xlsx),
        ),
        r(M::GET, "/api/v1/pd-access", log, get(api::privacy::log)),
        r(
            M::GET,
            "/persons/{id}/export.xlsx",
            people,
            get(pages::privacy::subject_xlsx),
        ),
        r(
            M::GET,
            "/persons/{id}/export.pdf",
            people,
            get(pages::privacy::subject_pdf),
        ),
        r(
            M::GET,
            "/api/v1/persons/{id}/export",
            people,
            get(api::privacy::subject_export),
        ),
    ]
}
