//! Files people bring (registers, charges, payment files) are stored first, then read,
//! checked and committed by the use case they are for.

use abonent_import::Table;
use abonent_storage::uploads;

use crate::{App, AppError};

/// What an upload is for; says what to choose when the file is missing.
#[derive(Debug, Clone, Copy)]
pub enum UploadFor {
    Registry,
    Ledger,
}

impl UploadFor {
    fn missing(self) -> &'static str {
        match self {
            UploadFor::Registry => "Выберите файл реестра (CSV или XLSX).",
            UploadFor::Ledger => "Выберите файл.",
        }
    }
}

/// Store an uploaded file; returns its id.
pub async fn save(
    app: &App,
    what: UploadFor,
    name: &str,
    bytes: &[u8],
    user_id: Option<i64>,
) -> Result<i64, AppError> {
    if bytes.is_empty() {
        return Err(AppError::field("file", what.missing()));
    }
    Ok(uploads::save(&app.db, name, bytes, user_id).await?)
}

/// A CSV or XLSX file as a table, read off the async threads.
pub async fn table(bytes: Vec<u8>) -> Result<Table, AppError> {
    tokio::task::spawn_blocking(move || abonent_import::read_table(&bytes))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map_err(|e| AppError::field("file", e.to_string()))
}

/// The first rows as read, for a look at the data before it is mapped.
pub fn sample(t: &Table) -> Vec<Vec<String>> {
    t.rows.iter().take(10).map(|r| r.cells.clone()).collect()
}

/// A file whose preview found errors is refused whole: nothing of it is saved.
pub fn refused(errors: usize) -> AppError {
    let n = errors as u64;
    let word = abonent_domain::money::plural(n, ["ошибка", "ошибки", "ошибок"]);
    AppError::BadRequest(format!(
        "В файле {n} {word}: исправьте их и загрузите файл снова. Ничего не сохранено."
    ))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_refused_file_counts_its_errors_in_russian() {
        for (n, says) in [
            (1, "1 ошибка:"),
            (3, "3 ошибки:"),
            (5, "5 ошибок:"),
            (21, "21 ошибка:"),
        ] {
            let m = super::refused(n).to_string();
            assert!(m.contains(says), "{m}");
        }
    }
}
