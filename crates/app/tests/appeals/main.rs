//! The appeals use cases and the repositories under them, on SQLite and PostgreSQL: one
//! test binary, a module per part of the register.

mod batch;
mod classifier_examples;
mod deadlines;
mod incidents;
mod register;
mod routing;

/// What these tests call `appeals`: storage's appeals module, with registration and the
/// change of priority through the use cases. Each call works on an `App` of its own, as a
/// fresh instance would (the tests that register concurrently share one `App` instead);
/// errors come back as storage's, so the tests read them as before.
mod appeals {
    pub use abonent_storage::appeals::*;

    use abonent_app::{App, AppError, Clock};
    use abonent_domain::appeal::{classify, Priority};
    use abonent_storage::{Actor, Db, StoreError};

    pub fn app(db: &Db) -> App {
        App::new(db.clone(), Clock::System)
    }

    /// The use case's errors as storage's.
    pub fn store_error(e: AppError) -> StoreError {
        match e {
            AppError::Invalid(v) => StoreError::Invalid(v),
            AppError::NotFound(what) => StoreError::NotFound(what),
            other => StoreError::Other(other.to_string()),
        }
    }

    /// Registration with the classifier's suggestion and the priority as given (normal when
    /// not), as the intake form sends it.
    pub async fn register_on(
        app: &App,
        a: &NewAppeal,
        actor: &Actor,
    ) -> Result<Registered, StoreError> {
        abonent_app::appeals::register_with(app, a, classify(&a.substance), actor)
            .await
            .map_err(store_error)
    }

    pub async fn register(db: &Db, a: &NewAppeal, actor: &Actor) -> Result<Registered, StoreError> {
        register_on(&app(db), a, actor).await
    }

    pub async fn change_priority(
        db: &Db,
        id: i64,
        to: Priority,
        reason: &str,
        actor: &Actor,
    ) -> Result<Appeal, StoreError> {
        abonent_app::appeals::change_priority(&app(db), id, to, reason, actor)
            .await
            .map_err(store_error)
    }
}
