//! Bulk actions of the journal: one status change (assignment with a reason, deferral to
//! «in progress», closing, …) applied to many appeals at once, all or nothing. Each appeal is
//! checked by the same rules as a single change; when any fails, nothing is written and the
//! message names every failed appeal by its number.

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
    if ids.is_empty() {
        return Err(StoreError::invalid(
            "ids",
            "Отметьте в журнале хотя бы одно обращение.",
        ));
    }
    let max = settings::get(db, "appeals.bulk_max")
        .await?
        .parse()
        .unwrap_or(DEFAULT_MAX);
    if ids.len() > max {
        return Err(StoreError::invalid(
            "ids",
            format!(
                "За один раз можно изменить не больше {max} обращений, отмечено {}. \
                 Разделите выбор на части.",
                ids.len()
            ),
        ));
    }
    let ctx = Context::load(db).await?;
    let appeals = super::views::get_many(db, &ids).await?;
    let mut plans = Vec::with_capacity(appeals.len());
    let mut failed: Vec<String> = Vec::new();
    for a in appeals {
        let number = a.number.clone();
        match check(db, a, ch, role, actor, ctx.clone()).await {
            Ok(p) => plans.push(p),
            Err(StoreError::Invalid(e)) => failed.push(format!(
                "{number}: {}",
                e.0.iter()
                    .map(|f| f.message.as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            )),
            Err(StoreError::NotFound(_)) => failed.push(format!("{number}: нет доступа")),
            Err(e) => return Err(e),
        }
    }
    if !failed.is_empty() {
        return Err(StoreError::invalid(
            "ids",
            format!(
                "Ничего не изменено: {} из {} обращений нельзя перевести. {}",
                failed.len(),
                ids.len(),
                failed.join("; ")
            ),
        ));
    }
    let mut tx = db.write().begin().await?;
    for p in &plans {
        apply_in(&mut tx, p, ch, actor).await?;
    }
    tx.commit().await?;
    Ok(plans.len())
}
