//! Keeping records by the rules of archive practice: the case-file index (номенклатура дел)
//! with retention periods, the date each closed case file may be destroyed, and the
//! selection for a destruction act, where nothing under a legal hold is destroyed.
//!
//! A period of years counts from 1 January of the year after the case file was closed (or
//! after the contract ended, where the standard list says so): a 5-year file closed in 2020
//! is kept through 31.12.2025 and may be destroyed from 01.01.2026.

#[cfg(test)]
mod tests;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::error::ValidationErrors;
use crate::penalty::Confidence;

pub const DEFAULT_CASE_INDEX_JSON: &str = include_str!("../../data/case_index.json");

/// From when a period of years counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CountedFrom {
    YearAfterClosure,
    YearAfterContractEnd,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Retention {
    Years {
        years: u32,
        counted_from: CountedFrom,
    },
    Permanent,
    /// «До минования надобности»: destroyed only by a decision, never by date.
    UntilNoLongerNeeded,
}

impl Retention {
    pub fn text(&self) -> String {
        match self {
            Retention::Years {
                years,
                counted_from: CountedFrom::YearAfterClosure,
            } => {
                format!(
                    "{years} {}",
                    crate::money::plural(u64::from(*years), ["год", "года", "лет"])
                )
            }
            Retention::Years {
                years,
                counted_from: CountedFrom::YearAfterContractEnd,
            } => format!(
                "{years} {} после окончания срока действия договора",
                crate::money::plural(u64::from(*years), ["год", "года", "лет"])
            ),
            Retention::Permanent => "постоянно".into(),
            Retention::UntilNoLongerNeeded => "до минования надобности".into(),
        }
    }
}

/// One case file of the index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseEntry {
    pub index: String,
    pub title: String,
    /// Which register entries are filed here by default (`appeal`, `incoming_mail`, …).
    pub kind: String,
    /// Required; `None` only as typed in a form, to be refused with the field named.
    pub retention: Option<Retention>,
    /// The article of the standard list.
    pub article: String,
    pub confidence: Confidence,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseIndex {
    #[serde(default)]
    pub description: String,
    pub entries: Vec<CaseEntry>,
}

impl Default for CaseIndex {
    fn default() -> Self {
        serde_json::from_str(DEFAULT_CASE_INDEX_JSON).expect("embedded case_index.json is valid")
    }
}

impl CaseIndex {
    /// Problems with the index: fields as `entries[i].field`.
    pub fn validate(&self) -> ValidationErrors {
        let mut e = ValidationErrors::new();
        for (i, c) in self.entries.iter().enumerate() {
            let f = |name: &str| format!("entries[{i}].{name}");
            if c.index.trim().is_empty() {
                e.add(&f("index"), "Укажите индекс дела");
            } else if self.entries[..i].iter().any(|o| o.index == c.index) {
                e.add(
                    &f("index"),
                    format!("Индекс дела «{}» уже есть в номенклатуре", c.index),
                );
            }
            if c.title.trim().is_empty() {
                e.add(&f("title"), "Укажите заголовок дела");
            }
            match c.retention {
                None => e.add(
                    &f("retention"),
                    format!("Укажите срок хранения дела «{}»", c.title),
                ),
                Some(Retention::Years { years: 0, .. }) => e.add(
                    &f("retention"),
                    "Срок хранения в годах должен быть не меньше года",
                ),
                _ => {}
            }
            if c.article.trim().is_empty() {
                e.add(
                    &f("article"),
                    "Укажите статью перечня, по которой установлен срок",
                );
            }
        }
        e
    }

    /// The case for register entries of `kind`.
    pub fn case_for(&self, kind: &str) -> Option<&CaseEntry> {
        self.entries.iter().find(|c| c.kind == kind)
    }
}

/// Until when a closed case file is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum KeepUntil {
    /// Kept through this day; may be destroyed after it.
    Date {
        date: NaiveDate,
    },
    Forever,
    /// Destroyed only by a decision.
    UntilDecided,
    /// Counts from the end of a contract that has not ended.
    ContractInForce,
}

