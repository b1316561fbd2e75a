//! The ledger on SQLite and PostgreSQL: charges and register imports all or nothing, the
//! faults that must leave the database untouched, the unmatched queue, cash payments and
//! reversals, allocation and balance through storage, debts, the penalty run, turnover.

use abonent_domain::ledger::{allocate, balance_on, AllocationRule, EntryKind, Period};
use abonent_domain::penalty::{KeyRateTable, PenaltySettings, RateMode};
use abonent_import::payments::{parse_register, RegisterProfile};
use abonent_storage::ledger::charges::{self, ChargeLine};
use abonent_storage::ledger::payments::{self, IncomingPayment, Producer};
use abonent_storage::ledger::{self, debts, entries, penalties, reference, turnover};
use abonent_storage::registry::PageReq;
use abonent_storage::{both_backends, Db, StoreError};

mod common;
use common::*;

async fn count(db: &Db, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(db.read()).await.unwrap()
}

async fn ledger_rows(db: &Db) -> i64 {
    count(db, "SELECT COUNT(*) FROM ledger_entries").await
}

/// A register in the common layout (regulations §9), UTF-8, with a matching totals line
/// unless `totals` overrides it.
fn register(lines: &[(&str, &str, &str, &str, &str)], totals: Option<&str>) -> Vec<u8> {
    let mut s = String::new();
    let mut sum = 0i64;
    for (date, op, account, period, amount) in lines {
        sum += abonent_domain::money::parse_amount(amount).unwrap();
        s.push_str(&format!(
            "{date};10-00-00;7003/0001;1;{op};{account};Иванов Иван Иванович;г. Екатеринбург, ул. Ленина, д. 5, кв. 1;{period};{amount};{amount};0,00\r\n"
        ));
    }
    let t = totals.map(str::to_string).unwrap_or_else(|| {
        let a = abonent_domain::money::format_amount(sum).replace(' ', "");
        format!("={};{a};{a};0,00;1;01-11-2026", lines.len())
    });
    s.push_str(&t);
    s.push_str("\r\n");
    s.into_bytes()
}

fn producer(bytes: Vec<u8>) -> Producer {
    Box::new(move |emit: &mut dyn FnMut(IncomingPayment)| {
        parse_register(&bytes, &RegisterProfile::common(), |p| {
            emit(IncomingPayment {
                line: p.line,
                operation_id: Some(p.operation_id.clone()).filter(|s| !s.is_empty()),
                paid_on: p.paid_on,
                account_number: p.account.clone(),
                payer: p.full_name.clone(),
                address: p.address.clone(),
                purpose: String::new(),
                period: p.period.and_then(|(y, m)| Period::new(y, m)),
                amount: p.amount,
            })
        })
        .map(|_| ())
        .map_err(|e| e.to_string())
    })
}

async fn import_register(
    db: &Db,
    name: &str,
    bytes: Vec<u8>,
) -> Result<payments::PaymentsSummary, StoreError> {
    let m = meta("register", name, &bytes);
    payments::import_payments(db, &m, &actor(), producer(bytes), &|_| {}).await
}

fn invalid_text(e: StoreError) -> String {
    match e {
        StoreError::Invalid(v) => {
            v.0.iter()
                .map(|f| f.message.clone())
                .collect::<Vec<_>>()
                .join(" | ")
        }
        StoreError::Ledger(r) => r.message(),
        other => panic!("expected a message for the user, got {other:?}"),
    }
}

