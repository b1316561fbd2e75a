//! The penalty calculation (ЖК РФ ст. 155 ч. 14) as a court-style table.
//!
//! Conventions (each reproduces the regulations.md §2 worked case, 835,05 ₽):
//! * day 1 of delay is the day after the due date (due 10.06.2019 → day 1 = 11.06.2019);
//!   days 1..=30 carry nothing, days 31..=90 1/300, from day 91 1/130; the counter runs
//!   through moratoria;
//! * a payment reduces the debt from the next day: the payment day still accrues on the paid
//!   amount (`payment_day_accrues`, «по день фактической оплаты» inclusive);
//! * the calculation date itself does not accrue (`include_calc_date = false`);
//! * moratorium bounds are inclusive (bounds are data);
//! * rows split at every change of debt, share, rate and moratorium; each row is
//!   debt × days × rate_bp / (share × 10000) kopecks, exact in i128, rounded half-up.
//!
//! Payments are applied to the named period, the rest to the oldest debt first (ГК ст. 319.1).

use chrono::{Days, NaiveDate};
use serde::Serialize;

use super::key_rate::KeyRateTable;
use super::ratio::{gcd, Ratio};
use super::settings::{CapScope, Moratorium, PenaltySettings, RateDate, RateMode, RowRounding};
use crate::error::ValidationErrors;
use crate::money::format_amount;

/// Amounts above this (10 трлн ₽) are rejected: keeps i128 arithmetic far from overflow.
const MAX_AMOUNT: i64 = 1_000_000_000_000_000;

/// One charge that was not paid on time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Debt {
    /// Billing period label shown in the table (`2019-05`, «май 2019»).
    pub period: String,
    pub amount_kopecks: i64,
    /// The last day to pay without delay (e.g. 10th of the next month).
    pub due_date: NaiveDate,
    /// When the obligation arose, for moratoria limited to older debts (ПП 497);
    /// `None`: the due date is used.
    #[serde(default)]
    pub arose_on: Option<NaiveDate>,
    /// What the debt is for: capital repair contributions accrue without the 1/130 step
    /// (ЖК ст. 155 ч. 14.1).
    #[serde(default)]
    pub kind: DebtKind,
}

/// The kind of charge a debt is for, as far as the penalty depends on it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DebtKind {
    /// Housing and utilities (ЖК ст. 155 ч. 14): 1/300, then 1/130.
    #[default]
    Utility,
    /// Contributions to capital repair (ЖК ст. 155 ч. 14.1).
    CapitalRepair,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Payment {
    pub date: NaiveDate,
    pub amount_kopecks: i64,
    /// The period the payer named; `None`: oldest debt first.
    #[serde(default)]
    pub period: Option<String>,
}

/// One line of the court-style table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct PenaltyRow {
    pub period: String,
    pub debt_kopecks: i64,
    pub from: NaiveDate,
    /// Inclusive.
    pub to: NaiveDate,
    pub days: i64,
    /// 300 or 130: the rate is taken 1/share per day.
    pub share: u32,
    pub rate_bp: u32,
    /// `1 000,00 × 104 × 1/300 × 9,5%`, or the moratorium's source for a zero row.
    pub formula: String,
    pub penalty_kopecks: i64,
    /// Source of the moratorium when the row falls in one (then the penalty is 0).
    pub moratorium: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PenaltyCalculation {
    pub rows: Vec<PenaltyRow>,
    pub total_kopecks: i64,
    /// Payments (dated up to the last accrual day) beyond all debts.
    pub unallocated_kopecks: i64,
    /// The last day that accrues (the calculation date or the day before it).
    pub last_day: NaiveDate,
    #[serde(skip)]
    exact: Ratio,
}

impl PenaltyCalculation {
    /// The unrounded total in kopecks as numerator/denominator.
    pub fn exact_total_kopecks(&self) -> (i128, i128) {
        (self.exact.num, self.exact.den)
    }
}

