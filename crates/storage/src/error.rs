//! Storage's error. Its Display is for logs: a person reads `abonent_app::AppError`, whose
//! words come from the domain (refusals, missing records) or the app (setup).

use std::path::PathBuf;

use abonent_domain::ledger::LedgerRefusal;
use abonent_domain::missing::Missing;
use abonent_domain::ValidationErrors;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The record does not exist (or is not visible); the noun is the domain's.
    #[error("not found: {0}")]
    NotFound(String),
    /// The input is valid alone but conflicts with stored data (duplicate number, unknown
    /// building): field errors in Russian, like validation, worded by the domain.
    #[error("{0}")]
    Invalid(ValidationErrors),
    /// A ledger write refused by what the ledger holds, with the facts; worded by the
    /// domain, shown like `Invalid`.
    #[error("{}: {}", .0.field(), .0.message())]
    Ledger(LedgerRefusal),
    /// The database could not be opened or copied as asked.
    #[error("{0}")]
    Setup(SetupError),
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
    #[error("{0}")]
    Other(String),
}

/// Why the database could not be opened or copied, with the facts a person needs.
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    #[error("unsupported database URL {0:?}: expected sqlite://path or postgres://...")]
    UnsupportedUrl(String),
    #[error("cannot create the data directory {}: {cause}", .dir.display())]
    DataDir { dir: PathBuf, cause: String },
    #[error("a backup of PostgreSQL is made with pg_dump (see docs/BACKUP.md)")]
    BackupOfPostgres,
    #[error("backup target {} already exists", .0.display())]
    BackupTargetExists(PathBuf),
}

impl StoreError {
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        StoreError::Invalid(ValidationErrors::single(field, message))
    }

    /// True when the database refused a row for breaking a unique constraint.
    pub fn is_unique_violation(&self) -> bool {
        match self {
            StoreError::Db(sqlx::Error::Database(e)) => {
                e.is_unique_violation()
                    || e.message().contains("UNIQUE constraint")
                    || e.code().as_deref() == Some("23505")
            }
            _ => false,
        }
    }
}

impl From<LedgerRefusal> for StoreError {
    fn from(r: LedgerRefusal) -> Self {
        StoreError::Ledger(r)
    }
}

impl From<ValidationErrors> for StoreError {
    fn from(e: ValidationErrors) -> Self {
        StoreError::Invalid(e)
    }
}

impl From<Missing> for StoreError {
    fn from(m: Missing) -> Self {
        StoreError::NotFound(m.to_string())
    }
}

impl From<SetupError> for StoreError {
    fn from(e: SetupError) -> Self {
        StoreError::Setup(e)
    }
}

/// Refusals found against stored data, worded by the domain, reach the form as field
/// errors like any validation (the web pages show `Invalid` next to the field).
macro_rules! refused_as_invalid {
    ($($t:ty),*) => {$(
        impl From<$t> for StoreError {
            fn from(r: $t) -> Self {
                StoreError::Invalid(r.into())
            }
        }
    )*};
}

refused_as_invalid!(
    abonent_domain::registry::RegistryRefusal,
    abonent_domain::outbox::OutboxRefusal,
    abonent_domain::correspondence::CorrespondenceRefusal
);
