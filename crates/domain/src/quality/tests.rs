use chrono::{NaiveDate, NaiveDateTime};

use super::*;

fn at(d: u32, h: u32, m: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 1, d)
        .unwrap()
        .and_hms_opt(h, m, 0)
        .unwrap()
}

fn jan() -> Month {
    Month::of(NaiveDate::from_ymd_opt(2026, 1, 15).unwrap())
}

fn stop(from: NaiveDateTime, to: NaiveDateTime) -> Interruption {
    Interruption {
        from,
        to,
        circumstances: Circumstances::default(),
    }
}

fn with(from: NaiveDateTime, to: NaiveDateTime, c: Circumstances) -> Interruption {
    Interruption {
        from,
        to,
        circumstances: c,
    }
}

fn run(service: Service, stops: &[Interruption]) -> Excess {
    let t = QualityNorms::default();
    excess(t.of(service).unwrap(), t.rounding, jan(), stops).unwrap()
}

#[test]
fn the_shipped_table_is_valid_and_covers_every_service_with_a_source() {
    let t = QualityNorms::default();
    assert!(t.validate().is_empty());
    for s in Service::ALL {
        let n = t.of(s).unwrap_or_else(|| panic!("{s:?} missing"));
        assert!(n.source.contains("354"), "{s:?}: {}", n.source);
    }
    assert_eq!(QualityNorms::from_json(&t.to_json()).unwrap(), t);
}

#[test]
fn a_broken_table_is_refused_naming_the_field() {
    let mut t = QualityNorms::default();
    t.norms[0].rate_bp = 0;
    t.norms[1].service = t.norms[0].service;
    t.norms[2].source = " ".into();
    let e = t.validate();
    assert!(e.for_field("norms[0].rate_bp").is_some());
    assert!(e.for_field("norms[1].service").unwrap().contains("дважды"));
    assert!(e.for_field("norms[2].source").is_some());
    assert!(QualityNorms::from_json("{")
        .unwrap_err()
        .to_string()
        .contains("JSON"));
}

#[test]
fn cold_water_within_both_allowances_reduces_nothing() {
    let e = run(
        Service::ColdWater,
        &[
            stop(at(3, 8, 0), at(3, 12, 0)),
            stop(at(9, 8, 0), at(9, 12, 0)),
        ],
    );
    assert_eq!(
        (e.counted_minutes, e.beyond_minutes, e.reduction_bp),
        (480, 0, 0)
    );
}

#[test]
fn cold_water_single_stop_over_four_hours_counts_its_excess() {
    let e = run(Service::ColdWater, &[stop(at(3, 8, 0), at(3, 13, 0))]);
    assert_eq!((e.single_excess_minutes, e.monthly_excess_minutes), (60, 0));
    assert_eq!((e.units, e.reduction_bp), (1, 15));
}

#[test]
fn cold_water_short_stops_over_the_month_count_beyond_eight_hours() {
    let stops: Vec<_> = [3, 10, 17]
        .iter()
        .map(|&d| stop(at(d, 8, 0), at(d, 11, 0)))
        .collect();
    let e = run(Service::ColdWater, &stops);
    assert_eq!(
        (
            e.counted_minutes,
            e.monthly_excess_minutes,
            e.single_excess_minutes
        ),
        (540, 60, 0)
    );
    assert_eq!(e.reduction_bp, 15);
}

#[test]
fn the_larger_excess_of_the_two_limits_counts() {
    // 6 h at once (2 h beyond the single limit) and 5 h more: 11 h in the month, 3 h beyond.
    let e = run(
        Service::ColdWater,
        &[
            stop(at(3, 8, 0), at(3, 14, 0)),
            stop(at(5, 8, 0), at(5, 12, 0)),
            stop(at(6, 8, 0), at(6, 9, 0)),
        ],
    );
    assert_eq!(
        (
            e.single_excess_minutes,
            e.monthly_excess_minutes,
            e.beyond_minutes
        ),
        (120, 180, 180)
    );
    assert_eq!(e.units, 3);
}

#[test]
fn part_hours_count_by_the_rounding_setting() {
    let stops = [stop(at(3, 0, 0), at(3, 8, 59))];
    let t = QualityNorms::default();
    let n = t.of(Service::ColdWater).unwrap();
    let complete = excess(n, Rounding::Complete, jan(), &stops).unwrap();
    let started = excess(n, Rounding::Started, jan(), &stops).unwrap();
    assert_eq!(complete.beyond_minutes, 299);
    assert_eq!((complete.units, started.units), (4, 5));
}