/// `9,5%`, `16,25%`, `20%`.
pub fn format_rate(bp: u32) -> String {
    let (whole, frac) = (bp / 100, bp % 100);
    match frac {
        0 => format!("{whole}%"),
        f if f % 10 == 0 => format!("{whole},{}%", f / 10),
        f => format!("{whole},{f:02}%"),
    }
}

/// A stretch of days with one amount whose rate comes from one rule.
struct Piece<'a> {
    debt: &'a Debt,
    /// (first day with this balance, balance); the balance holds until the next change.
    balances: Vec<(NaiveDate, i64)>,
    /// The fixed rate date of this piece (paid part: payment date; rest: calc date).
    rate_date: Option<NaiveDate>,
    /// The date that decides a [`CapScope::RateDate`] cap: the rate date, else the
    /// calculation date.
    cap_date: NaiveDate,
}

/// Run the calculation. `calc_date` is the date the calculation is made «на».
pub fn calculate(
    debts: &[Debt],
    payments: &[Payment],
    calc_date: NaiveDate,
    settings: &PenaltySettings,
    rates: &KeyRateTable,
) -> Result<PenaltyCalculation, ValidationErrors> {
    validate_input(debts, payments, settings)?;
    let last_day = last_accruing_day(calc_date, settings);
    let (allocations, unallocated_kopecks) = allocate(debts, payments, last_day);

    let pieces = pieces(debts, &allocations, calc_date, settings);

    let mut rows = Vec::new();
    let mut exact = Ratio::ZERO;
    let mut rounded_so_far = 0i64;
    for piece in &pieces {
        for (row, row_exact) in piece_rows(piece, last_day, settings, rates)? {
            exact = exact.add(row_exact);
            let penalty_kopecks = match settings.rounding {
                RowRounding::PerRow => row_exact.round(),
                RowRounding::Cumulative => exact.round() - rounded_so_far,
            };
            rounded_so_far += penalty_kopecks;
            rows.push(PenaltyRow {
                penalty_kopecks,
                ..row
            });
        }
    }
    Ok(PenaltyCalculation {
        total_kopecks: rows.iter().map(|r| r.penalty_kopecks).sum(),
        rows,
        unallocated_kopecks,
        last_day,
        exact,
    })
}

/// The pieces of the table: per debt (oldest first) its balances over time, or — when each
/// paid part takes the rate of its payment date — one piece per paid part and the rest.
fn pieces<'a>(
    debts: &'a [Debt],
    allocations: &[Vec<(NaiveDate, i64)>],
    calc_date: NaiveDate,
    settings: &PenaltySettings,
) -> Vec<Piece<'a>> {
    // Oldest debt first in the table, as in the allocation.
    let mut order: Vec<usize> = (0..debts.len()).collect();
    order.sort_by_key(|&i| (debts[i].due_date, i));

    let by_tranche = settings.rate_mode
        == RateMode::KeyRate {
            on: RateDate::PaymentOrCalcDate,
        };
    let mut pieces = Vec::new();
    for &i in &order {
        let debt = &debts[i];
        let allocs = &allocations[i];
        // The first day a payment no longer accrues.
        let stop = |date: NaiveDate| {
            if settings.payment_day_accrues {
                date + Days::new(1)
            } else {
                date
            }
        };
        if by_tranche {
            // Each paid part accrues until its payment at the rate of its payment date.
            let paid: i64 = allocs.iter().map(|a| a.1).sum();
            for &(date, amount) in allocs {
                pieces.push(Piece {
                    debt,
                    balances: vec![(NaiveDate::MIN, amount), (stop(date), 0)],
                    rate_date: Some(date),
                    cap_date: date,
                });
            }
            pieces.push(Piece {
                debt,
                balances: vec![(NaiveDate::MIN, debt.amount_kopecks - paid)],
                rate_date: Some(calc_date),
                cap_date: calc_date,
            });
        } else {
            let mut balances = vec![(NaiveDate::MIN, debt.amount_kopecks)];
            let mut left = debt.amount_kopecks;
            for &(date, amount) in allocs {
                left -= amount;
                balances.push((stop(date), left));
            }
            let rate_date = match settings.rate_mode {
                RateMode::KeyRate {
                    on: RateDate::CalcDate,
                } => Some(calc_date),
                RateMode::KeyRate {
                    on: RateDate::On(x),
                } => Some(x),
                _ => None,
            };
            pieces.push(Piece {
                debt,
                balances,
                rate_date,
                cap_date: rate_date.unwrap_or(calc_date),
            });
        }
    }

    pieces
}

