//! Plan against fact: the monthly targets an administrator sets and whether they were met.

use serde::{Deserialize, Serialize};

/// Which way is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// The fact meets the plan when at least the plan.
    AtLeast,
    /// The fact meets the plan when at most the plan.
    AtMost,
}

/// What a target measures, and in which unit its integers are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanMeasure {
    /// Paid ÷ charged, basis points (95,5 % = 9550).
    CollectionRate,
    /// Appeals done on time ÷ appeals done, basis points.
    OnTimeShare,
    /// Appeals open past their deadline at the end of the month, a count.
    OverdueAtMonthEnd,
    /// Debt at the start minus debt at the end, kopecks.
    DebtReduction,
    /// The mean rating, hundredths (4,25 = 425).
    AverageRating,
}

impl PlanMeasure {
    pub const ALL: [PlanMeasure; 5] = [
        PlanMeasure::CollectionRate,
        PlanMeasure::OnTimeShare,
        PlanMeasure::OverdueAtMonthEnd,
        PlanMeasure::DebtReduction,
        PlanMeasure::AverageRating,
    ];

    pub fn code(self) -> &'static str {
        match self {
            PlanMeasure::CollectionRate => "collection_rate",
            PlanMeasure::OnTimeShare => "on_time_share",
            PlanMeasure::OverdueAtMonthEnd => "overdue_at_month_end",
            PlanMeasure::DebtReduction => "debt_reduction",
            PlanMeasure::AverageRating => "average_rating",
        }
    }

    pub fn parse(code: &str) -> Option<PlanMeasure> {
        PlanMeasure::ALL.into_iter().find(|m| m.code() == code)
    }

    pub fn title(self) -> &'static str {
        match self {
            PlanMeasure::CollectionRate => "Собираемость платежей",
            PlanMeasure::OnTimeShare => "Обращения, выполненные в срок",
            PlanMeasure::OverdueAtMonthEnd => "Просроченные обращения на конец месяца",
            PlanMeasure::DebtReduction => "Снижение задолженности",
            PlanMeasure::AverageRating => "Средняя оценка жителей",
        }
    }

    pub fn direction(self) -> Direction {
        match self {
            PlanMeasure::OverdueAtMonthEnd => Direction::AtMost,
            _ => Direction::AtLeast,
        }
    }

    /// A value of this measure as people read it: «95,5 %», «12», «1 250,00 ₽», «4,25».
    pub fn format(self, value: i64) -> String {
        match self {
            PlanMeasure::CollectionRate | PlanMeasure::OnTimeShare => {
                format!("{} %", decimal(value, 100, 1))
            }
            PlanMeasure::OverdueAtMonthEnd => crate::money::format_count(value),
            PlanMeasure::DebtReduction => crate::money::Kopecks(value).to_string(),
            PlanMeasure::AverageRating => decimal(value, 100, 2),
        }
    }
}

/// `value / scale` with `places` decimals and a comma, rounded half away from zero.
fn decimal(value: i64, scale: i64, places: u32) -> String {
    let keep = 10i64.pow(places);
    let scaled = value * keep;
    let rounded = (scaled.abs() + scale / 2) / scale * scaled.signum();
    let whole = rounded / keep;
    let frac = (rounded % keep).abs();
    let sign = if rounded < 0 && whole == 0 { "-" } else { "" };
    format!("{sign}{whole},{frac:0width$}", width = places as usize)
}

/// One target of one month against what happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PlanFact {
    pub measure: PlanMeasure,
    pub plan: i64,
    /// `None` when there was nothing to measure (no charges, no appeals done).
    pub fact: Option<i64>,
}

impl PlanFact {
    /// Fact minus plan; positive is above the plan.
    pub fn deviation(&self) -> Option<i64> {
        self.fact.map(|f| f - self.plan)
    }

    /// Met, missed, or `None` when there is no fact.
    pub fn met(&self) -> Option<bool> {
        self.fact.map(|f| match self.measure.direction() {
            Direction::AtLeast => f >= self.plan,
            Direction::AtMost => f <= self.plan,
        })
    }
}

/// `part ÷ whole` in basis points, half up; `None` when `whole` is not positive.
pub fn ratio_bp(part: i64, whole: i64) -> Option<i64> {
    if whole <= 0 {
        return None;
    }
    let (p, w) = (i128::from(part), i128::from(whole));
    let twice = p * 20_000;
    Some(((twice + w * twice.signum()) / (2 * w)) as i64)
}
