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
//! - `api/`: JSON handlers in `registry/`, `appeals/`, `ledger/`, and `correspondence`,
//!   `documents`, `outbox`; `api/mod.rs` holds body parsing, `/me` and search, `openapi.rs`
//!   the OpenAPI document.
//! - `issue/`: issuing documents, for pages and the API alike; `issue/ledger.rs` gathers the
//!   data of the documents made from an account's ledger.
//! - `ledger_flow`, `import_flow`, `debt_flow`: long tasks that pages, the API and the CLI
//!   share (ledger imports and the penalty run, the registry import, debtor notices).
//! - `auth` (sessions, tokens), `views` (page models), `forms`, `error`, `assets`, `xlsx`.

pub mod api;
mod assets;
pub mod auth;
pub mod debt_flow;
mod error;
mod forms;
mod import_flow;
pub mod issue;
pub mod ledger_flow;
mod pages;
pub mod routes;
mod views;
mod xlsx;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use abonent_storage::Db;
use axum::Router;

pub use auth::Principal;
pub use error::{ApiError, AppError, PageError};

/// What every handler shares. Cheap to clone; holds no per-instance state beyond the pool,
/// so several instances can serve one PostgreSQL database.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    /// Progress of background jobs run by this instance.
    pub progress: Progress,
}

/// Progress of jobs this instance runs: job id → (done, total).
#[derive(Clone, Default)]
pub struct Progress(Arc<Mutex<HashMap<i64, (usize, usize)>>>);

impl Progress {
    pub fn set(&self, job: i64, done: usize, total: usize) {
        if let Ok(mut m) = self.0.lock() {
            m.insert(job, (done, total));
        }
    }

    pub fn get(&self, job: i64) -> Option<(usize, usize)> {
        self.0.lock().ok().and_then(|m| m.get(&job).copied())
    }

    pub fn remove(&self, job: i64) {
        if let Ok(mut m) = self.0.lock() {
            m.remove(&job);
        }
    }
}

/// The whole application as an axum router.
pub fn app(db: Db) -> Router {
    routes::router(AppState {
        db,
        progress: Progress::default(),
    })
}

/// Serve until Ctrl-C or SIGTERM (systemd's stop), finishing requests in flight.
/// Serves on a listener the caller bound (so that it can announce the real address, also
/// for `--listen 127.0.0.1:0`) until Ctrl+C or SIGTERM.
pub async fn serve(db: Db, listener: tokio::net::TcpListener) -> anyhow::Result<()> {
    tracing::info!("abonent слушает http://{}", listener.local_addr()?);
    axum::serve(listener, app(db))
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
