//! Penalty settings: every number is data with its source (regulations.md §2), so a change of
//! the law is an edit of settings, not of code. Disputed conventions are switches here.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::ValidationErrors;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("valid constant date")
}

/// The rate used is min(rate, cap) (key-rate modes only); `scope` says for which days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RateCap {
    pub from: NaiveDate,
    /// Last day of the cap, inclusive.
    pub to: NaiveDate,
    pub cap_bp: u32,
    pub source: String,
    /// Which days the cap covers. Settings stored before the option existed read as the
    /// default, [`CapScope::RateDate`].
    #[serde(default)]
    pub scope: CapScope,
}

/// How the cap of ПП РФ № 474 is read (regulations.md §2, §11; courts differ).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CapScope {
    /// «до 1 января 2027 г. начисление и уплата пени … исходя из минимального значения
    /// ключевой ставки … на 27.02.2022 и … на день фактической оплаты»: a penalty calculated
    /// or paid on a date `from..=to` takes min(rate, cap) for all its days, also the days of
    /// delay before `from`. The date is the one the rate is taken on (the payment date of a
    /// paid part, the calculation date of the rest); with [`RateDate::EachDay`] the
    /// calculation date.
    #[default]
    RateDate,
    /// The cap covers only the days of delay `from..=to`; days before `from` take the key rate
    /// uncapped (abonent's reading before issue 14; the calculation may then charge up to
    /// 16 % for days of 2021).
    AccrualDays,
}

/// Days `from..=to` (both inclusive) on which no penalty accrues; the day-of-delay counter
/// keeps running through them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Moratorium {
    pub from: NaiveDate,
    /// Last day of the moratorium, inclusive.
    pub to: NaiveDate,
    /// Only debts that arose strictly before this date are covered (ПП 497: 01.04.2022);
    /// `None`: every debt.
    pub applies_to_debts_arising_before: Option<NaiveDate>,
    pub source: String,
}

impl Moratorium {
    pub fn covers(&self, day: NaiveDate, debt_arose_on: NaiveDate) -> bool {
        self.from <= day
            && day <= self.to
            && self
                .applies_to_debts_arising_before
                .is_none_or(|b| debt_arose_on < b)
    }
}

/// Which key-rate date applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "date")]
pub enum RateDate {
    /// ЖК ст. 155 ч. 14 «на день фактической оплаты»: each paid part at the rate on its
    /// payment date; the unpaid rest at the rate on the calculation date (court practice
    /// [u]). Each paid part is then shown as its own rows.
    PaymentOrCalcDate,
    /// Everything at the rate on the calculation (court decision) date.
    CalcDate,
    /// Everything at the rate on one given date.
    On(NaiveDate),
    /// Each day at the rate in force on that day (what many online calculators do).
    EachDay,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum RateMode {
    /// A rate set by the user (e.g. a court fixed 9,5 %); the cap is not applied to it.
    Fixed { rate_bp: u32 },
    /// The Bank of Russia key rate from the table, capped by `PenaltySettings::rate_cap`.
    KeyRate { on: RateDate },
}

/// How a row's exact amount becomes kopecks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RowRounding {
    /// Each row rounded half-up on its own (regulations.md §2); the total is the sum of rows.
    /// A court can check every row by hand, but the total may drift from the exact total by
    /// up to half a kopeck per row.
    PerRow,
    /// Row = round(exact running total) − round(previous exact running total): rows still sum
    /// to the total, and the total is the exact total rounded once.
    Cumulative,
}

/// Everything the calculation depends on besides the debts, payments and the key-rate table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PenaltySettings {
    /// Legal basis printed on the calculation.
    pub law_source: String,
    /// Days 1..=grace_days after the due date carry no penalty (ЖК ст. 155 ч. 14: 30).
    pub grace_days: u32,
    /// Days grace_days+1..=this use `first_share` (1/300); later days `second_share` (1/130).
    pub share_300_until_day: u32,
    pub first_share: u32,
    pub second_share: u32,
    pub rate_cap: Option<RateCap>,
    pub moratoria: Vec<Moratorium>,
    pub rate_mode: RateMode,
    /// The payment day still accrues on the paid amount: «по день фактической оплаты»
    /// inclusive (Пленум ВС № 7 п. 48). Needed for 835,05 in the worked case.
    pub payment_day_accrues: bool,
    /// Whether the calculation date itself accrues. `false`: penalty through the day before,
    /// as the public calculator whose worked case (835,05) we reproduce. Disputed.
    pub include_calc_date: bool,
    pub rounding: RowRounding,
    /// Capital repair contributions (ЖК ст. 155 ч. 14.1). Settings stored before the rule
    /// existed read as the law.
    #[serde(default)]
    pub capital_repair: CapitalRepairRule,
}

/// How capital repair contributions accrue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CapitalRepairRule {
    /// `true`: the first share (1/300) for every day from day `grace_days + 1`, never the
    /// second share (1/130).
    pub first_share_only: bool,
    pub source: String,
}

impl Default for CapitalRepairRule {
    fn default() -> Self {
        Self {
            first_share_only: true,
            source: "ЖК РФ ст. 155 ч. 14.1: 1/300 ставки за каждый день с 31-го дня, без 1/130"
                .into(),
        }
    }
}

