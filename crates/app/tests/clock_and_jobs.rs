//! The clock tests can fix, the one job runner and the settings' copy, on both databases.

use std::time::Duration;

use abonent_app::jobs::Report;
use abonent_app::{settings, App, Clock};
use abonent_storage::{both_backends, Db};
use chrono::{NaiveDate, TimeZone, Utc};
use serde::Serialize;

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

// 20:30 UTC on 5 March is already 6 March in the shipped zone (Asia/Yekaterinburg, UTC+5).
both_backends!(
    today_is_the_organizations_calendar_day,
    |db: Db| async move {
        let at = Utc.with_ymd_and_hms(2026, 3, 5, 20, 30, 0).unwrap();
        let app = App::new(db.clone(), Clock::Fixed(at));
        assert_eq!(app.today().await.unwrap(), day("2026-03-06"));
        settings::set(&app, "org.time_zone", "Europe/London", "тест")
            .await
            .unwrap();
        assert_eq!(app.today().await.unwrap(), day("2026-03-05"));
        // A name that is not a zone falls back to the one default, not to some other city.
        settings::set(&app, "org.time_zone", "Нигде", "тест")
            .await
            .unwrap();
        assert_eq!(app.today().await.unwrap(), day("2026-03-06"));
    }
);

#[derive(Serialize)]
struct Counted(usize);

impl Report for Counted {
    fn message(&self) -> String {
        format!("Сосчитано {}.", self.0)
    }
}

