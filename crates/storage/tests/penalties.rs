//! Issue 14 §4 on SQLite and PostgreSQL: penalties that can be paid, the production calendar
//! stored in the database, capital repair without the 1/130 step, and penalty runs that do
//! not depend on the order months are run in.

use abonent_domain::calendar::{CalendarSource, YearCalendar};
use abonent_domain::ledger::{EntryKind, Period};
use abonent_domain::penalty::{total, PenaltySettings, RateMode};
use abonent_storage::ledger::payments::{self, IncomingPayment};
use abonent_storage::ledger::penalties::{self, run_calc_date};
use abonent_storage::ledger::{self, debts, entries, period_end, reference};
use abonent_storage::{both_backends, calendar, Db};
use chrono::NaiveDate;

mod common;
use common::*;

/// Fixed 9,5 %: the expected figures do not depend on the key-rate table.
async fn fixed_rate(db: &Db) {
    let s = PenaltySettings {
        rate_mode: RateMode::Fixed { rate_bp: 950 },
        ..Default::default()
    };
    reference::save_penalty_settings(db, &s, "тест", &actor())
        .await
        .unwrap();
}

/// Payments as a bank file would bring them; `name` makes the file unique.
async fn pay(db: &Db, name: &str, list: &[(&str, &str, i64, &str)]) {
    let list: Vec<IncomingPayment> = list
        .iter()
        .enumerate()
        .map(|(i, (number, date, amount, purpose))| IncomingPayment {
            line: i + 1,
            operation_id: Some(format!("{name}-{i}")),
            paid_on: day(date),
            account_number: number.to_string(),
            payer: "Иванов И. И.".into(),
            address: String::new(),
            purpose: purpose.to_string(),
            period: None,
            amount: *amount,
        })
        .collect();
    let producer: payments::Producer = Box::new(move |emit| {
        for p in list {
            emit(p);
        }
        Ok(())
    });
    payments::import_payments(
        db,
        &meta("register", name, name.as_bytes()),
        &actor(),
        producer,
        &|_| {},
    )
    .await
    .unwrap();
}

/// One account, 100001, with 1 000,00 of heating for January 2025 due 10.02.2025, at 9,5 %.
async fn one_debt(db: &Db) -> i64 {
    let (_, ids) = accounts(db, "ул. Ленина", &["100001"]).await;
    fixed_rate(db).await;
    import(
        db,
        "c",
        &[charge(2, "100001", "2025-01", "heating", 100000)],
    )
    .await;
    ids[0]
}

async fn posted(db: &Db, account: i64) -> i64 {
    ledger::domain_entries(db, account)
        .await
        .unwrap()
        .iter()
        .filter(|e| e.kind == EntryKind::Penalty)
        .map(|e| e.amount)
        .sum()
}

async fn run(db: &Db, period: &str) -> i64 {
    penalties::run_month(db, per(period), &actor(), &|_, _| {})
        .await
        .unwrap()
        .amount
}

