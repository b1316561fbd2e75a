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
    /// The charge is per person registered (by a norm per person): only the absent persons'
    /// share comes off. `None`: the whole charge is theirs.
    #[serde(default)]
    pub persons: Option<PersonShare>,
}

/// Of the persons a charge is made for, how many were away.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonShare {
    pub absent: u32,
    /// The persons the charge is made for (registered in the premises); at least `absent`.
    pub counted: u32,
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

impl Assessment {
    /// The reason to refuse, from the rules: the whole application's, or — when nothing is
    /// left to recalculate — every line's own reason (e.g. a meter is installed).
    pub fn refusal_reason(&self) -> Option<String> {
        if let Some(r) = &self.refusal {
            return Some(r.clone());
        }
        if self.total_kopecks > 0 {
            return None;
        }
        let mut reasons: Vec<&str> = Vec::new();
        for (_, o) in &self.lines {
            if let LineOutcome::NotRecalculated { reason } = o {
                if !reasons.contains(&reason.as_str()) {
                    reasons.push(reason);
                }
            }
        }
        Some(if reasons.is_empty() {
            NOTHING_TO_RECALCULATE.to_string()
        } else {
            reasons.join("; ")
        })
    }
}

/// Refusal when the account has no charge for the months of the absence.
pub const NOTHING_TO_RECALCULATE: &str =
    "За месяцы отсутствия нет начислений по услугам, которые пересчитываются";

/// An application as typed, checked before anything is saved: the dates in order, not in
/// the future, long enough (an absence of 5 full days is refused at `returned_on`), the
/// reason, the documents and who was away given.
pub fn check_application(
    rules: &AbsenceRules,
    a: &Absence,
    today: NaiveDate,
    reason: &str,
    documents: &str,
    documents_received_on: NaiveDate,
    persons_absent: usize,
) -> Result<(), ValidationErrors> {
    let mut e = ValidationErrors::default();
    if a.returned_on <= a.left_on {
        e.add(
            "returned_on",
            format!(
                "Дата возвращения {} должна быть позже даты выбытия {}",
                a.returned_on.format("%d.%m.%Y"),
                a.left_on.format("%d.%m.%Y")
            ),
        );
    } else {
        let days = full_days(a.left_on, a.returned_on);
        if days < rules.min_full_days {
            e.add("returned_on", too_short(rules, days));
        }
    }
    if a.applied_on > today {
        e.add(
            "applied_on",
            "Дата заявления не может быть позже сегодняшней",
        );
    }
    if documents_received_on > today {
        e.add(
            "documents_received_on",
            "Дата получения документов не может быть позже сегодняшней",
        );
    }
    if reason.trim().is_empty() {
        e.add(
            "reason",
            "Укажите причину отсутствия (командировка, лечение, отпуск…)",
        );
    }
    if documents.trim().is_empty() {
        e.add(
            "documents",
            "Перечислите полученные подтверждающие документы (командировочное удостоверение, справка, билеты…)",
        );
    }
    if persons_absent == 0 {
        e.add("persons", "Отметьте, кто отсутствовал");
    }
    if e.is_empty() {
        Ok(())
    } else {
        Err(e)
    }
}

fn too_short(rules: &AbsenceRules, days: u32) -> String {
    format!(
        "Отсутствие {days} полн. суток: перерасчёт делается, если потребитель отсутствовал \
         не менее {} полных суток подряд, не считая дней выбытия и прибытия ({})",
        rules.min_full_days, rules.source
    )
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
        Some(too_short(rules, days))
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
            return not("Установлен прибор учёта: плата начисляется по показаниям")
        }
        Some(_) if !line.meter_impossible_act => {
            return not("Нет акта об отсутствии технической возможности установить прибор учёта")
        }
        Some(_) => {}
    }
    let days_in_month = days_in_month(line.month);
    let absent_days = absent_days_in_month(a, line.month);
    let kopecks = share_kopecks(
        line.charge_kopecks,
        absent_days,
        days_in_month,
        line.persons,
    );
    LineOutcome::Recalculated {
        absent_days,
        days_in_month,
        kopecks,
    }
}

