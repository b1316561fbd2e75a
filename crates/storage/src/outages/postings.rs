//! Quality recalculations of an outage in the ledger (issue 19 §6): one negative
//! recalculation per outage, account, month and service (posting twice writes nothing new),
//! reversed by an opposite recalculation naming the entry it reverses, never deleted.

use std::collections::HashMap;

use abonent_domain::ledger::EntryKind;
use abonent_domain::outage::words;
use chrono::NaiveDate;
use serde::Serialize;
use sqlx::Row;

use crate::history::{self, Actor, Change};
use crate::ledger::kind_code;
use crate::{time, Db, Result, StoreError};

/// An account an outage reaches.
#[derive(Debug, Clone, Serialize)]
pub struct Affected {
    pub account_id: i64,
    pub number: String,
    pub premises: String,
    pub entrance: Option<i64>,
    pub closed_on: Option<NaiveDate>,
}

/// The accounts of `building` (of `entrances` only, when some are given), by number.
pub async fn accounts_of(db: &Db, building: i64, entrances: &[i64]) -> Result<Vec<Affected>> {
    let only = if entrances.is_empty() {
        String::new()
    } else {
        let list = entrances
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(",");
        format!(" AND p.entrance IN ({list})")
    };
    let rows = sqlx::query(&format!(
        "SELECT a.id, a.number, p.number, p.entrance, a.closed_on FROM accounts a \
         JOIN premises p ON p.id = a.premises_id WHERE p.building_id = $1{only} ORDER BY a.number"
    ))
    .bind(building)
    .fetch_all(db.read())
    .await?;
    Ok(rows
        .iter()
        .map(|r| Affected {
            account_id: r.get(0),
            number: r.get(1),
            premises: r.get(2),
            entrance: r.get(3),
            closed_on: time::opt_date(r.get(4)),
        })
        .collect())
}

/// Per account of `building`: the month's charges of `service` (kind `charge`).
pub async fn charges(
    db: &Db,
    building: i64,
    period: &str,
    service: &str,
) -> Result<HashMap<i64, i64>> {
    let cond = format!("e.kind = '{}'", kind_code(EntryKind::Charge));
    sum_by_account(db, building, period, service, &cond, None).await
}

/// Per account of `building`: what other outages' recalculations (net of reversals) already
/// took off the month's fee for `service`.
pub async fn posted_by_others(
    db: &Db,
    building: i64,
    period: &str,
    service: &str,
    outage: i64,
) -> Result<HashMap<i64, i64>> {
    let cond = "e.outage_id IS NOT NULL AND e.outage_id <> $4";
    sum_by_account(db, building, period, service, cond, Some(outage)).await
}

/// Sums of the entries meeting `cond` (which may use `$4`, bound to `arg`).
async fn sum_by_account(
    db: &Db,
    building: i64,
    period: &str,
    service: &str,
    cond: &str,
    arg: Option<i64>,
) -> Result<HashMap<i64, i64>> {
    let sql = format!(
        "SELECT e.account_id, CAST(SUM(e.amount) AS BIGINT) FROM ledger_entries e \
         JOIN accounts a ON a.id = e.account_id JOIN premises p ON p.id = a.premises_id \
         WHERE p.building_id = $1 AND e.period = $2 AND e.service = $3 AND {cond} \
         GROUP BY e.account_id"
    );
    let mut q = sqlx::query(&sql).bind(building).bind(period).bind(service);
    if let Some(a) = arg {
        q = q.bind(a);
    }
    let rows = q.fetch_all(db.read()).await?;
    Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
}

/// One recalculation to post: `kopecks` off the account's fee for `service` in `period`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PostLine {
    pub account_id: i64,
    pub period: String,
    pub service: String,
    pub kopecks: i64,
}

/// A recalculation entry of an outage, or its reversal.
#[derive(Debug, Clone, Serialize)]
pub struct Posted {
    pub entry_id: i64,
    pub account_id: i64,
    pub account_number: String,
    pub period: String,
    pub service: String,
    pub amount: i64,
    pub entry_date: String,
    /// The entry this one reverses.
    pub reverses: Option<i64>,
    /// The entry that reversed this one.
    pub reversed_by: Option<i64>,
}

/// The outage's entries in the ledger, by month and account.
pub async fn posted(db: &Db, outage: i64) -> Result<Vec<Posted>> {
    let rows = sqlx::query(
        "SELECT e.id, e.account_id, a.number, e.period, e.service, e.amount, e.entry_date, \
         e.reverses, (SELECT r.id FROM ledger_entries r WHERE r.kind = $2 AND r.reverses = e.id) \
         FROM ledger_entries e JOIN accounts a ON a.id = e.account_id \
         WHERE e.outage_id = $1 ORDER BY e.period, a.number, e.id",
    )
    .bind(outage)
    .bind(kind_code(EntryKind::Recalculation))
    .fetch_all(db.read())
    .await?;
    Ok(rows
        .iter()
        .map(|r| Posted {
            entry_id: r.get(0),
            account_id: r.get(1),
            account_number: r.get(2),
            period: r.get(3),
            service: r.get(4),
            amount: r.get(5),
            entry_date: r.get(6),
            reverses: r.get(7),
            reversed_by: r.get(8),
        })
        .collect())
}

/// Rows a multi-row insert carries: 4 bound values each, well under SQLite's variable limit.
const CHUNK: usize = 400;