both_backends!(penalties_can_be_paid, |db: Db| async move {
    let (_, ids) = accounts(&db, "ул. Ленина", &["100001", "100002"]).await;
    fixed_rate(&db).await;
    import(
        &db,
        "c",
        &[
            charge(2, "100001", "2025-01", "heating", 100000),
            charge(3, "100002", "2025-01", "heating", 100000),
        ],
    )
    .await;
    // Due 10.02.2025; 13.03–31.03: 19 days × 1 000 × 9,5 % / 300 = 6,02 each.
    assert_eq!(run(&db, "2025-03").await, 1204);

    // The first account pays what the payment document asked: debt and penalties.
    // The second pays the penalties alone, «пени» in the purpose.
    pay(
        &db,
        "r1",
        &[
            ("100001", "2025-04-05", 100602, "ЖКУ за 01.2025"),
            ("100002", "2025-04-05", 602, "Оплата пени по л/с 100002"),
        ],
    )
    .await;
    debts::refresh(&db, None, day("2025-04-10")).await.unwrap();
    // (debt, penalties owed, months): nothing left on the first, only the debt on the second.
    assert_eq!(
        debts::of_account(&db, ids[0]).await.unwrap(),
        Some((0, 0, 0))
    );
    assert_eq!(
        debts::of_account(&db, ids[1])
            .await
            .unwrap()
            .map(|f| (f.0, f.1)),
        Some((100000, 0))
    );
    let list = entries::list(&db, ids[1], None, None).await.unwrap();
    let p = list.iter().find(|e| e.kind == EntryKind::Payment).unwrap();
    assert!(p.for_penalties);
    // Accrued, paid and owed, as the account page shows them.
    let e = ledger::domain_entries(&db, ids[1]).await.unwrap();
    let out = abonent_domain::ledger::allocate(&e, day("2025-04-10"), Default::default());
    assert_eq!(
        (
            out.penalties_accrued,
            out.penalties_paid,
            out.penalties_owed()
        ),
        (602, 602, 0)
    );
    // The money for penalties did not pay the debt: April accrues on the whole 1 000,00
    // (30 days × 9,5 % / 300 = 9,50); the first account accrues until 05.04 only.
    let (c, _) = penalties::account_calculation(&db, ids[1], day("2025-05-01"))
        .await
        .unwrap();
    assert_eq!(c.total_kopecks, 602 + 950);
    let (c, _) = penalties::account_calculation(&db, ids[0], day("2025-05-01"))
        .await
        .unwrap();
    // 13.03–05.04: 24 days = 7,60.
    assert_eq!(c.total_kopecks, 760);

    // The old rule, kept as an option: the surplus stays an advance beside the penalties.
    reference::save_penalty_credit(
        &db,
        abonent_domain::ledger::PenaltyCredit::MarkedOnly,
        "тест",
        &actor(),
    )
    .await
    .unwrap();
    debts::refresh(&db, None, day("2025-04-10")).await.unwrap();
    assert_eq!(
        debts::of_account(&db, ids[0]).await.unwrap().map(|f| f.1),
        Some(602)
    );
    assert_eq!(
        reference::allocation_rule(&db).await.unwrap(),
        Default::default()
    );
});

both_backends!(penalties_use_the_stored_calendar, |db: Db| async move {
    let id = one_debt(&db).await;
    let on = day("2025-04-01");
    let (c, _) = penalties::account_calculation(&db, id, on).await.unwrap();
    // Due Monday 10.02.2025: 13.03–31.03 = 19 days = 6,02.
    assert_eq!(c.total_kopecks, 602);

    // The administrator loads a decree that makes 10.02.2025 a day off: the due date moves to
    // 11.02 and the penalty starts a day later.
    let shipped = calendar::load(&db).await.unwrap().year(2025);
    let mut off = shipped.non_working().to_vec();
    off.push(day("2025-02-10"));
    let y = YearCalendar::new(
        2025,
        CalendarSource::Decree {
            reference: "Тестовое постановление".into(),
        },
        off,
        shipped.working_weekends().to_vec(),
    )
    .unwrap();
    calendar::save_year(&db, &y, &actor()).await.unwrap();
    let (c, _) = penalties::account_calculation(&db, id, on).await.unwrap();
    // 14.03–31.03 = 18 days = 5,70.
    assert_eq!(c.total_kopecks, 570);
    assert_eq!(run(&db, "2025-03").await, 570);
});

both_backends!(capital_repair_without_the_130_step, |db: Db| async move {
    let kinds: Vec<(String, String)> =
        sqlx::query_as("SELECT code, kind FROM services ORDER BY code")
            .fetch_all(db.read())
            .await
            .unwrap();
    let kind = |code: &str| kinds.iter().find(|k| k.0 == code).unwrap().1.clone();
    assert_eq!(kind("capital_repair"), "capital_repair");
    assert_eq!(kind("heating"), "utility");
    assert_eq!(kind("maintenance"), "maintenance");
    assert_eq!(
        ledger::capital_repair_services(&db).await.unwrap(),
        vec!["capital_repair".to_string()]
    );

    let (_, ids) = accounts(&db, "ул. Ленина", &["100001", "100002"]).await;
    fixed_rate(&db).await;
    import(
        &db,
        "c",
        &[
            charge(2, "100001", "2025-01", "capital_repair", 100000),
            charge(3, "100001", "2025-01", "heating", 100000),
            charge(4, "100002", "2025-01", "heating", 100000),
        ],
    )
    .await;
    let on = day("2025-12-01");
    let (both, _) = penalties::account_calculation(&db, ids[0], on)
        .await
        .unwrap();
    let (utility, _) = penalties::account_calculation(&db, ids[1], on)
        .await
        .unwrap();
    // 13.03–30.11.2025: 263 days × 1 000 × 9,5 % / 300 = 83,28 for capital repair.
    assert_eq!(both.total_kopecks - utility.total_kopecks, 8328);
    assert!(utility.rows.iter().any(|r| r.share == 130));
    assert_eq!(
        both.rows.iter().filter(|r| r.share == 130).count(),
        utility.rows.iter().filter(|r| r.share == 130).count()
    );
    // The monthly run agrees with the table.
    run(&db, "2025-11").await;
    assert_eq!(posted(&db, ids[0]).await, both.total_kopecks);
});