/// Only the total of [`calculate`], without building the table: the monthly run needs
/// nothing else for a hundred thousand accounts. Equal to `calculate(…).total_kopecks`
/// (a property test holds them together).
pub fn total(
    debts: &[Debt],
    payments: &[Payment],
    calc_date: NaiveDate,
    settings: &PenaltySettings,
    rates: &KeyRateTable,
) -> Result<i64, ValidationErrors> {
    validate_input(debts, payments, settings)?;
    let last_day = last_accruing_day(calc_date, settings);
    let (allocations, _) = allocate(debts, payments, last_day);
    // Without reducing fractions (i128 division is slow, and a hundred thousand accounts
    // make millions of rows): per-row rounding needs only each row's quotient; cumulative
    // rounding sums the rows over one common denominator and rounds once. The values are
    // the same fractions `calculate` adds, so the totals are equal.
    let common = lcm(
        i128::from(settings.first_share) * 10_000,
        i128::from(settings.second_share) * 10_000,
    );
    let mut per_row = 0i64;
    let mut sum = 0i128;
    for piece in &pieces(debts, &allocations, calc_date, settings) {
        let arose = piece.debt.arose_on.unwrap_or(piece.debt.due_date);
        for (from, to, key) in segment_runs(piece, last_day, settings, rates, arose)? {
            let (num, den) = run_fraction(from, to, key);
            match settings.rounding {
                RowRounding::PerRow => per_row += half_up(num, den),
                RowRounding::Cumulative => sum += num * (common / den),
            }
        }
    }
    Ok(match settings.rounding {
        RowRounding::PerRow => per_row,
        RowRounding::Cumulative => half_up(sum, common),
    })
}

fn lcm(a: i128, b: i128) -> i128 {
    a / gcd(a, b) * b
}

/// `num / den` rounded half-up (never negative here), as [`Ratio::round`].
fn half_up(num: i128, den: i128) -> i64 {
    ((2 * num + den) / (2 * den)) as i64
}

/// The penalty of a run of days as an unreduced fraction: debt × days × rate over
/// share × 10 000; nothing in a moratorium.
fn run_fraction(from: NaiveDate, to: NaiveDate, key: RunKey) -> (i128, i128) {
    let (balance, share, rate, moratorium) = key;
    let den = i128::from(share) * 10_000;
    if moratorium.is_some() {
        return (0, den);
    }
    let days = (to - from).num_days() + 1;
    (
        i128::from(balance) * i128::from(days) * i128::from(rate),
        den,
    )
}

fn last_accruing_day(calc_date: NaiveDate, settings: &PenaltySettings) -> NaiveDate {
    if settings.include_calc_date {
        calc_date
    } else {
        calc_date.pred_opt().unwrap_or(calc_date)
    }
}

/// The exact penalty of a run of days, reduced.
fn run_exact(from: NaiveDate, to: NaiveDate, key: RunKey) -> Ratio {
    let (num, den) = run_fraction(from, to, key);
    if num == 0 {
        return Ratio::ZERO;
    }
    let g = gcd(num, den);
    Ratio {
        num: num / g,
        den: den / g,
    }
}

