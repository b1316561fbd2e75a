//! Registry import shared by the pages and the API: read the file, map columns, check every
//! row (also against the database), and commit all or nothing as a background job whose
//! progress any instance can show.

use abonent_domain::registry::AccountNumberFormat;
use abonent_domain::ValidationErrors;
use abonent_import::{
    map_registry, read_table, ColumnMapping, RegistryDefaults, RegistryField, RowError, Table,
};
use abonent_storage::registry::import::{self as store, ImportRecord};
use abonent_storage::{jobs, settings, uploads, Actor, Backend};
use serde::Serialize;

use crate::{AppError, AppState};

/// What the specialist sees before committing.
#[derive(Debug, Serialize)]
pub struct Preview {
    pub upload_id: i64,
    pub file_name: String,
    pub encoding: String,
    pub headers: Vec<String>,
    pub mapping: ColumnMapping,
    pub total_rows: usize,
    pub valid_rows: usize,
    pub errors: Vec<RowError>,
    /// First rows as read, for a look at the data.
    pub sample: Vec<Vec<String>>,
    #[serde(skip)]
    pub records: Vec<ImportRecord>,
}

pub struct Options {
    pub defaults: RegistryDefaults,
    /// None: guess from the headers.
    pub mapping: Option<ColumnMapping>,
}

pub async fn defaults(
    s: &AppState,
    region: &str,
    city: &str,
    opened_on: &str,
) -> Result<RegistryDefaults, AppError> {
    let or = |v: &str, d: String| {
        if v.trim().is_empty() {
            d
        } else {
            v.trim().to_string()
        }
    };
    Ok(RegistryDefaults {
        region: or(region, settings::get(&s.db, "org.default_region").await?),
        city: or(city, settings::get(&s.db, "org.default_city").await?),
        opened_on: or(opened_on, crate::pages::today(&s.db).await.to_string()),
        account_format: settings::account_number_format(&s.db).await?,
    })
}

pub async fn preview(s: &AppState, upload_id: i64, opts: Options) -> Result<Preview, AppError> {
    let (file_name, bytes) = uploads::load(&s.db, upload_id).await?;
    let table: Table = tokio::task::spawn_blocking(move || read_table(&bytes))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map_err(|e| AppError::Invalid(ValidationErrors::single("file", e.to_string())))?;
    let mapping = opts
        .mapping
        .unwrap_or_else(|| ColumnMapping::guess(&table.headers));
    let today = crate::pages::today(&s.db).await;
    let mapped = map_registry(&table, &mapping, &opts.defaults, today);
    let mut errors = mapped.errors;
    let mut records = Vec::with_capacity(mapped.rows.len());
    for row in &mapped.rows {
        match to_record(row, today, &opts.defaults.account_format) {
            Ok(r) => records.push(r),
            Err(e) => errors.extend(e.0.into_iter().map(|f| RowError {
                line: row.line,
                field: f.field,
                message: f.message,
            })),
        }
    }
    let numbers: Vec<String> = records.iter().map(|r| r.account.number.clone()).collect();
    let existing = store::existing_account_numbers(&s.db, &numbers).await?;
    if !existing.is_empty() {
        for r in records
            .iter()
            .filter(|r| existing.contains(&r.account.number))
        {
            errors.push(RowError {
                line: r.line,
                field: RegistryField::AccountNumber.code().into(),
                message: format!(
                    "Строка {}: лицевой счёт № {} уже есть в реестре.",
                    r.line, r.account.number
                ),
            });
        }
        records.retain(|r| !existing.contains(&r.account.number));
    }
    errors.sort_by_key(|e| e.line);
    Ok(Preview {
        upload_id,
        file_name,
        encoding: table.encoding.title().to_string(),
        sample: table
            .rows
            .iter()
            .take(10)
            .map(|r| r.cells.clone())
            .collect(),
        headers: table.headers,
        mapping,
        total_rows: mapped.total_rows,
        valid_rows: records.len(),
        errors,
        records,
    })
}

