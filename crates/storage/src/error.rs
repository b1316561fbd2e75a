use abonent_domain::ledger::LedgerRefusal;
use abonent_domain::ValidationErrors;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The record does not exist (or is not visible).
    #[error("не найдено: {0}")]
    NotFound(String),
    /// The input is valid alone but conflicts with stored data (duplicate number, unknown
    /// building): field errors in Russian, like validation.
    #[error("{0}")]
    Invalid(ValidationErrors),
    /// A ledger write refused by what the ledger holds, with the facts; worded by the
    /// domain, shown like `Invalid`.
    #[error("{}: {}", .0.field(), .0.message())]
    Ledger(LedgerRefusal),
    #[error("ошибка базы данных: {0}")]
    Db(#[from] sqlx::Error),
    #[error("{0}")]
    Other(String),
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
