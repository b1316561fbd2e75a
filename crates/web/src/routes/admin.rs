//! Administration of the organization as a whole: staff accounts, API tokens and settings;
//! the organization's details, numbering patterns, work calendar and answer-deadline rules.

use abonent_domain::Permission::*;
use axum::http::Method as M;
use axum::routing::{get, post};

use crate::pages::admin::{organization as o, settings, setup, staff};
use crate::routes::Access::*;
use crate::routes::{r, Route};

pub(super) fn routes() -> Vec<Route> {
    let admin = Perm(ManageUsers);
    let reference = Perm(ManageReferenceData);
    vec![
        // Staff accounts, API tokens, settings
        r(M::GET, "/admin/users", admin, get(staff::users)),
        r(M::POST, "/admin/users", admin, post(staff::create_user)),
        r(
            M::POST,
            "/admin/users/{id}/active",
            admin,
            post(staff::set_active),
        ),
        r(M::GET, "/admin/tokens", admin, get(staff::tokens)),
        r(M::POST, "/admin/tokens", admin, post(staff::create_token)),
        r(
            M::POST,
            "/admin/tokens/{id}/revoke",
            admin,
            post(staff::revoke_token),
        ),
        r(M::GET, "/admin", admin, get(settings::index)),
        r(M::GET, "/admin/settings", admin, get(settings::settings)),
        r(
            M::POST,
            "/admin/settings",
            admin,
            post(settings::save_settings),
        ),
        // First-run setup
        r(M::GET, "/admin/setup", reference, get(setup::show)),
        r(M::POST, "/admin/setup", reference, post(setup::submit)),
        // Organization
        r(
            M::GET,
            "/admin/organization",
            reference,
            get(o::organization),
        ),
        r(
            M::POST,
            "/admin/organization",
            reference,
            post(o::save_organization),
        ),
        r(
            M::GET,
            "/admin/numbering",
            reference,
            get(o::numbering_page),
        ),
        r(
            M::POST,
            "/admin/numbering",
            reference,
            post(o::save_numbering),
        ),
        r(M::GET, "/admin/calendar", reference, get(o::calendar_view)),
        r(
            M::POST,
            "/admin/calendar",
            reference,
            post(o::save_calendar),
        ),
        r(
            M::POST,
            "/admin/calendar/{year}/remove",
            reference,
            post(o::remove_calendar_year),
        ),
        r(
            M::GET,
            "/admin/answer-rules",
            reference,
            get(o::answer_rules),
        ),
        r(
            M::POST,
            "/admin/answer-rules",
            reference,
            post(o::save_answer_rules),
        ),
        r(
            M::POST,
            "/admin/answer-rules/{kind}/reset",
            reference,
            post(o::reset_answer_rule),
        ),
    ]
}
