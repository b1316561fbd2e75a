//! An appeal's attachments in the browser: a photo or scan added from the card, and the file
//! downloaded again.

use crate::extract::Path;
use abonent_app::appeals::work;
use axum::extract::State;
use axum::Extension;

use crate::auth::Principal;
use crate::pages::{to, PageResult};
use crate::{AppError, AppState};

/// Attach a photo or scan from the card; a wrong type or size is shown next to the field.
pub async fn file_add(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    mp: axum::extract::Multipart,
) -> PageResult {
    let (name, data) = crate::http::file_field(mp).await?;
    match work::add_file(&s, id, &name, &data, &p.actor()).await {
        Ok(_) => to(format!("/appeals/{id}?saved=file#files")),
        Err(AppError::Invalid(e)) => {
            let f = crate::forms::FormView::default().errors(e);
            super::card::card(&s, &p, id, f, "", true).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn file_get(
    State(s): State<AppState>,
    Path((id, file_id)): Path<(i64, i64)>,
) -> PageResult {
    let (f, content) = abonent_storage::appeals::files::get(&s.db, id, file_id).await?;
    Ok(crate::http::file_response(
        &f.content_type,
        &f.file_name,
        content,
    ))
}
