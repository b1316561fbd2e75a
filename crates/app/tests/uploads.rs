//! Uploaded files on both backends (issue 16 §1): a file refused by its size is never
//! stored, and the retention job deletes import files once their purpose no longer needs them
//! — recording each deletion — while scans of letters stay.

use abonent_app::uploads::{self, retention, UploadFor};
use abonent_app::{App, AppError, Clock};
use abonent_domain::correspondence::{IncomingData, SenderKind};
use abonent_storage::correspondence::{attachments, incoming, Register};
use abonent_storage::{both_backends, jobs, settings, Actor, Db};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use sqlx::Row;

/// The app on `db` as it is `days` after 1 March 2026, 09:00 UTC.
fn at(db: &Db, days: i64) -> App {
    let t0: DateTime<Utc> = "2026-03-01T09:00:00Z".parse().unwrap();
    App::new(db.clone(), Clock::Fixed(t0 + Duration::days(days)))
}

async fn count(db: &Db, sql: &str) -> i64 {
    sqlx::query(sql)
        .fetch_one(db.read())
        .await
        .unwrap()
        .get::<i64, _>(0)
}

const CSV: &[u8] = "ЛС;Адрес\n1;Ленина 5-12\n".as_bytes();

both_backends!(
    an_oversize_file_is_refused_and_not_stored,
    |db: Db| async move {
        let app = App::new(db.clone(), Clock::System);
        // 61 MB: within the HTTP body limit, beyond what a table may be.
        let big = vec![b'a'; 61 * 1024 * 1024];
        for what in [UploadFor::Registry, UploadFor::Charges] {
            let e = uploads::save(&app, what, "реестр.csv", &big, None)
                .await
                .unwrap_err();
            let AppError::Invalid(v) = &e else {
                panic!("{e:?}")
            };
            let m = v.for_field("file").expect("the file field");
            assert!(m.contains("не более 50 МБ"), "{m}");
        }
        assert_eq!(count(&db, "SELECT COUNT(*) FROM uploads").await, 0);
    }
);

both_backends!(
    the_retention_job_keeps_only_what_is_needed,
    |db: Db| async move {
        let scans = Actor {
            user_id: None,
            name: "Делопроизводитель".into(),
        };
        // Day 0: a dry run nobody loaded, a file loaded at once, a letter with its scan.
        let day0 = at(&db, 0);
        let dry = uploads::save(&day0, UploadFor::Registry, "проверка.csv", CSV, None)
            .await
            .unwrap();
        let loaded = uploads::save(&day0, UploadFor::Charges, "начисления.csv", CSV, None)
            .await
            .unwrap();
        let job = jobs::start(&day0.db, "ledger_charges", 1, None)
            .await
            .unwrap();
        jobs::finish(&day0.db, job, true, "ok", None).await.unwrap();
        uploads::loaded_by(&day0, loaded, job).await;
        let letter = IncomingData {
            received_on: NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
            sender_kind: SenderKind::Organization,
            sender_name: "АО «Энергосбыт»".into(),
            sender_ref_number: None,
            sender_ref_date: None,
            subject: "Акт сверки".into(),
            pages: Some(1),
            executor_user_id: None,
            letter_term: None,
            account_id: None,
            person_id: None,
            note: None,
        };
        let (letter_id, _) = incoming::create(&day0.db, &letter, &scans).await.unwrap();
        let scan = attachments::add(
            &day0.db,
            Register::Incoming,
            letter_id,
            "акт.pdf",
            b"%PDF-1.4\n% scan\n",
            &scans,
        )
        .await
        .unwrap();
        // Day 20: a file loaded by a job that ended then. Day 39 noon: a preview still open.
        let day20 = at(&db, 20);
        let recent_load = uploads::save(&day20, UploadFor::Payments, "оплаты.txt", CSV, None)
            .await
            .unwrap();
        let job20 = jobs::start(&day20.db, "ledger_payments", 1, None)
            .await
            .unwrap();
        jobs::finish(&day20.db, job20, false, "отказ", None)
            .await
            .unwrap();
        uploads::loaded_by(&day20, recent_load, job20).await;
        // A file stored before uploads said what they were for: kept as long as a loaded one.
        let legacy: i64 = sqlx::query(
            "INSERT INTO uploads (file_name, content, size_bytes, created_at) \
             VALUES ('старый.csv', $1, $2, $3) RETURNING id",
        )
        .bind(CSV.to_vec())
        .bind(CSV.len() as i64)
        .bind(day20.db.now_text())
        .fetch_one(db.write())
        .await
        .unwrap()
        .get(0);
        let t = "2026-04-09T20:00:00Z".parse::<DateTime<Utc>>().unwrap();
        let open = App::new(db.clone(), Clock::Fixed(t));
        let preview = uploads::save(&open, UploadFor::Registry, "реестр.csv", CSV, None)
            .await
            .unwrap();

        // Day 40 with the defaults (30 days after the job, 1 day unused).
        let day40 = at(&db, 40);
        let swept = retention::sweep(&day40, || false).await.unwrap();
        assert_eq!(swept.files, 2, "{swept:?}");
        assert_eq!(swept.bytes, 2 * CSV.len() as i64);
        let alive = |id| {
            let db = db.clone();
            async move { abonent_storage::uploads::info(&db, id).await.unwrap() }
        };
        assert_eq!(alive(dry).await, None, "a dry run after a day");
        assert_eq!(
            alive(loaded).await,
            None,
            "a loaded file 40 days after its job"
        );
        assert_eq!(
            alive(recent_load).await,
            Some(("payments_import".into(), Some(job20)))
        );
        assert_eq!(
            alive(preview).await,
            Some(("registry_import".into(), None)),
            "a preview less than a day old"
        );
        assert_eq!(alive(legacy).await, Some(("import".into(), None)));
        // The scan is evidence of its letter: never an upload to expire.
        let (info, content) = attachments::get(&db, scan).await.unwrap();
        assert_eq!((info.file_name.as_str(), content.len()), ("акт.pdf", 16));

        // Every deletion is a history row saying what the file was and who deleted it.
        let rows = sqlx::query(
            "SELECT entity_id, action, actor_name, before_json, at FROM history \
         WHERE entity = 'upload' ORDER BY entity_id",
        )
        .fetch_all(db.read())
        .await
        .unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].get::<i64, _>(0), dry);
        assert_eq!(rows[1].get::<i64, _>(0), loaded);
        for r in &rows {
            assert_eq!(r.get::<String, _>(1), "delete");
            assert_eq!(r.get::<String, _>(2), "Срок хранения файлов импорта");
            assert!(r.get::<String, _>(4).starts_with("2026-04-10T09:00:00"));
        }
        let before: String = rows[1].get(3);
        assert!(
            before.contains("начисления.csv") && before.contains("charges_import"),
            "{before}"
        );

        // A second sweep finds nothing; a shorter setting lets the day-20 file go.
        assert_eq!(retention::sweep(&day40, || false).await.unwrap().files, 0);
        settings::set(&db, "uploads.keep_days", "7", "Администратор")
            .await
            .unwrap();
        let day41 = at(&db, 41);
        assert_eq!(retention::sweep(&day41, || false).await.unwrap().files, 3);
        assert_eq!(alive(recent_load).await, None);
        assert_eq!(alive(legacy).await, None);
        assert_eq!(alive(preview).await, None, "unused for more than a day");
    }
);
