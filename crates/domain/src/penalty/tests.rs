use chrono::NaiveDate;

use super::*;

pub(super) fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

pub(super) fn debt(period: &str, kop: i64, due: NaiveDate) -> Debt {
    Debt {
        period: period.into(),
        amount_kopecks: kop,
        due_date: due,
        arose_on: None,
        kind: DebtKind::Utility,
    }
}

pub(super) fn pay(date: NaiveDate, kop: i64, period: Option<&str>) -> Payment {
    Payment {
        date,
        amount_kopecks: kop,
        period: period.map(str::to_string),
    }
}

/// Settings of the regulations.md §2 worked case: fixed 9,5 %, moratoria as the public
/// calculator's test has them.
fn worked_settings() -> PenaltySettings {
    let mut s = PenaltySettings {
        rate_mode: RateMode::Fixed { rate_bp: 950 },
        ..Default::default()
    };
    s.moratoria[0].from = d(2020, 4, 6);
    s.moratoria[0].to = d(2021, 1, 1);
    s.moratoria[1].from = d(2022, 3, 31);
    s.moratoria[1].to = d(2022, 10, 1);
    s
}

fn worked(s: &PenaltySettings) -> PenaltyCalculation {
    calculate(
        &[debt("2019-05", 100_000, d(2019, 6, 10))],
        &[pay(d(2020, 1, 1), 10_000, None)],
        d(2024, 4, 19),
        s,
        &KeyRateTable::default(),
    )
    .unwrap()
}

#[test]
fn worked_case_835_05() {
    let c = worked(&worked_settings());
    let table: Vec<_> = c
        .rows
        .iter()
        .map(|r| {
            (
                r.debt_kopecks,
                r.from,
                r.to,
                r.days,
                r.share,
                r.penalty_kopecks,
                r.moratorium.is_some(),
            )
        })
        .collect();
    assert_eq!(
        table,
        vec![
            (
                100_000,
                d(2019, 7, 11),
                d(2019, 9, 8),
                60,
                300,
                1_900,
                false
            ),
            (
                100_000,
                d(2019, 9, 9),
                d(2020, 1, 1),
                115,
                130,
                8_404,
                false
            ),
            (90_000, d(2020, 1, 2), d(2020, 4, 5), 95, 130, 6_248, false),
            (90_000, d(2020, 4, 6), d(2021, 1, 1), 271, 130, 0, true),
            (
                90_000,
                d(2021, 1, 2),
                d(2022, 3, 30),
                453,
                130,
                29_793,
                false
            ),
            (90_000, d(2022, 3, 31), d(2022, 10, 1), 185, 130, 0, true),
            (
                90_000,
                d(2022, 10, 2),
                d(2024, 4, 18),
                565,
                130,
                37_160,
                false
            ),
        ]
    );
    let on = |k| -> i64 {
        c.rows
            .iter()
            .filter(|r| r.debt_kopecks == k)
            .map(|r| r.penalty_kopecks)
            .sum()
    };
    assert_eq!((on(100_000), on(90_000)), (10_304, 73_201));
    assert_eq!(c.total_kopecks, 83_505);
    assert_eq!(c.exact_total_kopecks(), (83_505, 1));
    assert_eq!(c.last_day, d(2024, 4, 18));
    assert_eq!(c.rows[0].formula, "1 000,00 × 60 × 1/300 × 9,5%");
    assert_eq!(c.rows[2].formula, "900,00 × 95 × 1/130 × 9,5%");
    assert!(c.rows[3]
        .formula
        .starts_with("мораторий: ПП РФ от 02.04.2020 № 424"));
    // Cumulative rounding gives the same table here.
    let cum = worked(&PenaltySettings {
        rounding: RowRounding::Cumulative,
        ..worked_settings()
    });
    assert_eq!(cum.rows, c.rows);
}

#[test]
fn each_disputed_convention_changes_the_worked_case() {
    let with = |f: fn(&mut PenaltySettings)| {
        let mut s = worked_settings();
        f(&mut s);
        worked(&s).total_kopecks
    };
    // Calculation date accrues: 566 days on 900,00 in the last row.
    assert_eq!(with(|s| s.include_calc_date = true), 83_570);
    // Payment day does not accrue on the paid 100,00.
    assert_eq!(with(|s| s.payment_day_accrues = false), 83_498);
    // Official moratorium bounds (regulations.md defaults): two more accruing days.
    assert_eq!(
        with(|s| s.moratoria = PenaltySettings::default().moratoria),
        83_637
    );
}