fn validate_input(
    debts: &[Debt],
    payments: &[Payment],
    settings: &PenaltySettings,
) -> Result<(), ValidationErrors> {
    let mut e = settings.validate().prefixed("settings.");
    for (i, debt) in debts.iter().enumerate() {
        if debt.amount_kopecks <= 0 || debt.amount_kopecks > MAX_AMOUNT {
            e.add(
                &format!("debts[{i}].amount_kopecks"),
                "Сумма долга должна быть больше нуля и меньше 10 трлн ₽",
            );
        }
        if debt.period.trim().is_empty() {
            e.add(&format!("debts[{i}].period"), "Укажите период долга");
        }
    }
    for (i, p) in payments.iter().enumerate() {
        if p.amount_kopecks <= 0 || p.amount_kopecks > MAX_AMOUNT {
            e.add(
                &format!("payments[{i}].amount_kopecks"),
                "Сумма оплаты должна быть больше нуля и меньше 10 трлн ₽",
            );
        }
    }
    e.into_result(())
}

/// Per debt (input order): the (payment date, amount) parts applied to it, and the rest of
/// the money that no debt needed. Payments after `last_day` cannot change the result and are
/// skipped. A named period is paid first; what is left goes oldest-first (ГК ст. 319.1).
fn allocate(
    debts: &[Debt],
    payments: &[Payment],
    last_day: NaiveDate,
) -> (Vec<Vec<(NaiveDate, i64)>>, i64) {
    let mut left: Vec<i64> = debts.iter().map(|d| d.amount_kopecks).collect();
    let mut out = vec![Vec::new(); debts.len()];
    let mut oldest: Vec<usize> = (0..debts.len()).collect();
    oldest.sort_by_key(|&i| (debts[i].due_date, i));
    // The debts of each period label in oldest-first order, found by binary search: the
    // monthly run allocates dozens of payments over dozens of debts for every account.
    let mut named_index: Vec<(&str, usize)> = oldest
        .iter()
        .enumerate()
        .map(|(pos, &i)| (debts[i].period.as_str(), pos))
        .collect();
    named_index.sort_unstable();
    let mut pays: Vec<&Payment> = payments.iter().filter(|p| p.date <= last_day).collect();
    pays.sort_by_key(|p| p.date);
    let mut unallocated = 0;
    // Balances only go down: debts before `open` in oldest order are paid off for good.
    let mut open = 0;
    for p in pays {
        let mut money = p.amount_kopecks;
        let named: &[(&str, usize)] = match p.period.as_deref() {
            Some(label) => {
                let from = named_index.partition_point(|x| x.0 < label);
                let to = named_index.partition_point(|x| x.0 <= label);
                &named_index[from..to]
            }
            None => &[],
        };
        while open < oldest.len() && left[oldest[open]] == 0 {
            open += 1;
        }
        let order = named.iter().map(|&(_, pos)| oldest[pos]);
        for i in order.chain(oldest[open..].iter().copied()) {
            if money == 0 {
                break;
            }
            let take = money.min(left[i]);
            if take > 0 {
                left[i] -= take;
                money -= take;
                out[i].push((p.date, take));
            }
        }
        unallocated += money;
    }
    (out, unallocated)
}

/// (balance, share, rate, moratorium) of a stretch of days.
type RunKey<'m> = (i64, u32, u32, Option<&'m Moratorium>);
type Run<'m> = (NaiveDate, NaiveDate, RunKey<'m>);

fn no_rate(date: NaiveDate) -> ValidationErrors {
    ValidationErrors::single(
        "key_rates",
        format!(
            "Нет ключевой ставки на {}: дополните таблицу ставок",
            date.format("%d.%m.%Y")
        ),
    )
}

