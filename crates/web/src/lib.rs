//! The HTTP server of abonent: a Russian server-rendered UI (askama + vendored htmx) and the
//! JSON API under `/api/v1` with its OpenAPI document. Every route is declared once in
//! `routes.rs` with the access it needs; the guard there checks it on the server.

pub mod api;
mod assets;
pub mod auth;
mod correspondence_export;
mod error;
mod forms;
mod http;
pub mod issue;
pub mod ledger_docs;
mod pages;
pub mod routes;
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
pub async fn serve(db: Db, listen: &str) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(listen).await?;
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