/// Posts `lines` as recalculation entries of outage `outage`, dated `today`, with `note` as
/// their reason, the accounts' debts refreshed and a history row — one transaction. A line
/// posted before (for this outage, account, month and service) is skipped: posting twice
/// writes nothing new. Returns the entries written now.
pub async fn post(
    db: &Db,
    outage: i64,
    lines: &[PostLine],
    note: &str,
    today: NaiveDate,
    actor: &Actor,
) -> Result<usize> {
    let now = db.now_text();
    let lines: Vec<&PostLine> = lines.iter().filter(|l| l.kopecks > 0).collect();
    let mut tx = db.write().begin().await?;
    // The outage row taken first: a second poster waits here, then finds the lines posted.
    sqlx::query("UPDATE outages SET updated_at = updated_at WHERE id = $1")
        .bind(outage)
        .execute(&mut *tx)
        .await?;
    let mut written = 0u64;
    let day = time::date_text(today);
    let kind = kind_code(EntryKind::Recalculation);
    for chunk in lines.chunks(CHUNK) {
        let values = (0..chunk.len())
            .map(|i| {
                let b = i * 4;
                format!(
                    "(${}, '{kind}', ${}, ${}, ${}, $1, $2, $3, $4, $5, NULL)",
                    b + 6,
                    b + 7,
                    b + 8,
                    b + 9
                )
            })
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "INSERT INTO ledger_entries (account_id, kind, period, service, amount, entry_date, \
             reason, created_by, created_at, outage_id, reverses) VALUES {values} \
             ON CONFLICT DO NOTHING"
        );
        let mut q = sqlx::query(&sql)
            .bind(&day)
            .bind(note)
            .bind(actor.user_id)
            .bind(&now)
            .bind(outage);
        for l in chunk {
            q = q
                .bind(l.account_id)
                .bind(&l.period)
                .bind(&l.service)
                .bind(-l.kopecks);
        }
        written += q.execute(&mut *tx).await?.rows_affected();
    }
    if written > 0 {
        let total: i64 = lines.iter().map(|l| l.kopecks).sum();
        history::record(
            &mut tx,
            &now,
            actor,
            Change {
                entity: "outage",
                entity_id: outage,
                parent: None,
                action: "post",
                before: None,
                after: Some(serde_json::json!({
                    "entries": written, "lines": lines.len(), "total": total,
                    "periods": periods(lines.iter().map(|l| l.period.as_str())),
                })),
                note: Some(note),
            },
        )
        .await?;
        let accounts: Vec<i64> = lines.iter().map(|l| l.account_id).collect();
        crate::ledger::debts::refresh_in(db, &mut tx, &accounts, today).await?;
    }
    tx.commit().await?;
    Ok(written as usize)
}

fn periods<'a>(list: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut v: Vec<String> = list.map(str::to_string).collect();
    v.sort();
    v.dedup();
    v
}

/// Reverses the outage's recalculations of `period` not reversed yet: an opposite
/// recalculation for each, naming it, dated `today`, one transaction. Nothing to reverse is
/// refused.
pub async fn reverse(
    db: &Db,
    outage: i64,
    period: &str,
    note: &str,
    today: NaiveDate,
    actor: &Actor,
) -> Result<usize> {
    let now = db.now_text();
    let kind = kind_code(EntryKind::Recalculation);
    let mut tx = db.write().begin().await?;
    sqlx::query("UPDATE outages SET updated_at = updated_at WHERE id = $1")
        .bind(outage)
        .execute(&mut *tx)
        .await?;
    let rows = sqlx::query(
        "SELECT e.id, e.account_id, e.service, e.amount FROM ledger_entries e \
         WHERE e.outage_id = $1 AND e.period = $2 AND e.reverses IS NULL AND e.kind = $3 \
         AND NOT EXISTS (SELECT 1 FROM ledger_entries r WHERE r.kind = $3 AND r.reverses = e.id) \
         ORDER BY e.id",
    )
    .bind(outage)
    .bind(period)
    .bind(kind)
    .fetch_all(&mut *tx)
    .await?;
    if rows.is_empty() {
        return Err(StoreError::invalid("period", words::nothing_to_reverse()));
    }
    let day = time::date_text(today);
    let mut accounts = Vec::with_capacity(rows.len());
    let mut total = 0i64;
    for chunk in rows.chunks(CHUNK) {
        let values = (0..chunk.len())
            .map(|i| {
                let b = i * 4;
                format!(
                    "(${}, '{kind}', $1, ${}, ${}, $2, $3, $4, $5, $6, ${})",
                    b + 7,
                    b + 8,
                    b + 9,
                    b + 10
                )
            })
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "INSERT INTO ledger_entries (account_id, kind, period, service, amount, entry_date, \
             reason, created_by, created_at, outage_id, reverses) VALUES {values}"
        );
        let mut q = sqlx::query(&sql)
            .bind(period)
            .bind(&day)
            .bind(note)
            .bind(actor.user_id)
            .bind(&now)
            .bind(outage);
        for r in chunk {
            let account: i64 = r.get(1);
            let amount: i64 = r.get(3);
            accounts.push(account);
            total -= amount;
            q = q
                .bind(account)
                .bind(r.get::<Option<String>, _>(2))
                .bind(-amount)
                .bind(r.get::<i64, _>(0));
        }
        q.execute(&mut *tx).await?;
    }
    history::record(
        &mut tx,
        &now,
        actor,
        Change {
            entity: "outage",
            entity_id: outage,
            parent: None,
            action: "reverse",
            before: None,
            after: Some(serde_json::json!({
                "period": period, "entries": rows.len(), "total": total,
            })),
            note: Some(note),
        },
    )
    .await?;
    crate::ledger::debts::refresh_in(db, &mut tx, &accounts, today).await?;
    tx.commit().await?;
    Ok(rows.len())
}
