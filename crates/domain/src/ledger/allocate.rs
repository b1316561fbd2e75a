//! Which debts the payments paid. A payment that names a period goes there first (ГК ст.
//! 319.1, regulations §2); the rest, and unnamed payments, go to the oldest debt first.
//! Inside one period a payment is split between services in proportion to what each owes.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{Entry, EntryKind, Period};

/// How payments are applied; shown to the specialist and chosen in the settings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AllocationRule {
    /// The named period first, then the oldest debt (ГК ст. 319.1).
    #[default]
    NamedPeriodThenOldest,
    /// Always the oldest debt first, whatever the payer named.
    OldestFirst,
}

impl AllocationRule {
    pub fn title(self) -> &'static str {
        match self {
            AllocationRule::NamedPeriodThenOldest => {
                "в указанный плательщиком период, остаток — в самый ранний долг (ГК ст. 319.1)"
            }
            AllocationRule::OldestFirst => "всегда в самый ранний долг",
        }
    }
}

/// What pays the penalties posted to an account; shown to the specialist and chosen in the
/// settings with the allocation rule. Penalties are not charges: ГК ст. 319.1 places payments
/// among charges, and a payment pays penalties when its purpose says so.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PenaltyCredit {
    /// A payment whose purpose names penalties («пени») pays them first; money left after
    /// every charge is paid pays the penalties still owed before it becomes an advance, so
    /// paying what the payment document asked (debt and penalties) leaves nothing owed.
    #[default]
    MarkedThenSurplus,
    /// Only a payment whose purpose names penalties pays them; other money left over stays an
    /// advance beside the penalties owed (abonent before issue 14).
    MarkedOnly,
}

impl PenaltyCredit {
    pub fn title(self) -> &'static str {
        match self {
            PenaltyCredit::MarkedThenSurplus => {
                "пени гасит оплата с назначением «пени» и остаток оплат после погашения долга"
            }
            PenaltyCredit::MarkedOnly => "пени гасит только оплата с назначением «пени»",
        }
    }
}

/// What was charged and paid for one period and service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct DebtLine {
    #[schema(value_type = String)]
    pub period: Period,
    pub service: Option<String>,
    pub charged: i64,
    pub paid: i64,
}

impl DebtLine {
    pub fn remaining(&self) -> i64 {
        self.charged - self.paid
    }
}

/// Debts after allocation, oldest first, and the advance nobody owes against.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Outstanding {
    pub lines: Vec<DebtLine>,
    pub advance: i64,
    /// Penalties posted (runs and their corrections).
    pub penalties_accrued: i64,
    /// Of them paid: by payments for penalties and, by the rule, by money left over.
    pub penalties_paid: i64,
}

impl Outstanding {
    /// Penalties still owed.
    pub fn penalties_owed(&self) -> i64 {
        (self.penalties_accrued - self.penalties_paid).max(0)
    }

    /// Total still owed (penalties are kept apart).
    pub fn debt(&self) -> i64 {
        self.lines.iter().map(DebtLine::remaining).sum()
    }

    /// Debt per service, for the limitation threshold and the debtor list.
    pub fn by_service(&self) -> BTreeMap<Option<String>, i64> {
        let mut m = BTreeMap::new();
        for l in self.lines.iter().filter(|l| l.remaining() != 0) {
            *m.entry(l.service.clone()).or_insert(0) += l.remaining();
        }
        m
    }
}

/// Allocates every payment dated up to `as_of` (reversed ones left out) to the charges,
/// penalties paid by the default [`PenaltyCredit`].
pub fn allocate(entries: &[Entry], as_of: NaiveDate, rule: AllocationRule) -> Outstanding {
    allocate_with(entries, as_of, rule, PenaltyCredit::default())
}

/// Payments not reversed by `as_of`, in the order they are applied.
fn live_payments(entries: &[Entry], as_of: NaiveDate) -> Vec<&Entry> {
    let reversed: Vec<i64> = entries
        .iter()
        .filter(|e| e.kind == EntryKind::Reversal && e.date <= as_of)
        .filter_map(|e| e.reverses)
        .collect();
    let mut payments: Vec<&Entry> = entries
        .iter()
        .filter(|e| e.kind == EntryKind::Payment && e.date <= as_of && !reversed.contains(&e.id))
        .collect();
    payments.sort_by_key(|p| (p.date, p.id));
    payments
}

/// The part of each payment for penalties (by entry id) that went to penalties, as of
/// `as_of`: up to the penalties posted by its date and not paid yet; the rest of it pays
/// charges like any payment. The penalty calculation leaves these parts out of the debt.
pub fn penalty_credits(entries: &[Entry], as_of: NaiveDate) -> Vec<(i64, i64)> {
    if !entries.iter().any(|e| e.for_penalties) {
        return Vec::new();
    }
    let mut posted: Vec<(NaiveDate, i64)> = entries
        .iter()
        .filter(|e| e.kind == EntryKind::Penalty && e.date <= as_of)
        .map(|e| (e.date, e.amount))
        .collect();
    posted.sort_unstable();
    let mut paid = 0i64;
    let mut out = Vec::new();
    for p in live_payments(entries, as_of)
        .into_iter()
        .filter(|p| p.for_penalties)
    {
        let accrued: i64 = posted
            .iter()
            .take_while(|x| x.0 <= p.date)
            .map(|x| x.1)
            .sum();
        let take = p.amount.min((accrued - paid).max(0));
        if take > 0 {
            paid += take;
            out.push((p.id, take));
        }
    }
    out
}

