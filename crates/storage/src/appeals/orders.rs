//! The contractor's own work orders: a contractor login (`contractors.user_id`) sees only the
//! appeals assigned to its contractor; any other appeal is «not found» to it.

use abonent_domain::appeal::words;
use sqlx::Row;

use super::{get, list, Appeal, AppealFilter, AppealListItem};
use crate::registry::{Page, PageReq};
use crate::{Db, Result, StoreError};

/// The contractor whose login this user is.
pub async fn contractor_of(db: &Db, user_id: Option<i64>) -> Result<Option<i64>> {
    let Some(uid) = user_id else {
        return Ok(None);
    };
    Ok(
        sqlx::query("SELECT id FROM contractors WHERE user_id = $1 AND active = 1 ORDER BY id")
            .bind(uid)
            .fetch_optional(db.read())
            .await?
            .map(|r| r.get(0)),
    )
}

fn not_found(what: String) -> StoreError {
    StoreError::NotFound(what)
}

/// The contractor's orders: the filter with the contractor forced.
pub async fn my_orders(
    db: &Db,
    user_id: Option<i64>,
    mut f: AppealFilter,
    page: PageReq,
) -> Result<Page<AppealListItem>> {
    let c = contractor_of(db, user_id)
        .await?
        .ok_or_else(|| not_found(words::noun::OWN_CONTRACTOR.into()))?;
    f.contractor_id = Some(c);
    list(db, &f, page, user_id).await
}

/// One order of the contractor; another contractor's appeal is not found.
pub async fn my_order(db: &Db, user_id: Option<i64>, id: i64) -> Result<Appeal> {
    let c = contractor_of(db, user_id).await?;
    let a = get(db, id).await?;
    if c.is_none() || a.contractor_id != c {
        return Err(not_found(words::noun::appeal(id)));
    }
    Ok(a)
}
