use crate::extract::{Path, Query};
use abonent_app::{privacy, registry};
use abonent_domain::registry::{BenefitForm, LinkForm, PersonForm};
use abonent_storage::history;
use abonent_storage::registry::{link, person, PageReq, PersonFilter};
use axum::body::Bytes;
use axum::extract::State;
use axum::response::Response;
use axum::{Extension, Json};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::accounts::ConfirmParams;
use super::types::{Benefit, LinkView, Person};
use crate::api::types::{list as rows, HistoryEntry, Page};
use crate::api::{body, close_date, created, ApiResult, CloseRequest};
use crate::auth::Principal;
use crate::{ApiError, AppState};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PersonParams {
    /// Beginnings of name words: `иван пет`.
    pub name: Option<String>,
    pub include_closed: Option<bool>,
}

/// People, paginated; sort by `name` or `-name`. Phones and e-mail are masked and the
/// identity document left out (the card shows them); the answer is logged as one view of
/// everyone on the page (152-ФЗ).
#[utoipa::path(get, path = "/api/v1/persons", summary = "Люди", tag = "Люди", params(crate::api::ListParams, PersonParams), responses((status = 200, body = Page<Person>)))]
pub async fn list(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Query(page): Query<crate::api::ListParams>,
    Query(q): Query<PersonParams>,
) -> ApiResult<Page<Person>> {
    let f = PersonFilter {
        name: q.name,
        include_closed: q.include_closed.unwrap_or(false),
        sort: page.sort,
    };
    let mut list = person::list(&s.db, &f, PageReq::new(page.page, page.per_page)).await?;
    for pe in &mut list.items {
        pe.data = abonent_domain::privacy::masked(&pe.data);
    }
    let ids: Vec<i64> = list.items.iter().map(|pe| pe.id).collect();
    privacy::record_views(&s, &p.actor(), &ids, "GET /api/v1/persons").await?;
    Ok(Json(list.into()))
}

/// Add a person. A likely duplicate (same full name, or a shared phone) is answered with 409
/// and the candidates unless `confirm_duplicate=true`.
#[utoipa::path(post, path = "/api/v1/persons", summary = "Добавить человека", tag = "Люди", params(ConfirmParams), request_body = PersonForm,
    responses((status = 201, body = Person), (status = 409, description = "Возможный дубликат"), (status = 422)))]
pub async fn create(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Query(c): Query<ConfirmParams>,
    b: Bytes,
) -> Result<Response, ApiError> {
    let confirmed = c.confirm_duplicate.unwrap_or(false);
    let form = body::<PersonForm>(&b)?;
    let id = registry::create_person(&s, &form, None, confirmed, &p.actor())
        .await?
        .id;
    privacy::record_views(&s, &p.actor(), &[id], "POST /api/v1/persons").await?;
    Ok(created(Person::from(person::get(&s.db, id).await?)))
}

/// The person card: personal data, accounts and benefits.
#[derive(Debug, Serialize, ToSchema)]
pub struct PersonCard {
    pub person: Person,
    pub accounts: Vec<LinkView>,
    pub benefits: Vec<Benefit>,
}

