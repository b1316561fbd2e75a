//! Storage of abonent: one schema and one code path on SQLite and PostgreSQL.
//!
//! Queries go through sqlx's `Any` driver with `$1`-style parameters, which both backends
//! accept, so each repository is written once. Types stay within what both share: BIGINT,
//! TEXT (dates, instants, JSON), BLOB/BYTEA. See docs/ARCHITECTURE.md.

pub mod absences;
pub mod appeals;
pub mod articles;
pub mod bulk;
pub mod calendar;
pub mod clock;
pub mod consultations;
pub mod correspondence;
pub mod crypto;
pub mod db;
pub mod documents;
pub mod error;
pub mod fresh;
pub mod history;
pub mod jobs;
pub mod labels;
pub mod ledger;
pub mod login_attempts;
pub mod migrate;
pub mod numbering;
pub mod outages;
pub mod outbox;
pub mod pd_access;
pub mod periodic;
pub mod personal;
pub mod registry;
pub mod reports;
pub mod search;
pub mod settings;
pub mod statistics;
pub mod subject;
pub mod suggest;
pub mod tariffs;
pub mod testing;
pub mod time;
pub mod uploads;
pub mod users;

pub use clock::Clock;
pub use db::{Backend, Db};
pub use error::{SetupError, StoreError};
pub use history::Actor;

pub type Result<T, E = StoreError> = std::result::Result<T, E>;
