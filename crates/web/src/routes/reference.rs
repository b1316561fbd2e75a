//! Reference data administrators keep: organization details, numbering, calendar, rules.

use abonent_domain::Permission::*;
use axum::http::Method as M;
use axum::routing::{get, post};

use super::Access::*;
use super::{r, Route};
use crate::pages;

pub(super) fn routes() -> Vec<Route> {
    use pages::reference as p;
    let admin = Perm(ManageReferenceData);
    vec![
        r(M::GET, "/admin/organization", admin, get(p::organization)),
        r(
            M::POST,
            "/admin/organization",
            admin,
            post(p::save_organization),
        ),
        r(M::GET, "/admin/numbering", admin, get(p::numbering_page)),
        r(M::POST, "/admin/numbering", admin, post(p::save_numbering)),
        r(M::GET, "/admin/calendar", admin, get(p::calendar_view)),
        r(M::POST, "/admin/calendar", admin, post(p::save_calendar)),
        r(
            M::POST,
            "/admin/calendar/{year}/remove",
            admin,
            post(p::remove_calendar_year),
        ),
        r(M::GET, "/admin/answer-rules", admin, get(p::answer_rules)),
        r(
            M::POST,
            "/admin/answer-rules",
            admin,
            post(p::save_answer_rules),
        ),
        r(
            M::POST,
            "/admin/answer-rules/{kind}/reset",
            admin,
            post(p::reset_answer_rule),
        ),
    ]
}
