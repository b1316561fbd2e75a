//! An appeal's registration message survives an SMTP server that is down: it waits in the
//! outbox with the reason and reaches the server, once, when it comes up.

mod common;

use std::time::Duration;

use abonent_domain::appeal::{AppealKind, Channel, Priority};
use abonent_domain::outbox::{Backoff, OutboxState};
use abonent_notify::Worker;
use abonent_storage::appeals::{self, NewAppeal};
use abonent_storage::outbox;
use abonent_storage::{Actor, Db};
use chrono::TimeDelta;
use common::{use_smtp, wait_for, SmtpServer};
use sqlx::Row;

/// A request by e-mail from an applicant who agreed to be informed.
async fn by_email(db: &Db, substance: &str) -> appeals::Registered {
    abonent_app::appeals::register(
        &abonent_app::App::new(db.clone(), abonent_app::Clock::System),
        &NewAppeal {
            kind: Some(AppealKind::Request),
            channel: Some(Channel::Email),
            priority: Some(Priority::Normal),
            address_text: "ул. Ленина, д. 5, кв. 12".into(),
            applicant_name: "Иванова Мария".into(),
            applicant_email: "maria@example.ru".into(),
            applicant_consent: true,
            substance: substance.into(),
            ..Default::default()
        },
        &Actor::system("тест"),
    )
    .await
    .unwrap()
}

both!(
    appeal_registration_message_waits_for_the_smtp_server,
    |db: Db, _url: String| async move {
        let reserved = common::ClosedPort::reserve();
        let port = reserved.port;
        use_smtp(&db, port).await;
        let r = by_email(&db, "Нет горячей воды в ванной третий день").await;
        let id: i64 =
            sqlx::query("SELECT id FROM outbox WHERE source_entity = 'appeal' AND source_id = $1")
                .bind(r.id)
                .fetch_one(db.read())
                .await
                .unwrap()
                .get(0);

        let worker =
            Worker::new(db.clone(), "w1").with_backoff(Backoff::new(vec![TimeDelta::seconds(1)]));
        let (stop, task) = common::keep_sending(worker, Duration::from_millis(100));
        wait_for(Duration::from_secs(90), "a failed attempt", || {
            let db = db.clone();
            async move { outbox::get(&db, id).await.unwrap().last_error.is_some() }
        })
        .await;
        let m = outbox::get(&db, id).await.unwrap();
        assert!(
            matches!(m.state, OutboxState::Pending | OutboxState::Sending),
            "{:?}",
            m.state
        );
        assert!(m.last_error.unwrap().contains("недоступен"));

        let smtp = SmtpServer::start_on(reserved);
        wait_for(
            Duration::from_secs(120),
            "delivery after the server is up",
            || {
                let db = db.clone();
                async move { outbox::get(&db, id).await.unwrap().state == OutboxState::Sent }
            },
        )
        .await;
        let _ = stop.send(());
        task.await.unwrap();
        let got = smtp.received();
        assert_eq!(got.len(), 1, "delivered exactly once");
        assert_eq!(
            got[0].header("Subject"),
            format!("Обращение № {}", r.number)
        );
        let text = got[0].text();
        assert!(
            text.contains(&r.number) && text.contains("Срок исполнения"),
            "{text}"
        );
    }
);

both!(
    a_comment_sent_to_the_applicant_reaches_the_smtp_server,
    |db: Db, _url: String| async move {
        let smtp = SmtpServer::start();
        use_smtp(&db, smtp.port).await;
        let r = by_email(&db, "Не закрывается окно в подъезде").await;
        let body = "Стекольщик придёт в четверг с 10 до 12.";
        appeals::comment(&db, r.id, true, body, &Actor::system("тест"))
            .await
            .unwrap();
        let worker = Worker::new(db.clone(), "w1");
        let (stop, task) = common::keep_sending(worker, Duration::from_millis(100));
        wait_for(Duration::from_secs(120), "the comment delivered", || {
            let smtp = &smtp;
            async move {
                smtp.received()
                    .iter()
                    .any(|m| m.text().contains("Стекольщик"))
            }
        })
        .await;
        let _ = stop.send(());
        task.await.unwrap();
        let got = smtp.received();
        let m = got
            .iter()
            .find(|m| m.text().contains("Стекольщик"))
            .unwrap();
        assert_eq!(m.header("Subject"), format!("Обращение № {}", r.number));
    }
);
