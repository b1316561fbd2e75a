//! What every issued document needs: the engine, the organization's details, the template
//! in force and a render error in a person's words; issuing itself is in `issue`.

pub mod issue;
pub mod mailing;
pub mod print_run;
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

/// Issued documents as one PDF for printing, in the order given: each typeset again from its
/// stored data, organization's details and template version, so it prints what was issued.
pub async fn reprint_combined(
    app: &crate::App,
    docs: Vec<abonent_storage::documents::Document>,
) -> Result<Vec<u8>, AppError> {
    let mut parts = Vec::with_capacity(docs.len());
    for d in docs {
        let org: Organization = serde_json::from_value(d.org.clone()).unwrap_or_default();
        let template = match d.template_version_id {
            Some(v) => stored_templates::version_source(&app.db, v).await?,
            None => None,
        };
        parts.push((d, org, template));
    }
    let kind = parts
        .first()
        .and_then(|p| DocKind::from_code(&p.0.kind))
        .unwrap_or(DocKind::PaymentDocument);
    let reqs = parts.iter().filter_map(|(d, org, template)| {
        Some(abonent_documents::RenderRequest {
            kind: DocKind::from_code(&d.kind)?,
            template_override: template.as_deref(),
            org,
            data: d.data.clone(),
            reg_number: d.number.clone(),
            issued_on: abonent_domain::registry::parse_date(&d.issued_on)?,
        })
    });
    engine()
        .render_combined(reqs)
        .map_err(|e| AppError::from(render_error(e, kind)))
}