both_backends!(months_in_any_order_post_the_same, |db: Db| async move {
    let id = one_debt(&db).await;
    run(&db, "2025-10").await;
    let october = posted(&db, id).await;
    // August after October: August gets its part and October gives it back.
    run(&db, "2025-08").await;
    assert_eq!(posted(&db, id).await, october);
    let e = ledger::domain_entries(&db, id).await.unwrap();
    let (c, _) = penalties::account_calculation(&db, id, day("2025-09-01"))
        .await
        .unwrap();
    let august: i64 = e
        .iter()
        .filter(|e| e.kind == EntryKind::Penalty && e.period == per("2025-08"))
        .map(|e| e.amount)
        .sum();
    assert_eq!(august, c.total_kopecks);
    run(&db, "2025-09").await;
    run(&db, "2025-08").await;
    assert_eq!(posted(&db, id).await, october);
    let (c, _) = penalties::account_calculation(&db, id, day("2025-11-01"))
        .await
        .unwrap();
    assert_eq!(october, c.total_kopecks);
});

// Run October, then a payment dated in September is imported, then September is run for the
// first time: October's line takes the correction, so the account's total is its calculation
// for October at once (before, the total stayed at the October run's figure until October was
// run again).
both_backends!(
    an_earlier_run_after_a_late_payment_keeps_the_total_right,
    |db: Db| async move {
        let id = one_debt(&db).await;
        run(&db, "2025-10").await;
        let october = calculation(&db, id, per("2025-10")).await;
        assert_eq!(posted(&db, id).await, october);
        pay(&db, "late", &[("100001", "2025-09-05", 60000, "")]).await;
        let after = calculation(&db, id, per("2025-10")).await;
        assert!(after < october, "{after} < {october}");
        run(&db, "2025-09").await;
        assert_eq!(posted(&db, id).await, after);
        // September itself holds what accrued by its end.
        let e = ledger::domain_entries(&db, id).await.unwrap();
        let upto_september: i64 = e
            .iter()
            .filter(|e| e.kind == EntryKind::Penalty && e.period <= per("2025-09"))
            .map(|e| e.amount)
            .sum();
        assert_eq!(upto_september, calculation(&db, id, per("2025-09")).await);
        // A reversal of that payment and a rerun of August: October's calculation again.
        let payment = e.iter().rfind(|e| e.kind == EntryKind::Payment).unwrap().id;
        entries::reverse_payment(
            &db,
            payment,
            "ошибка банка",
            day("2025-09-06"),
            day("2025-09-06"),
            &actor(),
        )
        .await
        .unwrap();
        run(&db, "2025-08").await;
        assert_eq!(posted(&db, id).await, october);
    }
);

/// One step of a random history.
#[derive(Debug, Clone)]
enum Step {
    /// Run the month January + n of the history's year.
    Run(u8),
    /// Pay on day n of the history's year this many kopecks.
    Pay(u16, i64),
    /// Reverse the n-th payment made so far (if any), a day after it.
    Reverse(u8),
    /// Pay on day n of the history's year this many kopecks, «пени» in the purpose.
    PayPenalties(u16, i64),
    /// Import a recalculation of this many kopecks for the month January + n.
    Recalculate(u8, i64),
}

fn steps() -> impl proptest::strategy::Strategy<Value = Vec<Step>> {
    use proptest::prelude::*;
    prop::collection::vec(
        prop_oneof![
            3 => (1u8..12).prop_map(Step::Run),
            2 => (0u16..360, 1i64..150_000).prop_map(|(d, a)| Step::Pay(d, a)),
            1 => (0u8..6).prop_map(Step::Reverse),
            1 => (0u16..360, 1i64..5_000).prop_map(|(d, a)| Step::PayPenalties(d, a)),
            1 => (0u8..11, -40_000i64..40_000).prop_map(|(m, a)| Step::Recalculate(m, a)),
        ],
        1..10,
    )
}

