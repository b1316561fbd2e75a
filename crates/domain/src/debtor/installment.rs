//! Installment plans (рассрочка): a schedule of equal parts, and which parts are paid, due
//! or missed given the payments made under the plan.

use chrono::{Months, NaiveDate};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Installment {
    pub due: NaiveDate,
    /// Kopecks.
    pub amount: i64,
}

/// `total` in `parts` monthly parts, the first due on `first_due`, then the same day of
/// each following month (the month's last day when shorter). Kopecks that do not divide go
/// to the first part, so every later part is the same.
pub fn installment_schedule(total: i64, parts: u32, first_due: NaiveDate) -> Vec<Installment> {
    if parts == 0 || total <= 0 {
        return Vec::new();
    }
    let n = i64::from(parts);
    let base = total / n;
    let first = total - base * (n - 1);
    (0..parts)
        .map(|i| Installment {
            due: add_months(first_due, i),
            amount: if i == 0 { first } else { base },
        })
        .collect()
}

fn add_months(d: NaiveDate, months: u32) -> NaiveDate {
    // checked_add_months clamps to the month's end (31 Jan + 1 → 28/29 Feb).
    d.checked_add_months(Months::new(months)).unwrap_or(d)
}

/// One part of a plan as of a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct InstallmentState {
    pub due: NaiveDate,
    pub amount: i64,
    pub paid: i64,
    /// Due date passed and not fully paid.
    pub missed: bool,
}

/// Applies the plan's payments (date, kopecks) to the parts in order, as of `today`.
pub fn track_installments(
    schedule: &[Installment],
    payments: &[(NaiveDate, i64)],
    today: NaiveDate,
) -> Vec<InstallmentState> {
    let mut pool: i64 = payments
        .iter()
        .filter(|(d, _)| *d <= today)
        .map(|(_, a)| *a)
        .sum();
    schedule
        .iter()
        .map(|i| {
            let paid = pool.clamp(0, i.amount);
            pool -= paid;
            InstallmentState {
                due: i.due,
                amount: i.amount,
                paid,
                missed: i.due < today && paid < i.amount,
            }
        })
        .collect()
}
