//! What a payment document asks for (ПП 354 п. 69): the services of its month with their
//! charge, recalculation, what of it is paid and what is due; the debt of the other periods
//! as one line naming them; the penalties owed; an advance that lowers the total. Figures
//! come from the allocation of payments ([`super::allocate_with`]), so the total equals the
//! balance: paying it leaves the account at zero.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::{Entry, EntryKind, Outstanding, Period};

/// One service of the month.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BillLine {
    pub service: Option<String>,
    /// Charges (and an opening balance) of the month for the service.
    pub charged: i64,
    pub recalculated: i64,
    /// Of `charged + recalculated`, what payments have already paid.
    pub paid: i64,
    pub due: i64,
}

/// A payment document's figures, kopecks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bill {
    pub period: Period,
    pub lines: Vec<BillLine>,
    /// Debt of the other periods and the first and last of them.
    pub other_debt: i64,
    pub other_from: Option<Period>,
    pub other_to: Option<Period>,
    pub penalties: i64,
    pub advance: i64,
}

impl Bill {
    /// What the document asks to pay.
    pub fn total(&self) -> i64 {
        self.lines.iter().map(|l| l.due).sum::<i64>() + self.other_debt + self.penalties
            - self.advance
    }
}

/// The bill of `period` from the entries dated up to `as_of`, after allocation `out`;
/// `penalties` is the penalty owed, as the caller reckons it.
pub fn bill(
    entries: &[Entry],
    out: &Outstanding,
    period: Period,
    as_of: NaiveDate,
    penalties: i64,
) -> Bill {
    let mut month: BTreeMap<Option<String>, (i64, i64)> = BTreeMap::new();
    for e in entries
        .iter()
        .filter(|e| e.period == period && e.date <= as_of)
    {
        let slot = || (0, 0);
        match e.kind {
            EntryKind::Charge | EntryKind::Opening => {
                month.entry(e.service.clone()).or_insert_with(slot).0 += e.amount
            }
            EntryKind::Recalculation => {
                month.entry(e.service.clone()).or_insert_with(slot).1 += e.amount
            }
            _ => {}
        }
    }
    let lines = month
        .into_iter()
        .map(|(service, (charged, recalculated))| {
            let due = out
                .lines
                .iter()
                .find(|l| l.period == period && l.service == service)
                .map_or(0, |l| l.remaining().max(0));
            BillLine {
                paid: (charged + recalculated - due).max(0),
                service,
                charged,
                recalculated,
                due,
            }
        })
        .collect();
    let other: Vec<_> = out
        .lines
        .iter()
        .filter(|l| l.period != period && l.remaining() > 0)
        .collect();
    Bill {
        period,
        lines,
        other_debt: other.iter().map(|l| l.remaining()).sum(),
        other_from: other.iter().map(|l| l.period).min(),
        other_to: other.iter().map(|l| l.period).max(),
        penalties: penalties.max(0),
        advance: out.advance.max(0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::{allocate, AllocationRule};

    fn entry(id: i64, kind: EntryKind, period: &str, service: Option<&str>, amount: i64) -> Entry {
        let period = Period::parse(period).unwrap();
        Entry {
            id,
            kind,
            period,
            service: service.map(str::to_string),
            amount,
            date: period.first_day(),
            paid_period: None,
            reverses: None,
            for_penalties: false,
        }
    }

    #[test]
    fn month_lines_other_debt_and_penalties_add_up_to_the_balance() {
        let entries = vec![
            entry(1, EntryKind::Charge, "2024-09", Some("heating"), 100_000),
            entry(2, EntryKind::Charge, "2026-10", Some("heating"), 50_000),
            entry(3, EntryKind::Charge, "2026-11", Some("heating"), 70_000),
            entry(
                4,
                EntryKind::Recalculation,
                "2026-11",
                Some("heating"),
                -5_000,
            ),
            entry(5, EntryKind::Charge, "2026-11", Some("waste"), 20_000),
            entry(6, EntryKind::Payment, "2026-11", None, 30_000),
        ];
        let as_of = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let out = allocate(&entries, as_of, AllocationRule::NamedPeriodThenOldest);
        let b = bill(
            &entries,
            &out,
            Period::parse("2026-11").unwrap(),
            as_of,
            1_234,
        );
        assert_eq!(b.lines.len(), 2);
        assert_eq!(
            (b.lines[0].charged, b.lines[0].recalculated, b.lines[0].due),
            (70_000, -5_000, 65_000)
        );
        // The payment went to the oldest debt: September 2024 keeps 70 000 of 100 000.
        assert_eq!(b.other_debt, 70_000 + 50_000);
        assert_eq!(b.other_from, Period::parse("2024-09"));
        assert_eq!(b.other_to, Period::parse("2026-10"));
        assert_eq!(b.total(), 65_000 + 20_000 + 120_000 + 1_234);
    }
}