both_backends!(
    charges_import_all_or_nothing_and_once,
    |db: Db| async move {
        let (_, ids) = accounts(&db, "ул. Ленина", &["100001", "100002"]).await;
        let lines = vec![
            ChargeLine {
                volume: Some("3.5".into()),
                tariff: Some("45.67".into()),
                unit: Some("м3".into()),
                ..charge(2, "100001", "2026-09", "cold_water", 15985)
            },
            charge(3, "100001", "2026-09", "heating", 200000),
            charge(4, "100002", "2026-09", "heating", 180000),
        ];
        let bytes = b"file one";
        let s = charges::import_charges(
            &db,
            &meta("charges", "sept.csv", bytes),
            &lines,
            &actor(),
            &|_| {},
        )
        .await
        .unwrap();
        assert_eq!((s.rows, s.accounts, s.charged), (3, 2, 395985));
        let list = entries::list(&db, ids[0], None, None).await.unwrap();
        let water = list
            .iter()
            .find(|e| e.service.as_deref() == Some("cold_water"))
            .unwrap();
        assert_eq!(water.volume.as_deref(), Some("3.5"));
        assert_eq!(water.tariff.as_deref(), Some("45.67"));
        assert_eq!(water.date, day("2026-09-30"));

        // The same bytes again: refused, nothing added.
        let before = ledger_rows(&db).await;
        let e = charges::import_charges(
            &db,
            &meta("charges", "copy.csv", bytes),
            &lines,
            &actor(),
            &|_| {},
        )
        .await
        .unwrap_err();
        assert!(invalid_text(e).contains("уже загружен"));
        // An unknown account on line 3 refuses the whole file.
        let bad = vec![
            charge(2, "100001", "2026-10", "heating", 1000),
            charge(3, "999999", "2026-10", "heating", 1000),
        ];
        let e = charges::import_charges(
            &db,
            &meta("charges", "oct.csv", b"file two"),
            &bad,
            &actor(),
            &|_| {},
        )
        .await
        .unwrap_err();
        let text = invalid_text(e);
        assert!(
            text.contains("Строка 3") && text.contains("999999"),
            "{text}"
        );
        assert_eq!(ledger_rows(&db).await, before);
        assert_eq!(count(&db, "SELECT COUNT(*) FROM ledger_imports").await, 1);
    }
);

both_backends!(ledger_is_append_only, |db: Db| async move {
    let (_, ids) = accounts(&db, "ул. Мира", &["200001"]).await;
    charges::import_charges(
        &db,
        &meta("charges", "a.csv", b"a"),
        &[charge(2, "200001", "2026-09", "heating", 100)],
        &actor(),
        &|_| {},
    )
    .await
    .unwrap();
    assert!(sqlx::query("UPDATE ledger_entries SET amount = 1")
        .execute(db.write())
        .await
        .is_err());
    assert!(sqlx::query("DELETE FROM ledger_entries")
        .execute(db.write())
        .await
        .is_err());
    assert_eq!(
        entries::list(&db, ids[0], None, None).await.unwrap()[0].amount,
        100
    );
});

both_backends!(register_import_matches_and_queues, |db: Db| async move {
    let (_, ids) = accounts(&db, "ул. Ленина", &["100001", "100002"]).await;
    let bytes = register(
        &[
            ("05-10-2026", "1001", "100001", "0926", "1 500,00"),
            ("06-10-2026", "1002", "100002", "", "800,50"),
            ("06-10-2026", "1003", "555", "0926", "99,99"),
        ],
        None,
    );
    let s = import_register(&db, "sber.txt", bytes.clone())
        .await
        .unwrap();
    assert_eq!((s.rows, s.matched, s.unmatched), (3, 2, 1));
    assert_eq!((s.amount, s.unmatched_amount), (240049, 9999));
    let e = entries::list(&db, ids[0], None, None).await.unwrap();
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].kind, EntryKind::Payment);
    assert_eq!(e[0].paid_period, Some(per("2026-09")));
    assert_eq!(e[0].operation_id.as_deref(), Some("1001"));

    // The queue keeps the unknown payment, with the registry's suggestions.
    let q = payments::unmatched(&db, "open", PageReq::new(None, None))
        .await
        .unwrap();
    assert_eq!(q.total, 1);
    let u = &q.items[0];
    assert_eq!((u.amount, u.account_number.as_str()), (9999, "555"));
    let sug = payments::suggestions(&db, u).await.unwrap();
    assert!(
        sug.iter()
            .any(|s| s.account_id == ids[0] && s.why.contains("адрес")),
        "{sug:?}"
    );
    let today = Period::new(2026, 11).unwrap().first_day();
    let entry = payments::resolve(&db, u.id, ids[0], today, &actor())
        .await
        .unwrap();
    assert_eq!(entries::get(&db, entry).await.unwrap().amount, 9999);
    // The assignment refreshed the account's debt summary itself.
    assert!(debts::of_account(&db, ids[0]).await.unwrap().is_some());
    let e = payments::resolve(&db, u.id, ids[1], today, &actor())
        .await
        .unwrap_err();
    assert!(invalid_text(e).contains("уже разнесён"));
    assert_eq!(
        payments::unmatched(&db, "open", PageReq::new(None, None))
            .await
            .unwrap()
            .total,
        0
    );
    assert!(sqlx::query("DELETE FROM unmatched_payments")
        .execute(db.write())
        .await
        .is_err());

    // Same file again: refused whole.
    let rows = ledger_rows(&db).await;
    let e = import_register(&db, "again.txt", bytes).await.unwrap_err();
    assert!(invalid_text(e).contains("уже загружен"));
    // Another file with one payment already loaded: refused, naming the line.
    let again = register(
        &[
            ("07-10-2026", "2001", "100002", "", "10,00"),
            ("05-10-2026", "1001", "100001", "0926", "1 500,00"),
        ],
        None,
    );
    let text = invalid_text(import_register(&db, "vtb.txt", again).await.unwrap_err());
    assert!(
        text.contains("Строка 2") && text.contains("уже загружен") && text.contains("sber.txt"),
        "{text}"
    );
    // A payment repeated inside one file.
    let twice = register(
        &[
            ("08-10-2026", "3001", "100002", "", "10,00"),
            ("08-10-2026", "3001", "100002", "", "10,00"),
        ],
        None,
    );
    let text = invalid_text(import_register(&db, "twice.txt", twice).await.unwrap_err());
    assert!(
        text.contains("Строка 2") && text.contains("повторяет строку 1"),
        "{text}"
    );
    assert_eq!(ledger_rows(&db).await, rows);
});

