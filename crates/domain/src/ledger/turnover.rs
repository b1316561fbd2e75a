//! The turnover sheet (оборотно-сальдовая ведомость) of one account over a range of
//! periods; a building or the company is the sum of its accounts.

use serde::Serialize;

use super::{Entry, EntryKind, Period};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Turnover {
    /// Debt before the first period (negative: advance).
    pub opening: i64,
    pub charged: i64,
    pub recalculated: i64,
    pub penalties: i64,
    /// Payments less reversals.
    pub paid: i64,
    pub closing: i64,
}

impl Turnover {
    /// Adds another account's figures (building and company totals).
    pub fn add(&mut self, o: &Turnover) {
        self.opening += o.opening;
        self.charged += o.charged;
        self.recalculated += o.recalculated;
        self.penalties += o.penalties;
        self.paid += o.paid;
        self.closing += o.closing;
    }
}

/// Figures for periods `from..=to`, by the period each entry is booked in.
pub fn turnover(entries: &[Entry], from: Period, to: Period) -> Turnover {
    let mut t = Turnover::default();
    for e in entries {
        if e.period < from {
            t.opening += e.debt_effect();
            continue;
        }
        if e.period > to {
            continue;
        }
        match e.kind {
            EntryKind::Opening | EntryKind::Charge => t.charged += e.amount,
            EntryKind::Recalculation => t.recalculated += e.amount,
            EntryKind::Penalty => t.penalties += e.amount,
            EntryKind::Payment => t.paid += e.amount,
            EntryKind::Reversal => t.paid -= e.amount,
        }
    }
    t.closing = t.opening + t.charged + t.recalculated + t.penalties - t.paid;
    t
}
