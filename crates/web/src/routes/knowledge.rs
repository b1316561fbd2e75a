//! The knowledge base (issue 20 §4): every staff role but the contractor reads it; those
//! who answer residents confirm reading legal news (not the auditor, who only reads);
//! administrators, managers and lawyers write articles and see who has not confirmed.

use abonent_domain::Permission;
use axum::http::Method as M;
use axum::routing::{get, post};

use super::{r, Access, Route};
use crate::{api, pages};

pub(super) fn routes() -> Vec<Route> {
    let read = Access::Perm(Permission::ReadKnowledge);
    let confirm = Access::Perm(Permission::ConfirmKnowledge);
    let edit = Access::Perm(Permission::EditKnowledge);
    use api::knowledge as ak;
    use pages::knowledge as pk;
    use pages::knowledge_news as pn;
    vec![
        r(M::GET, "/knowledge", read, get(pk::list)),
        r(M::GET, "/knowledge/new", edit, get(pk::new)),
        r(M::POST, "/knowledge", edit, post(pk::create)),
        r(M::GET, "/knowledge/news", read, get(pn::feed)),
        r(M::GET, "/knowledge/unread", edit, get(pn::unread)),
        r(M::GET, "/knowledge/suggest", read, get(pn::suggest)),
        r(M::GET, "/knowledge/{id}", read, get(pk::show)),
        r(M::GET, "/knowledge/{id}/edit", edit, get(pk::edit)),
        r(M::POST, "/knowledge/{id}", edit, post(pk::update)),
        r(M::POST, "/knowledge/{id}/read", confirm, post(pn::confirm)),
        r(M::GET, "/api/v1/articles", read, get(ak::list)),
        r(M::POST, "/api/v1/articles", edit, post(ak::create)),
        r(M::GET, "/api/v1/articles/unread", edit, get(ak::unread)),
        r(M::GET, "/api/v1/articles/suggest", read, get(ak::suggest)),
        r(M::GET, "/api/v1/articles/{id}", read, get(ak::show)),
        r(
            M::POST,
            "/api/v1/articles/{id}/versions",
            edit,
            post(ak::new_version),
        ),
        r(
            M::POST,
            "/api/v1/articles/{id}/read",
            confirm,
            post(ak::confirm),
        ),
    ]
}
