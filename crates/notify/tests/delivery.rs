//! Delivery through real servers started here: an SMTP server and an HTTP SMS gateway on
//! 127.0.0.1. A server that is down loses nothing; several workers send each message once.

mod common;

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use abonent_domain::outbox::{Backoff, OutboxState};
use abonent_notify::{Round, Worker};
use abonent_storage::history;
use abonent_storage::outbox::{self, NewMessage, OutboxFilter};
use abonent_storage::registry::PageReq;
use abonent_storage::Db;
use axum::http::StatusCode;
use chrono::TimeDelta;
use common::{set, use_smtp, wait_for, Gateway, SmtpServer};

const BODY: &str = "Здравствуйте, Мария Ивановна!\n\nВаша заявка З-2026-000123 «Нет горячей воды» \
зарегистрирована 27.11.2026 в 10:15. Срок устранения — до 30.11.2026.\n\nУК «Дом», тел. 8 (343) 123-45-67";

async fn state(db: &Db, id: i64) -> OutboxState {
    outbox::get(db, id).await.unwrap().state
}

both!(
    email_reaches_a_real_smtp_server,
    |db: Db, _url: String| async move {
        let smtp = SmtpServer::start();
        use_smtp(&db, smtp.port).await;
        let id = outbox::enqueue(
            &db,
            &NewMessage::email(
                "ivanova@example.ru",
                "Заявка З-2026-000123 зарегистрирована",
                BODY,
            )
            .about("appeal", 123),
        )
        .await
        .unwrap()
        .unwrap();

        let round = Worker::new(db.clone(), "w1").run_once().await.unwrap();
        assert_eq!(
            round,
            Round {
                sent: 1,
                deferred: 0,
                failed: 0
            }
        );
        let got = smtp.received();
        assert_eq!(got.len(), 1);
        let mail = &got[0];
        assert_eq!(mail.from, "noreply@uk-dom.ru");
        assert_eq!(mail.to, ["ivanova@example.ru"]);
        assert_eq!(mail.header("To"), "ivanova@example.ru");
        assert_eq!(mail.header("From"), "УК «Дом» <noreply@uk-dom.ru>");
        assert_eq!(
            mail.header("Subject"),
            "Заявка З-2026-000123 зарегистрирована"
        );
        assert!(mail.header("Content-Type").contains("charset=utf-8"));
        assert!(!mail.header("Message-ID").is_empty());
        assert_eq!(mail.text().replace("\r\n", "\n").trim_end(), BODY);

        let m = outbox::get(&db, id).await.unwrap();
        assert_eq!(m.state, OutboxState::Sent);
        assert_eq!(m.attempts, 1);
        assert_eq!(m.locked_by.as_deref(), Some("w1"));
        assert!(m.last_error.is_none());
        // Nothing more to do.
        assert_eq!(
            Worker::new(db.clone(), "w1").run_once().await.unwrap(),
            Round::default()
        );
    }
);

both!(
    sms_reaches_the_http_gateway,
    |db: Db, _url: String| async move {
        let gw = Gateway::start().await;
        set(
            &db,
            &[
                (
                    "sms.url",
                    &format!("{}/send?to={{phone}}&msg={{text}}&key=abc", gw.base),
                ),
                ("sms.method", "GET"),
            ],
        )
        .await;
        let text = "Заявка З-2026-000123 выполнена. Оцените работу: 1–5.";
        let id = outbox::enqueue(&db, &NewMessage::sms("+79123456789", text))
            .await
            .unwrap()
            .unwrap();
        Worker::new(db.clone(), "w1").run_once().await.unwrap();
        let reqs = gw.requests();
        assert_eq!(reqs.len(), 1);
        assert_eq!(reqs[0].method, "GET");
        assert_eq!(reqs[0].uri.path(), "/send");
        assert_eq!(reqs[0].query("to"), "+79123456789");
        assert_eq!(reqs[0].query("msg"), text);
        assert_eq!(reqs[0].query("key"), "abc");
        assert_eq!(state(&db, id).await, OutboxState::Sent);

        // POST with a JSON body and an API key header.
        set(
            &db,
            &[
                ("sms.url", &format!("{}/api/sms", gw.base)),
                ("sms.method", "POST"),
                (
                    "sms.body",
                    r#"{"phone": "{phone_digits}", "text": "{text}", "sender": "UKDOM"}"#,
                ),
                ("sms.auth_header", "X-Api-Key: s3cr3t"),
            ],
        )
        .await;
        let quoted = "Мастер придёт 28.11 с 9 до 12 (\"окно\" 3 часа).";
        outbox::enqueue(&db, &NewMessage::sms("+79001112233", quoted))
            .await
            .unwrap();
        Worker::new(db.clone(), "w1").run_once().await.unwrap();
        let r = gw.requests().pop().unwrap();
        assert_eq!(r.method, "POST");
        assert_eq!(r.headers["content-type"], "application/json");
        assert_eq!(r.headers["x-api-key"], "s3cr3t");
        let json: serde_json::Value = serde_json::from_str(&r.body).unwrap();
        assert_eq!(json["phone"], "79001112233");
        assert_eq!(json["text"], quoted);
        assert_eq!(json["sender"], "UKDOM");
    }
);

