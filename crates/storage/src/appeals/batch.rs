//! Bulk actions of the journal: one status change (assignment with a reason, deferral to
//! «in progress», closing, …) applied to many appeals at once, all or nothing. Each appeal is
//! checked by the same rules as a single change; when any fails, nothing is written and the
//! message names every failed appeal by its number.

use abonent_domain::appeal::work::{bulk_failure, check_bulk};
use abonent_domain::appeal::{words, AppealRefusal};
use abonent_domain::Role;

use super::workflow::{apply_in, check, Context, StatusChange};
use crate::{settings, Actor, Db, Result, StoreError};

/// Default limit of one bulk action (`appeals.bulk_max`).
pub const DEFAULT_MAX: usize = 500;

/// Applies `ch` to every appeal of `ids` in one transaction. Returns how many changed.
pub async fn change_status_many(
    db: &Db,
    ids: &[i64],
    ch: &StatusChange,
    role: Role,
    actor: &Actor,
) -> Result<usize> {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    let max = settings::get(db, "appeals.bulk_max")
        .await?
        .parse()
        .unwrap_or(DEFAULT_MAX);
    check_bulk(ids.len(), max)?;
    let ctx = Context::load(db).await?;
    let appeals = super::views::get_many(db, &ids).await?;
    let mut plans = Vec::with_capacity(appeals.len());
    let mut failed: Vec<String> = Vec::new();
    for a in appeals {
        let number = a.number.clone();
        match check(db, a, ch, role, actor, ctx.clone()).await {
            Ok(p) => plans.push(p),
            Err(StoreError::Invalid(e)) => failed.push(bulk_failure(
                &number,
                e.0.iter().map(|f| f.message.as_str()),
            )),
            Err(StoreError::NotFound(_)) => failed.push(bulk_failure(&number, [words::NO_ACCESS])),
            Err(e) => return Err(e),
        }
    }
    if !failed.is_empty() {
        return Err(AppealRefusal::BulkRefused {
            failed,
            total: ids.len(),
        }
        .into());
    }
    let mut tx = db.write().begin().await?;
    for p in &plans {
        apply_in(&mut tx, p, ch, actor).await?;
    }
    tx.commit().await?;
    Ok(plans.len())
}