// Every random history of runs, payments (for charges and for penalties), reversals and
// recalculations imported: after every run the total posted for the account is its calculation
// for the latest month run (months out of order included), so never below zero. Each history
// has an account and a year of its own (runs are for the whole company, so a history never
// meets a later month run by an earlier one); 24 histories per backend keep it fast.
both_backends!(penalty_runs_follow_the_calculation, |db: Db| async move {
    use proptest::strategy::{Strategy, ValueTree};
    use proptest::test_runner::{Config, TestRunner};
    fixed_rate(&db).await;
    let mut runner = TestRunner::new(Config::default());
    let strategy = steps();
    for case in 0..24 {
        let history = strategy.new_tree(&mut runner).unwrap().current();
        let year = 2006 + case;
        let number = format!("2{case:05}");
        let number = number.as_str();
        let (_, ids) = accounts(&db, &format!("ул. Случайная {case}"), &[number]).await;
        let id = ids[0];
        let month = |m: u32| format!("{year}-{m:02}");
        import(
            &db,
            &format!("charges {case}"),
            &[
                charge(2, number, &format!("{}-12", year - 1), "heating", 100000),
                charge(3, number, &month(2), "heating", 50000),
                charge(4, number, &month(5), "capital_repair", 70000),
            ],
        )
        .await;
        let mut paid: Vec<(i64, NaiveDate)> = Vec::new();
        let mut latest: Option<Period> = None;
        let on = |d: u16| day(&format!("{year}-01-01")) + chrono::Days::new(u64::from(d));
        for (i, step) in history.iter().enumerate() {
            match *step {
                Step::Run(m) => {
                    let p = per(&month(1)).plus(i32::from(m));
                    penalties::run_month(&db, p, &actor(), &|_, _| {})
                        .await
                        .unwrap();
                    let l = latest.map_or(p, |l| l.max(p));
                    latest = Some(l);
                    let total = posted(&db, id).await;
                    assert!(total >= 0, "{history:?}: posted {total} after {p}");
                    assert_eq!(total, calculation(&db, id, l).await, "{history:?} {p}");
                }
                Step::Pay(d, amount) | Step::PayPenalties(d, amount) => {
                    let purpose = match step {
                        Step::PayPenalties(..) => "Оплата пени",
                        _ => "",
                    };
                    let date = on(d).format("%Y-%m-%d").to_string();
                    pay(
                        &db,
                        &format!("pay {case} {i}"),
                        &[(number, &date, amount, purpose)],
                    )
                    .await;
                    let e = ledger::domain_entries(&db, id).await.unwrap();
                    let last = e.iter().rfind(|e| e.kind == EntryKind::Payment).unwrap();
                    paid.push((last.id, on(d)));
                }
                Step::Recalculate(m, amount) => {
                    let mut line = charge(2, number, &month(1 + u32::from(m)), "heating", amount);
                    line.kind = EntryKind::Recalculation;
                    import(&db, &format!("recalc {case} {i}"), &[line]).await;
                }
                Step::Reverse(n) => {
                    if let Some(&(entry, on)) = paid.get(usize::from(n)) {
                        let after = on.succ_opt().unwrap();
                        // A second reversal of the same payment is refused; that is fine.
                        let _ = entries::reverse_payment(
                            &db,
                            entry,
                            "ошибка банка",
                            after,
                            after,
                            &actor(),
                        )
                        .await;
                    }
                }
            }
        }
        let Some(latest) = latest else {
            continue;
        };
        penalties::run_month(&db, latest, &actor(), &|_, _| {})
            .await
            .unwrap();
        assert_eq!(
            posted(&db, id).await,
            calculation(&db, id, latest).await,
            "{history:?}"
        );
    }
});

/// What the run for `month` must have posted in all: the penalty of the entries known by the
/// month's end, on the run's calculation date.
async fn calculation(db: &Db, id: i64, month: Period) -> i64 {
    let r = reference::penalty_reference(db).await.unwrap();
    let due = penalties::due_dates(db, &r).await.unwrap();
    let capital = ledger::capital_repair_services(db).await.unwrap();
    let e = ledger::domain_entries(db, id).await.unwrap();
    let (d, p) =
        penalties::penalty_input_upto(&e, &due, Default::default(), &capital, period_end(month));
    let calc = run_calc_date(month, r.settings.include_calc_date);
    total(&d, &p, calc, &r.settings, &r.rates).unwrap()
}
