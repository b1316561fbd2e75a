//! Rules of the monthly reports that need no database: the reporting period in the
//! organization's time zone and the periods compared with it, and plan against fact.

mod period;
mod plan;

#[cfg(test)]
mod tests;

pub use period::{PeriodKind, ReportPeriod, MAX_YEARS};
pub use plan::{ratio_bp, Direction, PlanFact, PlanMeasure};