/// Forms from the file → clean data (the import crate has already checked them; ids are
/// placeholders that storage replaces).
fn to_record(
    row: &abonent_import::ImportRow,
    today: chrono::NaiveDate,
    format: &AccountNumberFormat,
) -> Result<ImportRecord, ValidationErrors> {
    let mut premises = row.premises.clone();
    premises.building_id = Some("1".into());
    let mut account = row.account.clone();
    account.premises_id = Some("1".into());
    let benefit = match &row.benefit {
        Some(b) => {
            let mut b = b.clone();
            b.person_id = Some("1".into());
            Some(b.validate()?)
        }
        None => None,
    };
    let person = match &row.person {
        Some(p) => Some(p.validate(today)?),
        None => None,
    };
    let share = row
        .link_share
        .as_deref()
        .and_then(abonent_domain::registry::Share::parse);
    Ok(ImportRecord {
        line: row.line,
        building: row.building.validate()?,
        premises: premises.validate()?,
        account: account.validate(format)?,
        link: person.as_ref().map(|_| {
            (
                row.link_role
                    .unwrap_or(abonent_domain::registry::LinkRole::Owner),
                share,
            )
        }),
        person,
        benefit,
    })
}

/// Start the all-or-nothing commit in the background; returns the job id.
pub async fn start_commit(
    s: &AppState,
    preview: Preview,
    actor: Actor,
    user_id: Option<i64>,
) -> Result<i64, AppError> {
    if !preview.errors.is_empty() {
        return Err(AppError::BadRequest(format!(
            "В файле {} ошибок: исправьте их и загрузите файл снова. Ничего не сохранено.",
            preview.errors.len()
        )));
    }
    let total = preview.records.len();
    let job = jobs::start(&s.db, "registry_import", total as i64, user_id).await?;
    let state = s.clone();
    let note = format!("Импорт реестра из файла «{}»", preview.file_name);
    tokio::spawn(async move {
        state.progress.set(job, 0, total);
        let done = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        // On PostgreSQL other instances read progress from the database; on SQLite the one
        // writer is busy with the import, so progress lives in memory until the end.
        let reporter = (state.db.backend() == Backend::Postgres).then(|| {
            let (db, done) = (state.db.clone(), done.clone());
            tokio::spawn(async move {
                loop {
                    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
                    let _ = jobs::progress(
                        &db,
                        job,
                        done.load(std::sync::atomic::Ordering::Relaxed) as i64,
                    )
                    .await;
                }
            })
        });
        let progress_map = state.progress.clone();
        let counter = done.clone();
        let on_progress = move |n: usize| {
            counter.store(n, std::sync::atomic::Ordering::Relaxed);
            progress_map.set(job, n, total);
        };
        let result =
            store::import_registry(&state.db, &preview.records, &actor, &note, &on_progress).await;
        if let Some(r) = reporter {
            r.abort();
        }
        let _ = match result {
            Ok(summary) => {
                let msg = format!(
                    "Загружено: домов {}, помещений {}, лицевых счетов {}, людей {}, связей {}, льгот {}.",
                    summary.buildings_created, summary.premises_created, summary.accounts_created, summary.persons_created, summary.links_created, summary.benefits_created
                );
                jobs::finish(
                    &state.db,
                    job,
                    true,
                    &msg,
                    serde_json::to_value(&summary).ok(),
                )
                .await
            }
            Err(e) => {
                jobs::finish(
                    &state.db,
                    job,
                    false,
                    &format!("Импорт отменён, ничего не сохранено: {e}"),
                    None,
                )
                .await
            }
        };
        state.progress.remove(job);
    });
    Ok(job)
}

pub async fn save_upload(
    s: &AppState,
    name: &str,
    bytes: &[u8],
    user_id: Option<i64>,
) -> Result<i64, AppError> {
    if bytes.is_empty() {
        return Err(AppError::Invalid(ValidationErrors::single(
            "file",
            "Выберите файл реестра (CSV или XLSX).",
        )));
    }
    Ok(uploads::save(&s.db, name, bytes, user_id).await?)
}

/// Job state, with in-memory progress when this instance runs it.
pub async fn job(s: &AppState, id: i64) -> Result<jobs::Job, AppError> {
    let mut j = jobs::get(&s.db, id).await?;
    if let Some((done, total)) = s.progress.get(id) {
        if j.status == "running" {
            j.done = done as i64;
            j.total = total as i64;
        }
    }
    Ok(j)
}
