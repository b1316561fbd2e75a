//! An administrator's changes of a document template: a new source is typeset on sample
//! data first, and only a template that renders is saved (the log keeps every version).

use abonent_documents::{DocKind, RenderError};
use abonent_storage::documents::templates;
use abonent_storage::Actor;

use super::engine;
use crate::{App, AppError};

/// Why a template was not saved: it does not typeset (with its line, for the editor), or
/// the save itself failed.
#[derive(Debug)]
pub enum SaveRefused {
    Template(RenderError),
    App(AppError),
}

impl From<AppError> for SaveRefused {
    fn from(e: AppError) -> Self {
        SaveRefused::App(e)
    }
}

/// Checks `source` on sample data and saves it as the template in force for `kind`; an
/// empty note is no note. Answers the new version's id.
pub async fn save(
    app: &App,
    kind: DocKind,
    source: &str,
    note: Option<&str>,
    actor: &Actor,
) -> Result<i64, SaveRefused> {
    engine()
        .check(kind, source)
        .map_err(SaveRefused::Template)?;
    let note = note.map(str::trim).filter(|n| !n.is_empty());
    Ok(templates::save(&app.db, kind.code(), source, note, actor)
        .await
        .map_err(AppError::from)?)
}

/// Back to the shipped template (logged); false when the shipped one was already in force.
pub async fn revert(app: &App, kind: DocKind, actor: &Actor) -> Result<bool, AppError> {
    Ok(templates::revert(&app.db, kind.code(), actor).await?)
}
