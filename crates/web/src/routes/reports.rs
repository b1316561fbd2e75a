//! Reports (issue 18): the catalogue, each report's page, XLSX and API.

use abonent_domain::Permission::*;
use axum::http::Method as M;
use axum::routing::get;

use crate::routes::Access::*;
use crate::routes::{r, Route};
use crate::{api, pages};

pub(super) fn routes() -> Vec<Route> {
    use pages::reports as pr;
    let appeals = Perm(ViewAppeals);
    let ledger = Perm(ViewLedger);
    let letters = Perm(ViewCorrespondence);
    vec![
        r(M::GET, "/reports", Staff, get(pr::index)),
        r(M::GET, "/reports/appeals", appeals, get(pr::appeals)),
        r(
            M::GET,
            "/reports/appeals.xlsx",
            appeals,
            get(pr::appeals_xlsx),
        ),
        r(M::GET, "/reports/recurring", appeals, get(pr::recurring)),
        r(
            M::GET,
            "/reports/recurring.xlsx",
            appeals,
            get(pr::recurring_xlsx),
        ),
        r(M::GET, "/reports/letters", letters, get(pr::letters)),
        r(
            M::GET,
            "/reports/letters.xlsx",
            letters,
            get(pr::letters_xlsx),
        ),
        r(M::GET, "/reports/payments", ledger, get(pr::payments)),
        r(
            M::GET,
            "/reports/payments.xlsx",
            ledger,
            get(pr::payments_xlsx),
        ),
        r(
            M::GET,
            "/api/v1/reports",
            Staff,
            get(api::reports::catalogue),
        ),
        r(
            M::GET,
            "/api/v1/reports/appeals",
            appeals,
            get(api::reports::appeals),
        ),
        r(
            M::GET,
            "/api/v1/reports/recurring",
            appeals,
            get(api::reports::recurring),
        ),
        r(
            M::GET,
            "/api/v1/reports/letters",
            letters,
            get(api::reports::letters),
        ),
        r(
            M::GET,
            "/api/v1/reports/payments",
            ledger,
            get(api::reports::payments),
        ),
    ]
}