/// The key of `day`, and the first later day on which it may change.
fn key_at<'m>(
    piece: &Piece,
    bal_idx: usize,
    day: NaiveDate,
    s: &'m PenaltySettings,
    rates: &KeyRateTable,
    arose: NaiveDate,
) -> Result<(RunKey<'m>, Option<NaiveDate>), ValidationErrors> {
    let balance = piece.balances[bal_idx].1;
    let delay_day = (day - piece.debt.due_date).num_days();
    let switch_day = switch_day(piece.debt, s);
    let share = if delay_day <= switch_day {
        s.first_share
    } else {
        s.second_share
    };
    let mut next: Option<NaiveDate> = None;
    let mut later = |d: NaiveDate| {
        if d > day && next.is_none_or(|n| d < n) {
            next = Some(d);
        }
    };
    if let Some(b) = piece.balances.get(bal_idx + 1) {
        later(b.0);
    }
    if delay_day <= switch_day {
        if let Some(switch) = u64::try_from(switch_day - delay_day + 1)
            .ok()
            .and_then(|n| day.checked_add_days(Days::new(n)))
        {
            later(switch);
        }
    }
    let rate = match s.rate_mode {
        RateMode::Fixed { rate_bp } => rate_bp,
        RateMode::KeyRate { .. } => {
            let on = piece.rate_date.unwrap_or(day);
            if piece.rate_date.is_none() {
                // Each day at its own rate: the next entry of the table changes it.
                let i = rates.entries.partition_point(|e| e.from <= day);
                if let Some(e) = rates.entries.get(i) {
                    later(e.from);
                }
            }
            let base = rates.rate_on(on).ok_or_else(|| no_rate(on))?;
            match &s.rate_cap {
                Some(c) => {
                    let capped = match c.scope {
                        CapScope::RateDate => c.from <= piece.cap_date && piece.cap_date <= c.to,
                        CapScope::AccrualDays => {
                            later(c.from);
                            if let Some(after) = c.to.succ_opt() {
                                later(after);
                            }
                            c.from <= day && day <= c.to
                        }
                    };
                    if capped {
                        base.min(c.cap_bp)
                    } else {
                        base
                    }
                }
                None => base,
            }
        }
    };
    for m in &s.moratoria {
        later(m.from);
        if let Some(after) = m.to.succ_opt() {
            later(after);
        }
    }
    let moratorium = s.moratoria.iter().find(|m| m.covers(day, arose));
    Ok(((balance, share, rate, moratorium), next))
}

/// The last day of delay at the first share: `share_300_until_day`, or never for a capital
/// repair debt when the settings say so (ЖК ст. 155 ч. 14.1).
fn switch_day(debt: &Debt, s: &PenaltySettings) -> i64 {
    if debt.kind == DebtKind::CapitalRepair && s.capital_repair.first_share_only {
        i64::MAX
    } else {
        i64::from(s.share_300_until_day)
    }
}

/// Stretches of days with one key: jumps from one possible change to the next instead of
/// walking every day (a debt unpaid for years is a handful of steps), and merges neighbours
/// whose key did not change after all — the same runs as a day-by-day walk.
fn segment_runs<'m>(
    piece: &Piece,
    last_day: NaiveDate,
    s: &'m PenaltySettings,
    rates: &KeyRateTable,
    arose: NaiveDate,
) -> Result<Vec<Run<'m>>, ValidationErrors> {
    let mut runs: Vec<Run<'m>> = Vec::new();
    let mut day = piece.debt.due_date + Days::new(u64::from(s.grace_days) + 1);
    let mut bal_idx = 0;
    while day <= last_day {
        while bal_idx + 1 < piece.balances.len() && piece.balances[bal_idx + 1].0 <= day {
            bal_idx += 1;
        }
        if piece.balances[bal_idx].1 == 0 {
            break; // balances only go down
        }
        let (key, next) = key_at(piece, bal_idx, day, s, rates, arose)?;
        let to = match next.and_then(|n| n.pred_opt()) {
            Some(n) if n < last_day => n,
            _ => last_day,
        };
        match runs.last_mut() {
            Some((_, end, k)) if *k == key => *end = to,
            _ => runs.push((day, to, key)),
        }
        match to.succ_opt() {
            Some(n) => day = n,
            None => break,
        }
    }
    Ok(runs)
}

