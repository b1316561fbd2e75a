//! The HTTP server of abonent: a Russian server-rendered UI (askama + vendored htmx) and the
//! JSON API under `/api/v1` with its OpenAPI document. Every route is declared once in
//! `routes/` with the access it needs; the guard there checks it on the server.
//!
//! The front ends are sorted by capability, and a page, its API handler and its routes carry
//! the same folder and file name (`pages/appeals/incidents.rs`, `api/appeals/incidents.rs`,
//! `routes/appeals/incidents.rs`):
//! - `routes/`: the route table and the guard; a module per capability (`base`, `admin`,
//!   `outbox`, `registry`, `appeals/`, `correspondence`, `documents`, `ledger/`).
//! - `pages/`: HTML handlers in `registry/`, `appeals/`, `correspondence/`, `documents/`,
//!   `ledger/`, `admin/`, and `home`, `login`, `profile`, `outbox`; `pages/mod.rs` holds what
//!   every page shares (layout, today, the time zone, redirects).
//! - `api/`: JSON handlers in `registry/`, `appeals/`, `ledger/`, `correspondence/`,
//!   `documents/`, `outbox/`, each with a `types.rs` of what it answers and takes (the OpenAPI
//!   schemas, made from storage rows); `api/mod.rs` holds body parsing, `/me` and search,
//!   `api/types.rs` the shared types, `openapi.rs` the OpenAPI document.
//! - What a user does (imports, penalty runs, debtor work, issuing documents, the
//!   correspondence export) lives in `abonent_app`; pages and the API only translate HTTP to
//!   it and back.
//! - `http` (file and PDF responses, the multipart file field),
//!   `auth` (sessions, tokens), `headers` (security headers of every answer), `views` (page
//!   models), `forms`, `error`, `assets`, `xlsx`.

pub mod api;
mod assets;
pub mod auth;
mod error;
mod extract;
mod format;
mod forms;
mod headers;
mod http;
mod pages;
mod pickers;
pub mod routes;
mod timeline;
mod views;
mod xlsx;

use std::ops::Deref;

use abonent_app::{App, Clock};
use abonent_storage::Db;
use axum::Router;

pub use auth::Principal;
pub use error::{ApiError, AppError, PageError};

/// What every handler shares: the use cases' context (database, clock, job runner).
/// Cheap to clone; holds no per-instance state beyond the pool and the progress of the
/// jobs this instance runs, so several instances can serve one PostgreSQL database.
#[derive(Clone)]
pub struct AppState {
    app: App,
}

impl Deref for AppState {
    type Target = App;

    fn deref(&self) -> &App {
        &self.app
    }
}

/// The whole application as an axum router, on the system clock.
pub fn app(db: Db) -> Router {
    app_with(App::new(db, Clock::System))
}

/// The application on a given context (tests fix the clock).
pub fn app_with(app: App) -> Router {
    routes::router(AppState { app })
}

/// Serve until Ctrl-C or SIGTERM (systemd's stop), finishing requests in flight.
/// Serves on a listener the caller bound (so that it can announce the real address, also
/// for `--listen 127.0.0.1:0`) until Ctrl+C or SIGTERM.
pub async fn serve(app: App, listener: tokio::net::TcpListener) -> anyhow::Result<()> {
    tracing::info!("abonent слушает http://{}", listener.local_addr()?);
    axum::serve(listener, app_with(app))
        .with_graceful_shutdown(stop_signal())
        .await?;
    Ok(())
}

async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}
