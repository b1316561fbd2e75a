//! What the court decided on a debtor's case and how it was enforced (issue 14 §3): the
//! court's case number, the decision (or order) date, the sums awarded, the writ
//! (исполнительный лист), its submission to the bailiffs (ФССП), and the sums collected.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::registry::parse_date;
use crate::{money, text, ValidationErrors};

/// The court record as entered: strings as typed; every field may stay empty until known.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct CourtRecordForm {
    /// Номер дела в суде: «2-1234/2026».
    #[serde(default)]
    pub court_case_number: Option<String>,
    /// Date of the decision or order, `2026-11-27` or `27.11.2026`.
    #[serde(default)]
    pub decision_on: Option<String>,
    /// Sums awarded, roubles as written: `12 345,67`.
    #[serde(default)]
    pub awarded_debt: Option<String>,
    #[serde(default)]
    pub awarded_penalties: Option<String>,
    /// State duty awarded.
    #[serde(default)]
    pub awarded_duty: Option<String>,
    /// Исполнительный лист: series and number.
    #[serde(default)]
    pub writ_number: Option<String>,
    #[serde(default)]
    pub writ_issued_on: Option<String>,
    /// Submitted to the bailiffs (ФССП) on.
    #[serde(default)]
    pub fssp_submitted_on: Option<String>,
    /// Номер исполнительного производства.
    #[serde(default)]
    pub fssp_case_number: Option<String>,
}

/// The court record checked: sums in kopecks.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CourtRecord {
    pub court_case_number: Option<String>,
    pub decision_on: Option<NaiveDate>,
    pub awarded_debt: Option<i64>,
    pub awarded_penalties: Option<i64>,
    pub awarded_duty: Option<i64>,
    pub writ_number: Option<String>,
    pub writ_issued_on: Option<NaiveDate>,
    pub fssp_submitted_on: Option<NaiveDate>,
    pub fssp_case_number: Option<String>,
}

impl CourtRecord {
    /// Debt + penalties + duty awarded, kopecks.
    pub fn awarded_total(&self) -> i64 {
        [self.awarded_debt, self.awarded_penalties, self.awarded_duty]
            .iter()
            .flatten()
            .sum()
    }
}

fn day(
    e: &mut ValidationErrors,
    field: &str,
    label: &str,
    v: &Option<String>,
    today: NaiveDate,
) -> Option<NaiveDate> {
    let s = v.as_deref().map(str::trim).filter(|s| !s.is_empty())?;
    match parse_date(s) {
        Some(d) if d > today => {
            e.add(field, format!("{label}: дата {s} ещё не наступила."));
            None
        }
        Some(d) => Some(d),
        None => {
            e.add(
                field,
                format!("{label}: «{s}» не дата. Введите дату как 27.11.2026."),
            );
            None
        }
    }
}

fn sum(e: &mut ValidationErrors, field: &str, label: &str, v: &Option<String>) -> Option<i64> {
    let s = v.as_deref().map(str::trim).filter(|s| !s.is_empty())?;
    match money::parse_amount(s) {
        Ok(k) if k < 0 => {
            e.add(
                field,
                format!("{label}: сумма не может быть отрицательной."),
            );
            None
        }
        Ok(k) => Some(k),
        Err(m) => {
            e.add(field, format!("{label}: {m}."));
            None
        }
    }
}

impl CourtRecordForm {
    pub fn validate(&self, today: NaiveDate) -> Result<CourtRecord, ValidationErrors> {
        let mut e = ValidationErrors::new();
        let t = |e: &mut ValidationErrors, f: &str, l: &str, v: &Option<String>| {
            text::optional(e, f, l, v.as_deref(), 100)
        };
        let r = CourtRecord {
            court_case_number: t(
                &mut e,
                "court_case_number",
                "Номер дела",
                &self.court_case_number,
            ),
            decision_on: day(
                &mut e,
                "decision_on",
                "Дата решения",
                &self.decision_on,
                today,
            ),
            awarded_debt: sum(&mut e, "awarded_debt", "Взыскан долг", &self.awarded_debt),
            awarded_penalties: sum(
                &mut e,
                "awarded_penalties",
                "Взысканы пени",
                &self.awarded_penalties,
            ),
            awarded_duty: sum(
                &mut e,
                "awarded_duty",
                "Взыскана госпошлина",
                &self.awarded_duty,
            ),
            writ_number: t(
                &mut e,
                "writ_number",
                "Исполнительный лист",
                &self.writ_number,
            ),
            writ_issued_on: day(
                &mut e,
                "writ_issued_on",
                "Дата исполнительного листа",
                &self.writ_issued_on,
                today,
            ),
            fssp_submitted_on: day(
                &mut e,
                "fssp_submitted_on",
                "Дата подачи в ФССП",
                &self.fssp_submitted_on,
                today,
            ),
            fssp_case_number: t(
                &mut e,
                "fssp_case_number",
                "Номер исполнительного производства",
                &self.fssp_case_number,
            ),
        };
        if let (Some(w), Some(d)) = (r.writ_issued_on, r.decision_on) {
            if w < d {
                e.add(
                    "writ_issued_on",
                    "Исполнительный лист выдан раньше решения суда.",
                );
            }
        }
        if let (Some(f), Some(w)) = (r.fssp_submitted_on, r.writ_issued_on) {
            if f < w {
                e.add("fssp_submitted_on", "Лист подан в ФССП раньше, чем выдан.");
            }
        }
        e.into_result(r)
    }
}