both_backends!(faulty_registers_change_nothing, |db: Db| async move {
    accounts(&db, "ул. Ленина", &["100001"]).await;
    let rows = ledger_rows(&db).await;
    // Totals disagree with the rows.
    let bytes = register(
        &[("05-10-2026", "1", "100001", "", "100,00")],
        Some("=1;200,00;200,00;0,00;1;01-11-2026"),
    );
    let text = invalid_text(import_register(&db, "t.txt", bytes).await.unwrap_err());
    assert!(text.contains("итоги не сходятся"), "{text}");
    // A malformed amount on line 2.
    let mut bytes = register(&[("05-10-2026", "1", "100001", "", "100,00")], None);
    let text =
        String::from_utf8(bytes.clone())
            .unwrap()
            .replacen("100,00;100,00", "1 234,5o;1 234,5o", 1);
    bytes =
        format!("05-10-2026;10-00-00;1;1;0;100001;И;А;;100,00;100,00;0,00\r\n{text}").into_bytes();
    let text = invalid_text(import_register(&db, "m.txt", bytes).await.unwrap_err());
    assert!(
        text.contains("Строка 2") && text.contains("1 234,5o"),
        "{text}"
    );
    // Bytes that are neither UTF-8 nor windows-1251 text.
    let garbage: Vec<u8> = (0u8..=255).cycle().take(4000).collect();
    let text = invalid_text(import_register(&db, "g.bin", garbage).await.unwrap_err());
    assert!(
        text.contains("кодировк") || text.contains("Строка"),
        "{text}"
    );
    assert_eq!(ledger_rows(&db).await, rows);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM ledger_imports").await, 0);
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM unmatched_payments").await,
        0
    );
});

