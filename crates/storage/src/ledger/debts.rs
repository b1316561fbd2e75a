//! Debt per account after allocating payments (`account_debts`, `account_service_debts`):
//! derived from the ledger, refreshed after imports and penalty runs, read by the debtor
//! list, which must answer in milliseconds over a hundred thousand accounts.

use std::collections::{BTreeMap, HashMap};
use std::time::Instant;

use abonent_domain::ledger::words::with_flat;
use abonent_domain::ledger::{allocate_with, AllocationRule, Entry, PenaltyCredit, Period};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sqlx::{AnyConnection, Row};

use super::{load, reference};
use crate::bulk::{self, BulkValue};
use crate::registry::{Page, PageReq};
use crate::{Db, Result};

/// One account's figures.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DebtFigures {
    /// Unpaid charges after allocating payments (kopecks), without penalties.
    pub debt: i64,
    /// Penalties owed: posted less paid (issue 14 §4).
    pub penalties: i64,
    /// Past periods with unpaid charges (the current one is not debt yet).
    pub months: i64,
    pub oldest: Option<Period>,
    /// Unpaid per service code ('' for a sum without a service).
    pub by_service: Vec<(String, i64)>,
}

pub fn figures(entries: &[Entry], as_of: NaiveDate, rule: AllocationRule) -> DebtFigures {
    figures_with(entries, as_of, rule, PenaltyCredit::default())
}

/// [`figures`] with the rule of what pays penalties.
pub fn figures_with(
    entries: &[Entry],
    as_of: NaiveDate,
    rule: AllocationRule,
    credit: PenaltyCredit,
) -> DebtFigures {
    let out = allocate_with(entries, as_of, rule, credit);
    let now = Period::of(as_of);
    let mut months: Vec<Period> = out
        .lines
        .iter()
        .filter(|l| l.remaining() > 0 && l.period < now)
        .map(|l| l.period)
        .collect();
    months.dedup();
    DebtFigures {
        debt: out.debt(),
        penalties: out.penalties_owed(),
        months: months.len() as i64,
        oldest: months.first().copied(),
        by_service: out
            .by_service()
            .into_iter()
            .filter(|(_, v)| *v > 0)
            .map(|(k, v)| (k.unwrap_or_default(), v))
            .collect(),
    }
}

/// Recompute the figures of `accounts` (every account when `None`) as of `as_of`.
/// Returns the number of accounts written. For the bulk writes (imports, penalty runs),
/// which commit first: a write of a few accounts refreshes them itself ([`refresh_in`]).
pub async fn refresh(db: &Db, accounts: Option<&[i64]>, as_of: NaiveDate) -> Result<usize> {
    let rule = (
        reference::allocation_rule(db).await?,
        reference::penalty_credit(db).await?,
    );
    let ids = match accounts {
        Some(a) => sorted(a),
        None => load::account_ids(db).await?,
    };
    let building_of = buildings(db.read(), None).await?;
    let mut tx = db.write().begin().await?;
    if accounts.is_none() {
        sqlx::query("DELETE FROM account_service_debts")
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM account_debts")
            .execute(&mut *tx)
            .await?;
    }
    let mut written = 0;
    for chunk in ids.chunks(5_000) {
        let (Some(&from), Some(&to)) = (chunk.first(), chunk.last()) else {
            continue;
        };
        let mut loaded = load::entries_between(db, from, to, true).await?;
        if accounts.is_some() {
            forget(&mut tx, chunk).await?;
            loaded.retain(|k, _| chunk.binary_search(k).is_ok());
        }
        written += write(&mut tx, &db.now_text(), loaded, as_of, rule, &building_of).await?;
    }
    tx.commit().await?;
    Ok(written)
}

