//! The subscriber registry: buildings, premises, accounts, people, links, benefits, import.

use abonent_domain::Permission::*;
use axum::http::Method as M;
use axum::routing::{get, post, put};

use super::Access::*;
use super::{r, Route};
use crate::{api, pages};

pub(super) fn routes() -> Vec<Route> {
    let view = Perm(ViewRegistry);
    let people = Perm(ViewPersonalData);
    let edit = Perm(EditRegistry);
    let import = Perm(ImportRegistry);
    vec![
        // Buildings
        r(M::GET, "/buildings", view, get(pages::buildings::list)),
        r(M::GET, "/buildings/new", edit, get(pages::buildings::new)),
        r(M::POST, "/buildings", edit, post(pages::buildings::create)),
        r(M::GET, "/buildings/{id}", view, get(pages::buildings::show)),
        r(
            M::GET,
            "/buildings/{id}/edit",
            edit,
            get(pages::buildings::edit),
        ),
        r(
            M::POST,
            "/buildings/{id}",
            edit,
            post(pages::buildings::update),
        ),
        r(
            M::POST,
            "/buildings/{id}/close",
            edit,
            post(pages::buildings::close),
        ),
        r(M::GET, "/api/v1/buildings", view, get(api::buildings::list)),
        r(
            M::POST,
            "/api/v1/buildings",
            edit,
            post(api::buildings::create),
        ),
        r(
            M::GET,
            "/api/v1/buildings/{id}",
            view,
            get(api::buildings::show),
        ),
        r(
            M::PUT,
            "/api/v1/buildings/{id}",
            edit,
            put(api::buildings::update),
        ),
        r(
            M::POST,
            "/api/v1/buildings/{id}/close",
            edit,
            post(api::buildings::close),
        ),
        r(
            M::GET,
            "/api/v1/buildings/{id}/premises",
            view,
            get(api::buildings::premises),
        ),
        r(
            M::GET,
            "/api/v1/buildings/{id}/history",
            view,
            get(api::buildings::history),
        ),
        // Premises
        r(M::GET, "/premises/new", edit, get(pages::premises::new)),
        r(M::POST, "/premises", edit, post(pages::premises::create)),
        r(M::GET, "/premises/{id}", view, get(pages::premises::show)),
        r(
            M::GET,
            "/premises/{id}/edit",
            edit,
            get(pages::premises::edit),
        ),
        r(
            M::POST,
            "/premises/{id}",
            edit,
            post(pages::premises::update),
        ),
        r(
            M::POST,
            "/premises/{id}/close",
            edit,
            post(pages::premises::close),
        ),
        r(
            M::POST,
            "/api/v1/premises",
            edit,
            post(api::premises::create),
        ),
        r(
            M::GET,
            "/api/v1/premises/{id}",
            view,
            get(api::premises::show),
        ),
        r(
            M::PUT,
            "/api/v1/premises/{id}",
            edit,
            put(api::premises::update),
        ),
        r(
            M::POST,
            "/api/v1/premises/{id}/close",
            edit,
            post(api::premises::close),
        ),
        // Accounts
        r(M::GET, "/accounts", view, get(pages::accounts::list)),
        r(M::GET, "/accounts/new", edit, get(pages::accounts::new)),
        r(M::POST, "/accounts", edit, post(pages::accounts::create)),
        r(M::GET, "/accounts/{id}", people, get(pages::accounts::show)),
        r(
            M::GET,
            "/accounts/{id}/edit",
            edit,
            get(pages::accounts::edit),
        ),
        r(
            M::POST,
            "/accounts/{id}",
            edit,
            post(pages::accounts::update),
        ),
        r(
            M::POST,
            "/accounts/{id}/close",
            edit,
            post(pages::accounts::close),
        ),
        r(M::GET, "/api/v1/accounts", view, get(api::accounts::list)),
        r(
            M::POST,
            "/api/v1/accounts",
            edit,
            post(api::accounts::create),
        ),
        r(
            M::GET,
            "/api/v1/accounts/{id}",
            people,
            get(api::accounts::show),
        ),
        r(
            M::PUT,
            "/api/v1/accounts/{id}",
            edit,
            put(api::accounts::update),
        ),
        r(
            M::POST,
            "/api/v1/accounts/{id}/close",
            edit,
            post(api::accounts::close),
        ),
        r(
            M::GET,
            "/api/v1/accounts/{id}/history",
            view,
            get(api::accounts::history),
        ),
        // People, links, benefits
        r(M::GET, "/persons", people, get(pages::persons::list)),
        r(M::GET, "/persons/new", edit, get(pages::persons::new)),
        r(M::GET, "/persons/pick", people, get(pages::persons::pick)),
        r(M::POST, "/persons", edit, post(pages::persons::create)),
        r(M::GET, "/persons/{id}", people, get(pages::persons::show)),
        r(
            M::GET,
            "/persons/{id}/edit",
            edit,
            get(pages::persons::edit),
        ),
        r(M::POST, "/persons/{id}", edit, post(pages::persons::update)),
        r(
            M::POST,
            "/persons/{id}/close",
            edit,
            post(pages::persons::close),
        ),
        r(M::POST, "/links", edit, post(pages::links::create)),
        r(M::GET, "/links/{id}/edit", edit, get(pages::links::edit)),
        r(M::POST, "/links/{id}", edit, post(pages::links::update)),
        r(
            M::POST,
            "/links/{id}/close",
            edit,
            post(pages::links::close),
        ),
        r(
            M::POST,
            "/benefits",
            edit,
            post(pages::links::create_benefit),
        ),
        r(
            M::GET,
            "/benefits/{id}/edit",
            edit,
            get(pages::links::edit_benefit),
        ),
        r(
            M::POST,
            "/benefits/{id}",
            edit,
            post(pages::links::update_benefit),
        ),
        r(
            M::POST,
            "/benefits/{id}/close",
            edit,
            post(pages::links::close_benefit),
        ),
        r(M::GET, "/api/v1/persons", people, get(api::persons::list)),
        r(M::POST, "/api/v1/persons", edit, post(api::persons::create)),
        r(
            M::GET,
            "/api/v1/persons/{id}",
            people,
            get(api::persons::show),
        ),
        r(
            M::PUT,
            "/api/v1/persons/{id}",
            edit,
            put(api::persons::update),
        ),
        r(
            M::POST,
            "/api/v1/persons/{id}/close",
            edit,
            post(api::persons::close),
        ),
        r(
            M::GET,
            "/api/v1/persons/{id}/history",
            people,
            get(api::persons::history),
        ),
        r(
            M::POST,
            "/api/v1/links",
            edit,
            post(api::persons::create_link),
        ),
        r(
            M::PUT,
            "/api/v1/links/{id}",
            edit,
            put(api::persons::update_link),
        ),
        r(
            M::POST,
            "/api/v1/links/{id}/close",
            edit,
            post(api::persons::close_link),
        ),
        r(
            M::POST,
            "/api/v1/benefits",
            edit,
            post(api::persons::create_benefit),
        ),
        r(
            M::PUT,
            "/api/v1/benefits/{id}",
            edit,
            put(api::persons::update_benefit),
        ),
        r(
            M::POST,
            "/api/v1/benefits/{id}/close",
            edit,
            post(api::persons::close_benefit),
        ),
        // Import
        r(M::GET, "/import", import, get(pages::import::form)),
        r(M::POST, "/import", import, post(pages::import::upload)),
        r(
            M::POST,
            "/import/{id}/commit",
            import,
            post(pages::import::commit),
        ),
        r(M::GET, "/jobs/{id}", import, get(pages::import::job)),
        r(
            M::POST,
            "/api/v1/imports/registry",
            import,
            post(api::import::registry),
        ),
        r(M::GET, "/api/v1/jobs/{id}", import, get(api::import::job)),
    ]
}
