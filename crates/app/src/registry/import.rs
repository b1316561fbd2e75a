//! Loading the registry from a file: read it, map columns, check every row (also against
//! the database), and commit all or nothing as a background job.

use abonent_domain::money::format_count;
use abonent_domain::registry::AccountNumberFormat;
use abonent_domain::ValidationErrors;
use abonent_import::{map_registry, ColumnMapping, RegistryDefaults, RegistryField, RowError};
use abonent_storage::registry::import::{self as store, ImportRecord, ImportSummary};
use abonent_storage::{jobs, uploads, Actor};
use serde::Serialize;

use crate::jobs::Report;
use crate::{settings, App, AppError};

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
    app: &App,
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
        region: or(region, settings::get(app, "org.default_region").await?),
        city: or(city, settings::get(app, "org.default_city").await?),
        opened_on: or(opened_on, app.today().await?.to_string()),
        account_format: settings::account_number_format(app).await?,
    })
}

pub async fn preview(app: &App, upload_id: i64, opts: Options) -> Result<Preview, AppError> {
    let (file_name, bytes) = uploads::load(&app.db, upload_id).await?;
    let table = crate::uploads::table(bytes).await?;
    let mapping = opts
        .mapping
        .unwrap_or_else(|| ColumnMapping::guess(&table.headers));
    let today = app.today().await?;
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
    let existing = store::existing_account_numbers(&app.db, &numbers).await?;
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
        sample: crate::uploads::sample(&table),
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
    app: &App,
    preview: Preview,
    actor: Actor,
    user_id: Option<i64>,
) -> Result<i64, AppError> {
    if !preview.errors.is_empty() {
        return Err(crate::uploads::refused(preview.errors.len()));
    }
    let db = app.db.clone();
    let note = format!("Импорт реестра из файла «{}»", preview.file_name);
    let (total, upload_id) = (preview.records.len(), preview.upload_id);
    let job = app
        .jobs
        .spawn(KIND, total, user_id, move |p| async move {
            let summary =
                store::import_registry(&db, &preview.records, &actor, &note, &|n| p.set(n))
                    .await
                    .map_err(|e| format!("Импорт отменён, ничего не сохранено: {e}"))?;
            // The import is saved; fresh statistics only speed up reading it.
            if let Err(e) = abonent_storage::statistics::after_registry_load(&db).await {
                tracing::warn!("statistics after the registry import: {e}");
            }
            Ok(summary)
        })
        .await?;
    crate::uploads::loaded_by(app, upload_id, job).await;
    Ok(job)
}

const KIND: &str = "registry_import";

impl Report for ImportSummary {
    fn message(&self) -> String {
        let n = |x| format_count(x as i64);
        format!(
            "Загружено: домов {}, помещений {}, лицевых счетов {}, людей {}, связей {}, льгот {}.",
            n(self.buildings_created),
            n(self.premises_created),
            n(self.accounts_created),
            n(self.persons_created),
            n(self.links_created),
            n(self.benefits_created)
        )
    }
}

/// The state of a registry import.
pub async fn job(app: &App, id: i64) -> Result<jobs::Job, AppError> {
    app.jobs.get(id).await
}