/// The rows of one piece with their exact amounts (penalty_kopecks still 0).
fn piece_rows(
    piece: &Piece,
    last_day: NaiveDate,
    s: &PenaltySettings,
    rates: &KeyRateTable,
) -> Result<Vec<(PenaltyRow, Ratio)>, ValidationErrors> {
    let debt = piece.debt;
    let arose = debt.arose_on.unwrap_or(debt.due_date);
    let runs = segment_runs(piece, last_day, s, rates, arose)?;
    Ok(runs
        .into_iter()
        .map(|(from, to, (balance, share, rate, moratorium))| {
            let days = (to - from).num_days() + 1;
            let exact = run_exact(from, to, (balance, share, rate, moratorium));
            let formula = match moratorium {
                Some(m) => format!("мораторий: {}", m.source),
                None => format!(
                    "{} × {days} × 1/{share} × {}",
                    format_amount(balance),
                    format_rate(rate)
                ),
            };
            let row = PenaltyRow {
                period: debt.period.clone(),
                debt_kopecks: balance,
                from,
                to,
                days,
                share,
                rate_bp: rate,
                formula,
                penalty_kopecks: 0,
                moratorium: moratorium.map(|m| m.source.clone()),
            };
            (row, exact)
        })
        .collect())
}

#[cfg(test)]
mod segment_tests {
    //! `segment_runs` must give exactly the runs of the original day-by-day walk.

    use super::*;
    use proptest::prelude::*;

    /// The walk `segment_runs` replaced, kept as the reference.
    fn daily_runs<'m>(
        piece: &Piece,
        last_day: NaiveDate,
        s: &'m PenaltySettings,
        rates: &KeyRateTable,
        arose: NaiveDate,
    ) -> Result<Vec<Run<'m>>, ValidationErrors> {
        let mut runs: Vec<Run<'m>> = Vec::new();
        let mut day = piece.debt.due_date + Days::new(u64::from(s.grace_days) + 1);
        let mut delay_day = i64::from(s.grace_days) + 1;
        let mut bal_idx = 0;
        while day <= last_day {
            while bal_idx + 1 < piece.balances.len() && piece.balances[bal_idx + 1].0 <= day {
                bal_idx += 1;
            }
            let balance = piece.balances[bal_idx].1;
            if balance == 0 {
                break;
            }
            let share = if delay_day <= switch_day(piece.debt, s) {
                s.first_share
            } else {
                s.second_share
            };
            let rate = match s.rate_mode {
                RateMode::Fixed { rate_bp } => rate_bp,
                RateMode::KeyRate { .. } => {
                    let on = piece.rate_date.unwrap_or(day);
                    let base = rates.rate_on(on).ok_or_else(|| no_rate(on))?;
                    let capped_on = |x: NaiveDate| {
                        s.rate_cap
                            .as_ref()
                            .is_some_and(|c| c.from <= x && x <= c.to)
                    };
                    let capped = match s.rate_cap.as_ref().map(|c| c.scope) {
                        Some(CapScope::RateDate) => capped_on(piece.cap_date),
                        Some(CapScope::AccrualDays) => capped_on(day),
                        None => false,
                    };
                    match &s.rate_cap {
                        Some(c) if capped => base.min(c.cap_bp),
                        _ => base,
                    }
                }
            };
            let moratorium = s.moratoria.iter().find(|m| m.covers(day, arose));
            let key = (balance, share, rate, moratorium);
            match runs.last_mut() {
                Some((_, to, k)) if *k == key => *to = day,
                _ => runs.push((day, day, key)),
            }
            match day.succ_opt() {
                Some(next) => day = next,
                None => break,
            }
            delay_day += 1;
        }
        Ok(runs)
    }

    fn at(offset: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2014, 6, 1).unwrap() + Days::new(u64::from(offset))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]
        #[test]
        fn same_runs_as_the_daily_walk(
            due in 0u32..4_000,
            steps in prop::collection::vec((1u32..900, 1i64..50_000), 0..4),
            amount in 50_000i64..10_000_000,
            span in 0u32..3_000,
            rate_date in prop::option::of(0u32..4_500),
            mode in 0u8..3,
            arose_back in 0u32..400,
            by_days: bool,
            capital: bool,
        ) {
            let debt = Debt {
                period: "p".into(),
                amount_kopecks: amount,
                due_date: at(due),
                arose_on: None,
                kind: if capital { DebtKind::CapitalRepair } else { DebtKind::Utility },
            };
            let mut balances = vec![(NaiveDate::MIN, amount)];
            let mut left = amount;
            let mut when = at(due);
            for (gap, part) in steps {
                when = when + Days::new(u64::from(gap));
                left = (left - part).max(0);
                balances.push((when, left));
            }
            let cap_date = rate_date.map_or(at(due + span), at);
            let piece = Piece { debt: &debt, balances, rate_date: rate_date.map(at), cap_date };
            let mut s = PenaltySettings {
                rate_mode: match mode {
                    0 => RateMode::Fixed { rate_bp: 950 },
                    1 => RateMode::KeyRate { on: RateDate::EachDay },
                    _ => RateMode::KeyRate { on: RateDate::PaymentOrCalcDate },
                },
                ..PenaltySettings::default()
            };
            if let (true, Some(c)) = (by_days, s.rate_cap.as_mut()) {
                c.scope = CapScope::AccrualDays;
            }
            let rates = KeyRateTable::default();
            let last = at(due + span);
            let arose = at(due).checked_sub_days(Days::new(u64::from(arose_back))).unwrap();
            let a = segment_runs(&piece, last, &s, &rates, arose);
            let b = daily_runs(&piece, last, &s, &rates, arose);
            prop_assert_eq!(a, b);
        }
    }
}

