use chrono::{NaiveDate, NaiveDateTime};

use super::*;

fn d(m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, day).unwrap()
}

fn at(m: u32, day: u32, h: u32) -> NaiveDateTime {
    d(m, day).and_hms_opt(h, 0, 0).unwrap()
}

fn contract() -> ContractTerms {
    ContractTerms {
        number: "17/2026".into(),
        from: d(1, 1),
        to: Some(d(12, 31)),
        buildings: vec![1, 2],
        work_types: vec!["plumbing".into(), "roof".into()],
        prices: vec![
            PriceItem {
                work_type: "plumbing".into(),
                unit: "шт.".into(),
                price_kopecks: 1_250_00,
            },
            PriceItem {
                work_type: "roof".into(),
                unit: "м²".into(),
                price_kopecks: 845_50,
            },
        ],
        times: vec![
            Times {
                priority: Priority::Emergency,
                response_hours: 1,
                completion_hours: 24,
            },
            Times {
                priority: Priority::Normal,
                response_hours: 24,
                completion_hours: 72,
            },
        ],
        penalty: Some(PenaltyClause::PercentPerDay { bp: 10 }),
        penalty_cap_bp: Some(1_000),
    }
}

#[test]
fn coverage_by_date_building_and_work_type() {
    let c = contract();
    assert_eq!(c.covers(1, "plumbing", d(6, 1)), Coverage::Covered);
    assert_eq!(
        c.covers(3, "plumbing", d(6, 1)),
        Coverage::BuildingNotCovered
    );
    assert_eq!(
        c.covers(1, "electric", d(6, 1)),
        Coverage::WorkTypeNotCovered
    );
    assert_eq!(c.covers(1, "plumbing", d(12, 31)), Coverage::Covered);
    let next_year = NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
    assert_eq!(c.covers(1, "plumbing", next_year), Coverage::NotInForce);
    assert!(Coverage::BuildingNotCovered
        .warning(&c)
        .unwrap()
        .contains("№ 17/2026"));
    let any = ContractTerms {
        buildings: vec![],
        work_types: vec![],
        ..c
    };
    assert_eq!(any.covers(99, "anything", d(6, 1)), Coverage::Covered);
}

#[test]
fn a_contract_ending_within_thirty_days_is_expiring() {
    let c = contract();
    assert!(!c.expiring(d(11, 30), 30));
    assert!(c.expiring(d(12, 1), 30));
    assert!(c.expiring(d(12, 31), 30));
    assert!(!ContractTerms { to: None, ..c }.expiring(d(12, 1), 30));
}

#[test]
fn an_order_deadline_follows_the_contracts_times_for_its_priority() {
    let c = contract();
    assert_eq!(
        c.order_deadline(Priority::Emergency, at(3, 10, 15)),
        Some(at(3, 11, 15))
    );
    assert_eq!(
        c.order_deadline(Priority::Normal, at(3, 10, 15)),
        Some(at(3, 13, 15))
    );
    assert_eq!(c.order_deadline(Priority::Planned, at(3, 10, 15)), None);
}

#[test]
fn days_of_delay() {
    let deadline = at(3, 13, 15);
    assert_eq!(delay_days(deadline, Some(at(3, 13, 14)), d(3, 20)), 0);
    assert_eq!(delay_days(deadline, Some(at(3, 13, 18)), d(3, 20)), 1); // late the same day
    assert_eq!(delay_days(deadline, Some(at(3, 16, 9)), d(3, 20)), 3);
    assert_eq!(delay_days(deadline, None, d(3, 13)), 0);
    assert_eq!(delay_days(deadline, None, d(3, 20)), 7);
}

#[test]
fn the_claim_penalty_follows_the_clause_and_its_cap() {
    let c = contract();
    // 0,1 % of 12 500,00 ₽ a day for 5 days = 62,50 ₽.
    assert_eq!(c.claim_penalty(12_500_00, 5, 0), 62_50);
    // Capped at 10 % of the price.
    assert_eq!(c.claim_penalty(12_500_00, 500, 0), 1_250_00);
    let fixed = ContractTerms {
        penalty: Some(PenaltyClause::FixedPerDay { kopecks: 500_00 }),
        penalty_cap_bp: None,
        ..contract()
    };
    assert_eq!(fixed.claim_penalty(12_500_00, 3, 0), 1_500_00);
    let per = ContractTerms {
        penalty: Some(PenaltyClause::PerViolation { kopecks: 2_000_00 }),
        ..contract()
    };
    assert_eq!(per.claim_penalty(30_000_00, 0, 2), 3_000_00); // 4 000 ₽ capped at 10 %
    assert_eq!(
        ContractTerms {
            penalty: None,
            ..contract()
        }
        .claim_penalty(12_500_00, 5, 0),
        0
    );
    assert_eq!(
        clause_text(&PenaltyClause::PercentPerDay { bp: 10 }),
        "0,10 % цены заказа за каждый день просрочки"
    );
}

#[test]
fn an_act_prices_the_work_and_refuses_a_work_type_without_a_price() {
    let c = contract();
    let (lines, total) =
        act_lines(&c, &[("plumbing".into(), 2_000), ("roof".into(), 12_500)]).unwrap();
    // 2 шт. × 1 250,00 = 2 500,00; 12,5 м² × 845,50 = 10 568,75.
    assert_eq!(
        lines.iter().map(|l| l.sum_kopecks).collect::<Vec<_>>(),
        [2_500_00, 10_568_75]
    );
    assert_eq!(total, 13_068_75);
    let e = act_lines(
        &c,
        &[("plumbing".into(), 1_000), ("painting".into(), 1_000)],
    )
    .unwrap_err();
    assert!(e
        .for_field("work[1].work_type")
        .unwrap()
        .contains("нет цены на работу «painting»"));
}
