use chrono::NaiveDate;
use proptest::prelude::*;

use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn change(from: Option<Stage>, to: Stage) -> StageChange<'static> {
    StageChange {
        from,
        to,
        on: d(2026, 11, 27),
        notice_delivered: Some(d(2026, 11, 1)),
        limited_on: Some(d(2026, 11, 10)),
        service: Some("electricity"),
        may_suspend: true,
        threshold_exceeded: true,
        claim: 50_000_00,
        reason: Some("решение суда"),
    }
}

fn fields(r: Result<(), crate::ValidationErrors>) -> Vec<String> {
    r.err()
        .map(|e| e.0.into_iter().map(|f| f.field).collect())
        .unwrap_or_default()
}

#[test]
fn the_usual_path() {
    let rules = DebtRules::default();
    use Stage::*;
    let path = [
        Informed,
        NoticeServed,
        Limitation,
        Suspension,
        CourtOrderPrepared,
        Filed,
        OrderIssued,
        Enforcement,
        Repaid,
    ];
    assert_eq!(check_stage_change(&change(None, Informed), &rules), Ok(()));
    for w in path.windows(2) {
        assert_eq!(
            check_stage_change(&change(Some(w[0]), w[1]), &rules),
            Ok(()),
            "{:?}",
            w
        );
    }
}

#[test]
fn a_service_the_reference_data_forbids_is_never_suspended() {
    let rules = DebtRules::default();
    for to in [Stage::Limitation, Stage::Suspension] {
        let mut c = change(Some(Stage::NoticeServed), to);
        c.from = Some(if to == Stage::Limitation {
            Stage::NoticeServed
        } else {
            Stage::Limitation
        });
        c.service = Some("heating");
        c.may_suspend = false;
        assert_eq!(fields(check_stage_change(&c, &rules)), ["service"]);
        c.may_suspend = true;
        assert_eq!(check_stage_change(&c, &rules), Ok(()));
    }
}

#[test]
fn twenty_days_from_delivery_before_limitation() {
    let rules = DebtRules::default();
    let mut c = change(Some(Stage::NoticeServed), Stage::Limitation);
    c.notice_delivered = Some(d(2026, 11, 10));
    c.on = d(2026, 11, 29);
    assert_eq!(fields(check_stage_change(&c, &rules)), ["on"]);
    c.on = d(2026, 11, 30);
    assert_eq!(check_stage_change(&c, &rules), Ok(()));
    c.notice_delivered = None;
    assert_eq!(fields(check_stage_change(&c, &rules)), ["notice_delivered"]);
}

#[test]
fn threshold_and_court_limit() {
    let rules = DebtRules::default();
    assert!(rules.limitation_allowed(2_001_00, 1_000_00, false));
    assert!(!rules.limitation_allowed(2_000_00, 1_000_00, false));
    assert!(!rules.limitation_allowed(9_000_00, 1_000_00, true));
    let mut c = change(Some(Stage::Informed), Stage::CourtOrderPrepared);
    c.claim = 500_000_01;
    assert_eq!(fields(check_stage_change(&c, &rules)), ["claim"]);
    let mut c = change(Some(Stage::NoticeServed), Stage::Limitation);
    c.threshold_exceeded = false;
    assert_eq!(fields(check_stage_change(&c, &rules)), ["service"]);
}

// Issue 14 §3: an ended case is followed by a new one (a new debt), started like the first.
#[test]
fn an_ended_case_is_followed_by_a_new_one() {
    let rules = DebtRules::default();
    for end in [Stage::Repaid, Stage::WrittenOff] {
        assert!(end.is_closed());
        assert_eq!(end.next(), Stage::OPENING);
        assert_eq!(
            check_stage_change(&change(Some(end), Stage::Informed), &rules),
            Ok(())
        );
    }
    assert_eq!(
        fields(check_stage_change(
            &change(Some(Stage::Repaid), Stage::Enforcement),
            &rules
        )),
        ["stage"]
    );
}