/// Recompute the figures of the few `accounts` a write touched, inside that write's
/// transaction: the debtor list never shows a summary older than the ledger.
pub async fn refresh_in(
    db: &Db,
    tx: &mut AnyConnection,
    accounts: &[i64],
    as_of: NaiveDate,
) -> Result<()> {
    let ids = sorted(accounts);
    let (Some(&from), Some(&to)) = (ids.first(), ids.last()) else {
        return Ok(());
    };
    let rule = (
        reference::allocation_rule(db).await?,
        reference::penalty_credit(db).await?,
    );
    let building_of = buildings(&mut *tx, Some(&ids)).await?;
    let mut loaded = load::entries_between_in(tx, db.backend(), from, to).await?;
    loaded.retain(|k, _| ids.binary_search(k).is_ok());
    forget(tx, &ids).await?;
    write(tx, &db.now_text(), loaded, as_of, rule, &building_of).await?;
    Ok(())
}

fn sorted(ids: &[i64]) -> Vec<i64> {
    let mut v = ids.to_vec();
    v.sort_unstable();
    v.dedup();
    v
}

/// Account id → building id, of `only` these accounts or of all.
async fn buildings<'e, E>(conn: E, only: Option<&[i64]>) -> Result<HashMap<i64, i64>>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let filter = only.map_or(String::new(), |ids| {
        format!(" WHERE a.id IN ({})", id_list(ids))
    });
    Ok(sqlx::query(&format!(
        "SELECT a.id, p.building_id FROM accounts a JOIN premises p ON p.id = a.premises_id{filter}"
    ))
    .persistent(only.is_none())
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(|r| (r.get::<i64, _>(0), r.get::<i64, _>(1)))
    .collect())
}