/// Until when a case file closed in `closed_year` is kept; `contract_end` is the last day of
/// the contract it holds, if any.
pub fn keep_until(
    retention: Retention,
    closed_year: i32,
    contract_end: Option<NaiveDate>,
) -> KeepUntil {
    let last_day = |year: i32| NaiveDate::from_ymd_opt(year, 12, 31).expect("31 December exists");
    match retention {
        Retention::Years {
            years,
            counted_from: CountedFrom::YearAfterClosure,
        } => KeepUntil::Date {
            date: last_day(closed_year + years as i32),
        },
        Retention::Years {
            years,
            counted_from: CountedFrom::YearAfterContractEnd,
        } => match contract_end {
            Some(end) => KeepUntil::Date {
                date: last_day(end.year() + years as i32),
            },
            None => KeepUntil::ContractInForce,
        },
        Retention::Permanent => KeepUntil::Forever,
        Retention::UntilNoLongerNeeded => KeepUntil::UntilDecided,
    }
}

/// Why something may not be destroyed although its period ran out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Hold {
    /// A debtor case in court.
    CourtCase { number: String },
    /// An appeal under review by an inspectorate.
    InspectionReview { number: String },
    /// A contract still in force.
    ContractInForce { number: String },
}

impl Hold {
    pub fn reason(&self) -> String {
        match self {
            Hold::CourtCase { number } => format!("дело о задолженности № {number} в суде"),
            Hold::InspectionReview { number } => {
                format!("обращение № {number} на проверке в надзорном органе")
            }
            Hold::ContractInForce { number } => format!("договор № {number} действует"),
        }
    }
}

/// A case file as a destruction act sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseFile {
    pub id: i64,
    pub index: String,
    pub year: i32,
    pub closed: bool,
    pub keep_until: KeepUntil,
    pub holds: Vec<Hold>,
}

/// What a destruction act may list on `today`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Selection {
    pub selected: Vec<i64>,
    /// Expired but held, with the reasons.
    pub withheld: Vec<(i64, Vec<String>)>,
}

pub fn select_for_destruction(files: &[CaseFile], today: NaiveDate) -> Selection {
    let mut s = Selection::default();
    for f in files {
        let expired = f.closed && matches!(f.keep_until, KeepUntil::Date { date } if date < today);
        if !expired {
            continue;
        }
        if f.holds.is_empty() {
            s.selected.push(f.id);
        } else {
            s.withheld
                .push((f.id, f.holds.iter().map(Hold::reason).collect()));
        }
    }
    s
}

/// Why one case file may not be destroyed on `today`, or `None` when it may.
pub fn destruction_refusal(f: &CaseFile, today: NaiveDate) -> Option<String> {
    if !f.closed {
        return Some(format!("Дело {} ({}) не закрыто", f.index, f.year));
    }
    match f.keep_until {
        KeepUntil::Date { date } if date < today => {}
        KeepUntil::Date { date } => {
            return Some(format!(
                "Дело {} ({}) хранится до {} включительно",
                f.index,
                f.year,
                date.format("%d.%m.%Y")
            ))
        }
        KeepUntil::Forever => return Some(format!("Дело {} хранится постоянно", f.index)),
        KeepUntil::UntilDecided => {
            return Some(format!(
                "Дело {} хранится до минования надобности: нужно решение экспертной комиссии",
                f.index
            ))
        }
        KeepUntil::ContractInForce => {
            return Some(format!(
                "Срок дела {} считается от окончания договора, а договор действует",
                f.index
            ))
        }
    }
    (!f.holds.is_empty()).then(|| {
        let reasons: Vec<String> = f.holds.iter().map(Hold::reason).collect();
        format!(
            "Дело {} под запретом уничтожения: {}",
            f.index,
            reasons.join("; ")
        )
    })
}
