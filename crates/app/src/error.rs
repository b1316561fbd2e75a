//! The one error of the use cases, with the Russian words a person reads. The front ends
//! only choose how to show it (HTTP status and page or problem document, or a command's
//! exit message).

use std::fmt;

use abonent_domain::ValidationErrors;
use abonent_storage::{SetupError, StoreError};

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
            StoreError::Setup(s) => AppError::BadRequest(setup_message(&s)),
            other => {
                tracing::error!("storage error: {other}");
                // The command line shows this text; a page shows only the apology.
                AppError::Internal(match other {
                    StoreError::Db(e) => format!("ошибка базы данных: {e}"),
                    other => other.to_string(),
                })
            }
        }
    }
}

/// What a person is told when the database cannot be opened or copied as asked.
fn setup_message(e: &SetupError) -> String {
    match e {
        SetupError::UnsupportedUrl(url) => format!(
            "Адрес базы данных «{url}» не поддерживается: нужен sqlite://путь или postgres://…"
        ),
        SetupError::DataDir { dir, cause } => {
            format!(
                "Не удалось создать каталог данных {}: {cause}",
                dir.display()
            )
        }
        SetupError::BackupOfPostgres => {
            "Для PostgreSQL используйте pg_dump (см. docs/BACKUP.md).".into()
        }
        SetupError::BackupTargetExists(path) => format!(
            "Файл {} уже существует: укажите новый путь.",
            path.display()
        ),
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

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    #[test]
    fn setup_refusals_are_told_in_russian() {
        let said = |e: SetupError| AppError::from(StoreError::Setup(e)).to_string();
        assert_eq!(
            said(SetupError::UnsupportedUrl("mysql://x".into())),
            "Адрес базы данных «mysql://x» не поддерживается: нужен sqlite://путь или postgres://…"
        );
        assert_eq!(
            said(SetupError::DataDir {
                dir: PathBuf::from("/data"),
                cause: "denied".into()
            }),
            "Не удалось создать каталог данных /data: denied"
        );
        assert_eq!(
            said(SetupError::BackupOfPostgres),
            "Для PostgreSQL используйте pg_dump (см. docs/BACKUP.md)."
        );
        assert_eq!(
            said(SetupError::BackupTargetExists(PathBuf::from(
                "/tmp/a.sqlite"
            ))),
            "Файл /tmp/a.sqlite уже существует: укажите новый путь."
        );
    }

    #[test]
    fn a_database_failure_keeps_its_russian_prefix_for_the_command_line() {
        let e = AppError::from(StoreError::Db(sqlx::Error::PoolTimedOut));
        assert!(matches!(e, AppError::Internal(_)));
        assert!(e.to_string().starts_with("ошибка базы данных: "), "{e}");
        assert!(
            e.detail().starts_with("Сервер не смог"),
            "a page shows no cause"
        );
    }

    #[test]
    fn missing_records_and_refusals_keep_their_words() {
        let e = AppError::from(StoreError::from(abonent_domain::missing::Missing::Job));
        assert_eq!(e.detail(), "Запись не найдена: задача.");
        let e = AppError::from(StoreError::from(
            abonent_domain::registry::RegistryRefusal::LinkClosed,
        ));
        assert_eq!(e.detail(), "Исправьте поля: reason: Связь уже закрыта.");
    }
}
