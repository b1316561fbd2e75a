//! Documents (archive, issuing, letters) and document templates: pages and API.

use abonent_domain::Permission::*;
use axum::http::Method as M;
use axum::routing::{get, post, put};

use super::Access::*;
use super::{r, Route};
use crate::{api, pages};

pub(super) fn routes() -> Vec<Route> {
    use api::documents as a;
    use pages::documents as d;
    use pages::documents::templates as t;
    let view = Perm(ViewDocuments);
    let issue = Perm(IssueDocuments);
    let tpl = Perm(ManageTemplates);
    vec![
        r(M::GET, "/documents", view, get(d::list)),
        r(
            M::POST,
            "/api/v1/print-runs",
            issue,
            post(a::print_run::start),
        ),
        r(
            M::GET,
            "/api/v1/print-runs/{id}",
            view,
            get(a::print_run::show),
        ),
        r(
            M::GET,
            "/api/v1/print-runs/{id}/pdf",
            view,
            get(a::print_run::pdf),
        ),
        r(
            M::GET,
            "/documents/print-runs",
            issue,
            get(d::print_runs::form),
        ),
        r(
            M::POST,
            "/documents/print-runs",
            issue,
            post(d::print_runs::start),
        ),
        r(
            M::GET,
            "/documents/print-runs/{id}",
            view,
            get(d::print_runs::job),
        ),
        r(
            M::GET,
            "/documents/print-runs/{id}/pdf",
            view,
            get(d::print_runs::pdf),
        ),
        r(
            M::GET,
            "/documents/print-runs/{id}/zip",
            view,
            get(d::print_runs::zip),
        ),
        r(
            M::GET,
            "/api/v1/print-runs/{id}/zip",
            view,
            get(a::print_run::zip),
        ),
        r(M::GET, "/documents/letter/new", issue, get(d::letter_form)),
        r(M::POST, "/documents/letter", issue, post(d::letter_create)),
        r(M::GET, "/documents/{id}", view, get(d::show)),
        r(M::GET, "/documents/{id}/pdf", view, get(d::pdf)),
        // A handed-in blank becomes an appeal or an incoming letter: the right to register.
        r(
            M::POST,
            "/documents/{id}/hand-in",
            Perm(RegisterAppeals),
            post(d::hand_in::submit),
        ),
        r(
            M::POST,
            "/api/v1/documents/{id}/hand-in",
            Perm(RegisterAppeals),
            post(a::hand_in),
        ),
        r(
            M::GET,
            "/documents/{id}/correct",
            issue,
            get(d::correct_form),
        ),
        r(M::POST, "/documents/{id}/correct", issue, post(d::correct)),
        r(
            M::GET,
            "/accounts/{id}/documents",
            view,
            get(d::for_account),
        ),
        r(
            M::POST,
            "/accounts/{id}/documents",
            issue,
            post(d::issue_for_account),
        ),
        r(M::GET, "/persons/{id}/documents", view, get(d::for_person)),
        r(M::GET, "/admin/templates", tpl, get(t::list)),
        r(M::GET, "/admin/templates/{kind}", tpl, get(t::edit)),
        r(M::POST, "/admin/templates/{kind}", tpl, post(t::submit)),
        r(
            M::POST,
            "/admin/templates/{kind}/revert",
            tpl,
            post(t::revert),
        ),
        r(M::GET, "/api/v1/documents", view, get(a::list)),
        r(M::POST, "/api/v1/documents", issue, post(a::create)),
        r(M::GET, "/api/v1/documents/{id}", view, get(a::show)),
        r(M::GET, "/api/v1/documents/{id}/pdf", view, get(a::pdf)),
        r(
            M::GET,
            "/api/v1/document-templates",
            tpl,
            get(a::list_templates),
        ),
        r(
            M::GET,
            "/api/v1/document-templates/{kind}",
            tpl,
            get(a::show_template),
        ),
        r(
            M::PUT,
            "/api/v1/document-templates/{kind}",
            tpl,
            put(a::upload_template),
        ),
        r(
            M::POST,
            "/api/v1/document-templates/{kind}/preview",
            tpl,
            post(a::preview_template),
        ),
        r(
            M::POST,
            "/api/v1/document-templates/{kind}/revert",
            tpl,
            post(a::revert_template),
        ),
    ]
}