/// charge × absent days / days in month (× absent persons / persons counted), in whole
/// kopecks rounded half up; never below zero nor above the charge.
pub fn share_kopecks(
    charge_kopecks: i64,
    absent_days: u32,
    days_in_month: u32,
    persons: Option<PersonShare>,
) -> i64 {
    let (absent, counted) = match persons {
        Some(p) if p.counted > 0 => (p.absent.min(p.counted), p.counted),
        _ => (1, 1),
    };
    if charge_kopecks <= 0 || absent_days == 0 || days_in_month == 0 || absent == 0 {
        return 0;
    }
    let share = i128::from(charge_kopecks)
        * i128::from(absent_days.min(days_in_month))
        * i128::from(absent);
    let whole = i128::from(days_in_month) * i128::from(counted);
    ((share * 2 + whole) / (whole * 2)) as i64
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

/// Words of the stored applications' refusals (storage holds no Russian text).
pub mod words {
    pub const NOUN: &str = "Заявление о временном отсутствии";

    pub fn status_title(code: &str) -> &'static str {
        match code {
            "registered" => "зарегистрировано, ждёт решения",
            "approved" => "одобрено, перерасчёт не проведён",
            "refused" => "отказано",
            "posted" => "перерасчёт проведён",
            _ => "неизвестно",
        }
    }

    /// A decision asked of an application already past it.
    pub fn decided(status: &str) -> String {
        format!("Решение по заявлению уже принято: {}", status_title(status))
    }

    /// Posting asked of an application not approved.
    pub fn not_approved(status: &str) -> String {
        format!(
            "Провести перерасчёт можно только по одобренному заявлению; сейчас оно: {}",
            status_title(status)
        )
    }
}

/// An application as the form or the API sends it.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ApplicationForm {
    pub account_id: i64,
    /// Ids of the persons away (from the account's registered people).
    pub persons: Vec<i64>,
    /// Day of leaving, `ГГГГ-ММ-ДД` (not counted).
    pub left_on: Option<NaiveDate>,
    /// Day of return (not counted).
    pub returned_on: Option<NaiveDate>,
    /// Day the application was received; empty — today.
    pub applied_on: Option<NaiveDate>,
    /// Why away: a business trip, treatment, a holiday…
    pub reason: String,
    /// The supporting documents handed in, one a line.
    pub documents: String,
    /// Day the documents were received; empty — the day of the application.
    pub documents_received_on: Option<NaiveDate>,
    /// Service codes with an individual meter installed («установлен ИПУ»).
    pub metered: Vec<String>,
    /// Service codes with an act that a meter cannot be installed.
    pub meter_acts: Vec<String>,
    /// Gas heats the premises (not recalculated).
    pub gas_for_heating: bool,
    /// How it arrived (`visit` when empty).
    pub channel: Option<crate::appeal::Channel>,
}

impl ApplicationForm {
    /// The dates, each required one named when missing.
    pub fn dates(&self, today: NaiveDate) -> Result<(Absence, NaiveDate), ValidationErrors> {
        let mut e = ValidationErrors::default();
        if self.left_on.is_none() {
            e.add("left_on", "Укажите дату выбытия");
        }
        if self.returned_on.is_none() {
            e.add("returned_on", "Укажите дату возвращения");
        }
        match (self.left_on, self.returned_on) {
            (Some(left_on), Some(returned_on)) => {
                let applied_on = self.applied_on.unwrap_or(today);
                Ok((
                    Absence {
                        left_on,
                        returned_on,
                        applied_on,
                    },
                    self.documents_received_on.unwrap_or(applied_on),
                ))
            }
            _ => Err(e),
        }
    }
}