#[test]
fn key_rate_each_day_with_cap() {
    // 10 000,00 due 10.01.2022: day 31 = 10.02.2022. Key 8,5 % until 13.02, 9,5 % from
    // 14.02, 20 % from 28.02 but capped at 9,5 %; calculated to 01.03.2022 (last day 28.02).
    let s = PenaltySettings {
        rate_mode: RateMode::KeyRate {
            on: RateDate::EachDay,
        },
        ..Default::default()
    };
    let c = calculate(
        &[debt("2021-12", 1_000_000, d(2022, 1, 10))],
        &[],
        d(2022, 3, 1),
        &s,
        &KeyRateTable::default(),
    )
    .unwrap();
    let rows: Vec<_> = c.rows.iter().map(|r| (r.from, r.days, r.rate_bp)).collect();
    assert_eq!(
        rows,
        vec![(d(2022, 2, 10), 4, 850), (d(2022, 2, 14), 15, 950)]
    );
    // 10 000 × 4 × 8,5 % / 300 = 11,333… ; 10 000 × 15 × 9,5 % / 300 = 47,5
    assert_eq!(c.rows[0].penalty_kopecks, 1_133);
    assert_eq!(c.rows[1].penalty_kopecks, 4_750);
    // Without the cap, 28.02 is a separate row at 20 %.
    let c = calculate(
        &[debt("2021-12", 1_000_000, d(2022, 1, 10))],
        &[],
        d(2022, 3, 1),
        &PenaltySettings {
            rate_cap: None,
            ..s
        },
        &KeyRateTable::default(),
    )
    .unwrap();
    assert_eq!(c.rows.last().unwrap().rate_bp, 2000);
    assert_eq!(
        c.rows.last().unwrap().formula,
        "10 000,00 × 1 × 1/300 × 20%"
    );
}

#[test]
fn payment_date_mode_splits_paid_parts() {
    // 1 000,00 due 10.01.2019; 400,00 paid 01.04.2019 (key 7,75 %), rest calculated to
    // 01.07.2019 (rate on that day 7,5 %).
    let s = PenaltySettings::default();
    let c = calculate(
        &[debt("2018-12", 100_000, d(2019, 1, 10))],
        &[pay(d(2019, 4, 1), 40_000, None)],
        d(2019, 7, 1),
        &s,
        &KeyRateTable::default(),
    )
    .unwrap();
    let rows: Vec<_> = c
        .rows
        .iter()
        .map(|r| (r.debt_kopecks, r.from, r.to, r.share, r.rate_bp))
        .collect();
    assert_eq!(
        rows,
        vec![
            (40_000, d(2019, 2, 10), d(2019, 4, 1), 300, 775),
            (60_000, d(2019, 2, 10), d(2019, 4, 10), 300, 750),
            (60_000, d(2019, 4, 11), d(2019, 6, 30), 130, 750),
        ]
    );
    // 400 × 51 × 7,75 % / 300 = 5,27; 600 × 60 × 7,5 % / 300 = 9,00; 600 × 81 × 7,5 % / 130
    // = 28,038…
    let amounts: Vec<i64> = c.rows.iter().map(|r| r.penalty_kopecks).collect();
    assert_eq!(amounts, vec![527, 900, 2_804]);
}

#[test]
fn payments_go_to_named_period_then_oldest_first() {
    let s = PenaltySettings {
        rate_mode: RateMode::Fixed { rate_bp: 1000 },
        moratoria: vec![],
        ..Default::default()
    };
    let debts = [
        debt("2023-02", 50_000, d(2023, 3, 10)),
        debt("2023-01", 50_000, d(2023, 2, 10)),
    ];
    let pays = [
        pay(d(2023, 1, 20), 70_000, Some("2023-02")),
        pay(d(2023, 1, 25), 40_000, None),
    ];
    let c = calculate(&debts, &pays, d(2023, 12, 31), &s, &KeyRateTable::default()).unwrap();
    // 2023-02 is paid by the first payment (50 000), 20 000 goes to 2023-01; the second pays
    // the remaining 30 000 of 2023-01 and 10 000 is left over. Nothing is late.
    assert_eq!(c.total_kopecks, 0);
    assert!(c.rows.is_empty());
    assert_eq!(c.unallocated_kopecks, 10_000);

    // Unknown period: oldest first. Payment after the last day: ignored.
    let c = calculate(
        &debts,
        &[
            pay(d(2023, 1, 20), 50_000, Some("1999-01")),
            pay(d(2024, 1, 1), 50_000, None),
        ],
        d(2023, 12, 31),
        &s,
        &KeyRateTable::default(),
    )
    .unwrap();
    assert!(c.rows.iter().all(|r| r.period == "2023-02"));
    assert_eq!(c.unallocated_kopecks, 0);
}

