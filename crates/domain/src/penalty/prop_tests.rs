//! Property tests of the penalty calculation.

use chrono::{Days, NaiveDate};
use proptest::prelude::*;

use super::tests::{d, debt, pay};
use super::*;

fn base() -> NaiveDate {
    d(2016, 1, 1)
}

fn at(offset: u32) -> NaiveDate {
    base() + Days::new(u64::from(offset))
}

prop_compose! {
    fn debts_strategy()(list in prop::collection::vec((1i64..5_000_000, 0u32..2500), 1..4))
        -> Vec<Debt> {
        list.into_iter()
            .enumerate()
            .map(|(i, (kop, due))| debt(&format!("p{i}"), kop, at(due)))
            .collect()
    }
}

prop_compose! {
    fn payments_strategy()(list in prop::collection::vec(
        (0u32..3000, 1i64..3_000_000, prop::option::of(0usize..4)), 0..5)) -> Vec<Payment> {
        list.into_iter()
            .map(|(day, kop, p)| pay(at(day), kop, p.map(|i| format!("p{i}")).as_deref()))
            .collect()
    }
}

fn mode_strategy() -> impl Strategy<Value = RateMode> {
    prop_oneof![
        (1u32..3000).prop_map(|rate_bp| RateMode::Fixed { rate_bp }),
        Just(RateMode::KeyRate {
            on: RateDate::EachDay
        }),
    ]
}

fn settings(mode: RateMode, cumulative: bool) -> PenaltySettings {
    PenaltySettings {
        rate_mode: mode,
        rounding: if cumulative {
            RowRounding::Cumulative
        } else {
            RowRounding::PerRow
        },
        ..Default::default()
    }
}

fn exact_le(a: (i128, i128), b: (i128, i128)) -> bool {
    a.0 * b.1 <= b.0 * a.1
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn never_negative_and_zero_in_moratoria(
        debts in debts_strategy(), pays in payments_strategy(), calc in 0u32..3500,
        mode in prop_oneof![
            mode_strategy(),
            Just(RateMode::KeyRate { on: RateDate::PaymentOrCalcDate }),
            Just(RateMode::KeyRate { on: RateDate::CalcDate }),
        ],
    ) {
        let s = settings(mode, false);
        let c = calculate(&debts, &pays, at(calc), &s, &KeyRateTable::default()).unwrap();
        prop_assert!(c.total_kopecks >= 0);
        for r in &c.rows {
            prop_assert!(r.penalty_kopecks >= 0 && r.days > 0 && r.debt_kopecks > 0);
            let debt = debts.iter().find(|x| x.period == r.period).unwrap();
            let arose = debt.due_date;
            // Every day of a row lies after the grace days and not after the last day.
            prop_assert!(r.from > debt.due_date + Days::new(30) && r.to <= c.last_day);
            let in_moratorium = |day| s.moratoria.iter().any(|m| m.covers(day, arose));
            if r.moratorium.is_some() {
                prop_assert_eq!(r.penalty_kopecks, 0);
            } else {
                prop_assert!(r.from.iter_days().take_while(|x| *x <= r.to)
                    .all(|x| !in_moratorium(x)));
            }
        }
    }

    #[test]
    fn nothing_within_grace_days(
        debts in debts_strategy(), pays in payments_strategy(), extra in 0u64..=30,
        mode in mode_strategy(),
    ) {
        let earliest = debts.iter().map(|x| x.due_date).min().unwrap();
        // Last accrual day = calc date − 1 ≤ due + 30.
        let calc = earliest + Days::new(extra + 1);
        let c = calculate(&debts, &pays, calc, &settings(mode, false), &KeyRateTable::default())
            .unwrap();
        prop_assert_eq!(c.total_kopecks, 0);
        prop_assert!(c.rows.is_empty());
    }

    #[test]
    fn monotone_in_calc_date(
        debts in debts_strategy(), pays in payments_strategy(), calc in 0u32..3500,
        later in 0u32..400, mode in mode_strategy(), cumulative: bool,
    ) {
        let s = settings(mode, cumulative);
        let t = KeyRateTable::default();
        let a = calculate(&debts, &pays, at(calc), &s, &t).unwrap();
        let b = calculate(&debts, &pays, at(calc + later), &s, &t).unwrap();
        prop_assert!(a.total_kopecks <= b.total_kopecks, "{} > {}", a.total_kopecks, b.total_kopecks);
        prop_assert!(exact_le(a.exact_total_kopecks(), b.exact_total_kopecks()));
    }

    #[test]
    fn a_payment_never_increases_the_penalty(
        debts in debts_strategy(), pays in payments_strategy(), calc in 0u32..3500,
        extra in (0u32..3000, 1i64..3_000_000, prop::option::of(0usize..4)),
        mode in prop_oneof![mode_strategy(), Just(RateMode::KeyRate { on: RateDate::CalcDate })],
    ) {
        let t = KeyRateTable::default();
        let mut more = pays.clone();
        more.push(pay(at(extra.0), extra.1, extra.2.map(|i| format!("p{i}")).as_deref()));
        // Exactly: never more. Rounded once (cumulative rows): never more either.
        let s = settings(mode, true);
        let a = calculate(&debts, &pays, at(calc), &s, &t).unwrap();
        let b = calculate(&debts, &more, at(calc), &s, &t).unwrap();
        prop_assert!(exact_le(b.exact_total_kopecks(), a.exact_total_kopecks()));
        prop_assert!(b.total_kopecks <= a.total_kopecks);
        // Per-row rounding can add at most half a kopeck per row on top of the exact total.
        let s = settings(mode, false);
        let a = calculate(&debts, &pays, at(calc), &s, &t).unwrap();
        let b = calculate(&debts, &more, at(calc), &s, &t).unwrap();
        let slack = (a.rows.len() + b.rows.len()) as i64 / 2 + 1;
        prop_assert!(b.total_kopecks <= a.total_kopecks + slack);
    }

    #[test]
    fn total_is_the_tables_total(
        debts in debts_strategy(), pays in payments_strategy(), calc in 0u32..3500,
        mode in prop_oneof![
            mode_strategy(),
            Just(RateMode::KeyRate { on: RateDate::PaymentOrCalcDate }),
            Just(RateMode::KeyRate { on: RateDate::CalcDate }),
        ],
        cumulative: bool, include_calc_date: bool,
    ) {
        let s = PenaltySettings { include_calc_date, ..settings(mode, cumulative) };
        let t = KeyRateTable::default();
        let table = calculate(&debts, &pays, at(calc), &s, &t).unwrap();
        prop_assert_eq!(total(&debts, &pays, at(calc), &s, &t).unwrap(), table.total_kopecks);
    }
}
