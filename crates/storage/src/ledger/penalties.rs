//! Penalties from the ledger: the court-style calculation for one account on a date, and the
//! monthly accrual run for the whole company.
//!
//! The run posts, per account, the penalty accrued up to the end of the month less every
//! penalty already posted for that month and earlier; when a later month was run before, that
//! month takes the correction that keeps the account's total at its calculation for the latest
//! month run. Running a month again posts nothing new (or only the correction after late
//! payments were imported): it never doubles.

use std::collections::{BTreeMap, HashSet};
use std::time::Instant;

use abonent_domain::calendar::WorkCalendar;
use abonent_domain::due_date::{due_date, DueDateRule};
use abonent_domain::ledger::words;
use abonent_domain::ledger::{
    penalty_credits, run_lines, AllocationRule, Entry, EntryKind, Period, RunLine,
};
use abonent_domain::penalty::{calculate, total, Debt, DebtKind, Payment, PenaltyCalculation};
use chrono::NaiveDate;
use serde::Serialize;

use super::reference::{self, PenaltyReference};
use super::{load, period_end};
use crate::bulk::{self, BulkValue};
use crate::history::Actor;
use crate::{time, Db, Result, StoreError};

/// Due dates of billing periods, computed once for every month of 1990–2100, with the
/// periods' labels (formatting them anew for each of millions of debts costs more than the
/// penalty itself).
pub struct DueDates {
    first: Period,
    dates: Vec<NaiveDate>,
    labels: Vec<String>,
}

impl DueDates {
    pub fn new(rules: &[DueDateRule], calendar: &WorkCalendar) -> DueDates {
        let first = Period {
            year: 1990,
            month: 1,
        };
        let dates = (0..111 * 12)
            .map(|i| {
                let p = first.plus(i);
                due_date(p.year, p.month, rules, calendar)
                    // Before the first rule: the 10th of the next month, as ЖК ст. 155 says.
                    .unwrap_or_else(|_| p.next().first_day() + chrono::Days::new(9))
            })
            .collect();
        let labels = (0..111 * 12).map(|i| first.plus(i).to_string()).collect();
        DueDates {
            first,
            dates,
            labels,
        }
    }

    fn index(&self, p: Period) -> Option<usize> {
        usize::try_from(self.first.months_until(p)).ok()
    }

    pub fn of(&self, p: Period) -> NaiveDate {
        match self.index(p).and_then(|i| self.dates.get(i)) {
            Some(d) => *d,
            None => p.next().first_day() + chrono::Days::new(9),
        }
    }

    /// `p.to_string()`, from the table.
    pub fn label(&self, p: Period) -> String {
        match self.index(p).and_then(|i| self.labels.get(i)) {
            Some(l) => l.clone(),
            None => p.to_string(),
        }
    }
}

/// The debts and payments the penalty calculation needs, from an account's ledger: charges,
/// recalculations and opening balances summed per period (due by the period's due date);
/// payments that were not reversed. A period whose sum is negative acts as a payment at its
/// end. Penalties themselves never accrue penalties.
///
/// Charges of the services in `capital` (capital repair contributions) are debts of their
/// own kind (ЖК ст. 155 ч. 14.1). The part of a payment for penalties that paid penalties
/// does not reduce the debt.
pub fn penalty_input(
    entries: &[Entry],
    due: &DueDates,
    rule: AllocationRule,
    capital: &[String],
) -> (Vec<Debt>, Vec<Payment>) {
    penalty_input_upto(entries, due, rule, capital, NaiveDate::MAX)
}

/// [`penalty_input`] of the entries dated up to `upto` only.
pub fn penalty_input_upto(
    entries: &[Entry],
    due: &DueDates,
    rule: AllocationRule,
    capital: &[String],
    upto: NaiveDate,
) -> (Vec<Debt>, Vec<Payment>) {
    let credits = penalty_credits(entries, upto);
    let is_capital = |e: &Entry| {
        e.service
            .as_deref()
            .is_some_and(|s| capital.iter().any(|c| c == s))
    };
    // Reversals are rare: most accounts never build the set.
    let reversed: HashSet<i64> = if entries.iter().any(|e| e.kind == EntryKind::Reversal) {
        entries
            .iter()
            .filter(|e| e.kind == EntryKind::Reversal && e.date <= upto)
            .filter_map(|e| e.reverses)
            .collect()
    } else {
        HashSet::new()
    };
    let mut by_period: BTreeMap<(Period, bool), i64> = BTreeMap::new();
    let mut payments = Vec::new();
    for e in entries.iter().filter(|e| e.date <= upto) {
        match e.kind {
            EntryKind::Opening | EntryKind::Charge | EntryKind::Recalculation => {
                *by_period.entry((e.period, is_capital(e))).or_insert(0) += e.amount;
            }
            EntryKind::Payment if !reversed.contains(&e.id) && e.amount > 0 => {
                let to_penalties = credits.iter().find(|c| c.0 == e.id).map_or(0, |c| c.1);
                if e.amount <= to_penalties {
                    continue;
                }
                payments.push(Payment {
                    date: e.date,
                    amount_kopecks: e.amount - to_penalties,
                    period: match rule {
                        AllocationRule::NamedPeriodThenOldest => {
                            e.paid_period.map(|p| due.label(p))
                        }
                        AllocationRule::OldestFirst => None,
                    },
                });
            }
            _ => {}
        }
    }
    let mut debts = Vec::new();
    for ((p, capital), sum) in by_period {
        if sum > 0 {
            debts.push(Debt {
                period: due.label(p),
                amount_kopecks: sum,
                due_date: due.of(p),
                arose_on: None,
                kind: if capital {
                    DebtKind::CapitalRepair
                } else {
                    DebtKind::Utility
                },
            });
        } else if sum < 0 {
            payments.push(Payment {
                date: period_end(p),
                amount_kopecks: -sum,
                period: None,
            });
        }
    }
    (debts, payments)
}

