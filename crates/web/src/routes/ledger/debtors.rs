//! Debtor work (issue 5 §4): stage moves, notices and their delivery, installment plans,
//! the debt rules. Reading is `ViewLedger`; acting is `WorkDebtors`.

use abonent_domain::Permission;
use axum::http::Method;
use axum::routing::{get, post, put};

use crate::routes::{r, Access, Route};
use crate::{api, pages};

pub(super) fn routes() -> Vec<Route> {
    let view = Access::Perm(Permission::ViewLedger);
    let work = Access::Perm(Permission::WorkDebtors);
    let admin = Access::Perm(Permission::ManageLedgerSettings);
    use api::ledger::debtors as ad;
    use pages::ledger::debtors as pd;
    use Method as M;
    vec![
        r(M::POST, "/debtors/bulk", work, post(pd::bulk)),
        r(M::GET, "/debt-notices/mailing", work, get(pd::mailing)),
        r(
            M::GET,
            "/api/v1/debt-notices/mailing",
            work,
            get(ad::mailing),
        ),
        r(
            M::POST,
            "/accounts/{id}/debt-case/move",
            work,
            post(pd::move_stage),
        ),
        r(
            M::POST,
            "/accounts/{id}/debt-case/notice",
            work,
            post(pd::notice),
        ),
        r(
            M::POST,
            "/accounts/{id}/debt-case/plan",
            work,
            post(pd::plan),
        ),
        r(
            M::POST,
            "/accounts/{id}/debt-case/plan/break",
            work,
            post(pd::plan_break),
        ),
        r(
            M::POST,
            "/debt-notices/{id}/deliveries",
            work,
            post(pd::delivery),
        ),
        r(
            M::POST,
            "/accounts/{id}/debt-case/court",
            work,
            post(pages::ledger::debt_court::court),
        ),
        r(
            M::POST,
            "/accounts/{id}/debt-case/collections",
            work,
            post(pages::ledger::debt_court::collection),
        ),
        r(
            M::POST,
            "/ledger/settings/debt-rules",
            admin,
            post(pd::rules_save),
        ),
        r(M::GET, "/api/v1/debt-cases/{id}", view, get(ad::show)),
        r(
            M::POST,
            "/api/v1/debt-cases/{id}/moves",
            work,
            post(ad::move_one),
        ),
        r(
            M::PUT,
            "/api/v1/debt-cases/{id}/court",
            work,
            put(ad::court),
        ),
        r(
            M::POST,
            "/api/v1/debt-cases/{id}/collections",
            work,
            post(ad::collection),
        ),
        r(M::POST, "/api/v1/debt-moves", work, post(ad::move_many)),
        r(M::GET, "/api/v1/debt-cases/{id}/plan", view, get(ad::plan)),
        r(
            M::POST,
            "/api/v1/debt-cases/{id}/plan",
            work,
            post(ad::plan_create),
        ),
        r(
            M::POST,
            "/api/v1/debt-cases/{id}/plan/break",
            work,
            post(ad::plan_break),
        ),
        r(M::POST, "/api/v1/debt-notices", work, post(ad::notices)),
        r(M::GET, "/api/v1/debt-notices/{id}", view, get(ad::notice)),
        r(
            M::POST,
            "/api/v1/debt-notices/{id}/deliveries",
            work,
            post(ad::delivery),
        ),
        r(
            M::GET,
            "/api/v1/ledger/debt-rules",
            view,
            get(ad::rules_get),
        ),
        r(
            M::PUT,
            "/api/v1/ledger/debt-rules",
            admin,
            put(ad::rules_put),
        ),
    ]
}
