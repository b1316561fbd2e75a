//! An appeal's attachments (photos, scans): pages and API.

use abonent_domain::Permission::*;
use axum::http::Method as M;
use axum::routing::{get, post};

use crate::routes::Access::*;
use crate::routes::{r, Route};

pub(super) fn routes() -> Vec<Route> {
    use crate::api::appeals::files as api;
    use crate::pages::appeals::files as p;
    let view = Perm(ViewAppeals);
    let process = Perm(ProcessAppeals);
    vec![
        r(
            M::GET,
            "/api/v1/appeals/{id}/files",
            view,
            get(api::files_list),
        ),
        r(
            M::POST,
            "/api/v1/appeals/{id}/files",
            process,
            post(api::files_add),
        ),
        r(
            M::GET,
            "/api/v1/appeals/{id}/files/{file_id}",
            view,
            get(api::files_get),
        ),
        r(M::POST, "/appeals/{id}/files", process, post(p::file_add)),
        r(
            M::GET,
            "/appeals/{id}/files/{file_id}",
            view,
            get(p::file_get),
        ),
    ]
}