#[cfg(test)]
mod allocate_tests {
    //! `allocate` must split payments exactly as the plain walk it replaced.

    use super::*;
    use proptest::prelude::*;

    /// The walk `allocate` replaced, kept as the reference: each payment goes to the debts
    /// of its named period, then to every debt oldest first.
    fn plain(
        debts: &[Debt],
        payments: &[Payment],
        last_day: NaiveDate,
    ) -> (Vec<Vec<(NaiveDate, i64)>>, i64) {
        let mut left: Vec<i64> = debts.iter().map(|d| d.amount_kopecks).collect();
        let mut out = vec![Vec::new(); debts.len()];
        let mut oldest: Vec<usize> = (0..debts.len()).collect();
        oldest.sort_by_key(|&i| (debts[i].due_date, i));
        let mut pays: Vec<&Payment> = payments.iter().filter(|p| p.date <= last_day).collect();
        pays.sort_by_key(|p| p.date);
        let mut unallocated = 0;
        for p in pays {
            let mut money = p.amount_kopecks;
            let named = oldest
                .iter()
                .filter(|&&i| p.period.as_deref() == Some(debts[i].period.as_str()));
            for &i in named.chain(oldest.iter()) {
                let take = money.min(left[i]);
                if take > 0 {
                    left[i] -= take;
                    money -= take;
                    out[i].push((p.date, take));
                }
            }
            unallocated += money;
        }
        (out, unallocated)
    }

    fn at(offset: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2020, 1, 1).unwrap() + Days::new(u64::from(offset))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn same_split_as_the_plain_walk(
            // Few labels, so periods repeat and several debts share one due date.
            debts in prop::collection::vec((1i64..100_000, 0u32..400, 0usize..4), 0..8),
            payments in prop::collection::vec(
                (0u32..600, 1i64..150_000, prop::option::of(0usize..5)), 0..12),
            last in 0u32..700,
        ) {
            let debts: Vec<Debt> = debts
                .into_iter()
                .map(|(kop, due, label)| Debt {
                    period: format!("p{label}"),
                    amount_kopecks: kop,
                    due_date: at(due),
                    arose_on: None,
                    kind: DebtKind::Utility,
                })
                .collect();
            let payments: Vec<Payment> = payments
                .into_iter()
                .map(|(day, kop, label)| Payment {
                    date: at(day),
                    amount_kopecks: kop,
                    period: label.map(|l| format!("p{l}")),
                })
                .collect();
            prop_assert_eq!(
                allocate(&debts, &payments, at(last)),
                plain(&debts, &payments, at(last))
            );
        }
    }
}