both!(
    gateway_refusal_is_kept_and_retried_then_given_up,
    |db: Db, _url: String| async move {
        let gw = Gateway::start().await;
        gw.answer(StatusCode::PAYMENT_REQUIRED, "Баланс исчерпан");
        set(
            &db,
            &[
                (
                    "sms.url",
                    &format!("{}/send?to={{phone}}&text={{text}}", gw.base),
                ),
                ("outbox.max_attempts", "2"),
            ],
        )
        .await;
        let id = outbox::enqueue(
            &db,
            &NewMessage::sms("+79123456789", "Текст").about("appeal", 5),
        )
        .await
        .unwrap()
        .unwrap();
        let before = chrono::Utc::now();
        let w = Worker::new(db.clone(), "w1");
        assert_eq!(w.run_once().await.unwrap().deferred, 1);
        let m = outbox::get(&db, id).await.unwrap();
        assert_eq!(m.state, OutboxState::Pending);
        assert_eq!(m.attempts, 1);
        let error = m.last_error.unwrap();
        assert!(
            error.contains("402") && error.contains("Баланс исчерпан"),
            "{error}"
        );
        let due = abonent_storage::time::parse(&m.next_attempt_at).unwrap();
        let wait = due - before;
        assert!(
            wait >= TimeDelta::seconds(59) && wait <= TimeDelta::seconds(90),
            "first retry a minute later, got {wait}"
        );
        assert_eq!(w.run_once().await.unwrap(), Round::default(), "not due yet");

        // With no wait between attempts, the second (last) attempt gives up.
        let w = Worker::new(db.clone(), "w1").with_backoff(Backoff::new(vec![TimeDelta::zero()]));
        sqlx::query("UPDATE outbox SET next_attempt_at = created_at WHERE id = $1")
            .bind(id)
            .execute(db.write())
            .await
            .unwrap();
        assert_eq!(w.run_once().await.unwrap().failed, 1);
        let m = outbox::get(&db, id).await.unwrap();
        assert_eq!((m.state, m.attempts), (OutboxState::Failed, 2));
        assert_eq!(gw.requests().len(), 2);
        let h = history::for_card(&db, "appeal", 5, 10).await.unwrap();
        assert_eq!(h[0].action, "give_up");
    }
);

both!(
    channels_without_settings_wait,
    |db: Db, _url: String| async move {
        let id = outbox::enqueue(&db, &NewMessage::email("a@example.ru", "Тема", "Текст"))
            .await
            .unwrap()
            .unwrap();
        let w = Worker::new(db.clone(), "w1");
        assert_eq!(w.run_once().await.unwrap(), Round::default());
        // Set up wrongly (no sender address): still waits, spending no attempts.
        set(&db, &[("smtp.host", "127.0.0.1")]).await;
        assert_eq!(w.run_once().await.unwrap(), Round::default());
        let m = outbox::get(&db, id).await.unwrap();
        assert_eq!((m.state, m.attempts), (OutboxState::Pending, 0));
    }
);

both!(
    smtp_server_down_loses_nothing,
    |db: Db, _url: String| async move {
        let reserved = common::ClosedPort::reserve();
        let port = reserved.port;
        use_smtp(&db, port).await;
        let mut ids = Vec::new();
        for n in 1..=3 {
            let m = NewMessage::email(
                &format!("resident{n}@example.ru"),
                &format!("Заявка З-2026-00000{n} зарегистрирована"),
                BODY,
            );
            ids.push(outbox::enqueue(&db, &m).await.unwrap().unwrap());
        }
        let worker =
            Worker::new(db.clone(), "w1").with_backoff(Backoff::new(vec![TimeDelta::seconds(1)]));
        let (stop, task) = common::keep_sending(worker, Duration::from_millis(100));

        // The server is down: every message waits for its next attempt with the reason.
        wait_for(Duration::from_secs(90), "first failed attempts", || {
            let db = db.clone();
            let ids = ids.clone();
            async move {
                for id in ids {
                    // Claiming counts the attempt; the failure is written after it.
                    if outbox::get(&db, id).await.unwrap().last_error.is_none() {
                        return false;
                    }
                }
                true
            }
        })
        .await;
        for id in &ids {
            let m = outbox::get(&db, *id).await.unwrap();
            assert_ne!(m.state, OutboxState::Sent);
            assert_ne!(m.state, OutboxState::Failed);
            let error = m.last_error.unwrap_or_default();
            assert!(
                error.contains(&format!("127.0.0.1:{port} недоступен")),
                "{error}"
            );
        }

        // The server comes up: the worker delivers everything, once.
        let smtp = SmtpServer::start_on(reserved);
        wait_for(
            Duration::from_secs(120),
            "delivery after the server is up",
            || {
                let db = db.clone();
                let ids = ids.clone();
                async move {
                    for id in ids {
                        if state(&db, id).await != OutboxState::Sent {
                            return false;
                        }
                    }
                    true
                }
            },
        )
        .await;
        let _ = stop.send(());
        task.await.unwrap();
        let got = smtp.received();
        assert_eq!(got.len(), 3, "each message delivered exactly once");
        let subjects: HashSet<String> = got.iter().map(|m| m.header("Subject")).collect();
        assert_eq!(subjects.len(), 3);
        for m in &got {
            assert_eq!(m.text().replace("\r\n", "\n").trim_end(), BODY);
        }
        for id in &ids {
            assert!(outbox::get(&db, *id).await.unwrap().attempts >= 2);
        }
    }
);

