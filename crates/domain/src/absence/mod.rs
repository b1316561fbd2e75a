//! Recalculation for a resident's temporary absence (ПП 354, раздел VIII; regulations.md §5):
//! who qualifies, for which services, and how much of each month's charge comes off.
//!
//! The numbers (more than 5 full days, 30 days to apply after return, 5 working days to
//! decide) are data ([`AbsenceRules`], `data/absence_rules.json`), as laws change.

#[cfg(test)]
mod tests;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::calendar::WorkCalendar;
use crate::error::ValidationErrors;
use crate::penalty::Confidence;
use crate::quality::Service;

pub const DEFAULT_ABSENCE_RULES_JSON: &str = include_str!("../../data/absence_rules.json");

/// The numbers of the rules, with their source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AbsenceRules {
    #[serde(default)]
    pub description: String,
    /// Fewest full days of absence that qualify («более 5 полных календарных суток»: 6).
    pub min_full_days: u32,
    /// Calendar days after the day of return to apply.
    pub window_days: u32,
    /// Working days to decide after the application.
    pub decision_working_days: u32,
    pub source: String,
    pub confidence: Confidence,
}

impl Default for AbsenceRules {
    fn default() -> Self {
        serde_json::from_str(DEFAULT_ABSENCE_RULES_JSON)
            .expect("embedded absence_rules.json is valid")
    }
}

/// A resident's application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Absence {
    /// The day of leaving (not counted).
    pub left_on: NaiveDate,
    /// The day of return (not counted).
    pub returned_on: NaiveDate,
    /// The day the application was received.
    pub applied_on: NaiveDate,
}

/// One month's charge for one service of the account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChargeLine {
    /// `None` for what is never recalculated for absence: the maintenance fee, common
    /// property (ОДН), capital repair.
    pub service: Option<Service>,
    /// The first day of the billing month.
    pub month: NaiveDate,
    pub charge_kopecks: i64,
    /// An individual meter measures this service.
    #[serde(default)]
    pub metered: bool,
    /// An act states that a meter cannot be installed.
    #[serde(default)]
    pub meter_impossible_act: bool,
    /// Gas used for heating the premises (recalculated as heating is: not at all).
    #[serde(default)]
    pub gas_for_heating: bool,
}

/// What happens to one charge line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum LineOutcome {
    Recalculated {
        absent_days: u32,
        days_in_month: u32,
        kopecks: i64,
    },
    NotRecalculated {
        reason: String,
    },
}

/// The decision on an application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Assessment {
    /// Full days away, the days of leaving and return excluded.
    pub full_days: u32,
    /// The last day to decide.
    pub decide_by: NaiveDate,
    /// Why the whole application is refused, if it is.
    pub refusal: Option<String>,
    /// Per line given, in order; empty when refused.
    pub lines: Vec<(ChargeLine, LineOutcome)>,
    pub total_kopecks: i64,
}

/// Full days between leaving and return, both excluded.
pub fn full_days(left_on: NaiveDate, returned_on: NaiveDate) -> u32 {
    u32::try_from((returned_on - left_on).num_days() - 1).unwrap_or(0)
}

/// Assess an application against the account's charges.
pub fn assess(
    rules: &AbsenceRules,
    calendar: &WorkCalendar,
    a: &Absence,
    charges: &[ChargeLine],
) -> Result<Assessment, ValidationErrors> {
    if a.returned_on <= a.left_on {
        return Err(ValidationErrors::single(
            "returned_on",
            format!(
                "Дата возвращения {} должна быть позже даты выбытия {}",
                a.returned_on.format("%d.%m.%Y"),
                a.left_on.format("%d.%m.%Y")
            ),
        ));
    }
    let days = full_days(a.left_on, a.returned_on);
    let last_day = a.returned_on + chrono::Days::new(u64::from(rules.window_days));
    let refusal = if days < rules.min_full_days {
        Some(format!(
            "Отсутствие {days} полн. суток: перерасчёт делается, если потребитель отсутствовал \
             не менее {} полных суток подряд, не считая дней выбытия и прибытия ({})",
            rules.min_full_days, rules.source
        ))
    } else if a.applied_on > last_day {
        Some(format!(
            "Заявление подано {}, а подать его нужно было не позднее {} — {} после \
             возвращения ({})",
            a.applied_on.format("%d.%m.%Y"),
            last_day.format("%d.%m.%Y"),
            crate::money::counted(i64::from(rules.window_days), ["день", "дня", "дней"]),
            rules.source
        ))
    } else {
        None
    };
    let mut lines = Vec::new();
    let mut total = 0;
    if refusal.is_none() {
        for line in charges {
            let outcome = line_outcome(a, line);
            if let LineOutcome::Recalculated { kopecks, .. } = outcome {
                total += kopecks;
            }
            lines.push((*line, outcome));
        }
    }
    Ok(Assessment {
        full_days: days,
        decide_by: calendar.add_working_days(a.applied_on, rules.decision_working_days),
        refusal,
        lines,
        total_kopecks: total,
    })
}

fn line_outcome(a: &Absence, line: &ChargeLine) -> LineOutcome {
    let not = |reason: &str| LineOutcome::NotRecalculated {
        reason: reason.to_string(),
    };
    match line.service {
        None => return not("Плата за содержание, общедомовые нужды и капитальный ремонт при временном отсутствии не пересчитывается"),
        Some(Service::Heating) => return not("Отопление при временном отсутствии не пересчитывается"),
        Some(Service::Gas) if line.gas_for_heating => {
            return not("Газ на отопление при временном отсутствии не пересчитывается")
        }
        Some(Service::Waste) => {}
        Some(_) if line.metered => {
            return not("Услуга учитывается прибором учёта: плата и так по показаниям")
        }
        Some(_) if !line.meter_impossible_act => {
            return not("Нет акта об отсутствии технической возможности установить прибор учёта")
        }
        Some(_) => {}
    }
    let days_in_month = days_in_month(line.month);
    let absent_days = absent_days_in_month(a, line.month);
    let kopecks = if line.charge_kopecks <= 0 || absent_days == 0 {
        0
    } else {
        let share = i128::from(line.charge_kopecks) * i128::from(absent_days);
        let days = i128::from(days_in_month);
        ((share * 2 + days) / (days * 2)) as i64
    };
    LineOutcome::Recalculated {
        absent_days,
        days_in_month,
        kopecks,
    }
}

fn first_of(month: NaiveDate) -> NaiveDate {
    month.with_day(1).expect("day 1 exists")
}

fn days_in_month(month: NaiveDate) -> u32 {
    let first = first_of(month);
    let next = first + chrono::Months::new(1);
    (next - first).num_days() as u32
}

/// Days of `month` strictly between leaving and return.
fn absent_days_in_month(a: &Absence, month: NaiveDate) -> u32 {
    let first = first_of(month);
    let next = first + chrono::Months::new(1);
    let from = (a.left_on + chrono::Days::new(1)).max(first);
    let to = a.returned_on.min(next);
    u32::try_from((to - from).num_days()).unwrap_or(0)
}