#[test]
fn moratorium_limited_to_older_debts() {
    // ПП 497 default: only debts arising before 01.04.2022.
    let s = PenaltySettings {
        rate_mode: RateMode::Fixed { rate_bp: 950 },
        ..Default::default()
    };
    let old = debt("2022-01", 100_000, d(2022, 2, 10));
    let new = debt("2022-04", 100_000, d(2022, 5, 10));
    let calc = |x: &Debt| {
        calculate(
            std::slice::from_ref(x),
            &[],
            d(2022, 10, 1),
            &s,
            &KeyRateTable::default(),
        )
        .unwrap()
    };
    assert_eq!(
        calc(&old)
            .rows
            .iter()
            .filter(|r| r.moratorium.is_none())
            .count(),
        1
    );
    let c = calc(&new);
    assert!(c.rows.iter().all(|r| r.moratorium.is_none()));
    assert!(c.total_kopecks > 0);
    // The same debt declared as arising in March is covered.
    let covered = Debt {
        arose_on: Some(d(2022, 3, 31)),
        ..new
    };
    assert_eq!(calc(&covered).total_kopecks, 0);
}

#[test]
fn errors_are_named_and_russian() {
    let s = PenaltySettings::default();
    let t = KeyRateTable::default();
    let e = calculate(
        &[debt("", -5, d(2020, 1, 10))],
        &[pay(d(2020, 1, 1), 0, None)],
        d(2021, 1, 1),
        &s,
        &t,
    )
    .unwrap_err();
    assert!(e.for_field("debts[0].amount_kopecks").is_some());
    assert!(e.for_field("debts[0].period").is_some());
    assert!(e.for_field("payments[0].amount_kopecks").is_some());
    let e = calculate(
        &[debt("2010-01", 100, d(2010, 2, 10))],
        &[],
        d(2011, 1, 1),
        &s,
        &t,
    )
    .unwrap_err();
    assert!(e
        .for_field("key_rates")
        .unwrap()
        .contains("Нет ключевой ставки на"));
    let bad = PenaltySettings {
        grace_days: 100,
        ..Default::default()
    };
    let e = calculate(&[], &[], d(2021, 1, 1), &bad, &t).unwrap_err();
    assert!(e.for_field("settings.share_300_until_day").is_some());
}

#[test]
fn rates_format_like_a_court_table() {
    assert_eq!(format_rate(950), "9,5%");
    assert_eq!(format_rate(1625), "16,25%");
    assert_eq!(format_rate(2000), "20%");
    assert_eq!(format_rate(705), "7,05%");
}

#[test]
fn per_row_rounding_can_grow_by_a_kopeck_with_a_payment() {
    // 1 000,00 for days 31..=50 at 1/300 × 9,5 %: 633,33 kop. → 6,33 ₽. Paying 0,01 ₽ on
    // day 31 splits the row: 31,67 + 601,65 kop. → 32 + 602 = 634. Cumulative rounding
    // rounds the exact total once: 633.
    let debts = [debt("2022-12", 100_000, d(2023, 1, 10))];
    let one_kopeck = [pay(d(2023, 2, 10), 1, None)];
    let total = |pays: &[Payment], rounding| {
        let s = PenaltySettings {
            rate_mode: RateMode::Fixed { rate_bp: 950 },
            rounding,
            ..Default::default()
        };
        calculate(&debts, pays, d(2023, 3, 2), &s, &KeyRateTable::default())
            .unwrap()
            .total_kopecks
    };
    assert_eq!(total(&[], RowRounding::PerRow), 633);
    assert_eq!(total(&one_kopeck, RowRounding::PerRow), 634);
    assert_eq!(total(&[], RowRounding::Cumulative), 633);
    assert_eq!(total(&one_kopeck, RowRounding::Cumulative), 633);
}