both_backends!(import_stopped_midway_leaves_nothing, |db: Db| async move {
    accounts(&db, "ул. Ленина", &["100001"]).await;
    // A producer that yields 12 000 payments (written in batches inside the transaction),
    // then fails as a broken file would.
    let failing: Producer = Box::new(|emit: &mut dyn FnMut(IncomingPayment)| {
        for i in 0..12_000 {
            emit(IncomingPayment {
                line: i + 1,
                operation_id: Some(format!("op{i}")),
                paid_on: day("2026-10-05"),
                account_number: if i % 2 == 0 {
                    "100001".into()
                } else {
                    "777".into()
                },
                payer: String::new(),
                address: String::new(),
                purpose: String::new(),
                period: None,
                amount: 100,
            });
        }
        Err("Строка 12001: сумма «1 234,5o»: недопустимый символ «o».".into())
    });
    let e = payments::import_payments(
        &db,
        &meta("register", "x", b"x"),
        &actor(),
        failing,
        &|_| {},
    )
    .await
    .unwrap_err();
    assert!(invalid_text(e).contains("12001"));
    assert_eq!(ledger_rows(&db).await, 0);
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM unmatched_payments").await,
        0
    );

    // The task running an import is killed while it writes: its transaction never commits.
    let db2 = db.clone();
    let endless: Producer = Box::new(|emit: &mut dyn FnMut(IncomingPayment)| {
        for i in 0..200_000 {
            emit(IncomingPayment {
                line: i + 1,
                operation_id: Some(format!("k{i}")),
                paid_on: day("2026-10-05"),
                account_number: "100001".into(),
                payer: String::new(),
                address: String::new(),
                purpose: String::new(),
                period: None,
                amount: 100,
            });
        }
        Ok(())
    });
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let tx = std::sync::Mutex::new(Some(tx));
    let task = tokio::spawn(async move {
        let progress = move |n: usize| {
            if n >= 10_000 {
                if let Some(t) = tx.lock().unwrap().take() {
                    let _ = t.send(());
                }
            }
        };
        payments::import_payments(
            &db2,
            &meta("register", "y", b"y"),
            &actor(),
            endless,
            &progress,
        )
        .await
    });
    rx.await.unwrap();
    task.abort();
    let _ = task.await;
    assert_eq!(ledger_rows(&db).await, 0);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM ledger_imports").await, 0);
});

// The debtor list reads the summary: a payment or its reversal must not leave it stale.
both_backends!(
    debt_summary_follows_payment_and_reversal,
    |db: Db| async move {
        let (_, ids) = accounts(&db, "ул. Мира", &["300002"]).await;
        let a = ids[0];
        let lines = vec![charge(2, "300002", "2026-08", "heating", 100000)];
        let sum =
            charges::import_charges(&db, &meta("charges", "s", b"s"), &lines, &actor(), &|_| {})
                .await
                .unwrap();
        let today = day("2026-10-20");
        debts::refresh(&db, Some(&sum.account_ids), today)
            .await
            .unwrap();
        let debt = |db: Db| async move { debts::of_account(&db, a).await.unwrap().map(|f| f.0) };
        assert_eq!(debt(db.clone()).await, Some(100000));
        let cash = entries::CashPayment {
            account_id: a,
            amount: 40000,
            paid_on: day("2026-10-05"),
            paid_period: None,
            receipt_no: "ПКО-1".into(),
            payer: None,
            for_penalties: false,
        };
        let paid = entries::cash_payment(&db, &cash, today, &actor())
            .await
            .unwrap();
        assert_eq!(debt(db.clone()).await, Some(60000), "after the payment");
        entries::reverse_payment(&db, paid, "Ошибочный счёт", today, today, &actor())
            .await
            .unwrap();
        assert_eq!(debt(db.clone()).await, Some(100000), "after the reversal");
    }
);

