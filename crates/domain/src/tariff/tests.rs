use chrono::NaiveDate;
use proptest::prelude::*;

use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn cold(from: NaiveDate, to: Option<NaiveDate>, price: &str) -> Tariff {
    Tariff {
        service: "cold_water".into(),
        group: None,
        zone: None,
        from,
        to,
        price: parse_fixed(price, PRICE_PLACES).unwrap(),
        unit: Unit::CubicMeter,
        basis: "Постановление РЭК Свердловской области № 100-ПК от 20.11.2025".into(),
    }
}

#[test]
fn decimals_as_people_write_them() {
    assert_eq!(parse_fixed("45,87", 4), Ok(458_700));
    assert_eq!(parse_fixed(" 1 234.5 ", 4), Ok(12_345_000));
    assert_eq!(parse_fixed("-0,0216", 6), Ok(-21_600));
    assert!(parse_fixed("45,87123", 4)
        .unwrap_err()
        .contains("не больше 4 знаков"));
    assert!(parse_fixed("сорок", 4).unwrap_err().contains("не число"));
    assert!(parse_fixed("", 4).is_err());
    assert_eq!(format_fixed(458_700, 4, 2), "45,87");
    assert_eq!(format_fixed(12_345_000_000, 6, 0), "12 345");
    assert_eq!(format_fixed(21_600, 6, 0), "0,0216");
}

#[test]
fn cost_rounds_half_up_to_the_kopeck() {
    // 12,345 м³ × 45,87 ₽ = 566,26515 ₽.
    assert_eq!(cost_kopecks(12_345_000, 458_700), 56_627);
    assert_eq!(cost_kopecks(1_000_000, 5), 0); // 0,05 коп.
    assert_eq!(cost_kopecks(1_000_000, 50), 1); // 0,5 коп.
    assert_eq!(cost_kopecks(-1_000_000, 458_700), -4_587);
}

#[test]
fn bad_tariffs_are_refused_naming_the_field() {
    let mut neg = cold(d(2026, 1, 1), None, "45,87");
    neg.price = -1;
    let mut backwards = cold(d(2026, 7, 1), Some(d(2026, 6, 30)), "1");
    backwards.group = Some("other".into());
    let mut no_basis = cold(d(2026, 1, 1), None, "1");
    no_basis.service = "hot_water".into();
    no_basis.basis = String::new();
    let overlapping = cold(d(2026, 6, 1), None, "50");
    let e = validate_tariffs(&[neg, backwards, no_basis, overlapping]);
    assert!(e
        .for_field("tariffs[0].price")
        .unwrap()
        .contains("отрицательным"));
    assert!(e.for_field("tariffs[1].to").is_some());
    assert!(e
        .for_field("tariffs[2].basis")
        .unwrap()
        .contains("протокол"));
    assert!(e
        .for_field("tariffs[3].from")
        .unwrap()
        .contains("пересекается с тарифом с 01.01.2026"));
    let ok = [
        cold(d(2026, 1, 1), Some(d(2026, 6, 30)), "45,87"),
        cold(d(2026, 7, 1), None, "50,10"),
    ];
    assert!(validate_tariffs(&ok).is_empty());
}

#[test]
fn a_norm_without_its_unit_is_refused() {
    let n = Norm {
        service: "heating".into(),
        group: None,
        from: d(2026, 1, 1),
        to: None,
        per: NormBasis::PerSquareMeter,
        value: 21_600,
        unit: None,
        basis: "Постановление РЭК № 1".into(),
    };
    let e = validate_norms(&[
        n.clone(),
        Norm {
            unit: Some(Unit::Gcal),
            value: -1,
            ..n
        },
    ]);
    assert!(e.for_field("norms[0].unit").unwrap().contains("единицу"));
    assert!(e.for_field("norms[1].value").is_some());
    assert!(e.for_field("norms[1].unit").is_none());
}

#[test]
fn a_new_tariff_supersedes_the_one_in_force_and_never_edits_a_later_one() {
    let register = vec![cold(d(2026, 1, 1), None, "45,87")];
    let next = supersede(&register, cold(d(2026, 7, 1), None, "50,10")).unwrap();
    assert_eq!(next[0].to, Some(d(2026, 6, 30)));
    assert_eq!(
        tariff_on(&next, "cold_water", None, None, d(2026, 6, 30))
            .unwrap()
            .price,
        458_700
    );
    assert_eq!(
        tariff_on(&next, "cold_water", None, None, d(2026, 7, 1))
            .unwrap()
            .price,
        501_000
    );
    assert_eq!(
        tariff_on(&next, "cold_water", None, None, d(2025, 12, 31)),
        None
    );
    let e = supersede(&next, cold(d(2026, 3, 1), None, "47")).unwrap_err();
    assert!(e
        .for_field("from")
        .unwrap()
        .contains("должен начинаться позже"));
}