/// A sum collected under the decision, as entered.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct CollectionForm {
    /// `2026-11-27` or `27.11.2026`.
    #[serde(default)]
    pub collected_on: Option<String>,
    /// Roubles as written: `1 234,56`.
    #[serde(default)]
    pub amount: Option<String>,
    /// «платёжное поручение ФССП № 123».
    #[serde(default)]
    pub note: Option<String>,
}

/// A collection checked: (date, kopecks, note).
pub fn check_collection(
    f: &CollectionForm,
    today: NaiveDate,
) -> Result<(NaiveDate, i64, Option<String>), ValidationErrors> {
    let mut e = ValidationErrors::new();
    let on = day(
        &mut e,
        "collected_on",
        "Дата взыскания",
        &f.collected_on,
        today,
    );
    if on.is_none()
        && f.collected_on
            .as_deref()
            .is_none_or(|s| s.trim().is_empty())
    {
        e.add("collected_on", "Укажите дату, когда сумма поступила.");
    }
    let amount = sum(&mut e, "amount", "Взысканная сумма", &f.amount);
    if amount == Some(0)
        || (amount.is_none() && f.amount.as_deref().is_none_or(|s| s.trim().is_empty()))
    {
        e.add("amount", "Укажите взысканную сумму больше нуля.");
    }
    let note = text::optional(&mut e, "note", "Примечание", f.note.as_deref(), 500);
    e.into_result((on.unwrap_or(today), amount.unwrap_or(0), note))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()
    }

    #[test]
    fn a_court_record_is_read_in_kopecks_and_dates_follow_each_other() {
        let f = CourtRecordForm {
            court_case_number: Some(" 2-1234/2026 ".into()),
            decision_on: Some("01.10.2026".into()),
            awarded_debt: Some("120 000,50".into()),
            awarded_penalties: Some("5 000".into()),
            awarded_duty: Some("4 000,00".into()),
            writ_number: Some("ФС № 012345678".into()),
            writ_issued_on: Some("2026-11-01".into()),
            fssp_submitted_on: Some("2026-11-10".into()),
            fssp_case_number: None,
        };
        let r = f.validate(today()).unwrap();
        assert_eq!(r.court_case_number.as_deref(), Some("2-1234/2026"));
        assert_eq!(r.awarded_total(), 120_000_50 + 5_000_00 + 4_000_00);
        let bad = CourtRecordForm {
            decision_on: Some("2026-11-20".into()),
            writ_issued_on: Some("2026-11-01".into()),
            fssp_submitted_on: Some("2026-12-01".into()),
            awarded_duty: Some("-1".into()),
            ..Default::default()
        };
        let e = bad.validate(today()).unwrap_err();
        for f in ["writ_issued_on", "fssp_submitted_on", "awarded_duty"] {
            assert!(e.for_field(f).is_some(), "{f}: {e:?}");
        }
    }

    #[test]
    fn a_collection_needs_a_date_and_a_sum() {
        let ok = CollectionForm {
            collected_on: Some("20.11.2026".into()),
            amount: Some("10 000,00".into()),
            note: None,
        };
        assert_eq!(check_collection(&ok, today()).unwrap().1, 10_000_00);
        let e = check_collection(&CollectionForm::default(), today()).unwrap_err();
        assert!(e.for_field("collected_on").is_some() && e.for_field("amount").is_some());
    }
}
