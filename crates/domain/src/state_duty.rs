//! State duty (госпошлина) for a court order application (судебный приказ), regulations.md §7:
//! since 08.09.2024 (259-ФЗ) — 50 % of the property-claim duty, given here directly as
//! brackets, which are data with their source.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::ValidationErrors;
use crate::money::format_rub;

/// Claims above `over_kopecks` and up to `up_to_kopecks` (inclusive) pay
/// `base_kopecks + percent_bp/10000 × (claim − over_kopecks)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DutyBracket {
    pub over_kopecks: i64,
    pub up_to_kopecks: i64,
    pub base_kopecks: i64,
    /// Percent of the excess over `over_kopecks` in basis points: 1,5 % = 150.
    pub percent_bp: u32,
}

/// How the exact duty becomes money.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DutyRounding {
    /// НК РФ ст. 52 п. 6: whole roubles, less than 50 kopecks dropped, 50 and more rounded up
    /// (applied to the duty by analogy [u]).
    HalfUpToRouble,
    /// Always up to the next whole rouble: never underpays (a court may leave an
    /// application with an underpaid duty without movement).
    UpToRouble,
    /// Half-up to kopecks, no rouble rounding.
    HalfUpToKopeck,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourtOrderDutySchedule {
    /// The first filing date the schedule applies to.
    pub effective_from: NaiveDate,
    pub source: String,
    /// Contiguous: the first starts over 0, each next starts where the previous ends. Claims
    /// above the last one cannot be decided by a court order.
    pub brackets: Vec<DutyBracket>,
    pub rounding: DutyRounding,
}

const RUB: i64 = 100;

impl Default for CourtOrderDutySchedule {
    fn default() -> Self {
        let b = |over: i64, up_to: i64, base: i64, percent_bp| DutyBracket {
            over_kopecks: over * RUB,
            up_to_kopecks: up_to * RUB,
            base_kopecks: base * RUB,
            percent_bp,
        };
        Self {
            effective_from: NaiveDate::from_ymd_opt(2024, 9, 8).expect("valid date"),
            source: "НК РФ ст. 333.19 п. 1 пп. 2 (ред. 259-ФЗ от 08.08.2024): 50 % пошлины по \
                     иску имущественного характера; судебный приказ — до 500 000 ₽ (ГПК РФ \
                     ст. 121)"
                .into(),
            brackets: vec![
                b(0, 100_000, 2_000, 0),
                b(100_000, 300_000, 2_000, 150),
                b(300_000, 500_000, 5_000, 125),
            ],
            rounding: DutyRounding::HalfUpToRouble,
        }
    }
}

/// The result with a line for the application: how it was computed and by which rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DutyCalculation {
    pub duty_kopecks: i64,
    /// `2 000,00 ₽ + 1,5% × (150 000,00 ₽ − 100 000,00 ₽) = 2 750,00 ₽`.
    pub formula: String,
    pub source: String,
}

impl CourtOrderDutySchedule {
    pub fn validate(&self) -> ValidationErrors {
        let mut e = ValidationErrors::new();
        if self.brackets.is_empty() {
            e.add("brackets", "Шкала пошлины пуста");
        }
        if self.source.trim().is_empty() {
            e.add("source", "Укажите источник шкалы пошлины");
        }
        let mut expected_over = 0;
        for (i, b) in self.brackets.iter().enumerate() {
            if b.over_kopecks != expected_over
                || b.up_to_kopecks <= b.over_kopecks
                || b.base_kopecks < 0
            {
                e.add(
                    &format!("brackets[{i}]"),
                    "Ступени шкалы должны идти подряд без разрывов: каждая начинается там, \
                     где кончается предыдущая, и не пуста",
                );
            }
            expected_over = b.up_to_kopecks;
        }
        e
    }

    /// The largest claim a court order can be issued for.
    pub fn max_claim_kopecks(&self) -> i64 {
        self.brackets.last().map_or(0, |b| b.up_to_kopecks)
    }