both_backends!(
    cash_payment_reversal_balance_allocation,
    |db: Db| async move {
        let (_, ids) = accounts(&db, "ул. Мира", &["300001"]).await;
        let a = ids[0];
        let lines = vec![
            charge(2, "300001", "2026-07", "heating", 100000),
            charge(3, "300001", "2026-07", "maintenance", 50000),
            charge(4, "300001", "2026-08", "heating", 100000),
            ChargeLine {
                kind: EntryKind::Recalculation,
                reason: Some("Перерасчёт за отсутствие".into()),
                ..charge(5, "300001", "2026-08", "heating", -20000)
            },
            ChargeLine {
                kind: EntryKind::Opening,
                service: None,
                ..charge(6, "300001", "2026-06", "", 30000)
            },
        ];
        charges::import_charges(&db, &meta("charges", "c", b"c"), &lines, &actor(), &|_| {})
            .await
            .unwrap();
        let today = day("2026-10-20");
        let cash = entries::CashPayment {
            account_id: a,
            amount: 120000,
            paid_on: day("2026-09-05"),
            paid_period: Some(per("2026-08")),
            receipt_no: "ПКО-17".into(),
            payer: Some("Петров П. П.".into()),
            for_penalties: false,
        };
        let paid = entries::cash_payment(&db, &cash, today, &actor())
            .await
            .unwrap();
        let text = invalid_text(
            entries::cash_payment(&db, &cash, today, &actor())
                .await
                .unwrap_err(),
        );
        assert!(text.contains("ПКО-17"), "{text}");
        let bad = entries::CashPayment {
            amount: 0,
            receipt_no: " ".into(),
            ..cash.clone()
        };
        let e = match entries::cash_payment(&db, &bad, today, &actor())
            .await
            .unwrap_err()
        {
            StoreError::Invalid(v) => v,
            e => panic!("{e:?}"),
        };
        assert!(e.for_field("amount").is_some() && e.for_field("receipt_no").is_some());

        let d = ledger::domain_entries(&db, a).await.unwrap();
        // Debt: 300 opening + 1 500 + 800 = 2 600; paid 1 200.
        assert_eq!(balance_on(&d, today), 140000);
        let out = allocate(&d, today, AllocationRule::NamedPeriodThenOldest);
        // 800 to August (named), the remaining 400 to the oldest: June's opening 300, then July.
        let left = |p: &str| {
            out.lines
                .iter()
                .filter(|l| l.period == per(p))
                .map(|l| l.remaining())
                .sum::<i64>()
        };
        assert_eq!(
            (left("2026-06"), left("2026-07"), left("2026-08")),
            (0, 140000, 0)
        );

        // Reversal: with a reason, once; the payment stays.
        let e = entries::reverse_payment(&db, paid, " ", today, today, &actor())
            .await
            .unwrap_err();
        assert!(invalid_text(e).contains("причину"));
        let rev =
            entries::reverse_payment(&db, paid, "Возврат: ошибочный счёт", today, today, &actor())
                .await
                .unwrap();
        let e = entries::reverse_payment(&db, paid, "ещё раз", today, today, &actor())
            .await
            .unwrap_err();
        assert!(invalid_text(e).contains("уже сторнирован"));
        let e = entries::reverse_payment(&db, rev, "x", today, today, &actor())
            .await
            .unwrap_err();
        assert!(invalid_text(e).contains("только оплату"));
        let d = ledger::domain_entries(&db, a).await.unwrap();
        assert_eq!(balance_on(&d, today), 260000);
        assert_eq!(
            entries::get(&db, paid).await.unwrap().reversed_by,
            Some(rev)
        );

        // Debt summary and the debtor list.
        debts::refresh(&db, None, today).await.unwrap();
        let page = debts::debtors(
            &db,
            &debts::DebtorFilter::default(),
            PageReq::new(None, None),
            today,
        )
        .await
        .unwrap();
        assert_eq!(page.total, 1);
        assert_eq!((page.items[0].debt, page.items[0].months), (260000, 3));
        assert!(page.items[0].address.contains("кв. 1"));
        let f = debts::DebtorFilter {
            service: Some("maintenance".into()),
            min_debt: Some(50000),
            ..Default::default()
        };
        let page = debts::debtors(&db, &f, PageReq::new(None, None), today)
            .await
            .unwrap();
        assert_eq!((page.total, page.items[0].service_debt), (1, Some(50000)));
        let f = debts::DebtorFilter {
            min_months: Some(4),
            ..Default::default()
        };
        assert_eq!(
            debts::debtors(&db, &f, PageReq::new(None, None), today)
                .await
                .unwrap()
                .total,
            0
        );

        // Turnover for September: opening 2 600 − 0, paid 1 200 − 1 200 reversed... reversal in October.
        let t = turnover::sheet(
            &db,
            turnover::Scope::Account(a),
            per("2026-09"),
            per("2026-10"),
        )
        .await
        .unwrap();
        assert_eq!(
            (t.total.opening, t.total.paid, t.total.closing),
            (260000, 0, 260000)
        );
        let t = turnover::sheet(
            &db,
            turnover::Scope::Company,
            per("2026-06"),
            per("2026-10"),
        )
        .await
        .unwrap();
        assert_eq!(
            (
                t.total.opening,
                t.total.charged,
                t.total.recalculated,
                t.total.closing
            ),
            (0, 280000, -20000, 260000)
        );
        assert_eq!(t.rows.len(), 1);
    }
);