impl Default for PenaltySettings {
    /// Values from regulations.md §2.
    fn default() -> Self {
        Self {
            law_source: "ЖК РФ ст. 155 ч. 14".into(),
            grace_days: 30,
            share_300_until_day: 90,
            first_share: 300,
            second_share: 130,
            rate_cap: Some(RateCap {
                from: d(2022, 2, 28),
                // «до 1 января 2027 г.»: the last capped day is 31.12.2026.
                to: d(2026, 12, 31),
                cap_bp: 950,
                source: "ПП РФ от 26.03.2022 № 474 (ред. ПП 1681, 2479, 2382; продлено ПП от \
                         18.03.2025 № 329): меньшая из ключевой ставки и 9,5 % до 01.01.2027"
                    .into(),
                scope: CapScope::RateDate,
            }),
            moratoria: vec![
                Moratorium {
                    from: d(2020, 4, 6),
                    to: d(2020, 12, 31),
                    applies_to_debts_arising_before: None,
                    source: "ПП РФ от 02.04.2020 № 424".into(),
                },
                Moratorium {
                    from: d(2022, 4, 1),
                    to: d(2022, 10, 1),
                    applies_to_debts_arising_before: Some(d(2022, 4, 1)),
                    source: "ПП РФ от 28.03.2022 № 497 (долги, возникшие до 01.04.2022) \
                             [не подтверждено]"
                        .into(),
                },
            ],
            rate_mode: RateMode::KeyRate {
                on: RateDate::PaymentOrCalcDate,
            },
            payment_day_accrues: true,
            include_calc_date: false,
            rounding: RowRounding::PerRow,
            capital_repair: CapitalRepairRule::default(),
        }
    }
}

impl PenaltySettings {
    pub fn validate(&self) -> ValidationErrors {
        let mut e = ValidationErrors::new();
        if self.grace_days >= self.share_300_until_day {
            e.add(
                "share_300_until_day",
                "День перехода на 1/130 должен быть позже окончания льготных дней",
            );
        }
        if self.first_share == 0 || self.second_share == 0 {
            e.add(
                "second_share",
                "Доля ставки (1/300, 1/130) не может быть 1/0",
            );
        }
        if let RateMode::Fixed { rate_bp } = self.rate_mode {
            if rate_bp == 0 || rate_bp > 10_000 {
                e.add(
                    "rate_mode",
                    "Фиксированная ставка должна быть больше 0 и не больше 100 %",
                );
            }
        }
        if let Some(cap) = &self.rate_cap {
            if cap.from > cap.to || cap.cap_bp == 0 || cap.source.trim().is_empty() {
                e.add(
                    "rate_cap",
                    "Ограничение ставки: начало не позже конца, ставка больше 0, источник указан",
                );
            }
        }
        if self.capital_repair.source.trim().is_empty() {
            e.add(
                "capital_repair.source",
                "Укажите источник правила пени по взносам на капремонт (ЖК РФ ст. 155 ч. 14.1)",
            );
        }
        for (i, m) in self.moratoria.iter().enumerate() {
            if m.from > m.to {
                e.add(
                    &format!("moratoria[{i}].to"),
                    format!(
                        "Мораторий заканчивается ({}) раньше, чем начинается ({})",
                        m.to.format("%d.%m.%Y"),
                        m.from.format("%d.%m.%Y")
                    ),
                );
            }
            if m.source.trim().is_empty() {
                e.add(
                    &format!("moratoria[{i}].source"),
                    "Укажите источник моратория",
                );
            }
        }
        e
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_follow_regulations_and_validate() {
        let s = PenaltySettings::default();
        assert!(s.validate().is_empty());
        assert_eq!((s.grace_days, s.share_300_until_day), (30, 90));
        assert_eq!((s.first_share, s.second_share), (300, 130));
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(serde_json::from_str::<PenaltySettings>(&json).unwrap(), s);
    }

    #[test]
    fn moratorium_bounds_are_inclusive_and_respect_debt_age() {
        let m = &PenaltySettings::default().moratoria[1];
        let old = d(2022, 3, 10);
        assert!(!m.covers(d(2022, 3, 31), old));
        assert!(m.covers(d(2022, 4, 1), old));
        assert!(m.covers(d(2022, 10, 1), old));
        assert!(!m.covers(d(2022, 10, 2), old));
        assert!(!m.covers(d(2022, 5, 1), d(2022, 4, 1)));
    }

    #[test]
    fn bad_settings_are_named() {
        let mut s = PenaltySettings {
            grace_days: 90,
            rate_mode: RateMode::Fixed { rate_bp: 0 },
            ..Default::default()
        };
        s.moratoria[0].to = d(2019, 1, 1);
        s.moratoria[1].source.clear();
        let e = s.validate();
        assert!(e.for_field("share_300_until_day").is_some());
        assert!(e.for_field("rate_mode").is_some());
        assert!(e
            .for_field("moratoria[0].to")
            .unwrap()
            .contains("06.04.2020"));
        assert!(e.for_field("moratoria[1].source").is_some());
    }
}
