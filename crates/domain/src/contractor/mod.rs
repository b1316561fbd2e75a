//! Contracts with contractors (договор подряда) as rules: whether a contract in force covers
//! a building and a work type, the deadline of a work order from the contract's times per
//! priority, the contractual penalty of a claim, and the lines of an act of completed work
//! priced by the contract.

#[cfg(test)]
mod tests;

use chrono::{Duration, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use crate::appeal::Priority;
use crate::error::ValidationErrors;
use crate::money::format_rub;

/// A price of the contract for a work type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceItem {
    pub work_type: String,
    /// «м²», «шт.», «час».
    pub unit: String,
    pub price_kopecks: i64,
}

/// Response and completion times for a priority, in hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Times {
    pub priority: Priority,
    pub response_hours: u32,
    pub completion_hours: u32,
}

/// The penalty clause of a contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PenaltyClause {
    /// A share of the order's price per day of delay, basis points (0,1 % = 10).
    PercentPerDay { bp: u32 },
    /// A fixed sum per day of delay.
    FixedPerDay { kopecks: i64 },
    /// A fixed sum per violation found (poor quality, not per day).
    PerViolation { kopecks: i64 },
}

/// What the rules need of a contract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContractTerms {
    pub number: String,
    pub from: NaiveDate,
    /// The last day in force; `None` for an open-ended contract.
    pub to: Option<NaiveDate>,
    /// Buildings covered (ids); empty means every building of the organization.
    pub buildings: Vec<i64>,
    /// Work types covered (codes of the category tree); empty means any.
    pub work_types: Vec<String>,
    pub prices: Vec<PriceItem>,
    pub times: Vec<Times>,
    pub penalty: Option<PenaltyClause>,
    /// The penalty of one claim is at most this share of the order's price, basis points.
    pub penalty_cap_bp: Option<u32>,
}

/// Why a contract does or does not cover an order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Coverage {
    Covered,
    NotInForce,
    BuildingNotCovered,
    WorkTypeNotCovered,
}

impl Coverage {
    /// The warning shown when assigning an order, or `None` when covered.
    pub fn warning(&self, contract: &ContractTerms) -> Option<String> {
        let n = &contract.number;
        match self {
            Coverage::Covered => None,
            Coverage::NotInForce => Some(format!("Договор № {n} на эту дату не действует")),
            Coverage::BuildingNotCovered => {
                Some(format!("Договор № {n} не распространяется на этот дом"))
            }
            Coverage::WorkTypeNotCovered => {
                Some(format!("Договор № {n} не включает этот вид работ"))
            }
        }
    }
}

impl ContractTerms {
    pub fn in_force(&self, day: NaiveDate) -> bool {
        self.from <= day && self.to.is_none_or(|to| day <= to)
    }

    pub fn covers(&self, building: i64, work_type: &str, day: NaiveDate) -> Coverage {
        if !self.in_force(day) {
            Coverage::NotInForce
        } else if !self.buildings.is_empty() && !self.buildings.contains(&building) {
            Coverage::BuildingNotCovered
        } else if !self.work_types.is_empty() && !self.work_types.iter().any(|w| w == work_type) {
            Coverage::WorkTypeNotCovered
        } else {
            Coverage::Covered
        }
    }

    /// Ends within `days` after `today` (still in force today).
    pub fn expiring(&self, today: NaiveDate, days: u32) -> bool {
        self.in_force(today)
            && self
                .to
                .is_some_and(|to| to <= today + chrono::Days::new(u64::from(days)))
    }

    /// When an order of `priority` issued at `issued` must be done, by the contract's times.
    pub fn order_deadline(
        &self,
        priority: Priority,
        issued: NaiveDateTime,
    ) -> Option<NaiveDateTime> {
        self.times
            .iter()
            .find(|t| t.priority == priority)
            .map(|t| issued + Duration::hours(i64::from(t.completion_hours)))
    }

    /// The contractual penalty of one order: days of delay (or violations) × the clause,
    /// at most the cap. Zero without a clause.
    pub fn claim_penalty(&self, order_price_kopecks: i64, delay_days: i64, violations: u32) -> i64 {
        let raw = match self.penalty {
            None => 0,
            Some(PenaltyClause::PercentPerDay { bp }) => {
                let p = i128::from(order_price_kopecks.max(0))
                    * i128::from(bp)
                    * i128::from(delay_days.max(0));
                ((p + 5_000) / 10_000) as i64
            }
            Some(PenaltyClause::FixedPerDay { kopecks }) => {
                kopecks.saturating_mul(delay_days.max(0))
            }
            Some(PenaltyClause::PerViolation { kopecks }) => {
                kopecks.saturating_mul(i64::from(violations))
            }
        };
        match self.penalty_cap_bp {
            Some(cap) => {
                let cap =
                    (i128::from(order_price_kopecks.max(0)) * i128::from(cap) / 10_000) as i64;
                raw.min(cap)
            }
            None => raw,
        }
    }
}

/// Whole days of delay: calendar days from the deadline's date to the day the work was done
/// (or `today` while it is not), none when done by the deadline.
pub fn delay_days(deadline: NaiveDateTime, done: Option<NaiveDateTime>, today: NaiveDate) -> i64 {
    match done {
        Some(at) if at <= deadline => 0,
        Some(at) => (at.date() - deadline.date()).num_days().max(1),
        None if today <= deadline.date() => 0,
        None => (today - deadline.date()).num_days(),
    }
}

/// A line of an act of completed work.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActLine {
    pub work_type: String,
    pub unit: String,
    /// Thousandths of the unit.
    pub quantity: i64,
    pub price_kopecks: i64,
    pub sum_kopecks: i64,
}

/// Price accepted work by the contract: quantity × price = sum for each line. A work type
/// without a price refuses the whole act, naming the line.
pub fn act_lines(
    contract: &ContractTerms,
    work: &[(String, i64)],
) -> Result<(Vec<ActLine>, i64), ValidationErrors> {
    let mut errors = ValidationErrors::new();
    let mut lines = Vec::new();
    for (i, (work_type, quantity)) in work.iter().enumerate() {
        match contract.prices.iter().find(|p| &p.work_type == work_type) {
            Some(p) => {
                let q = i128::from(*quantity) * i128::from(p.price_kopecks);
                lines.push(ActLine {
                    work_type: work_type.clone(),
                    unit: p.unit.clone(),
                    quantity: *quantity,
                    price_kopecks: p.price_kopecks,
                    sum_kopecks: ((q + 500 * q.signum()) / 1_000) as i64,
                });
            }
            None => errors.add(
                &format!("work[{i}].work_type"),
                format!(
                    "В договоре № {} нет цены на работу «{work_type}»: добавьте цену в договор или уберите работу из акта",
                    contract.number
                ),
            ),
        }
    }
    let total = lines.iter().map(|l| l.sum_kopecks).sum();
    errors.into_result((lines, total))
}

/// «0,1 % цены заказа за каждый день просрочки» — the clause as a claim states it.
pub fn clause_text(clause: &PenaltyClause) -> String {
    match clause {
        PenaltyClause::PercentPerDay { bp } => format!(
            "{},{:02} % цены заказа за каждый день просрочки",
            bp / 100,
            bp % 100
        ),
        PenaltyClause::FixedPerDay { kopecks } => {
            format!("{} за каждый день просрочки", format_rub(*kopecks))
        }
        PenaltyClause::PerViolation { kopecks } => {
            format!("{} за каждое нарушение", format_rub(*kopecks))
        }
    }
}
