//! Charges and payments of the demo company over the last 36 months: the maintenance fee
//! (area × tariff, so every charge can be explained) and the payments of believable payers —
//! most pay each month before the due date, about 10 % pay months late, about 3 % are
//! chronic debtors who pay now and then. Deterministic per account number and seed.

use abonent_domain::ledger::{Entry, EntryKind, Period};
use chrono::{Datelike, NaiveDate};
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};

use crate::AS_OF;

/// Months of history the demo ledger covers, ending with the month of [`AS_OF`].
pub const LEDGER_MONTHS: i32 = 36;

/// The first period of the demo ledger.
pub fn first_period() -> Period {
    Period::of(AS_OF).plus(-(LEDGER_MONTHS - 1))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Payer {
    /// Pays each month's charge in full, usually before the due date.
    Regular,
    /// Pays each month, one to three months late.
    Late,
    /// Pays part of the debt now and then.
    Chronic,
}

/// One generated ledger line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoEntry {
    pub kind: EntryKind,
    pub period: Period,
    pub service: Option<&'static str>,
    pub amount: i64,
    pub date: NaiveDate,
    pub paid_period: Option<Period>,
    /// Area in m² (`54.30`) for the maintenance fee.
    pub volume: Option<String>,
    /// Rubles per m² (`32.50`).
    pub tariff: Option<String>,
    pub reason: Option<&'static str>,
}

/// Maintenance tariff in kopecks per m² for a period: 32,50 ₽ before July 2024, indexed by
/// 6 % each July (as councils usually set it).
pub fn tariff(p: Period) -> i64 {
    let mut t = 3_250i64;
    let mut year = 2024;
    while Period::new(year, 7).is_some_and(|july| july <= p) {
        t = (t * 106 + 50) / 100;
        year += 1;
    }
    t
}

fn decimal(v: i64) -> String {
    format!("{}.{:02}", v / 100, v % 100)
}

fn day_in(p: Period, day: u32) -> NaiveDate {
    let last = crate::ledger::period_last_day(p);
    NaiveDate::from_ymd_opt(p.year, p.month, day.min(last)).unwrap_or_else(|| p.first_day())
}

pub(crate) fn period_last_day(p: Period) -> u32 {
    p.next().first_day().pred_opt().map_or(28, |d| d.day())
}

/// Who the account holder is as a payer: chosen from the account number and seed.
pub fn payer(seed: u64, number: &str) -> Payer {
    let mut rng = rng_for(seed, number);
    let r: f64 = rng.gen();
    if r < 0.03 {
        Payer::Chronic
    } else if r < 0.13 {
        Payer::Late
    } else {
        Payer::Regular
    }
}

fn rng_for(seed: u64, number: &str) -> SmallRng {
    let n = number.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    SmallRng::seed_from_u64(seed ^ n)
}

/// The ledger of one account from its opening (or the first period) to [`AS_OF`].
pub fn account_ledger(
    seed: u64,
    number: &str,
    area_centi: i64,
    opened_on: NaiveDate,
) -> (Payer, Vec<DemoEntry>) {
    let who = payer(seed, number);
    let mut rng = rng_for(seed, number);
    let _: f64 = rng.gen(); // the draw `payer` used
    let start = first_period().max(Period::of(opened_on));
    let end = Period::of(AS_OF);
    let mut out = Vec::with_capacity(80);
    let mut owed = 0i64;
    let mut p = start;
    while p <= end {
        let t = tariff(p);
        let amount = (area_centi * t + 50) / 100;
        out.push(DemoEntry {
            kind: EntryKind::Charge,
            period: p,
            service: Some("maintenance"),
            amount,
            date: day_in(p, 31),
            paid_period: None,
            volume: Some(decimal(area_centi)),
            tariff: Some(decimal(t)),
            reason: None,
        });
        let mut due = amount;
        if rng.gen_bool(0.005) {
            let back = -(amount / 10);
            due += back;
            out.push(DemoEntry {
                kind: EntryKind::Recalculation,
                period: p,
                service: Some("maintenance"),
                amount: back,
                date: day_in(p, 31),
                paid_period: None,
                volume: None,
                tariff: None,
                reason: Some("Уборка подъезда не проводилась: снижение платы на 10 %"),
            });
        }
        owed += due;
        // This month's charge is paid next month, or later.
        let pay = match who {
            Payer::Regular => {
                if rng.gen_bool(0.05) {
                    None // skipped: paid with the next one
                } else {
                    Some((p.next(), rng.gen_range(1..=20), owed, Some(p)))
                }
            }
            Payer::Late => {
                let lag = rng.gen_range(2..=4);
                Some((
                    p.plus(lag),
                    rng.gen_range(1..=28),
                    due,
                    rng.gen_bool(0.5).then_some(p),
                ))
            }
            Payer::Chronic => rng.gen_bool(0.25).then(|| {
                let part = due * rng.gen_range(50..=150) / 100;
                (p.next(), rng.gen_range(1..=28), part, None)
            }),
        };
        if let Some((when, day, sum, named)) = pay {
            let date = day_in(when, day);
            if date <= AS_OF && sum > 0 {
                out.push(DemoEntry {
                    kind: EntryKind::Payment,
                    period: when,
                    service: None,
                    amount: sum,
                    date,
                    paid_period: named,
                    volume: None,
                    tariff: None,
                    reason: None,
                });
                if who == Payer::Regular {
                    owed = 0;
                }
            }
        }
        p = p.next();
    }
    out.sort_by_key(|e| (e.date, e.kind != EntryKind::Charge));
    (who, out)
}