// Issue 14 §3: after a cancelled order, and for a claim above the court-order limit, the
// path goes to a claim, its filing, the decision and enforcement; a claim that fits an
// order goes to an order first, and a cancelled order is not followed by another order.
#[test]
fn a_cancelled_order_or_a_big_claim_goes_to_a_claim() {
    let rules = DebtRules::default();
    use Stage::*;
    let path = [
        OrderCancelled,
        ClaimPrepared,
        ClaimFiled,
        Judgment,
        Enforcement,
        Repaid,
    ];
    for w in path.windows(2) {
        assert_eq!(
            check_stage_change(&change(Some(w[0]), w[1]), &rules),
            Ok(()),
            "{w:?}"
        );
    }
    assert_eq!(
        fields(check_stage_change(
            &change(Some(OrderCancelled), CourtOrderPrepared),
            &rules
        )),
        ["stage"]
    );
    assert_eq!(
        fields(check_stage_change(
            &change(Some(NoticeServed), ClaimPrepared),
            &rules
        )),
        ["claim"]
    );
    let mut big = change(Some(NoticeServed), ClaimPrepared);
    big.claim = 500_000_01;
    assert_eq!(check_stage_change(&big, &rules), Ok(()));
    big.from = None;
    assert_eq!(check_stage_change(&big, &rules), Ok(()));
}

#[test]
fn jumps_are_refused() {
    let rules = DebtRules::default();
    assert_eq!(
        fields(check_stage_change(
            &change(Some(Stage::Informed), Stage::Enforcement),
            &rules
        )),
        ["stage"]
    );
    let mut c = change(Some(Stage::Enforcement), Stage::WrittenOff);
    c.reason = None;
    assert_eq!(fields(check_stage_change(&c, &rules)), ["reason"]);
    for s in Stage::ALL {
        assert_eq!(Stage::from_code(s.code()), Some(s));
    }
}

#[test]
fn limitation_of_claims() {
    let rules = DebtRules::default();
    assert_eq!(time_barred_before(&rules, d(2026, 11, 27)), d(2023, 11, 27));
}

#[test]
fn schedule_and_tracking() {
    let s = installment_schedule(1_000_00, 3, d(2026, 1, 31));
    let amounts: Vec<i64> = s.iter().map(|i| i.amount).collect();
    assert_eq!(amounts, [333_34, 333_33, 333_33]);
    assert_eq!(s[1].due, d(2026, 2, 28));
    assert_eq!(s[2].due, d(2026, 3, 31));
    let t = track_installments(&s, &[(d(2026, 1, 30), 400_00)], d(2026, 3, 1));
    assert_eq!((t[0].paid, t[0].missed), (333_34, false));
    assert_eq!((t[1].paid, t[1].missed), (66_66, true));
    assert!(!t[2].missed);
}

proptest! {
    #[test]
    fn schedule_sums_to_total(total in 1i64..100_000_000, parts in 1u32..60) {
        let s = installment_schedule(total, parts, d(2026, 1, 15));
        prop_assert_eq!(s.len() as u32, parts);
        prop_assert_eq!(s.iter().map(|i| i.amount).sum::<i64>(), total);
        prop_assert!(s.windows(2).all(|w| w[0].due < w[1].due));
    }

    #[test]
    fn paying_more_never_adds_a_missed_part(total in 1_00i64..1_000_000, parts in 1u32..24,
                                            a in 0i64..1_000_000, extra in 0i64..1_000_000) {
        let s = installment_schedule(total, parts, d(2026, 1, 15));
        let today = d(2027, 6, 1);
        let less = track_installments(&s, &[(d(2026, 1, 1), a)], today);
        let more = track_installments(&s, &[(d(2026, 1, 1), a + extra)], today);
        for (l, m) in less.iter().zip(&more) {
            prop_assert!(m.paid >= l.paid);
            prop_assert!(!m.missed || l.missed);
        }
    }
}

#[test]
fn debt_rules_refuse_zero_thresholds_and_no_source() {
    assert!(DebtRules::default().check().is_ok());
    let r = DebtRules {
        threshold_monthly_fees: 0,
        limitation_years: 0,
        court_order_limit: 0,
        source: " ".into(),
        ..DebtRules::default()
    };
    let e = r.check().unwrap_err();
    for f in [
        "threshold_monthly_fees",
        "limitation_years",
        "court_order_limit",
        "source",
    ] {
        assert!(e.for_field(f).is_some(), "{f}");
    }
}