#[test]
fn a_group_tariff_comes_before_the_organizations() {
    let mut own = cold(d(2026, 1, 1), None, "40");
    own.group = Some("private_boilers".into());
    let register = [cold(d(2026, 1, 1), None, "45,87"), own];
    let day = d(2026, 3, 1);
    assert_eq!(
        tariff_on(&register, "cold_water", Some("private_boilers"), None, day)
            .unwrap()
            .price,
        400_000
    );
    assert_eq!(
        tariff_on(&register, "cold_water", Some("other"), None, day)
            .unwrap()
            .price,
        458_700
    );
    assert_eq!(
        tariff_on(&register, "cold_water", None, None, day)
            .unwrap()
            .price,
        458_700
    );
}

fn line(source: VolumeSource, charged: i64) -> SourceLine {
    SourceLine {
        service: "cold_water".into(),
        service_title: "Холодное водоснабжение".into(),
        kind: LineKind::Charge,
        charged_kopecks: charged,
        volume: None,
        price: None,
        unit: None,
        source,
    }
}

#[test]
fn each_line_says_where_its_volume_and_tariff_come_from() {
    let register = [cold(d(2026, 1, 1), None, "45,87")];
    let meter = line(
        VolumeSource::Meter {
            previous: 100_000_000,
            current: 112_345_000,
        },
        566_27,
    );
    let norm = line(
        VolumeSource::NormPerPerson {
            norm: 6_935_000,
            persons: 3,
        },
        954_33,
    );
    let only_sum = line(VolumeSource::None, 500_00);
    let mut recalc = line(VolumeSource::Given, -45_87);
    recalc.kind = LineKind::Recalculation {
        reason: "временное отсутствие".into(),
    };
    recalc.volume = Some(-1_000_000);
    let x = explain(
        &[meter, norm, only_sum, recalc],
        &register,
        None,
        d(2026, 11, 1),
    );
    assert_eq!(x.total_kopecks, 566_27 + 954_33 + 500_00 - 45_87);
    assert_eq!(x.lines[0].computed_kopecks, Some(566_27));
    assert_eq!(x.lines[0].difference_kopecks, None);
    assert!(
        x.lines[0].text.starts_with(
            "12,345 м³ (показания прибора учёта: 100 → 112,345) × 45,87 ₽/м³ = 566,27 ₽"
        ),
        "{}",
        x.lines[0].text
    );
    assert!(x.lines[0].text.contains("№ 100-ПК"));
    // 6,935 м³ × 3 чел. = 20,805 м³ × 45,87 = 954,32535 → 954,33 ₽.
    assert_eq!(
        (x.lines[1].volume, x.lines[1].computed_kopecks),
        (Some(20_805_000), Some(954_33))
    );
    assert!(x.lines[1]
        .text
        .contains("норматив 6,935 м³ на человека × 3 чел."));
    assert_eq!(x.lines[2].computed_kopecks, None);
    assert!(x.lines[2]
        .text
        .starts_with("В файле начислений только сумма: 500,00 ₽; тариф 45,87 ₽/м³"));
    assert!(
        x.lines[3]
            .text
            .starts_with("Перерасчёт (временное отсутствие): -1 м³"),
        "{}",
        x.lines[3].text
    );
}

#[test]
fn a_sum_that_differs_from_volume_times_tariff_is_pointed_out() {
    let mut l = line(VolumeSource::Given, 566_30);
    l.volume = Some(12_345_000);
    l.price = Some(458_700);
    l.unit = Some(Unit::CubicMeter);
    let x = explain(&[l], &[], None, d(2026, 11, 1));
    assert_eq!(x.lines[0].difference_kopecks, Some(3));
    assert!(
        x.lines[0]
            .text
            .ends_with("начислено 566,30 ₽ — на 0,03 ₽ больше расчёта"),
        "{}",
        x.lines[0].text
    );
    let heating = SourceLine {
        service: "heating".into(),
        unit: Some(Unit::Gcal),
        price: Some(2_345_6700),
        ..line(
            VolumeSource::NormPerArea {
                norm: 21_600,
                area: 54_30,
            },
            2_751_19,
        )
    };
    // 0,0216 Гкал/м² × 54,3 м² = 1,17288 Гкал × 2 345,67 ₽ = 2 751,1895 ₽.
    let x = explain(&[heating], &[], None, d(2026, 11, 1));
    assert_eq!(
        (x.lines[0].volume, x.lines[0].computed_kopecks),
        (Some(1_172_880), Some(2_751_19))
    );
}

proptest! {
    #[test]
    fn the_lines_add_up_to_the_charge(parts in prop::collection::vec((-100_000_00i64..100_000_00, 0i64..1_000_000_000, 0i64..100_000_0000), 0..12)) {
        let lines: Vec<SourceLine> = parts
            .iter()
            .map(|(charged, volume, price)| SourceLine { volume: Some(*volume), price: Some(*price), ..line(VolumeSource::Given, *charged) })
            .collect();
        let x = explain(&lines, &[], None, d(2026, 11, 1));
        prop_assert_eq!(x.total_kopecks, parts.iter().map(|p| p.0).sum::<i64>());
        for (l, (charged, _, _)) in x.lines.iter().zip(&parts) {
            let c = l.computed_kopecks.unwrap();
            prop_assert_eq!(c + l.difference_kopecks.unwrap_or(0), *charged);
        }
    }
}

