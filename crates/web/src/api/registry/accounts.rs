use crate::extract::{Path, Query};
use abonent_app::{privacy, registry};
use abonent_domain::registry::AccountForm;
use abonent_storage::history;
use abonent_storage::registry::{account, link, AccountFilter, PageReq};
use axum::body::Bytes;
use axum::extract::State;
use axum::response::Response;
use axum::{Extension, Json};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::types::{Account, AccountListItem, Benefit, LinkView};
use crate::api::types::{list as rows, HistoryEntry, Page};
use crate::api::{body, close_date, created, ApiResult, CloseRequest};
use crate::auth::Principal;
use crate::{ApiError, AppState};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AccountParams {
    /// Beginning of the account number.
    pub number: Option<String>,
    pub building_id: Option<i64>,
    /// `open` (default), `closed` or `all`.
    pub status: Option<String>,
}

/// Accounts, paginated; sort by `number`, `address`, `opened_on`.
#[utoipa::path(get, path = "/api/v1/accounts", summary = "Лицевые счета", tag = "Лицевые счета", params(crate::api::ListParams, AccountParams), responses((status = 200, body = Page<AccountListItem>)))]
pub async fn list(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Query(page): Query<crate::api::ListParams>,
    Query(q): Query<AccountParams>,
) -> ApiResult<Page<AccountListItem>> {
    let f = AccountFilter {
        number: q.number,
        building_id: q.building_id,
        status: q.status,
        sort: page.sort,
    };
    let list = account::list(&s.db, &f, PageReq::new(page.page, page.per_page)).await?;
    let ids: Vec<i64> = list.items.iter().filter_map(|a| a.owner_id).collect();
    privacy::record_views(&s, &p.actor(), &ids, "GET /api/v1/accounts").await?;
    Ok(Json(list.into()))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ConfirmParams {
    /// Save even though a likely duplicate exists (answered 409 otherwise).
    pub confirm_duplicate: Option<bool>,
}

/// Open an account on premises. Another open account on the same premises is answered with
/// 409 and its number unless `confirm_duplicate=true`.
#[utoipa::path(post, path = "/api/v1/accounts", summary = "Открыть лицевой счёт", tag = "Лицевые счета", params(ConfirmParams), request_body = AccountForm,
    responses((status = 201, body = Account), (status = 409, description = "Возможный дубликат"), (status = 422, description = "Ошибки в полях, например номер уже занят")))]
pub async fn create(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Query(c): Query<ConfirmParams>,
    b: Bytes,
) -> Result<Response, ApiError> {
    let confirmed = c.confirm_duplicate.unwrap_or(false);
    let id = registry::create_account(&s, &body::<AccountForm>(&b)?, confirmed, &p.actor()).await?;
    Ok(created(Account::from(account::get(&s.db, id).await?)))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BenefitOfPerson {
    pub person_name: String,
    pub benefit: Benefit,
}

/// The account card: the account, its people and their benefits.
#[derive(Debug, Serialize, ToSchema)]
pub struct AccountCard {
    pub account: Account,
    pub people: Vec<LinkView>,
    pub benefits: Vec<BenefitOfPerson>,
}

/// The account card.
#[utoipa::path(get, path = "/api/v1/accounts/{id}", summary = "Карточка лицевого счёта", tag = "Лицевые счета", params(("id" = i64, Path)), responses((status = 200, body = AccountCard), (status = 404)))]
pub async fn show(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> ApiResult<AccountCard> {
    let account = account::get(&s.db, id).await?.into();
    let links = link::links_of_account(&s.db, id).await?;
    let ids: Vec<i64> = links.iter().map(|l| l.link.data.person_id).collect();
    privacy::record_views(&s, &p.actor(), &ids, "GET /api/v1/accounts/{id}").await?;
    let people = rows(links);
    let benefits = link::benefits_of_account(&s.db, id)
        .await?
        .into_iter()
        .map(|(person_name, benefit)| BenefitOfPerson {
            person_name,
            benefit: benefit.into(),
        })
        .collect();
    Ok(Json(AccountCard {
        account,
        people,
        benefits,
    }))
}

/// Change an account.
#[utoipa::path(put, path = "/api/v1/accounts/{id}", summary = "Изменить лицевой счёт", tag = "Лицевые счета", params(("id" = i64, Path)), request_body = AccountForm, responses((status = 200, body = Account), (status = 422)))]
pub async fn update(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    b: Bytes,
) -> ApiResult<Account> {
    registry::update_account(&s, id, &body::<AccountForm>(&b)?, &p.actor()).await?;
    Ok(Json(account::get(&s.db, id).await?.into()))
}

/// Close an account on a date; it stays in the archive.
#[utoipa::path(post, path = "/api/v1/accounts/{id}/close", summary = "Закрыть лицевой счёт", tag = "Лицевые счета", params(("id" = i64, Path)), request_body = CloseRequest, responses((status = 200, body = Account), (status = 422)))]
pub async fn close(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    b: Bytes,
) -> ApiResult<Account> {
    let r: CloseRequest = body(&b)?;
    let on = close_date(&r, s.today().await?)?;
    registry::close_account(&s, id, Some(on), &r.reason, &p.actor()).await?;
    Ok(Json(account::get(&s.db, id).await?.into()))
}

/// History of an account and of the people linked to it.
#[utoipa::path(get, path = "/api/v1/accounts/{id}/history", summary = "История лицевого счёта", tag = "Лицевые счета", params(("id" = i64, Path)), responses((status = 200, body = [HistoryEntry])))]
pub async fn history(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> ApiResult<Vec<HistoryEntry>> {
    account::get(&s.db, id).await?;
    let entries = history::for_card(&s.db, "account", id, 500).await?;
    let ids = privacy::people_in_history(&entries);
    privacy::record_views(&s, &p.actor(), &ids, "GET /api/v1/accounts/{id}/history").await?;
    Ok(Json(rows(entries)))
}
