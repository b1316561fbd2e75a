//! Personal data under 152-ФЗ: the access log for the auditor and a person's export of
//! everything held about them (ст. 14).

use std::collections::BTreeMap;

use abonent_app::privacy::{log, subject};
use abonent_storage::pd_access as store;
use abonent_storage::registry::PageReq;
use axum::extract::State;
use axum::response::Response;
use axum::{Extension, Json};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::types::{mirror, Page};
use crate::auth::Principal;
use crate::extract::{Path, Query};
use crate::http::{file_response, pdf_download};
use crate::{ApiError, AppError, AppState};

mirror! {
    /// A person named in a logged answer.
    #[derive(Debug, Serialize, ToSchema)]
    pub struct PersonShown from store::PersonShown {
        pub id: i64,
        pub full_name: String,
    }
}

mirror! {
    /// What kind of record a logged answer named.
    #[derive(Debug, Serialize, ToSchema)]
    #[serde(rename_all = "snake_case")]
    pub enum RecordKind from store::RecordKind {
        /// An appeal: the applicant's name, contacts and address.
        Appeal,
        /// An incoming letter: the sender.
        IncomingLetter,
        /// An outgoing letter: the addressee.
        OutgoingLetter,
        /// A message to a resident: the phone or e-mail and the text.
        Message,
    }
}

mirror! {
    /// A record named in a logged answer besides registry persons.
    #[derive(Debug, Serialize, ToSchema)]
    pub struct RecordShown from store::RecordShown {
        pub kind: RecordKind,
        pub id: i64,
        /// The register number (an appeal's, a letter's); empty for a message.
        pub number: String,
    }
}

mirror! {
    /// One logged answer: who was shown whose personal data, when, through what.
    #[derive(Debug, Serialize, ToSchema)]
    pub struct AccessEntry from store::AccessEntry {
        pub id: i64,
        /// UTC, RFC 3339.
        pub at: String,
        pub actor_id: Option<i64>,
        pub actor_name: String,
        /// The page or API call: `GET /api/v1/persons`.
        pub via: String,
        pub people: Vec<PersonShown>,
        /// Appeals, letters and messages it showed (their applicants, senders, recipients).
        pub records: Vec<RecordShown>,
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct LogParams {
    /// Only answers that showed this person (registry id).
    pub person: Option<i64>,
    /// Only answers that showed this record: `appeal`, `incoming_letter`, `outgoing_letter`,
    /// `message` (with `record_id`).
    pub record_kind: Option<String>,
    /// The record's id (with `record_kind`).
    pub record_id: Option<i64>,
    /// The staff member or token exactly as logged (`actor_name`).
    pub actor: Option<String>,
    /// The beginning of the page or API call: `GET /api/v1/`.
    pub via: Option<String>,
    /// From this date (organization's time zone), `ГГГГ-ММ-ДД`.
    pub from: Option<String>,
    /// Up to and including this date.
    pub to: Option<String>,
    /// `xlsx` answers the whole filtered log as a workbook instead of a JSON page.
    pub format: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// The personal-data access log, newest first (the auditor and the administrator).
#[utoipa::path(get, path = "/api/v1/pd-access", summary = "Журнал доступа к персональным данным", tag = "Персональные данные", params(LogParams),
    responses((status = 200, body = Page<AccessEntry>, description = "Страница журнала; при format=xlsx — книга XLSX со всеми записями по фильтрам"),
        (status = 422, description = "Фильтр не прочитан")))]
pub async fn log(
    State(s): State<AppState>,
    Query(params): Query<BTreeMap<String, String>>,
) -> Result<Response, ApiError> {
    let query = log::LogQuery::parse(&params).map_err(AppError::Invalid)?;
    if params.get("format").map(String::as_str) == Some("xlsx") {
        let bytes = log::workbook(&s, &query).await?;
        return Ok(file_response(
            crate::xlsx::XLSX_MIME,
            "Журнал доступа к ПДн.xlsx",
            bytes,
        ));
    }
    let num = |k: &str| params.get(k).and_then(|v| v.parse().ok());
    let page = log::page(&s, &query, PageReq::new(num("page"), num("per_page"))).await?;
    let page: Page<AccessEntry> = page.into();
    Ok(axum::response::IntoResponse::into_response(Json(page)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportParams {
    /// `xlsx` (default, a sheet per section) or `pdf`.
    pub format: Option<String>,
}

/// Everything held about one person (152-ФЗ ст. 14): the card, accounts and premises,
/// benefits, consents, appeals, letters, documents, the card's history and who viewed the
/// data. Issuing it is logged as a view of the person.
#[utoipa::path(get, path = "/api/v1/persons/{id}/export", summary = "Сведения о персональных данных человека (ст. 14 152-ФЗ)", tag = "Персональные данные",
    params(("id" = i64, Path), ExportParams),
    responses((status = 200, description = "XLSX или PDF", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 404)))]
pub async fn subject_export(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    Query(q): Query<ExportParams>,
) -> Result<Response, ApiError> {
    let name = abonent_storage::registry::person::get(&s.db, id)
        .await?
        .full_name;
    let via = "GET /api/v1/persons/{id}/export";
    match q.format.as_deref().unwrap_or("xlsx") {
        "pdf" => {
            let bytes = subject::pdf(&s, id, &p.actor(), via).await?;
            Ok(pdf_download(bytes, &subject::file_name(&name, "pdf")))
        }
        "xlsx" => {
            let bytes = subject::workbook(&s, id, &p.actor(), via).await?;
            Ok(file_response(
                crate::xlsx::XLSX_MIME,
                &subject::file_name(&name, "xlsx"),
                bytes,
            ))
        }
        other => Err(AppError::BadRequest(format!(
            "Формат «{other}» не поддерживается: укажите format=xlsx или format=pdf."
        ))
        .into()),
    }
}
