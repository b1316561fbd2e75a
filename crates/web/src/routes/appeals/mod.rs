//! The appeals register: journal, intake, card, workflow, bulk actions; pages and API. The
//! other topics of appeals have a module each below.

mod files;
mod incidents;
mod orders;
mod reference;
mod routing;

use abonent_domain::Permission::*;
use axum::http::Method as M;
use axum::routing::{get, post};

use super::Access::*;
use super::{r, Route};
use crate::{api, pages};

pub(super) fn routes() -> Vec<Route> {
    let appeals_view = Perm(ViewAppeals);
    let appeals_register = Perm(RegisterAppeals);
    let appeals_process = Perm(ProcessAppeals);
    vec![
        // Appeals
        r(
            M::GET,
            "/appeals",
            appeals_view,
            get(pages::appeals::journal::list),
        ),
        r(
            M::GET,
            "/appeals/new",
            appeals_register,
            get(pages::appeals::intake::new),
        ),
        r(
            M::POST,
            "/appeals",
            appeals_register,
            post(pages::appeals::intake::create),
        ),
        r(
            M::GET,
            "/appeals/caller",
            appeals_register,
            get(pages::appeals::intake::caller),
        ),
        r(
            M::GET,
            "/appeals/address",
            appeals_register,
            get(pages::appeals::intake::address),
        ),
        r(
            M::GET,
            "/appeals/suggest",
            appeals_register,
            get(pages::appeals::intake::suggest),
        ),
        r(
            M::GET,
            "/appeals/{id}",
            appeals_view,
            get(pages::appeals::card::show),
        ),
        r(
            M::POST,
            "/appeals/{id}/status",
            appeals_process,
            post(pages::appeals::card::change_status),
        ),
        r(
            M::POST,
            "/appeals/{id}/localised",
            appeals_process,
            post(pages::appeals::card::localised),
        ),
        r(
            M::POST,
            "/appeals/{id}/priority",
            appeals_process,
            post(pages::appeals::card::priority),
        ),
        r(
            M::POST,
            "/appeals/{id}/act",
            Perm(IssueDocuments),
            post(pages::appeals::card::complaint_act),
        ),
        r(
            M::POST,
            "/appeals/bulk",
            appeals_process,
            post(pages::appeals::bulk::bulk),
        ),
        r(
            M::POST,
            "/appeals/{id}/comments",
            appeals_process,
            post(pages::appeals::card::comment),
        ),
        r(
            M::GET,
            "/api/v1/appeals",
            appeals_view,
            get(api::appeals::list),
        ),
        r(
            M::POST,
            "/api/v1/appeals",
            appeals_register,
            post(api::appeals::create),
        ),
        r(
            M::GET,
            "/api/v1/appeals/classify",
            appeals_view,
            get(api::appeals::suggest),
        ),
        r(
            M::GET,
            "/api/v1/appeals/{id}",
            appeals_view,
            get(api::appeals::show),
        ),
        r(
            M::POST,
            "/api/v1/appeals/{id}/status",
            appeals_process,
            post(api::appeals::status),
        ),
        r(
            M::POST,
            "/api/v1/appeals/{id}/localised",
            appeals_process,
            post(api::appeals::localised),
        ),
        r(
            M::POST,
            "/api/v1/appeals/{id}/priority",
            appeals_process,
            post(api::appeals::priority),
        ),
        r(
            M::POST,
            "/api/v1/appeals/bulk",
            appeals_process,
            post(api::appeals::bulk),
        ),
        r(
            M::POST,
            "/api/v1/appeals/{id}/comments",
            appeals_process,
            post(api::appeals::comment),
        ),
        r(
            M::GET,
            "/api/v1/appeals/{id}/history",
            appeals_view,
            get(api::appeals::history),
        ),
    ]
    .into_iter()
    .chain(incidents::routes())
    .chain(orders::routes())
    .chain(files::routes())
    .chain(routing::routes())
    .chain(reference::routes())
    .collect()
}
