use chrono::{NaiveDate, NaiveDateTime};
use proptest::prelude::*;

use super::*;
use crate::quality::{reduce, Interruption, Month, QualityNorms, Service};

fn at(d: u32, h: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 11, d)
        .unwrap()
        .and_hms_opt(h, 0, 0)
        .unwrap()
}

fn stop(from: NaiveDateTime, to: NaiveDateTime) -> Interruption {
    Interruption {
        from,
        to,
        circumstances: Default::default(),
    }
}

fn form() -> OutageForm {
    OutageForm {
        service: "cold_water".into(),
        reason: "Замена задвижки".into(),
        places: vec![Place {
            building_id: 1,
            entrances: vec![2, 1, 2],
        }],
        planned_from: Some("2026-11-02T08:00".into()),
        planned_to: Some("2026-11-02T18:00".into()),
        ..Default::default()
    }
}

#[test]
fn an_outage_that_ends_before_it_starts_is_refused_naming_the_field() {
    let mut f = form();
    f.actual_from = Some("2026-11-02T09:00".into());
    f.actual_to = Some("2026-11-02T08:30".into());
    let e = f.check().unwrap_err();
    assert!(e.for_field("actual_to").unwrap().contains("позже начала"));
    f.planned_to = Some("2026-11-01T08:00".into());
    let e = f.check().unwrap_err();
    assert!(e.for_field("planned_to").is_some());
}

#[test]
fn a_checked_outage_keeps_its_entrances_once_and_in_order() {
    let d = form().check().unwrap();
    assert_eq!(d.places[0].entrances, vec![1, 2]);
    assert_eq!(d.span(), Some((at(2, 8), at(2, 18))));
}

#[test]
fn bad_times_missing_reason_and_quality_without_measurement_are_each_named() {
    let mut f = form();
    f.reason = " ".into();
    f.planned_from = Some("вчера".into());
    f.effect = Effect::Quality;
    let e = f.check().unwrap_err();
    assert!(e.for_field("reason").is_some());
    assert!(e.for_field("planned_from").unwrap().contains("вчера"));
    assert!(e.for_field("parameters.measured_dc").is_some());
}

#[test]
fn overlapping_interruptions_count_once() {
    let m = merge(vec![stop(at(2, 8), at(2, 14)), stop(at(2, 12), at(2, 20))]);
    assert_eq!(m, vec![stop(at(2, 8), at(2, 20))]);
    let norms = QualityNorms::default();
    let month = Month::of(at(2, 0).date());
    let f = month_reduction(
        &norms,
        Service::ColdWater,
        month,
        vec![stop(at(2, 8), at(2, 14)), stop(at(2, 12), at(2, 20))],
        vec![],
    )
    .unwrap()
    .unwrap();
    // 12 h at once: 8 beyond the single 4 h; 4 beyond the monthly 8 h; the larger binds.
    assert_eq!(f.excess.beyond_minutes, 8 * 60);
    assert_eq!(f.reduction_bp, 8 * 15);
}

proptest! {
    /// Never negative, never above the charge, monotone in the hours, nothing within the
    /// allowance.
    #[test]
    fn reduction_is_bounded_and_monotone(hours in 0u32..400, more in 0u32..50, charge in 0i64..10_000_000) {
        let norms = QualityNorms::default();
        let month = Month::of(at(1, 0).date());
        let r = |h: u32| {
            let to = at(1, 0) + chrono::Duration::hours(i64::from(h));
            let list = if h == 0 { vec![] } else { vec![stop(at(1, 0), to)] };
            let f = month_reduction(&norms, Service::ColdWater, month, list, vec![]).unwrap().unwrap();
            reduce(charge, &f.parts()).kopecks
        };
        let a = r(hours);
        let b = r(hours + more);
        prop_assert!((0..=charge).contains(&a));
        prop_assert!(b >= a);
        if hours <= 4 {
            prop_assert_eq!(a, 0);
        }
    }
}
