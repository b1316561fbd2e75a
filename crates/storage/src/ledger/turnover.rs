//! The turnover sheet (оборотно-сальдовая ведомость) over a range of periods: for an account
//! by service, for a building by account, for the company by building. Summed by the
//! database, with the same rules as `abonent_domain::ledger::turnover`.

use std::collections::BTreeMap;

use abonent_domain::ledger::checks::check_turnover_range;
use abonent_domain::ledger::words::{internal, noun, turnover_title};
use abonent_domain::ledger::{EntryKind, Period, Turnover};
use serde::Serialize;
use sqlx::Row;

use super::{kind_from_code, service_title, services};
use crate::{Db, Result, StoreError};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Account(i64),
    Building(i64),
    Company,
}

#[derive(Debug, Clone, Serialize)]
pub struct TurnoverRow {
    /// Service code, account id or building id.
    pub key: String,
    pub title: String,
    /// Page of the row's account or building, if any.
    pub href: Option<String>,
    pub figures: Turnover,
}

#[derive(Debug, Clone, Serialize)]
pub struct TurnoverSheet {
    pub title: String,
    pub from: String,
    pub to: String,
    pub rows: Vec<TurnoverRow>,
    pub total: Turnover,
}

/// Adds one sum of entries of `kind` to `t`: before the range it goes into the opening
/// balance, inside into its column.
pub fn add_sum(t: &mut Turnover, kind: EntryKind, before: bool, sum: i64) {
    if before {
        t.opening += if kind == EntryKind::Payment {
            -sum
        } else {
            sum
        };
        return;
    }
    match kind {
        EntryKind::Opening | EntryKind::Charge => t.charged += sum,
        EntryKind::Recalculation => t.recalculated += sum,
        EntryKind::Penalty => t.penalties += sum,
        EntryKind::Payment => t.paid += sum,
        EntryKind::Reversal => t.paid -= sum,
    }
}

fn close(t: &mut Turnover) {
    t.closing = t.opening + t.charged + t.recalculated + t.penalties - t.paid;
}

pub async fn sheet(db: &Db, scope: Scope, from: Period, to: Period) -> Result<TurnoverSheet> {
    check_turnover_range(from, to)?;
    let sum = "CAST(SUM(e.amount) AS BIGINT)";
    let before = "CASE WHEN e.period < $1 THEN 1 ELSE 0 END";
    let (sql, title) = match scope {
        Scope::Account(id) => {
            let number: String = sqlx::query_scalar("SELECT number FROM accounts WHERE id = $1")
                .bind(id)
                .fetch_optional(db.read())
                .await?
                .ok_or_else(|| StoreError::NotFound(noun::ACCOUNT.into()))?;
            (
                format!(
                    "SELECT COALESCE(e.service, '') AS k, '' AS t1, '' AS t2, e.kind, {before} AS b, {sum} \
                     FROM ledger_entries e WHERE e.account_id = {id} AND e.period <= $2 \
                     GROUP BY COALESCE(e.service, ''), e.kind, {before}"
                ),
                turnover_title::account(&number),
            )
        }
        Scope::Building(id) => {
            let r = sqlx::query(
                "SELECT city, street, house, korpus, stroenie FROM buildings WHERE id = $1",
            )
            .bind(id)
            .fetch_optional(db.read())
            .await?
            .ok_or_else(|| StoreError::NotFound(noun::BUILDING.into()))?;
            (
                format!(
                    "SELECT CAST(e.account_id AS TEXT) AS k, a.number AS t1, p.number AS t2, e.kind, {before} AS b, {sum} \
                     FROM ledger_entries e JOIN accounts a ON a.id = e.account_id \
                     JOIN premises p ON p.id = a.premises_id \
                     WHERE p.building_id = {id} AND e.period <= $2 \
                     GROUP BY e.account_id, a.number, p.number, e.kind, {before}"
                ),
                crate::search::address_of(&r),
            )
        }
        Scope::Company => (
            format!(
                "SELECT CAST(b.id AS TEXT) AS k, b.street AS t1, b.house AS t2, x.kind, x.b, CAST(SUM(x.s) AS BIGINT) \
                 FROM (SELECT e.account_id, e.kind, {before} AS b, {sum} AS s FROM ledger_entries e \
                       WHERE e.period <= $2 GROUP BY e.account_id, e.kind, {before}) x \
                 JOIN accounts a ON a.id = x.account_id JOIN premises p ON p.id = a.premises_id \
                 JOIN buildings b ON b.id = p.building_id \
                 GROUP BY b.id, b.street, b.house, x.kind, x.b"
            ),
            turnover_title::COMPANY.to_string(),
        ),
    };
    let rows = sqlx::query(&sql)
        .bind(from.to_string())
        .bind(to.to_string())
        .fetch_all(db.read())
        .await?;
    let svc = services(db).await?;
    let mut by: BTreeMap<String, (String, Turnover)> = BTreeMap::new();
    for r in rows {
        let key: String = r.get(0);
        let (t1, t2): (String, String) = (r.get(1), r.get(2));
        let kind: String = r.get(3);
        let b: i64 = r.get(4);
        let s: Option<i64> = r.get(5);
        let kind = kind_from_code(&kind)
            .ok_or_else(|| StoreError::Other(internal::unknown_entry_kind(&kind)))?;
        let t = match scope {
            Scope::Account(_) => String::new(),
            Scope::Building(_) => turnover_title::account_row(&t1, &t2),
            Scope::Company => turnover_title::building_row(&t1, &t2),
        };
        let entry = by.entry(key).or_insert((t, Turnover::default()));
        add_sum(&mut entry.1, kind, b == 1, s.unwrap_or(0));
    }
    let mut total = Turnover::default();
    let mut out = Vec::with_capacity(by.len());
    for (key, (t, mut f)) in by {
        close(&mut f);
        total.add(&f);
        let (title, href) = match scope {
            Scope::Account(_) => (
                if key.is_empty() {
                    turnover_title::NO_SERVICE.to_string()
                } else {
                    service_title(&svc, Some(&key))
                },
                None,
            ),
            Scope::Building(_) => (t, Some(format!("/accounts/{key}"))),
            Scope::Company => (t, Some(format!("/buildings/{key}"))),
        };
        out.push(TurnoverRow {
            key,
            title,
            href,
            figures: f,
        });
    }
    if matches!(scope, Scope::Building(_) | Scope::Company) {
        out.sort_by(|a, b| a.title.cmp(&b.title));
    }
    Ok(TurnoverSheet {
        title,
        from: from.to_string(),
        to: to.to_string(),
        rows: out,
        total,
    })
}
