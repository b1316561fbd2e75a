//! What every issued document needs: the engine, the organization's details, the template
//! in force and a render error in a person's words; issuing itself is in `issue`.

pub mod issue;
pub mod templates;

use std::sync::LazyLock;

use abonent_documents::{DocKind, Engine, Organization, RenderError};
use abonent_storage::documents::templates as stored_templates;
use abonent_storage::{settings, Db, StoreError};

use crate::AppError;

/// One engine per process: fonts and shipped templates are parsed once.
pub fn engine() -> &'static Engine {
    static ENGINE: LazyLock<Engine> = LazyLock::new(Engine::new);
    &ENGINE
}

pub async fn organization(db: &Db) -> Result<Organization, AppError> {
    Ok(Organization::from_settings(&settings::all(db).await?))
}

/// The template in force for a kind: (override source, its version id), None = shipped.
pub async fn template_of(db: &Db, kind: DocKind) -> Result<Option<(String, i64)>, AppError> {
    Ok(stored_templates::current(db, kind.code())
        .await?
        .map(|o| (o.source, o.version_id)))
}

/// A render error as a field error: the data's own fields, or `template` for a broken
/// administrator's template (with its line), so it is shown and nothing is issued.
pub fn render_error(e: RenderError, kind: DocKind) -> StoreError {
    match e {
        RenderError::Data(v) => StoreError::Invalid(v),
        t @ RenderError::Template { .. } => StoreError::invalid(
            "template",
            format!(
                "{t}. Документ не выпущен. Шаблон «{}» изменён администратором: его нужно \
                 исправить или вернуть поставляемый (Администрирование → Шаблоны документов).",
                kind.title()
            ),
        ),
        RenderError::Pdf(m) => StoreError::Other(m),
    }
}