/// The penalty lines posted so far.
fn posted(entries: &[Entry]) -> Vec<RunLine> {
    entries
        .iter()
        .filter(|e| e.kind == EntryKind::Penalty)
        .map(|e| (e.period, e.amount))
        .collect()
}

/// Due dates by the rules and the production calendar stored in the database — the one an
/// administrator edits and letters and appeals use.
pub async fn due_dates(db: &Db, r: &PenaltyReference) -> Result<DueDates> {
    let calendar = crate::calendar::load(db).await?;
    Ok(DueDates::new(&r.due_rules, &calendar))
}

/// The court-style calculation of one account's penalty on `calc_date`.
pub async fn account_calculation(
    db: &Db,
    account_id: i64,
    calc_date: NaiveDate,
) -> Result<(PenaltyCalculation, PenaltyReference)> {
    let r = reference::penalty_reference(db).await?;
    let rule = reference::allocation_rule(db).await?;
    let capital = super::capital_repair_services(db).await?;
    let entries = super::domain_entries(db, account_id).await?;
    let due = due_dates(db, &r).await?;
    let (debts, payments) = penalty_input(&entries, &due, rule, &capital);
    let c = calculate(&debts, &payments, calc_date, &r.settings, &r.rates)?;
    Ok((c, r))
}

/// What a run did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RunSummary {
    pub run_id: i64,
    pub period: String,
    pub calc_date: String,
    /// Accounts looked at.
    pub accounts: usize,
    /// Accounts that got a penalty line (or a correction).
    pub posted: usize,
    /// Sum of the lines posted, kopecks.
    pub amount: i64,
    /// Accounts that could not be calculated.
    pub failed: usize,
    /// The first 50 of them by number, with the reason.
    pub errors: Vec<String>,
    pub load_ms: u128,
    pub compute_ms: u128,
    pub write_ms: u128,
}

impl RunSummary {
    /// The outcome in the words the page and the command line print.
    pub fn text(&self) -> String {
        words::penalties_posted(
            &self.period,
            self.accounts,
            self.posted,
            self.amount,
            self.failed,
            self.errors.first().map(String::as_str),
        )
    }
}

/// The date the run calculates «на»: the whole month accrues.
pub fn run_calc_date(period: Period, include_calc_date: bool) -> NaiveDate {
    if include_calc_date {
        period_end(period)
    } else {
        period.next().first_day()
    }
}

const ACCOUNTS_PER_SLICE: usize = 5_000;