#[test]
fn capital_repair_takes_one_three_hundredth_for_every_day_from_the_31st() {
    // ЖК ст. 155 ч. 14.1: 1 000,00 due 10.01.2023, fixed 9,5 %, calculated to 01.01.2024.
    let s = PenaltySettings {
        rate_mode: RateMode::Fixed { rate_bp: 950 },
        ..Default::default()
    };
    let utility = debt("2022-12", 100_000, d(2023, 1, 10));
    let capital = Debt {
        kind: DebtKind::CapitalRepair,
        ..utility.clone()
    };
    let calc = |x: &Debt, s: &PenaltySettings| {
        calculate(
            std::slice::from_ref(x),
            &[],
            d(2024, 1, 1),
            s,
            &KeyRateTable::default(),
        )
        .unwrap()
    };
    let c = calc(&capital, &s);
    // Day 31 = 10.02.2023 … 31.12.2023: 325 days at 1/300, one row.
    let rows: Vec<_> = c.rows.iter().map(|r| (r.from, r.days, r.share)).collect();
    assert_eq!(rows, vec![(d(2023, 2, 10), 325, 300)]);
    // 1 000 × 325 × 9,5 % / 300 = 102,916… → 102,92.
    assert_eq!(c.total_kopecks, 10_292);
    // Utilities take the 1/130 step from day 91 and come out higher.
    let u = calc(&utility, &s);
    assert!(u.rows.iter().any(|r| r.share == 130));
    assert!(u.total_kopecks > c.total_kopecks);
    // The rule is a setting with its source: switched off, capital repair is a utility.
    let off = PenaltySettings {
        capital_repair: CapitalRepairRule {
            first_share_only: false,
            ..Default::default()
        },
        ..s.clone()
    };
    assert_eq!(calc(&capital, &off).total_kopecks, u.total_kopecks);
    assert!(s.capital_repair.source.contains("ч. 14.1"));
    let e = PenaltySettings {
        capital_repair: CapitalRepairRule {
            first_share_only: true,
            source: " ".into(),
        },
        ..s
    }
    .validate();
    assert!(e.for_field("capital_repair.source").is_some());
}

#[test]
fn pp_474_caps_the_whole_calculation_made_before_2027() {
    // 10 000,00 due 10.01.2021, unpaid; key rate 16 % on the calculation date 01.01.2024.
    let debts = [debt("2020-12", 1_000_000, d(2021, 1, 10))];
    let calc = |s: &PenaltySettings, on: NaiveDate, pays: &[Payment]| {
        calculate(&debts, pays, on, s, &KeyRateTable::default()).unwrap()
    };
    let s = PenaltySettings::default();
    assert_eq!(s.rate_cap.as_ref().unwrap().scope, CapScope::RateDate);
    let c = calc(&s, d(2024, 1, 1), &[]);
    // Every day, also those of 2021, at min(16 %, 9,5 %).
    assert!(c.rows.iter().all(|r| r.rate_bp == 950), "{:?}", c.rows);
    // 10.02–11.04.2021: 10 000 × 60 × 9,5 % / 300 = 190,00.
    assert_eq!((c.rows[0].days, c.rows[0].penalty_kopecks), (60, 19_000));

    // The reading before issue 14, kept as an option: 2021 days at the uncapped 16 %.
    let mut old = PenaltySettings::default();
    old.rate_cap.as_mut().unwrap().scope = CapScope::AccrualDays;
    let o = calc(&old, d(2024, 1, 1), &[]);
    assert_eq!(
        (o.rows[0].rate_bp, o.rows[0].penalty_kopecks),
        (1600, 32_000)
    );
    assert!(o.total_kopecks > c.total_kopecks);
    let json = serde_json::to_string(&old).unwrap();
    assert_eq!(serde_json::from_str::<PenaltySettings>(&json).unwrap(), old);
    // Settings stored before the option existed read as the default reading.
    let legacy = json.replace(",\"scope\":\"accrual_days\"", "");
    assert_ne!(legacy, json);
    assert_eq!(serde_json::from_str::<PenaltySettings>(&legacy).unwrap(), s);

    // A part paid on 01.06.2021 (key 5 %) keeps that rate; a part paid on 10.01.2023 takes
    // min(7,5 %, 9,5 %); the rest the capped rate of the calculation date.
    let pays = [
        pay(d(2021, 6, 1), 100_000, None),
        pay(d(2023, 1, 10), 100_000, None),
    ];
    let p = calc(&s, d(2024, 1, 1), &pays);
    let rates: Vec<u32> = p.rows.iter().map(|r| r.rate_bp).collect();
    assert!(rates.contains(&500) && rates.contains(&750), "{rates:?}");
    assert!(p.rows.iter().all(|r| r.rate_bp <= 950));

    // Calculated after 31.12.2026 the cap no longer applies to the unpaid rest.
    let late = calc(&s, d(2027, 2, 1), &[]);
    assert!(late.rows.iter().all(|r| r.rate_bp > 950), "{:?}", late.rows);
}