#[test]
fn heating_single_allowance_follows_the_room_temperature() {
    let c = |dc| Circumstances {
        room_dc: dc,
        ..Default::default()
    };
    let ten_hours =
        |dc| run(Service::Heating, &[with(at(3, 0, 0), at(3, 10, 0), c(dc))]).single_excess_minutes;
    assert_eq!(ten_hours(Some(150)), 0); // ≥ 12 °C: 16 h allowed
    assert_eq!(ten_hours(Some(120)), 0);
    assert_eq!(ten_hours(Some(119)), 120); // 10–12 °C: 8 h
    assert_eq!(ten_hours(Some(100)), 120);
    assert_eq!(ten_hours(Some(95)), 360); // 8–10 °C: 4 h
    assert_eq!(ten_hours(Some(79)), 600); // colder: no stop allowed
    assert_eq!(ten_hours(None), 360); // unmeasured: the strictest allowance that still allows a stop
}

#[test]
fn heating_stops_within_single_allowances_count_beyond_a_day_a_month() {
    let warm = Circumstances {
        room_dc: Some(150),
        ..Default::default()
    };
    let stops: Vec<_> = [3, 10]
        .iter()
        .map(|&d| with(at(d, 0, 0), at(d, 15, 0), warm))
        .collect();
    let e = run(Service::Heating, &stops);
    assert_eq!(
        (
            e.single_excess_minutes,
            e.monthly_excess_minutes,
            e.reduction_bp
        ),
        (0, 360, 6 * 15)
    );
}

#[test]
fn hot_water_maintenance_has_fourteen_days_outside_the_month_total() {
    let m = Circumstances {
        cause: Cause::AnnualMaintenance,
        ..Default::default()
    };
    let ten_days = run(Service::HotWater, &[with(at(5, 0, 0), at(15, 0, 0), m)]);
    assert_eq!((ten_days.counted_minutes, ten_days.reduction_bp), (0, 0));
    let fifteen_days = run(Service::HotWater, &[with(at(5, 0, 0), at(20, 0, 0), m)]);
    assert_eq!(
        (fifteen_days.units, fifteen_days.reduction_bp),
        (24, 24 * 15)
    );
    let accident = Circumstances {
        cause: Cause::DeadEndAccident,
        ..Default::default()
    };
    assert_eq!(
        run(
            Service::HotWater,
            &[with(at(5, 0, 0), at(6, 0, 0), accident)]
        )
        .single_excess_minutes,
        0
    );
    assert_eq!(
        run(Service::HotWater, &[stop(at(5, 0, 0), at(6, 0, 0))]).single_excess_minutes,
        20 * 60
    );
}

#[test]
fn waste_counts_whole_days_beyond_and_depends_on_the_weather() {
    let out = |dc| Circumstances {
        outdoor_dc: Some(dc),
        ..Default::default()
    };
    let fifty = |c| run(Service::Waste, &[with(at(3, 0, 0), at(5, 2, 0), c)]);
    assert_eq!(fifty(out(100)).single_excess_minutes, 26 * 60); // warm: 24 h allowed
    assert_eq!(
        (fifty(out(100)).units, fifty(out(100)).reduction_bp),
        (1, 330)
    );
    assert_eq!(fifty(out(-50)).single_excess_minutes, 2 * 60); // cold: 48 h
    assert_eq!(fifty(out(-50)).units, 0);
    assert_eq!(
        fifty(Circumstances::default()).single_excess_minutes,
        26 * 60
    ); // unknown weather
}

#[test]
fn electricity_depends_on_the_sources_and_has_no_monthly_total() {
    let src = |n| Circumstances {
        power_sources: n,
        ..Default::default()
    };
    let three = |n| {
        run(
            Service::Electricity,
            &[with(at(3, 0, 0), at(3, 3, 0), src(n))],
        )
        .single_excess_minutes
    };
    assert_eq!((three(Some(2)), three(None), three(Some(1))), (60, 60, 0));
    let many: Vec<_> = (1..=12)
        .map(|d| with(at(d, 0, 0), at(d, 2, 0), src(Some(2))))
        .collect();
    assert_eq!(run(Service::Electricity, &many).reduction_bp, 0);
}

#[test]
fn gas_has_only_a_monthly_total() {
    let e = run(Service::Gas, &[stop(at(3, 0, 0), at(3, 6, 0))]);
    assert_eq!(
        (e.single_excess_minutes, e.monthly_excess_minutes, e.units),
        (0, 120, 2)
    );
}