both!(
    two_workers_deliver_each_message_once,
    |db: Db, url: String| async move {
        let smtp = SmtpServer::start();
        let gw = Gateway::start().await;
        use_smtp(&db, smtp.port).await;
        set(
            &db,
            &[(
                "sms.url",
                &format!("{}/send?to={{phone}}&text={{text}}", gw.base),
            )],
        )
        .await;
        for n in 0..100 {
            let email = NewMessage::email(
                &format!("r{n}@example.ru"),
                &format!("Письмо {n}"),
                &format!("Текст письма {n}"),
            );
            outbox::enqueue(&db, &email).await.unwrap();
            let sms = NewMessage::sms(&format!("+7912{n:07}"), &format!("SMS {n}"));
            outbox::enqueue(&db, &sms).await.unwrap();
        }

        // Two instances: separate pools on the same database, as two processes would have.
        let mut stops = Vec::new();
        let mut tasks = Vec::new();
        let mut instances = Vec::new();
        for name in ["instance-a", "instance-b"] {
            let own = Db::connect(&url).await.unwrap();
            instances.push(own.clone());
            let w = Worker::new(own, name);
            let (stop, task) = common::keep_sending(w, Duration::from_millis(50));
            stops.push(stop);
            tasks.push(task);
        }
        wait_for(Duration::from_secs(120), "200 messages sent", || {
            let db = db.clone();
            async move {
                let c = outbox::counts(&db).await.unwrap();
                c.contains(&(OutboxState::Sent, 200))
            }
        })
        .await;
        for s in stops {
            let _ = s.send(());
        }
        for t in tasks {
            t.await.unwrap();
        }
        for own in instances {
            own.close().await;
        }

        let mails: Vec<String> = smtp
            .received()
            .iter()
            .map(|m| m.header("Subject"))
            .collect();
        let unique: HashSet<&String> = mails.iter().collect();
        assert_eq!((mails.len(), unique.len()), (100, 100), "each letter once");
        let texts: Vec<String> = gw.requests().iter().map(|r| r.query("text")).collect();
        let unique: HashSet<&String> = texts.iter().collect();
        assert_eq!((texts.len(), unique.len()), (100, 100), "each SMS once");

        let all = outbox::list(
            &db,
            &OutboxFilter::default(),
            PageReq::new(Some(1), Some(500)),
        )
        .await
        .unwrap();
        let mut by_instance: HashMap<String, usize> = HashMap::new();
        for m in &all.items {
            assert_eq!(m.attempts, 1, "message {} was attempted twice", m.id);
            *by_instance.entry(m.locked_by.clone().unwrap()).or_default() += 1;
        }
        assert_eq!(by_instance.values().sum::<usize>(), 200);
        assert!(
            by_instance.len() == 2,
            "both instances took part: {by_instance:?}"
        );
    }
);

both!(
    starttls_is_required_when_set,
    |db: Db, _url: String| async move {
        // The test server offers no STARTTLS: a letter must not go out in the clear.
        let smtp = SmtpServer::start();
        use_smtp(&db, smtp.port).await;
        set(&db, &[("smtp.security", "starttls")]).await;
        let id = outbox::enqueue(&db, &NewMessage::email("a@example.ru", "Тема", BODY))
            .await
            .unwrap()
            .unwrap();
        let round = Worker::new(db.clone(), "w1").run_once().await.unwrap();
        assert_eq!(round.deferred, 1);
        assert!(smtp.received().is_empty());
        let error = outbox::get(&db, id).await.unwrap().last_error.unwrap();
        assert!(error.contains("не предлагает STARTTLS"), "{error}");
        assert!(
            error.contains(&format!("127.0.0.1:{}", smtp.port)),
            "{error}"
        );
    }
);
