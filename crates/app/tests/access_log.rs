//! The personal-data access log under load, on both databases: answers given at once share
//! the log's commits (group commit), and still every answer has its own entry naming exactly
//! the people it showed.

use abonent_app::{privacy, App, Clock};
use abonent_domain::registry::PersonForm;
use abonent_storage::registry::person;
use abonent_storage::{both_backends, Actor, Db};

both_backends!(
    answers_given_at_once_are_each_logged_with_their_people,
    |db: Db| async move {
        let app = App::new(db.clone(), Clock::System);
        let loader = Actor::system("загрузка");
        let mut ids = Vec::new();
        for name in ["Белова", "Гусев", "Дронов", "Егорова"] {
            let d = PersonForm {
                last_name: Some(name.into()),
                first_name: Some("Анна".into()),
                ..Default::default()
            }
            .validate(chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap())
            .unwrap();
            ids.push(person::create(&db, &d, &loader).await.unwrap());
        }
        // 200 answers at once, answer i showing person i % 4 through its own route.
        let mut tasks = Vec::new();
        for i in 0..200usize {
            let (app, who) = (app.clone(), ids[i % 4]);
            tasks.push(tokio::spawn(async move {
                let actor = Actor {
                    user_id: Some(i as i64 + 1),
                    name: format!("сотрудник {i}"),
                };
                privacy::record_views(&app, &actor, &[who], &format!("GET /persons/{i}")).await
            }));
        }
        for t in tasks {
            t.await.unwrap().unwrap();
        }
        let rows: Vec<(String, i64, i64)> = sqlx::query_as(
            "SELECT a.via, a.actor_id, p.person_id FROM pd_access a \
             JOIN pd_access_people p ON p.access_id = a.id",
        )
        .fetch_all(db.read())
        .await
        .unwrap();
        assert_eq!(rows.len(), 200, "one entry and one person per answer");
        for (via, actor, person) in rows {
            let i: usize = via.trim_start_matches("GET /persons/").parse().unwrap();
            assert_eq!(actor, i as i64 + 1, "{via}");
            assert_eq!(person, ids[i % 4], "{via} names the person it showed");
        }
        // Nobody shown: nothing logged, and the writer is not needed for it.
        privacy::record_views(&app, &loader, &[], "GET /persons")
            .await
            .unwrap();
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM pd_access")
            .fetch_one(db.read())
            .await
            .unwrap();
        assert_eq!(n, 200);
    }
);
