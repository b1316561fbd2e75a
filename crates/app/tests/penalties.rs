//! Issue 14 §4 through the use cases, on both databases: what the payment document asks,
//! paid exactly, leaves nothing owed; the penalties owed are what `position` says.

use abonent_app::documents::issue::payment::account_bill;
use abonent_app::ledger::{pay_cash, penalties, position};
use abonent_app::{App, Clock};
use abonent_domain::ledger::{EntryKind, Period};
use abonent_domain::penalty::{PenaltySettings, RateMode};
use abonent_domain::registry::{AccountData, Share};
use abonent_storage::ledger::charges::{self, ChargeLine, FileMeta};
use abonent_storage::ledger::{reference, CashPayment};
use abonent_storage::registry::account;
use abonent_storage::{both_backends, Actor, Db};
use chrono::{NaiveDate, TimeZone, Utc};

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// An account with 1 000,00 of heating for January 2025 (due 10.02.2025) at a fixed 9,5 %,
/// on 20.04.2025 by the app's clock.
async fn account_with_debt(db: &Db, number: &str) -> (App, i64) {
    let app = App::new(
        db.clone(),
        Clock::Fixed(Utc.with_ymd_and_hms(2025, 4, 20, 6, 0, 0).unwrap()),
    );
    let actor = Actor::system("тест");
    let (_, premises) = abonent_storage::testing::flat(db, number).await;
    let id = account::create(
        db,
        &AccountData {
            number: number.into(),
            premises_id: premises,
            opened_on: day("2020-01-01"),
            closed_on: None,
            share: Share::WHOLE,
        },
        &actor,
    )
    .await
    .unwrap();
    let s = PenaltySettings {
        rate_mode: RateMode::Fixed { rate_bp: 950 },
        ..Default::default()
    };
    reference::save_penalty_settings(db, &s, "тест", &actor)
        .await
        .unwrap();
    let line = ChargeLine {
        line: 2,
        account_number: number.into(),
        period: Period::parse("2025-01").unwrap(),
        service: Some("heating".into()),
        amount: 100000,
        volume: None,
        tariff: None,
        unit: None,
        kind: EntryKind::Charge,
        reason: None,
    };
    let meta = FileMeta {
        kind: "charges",
        file_name: format!("{number}.csv"),
        sha256: charges::sha256_hex(number.as_bytes()),
        profile_id: None,
    };
    charges::import_charges(db, &meta, &[line], &actor, &|_| {})
        .await
        .unwrap();
    (app, id)
}

fn cash(account_id: i64, amount: i64, receipt: &str, for_penalties: bool) -> CashPayment {
    CashPayment {
        account_id,
        amount,
        paid_on: day("2025-04-20"),
        paid_period: None,
        receipt_no: receipt.into(),
        payer: None,
        for_penalties,
    }
}

both_backends!(
    paying_the_payment_document_leaves_nothing_owed,
    |db: Db| async move {
        let (app, id) = account_with_debt(&db, "300001").await;
        let actor = Actor::system("тест");
        let march = Period::parse("2025-03").unwrap();
        penalties::run(&app, march, &actor, &|_, _| {})
            .await
            .unwrap();
        let today = day("2025-04-20");
        // 13.03–31.03: 19 days × 1 000,00 × 9,5 % / 300 = 6,02.
        assert_eq!(
            position::penalties_owed(&app.db, id, today).await.unwrap(),
            602
        );
        // The payment document's total: the debt and the penalty line.
        let asked = account_bill(&app.db, id, None, today).await.unwrap();
        assert_eq!((asked.total(), asked.penalties), (100602, 602));
        pay_cash(&app, &cash(id, 100602, "ПКО-1", false), &actor)
            .await
            .unwrap();
        let p = position::position(&app.db, id, today).await.unwrap();
        assert_eq!(
            (p.debt(), p.advance, p.penalties_owed(), p.penalties_paid),
            (0, 0, 0, 602)
        );
    }
);

// The cashier marks a payment as one for penalties: it pays them first, the rest the debt.
both_backends!(
    a_cash_payment_for_penalties_pays_them_first,
    |db: Db| async move {
        let (app, id) = account_with_debt(&db, "300002").await;
        let actor = Actor::system("тест");
        penalties::run(&app, Period::parse("2025-03").unwrap(), &actor, &|_, _| {})
            .await
            .unwrap();
        let today = day("2025-04-20");
        pay_cash(&app, &cash(id, 1000, "ПКО-2", true), &actor)
            .await
            .unwrap();
        let p = position::position(&app.db, id, today).await.unwrap();
        assert_eq!((p.penalties_owed(), p.debt()), (0, 100000 - 398));
        // The debt summary the debtor list reads says the same.
        assert_eq!(
            abonent_storage::ledger::debts::of_account(&app.db, id)
                .await
                .unwrap()
                .map(|f| (f.0, f.1)),
            Some((100000 - 398, 0))
        );
        // A payment without the mark pays the debt: the penalties stay owed.
        let (app, other) = account_with_debt(&db, "300003").await;
        penalties::run(&app, Period::parse("2025-03").unwrap(), &actor, &|_, _| {})
            .await
            .unwrap();
        pay_cash(&app, &cash(other, 1000, "ПКО-3", false), &actor)
            .await
            .unwrap();
        let p = position::position(&app.db, other, today).await.unwrap();
        assert_eq!((p.penalties_owed(), p.debt()), (602, 100000 - 1000));
    }
);
