//! Files people bring (registers, charges, payment files) are checked for what they may
//! unpack to, stored, then read, checked and committed by the use case they are for. A
//! stored file is kept only while its purpose needs it (`retention`).

use abonent_import::Table;
use abonent_storage::uploads::{self, Purpose};
use tokio::sync::Semaphore;

use crate::{App, AppError};

pub mod retention;

/// What an upload is for; says what to choose when the file is missing.
#[derive(Debug, Clone, Copy)]
pub enum UploadFor {
    Registry,
    Charges,
    Payments,
    Tariffs,
}

impl UploadFor {
    fn missing(self) -> &'static str {
        match self {
            UploadFor::Registry => "Выберите файл реестра (CSV или XLSX).",
            UploadFor::Charges | UploadFor::Payments => "Выберите файл.",
            UploadFor::Tariffs => "Выберите файл тарифов (CSV или XLSX).",
        }
    }

    fn purpose(self) -> Purpose {
        match self {
            UploadFor::Registry => Purpose::RegistryImport,
            UploadFor::Charges => Purpose::ChargesImport,
            UploadFor::Payments => Purpose::PaymentsImport,
            UploadFor::Tariffs => Purpose::TariffsImport,
        }
    }
}

/// Store an uploaded file; returns its id. A file refused by its size or by what it would
/// unpack to is never stored.
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
    let checked = match what {
        // Tables: the size and the archive's directory (a look, not an unpacking).
        UploadFor::Registry | UploadFor::Charges | UploadFor::Tariffs => {
            abonent_import::check_upload(bytes)
        }
        // Bank registers are read line by line as they stream: only their size matters.
        UploadFor::Payments if bytes.len() > abonent_import::payments::MAX_REGISTER_BYTES => {
            Err(abonent_import::ImportError::TooLarge { bytes: bytes.len() })
        }
        UploadFor::Payments => Ok(()),
    };
    checked.map_err(|e| AppError::field("file", e.to_string()))?;
    Ok(uploads::save(&app.db, what.purpose(), name, bytes, user_id).await?)
}

/// The job that loads an upload: the file is then kept while the job's outcome may be
/// reviewed. A failure to note it only shortens the file's life, so it is logged, not raised.
pub async fn loaded_by(app: &App, upload_id: i64, job_id: i64) {
    if let Err(e) = uploads::attach_job(&app.db, upload_id, job_id).await {
        tracing::warn!("upload {upload_id}: job {job_id} not noted: {e}");
    }
}

/// One table is read at a time per instance: a file within the limits may still take a few
/// hundred megabytes while it is read, and several at once would add up.
static READING: Semaphore = Semaphore::const_new(1);

/// A CSV or XLSX file as a table, read off the async threads.
pub async fn table(bytes: Vec<u8>) -> Result<Table, AppError> {
    let _turn = READING
        .acquire()
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
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