#[test]
fn a_stop_across_months_counts_in_each_for_its_part() {
    let s = [stop(
        at(31, 22, 0),
        NaiveDate::from_ymd_opt(2026, 2, 1)
            .unwrap()
            .and_hms_opt(6, 0, 0)
            .unwrap(),
    )];
    let t = QualityNorms::default();
    let n = t.of(Service::ColdWater).unwrap();
    let j = excess(n, t.rounding, jan(), &s).unwrap();
    let f = excess(
        n,
        t.rounding,
        Month::of(NaiveDate::from_ymd_opt(2026, 2, 1).unwrap()),
        &s,
    )
    .unwrap();
    assert_eq!((j.counted_minutes, j.single_excess_minutes), (120, 0));
    assert_eq!(
        (f.counted_minutes, f.single_excess_minutes, f.units),
        (360, 240, 4)
    );
}

#[test]
fn overlapping_or_backward_stops_are_refused() {
    let t = QualityNorms::default();
    let n = t.of(Service::ColdWater).unwrap();
    let e = excess(
        n,
        t.rounding,
        jan(),
        &[
            stop(at(3, 8, 0), at(3, 12, 0)),
            stop(at(3, 11, 0), at(3, 13, 0)),
        ],
    )
    .unwrap_err();
    assert!(e
        .for_field("interruptions[1].from")
        .unwrap()
        .contains("объедините"));
    let e = excess(n, t.rounding, jan(), &[stop(at(3, 8, 0), at(3, 8, 0))]).unwrap_err();
    assert!(e.for_field("interruptions[0].to").is_some());
}

fn spell(from: NaiveDateTime, to: NaiveDateTime, dc: i32) -> TemperatureSpell {
    TemperatureSpell {
        from,
        to,
        measured_dc: dc,
        corner: false,
    }
}

fn temp(service: Service, spells: &[TemperatureSpell]) -> TemperatureExcess {
    let t = QualityNorms::default();
    temperature_excess(t.of(service).unwrap(), t.rounding, jan(), spells)
        .unwrap()
        .unwrap()
}

#[test]
fn hot_water_temperature_by_day_and_night() {
    // 52 °C: 5 °C beyond the day tolerance of 3 (one whole 3 °C step), 3 °C beyond the
    // night tolerance of 5 (one step).
    let day = temp(Service::HotWater, &[spell(at(3, 8, 0), at(3, 18, 0), 520)]);
    assert_eq!((day.step_hours, day.reduction_bp), (10, 100));
    let night = temp(Service::HotWater, &[spell(at(3, 0, 0), at(3, 5, 0), 540)]);
    assert_eq!(night.step_hours, 0); // 1 °C beyond the night tolerance: no whole step
    let across = temp(Service::HotWater, &[spell(at(3, 3, 0), at(3, 7, 0), 540)]);
    assert_eq!(across.step_hours, 2); // only 05:00–07:00 counts
    let cold = temp(Service::HotWater, &[spell(at(3, 8, 0), at(3, 10, 0), 390)]);
    assert_eq!((cold.cold_minutes, cold.step_hours), (120, 0));
}

#[test]
fn heating_temperature_per_degree_per_hour() {
    let day = temp(Service::Heating, &[spell(at(3, 10, 0), at(3, 15, 0), 160)]);
    assert_eq!((day.step_hours, day.reduction_bp), (10, 150));
    let night = temp(Service::Heating, &[spell(at(3, 0, 0), at(3, 5, 0), 160)]);
    assert_eq!(night.step_hours, 0);
    let corner = TemperatureSpell {
        corner: true,
        ..spell(at(3, 10, 0), at(3, 11, 0), 180)
    };
    assert_eq!(temp(Service::Heating, &[corner]).step_hours, 2);
    let t = QualityNorms::default();
    assert_eq!(
        temperature_excess(t.of(Service::Gas).unwrap(), t.rounding, jan(), &[]).unwrap(),
        None
    );
}

#[test]
fn reduction_in_kopecks_rounds_half_up_and_never_exceeds_the_fee() {
    assert_eq!(reduce(1_000_00, &[15]).kopecks, 1_50);
    assert_eq!(reduce(333, &[15]).kopecks, 0); // 0,4995 kopecks
    assert_eq!(reduce(334, &[15]).kopecks, 1); // 0,501
    assert_eq!(
        reduce(1_000_00, &[9_000, 2_000]),
        Reduction {
            bp: 10_000,
            kopecks: 1_000_00
        }
    );
    assert_eq!(reduce(-5_00, &[15]).kopecks, 0);
    assert_eq!(reduce(1_000_00, &[]).kopecks, 0);
}
