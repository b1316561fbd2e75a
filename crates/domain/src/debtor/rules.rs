//! The numbers of debtor work, as data an administrator edits when the law changes.

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::ValidationErrors;

/// Durations and thresholds of ПП 354 пп. 117–122, ГПК ст. 121–124 and ГК ст. 196, 200.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DebtRules {
    /// A notice gives this many days from delivery before limitation (ПП 354 п. 119).
    pub notice_days: u32,
    /// Suspension may follow limitation after this many days (ПП 354 п. 119).
    pub suspension_after_days: u32,
    /// Debt for one utility above this many monthly norm-based fees allows limitation
    /// (ПП 354 п. 117).
    pub threshold_monthly_fees: u32,
    /// Until abonent has tariffs and norms, the monthly fee of the threshold is the account's
    /// average monthly charge of the service over this many of its last charged months.
    #[serde(default = "default_fee_months")]
    pub fee_average_months: u32,
    /// A court order may be sought up to this claim, kopecks (ГПК ст. 121).
    pub court_order_limit: i64,
    /// Limitation of claims, years from each charge's due date (ГК ст. 196, 200).
    pub limitation_years: u32,
    /// Where the numbers come from.
    pub source: String,
}

fn default_fee_months() -> u32 {
    12
}

impl Default for DebtRules {
    fn default() -> Self {
        DebtRules {
            notice_days: 20,
            suspension_after_days: 10,
            threshold_monthly_fees: 2,
            fee_average_months: default_fee_months(),
            court_order_limit: 500_000_00,
            limitation_years: 3,
            source: "ПП РФ № 354 пп. 117–122; ГПК РФ ст. 121–124; ГК РФ ст. 196, 200".into(),
        }
    }
}

impl DebtRules {
    /// The numbers an administrator saves: each must make sense and the rules need a basis.
    pub fn check(&self) -> Result<(), ValidationErrors> {
        let mut e = ValidationErrors::new();
        if self.threshold_monthly_fees == 0 {
            e.add(
                "threshold_monthly_fees",
                "Порог должен быть не меньше одного месячного начисления",
            );
        }
        if self.fee_average_months == 0 {
            e.add(
                "fee_average_months",
                "Средняя месячная плата считается хотя бы за один месяц",
            );
        }
        if self.limitation_years == 0 {
            e.add(
                "limitation_years",
                "Срок исковой давности — хотя бы один год",
            );
        }
        if self.court_order_limit <= 0 {
            e.add(
                "court_order_limit",
                "Укажите предел требования для судебного приказа в копейках",
            );
        }
        if self.source.trim().is_empty() {
            e.add(
                "source",
                "Укажите основание правил: постановление, статью закона",
            );
        }
        e.into_result(())
    }

    /// ПП 354 п. 117: the debt for one utility exceeds the threshold of monthly fees at the
    /// consumption norm (and there is no kept repayment agreement).
    pub fn limitation_allowed(&self, debt: i64, monthly_norm_fee: i64, plan_kept: bool) -> bool {
        !plan_kept
            && monthly_norm_fee > 0
            && debt > monthly_norm_fee.saturating_mul(i64::from(self.threshold_monthly_fees))
    }

    /// The first day limitation may start after a notice delivered on `delivered`.
    pub fn limitation_from(&self, delivered: NaiveDate) -> NaiveDate {
        delivered + chrono::Days::new(u64::from(self.notice_days))
    }

    /// The first day suspension may start after limitation began on `limited`.
    pub fn suspension_from(&self, limited: NaiveDate) -> NaiveDate {
        limited + chrono::Days::new(u64::from(self.suspension_after_days))
    }
}

/// Charges due before this date are time-barred on `filing` (3 years by default): the court
/// packet leaves them out and warns.
pub fn time_barred_before(rules: &DebtRules, filing: NaiveDate) -> NaiveDate {
    filing
        .checked_sub_months(Months::new(12 * rules.limitation_years))
        .unwrap_or(filing)
}