/// The lines as the domain sees them (ids are positions), for debt figures.
pub fn as_entries(lines: &[DemoEntry]) -> Vec<Entry> {
    lines
        .iter()
        .enumerate()
        .map(|(i, e)| Entry {
            id: i as i64 + 1,
            kind: e.kind,
            period: e.period,
            service: e.service.map(str::to_string),
            amount: e.amount,
            date: e.date,
            paid_period: e.paid_period,
            reverses: None,
            for_penalties: false,
        })
        .collect()
}

/// The register of the maintenance fee's tariffs over the demo ledger's months, each from
/// the owners' meeting of its year: the same prices [`tariff`] charged, so «почему такая
/// сумма» explains every demo charge as area × tariff.
pub fn maintenance_tariffs() -> Vec<abonent_domain::tariff::Tariff> {
    use abonent_domain::tariff::{Tariff, Unit};
    let end = Period::of(AS_OF);
    let mut out: Vec<Tariff> = Vec::new();
    let mut p = first_period();
    while p <= end {
        let kopecks = tariff(p);
        if out.last().is_none_or(|t| t.price != kopecks * 100) {
            out.push(Tariff {
                service: "maintenance".into(),
                group: None,
                zone: None,
                from: p.first_day(),
                to: None,
                price: kopecks * 100,
                unit: Unit::SquareMeter,
                basis: format!(
                    "Протокол общего собрания собственников от 15.06.{} № {} (демонстрационный)",
                    p.year,
                    p.year - 2020
                ),
            });
        }
        p = p.next();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use abonent_domain::ledger::{allocate, AllocationRule};

    #[test]
    fn tariff_is_indexed_each_july() {
        assert_eq!(tariff(Period::new(2024, 6).unwrap()), 3250);
        assert_eq!(tariff(Period::new(2024, 7).unwrap()), 3445);
        assert_eq!(tariff(Period::new(2026, 7).unwrap()), 3871);
    }

    #[test]
    fn payers_behave() {
        let mut debts = [0i64; 3];
        let mut counts = [0usize; 3];
        for n in 100_001..103_001u32 {
            let (who, lines) = account_ledger(
                1,
                &n.to_string(),
                5_430,
                NaiveDate::from_ymd_opt(2010, 1, 1).unwrap(),
            );
            assert!(lines.iter().all(|e| e.date <= AS_OF));
            assert_eq!(
                lines.iter().filter(|e| e.kind == EntryKind::Charge).count(),
                36
            );
            let out = allocate(
                &as_entries(&lines),
                AS_OF,
                AllocationRule::NamedPeriodThenOldest,
            );
            let k = who as usize;
            counts[k] += 1;
            debts[k] += out.debt();
        }
        // About 87 / 10 / 3 %.
        assert!((2_450..2_750).contains(&counts[0]), "{counts:?}");
        assert!((220..380).contains(&counts[1]), "{counts:?}");
        assert!((50..140).contains(&counts[2]), "{counts:?}");
        let avg = |k: usize| debts[k] / counts[k] as i64;
        // A regular payer owes about this month's charge; a chronic one many months.
        assert!(avg(0) < 300_000, "{}", avg(0));
        assert!(avg(2) > 10 * avg(0), "{} vs {}", avg(2), avg(0));
        assert!(avg(1) > avg(0));
    }

    #[test]
    fn deterministic() {
        let d = NaiveDate::from_ymd_opt(2025, 3, 15).unwrap();
        assert_eq!(
            account_ledger(5, "100777", 4_000, d),
            account_ledger(5, "100777", 4_000, d)
        );
        let (_, lines) = account_ledger(5, "100777", 4_000, d);
        assert_eq!(lines[0].period, Period::new(2025, 3).unwrap());
        assert_ne!(account_ledger(6, "100777", 4_000, d).1, lines);
    }
}