fn lookup(s: &str) -> Option<String> {
    match s {
        "cold_water" | "Холодная вода" => Some("cold_water".into()),
        "heating" => Some("heating".into()),
        _ => None,
    }
}

fn tariff_form(price: &str, unit: &str) -> TariffForm {
    TariffForm {
        service: Some("Холодная вода".into()),
        group: Some(" ".into()),
        zone: None,
        from: Some("01.07.2026".into()),
        price: Some(price.into()),
        unit: Some(unit.into()),
        basis: Some("Постановление РЭК № 100-ПК от 20.11.2025".into()),
    }
}

#[test]
fn a_tariff_form_reads_what_people_type() {
    let mut e = crate::ValidationErrors::new();
    let t = tariff_form("45,87", "м3")
        .check("", &lookup, &mut e)
        .unwrap();
    assert!(e.0.is_empty(), "{e:?}");
    assert_eq!(t.service, "cold_water");
    assert_eq!(t.group, None, "a blank group is the whole organization");
    assert_eq!(t.from, d(2026, 7, 1));
    assert_eq!(t.price, 458_700);
    assert_eq!(t.unit, Unit::CubicMeter);
    assert_eq!(t.price_text(), "45,87 ₽/м³");
}

#[test]
fn a_tariff_form_names_each_wrong_field() {
    let cases = [
        (tariff_form("-1", "м3"), "rows[2].price", "отрицательным"),
        (tariff_form("45,87", "ведро"), "rows[2].unit", "ведро"),
        (tariff_form("сорок", "м3"), "rows[2].price", "не число"),
        (
            TariffForm {
                service: Some("Мойка окон".into()),
                ..tariff_form("1", "м2")
            },
            "rows[2].service",
            "Мойка окон",
        ),
        (
            TariffForm {
                from: Some("31.02.2026".into()),
                ..tariff_form("1", "м2")
            },
            "rows[2].from",
            "31.02.2026",
        ),
        (
            TariffForm {
                basis: None,
                ..tariff_form("1", "м2")
            },
            "rows[2].basis",
            "основание",
        ),
    ];
    for (form, field, word) in cases {
        let mut e = crate::ValidationErrors::new();
        assert!(form.check("rows[2].", &lookup, &mut e).is_none());
        assert_eq!(e.0.len(), 1, "{e:?}");
        assert_eq!(e.0[0].field, field);
        assert!(e.0[0].message.contains(word), "{e:?}");
    }
}

fn norm_form(value: &str, unit: Option<&str>) -> NormForm {
    NormForm {
        service: Some("heating".into()),
        group: None,
        from: Some("2026-01-01".into()),
        per: Some("per_square_meter".into()),
        value: Some(value.into()),
        unit: unit.map(str::to_string),
        basis: Some("Постановление РЭК № 5-ПК".into()),
    }
}

#[test]
fn a_norm_needs_its_unit_and_a_basis() {
    let mut e = crate::ValidationErrors::new();
    assert!(norm_form("0,0216", None)
        .check("", &lookup, &mut e)
        .is_none());
    assert_eq!(e.0[0].field, "unit");
    assert!(e.0[0].message.contains("единицу"), "{e:?}");
    let mut e = crate::ValidationErrors::new();
    let n = norm_form("0,0216", Some("Гкал"))
        .check("", &lookup, &mut e)
        .unwrap();
    assert_eq!(
        (n.value, n.unit, n.per),
        (21_600, Some(Unit::Gcal), NormBasis::PerSquareMeter)
    );
    let mut e = crate::ValidationErrors::new();
    let bad = NormForm {
        per: Some("на дом".into()),
        ..norm_form("1", Some("Гкал"))
    };
    assert!(bad.check("", &lookup, &mut e).is_none());
    assert_eq!(e.0[0].field, "per");
}

#[test]
fn a_new_norm_ends_the_one_in_force_and_never_rewrites_a_later_one() {
    let mut e = crate::ValidationErrors::new();
    let first = norm_form("0,0216", Some("Гкал"))
        .check("", &lookup, &mut e)
        .unwrap();
    let second = Norm {
        from: d(2026, 7, 1),
        value: 20_000,
        ..first.clone()
    };
    let reg = supersede_norm(std::slice::from_ref(&first), second.clone()).unwrap();
    assert_eq!(reg[0].to, Some(d(2026, 6, 30)));
    assert_eq!(
        norm_on(&reg, "heating", None, d(2026, 6, 30))
            .unwrap()
            .value,
        21_600
    );
    assert_eq!(
        norm_on(&reg, "heating", Some("Дома ТСЖ"), d(2026, 7, 1))
            .unwrap()
            .value,
        20_000
    );
    assert!(norm_on(&reg, "heating", None, d(2025, 12, 31)).is_none());
    let again = supersede_norm(
        &reg,
        Norm {
            from: d(2026, 3, 1),
            ..second
        },
    )
    .unwrap_err();
    assert_eq!(again.0[0].field, "from");
    assert!(again.0[0].message.contains("01.07.2026"), "{again:?}");
}
