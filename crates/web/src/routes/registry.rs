//! The subscriber registry: buildings, premises, accounts, people, links, benefits, import,
//! the search box.

use abonent_domain::Permission::*;
use axum::http::Method as M;
use axum::routing::{get, post, put};

use super::Access::*;
use super::{r, Route};
use crate::{api, pages};

pub(super) fn routes() -> Vec<Route> {
    use api::registry as a;
    use pages::registry as p;
    let view = Perm(ViewRegistry);
    let people = Perm(ViewPersonalData);
    let edit = Perm(EditRegistry);
    let import = Perm(ImportRegistry);
    vec![
        // Buildings
        r(M::GET, "/buildings", view, get(p::buildings::list)),
        r(M::GET, "/buildings/new", edit, get(p::buildings::new)),
        r(M::POST, "/buildings", edit, post(p::buildings::create)),
        r(M::GET, "/buildings/{id}", view, get(p::buildings::show)),
        r(
            M::GET,
            "/buildings/{id}/edit",
            edit,
            get(p::buildings::edit),
        ),
        r(M::POST, "/buildings/{id}", edit, post(p::buildings::update)),
        r(
            M::POST,
            "/buildings/{id}/close",
            edit,
            post(p::buildings::close),
        ),
        r(M::GET, "/api/v1/buildings", view, get(a::buildings::list)),
        r(
            M::POST,
            "/api/v1/buildings",
            edit,
            post(a::buildings::create),
        ),
        r(
            M::GET,
            "/api/v1/buildings/{id}",
            view,
            get(a::buildings::show),
        ),
        r(
            M::PUT,
            "/api/v1/buildings/{id}",
            edit,
            put(a::buildings::update),
        ),
        r(
            M::POST,
            "/api/v1/buildings/{id}/close",
            edit,
            post(a::buildings::close),
        ),
        r(
            M::GET,
            "/api/v1/buildings/{id}/premises",
            view,
            get(a::buildings::premises),
        ),
        r(
            M::GET,
            "/api/v1/buildings/{id}/history",
            view,
            get(a::buildings::history),
        ),
        // Premises
        r(M::GET, "/premises/new", edit, get(p::premises::new)),
        r(M::POST, "/premises", edit, post(p::premises::create)),
        r(M::GET, "/premises/{id}", view, get(p::premises::show)),
        r(M::GET, "/premises/{id}/edit", edit, get(p::premises::edit)),
        r(M::POST, "/premises/{id}", edit, post(p::premises::update)),
        r(
            M::POST,
            "/premises/{id}/close",
            edit,
            post(p::premises::close),
        ),
        r(M::POST, "/api/v1/premises", edit, post(a::premises::create)),
        r(
            M::GET,
            "/api/v1/premises/{id}",
            view,
            get(a::premises::show),
        ),
        r(
            M::PUT,
            "/api/v1/premises/{id}",
            edit,
            put(a::premises::update),
        ),
        r(
            M::POST,
            "/api/v1/premises/{id}/close",
            edit,
            post(a::premises::close),
        ),
        // Accounts
        r(M::GET, "/accounts", view, get(p::accounts::list)),
        r(M::GET, "/accounts/new", edit, get(p::accounts::new)),
        r(M::POST, "/accounts", edit, post(p::accounts::create)),
        r(M::GET, "/accounts/{id}", people, get(p::accounts::show)),
        r(M::GET, "/accounts/{id}/edit", edit, get(p::accounts::edit)),
        r(M::POST, "/accounts/{id}", edit, post(p::accounts::update)),
        r(
            M::POST,
            "/accounts/{id}/close",
            edit,
            post(p::accounts::close),
        ),
        r(M::GET, "/api/v1/accounts", view, get(a::accounts::list)),
        r(M::POST, "/api/v1/accounts", edit, post(a::accounts::create)),
        r(
            M::GET,
            "/api/v1/accounts/{id}",
            people,
            get(a::accounts::show),
        ),
        r(
            M::PUT,
            "/api/v1/accounts/{id}",
            edit,
            put(a::accounts::update),
        ),
        r(
            M::POST,
            "/api/v1/accounts/{id}/close",
            edit,
            post(a::accounts::close),
        ),
        r(
            M::GET,
            "/api/v1/accounts/{id}/history",
            view,
            get(a::accounts::history),
        ),
        // People, links, benefits
        r(M::GET, "/persons", people, get(p::persons::list)),
        r(M::GET, "/persons/new", edit, get(p::persons::new)),
        r(M::GET, "/persons/pick", people, get(p::persons::pick)),
        r(M::POST, "/persons", edit, post(p::persons::create)),
        r(M::GET, "/persons/{id}", people, get(p::persons::show)),
        r(M::GET, "/persons/{id}/edit", edit, get(p::persons::edit)),
        r(M::POST, "/persons/{id}", edit, post(p::persons::update)),
        r(
            M::POST,
            "/persons/{id}/close",
            edit,
            post(p::persons::close),
        ),
        r(
            M::POST,
            "/persons/{id}/erase",
            Perm(ErasePersonalData),
            post(p::persons::erase),
        ),
        r(M::POST, "/links", edit, post(p::links::create)),
        r(M::GET, "/links/{id}/edit", edit, get(p::links::edit)),
        r(M::POST, "/links/{id}", edit, post(p::links::update)),
        r(M::POST, "/links/{id}/close", edit, post(p::links::close)),
        r(M::POST, "/benefits", edit, post(p::links::create_benefit)),
        r(
            M::GET,
            "/benefits/{id}/edit",
            edit,
            get(p::links::edit_benefit),
        ),
        r(
            M::POST,
            "/benefits/{id}",
            edit,
            post(p::links::update_benefit),
        ),
        r(
            M::POST,
            "/benefits/{id}/close",
            edit,
            post(p::links::close_benefit),
        ),
        r(M::GET, "/api/v1/persons", people, get(a::persons::list)),
        r(M::POST, "/api/v1/persons", edit, post(a::persons::create)),
        r(
            M::GET,
            "/api/v1/persons/{id}",
            people,
            get(a::persons::show),
        ),
        r(
            M::PUT,
            "/api/v1/persons/{id}",
            edit,
            put(a::persons::update),
        ),
        r(
            M::POST,
            "/api/v1/persons/{id}/close",
            edit,
            post(a::persons::close),
        ),
        r(
            M::POST,
            "/api/v1/persons/{id}/erase",
            Perm(ErasePersonalData),
            post(a::persons::erase),
        ),
        r(
            M::GET,
            "/api/v1/persons/{id}/history",
            people,
            get(a::persons::history),
        ),
        r(
            M::POST,
            "/api/v1/links",
            edit,
            post(a::persons::create_link),
        ),
        r(
            M::PUT,
            "/api/v1/links/{id}",
            edit,
            put(a::persons::update_link),
        ),
        r(
            M::POST,
            "/api/v1/links/{id}/close",
            edit,
            post(a::persons::close_link),
        ),
        r(
            M::POST,
            "/api/v1/benefits",
            edit,
            post(a::persons::create_benefit),
        ),
        r(
            M::PUT,
            "/api/v1/benefits/{id}",
            edit,
            put(a::persons::update_benefit),
        ),
        r(
            M::POST,
            "/api/v1/benefits/{id}/close",
            edit,
            post(a::persons::close_benefit),
        ),
        // Import
        r(M::GET, "/import", import, get(p::import::form)),
        r(M::POST, "/import", import, post(p::import::upload)),
        r(
            M::POST,
            "/import/{id}/commit",
            import,
            post(p::import::commit),
        ),
        r(M::GET, "/jobs/{id}", import, get(p::import::job)),
        r(
            M::POST,
            "/api/v1/imports/registry",
            import,
            post(a::import::registry),
        ),
        r(M::GET, "/api/v1/jobs/{id}", import, get(a::import::job)),
        // Search
        r(M::GET, "/search", view, get(p::search::page)),
        r(M::GET, "/api/v1/search", view, get(api::search)),
        r(M::GET, "/suggest", view, get(crate::pickers::page)),
        r(M::GET, "/api/v1/suggest", view, get(crate::pickers::api)),
    ]
}
