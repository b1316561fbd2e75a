//! Ledger routes (issue 5): «Расчёты», imports, penalties, reference data; the documents
//! from the ledger and debtor work have a module each below.

mod debtors;
mod documents;

use abonent_domain::Permission;
use axum::http::Method;
use axum::routing::{get, post, put};

use super::{r, Access, Route};
use crate::{api, pages};

pub(super) fn routes() -> Vec<Route> {
    let view = Access::Perm(Permission::ViewLedger);
    let edit = Access::Perm(Permission::EditLedger);
    let admin = Access::Perm(Permission::ManageLedgerSettings);
    use api::ledger as al;
    use pages::ledger::{self as pl, admin as pa, import as pi, services as ps};
    use Method as M;
    vec![
        r(M::GET, "/accounts/{id}/ledger", view, get(pl::show)),
        r(M::GET, "/accounts/{id}/penalty", view, get(pl::penalty)),
        r(
            M::GET,
            "/accounts/{id}/penalty.xlsx",
            view,
            get(pl::penalty_xlsx),
        ),
        r(M::POST, "/accounts/{id}/payments", edit, post(pl::cash)),
        r(
            M::POST,
            "/ledger/entries/{id}/reverse",
            edit,
            post(pl::reverse),
        ),
        r(M::GET, "/turnover", view, get(pl::turnover_page)),
        r(M::GET, "/turnover.xlsx", view, get(pl::turnover_xlsx)),
        r(M::GET, "/debtors", view, get(pl::debtors_page)),
        r(M::GET, "/ledger/imports", edit, get(pi::imports)),
        r(
            M::GET,
            "/ledger/imports/waiting",
            edit,
            get(pages::ledger::waiting::page),
        ),
        r(M::POST, "/ledger/charges", edit, post(pi::charges_upload)),
        r(
            M::POST,
            "/ledger/charges/{id}/commit",
            edit,
            post(pi::charges_commit),
        ),
        r(M::POST, "/ledger/payments", edit, post(pi::payments_upload)),
        r(
            M::POST,
            "/ledger/payments/{id}/commit",
            edit,
            post(pi::payments_commit),
        ),
        r(M::GET, "/ledger/jobs/{id}", edit, get(pi::job)),
        r(M::GET, "/ledger/unmatched", edit, get(pi::unmatched)),
        r(
            M::GET,
            "/ledger/unmatched/{id}",
            edit,
            get(pi::unmatched_show),
        ),
        r(
            M::POST,
            "/ledger/unmatched/{id}/resolve",
            edit,
            post(pi::unmatched_resolve),
        ),
        r(M::GET, "/ledger/penalties", edit, get(pi::penalties)),
        r(
            M::POST,
            "/ledger/penalties/run",
            edit,
            post(pi::penalties_run),
        ),
        r(M::GET, "/ledger/profiles", admin, get(pa::profiles)),
        r(M::POST, "/ledger/profiles", admin, post(pa::profile_create)),
        r(
            M::POST,
            "/ledger/profiles/{id}",
            admin,
            post(pa::profile_update),
        ),
        r(M::GET, "/ledger/settings", admin, get(pa::settings)),
        r(M::POST, "/ledger/settings", admin, post(pa::settings_save)),
        r(M::GET, "/api/v1/services", view, get(al::services)),
        r(
            M::POST,
            "/api/v1/services",
            admin,
            post(al::services::create),
        ),
        r(
            M::PUT,
            "/api/v1/services/{code}",
            admin,
            put(al::services::update),
        ),
        r(M::GET, "/ledger/services", admin, get(ps::services)),
        r(M::POST, "/ledger/services", admin, post(ps::service_create)),
        r(
            M::POST,
            "/ledger/services/{code}",
            admin,
            post(ps::service_update),
        ),
        r(
            M::GET,
            "/api/v1/accounts/{id}/ledger",
            view,
            get(al::account_ledger),
        ),
        r(
            M::GET,
            "/api/v1/accounts/{id}/penalty",
            view,
            get(al::account_penalty),
        ),
        r(M::GET, "/api/v1/turnover", view, get(al::turnover_sheet)),
        r(M::GET, "/api/v1/debtors", view, get(al::debtors)),
        r(M::GET, "/api/v1/ledger/imports", edit, get(al::imports)),
        r(M::POST, "/api/v1/ledger/charges", edit, post(al::charges)),
        r(
            M::POST,
            "/api/v1/ledger/payments",
            edit,
            post(al::payments_upload),
        ),
        r(M::GET, "/api/v1/ledger/jobs/{id}", edit, get(al::job)),
        r(M::GET, "/api/v1/ledger/unmatched", edit, get(al::unmatched)),
        r(
            M::GET,
            "/api/v1/ledger/unmatched/{id}",
            edit,
            get(al::unmatched_one),
        ),
        r(
            M::POST,
            "/api/v1/ledger/unmatched/{id}/resolve",
            edit,
            post(al::resolve),
        ),
        r(
            M::POST,
            "/api/v1/ledger/payments/cash",
            edit,
            post(al::cash),
        ),
        r(
            M::POST,
            "/api/v1/ledger/entries/{id}/reverse",
            edit,
            post(al::reverse),
        ),
        r(
            M::GET,
            "/api/v1/ledger/profiles",
            admin,
            get(al::profiles_list),
        ),
        r(
            M::POST,
            "/api/v1/ledger/profiles",
            admin,
            post(al::profile_create),
        ),
        r(
            M::PUT,
            "/api/v1/ledger/profiles/{id}",
            admin,
            put(al::profile_update),
        ),
        r(
            M::GET,
            "/api/v1/ledger/reference",
            view,
            get(al::reference_get),
        ),
        r(
            M::PUT,
            "/api/v1/ledger/reference",
            admin,
            put(al::reference_put),
        ),
        r(
            M::GET,
            "/api/v1/ledger/penalty-runs",
            edit,
            get(al::penalty_runs),
        ),
        r(
            M::POST,
            "/api/v1/ledger/penalty-runs",
            edit,
            post(al::penalty_run),
        ),
    ]
    .into_iter()
    .chain(documents::routes())
    .chain(debtors::routes())
    .collect()
}