    /// Duty for a claim of `claim_kopecks` (debt plus penalties) filed on `filing_date`.
    pub fn court_order_duty(
        &self,
        claim_kopecks: i64,
        filing_date: NaiveDate,
    ) -> Result<DutyCalculation, ValidationErrors> {
        self.validate().into_result(())?;
        let field = "claim_kopecks";
        if filing_date < self.effective_from {
            return Err(ValidationErrors::single(
                "filing_date",
                format!(
                    "Эта шкала пошлины действует с {}: для более ранней даты подачи нужна \
                     прежняя шкала",
                    self.effective_from.format("%d.%m.%Y")
                ),
            ));
        }
        if claim_kopecks <= 0 {
            return Err(ValidationErrors::single(
                field,
                "Цена требования должна быть больше нуля",
            ));
        }
        let Some(b) = self
            .brackets
            .iter()
            .find(|b| b.over_kopecks < claim_kopecks && claim_kopecks <= b.up_to_kopecks)
        else {
            return Err(ValidationErrors::single(
                field,
                format!(
                    "Судебный приказ выдаётся по требованиям не больше {} (ГПК РФ ст. 121), \
                     а требуется {}: подайте исковое заявление",
                    format_rub(self.max_claim_kopecks()),
                    format_rub(claim_kopecks)
                ),
            ));
        };
        // Exact duty in kopecks = (base × 10000 + excess × bp) / 10000.
        let excess = i128::from(claim_kopecks - b.over_kopecks);
        let num = i128::from(b.base_kopecks) * 10_000 + excess * i128::from(b.percent_bp);
        let duty_kopecks = match self.rounding {
            DutyRounding::HalfUpToKopeck => (num + 5_000) / 10_000,
            DutyRounding::HalfUpToRouble => (num + 500_000) / 1_000_000 * 100,
            DutyRounding::UpToRouble => (num + 999_999) / 1_000_000 * 100,
        } as i64;
        let formula = if b.percent_bp == 0 {
            format_rub(duty_kopecks)
        } else {
            format!(
                "{} + {} × ({} − {}) = {}",
                format_rub(b.base_kopecks),
                crate::penalty::format_rate(b.percent_bp),
                format_rub(claim_kopecks),
                format_rub(b.over_kopecks),
                format_rub(duty_kopecks)
            )
        };
        Ok(DutyCalculation {
            duty_kopecks,
            formula,
            source: self.source.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Roubles and kopecks → kopecks.
    fn k(rub: i64, kop: i64) -> i64 {
        rub * 100 + kop
    }

    fn filed() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 1).unwrap()
    }

    fn duty(claim: i64) -> i64 {
        CourtOrderDutySchedule::default()
            .court_order_duty(claim, filed())
            .unwrap()
            .duty_kopecks
    }

    #[test]
    fn bracket_edges() {
        for (claim, expected) in [
            (1, k(2_000, 0)),
            (k(50_000, 0), k(2_000, 0)),
            (k(100_000, 0), k(2_000, 0)),
            (k(100_000, 1), k(2_000, 0)),  // 2 000,00015
            (k(100_001, 0), k(2_000, 0)),  // 2 000,015
            (k(100_033, 0), k(2_000, 0)),  // 2 000,495 → down
            (k(100_034, 0), k(2_001, 0)),  // 2 000,51 → up
            (k(100_100, 0), k(2_002, 0)),  // 2 001,5 → up (half-up)
            (k(150_000, 0), k(2_750, 0)),  // 2 000 + 750
            (k(299_999, 99), k(5_000, 0)), // 4 999,99985
            (k(300_000, 0), k(5_000, 0)),  // continuous at the edge
            (k(300_000, 1), k(5_000, 0)),  // 5 000,000125
            (k(300_040, 0), k(5_001, 0)),  // 5 000,5 → up
            (k(300_039, 0), k(5_000, 0)),  // 5 000,4875 → down
            (k(400_000, 0), k(6_250, 0)),  // 5 000 + 1 250
            (k(500_000, 0), k(7_500, 0)),  // maximum
        ] {
            assert_eq!(duty(claim), expected, "{claim}");
        }
    }

    #[test]
    fn rounding_settings() {
        let with = |rounding, claim| {
            CourtOrderDutySchedule {
                rounding,
                ..Default::default()
            }
            .court_order_duty(claim, filed())
            .unwrap()
            .duty_kopecks
        };
        assert_eq!(
            with(DutyRounding::HalfUpToKopeck, k(100_033, 0)),
            k(2_000, 50)
        ); // 2000,495
        assert_eq!(
            with(DutyRounding::HalfUpToKopeck, k(100_000, 1)),
            k(2_000, 0)
        );
        assert_eq!(with(DutyRounding::UpToRouble, k(100_000, 1)), k(2_001, 0));
        assert_eq!(with(DutyRounding::UpToRouble, k(100_000, 0)), k(2_000, 0));
        assert_eq!(with(DutyRounding::UpToRouble, k(300_000, 0)), k(5_000, 0));
    }

    #[test]
    fn refuses_what_a_court_order_cannot_take() {
        let s = CourtOrderDutySchedule::default();
        let e = s.court_order_duty(k(500_000, 1), filed()).unwrap_err();
        let msg = e.for_field("claim_kopecks").unwrap();
        assert!(
            msg.contains("500 000,00 ₽") && msg.contains("500 000,01 ₽"),
            "{msg}"
        );
        assert!(msg.contains("исковое заявление"));
        assert!(s.court_order_duty(0, filed()).is_err());
        assert!(s.court_order_duty(-1, filed()).is_err());
        let early = NaiveDate::from_ymd_opt(2024, 9, 7).unwrap();
        let e = s.court_order_duty(k(1_000, 0), early).unwrap_err();
        assert!(e.for_field("filing_date").unwrap().contains("08.09.2024"));
    }

    #[test]
    fn formula_and_source() {
        let s = CourtOrderDutySchedule::default();
        let c = s.court_order_duty(k(150_000, 0), filed()).unwrap();
        assert_eq!(
            c.formula,
            "2 000,00 ₽ + 1,5% × (150 000,00 ₽ − 100 000,00 ₽) = 2 750,00 ₽"
        );
        assert!(c.source.contains("259-ФЗ"));
        assert_eq!(
            s.court_order_duty(100, filed()).unwrap().formula,
            "2 000,00 ₽"
        );
    }

    #[test]
    fn schedule_validation_and_json() {
        let mut s = CourtOrderDutySchedule::default();
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(
            serde_json::from_str::<CourtOrderDutySchedule>(&json).unwrap(),
            s
        );
        // Brackets of the default are continuous: base of the next = value at the edge.
        for w in s.brackets.windows(2) {
            let (a, b) = (&w[0], &w[1]);
            let at_edge = a.base_kopecks
                + (a.up_to_kopecks - a.over_kopecks) * i64::from(a.percent_bp) / 10_000;
            assert_eq!(at_edge, b.base_kopecks);
        }
        s.brackets[1].over_kopecks += 1;
        assert!(s.validate().for_field("brackets[1]").is_some());
        assert!(s.court_order_duty(k(1_000, 0), filed()).is_err());
        s.brackets.clear();
        assert!(s.validate().for_field("brackets").is_some());
    }
}