/// Accrue penalties for `period` for every account, in one transaction. `progress(done,
/// total)` counts accounts.
pub async fn run_month(
    db: &Db,
    period: Period,
    actor: &Actor,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<RunSummary> {
    let r = reference::penalty_reference(db).await?;
    let rule = reference::allocation_rule(db).await?;
    let calc_date = run_calc_date(period, r.settings.include_calc_date);
    let due = due_dates(db, &r).await?;
    let capital = super::capital_repair_services(db).await?;
    let ids = load::account_ids(db).await?;
    let slices = load::ranges(&ids, ACCOUNTS_PER_SLICE);
    let mut sum = RunSummary {
        period: period.to_string(),
        calc_date: time::date_text(calc_date),
        ..Default::default()
    };

    let mut tx = db.write().begin().await?;
    // Two runs at once would each post the same difference: one waits for the other.
    bulk::lock_tables(&mut tx, db.backend(), &["penalty_runs"]).await?;
    let runs_before: Vec<Period> =
        sqlx::query_scalar::<_, String>("SELECT DISTINCT period FROM penalty_runs")
            .fetch_all(&mut *tx)
            .await?
            .iter()
            .map(|p| super::period_of(p))
            .collect::<Result<_>>()?;
    sum.run_id = sqlx::query_scalar(
        "INSERT INTO penalty_runs (period, calc_date, created_by, created_by_name, created_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(period.to_string())
    .bind(time::date_text(calc_date))
    .bind(actor.user_id)
    .bind(&actor.name)
    .bind(db.now_text())
    .fetch_one(&mut *tx)
    .await?;

    let now = db.now_text();
    // Most lines are of the run's own period: its reason is worded once.
    let reason = words::penalty_reason(period, period, calc_date);
    let reason_of = |line: Period| {
        if line == period {
            reason.clone()
        } else {
            words::penalty_reason(line, period, calc_date)
        }
    };
    let ctx = Ctx {
        due: &due,
        r: &r,
        rule,
        period,
        capital: &capital,
        runs_before: &runs_before,
        latest: runs_before.iter().copied().max().filter(|l| *l > period),
    };
    let mut failed = Vec::new();
    // Two slices load while this one is computed and written.
    let mut pending = std::collections::VecDeque::new();
    let mut queued = 0;
    while queued < slices.len().min(2) {
        let (a, b) = slices[queued];
        pending.push_back(tokio::spawn(load_slice(db.clone(), a, b)));
        queued += 1;
    }
    while let Some(handle) = pending.pop_front() {
        let t0 = Instant::now();
        let loaded = handle
            .await
            .map_err(|e| StoreError::Other(e.to_string()))??;
        if let Some(&(a, b)) = slices.get(queued) {
            pending.push_back(tokio::spawn(load_slice(db.clone(), a, b)));
            queued += 1;
        }
        sum.load_ms += t0.elapsed().as_millis();

        let t1 = Instant::now();
        let results = blocking(|| compute(&ctx, &loaded));
        sum.compute_ms += t1.elapsed().as_millis();
        sum.accounts += loaded.len();

        let t2 = Instant::now();
        let mut rows = Vec::new();
        for (account_id, res) in results {
            match res {
                Ok(lines) if lines.is_empty() => {}
                Ok(lines) => {
                    sum.posted += 1;
                    for (line, diff) in lines {
                        sum.amount += diff;
                        rows.push(vec![
                            BulkValue::Int(account_id),
                            "penalty".into(),
                            line.to_string().into(),
                            BulkValue::Int(diff),
                            time::date_text(period_end(line)).into(),
                            reason_of(line).into(),
                            BulkValue::Int(sum.run_id),
                            actor.user_id.into(),
                            (&now).into(),
                        ]);
                    }
                }
                Err(e) => {
                    sum.failed += 1;
                    if failed.len() < 50 {
                        failed.push((account_id, e));
                    }
                }
            }
        }
        super::unnest::insert(
            &mut tx,
            db.backend(),
            "ledger_entries",
            &[
                "account_id",
                "kind",
                "period",
                "amount",
                "entry_date",
                "reason",
                "run_id",
                "created_by",
                "created_at",
            ],
            {
                use super::unnest::Col::{Int, Text};
                &[Int, Text, Text, Int, Text, Text, Int, Int, Text]
            },
            &rows,
        )
        .await?;
        sum.write_ms += t2.elapsed().as_millis();
        progress(sum.accounts, ids.len());
    }
    // The specialist knows accounts by number, not by the database's id.
    for (account_id, e) in failed {
        let number = super::account_number(&mut tx, account_id).await?;
        sum.errors
            .push(words::account_failure(&number, &e.to_string()));
    }
    sqlx::query("UPDATE penalty_runs SET accounts = $1, posted = $2, amount = $3 WHERE id = $4")
        .bind(sum.accounts as i64)
        .bind(sum.posted as i64)
        .bind(sum.amount)
        .bind(sum.run_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(sum)
}

async fn load_slice(db: Db, from: i64, to: i64) -> Result<Vec<(i64, Vec<Entry>)>> {
    // With services: capital repair contributions are debts of their own kind.
    Ok(load::entries_between(&db, from, to, true)
        .await?
        .into_iter()
        .collect())
}

struct Ctx<'a> {
    due: &'a DueDates,
    r: &'a PenaltyReference,
    rule: AllocationRule,
    period: Period,
    capital: &'a [String],
    runs_before: &'a [Period],
    /// The latest month run before, when later than the run's month.
    latest: Option<Period>,
}

/// Run CPU-bound work without stalling the runtime's other tasks where the runtime allows.
pub(crate) fn blocking<T>(f: impl FnOnce() -> T) -> T {
    use tokio::runtime::{Handle, RuntimeFlavor};
    match Handle::try_current() {
        Ok(h) if h.runtime_flavor() == RuntimeFlavor::MultiThread => tokio::task::block_in_place(f),
        _ => f(),
    }
}

/// The difference to post per account, on every core.
fn compute(ctx: &Ctx, accounts: &[(i64, Vec<Entry>)]) -> Vec<(i64, Result<Vec<RunLine>, String>)> {
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 16);
    let per = accounts.len().div_ceil(threads).max(1);
    std::thread::scope(|s| {
        let handles: Vec<_> = accounts
            .chunks(per)
            .map(|chunk| {
                s.spawn(move || {
                    chunk
                        .iter()
                        .map(|(id, entries)| (*id, one(ctx, entries)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    })
}

/// The lines to post for one account (see `abonent_domain::ledger::run_lines`).
fn one(ctx: &Ctx, entries: &[Entry]) -> Result<Vec<RunLine>, String> {
    let mut lines = lines_for(ctx, entries)?;
    if lines.is_empty() || !entries.iter().any(|e| e.for_penalties) {
        return Ok(lines);
    }
    // A payment for penalties pays the penalties posted by its date, so the lines posted now
    // change what it leaves for the charges and thus the penalty: the run repeats with them
    // until nothing changes (each round moves the penalty by a fraction of the last change).
    let mut with = entries.to_vec();
    let mut added = 0;
    for _ in 0..8 {
        for &(month, amount) in &lines[added..] {
            with.push(Entry {
                id: -1 - with.len() as i64,
                kind: EntryKind::Penalty,
                period: month,
                service: None,
                amount,
                date: period_end(month),
                paid_period: None,
                reverses: None,
                for_penalties: false,
            });
        }
        added = lines.len();
        let more = lines_for(ctx, &with)?;
        if more.is_empty() {
            break;
        }
        lines.extend(more);
    }
    let mut by_month: BTreeMap<Period, i64> = BTreeMap::new();
    for (month, amount) in lines {
        *by_month.entry(month).or_insert(0) += amount;
    }
    Ok(by_month.into_iter().filter(|l| l.1 != 0).collect())
}

/// One round of [`one`].
fn lines_for(ctx: &Ctx, entries: &[Entry]) -> Result<Vec<RunLine>, String> {
    let target = accrued_by_end(ctx, entries, ctx.period)?;
    let latest = match ctx.latest {
        Some(l) => Some((l, accrued_by_end(ctx, entries, l)?)),
        None => None,
    };
    Ok(run_lines(
        ctx.period,
        target,
        &posted(entries),
        ctx.runs_before,
        latest,
    ))
}

/// The penalty accrued by the end of `month`: only what was known by then counts.
fn accrued_by_end(ctx: &Ctx, entries: &[Entry], month: Period) -> Result<i64, String> {
    let (debts, payments) =
        penalty_input_upto(entries, ctx.due, ctx.rule, ctx.capital, period_end(month));
    if debts.is_empty() {
        return Ok(0);
    }
    total(
        &debts,
        &payments,
        run_calc_date(month, ctx.r.settings.include_calc_date),
        &ctx.r.settings,
        &ctx.r.rates,
    )
    .map_err(|e| e.to_string())
}

/// Past runs, newest first.
#[derive(Debug, Clone, Serialize)]
pub struct RunRecord {
    pub id: i64,
    pub period: String,
    pub calc_date: String,
    pub accounts: i64,
    pub posted: i64,
    pub amount: i64,
    pub created_by_name: String,
    pub created_at: String,
}

pub async fn runs(db: &Db, limit: i64) -> Result<Vec<RunRecord>> {
    use sqlx::Row;
    Ok(sqlx::query(
        "SELECT id, period, calc_date, accounts, posted, amount, created_by_name, created_at \
         FROM penalty_runs ORDER BY id DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(db.read())
    .await?
    .into_iter()
    .map(|r| RunRecord {
        id: r.get(0),
        period: r.get(1),
        calc_date: r.get(2),
        accounts: r.get(3),
        posted: r.get(4),
        amount: r.get(5),
        created_by_name: r.get(6),
        created_at: r.get(7),
    })
    .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_text_counts_every_failed_account() {
        let mut s = RunSummary {
            period: "2026-10".into(),
            accounts: 120,
            posted: 7,
            amount: 123_456,
            ..Default::default()
        };
        assert_eq!(
            s.text(),
            "Пени за октябрь 2026 начислены: счетов 120, проведено строк 7 на 1 234,56 ₽."
        );
        s.failed = 60;
        s.errors = vec!["счёт 0100001: нет ставки".into(); 50];
        assert!(
            s.text()
                .ends_with(" Не рассчитано счетов: 60 (например: счёт 0100001: нет ставки)."),
            "{}",
            s.text()
        );
    }
}
