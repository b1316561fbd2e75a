//! The accounts a monthly print run covers: the open accounts of the chosen buildings in the
//! order the postman walks — building, entrance, flat (numbers in natural order: 2 before
//! 10, 12 before 12а). The run issues them batch by batch — one transaction takes the
//! batch's numbers, stores its documents with their history and its part of the one PDF for
//! printing (`print_run_parts`), all or none — and one run at a time holds the lease.

use std::future::Future;

use sqlx::Row;

use super::{store_in, take_number, NewDocument};
use crate::history::Actor;
use crate::{time, Db, Result};

/// The job kind of a print run; the `jobs_one_print_run` index lets one run at a time.
pub const JOB_KIND: &str = "documents_print_run";

/// A running print run whose progress has not been written for this long is taken as
/// lost (its instance stopped): it is marked failed and another run may start.
pub const LEASE_SECONDS: i64 = 300;

/// Starts the job row of a print run, unless another run holds the lease: answers None then.
pub async fn start_job(db: &Db, total: i64, user_id: Option<i64>) -> Result<Option<i64>> {
    let stale = time::fmt(db.now() - chrono::Duration::seconds(LEASE_SECONDS));
    sqlx::query(
        "UPDATE jobs SET status = 'failed', updated_at = $1 WHERE kind = $2 AND \
         status = 'running' AND updated_at < $3",
    )
    .bind(db.now_text())
    .bind(JOB_KIND)
    .bind(&stale)
    .execute(db.write())
    .await?;
    match crate::jobs::start(db, JOB_KIND, total, user_id).await {
        Ok(id) => Ok(Some(id)),
        Err(e) if e.is_unique_violation() => Ok(None),
        Err(e) => Err(e),
    }
}

/// Issues one batch of the run `job_id` as part `part`, in one transaction: takes the
/// numbers of `docs` in order, calls `render(numbers)` for each document's PDF and the
/// batch's pages as one PDF, stores them. Any error rolls it all back: no number is used.
pub async fn issue_batch<F, Fut>(
    db: &Db,
    job_id: i64,
    part: i64,
    docs: &[NewDocument<'_>],
    actor: &Actor,
    render: F,
) -> Result<Vec<i64>>
where
    F: FnOnce(Vec<String>) -> Fut,
    Fut: Future<Output = Result<(Vec<Vec<u8>>, Vec<u8>)>>,
{
    let mut tx = db.write().begin().await?;
    let mut taken = Vec::with_capacity(docs.len());
    for d in docs {
        taken.push(take_number(&mut tx, db, d, actor).await?);
    }
    let (pdfs, part_pdf) = render(taken.iter().map(|t| t.number.clone()).collect()).await?;
    let mut ids = Vec::with_capacity(docs.len());
    for ((d, t), pdf) in docs.iter().zip(taken).zip(pdfs) {
        ids.push(store_in(&mut tx, db, d, actor, t, pdf).await?);
    }
    sqlx::query(
        "INSERT INTO print_run_parts (job_id, part, documents, first_document_id, pdf) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(job_id)
    .bind(part)
    .bind(ids.len() as i64)
    .bind(ids.first().copied())
    .bind(part_pdf)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(ids)
}

/// The parts of a run's PDF for printing, in order.
pub async fn parts(db: &Db, job_id: i64) -> Result<Vec<i64>> {
    Ok(sqlx::query_scalar::<_, i64>(
        "SELECT part FROM print_run_parts WHERE job_id = $1 ORDER BY part",
    )
    .bind(job_id)
    .fetch_all(db.read())
    .await?)
}

/// One part of a run's PDF for printing.
pub async fn part_pdf(db: &Db, job_id: i64, part: i64) -> Result<Vec<u8>> {
    Ok(sqlx::query_scalar::<_, Vec<u8>>(
        "SELECT pdf FROM print_run_parts WHERE job_id = $1 AND part = $2",
    )
    .bind(job_id)
    .bind(part)
    .fetch_one(db.read())
    .await?)
}

/// One account of a print run, in print order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunAccount {
    pub account_id: i64,
    pub number: String,
    pub building_id: i64,
}

/// «12а» → (12, «а»): flats sort by their number, then by the letter.
fn flat_key(s: &str) -> (u64, String) {
    let digits: String = s.trim().chars().take_while(char::is_ascii_digit).collect();
    let rest = s.trim()[digits.len()..].to_lowercase();
    (digits.parse().unwrap_or(u64::MAX), rest)
}

pub async fn accounts(db: &Db, building_ids: &[i64]) -> Result<Vec<RunAccount>> {
    let mut rows = Vec::new();
    for &b in building_ids {
        let found = sqlx::query(
            "SELECT a.id, a.number, p.building_id, COALESCE(p.entrance, 0) AS entrance, p.number \
             AS flat, COALESCE(bl.street, '') AS street, COALESCE(bl.house, '') AS house FROM accounts a \
             JOIN premises p ON p.id = a.premises_id JOIN buildings bl ON bl.id = p.building_id \
             WHERE p.building_id = $1 AND a.closed_on IS NULL",
        )
        .bind(b)
        .fetch_all(db.read())
        .await?;
        for r in found {
            let key = (
                r.get::<String, _>("street"),
                flat_key(&r.get::<String, _>("house")),
                r.get::<i64, _>("building_id"),
                r.get::<i64, _>("entrance"),
                flat_key(&r.get::<String, _>("flat")),
                r.get::<String, _>("number"),
            );
            rows.push((
                key,
                RunAccount {
                    account_id: r.get("id"),
                    number: r.get("number"),
                    building_id: r.get("building_id"),
                },
            ));
        }
    }
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    rows.dedup_by_key(|r| r.1.account_id);
    Ok(rows.into_iter().map(|r| r.1).collect())
}

#[cfg(test)]
mod tests {
    #[test]
    fn flats_in_natural_order() {
        let mut v = vec!["12а", "10", "2", "12", "1"];
        v.sort_by_key(|s| super::flat_key(s));
        assert_eq!(v, vec!["1", "2", "10", "12", "12а"]);
    }
}