/// [`allocate`] with the rule of what pays the penalties.
pub fn allocate_with(
    entries: &[Entry],
    as_of: NaiveDate,
    rule: AllocationRule,
    credit: PenaltyCredit,
) -> Outstanding {
    allocate_within_limitation(entries, as_of, rule, credit, &|_, _| false)
}

/// [`allocate_with`] where money without a named period goes first to the periods still
/// within the limitation period on the payment's date, and only then to older ones
/// (Пленум ВС РФ № 22 от 27.06.2017, п. 32; ГК ст. 319.1): `time_barred(period, date)` tells
/// whether a period's claim is time-barred on a date. An advance left at the end (a
/// recalculation larger than its charge) is placed the same way on `as_of`.
pub fn allocate_within_limitation(
    entries: &[Entry],
    as_of: NaiveDate,
    rule: AllocationRule,
    credit: PenaltyCredit,
    time_barred: &dyn Fn(Period, NaiveDate) -> bool,
) -> Outstanding {
    let mut by_key: BTreeMap<(Period, Option<String>), i64> = BTreeMap::new();
    for e in entries.iter().filter(|e| e.date <= as_of) {
        if matches!(
            e.kind,
            EntryKind::Opening | EntryKind::Charge | EntryKind::Recalculation
        ) {
            *by_key.entry((e.period, e.service.clone())).or_insert(0) += e.amount;
        }
    }
    let mut advance = 0i64;
    let mut lines: Vec<DebtLine> = Vec::new();
    for ((period, service), charged) in by_key {
        if charged < 0 {
            // A recalculation larger than the charge: money the account is owed.
            advance -= charged;
        } else {
            lines.push(DebtLine {
                period,
                service,
                charged,
                paid: 0,
            });
        }
    }
    let credits = penalty_credits(entries, as_of);
    let mut penalties_paid: i64 = credits.iter().map(|c| c.1).sum();
    for p in live_payments(entries, as_of) {
        let mut left = p.amount;
        if let Some(c) = credits.iter().find(|c| c.0 == p.id) {
            left -= c.1;
        }
        if let (AllocationRule::NamedPeriodThenOldest, Some(named)) = (rule, p.paid_period) {
            left = pay_period(&mut lines, named, left);
        }
        left = pay_oldest(&mut lines, left, &|q| time_barred(q, p.date));
        advance += left;
    }
    advance = pay_oldest(&mut lines, advance, &|q| time_barred(q, as_of));
    let penalties_accrued: i64 = entries
        .iter()
        .filter(|e| e.kind == EntryKind::Penalty && e.date <= as_of)
        .map(|e| e.amount)
        .sum();
    if credit == PenaltyCredit::MarkedThenSurplus {
        let take = advance
            .max(0)
            .min((penalties_accrued - penalties_paid).max(0));
        penalties_paid += take;
        advance -= take;
    }
    Outstanding {
        lines,
        advance,
        penalties_accrued,
        penalties_paid,
    }
}

/// Pays the oldest debt first, periods `time_barred` tells last.
fn pay_oldest(lines: &mut [DebtLine], mut left: i64, time_barred: &dyn Fn(Period) -> bool) -> i64 {
    let mut periods: Vec<Period> = lines
        .iter()
        .filter(|l| l.remaining() > 0)
        .map(|l| l.period)
        .collect();
    periods.dedup();
    // Stable: the oldest first within each group.
    periods.sort_by_key(|p| time_barred(*p));
    for period in periods {
        if left <= 0 {
            break;
        }
        left = pay_period(lines, period, left);
    }
    left
}

/// Pays `amount` into one period, split in proportion to each service's remaining debt with
/// kopecks distributed by the largest remainder. Returns what was left over.
fn pay_period(lines: &mut [DebtLine], period: Period, amount: i64) -> i64 {
    let idx: Vec<usize> = (0..lines.len())
        .filter(|&i| lines[i].period == period && lines[i].remaining() > 0)
        .collect();
    let owed: i64 = idx.iter().map(|&i| lines[i].remaining()).sum();
    if amount <= 0 || owed == 0 {
        return amount;
    }
    if amount >= owed {
        for &i in &idx {
            lines[i].paid = lines[i].charged;
        }
        return amount - owed;
    }
    let mut shares: Vec<(usize, i64, i128)> = idx
        .iter()
        .map(|&i| {
            let exact = i128::from(amount) * i128::from(lines[i].remaining());
            let share = (exact / i128::from(owed)) as i64;
            (i, share, exact % i128::from(owed))
        })
        .collect();
    let mut rest = amount - shares.iter().map(|s| s.1).sum::<i64>();
    let mut order: Vec<usize> = (0..shares.len()).collect();
    order.sort_by(|&a, &b| shares[b].2.cmp(&shares[a].2).then(a.cmp(&b)));
    for k in order {
        if rest == 0 {
            break;
        }
        shares[k].1 += 1;
        rest -= 1;
    }
    for (i, share, _) in shares {
        lines[i].paid += share;
    }
    0
}
