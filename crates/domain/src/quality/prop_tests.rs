//! Properties of the recalculation for quality (issue 19 §7): never negative, monotone in
//! hours, nothing within the allowance, both limits applied.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use proptest::prelude::*;

use super::*;

fn month() -> Month {
    Month::of(NaiveDate::from_ymd_opt(2026, 3, 1).unwrap())
}

fn base() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 2, 27)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap()
}

/// Up to 6 non-overlapping stops from late February into April, as (gap, length) minutes.
fn stops() -> impl Strategy<Value = Vec<Interruption>> {
    let circumstances = (
        0..3u8,
        prop::option::of(60..200i32),
        prop::option::of(-300..200i32),
        prop::option::of(1..3u8),
    )
        .prop_map(
            |(cause, room_dc, outdoor_dc, power_sources)| Circumstances {
                cause: [
                    Cause::Ordinary,
                    Cause::DeadEndAccident,
                    Cause::AnnualMaintenance,
                ][cause as usize],
                room_dc,
                outdoor_dc,
                power_sources,
            },
        );
    prop::collection::vec((0..6_000i64, 1..5_000i64, circumstances), 0..6).prop_map(|parts| {
        let mut at = base();
        parts
            .into_iter()
            .map(|(gap, len, circumstances)| {
                let from = at + Duration::minutes(gap);
                at = from + Duration::minutes(len);
                Interruption {
                    from,
                    to: at,
                    circumstances,
                }
            })
            .collect()
    })
}

fn service() -> impl Strategy<Value = Service> {
    prop::sample::select(Service::ALL.to_vec())
}

fn rounding() -> impl Strategy<Value = Rounding> {
    prop::sample::select(vec![Rounding::Complete, Rounding::Started])
}

proptest! {
    #[test]
    fn the_reduction_is_never_negative_nor_above_the_fee(s in service(), r in rounding(), list in stops(), fee in -10_000_00i64..100_000_00) {
        let t = QualityNorms::default();
        let e = excess(t.of(s).unwrap(), r, month(), &list).unwrap();
        prop_assert!(e.beyond_minutes >= 0 && e.units >= 0 && e.reduction_bp <= 10_000);
        let red = reduce(fee, &[e.reduction_bp]);
        prop_assert!(red.kopecks >= 0 && red.kopecks <= fee.max(0));
    }

    #[test]
    fn a_longer_stop_never_reduces_less(s in service(), r in rounding(), list in stops(), which in 0usize..6, more in 1..3_000i64) {
        prop_assume!(!list.is_empty());
        let t = QualityNorms::default();
        let n = t.of(s).unwrap();
        let i = which % list.len();
        let mut longer = list.clone();
        longer[i].to += Duration::minutes(more);
        if let Some(next) = list.get(i + 1) {
            prop_assume!(longer[i].to <= next.from);
        }
        let before = excess(n, r, month(), &list).unwrap();
        let after = excess(n, r, month(), &longer).unwrap();
        prop_assert!(after.beyond_minutes >= before.beyond_minutes);
        prop_assert!(after.units >= before.units && after.reduction_bp >= before.reduction_bp);
    }

    #[test]
    fn nothing_within_the_allowance(s in service(), r in rounding(), list in stops()) {
        let t = QualityNorms::default();
        let n = t.of(s).unwrap();
        let within_single = list.iter().all(|i| match n.single_allowance(&i.circumstances) {
            Some(l) => i.to - i.from <= Duration::hours(i64::from(l.hours)),
            None => true,
        });
        let e = excess(n, r, month(), &list).unwrap();
        let within_month = n.monthly_hours.is_none_or(|h| e.counted_minutes <= i64::from(h) * 60);
        if within_single && within_month {
            prop_assert_eq!(e.reduction_bp, 0);
        }
    }

    #[test]
    fn both_limits_bind(s in service(), r in rounding(), list in stops()) {
        let t = QualityNorms::default();
        let n = t.of(s).unwrap();
        let e = excess(n, r, month(), &list).unwrap();
        // The month's limit alone: single allowances too long to bind, each still counting
        // in the month or not as before.
        let mut only_month = n.clone();
        only_month.single.iter_mut().for_each(|l| l.hours = 1_000_000);
        let only_single = NormRow { monthly_hours: None, ..n.clone() };
        if only_month.monthly_hours.is_some() {
            let m = excess(&only_month, r, month(), &list).unwrap();
            prop_assert!(e.beyond_minutes >= m.beyond_minutes);
        }
        if !only_single.single.is_empty() {
            let one = excess(&only_single, r, month(), &list).unwrap();
            prop_assert!(e.beyond_minutes >= one.beyond_minutes);
        }
    }

    #[test]
    fn months_share_a_stop_without_losing_or_doubling_it(list in stops()) {
        // Cold water: every stop counts in the month, so the months' counted minutes add up
        // to the stops' length.
        let t = QualityNorms::default();
        let n = t.of(Service::ColdWater).unwrap();
        let total: i64 = list.iter().map(|i| (i.to - i.from).num_minutes()).sum();
        let counted: i64 = (1..=5)
            .map(|m| excess(n, Rounding::Complete, Month::of(NaiveDate::from_ymd_opt(2026, m, 1).unwrap()), &list).unwrap().counted_minutes)
            .sum();
        prop_assert_eq!(counted, total);
    }

    #[test]
    fn colder_never_reduces_less(s in prop::sample::select(vec![Service::HotWater, Service::Heating]), r in rounding(), from_min in 0..40_000i64, len in 1..3_000i64, dc in 100..700i32, colder in 1..100i32) {
        let t = QualityNorms::default();
        let n = t.of(s).unwrap();
        let from = base() + Duration::minutes(from_min);
        let warm = TemperatureSpell { from, to: from + Duration::minutes(len), measured_dc: dc, corner: false };
        let cold = TemperatureSpell { measured_dc: dc - colder, ..warm };
        let a = temperature_excess(n, r, month(), &[warm]).unwrap().unwrap();
        let b = temperature_excess(n, r, month(), &[cold]).unwrap().unwrap();
        // Colder water below the cold-water threshold is billed as cold instead.
        if b.cold_minutes == 0 {
            prop_assert!(b.reduction_bp >= a.reduction_bp);
        }
    }
}
