//! The ledger of many accounts at once, for the penalty run and the debt summary.
//!
//! A row per entry costs more in the driver than the work done with it (millions of rows),
//! so the database packs each account's entries into one text (`group_concat` /
//! `string_agg`) and this module unpacks it: one row per account.

use std::collections::BTreeMap;

use abonent_domain::ledger::words::internal;
use abonent_domain::ledger::{Entry, Period};
use chrono::NaiveDate;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use super::kind_from_code;
use crate::{Backend, Db, Result, StoreError};

/// Account ids of the company in ascending order.
pub async fn account_ids(db: &Db) -> Result<Vec<i64>> {
    Ok(sqlx::query_scalar("SELECT id FROM accounts ORDER BY id")
        .fetch_all(db.read())
        .await?)
}

/// Entries of accounts with ids in `from..=to`, packed by the database. Accounts without
/// entries are absent. Entries are in id order. Without `with_service` the entries carry no
/// service (the penalty run does not need it, and six million texts fewer are built).
pub async fn entries_between(
    db: &Db,
    from: i64,
    to: i64,
    with_service: bool,
) -> Result<BTreeMap<i64, Vec<Entry>>> {
    let rows = sqlx::query(&packed_sql(db.backend(), with_service))
        .bind(from)
        .bind(to)
        .fetch_all(db.read())
        .await?;
    unpack_rows(rows, with_service)
}

/// The same inside a write's transaction, which sees the entries it has just added.
pub async fn entries_between_in(
    conn: &mut AnyConnection,
    backend: Backend,
    from: i64,
    to: i64,
) -> Result<BTreeMap<i64, Vec<Entry>>> {
    let rows = sqlx::query(&packed_sql(backend, true))
        .bind(from)
        .bind(to)
        .fetch_all(&mut *conn)
        .await?;
    unpack_rows(rows, true)
}

fn packed_sql(backend: Backend, with_service: bool) -> String {
    let service = if with_service {
        "COALESCE(service, '') || ',' || "
    } else {
        ""
    };
    let item = format!(
        "kind || ',' || period || ',' || {service}CAST(amount AS TEXT) || ',' || entry_date || ',' || \
         COALESCE(paid_period, '') || ',' || CAST(id AS TEXT) || ',' || COALESCE(CAST(reverses AS TEXT), '') || \
         COALESCE(',' || paid_to, '')"
    );
    let agg = match backend {
        Backend::Sqlite => format!("group_concat({item}, ';')"),
        // No ORDER BY inside the aggregate: a sort per account costs the server more than
        // checking (and rarely fixing) the order here.
        Backend::Postgres => format!("string_agg({item}, ';')"),
    };
    format!(
        "SELECT account_id, {agg} FROM ledger_entries WHERE account_id >= $1 AND account_id <= $2 \
         GROUP BY account_id"
    )
}

fn unpack_rows(rows: Vec<AnyRow>, with_service: bool) -> Result<BTreeMap<i64, Vec<Entry>>> {
    let mut out = BTreeMap::new();
    for r in rows {
        let id: i64 = r.get(0);
        let packed: String = r.get(1);
        let mut entries = unpack(&packed, with_service)
            .map_err(|e| StoreError::Other(internal::account_journal(id, &e)))?;
        if !entries.is_sorted_by_key(|e| e.id) {
            entries.sort_by_key(|e| e.id);
        }
        out.insert(id, entries);
    }
    Ok(out)
}

fn date(s: &str) -> Option<NaiveDate> {
    // `YYYY-MM-DD` without the general parser: this runs millions of times.
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| s.get(r)?.parse::<u32>().ok();
    NaiveDate::from_ymd_opt(num(0..4)? as i32, num(5..7)?, num(8..10)?)
}

fn period(s: &str) -> Option<Period> {
    let b = s.as_bytes();
    if b.len() != 7 || b[4] != b'-' {
        return None;
    }
    Period::new(s.get(0..4)?.parse().ok()?, s.get(5..7)?.parse().ok()?)
}

/// `kind,period,service,amount,date,paid_period,id,reverses[,paid_to];…` (without
/// `service,` when `with_service` is false).
pub fn unpack(packed: &str, with_service: bool) -> std::result::Result<Vec<Entry>, String> {
    let mut out = Vec::with_capacity(packed.len() / 40 + 1);
    for item in packed.split(';').filter(|s| !s.is_empty()) {
        let mut f = item.split(',');
        let mut next = || f.next().unwrap_or("");
        let kind = next();
        let per = next();
        let service = if with_service { next() } else { "" };
        let (amount, d, paid, id, rev) = (next(), next(), next(), next(), next());
        let paid_to = next();
        let bad = || internal::bad_packed_entry(item);
        out.push(Entry {
            id: id.parse().map_err(|_| bad())?,
            kind: kind_from_code(kind).ok_or_else(bad)?,
            period: period(per).ok_or_else(bad)?,
            service: (!service.is_empty()).then(|| service.to_string()),
            amount: amount.parse().map_err(|_| bad())?,
            date: date(d).ok_or_else(bad)?,
            paid_period: if paid.is_empty() {
                None
            } else {
                Some(period(paid).ok_or_else(bad)?)
            },
            reverses: if rev.is_empty() {
                None
            } else {
                Some(rev.parse().map_err(|_| bad())?)
            },
            for_penalties: paid_to == super::PAID_TO_PENALTIES,
        });
    }
    Ok(out)
}

/// Consecutive id ranges of about `per` accounts each, covering `ids`.
pub fn ranges(ids: &[i64], per: usize) -> Vec<(i64, i64)> {
    ids.chunks(per.max(1))
        .map(|c| (c[0], c[c.len() - 1]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use abonent_domain::ledger::EntryKind;

    #[test]
    fn unpacks_entries() {
        let e = unpack(
            "charge,2026-10,heating,150000,2026-10-31,,7,;payment,2026-11,,100000,2026-11-05,2026-10,9,;reversal,2026-11,,100000,2026-11-06,,10,9",
            true,
        )
        .unwrap();
        assert_eq!(e.len(), 3);
        assert_eq!(e[0].kind, EntryKind::Charge);
        assert_eq!(e[0].service.as_deref(), Some("heating"));
        assert_eq!(e[1].paid_period, Period::new(2026, 10));
        assert_eq!(e[2].reverses, Some(9));
        assert!(unpack("charge,2026-1,,1,2026-10-31,,1,", true).is_err());
        assert!(unpack("", true).unwrap().is_empty());
        // Without the service field.
        let e = unpack(
            "payment,2026-11,100000,2026-11-05,2026-10,9,;reversal,2026-11,100000,2026-11-06,,10,9",
            false,
        )
        .unwrap();
        assert_eq!(e.len(), 2);
        assert_eq!(e[0].amount, 100000);
        assert_eq!(e[0].service, None);
        assert_eq!(e[1].reverses, Some(9));
        assert!(unpack("payment,2026-11,,100000,2026-11-05,2026-10,9,", false).is_err());
        // A payment for penalties carries `paid_to`.
        let e = unpack("payment,2026-11,100000,2026-11-05,,9,,penalties", false).unwrap();
        assert!(e[0].for_penalties);
    }

    #[test]
    fn id_ranges() {
        assert_eq!(ranges(&[1, 2, 5, 9, 10], 2), vec![(1, 2), (5, 9), (10, 10)]);
        assert!(ranges(&[], 10).is_empty());
    }
}