fn id_list(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

/// Drop the stored figures of `ids` before they are written again.
async fn forget(tx: &mut AnyConnection, ids: &[i64]) -> Result<()> {
    let ids = id_list(ids);
    for table in ["account_service_debts", "account_debts"] {
        sqlx::query(&format!("DELETE FROM {table} WHERE account_id IN ({ids})"))
            .persistent(false)
            .execute(&mut *tx)
            .await?;
    }
    Ok(())
}

/// Compute and insert the figures of the `loaded` accounts; returns how many.
async fn write(
    tx: &mut AnyConnection,
    now: &str,
    loaded: BTreeMap<i64, Vec<Entry>>,
    as_of: NaiveDate,
    (rule, credit): (AllocationRule, PenaltyCredit),
    building_of: &HashMap<i64, i64>,
) -> Result<usize> {
    let items: Vec<(i64, Vec<Entry>)> = loaded.into_iter().collect();
    let figs = super::penalties::blocking(|| {
        items
            .iter()
            .map(|(id, e)| (*id, figures_with(e, as_of, rule, credit)))
            .collect::<Vec<_>>()
    });
    let mut rows = Vec::with_capacity(figs.len());
    let mut svc = Vec::new();
    for (id, f) in figs {
        rows.push(vec![
            BulkValue::Int(id),
            BulkValue::Int(building_of.get(&id).copied().unwrap_or(0)),
            BulkValue::Int(f.debt),
            BulkValue::Int(f.penalties),
            BulkValue::Int(f.months),
            f.oldest.map(|p| p.to_string()).into(),
            now.into(),
        ]);
        for (s, v) in f.by_service {
            svc.push(vec![BulkValue::Int(id), s.into(), BulkValue::Int(v)]);
        }
    }
    bulk::insert_rows(
        tx,
        "account_debts",
        &[
            "account_id",
            "building_id",
            "debt",
            "penalties",
            "months",
            "oldest_period",
            "updated_at",
        ],
        &rows,
    )
    .await?;
    bulk::insert_rows(
        tx,
        "account_service_debts",
        &["account_id", "service", "debt"],
        &svc,
    )
    .await?;
    Ok(rows.len())
}

/// Filters of the debtor list.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct DebtorFilter {
    /// Debt at least this many kopecks (for `service`: that service's debt).
    pub min_debt: Option<i64>,
    /// At least this many months of debt.
    pub min_months: Option<i64>,
    pub building_id: Option<i64>,
    /// Service code (`heating`).
    pub service: Option<String>,
    /// `debt` (default, largest first), `months`, `number`.
    pub sort: Option<String>,
    /// Stage code of debtor work (`notice_served`); `none` for accounts with no case yet.
    pub stage: Option<String>,
    /// Only accounts with (true) or without (false) an active installment plan.
    pub has_plan: Option<bool>,
    /// Only «debtor actions due»: the case stands at the notice served, the notice was
    /// delivered at least the rules' `notice_days` (20) before `today`, and no active plan
    /// pauses the case — limitation or the court may follow (ПП 354 п. 119).
    pub notice_due: Option<bool>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DebtorRow {
    pub account_id: i64,
    pub number: String,
    pub address: String,
    pub debt: i64,
    /// The service's debt when the list is filtered by a service.
    pub service_debt: Option<i64>,
    pub penalties: i64,
    pub months: i64,
    pub oldest_period: Option<String>,
    /// Stage of debtor work; none before the first move.
    pub stage: Option<String>,
    pub stage_title: Option<String>,
    /// An active installment plan.
    pub has_plan: bool,
    /// The active plan has a due part not fully paid.
    pub missed_installment: bool,
}

/// Accounts with debt, filtered and paginated. `today` (the organization's calendar day)
/// decides which installments are due.
pub async fn debtors(
    db: &Db,
    f: &DebtorFilter,
    page: PageReq,
    today: NaiveDate,
) -> Result<Page<DebtorRow>> {
    let t0 = Instant::now();
    let mut conds = vec!["d.debt > 0".to_string()];
    let mut binds: Vec<BulkValue> = Vec::new();
    let arg = |v: BulkValue, binds: &mut Vec<BulkValue>| {
        binds.push(v);
        format!("${}", binds.len())
    };
    let service = f.service.as_deref().filter(|s| !s.is_empty());
    let join = if let Some(s) = service {
        let a = arg(s.into(), &mut binds);
        format!(" JOIN account_service_debts s ON s.account_id = d.account_id AND s.service = {a} AND s.debt > 0")
    } else {
        String::new()
    };
    if let Some(m) = f.min_debt.filter(|m| *m > 0) {
        let a = arg(BulkValue::Int(m), &mut binds);
        conds.push(if service.is_some() {
            format!("s.debt >= {a}")
        } else {
            format!("d.debt >= {a}")
        });
    }
    if let Some(m) = f.min_months.filter(|m| *m > 0) {
        let a = arg(BulkValue::Int(m), &mut binds);
        conds.push(format!("d.months >= {a}"));
    }
    if let Some(b) = f.building_id {
        let a = arg(BulkValue::Int(b), &mut binds);
        conds.push(format!("d.building_id = {a}"));
    }
    match f.stage.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some("none") => conds.push("c.stage IS NULL".into()),
        Some(st) => {
            let a = arg(st.into(), &mut binds);
            conds.push(format!("c.stage = {a}"));
        }
        None => {}
    }
    match f.has_plan {
        Some(true) => conds.push(format!("{ACTIVE_PLAN} IS NOT NULL")),
        Some(false) => conds.push(format!("{ACTIVE_PLAN} IS NULL")),
        None => {}
    }
    let notice_due = f.notice_due == Some(true);
    if notice_due {
        let rules = reference::debt_rules(db).await?;
        let cutoff = today - chrono::Days::new(u64::from(rules.notice_days));
        let a = arg(crate::time::date_text(cutoff).into(), &mut binds);
        conds.push(format!(
            "c.stage = 'notice_served' AND {ACTIVE_PLAN} IS NULL AND {NOTICE_DELIVERED} <= {a}"
        ));
    }
    // The count joins the cases only to filter by stage; the page always shows the stage.
    let case_join = " LEFT JOIN debt_cases c ON c.account_id = d.account_id";
    let count_join = if notice_due || f.stage.as_deref().is_some_and(|s| !s.trim().is_empty()) {
        format!("{join}{case_join}")
    } else {
        join.clone()
    };
    let filter = format!(
        "FROM account_debts d{count_join} WHERE {}",
        conds.join(" AND ")
    );
    let join = format!("{join}{case_join}");
    let order = match f.sort.as_deref().unwrap_or("debt") {
        "months" => "d.months DESC, d.debt DESC, d.account_id",
        "number" => "a.number",
        _ => "d.debt DESC, d.account_id",
    };
    let total: i64 = bind_all(&format!("SELECT COUNT(*) {filter}"), &binds)
        .fetch_one(db.read())
        .await?
        .get(0);
    let sdebt = if service.is_some() { "s.debt" } else { "NULL" };
    let sql = format!(
        "SELECT d.account_id, a.number, b.city, b.street, b.house, b.korpus, b.stroenie, p.number AS flat, \
         d.debt, {sdebt} AS service_debt, d.penalties, d.months, d.oldest_period, c.stage, \
         {ACTIVE_PLAN} AS plan_id \
         FROM account_debts d{join} JOIN accounts a ON a.id = d.account_id JOIN premises p ON p.id = a.premises_id \
         JOIN buildings b ON b.id = p.building_id WHERE {conds} ORDER BY {order} LIMIT {limit} OFFSET {offset}",
        conds = conds.join(" AND "),
        limit = page.per_page,
        offset = page.offset(),
    );
    let rows = bind_all(&sql, &binds).fetch_all(db.read()).await?;
    let mut items: Vec<DebtorRow> = rows
        .iter()
        .map(|r| DebtorRow {
            account_id: r.get("account_id"),
            number: r.get("number"),
            address: with_flat(&crate::search::address_of(r), &r.get::<String, _>("flat")),
            debt: r.get("debt"),
            service_debt: r.get("service_debt"),
            penalties: r.get("penalties"),
            months: r.get("months"),
            oldest_period: r.get("oldest_period"),
            stage_title: r
                .get::<Option<String>, _>("stage")
                .as_deref()
                .and_then(abonent_domain::debtor::Stage::from_code)
                .map(|s| s.title().to_string()),
            stage: r.get("stage"),
            has_plan: r.get::<Option<i64>, _>("plan_id").is_some(),
            missed_installment: false,
        })
        .collect();
    // Only the page's rows with a plan are tracked against their payments.
    for row in items.iter_mut().filter(|r| r.has_plan) {
        row.missed_installment =
            super::debt_cases::missed_installment(db, row.account_id, today).await?;
    }
    tracing::debug!("debtor list in {:?}", t0.elapsed());
    Ok(Page {
        items,
        total,
        page: page.page,
        per_page: page.per_page,
    })
}

