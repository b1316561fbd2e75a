//! Every route, declared once with the access it needs. The router is built from this table
//! and the guard checks access on the server; the route tests walk the same table.

use abonent_domain::Permission;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{header, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post, put, MethodRouter};
use axum::Router;

mod ledger;

use crate::auth::{self, Via};
use crate::{api, assets, pages, ApiError, AppError, AppState, PageError};

/// Largest request body: registry files up to 50 MB plus form overhead.
pub const BODY_LIMIT: usize = 64 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// No login needed (login page, assets, API description).
    Public,
    /// Any signed-in staff member.
    Staff,
    Perm(Permission),
}

pub struct Route {
    pub method: Method,
    pub path: &'static str,
    pub access: Access,
    /// API routes answer problem+json and accept bearer tokens.
    pub api: bool,
    handler: MethodRouter<AppState>,
}

fn r(method: Method, path: &'static str, access: Access, handler: MethodRouter<AppState>) -> Route {
    Route {
        api: path.starts_with("/api/v1"),
        method,
        path,
        access,
        handler,
    }
}

/// The route table.
pub fn all() -> Vec<Route> {
    use Access::*;
    use Method as M;
    use Permission::*;
    let view = Perm(ViewRegistry);
    let people = Perm(ViewPersonalData);
    let edit = Perm(EditRegistry);
    let import = Perm(ImportRegistry);
    let admin = Perm(ManageUsers);
    let appeals_view = Perm(ViewAppeals);
    let appeals_register = Perm(RegisterAppeals);
    let appeals_process = Perm(ProcessAppeals);
    let letters = Perm(ViewCorrespondence);
    let register = Perm(EditCorrespondence);
    let reference = Perm(ManageReferenceData);
    let mut table = vec![
        // Public
        r(M::GET, "/login", Public, get(pages::login::form)),
        r(M::POST, "/login", Public, post(pages::login::submit)),
        r(M::GET, "/assets/{name}", Public, get(assets::file)),
        r(M::GET, "/api/docs", Public, get(assets::api_docs)),
        r(
            M::GET,
            "/api/v1/openapi.json",
            Public,
            get(api::openapi::spec),
        ),
        r(M::GET, "/health", Public, get(pages::home::health)),
        // Any staff
        r(M::POST, "/logout", Staff, post(pages::login::logout)),
        r(M::GET, "/", Staff, get(pages::home::index)),
        r(
            M::GET,
            "/profile/password",
            Staff,
            get(pages::profile::form),
        ),
        r(
            M::POST,
            "/profile/password",
            Staff,
            post(pages::profile::submit),
        ),
        r(M::GET, "/api/v1/me", Staff, get(api::me)),
        // Search
        r(M::GET, "/search", view, get(pages::search::page)),
        r(M::GET, "/api/v1/search", view, get(api::search)),
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
        // Appeals
        r(M::GET, "/appeals", appeals_view, get(pages::appeals::list)),
        r(
            M::GET,
            "/appeals/new",
            appeals_register,
            get(pages::appeals::new),
        ),
        r(
            M::POST,
            "/appeals",
            appeals_register,
            post(pages::appeals::create),
        ),
        r(
            M::GET,
            "/appeals/caller",
            appeals_register,
            get(pages::appeals::caller),
        ),
        r(
            M::GET,
            "/appeals/suggest",
            appeals_register,
            get(pages::appeals::suggest),
        ),
        r(
            M::GET,
            "/appeals/{id}",
            appeals_view,
            get(pages::appeals::show),
        ),
        r(
            M::POST,
            "/appeals/{id}/status",
            appeals_process,
            post(pages::appeals::change_status),
        ),
        r(
            M::POST,
            "/appeals/{id}/comments",
            appeals_process,
            post(pages::appeals::comment),
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
        // Administration
        r(M::GET, "/admin/users", admin, get(pages::admin::users)),
        r(
            M::POST,
            "/admin/users",
            admin,
            post(pages::admin::create_user),
        ),
        r(
            M::POST,
            "/admin/users/{id}/active",
            admin,
            post(pages::admin::set_active),
        ),
        r(M::GET, "/admin/tokens", admin, get(pages::admin::tokens)),
        r(
            M::POST,
            "/admin/tokens",
            admin,
            post(pages::admin::create_token),
        ),
        r(
            M::POST,
            "/admin/tokens/{id}/revoke",
            admin,
            post(pages::admin::revoke_token),
        ),
        r(
            M::GET,
            "/admin/settings",
            admin,
            get(pages::admin::settings),
        ),
        r(
            M::POST,
            "/admin/settings",
            admin,
            post(pages::admin::save_settings),
        ),
        // Notifications outbox
        r(M::GET, "/admin/outbox", admin, get(pages::outbox::list)),
        r(
            M::POST,
            "/admin/outbox/{id}/retry",
            admin,
            post(pages::outbox::retry),
        ),
        r(
            M::POST,
            "/admin/outbox/{id}/cancel",
            admin,
            post(pages::outbox::cancel),
        ),
        r(M::GET, "/api/v1/outbox", admin, get(api::outbox::list)),
        r(M::GET, "/api/v1/outbox/{id}", admin, get(api::outbox::show)),
        r(
            M::POST,
            "/api/v1/outbox/{id}/retry",
            admin,
            post(api::outbox::retry),
        ),
        r(
            M::POST,
            "/api/v1/outbox/{id}/cancel",
            admin,
            post(api::outbox::cancel),
        ),
    ];
    table.extend(correspondence_routes(letters, register));
    table.extend(reference_routes(reference));
    table.extend(document_routes());
    table.extend(ledger::routes());
    table
}

/// Documents (archive, issuing, letters) and document templates: pages and API.
fn document_routes() -> Vec<Route> {
    use api::documents as a;
    use pages::documents as d;
    use pages::templates as t;
    use Method as M;
    let view = Access::Perm(Permission::ViewDocuments);
    let issue = Access::Perm(Permission::IssueDocuments);
    let tpl = Access::Perm(Permission::ManageTemplates);
    vec![
        r(M::GET, "/documents", view, get(d::list)),
        r(M::GET, "/documents/letter/new", issue, get(d::letter_form)),
        r(M::POST, "/documents/letter", issue, post(d::letter_create)),
        r(M::GET, "/documents/{id}", view, get(d::show)),
        r(M::GET, "/documents/{id}/pdf", view, get(d::pdf)),
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

/// Correspondence registers: pages and API.
fn correspondence_routes(view: Access, edit: Access) -> Vec<Route> {
    use api::correspondence as a;
    use pages::correspondence as c;
    use Method as M;
    vec![
        r(M::GET, "/correspondence", view, get(c::index)),
        r(
            M::GET,
            "/correspondence/incoming",
            view,
            get(c::incoming::list),
        ),
        r(
            M::GET,
            "/correspondence/incoming/new",
            edit,
            get(c::incoming::new),
        ),
        r(
            M::POST,
            "/correspondence/incoming",
            edit,
            post(c::incoming::create),
        ),
        r(
            M::GET,
            "/correspondence/incoming/{id}",
            view,
            get(c::incoming::show),
        ),
        r(
            M::GET,
            "/correspondence/incoming/{id}/edit",
            edit,
            get(c::incoming::edit),
        ),
        r(
            M::POST,
            "/correspondence/incoming/{id}",
            edit,
            post(c::incoming::update),
        ),
        r(
            M::POST,
            "/correspondence/incoming/{id}/status",
            edit,
            post(c::incoming::set_status),
        ),
        r(
            M::POST,
            "/correspondence/incoming/{id}/attachments",
            edit,
            post(c::incoming::attach),
        ),
        r(
            M::GET,
            "/correspondence/outgoing",
            view,
            get(c::outgoing::list),
        ),
        r(
            M::GET,
            "/correspondence/outgoing/new",
            edit,
            get(c::outgoing::new),
        ),
        r(
            M::POST,
            "/correspondence/outgoing",
            edit,
            post(c::outgoing::create),
        ),
        r(
            M::GET,
            "/correspondence/outgoing/{id}",
            view,
            get(c::outgoing::show),
        ),
        r(
            M::GET,
            "/correspondence/outgoing/{id}/edit",
            edit,
            get(c::outgoing::edit),
        ),
        r(
            M::POST,
            "/correspondence/outgoing/{id}",
            edit,
            post(c::outgoing::update),
        ),
        r(
            M::POST,
            "/correspondence/outgoing/{id}/attachments",
            edit,
            post(c::outgoing::attach),
        ),
        r(
            M::GET,
            "/correspondence/attachments/{id}",
            view,
            get(c::download),
        ),
        r(
            M::POST,
            "/correspondence/attachments/{id}/remove",
            edit,
            post(c::remove_scan),
        ),
        r(M::GET, "/correspondence/export", view, get(c::export::page)),
        r(
            M::GET,
            "/api/v1/correspondence/incoming",
            view,
            get(a::list_incoming),
        ),
        r(
            M::POST,
            "/api/v1/correspondence/incoming",
            edit,
            post(a::create_incoming),
        ),
        r(
            M::GET,
            "/api/v1/correspondence/incoming/{id}",
            view,
            get(a::show_incoming),
        ),
        r(
            M::PUT,
            "/api/v1/correspondence/incoming/{id}",
            edit,
            put(a::update_incoming),
        ),
        r(
            M::POST,
            "/api/v1/correspondence/incoming/{id}/status",
            edit,
            post(a::set_incoming_status),
        ),
        r(
            M::GET,
            "/api/v1/correspondence/incoming/{id}/history",
            view,
            get(a::incoming_history),
        ),
        r(
            M::POST,
            "/api/v1/correspondence/incoming/{id}/attachments",
            edit,
            post(a::attach_incoming),
        ),
        r(
            M::GET,
            "/api/v1/correspondence/outgoing",
            view,
            get(a::list_outgoing),
        ),
        r(
            M::POST,
            "/api/v1/correspondence/outgoing",
            edit,
            post(a::create_outgoing),
        ),
        r(
            M::GET,
            "/api/v1/correspondence/outgoing/{id}",
            view,
            get(a::show_outgoing),
        ),
        r(
            M::PUT,
            "/api/v1/correspondence/outgoing/{id}",
            edit,
            put(a::update_outgoing),
        ),
        r(
            M::GET,
            "/api/v1/correspondence/outgoing/{id}/history",
            view,
            get(a::outgoing_history),
        ),
        r(
            M::POST,
            "/api/v1/correspondence/outgoing/{id}/attachments",
            edit,
            post(a::attach_outgoing),
        ),
        r(
            M::GET,
            "/api/v1/correspondence/attachments/{id}",
            view,
            get(a::download),
        ),
        r(
            M::GET,
            "/api/v1/correspondence/export",
            view,
            get(a::export_register),
        ),
    ]
}

/// Reference data administrators keep: organization details, numbering, calendar, rules.
fn reference_routes(admin: Access) -> Vec<Route> {
    use pages::reference as p;
    use Method as M;
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

pub fn router(state: AppState) -> Router {
    let mut router = Router::new();
    for route in all() {
        let (access, api) = (route.access, route.api);
        let guarded = route.handler.route_layer(middleware::from_fn_with_state(
            state.clone(),
            move |s: State<AppState>, req: Request, next: Next| guard(s, access, api, req, next),
        ));
        router = router.route(route.path, guarded);
    }
    router
        .fallback(|| async {
            PageError(AppError::NotFound("такой страницы нет".into()))
        })
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .with_state(state)
}

fn refuse(api: bool, e: AppError) -> Response {
    if api {
        ApiError(e).into_response()
    } else {
        PageError(e).into_response()
    }
}

/// Authenticate, authorize and check CSRF before the handler runs.
async fn guard(
    State(state): State<AppState>,
    access: Access,
    api: bool,
    req: Request,
    next: Next,
) -> Response {
    let principal = match auth::principal(&state.db, req.headers(), api).await {
        Ok(p) => p,
        Err(e) => return refuse(api, e.into()),
    };
    let Some(principal) = principal else {
        if access == Access::Public {
            return next.run(req).await;
        }
        if api {
            return refuse(api, AppError::Unauthorized);
        }
        let next_url = req
            .uri()
            .path_and_query()
            .map(|p| p.as_str())
            .unwrap_or("/");
        let target = format!(
            "/login?next={}",
            url::form_urlencoded::byte_serialize(next_url.as_bytes()).collect::<String>()
        );
        return Redirect::to(&target).into_response();
    };
    if let Access::Perm(p) = access {
        if !principal.can(p) {
            return refuse(api, AppError::Forbidden);
        }
    }
    let mut req = req;
    if principal.via == Via::Session && !matches!(*req.method(), Method::GET | Method::HEAD) {
        let (parts, body) = req.into_parts();
        let bytes = match axum::body::to_bytes(body, BODY_LIMIT).await {
            Ok(b) => b,
            Err(_) => {
                return refuse(
                    api,
                    AppError::BadRequest("Слишком большой запрос: не более 50 МБ.".into()),
                )
            }
        };
        let expected = principal.csrf.clone().unwrap_or_default();
        if !csrf_ok(&parts, &bytes, &expected) {
            return (
                StatusCode::FORBIDDEN,
                refuse(api, AppError::BadRequest(
                    "Форма устарела: нет защитного кода (CSRF). Обновите страницу и отправьте её снова.".into(),
                )),
            )
                .into_response();
        }
        req = Request::from_parts(parts, Body::from(bytes));
    }
    req.extensions_mut().insert(principal);
    next.run(req).await
}

fn csrf_ok(parts: &axum::http::request::Parts, body: &[u8], expected: &str) -> bool {
    if expected.is_empty() {
        return false;
    }
    let given = parts
        .headers
        .get(auth::CSRF_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .or_else(|| {
            let ct = parts
                .headers
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            let source: &[u8] = if ct.starts_with("application/x-www-form-urlencoded") {
                body
            } else {
                parts.uri.query().unwrap_or("").as_bytes()
            };
            url::form_urlencoded::parse(source)
                .find(|(k, _)| k == auth::CSRF_FIELD)
                .map(|(_, v)| v.into_owned())
        });
    given.is_some_and(|g| auth::same_secret(&g, expected))
}