async fn finished(app: &App, id: i64) -> abonent_storage::jobs::Job {
    for _ in 0..3000 {
        let j = app.jobs.get(id).await.unwrap();
        if j.status != "running" {
            return j;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("job {id} did not finish");
}

// A job's outcome and progress are in its row, so another instance reads the same.
both_backends!(jobs_record_outcome_and_failure, |db: Db| async move {
    let app = App::new(db.clone(), Clock::System);
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let id = app
        .jobs
        .spawn("test_count", 10, None, move |p| async move {
            p.set(4);
            rx.await.ok();
            Ok(Counted(10))
        })
        .await
        .unwrap();
    // While it runs this instance shows its figures (once the task has had its turn: wait
    // for it rather than guess how long a loaded machine takes).
    let mut running = app.jobs.get(id).await.unwrap();
    for _ in 0..1200 {
        if running.done == 4 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        running = app.jobs.get(id).await.unwrap();
    }
    assert_eq!(
        (running.status.as_str(), running.done, running.total),
        ("running", 4, 10)
    );
    // Another instance reads the row: progress reaches it within a second or so (bounded
    // by a minute on a busy machine).
    let other = App::new(db.clone(), Clock::System);
    let mut seen = 0;
    for _ in 0..1200 {
        seen = other.jobs.get(id).await.unwrap().done;
        if seen == 4 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(seen, 4, "progress is written to the job's row");
    tx.send(()).unwrap();
    let done = finished(&other, id).await;
    assert_eq!(done.status, "done");
    assert_eq!(done.message.as_deref(), Some("Сосчитано 10."));
    assert_eq!(done.result, Some(serde_json::json!(10)));

    let failed = app
        .jobs
        .spawn("test_fail", 1, None, |_| async {
            Err::<Counted, _>("Ничего не сохранено: нет файла.".to_string())
        })
        .await
        .unwrap();
    let j = finished(&app, failed).await;
    assert_eq!(j.status, "failed");
    assert_eq!(
        j.message.as_deref(),
        Some("Ничего не сохранено: нет файла.")
    );
});

// A penalty run only for a month that has ended in the organization's zone: 18:30 UTC on
// 30 November is 23:30 there (November still runs), 19:30 UTC is 1 December.
both_backends!(
    penalty_run_waits_for_the_month_to_end,
    |db: Db| async move {
        use abonent_app::ledger::penalties;
        use abonent_app::AppError;
        use abonent_domain::ledger::Period;
        let november = Period::new(2026, 11).unwrap();
        let actor = abonent_storage::Actor::system("тест");
        let at = Utc.with_ymd_and_hms(2026, 11, 30, 18, 30, 0).unwrap();
        let app = App::new(db.clone(), Clock::Fixed(at));
        match penalties::run(&app, november, &actor, &|_, _| {}).await {
            Err(AppError::Invalid(e)) => {
                let m = e.for_field("period").unwrap();
                assert!(m.contains("Ноябрь 2026 ещё не закончился"), "{m}");
                assert!(m.contains("октябрь 2026 или раньше"), "{m}");
            }
            other => panic!("a run ahead must be refused: {other:?}"),
        }
        assert!(matches!(
            penalties::start(&app, november, actor.clone(), None).await,
            Err(AppError::Invalid(_))
        ));
        let runs = abonent_storage::ledger::penalties::runs(&db, 10)
            .await
            .unwrap();
        assert!(runs.is_empty());
        let at = Utc.with_ymd_and_hms(2026, 11, 30, 19, 30, 0).unwrap();
        let app = App::new(db.clone(), Clock::Fixed(at));
        penalties::run(&app, november, &actor, &|_, _| {})
            .await
            .unwrap();
    }
);

// What storage writes is stamped by the App's clock: rows and their history alike.
both_backends!(writes_carry_the_fixed_instant, |db: Db| async move {
    use abonent_domain::registry::{AccountData, PersonData, Share};
    use abonent_storage::ledger::CashPayment;
    use abonent_storage::registry::{account, person};
    use abonent_storage::Actor;

    let at = Utc.with_ymd_and_hms(2026, 3, 5, 7, 30, 0).unwrap();
    let stamp = "2026-03-05T07:30:00.000000Z";
    let app = App::new(db.clone(), Clock::Fixed(at));
    assert_eq!(app.db.now_text(), stamp);
    let actor = Actor::system("тест");
    let (_, premises) = abonent_storage::testing::flat(&app.db, "1").await;
    let person_id = person::create(
        &app.db,
        &PersonData {
            last_name: "Иванов".into(),
            first_name: "Иван".into(),
            middle_name: None,
            birth_date: None,
            phones: vec![],
            email: None,
            id_document: None,
            consent_sms: false,
            consent_email: false,
            legal_capacity: Default::default(),
            capacity_basis: None,
        },
        &actor,
    )
    .await
    .unwrap();
    let account_id = account::create(
        &app.db,
        &AccountData {
            number: "1001".into(),
            premises_id: premises,
            opened_on: day("2020-01-01"),
            closed_on: None,
            share: Share::WHOLE,
        },
        &actor,
    )
    .await
    .unwrap();
    let payment = abonent_app::ledger::pay_cash(
        &app,
        &CashPayment {
            account_id,
            amount: 10000,
            paid_on: day("2026-03-05"),
            paid_period: None,
            receipt_no: "1".into(),
            payer: None,
            for_penalties: false,
        },
        &actor,
    )
    .await
    .unwrap();
    let appeal = abonent_app::appeals::register(
        &app,
        &abonent_storage::appeals::NewAppeal {
            kind: Some(abonent_domain::appeal::AppealKind::Request),
            channel: Some(abonent_domain::appeal::Channel::Phone),
            address_text: "ул. Ленина, д. 1".into(),
            applicant_phone: "+7 912 345-67-89".into(),
            substance: "Не работает домофон".into(),
            ..Default::default()
        },
        &actor,
    )
    .await
    .unwrap();

    let one = |sql: &'static str, id: i64| {
        let db = db.clone();
        async move {
            sqlx::query_scalar::<_, String>(sql)
                .bind(id)
                .fetch_one(db.read())
                .await
                .unwrap()
        }
    };
    assert_eq!(
        one("SELECT created_at FROM persons WHERE id = $1", person_id).await,
        stamp
    );
    assert_eq!(
        one("SELECT created_at FROM accounts WHERE id = $1", account_id).await,
        stamp
    );
    assert_eq!(
        one(
            "SELECT created_at FROM ledger_entries WHERE id = $1",
            payment
        )
        .await,
        stamp
    );
    assert_eq!(
        one("SELECT registered_at FROM appeals WHERE id = $1", appeal.id).await,
        stamp
    );
    let stamps: Vec<String> = sqlx::query_scalar("SELECT DISTINCT at FROM history")
        .fetch_all(db.read())
        .await
        .unwrap();
    assert_eq!(stamps, vec![stamp.to_string()], "every history row");
    // A handle without a clock of its own stays on the system's.
    assert_ne!(db.now_text(), stamp);
});

// The instance's copy of the settings: a save through the app (any clone) shows at once.
both_backends!(
    settings_saved_through_the_app_show_at_once,
    |db: Db| async move {
        use std::collections::BTreeMap;

        let app = App::new(db, Clock::System);
        let actor = abonent_storage::Actor::system("тест");
        let name = || async { settings::get(&app, "org.name").await.unwrap() };
        assert_eq!(name().await, "ООО «Управляющая компания»");
        settings::set(&app, "org.name", "ООО «УК Берёзка»", "тест")
            .await
            .unwrap();
        assert_eq!(name().await, "ООО «УК Берёзка»");
        let other = app.clone();
        let mut v = BTreeMap::new();
        v.insert("org.name".to_string(), " ".to_string());
        let e = settings::save_org_details(&other, &v, &actor)
            .await
            .unwrap_err();
        assert!(matches!(e, abonent_app::AppError::Invalid(_)), "{e:?}");
        v.insert("org.name".to_string(), "ООО «Ромашка»".to_string());
        settings::save_org_details(&other, &v, &actor)
            .await
            .unwrap();
        assert_eq!(name().await, "ООО «Ромашка»");
    }
);
