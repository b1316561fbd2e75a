//! The one error of the use cases, with the Russian words a person reads. The front ends
//! only choose how to show it (HTTP status and page or problem document, or a command's
//! exit message).

use std::fmt;

use abonent_domain::ValidationErrors;
use abonent_storage::StoreError;

#[derive(Debug)]
pub enum AppError {
    Invalid(ValidationErrors),
    NotFound(String),
    Unauthorized,
    Forbidden,
    Conflict {
        detail: String,
        extra: serde_json::Value,
    },
    BadRequest(String),
    Internal(String),
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Invalid(v) => AppError::Invalid(v),
            StoreError::Ledger(r) => AppError::Invalid(r.into()),
            StoreError::NotFound(what) => AppError::NotFound(what),
            other => {
                tracing::error!("storage error: {other}");
                AppError::Internal(other.to_string())
            }
        }
    }
}

impl From<ValidationErrors> for AppError {
    fn from(e: ValidationErrors) -> Self {
        AppError::Invalid(e)
    }
}

impl AppError {
    /// A refusal about one field.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        AppError::Invalid(ValidationErrors::single(field, message))
    }

    pub fn title(&self) -> &'static str {
        match self {
            AppError::Invalid(_) => "Ошибка в данных",
            AppError::NotFound(_) => "Не найдено",
            AppError::Unauthorized => "Нужен вход в систему",
            AppError::Forbidden => "Недостаточно прав",
            AppError::Conflict { .. } => "Возможный дубликат",
            AppError::BadRequest(_) => "Неверный запрос",
            AppError::Internal(_) => "Внутренняя ошибка",
        }
    }

    pub fn detail(&self) -> String {
        match self {
            AppError::Invalid(e) => format!("Исправьте поля: {e}"),
            AppError::NotFound(what) => format!("Запись не найдена: {what}."),
            AppError::Unauthorized => {
                "Войдите в систему или передайте API-токен в заголовке Authorization: Bearer.".into()
            }
            AppError::Forbidden => "Вашей роли это действие не разрешено. Обратитесь к администратору.".into(),
            AppError::Conflict { detail, .. } => detail.clone(),
            AppError::BadRequest(m) => m.clone(),
            AppError::Internal(_) => {
                "Сервер не смог выполнить действие. Повторите попытку; если ошибка повторится, сообщите администратору.".into()
            }
        }
    }
}

impl fmt::Display for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // The command line shows the cause, not the server's apology.
            AppError::Internal(m) => f.write_str(m),
            _ => f.write_str(&self.detail()),
        }
    }
}

impl std::error::Error for AppError {}