/// The person card. Every read is recorded in the history (152-ФЗ).
#[utoipa::path(get, path = "/api/v1/persons/{id}", summary = "Карточка человека", tag = "Люди", params(("id" = i64, Path)), responses((status = 200, body = PersonCard), (status = 404)))]
pub async fn show(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> ApiResult<PersonCard> {
    let person = registry::open_card(&s, id, &p.actor(), "API", "GET /api/v1/persons/{id}").await?;
    Ok(Json(PersonCard {
        person: person.into(),
        accounts: rows(link::links_of_person(&s.db, id).await?),
        benefits: rows(link::benefits_of_person(&s.db, id).await?),
    }))
}

/// Change a person's data.
#[utoipa::path(put, path = "/api/v1/persons/{id}", summary = "Изменить данные человека", tag = "Люди", params(("id" = i64, Path)), request_body = PersonForm, responses((status = 200, body = Person), (status = 422)))]
pub async fn update(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    b: Bytes,
) -> ApiResult<Person> {
    // The API asks about duplicates only when a person is added.
    registry::update_person(&s, id, &body::<PersonForm>(&b)?, true, &p.actor()).await?;
    privacy::record_views(&s, &p.actor(), &[id], "PUT /api/v1/persons/{id}").await?;
    Ok(Json(person::get(&s.db, id).await?.into()))
}

/// Move a person to the archive; the record and its history stay.
#[utoipa::path(post, path = "/api/v1/persons/{id}/close", summary = "Перенести человека в архив", tag = "Люди", params(("id" = i64, Path)), request_body = CloseRequest, responses((status = 200, body = Person), (status = 422)))]
pub async fn close(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    b: Bytes,
) -> ApiResult<Person> {
    let r: CloseRequest = body(&b)?;
    let on = close_date(&r, s.today().await?)?;
    registry::close_person(&s, id, Some(on), &r.reason, &p.actor()).await?;
    privacy::record_views(&s, &p.actor(), &[id], "POST /api/v1/persons/{id}/close").await?;
    Ok(Json(person::get(&s.db, id).await?.into()))
}

/// Why a person's data is erased (152-ФЗ): the legal ground, kept in the history.
#[derive(Debug, Deserialize, ToSchema)]
pub struct EraseRequest {
    pub ground: String,
}

/// Erase a person's personal data when the ground to keep it has ended (152-ФЗ): name,
/// document, birth date, contacts and address details are replaced everywhere, history
/// included; appeals, letters, the ledger and documents keep numbers, sums and dates.
/// Administrators only.
#[utoipa::path(post, path = "/api/v1/persons/{id}/erase", summary = "Удалить персональные данные человека (152-ФЗ)", tag = "Люди", params(("id" = i64, Path)), request_body = EraseRequest, responses((status = 200, body = Person), (status = 422)))]
pub async fn erase(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    b: Bytes,
) -> ApiResult<Person> {
    let r: EraseRequest = body(&b)?;
    registry::erase_person(&s, id, &r.ground, p.role, &p.actor()).await?;
    Ok(Json(person::get(&s.db, id).await?.into()))
}

/// History of a person, their benefits, and every read of the card.
#[utoipa::path(get, path = "/api/v1/persons/{id}/history", summary = "История человека", tag = "Люди", params(("id" = i64, Path)), responses((status = 200, body = [HistoryEntry])))]
pub async fn history(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> ApiResult<Vec<HistoryEntry>> {
    person::get(&s.db, id).await?;
    // The history holds the person's data as it was and became: a view of the person.
    privacy::record_views(&s, &p.actor(), &[id], "GET /api/v1/persons/{id}/history").await?;
    Ok(Json(rows(
        history::for_card(&s.db, "person", id, 500).await?,
    )))
}

/// Link a person to an account (owner, tenant, registered, representative).
#[utoipa::path(post, path = "/api/v1/links", summary = "Связать человека со счётом", tag = "Люди", request_body = LinkForm, responses((status = 201, body = LinkView), (status = 422)))]
pub async fn create_link(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    b: Bytes,
) -> Result<Response, ApiError> {
    let id = registry::create_link(&s, &body::<LinkForm>(&b)?, &p.actor()).await?;
    let l = link::get_link(&s.db, id).await?;
    privacy::record_views(
        &s,
        &p.actor(),
        &[l.link.data.person_id],
        "POST /api/v1/links",
    )
    .await?;
    Ok(created(LinkView::from(l)))
}

/// Change a link's role, share or dates.
#[utoipa::path(put, path = "/api/v1/links/{id}", summary = "Изменить связь", tag = "Люди", params(("id" = i64, Path)), request_body = LinkForm, responses((status = 200, body = LinkView), (status = 422)))]
pub async fn update_link(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    b: Bytes,
) -> ApiResult<LinkView> {
    registry::update_link(&s, id, &body::<LinkForm>(&b)?, &p.actor()).await?;
    let l = link::get_link(&s.db, id).await?;
    privacy::record_views(
        &s,
        &p.actor(),
        &[l.link.data.person_id],
        "PUT /api/v1/links/{id}",
    )
    .await?;
    Ok(Json(l.into()))
}

/// End a link on a date (moved out, sold the flat).
#[utoipa::path(post, path = "/api/v1/links/{id}/close", summary = "Завершить связь", tag = "Люди", params(("id" = i64, Path)), request_body = CloseRequest, responses((status = 200, body = LinkView), (status = 422)))]
pub async fn close_link(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    b: Bytes,
) -> ApiResult<LinkView> {
    let r: CloseRequest = body(&b)?;
    let on = close_date(&r, s.today().await?)?;
    registry::close_link(&s, id, Some(on), &r.reason, &p.actor()).await?;
    let l = link::get_link(&s.db, id).await?;
    let via = "POST /api/v1/links/{id}/close";
    privacy::record_views(&s, &p.actor(), &[l.link.data.person_id], via).await?;
    Ok(Json(l.into()))
}

/// Add a benefit to a person.
#[utoipa::path(post, path = "/api/v1/benefits", summary = "Добавить льготу", tag = "Люди", request_body = BenefitForm, responses((status = 201, body = Benefit), (status = 422)))]
pub async fn create_benefit(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    b: Bytes,
) -> Result<Response, ApiError> {
    let id = registry::create_benefit(&s, &body::<BenefitForm>(&b)?, &p.actor()).await?;
    let benefit = link::get_benefit(&s.db, id).await?;
    let via = "POST /api/v1/benefits";
    privacy::record_views(&s, &p.actor(), &[benefit.data.person_id], via).await?;
    Ok(created(Benefit::from(benefit)))
}

/// Change a benefit.
#[utoipa::path(put, path = "/api/v1/benefits/{id}", summary = "Изменить льготу", tag = "Люди", params(("id" = i64, Path)), request_body = BenefitForm, responses((status = 200, body = Benefit), (status = 422)))]
pub async fn update_benefit(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    b: Bytes,
) -> ApiResult<Benefit> {
    registry::update_benefit(&s, id, &body::<BenefitForm>(&b)?, &p.actor()).await?;
    let benefit = link::get_benefit(&s.db, id).await?;
    let via = "PUT /api/v1/benefits/{id}";
    privacy::record_views(&s, &p.actor(), &[benefit.data.person_id], via).await?;
    Ok(Json(benefit.into()))
}

/// End a benefit.
#[utoipa::path(post, path = "/api/v1/benefits/{id}/close", summary = "Завершить льготу", tag = "Люди", params(("id" = i64, Path)), request_body = CloseRequest, responses((status = 200, body = Benefit), (status = 422)))]
pub async fn close_benefit(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    b: Bytes,
) -> ApiResult<Benefit> {
    let r: CloseRequest = body(&b)?;
    registry::close_benefit(&s, id, &r.reason, &p.actor()).await?;
    let benefit = link::get_benefit(&s.db, id).await?;
    let via = "POST /api/v1/benefits/{id}/close";
    privacy::record_views(&s, &p.actor(), &[benefit.data.person_id], via).await?;
    Ok(Json(benefit.into()))
}