both_backends!(reference_data_versions, |db: Db| async move {
    assert_eq!(
        reference::key_rates(&db).await.unwrap(),
        KeyRateTable::default()
    );
    let mut t = KeyRateTable::default();
    t.entries.last_mut().unwrap().rate_bp = 1300;
    reference::save_key_rates(&db, &t, "Решение Совета директоров Банка России", &actor())
        .await
        .unwrap();
    assert_eq!(
        reference::key_rates(&db)
            .await
            .unwrap()
            .entries
            .last()
            .unwrap()
            .rate_bp,
        1300
    );
    t.entries[0].rate_bp = 0;
    let e = reference::save_key_rates(&db, &t, "x", &actor())
        .await
        .unwrap_err();
    assert!(matches!(e, StoreError::Invalid(_)));
    let e = reference::save_penalty_settings(&db, &PenaltySettings::default(), " ", &actor())
        .await
        .unwrap_err();
    assert!(invalid_text(e).contains("основание"));
    let h = reference::history(&db, reference::KEY_RATES).await.unwrap();
    assert_eq!(h.len(), 1);
    assert!(sqlx::query("DELETE FROM ledger_reference")
        .execute(db.write())
        .await
        .is_err());
});

both_backends!(penalty_run_is_repeatable, |db: Db| async move {
    let (_, ids) = accounts(&db, "ул. Ленина", &["100001", "100002"]).await;
    // Fixed 9,5 % keeps the expected figures independent of the key-rate table.
    let s = PenaltySettings {
        rate_mode: RateMode::Fixed { rate_bp: 950 },
        ..Default::default()
    };
    reference::save_penalty_settings(&db, &s, "тест", &actor())
        .await
        .unwrap();
    // 1 000,00 for January 2025 on the first account; the second pays on time.
    let lines = vec![
        charge(2, "100001", "2025-01", "heating", 100000),
        charge(3, "100002", "2025-01", "heating", 100000),
    ];
    charges::import_charges(&db, &meta("charges", "c", b"c"), &lines, &actor(), &|_| {})
        .await
        .unwrap();
    import_register(
        &db,
        "r1",
        register(&[("05-02-2025", "1", "100002", "0125", "1 000,00")], None),
    )
    .await
    .unwrap();

    let march = per("2025-03");
    let r = penalties::run_month(&db, march, &actor(), &|_, _| {})
        .await
        .unwrap();
    assert_eq!((r.accounts, r.posted), (2, 1));
    // Due 10.02.2025; days 31.. from 13.03 to 31.03 = 19 days × 1 000 × 9,5 % / 300 = 6,02.
    assert_eq!(r.amount, 602);
    let again = penalties::run_month(&db, march, &actor(), &|_, _| {})
        .await
        .unwrap();
    assert_eq!((again.posted, again.amount), (0, 0));
    let april = penalties::run_month(&db, per("2025-04"), &actor(), &|_, _| {})
        .await
        .unwrap();
    // April: 30 days × 1 000 × 9,5 % / 300 = 9,50.
    assert_eq!(april.amount, 950);
    // A payment of 20.03.2025 imported late: the March re-run corrects the penalty down.
    import_register(
        &db,
        "r2",
        register(&[("20-03-2025", "2", "100001", "", "1 000,00")], None),
    )
    .await
    .unwrap();
    let fix = penalties::run_month(&db, march, &actor(), &|_, _| {})
        .await
        .unwrap();
    // Only 13.03–20.03 accrue: 8 days = 2,53; 6,02 were posted for March. April, run
    // before, takes its correction at once: nothing accrues after the payment, 9,50 back.
    assert_eq!(fix.amount, 253 - 602 - 950);
    let fix_april = penalties::run_month(&db, per("2025-04"), &actor(), &|_, _| {})
        .await
        .unwrap();
    assert_eq!(fix_april.amount, 0);
    let posted: i64 = ledger::domain_entries(&db, ids[0])
        .await
        .unwrap()
        .iter()
        .filter(|e| e.kind == EntryKind::Penalty)
        .map(|e| e.amount)
        .sum();
    assert_eq!(posted, 253);
    // The court-style table agrees.
    let (c, _) = penalties::account_calculation(&db, ids[0], day("2025-05-01"))
        .await
        .unwrap();
    assert_eq!(c.total_kopecks, 253);
    assert_eq!(penalties::runs(&db, 10).await.unwrap().len(), 5);
});