/// The account's active installment plan, as a correlated subquery.
const ACTIVE_PLAN: &str = "(SELECT MAX(ip.id) FROM installment_plans ip \
    WHERE ip.account_id = d.account_id AND ip.status = 'active')";

/// The first delivery of the account's latest notice of the case in force (a notice of an
/// ended case does not serve the next one), as a correlated subquery.
const NOTICE_DELIVERED: &str = "(SELECT MIN(nd.delivered_on) FROM debt_notice_deliveries nd \
    WHERE nd.notice_id = (SELECT MAX(n.id) FROM debt_notices n WHERE n.account_id = d.account_id \
    AND n.created_at >= COALESCE((SELECT MAX(m.created_at) FROM debt_stage_moves m \
    WHERE m.account_id = d.account_id AND m.to_stage IN ('repaid', 'written_off')), '')))";

fn bind_all<'q>(
    sql: &'q str,
    binds: &'q [BulkValue],
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    let mut q = sqlx::query(sql).persistent(false);
    for b in binds {
        q = match b {
            BulkValue::Int(i) => q.bind(*i),
            BulkValue::Text(t) => q.bind(t.as_str()),
            BulkValue::Null => q.bind(None::<i64>),
        };
    }
    q
}

/// The stored figures of one account, if refreshed since its last change.
pub async fn of_account(db: &Db, account_id: i64) -> Result<Option<(i64, i64, i64)>> {
    Ok(
        sqlx::query("SELECT debt, penalties, months FROM account_debts WHERE account_id = $1")
            .bind(account_id)
            .fetch_optional(db.read())
            .await?
            .map(|r| (r.get(0), r.get(1), r.get(2))),
    )
}
