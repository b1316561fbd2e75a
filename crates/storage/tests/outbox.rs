//! The notification outbox on both backends: enqueue inside the caller's transaction, dedup,
//! exclusive claims by several instances, lease expiry, back-off marks, retry and cancel.

use std::collections::HashSet;
use std::time::Duration;

use abonent_domain::outbox::{OutboxChannel, OutboxState, Retry};
use abonent_storage::history::{self, Actor};
use abonent_storage::outbox::{self, NewMessage, OutboxFilter};
use abonent_storage::registry::PageReq;
use abonent_storage::testing::TestDb;
use abonent_storage::{both_backends, Backend, Db, StoreError};

const LEASE: Duration = Duration::from_secs(300);

fn admin() -> Actor {
    Actor {
        user_id: None,
        name: "Администратор".into(),
    }
}

fn letter(n: usize) -> NewMessage {
    NewMessage::email(
        &format!("resident{n}@example.ru"),
        "Обращение зарегистрировано",
        &format!("Ваше обращение № {n} зарегистрировано."),
    )
}

both_backends!(enqueue_commits_with_the_caller, |db: Db| async move {
    let mut tx = db.write().begin().await.unwrap();
    outbox::enqueue_in(&mut tx, &db.now_text(), &letter(1))
        .await
        .unwrap();
    tx.rollback().await.unwrap();
    let all = outbox::list(&db, &OutboxFilter::default(), PageReq::new(None, None))
        .await
        .unwrap();
    assert_eq!(all.total, 0, "a rolled back change leaves no message");

    let mut tx = db.write().begin().await.unwrap();
    let id = outbox::enqueue_in(&mut tx, &db.now_text(), &letter(1).about("appeal", 7))
        .await
        .unwrap()
        .expect("new message");
    tx.commit().await.unwrap();
    let m = outbox::get(&db, id).await.unwrap();
    assert_eq!(m.state, OutboxState::Pending);
    assert_eq!(m.channel, OutboxChannel::Email);
    assert_eq!(m.recipient, "resident1@example.ru");
    assert_eq!(m.attempts, 0);
    assert_eq!(m.source_entity.as_deref(), Some("appeal"));
    assert_eq!(m.source_id, Some(7));
});

both_backends!(dedup_key_makes_enqueue_idempotent, |db: Db| async move {
    let m = NewMessage::sms("+79123456789", "Заявка З-2026-000001 выполнена.")
        .dedup("appeal:1:done:sms");
    let first = outbox::enqueue(&db, &m).await.unwrap();
    assert!(first.is_some());
    assert_eq!(outbox::enqueue(&db, &m).await.unwrap(), None);
    // Messages without a key never collide.
    assert!(outbox::enqueue(&db, &letter(2)).await.unwrap().is_some());
    assert!(outbox::enqueue(&db, &letter(2)).await.unwrap().is_some());
    let all = outbox::list(&db, &OutboxFilter::default(), PageReq::new(None, None))
        .await
        .unwrap();
    assert_eq!(all.total, 3);
});

both_backends!(bad_recipients_are_named, |db: Db| async move {
    let e = outbox::enqueue(&db, &NewMessage::email("not an address", "Тема", "Текст"))
        .await
        .unwrap_err();
    assert!(
        matches!(&e, StoreError::Invalid(v) if v.0[0].field == "recipient"),
        "{e}"
    );
    let e = outbox::enqueue(&db, &NewMessage::sms("8 912", "Текст"))
        .await
        .unwrap_err();
    assert!(e.to_string().contains("+79123456789"), "{e}");
    let e = outbox::enqueue(&db, &NewMessage::sms("+79123456789", "  "))
        .await
        .unwrap_err();
    assert!(
        matches!(&e, StoreError::Invalid(v) if v.0[0].field == "body"),
        "{e}"
    );
});

both_backends!(
    claim_leases_and_expired_lease_is_claimed_again,
    |db: Db| async move {
        let id = outbox::enqueue(&db, &letter(1)).await.unwrap().unwrap();
        let a = outbox::claim(&db, "a", Duration::from_secs(1), 10)
            .await
            .unwrap();
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].state, OutboxState::Sending);
        assert_eq!(a[0].attempts, 1);
        assert_eq!(a[0].locked_by.as_deref(), Some("a"));
        assert!(outbox::claim(&db, "b", LEASE, 10).await.unwrap().is_empty());

        // Instance a "dies": after its lease, b takes the message over.
        tokio::time::sleep(Duration::from_millis(1200)).await;
        let b = outbox::claim(&db, "b", LEASE, 10).await.unwrap();
        assert_eq!(b.iter().map(|m| m.id).collect::<Vec<_>>(), [id]);
        assert_eq!(b[0].attempts, 2);
        assert!(
            !outbox::mark_sent(&db, id, "a").await.unwrap(),
            "a lost its lease"
        );
        assert!(outbox::mark_sent(&db, id, "b").await.unwrap());
        let m = outbox::get(&db, id).await.unwrap();
        assert_eq!(m.state, OutboxState::Sent);
        assert!(m.sent_at.is_some() && m.locked_until.is_none());
        assert_eq!(m.locked_by.as_deref(), Some("b"), "the sender is kept");
        assert!(outbox::claim(&db, "c", LEASE, 10).await.unwrap().is_empty());
    }
);

both_backends!(claim_takes_only_the_asked_channels, |db: Db| async move {
    outbox::enqueue(&db, &letter(1)).await.unwrap();
    let sms = outbox::enqueue(&db, &NewMessage::sms("+79120000001", "Текст"))
        .await
        .unwrap()
        .unwrap();
    let got = outbox::claim_for(&db, "a", LEASE, 10, &[OutboxChannel::Sms])
        .await
        .unwrap();
    assert_eq!(got.iter().map(|m| m.id).collect::<Vec<_>>(), [sms]);
    assert!(outbox::claim_for(&db, "a", LEASE, 10, &[])
        .await
        .unwrap()
        .is_empty());
    assert_eq!(outbox::claim(&db, "a", LEASE, 10).await.unwrap().len(), 1);
});

both_backends!(
    failure_backs_off_then_gives_up_with_history,
    |db: Db| async move {
        let id = outbox::enqueue(&db, &letter(1).about("appeal", 42))
            .await
            .unwrap()
            .unwrap();
        outbox::claim(&db, "a", LEASE, 10).await.unwrap();
        let later = chrono::Utc::now() + chrono::TimeDelta::minutes(1);
        assert!(
            outbox::mark_failed(&db, id, "a", "сервер недоступен", Retry::At(later))
                .await
                .unwrap()
        );
        let m = outbox::get(&db, id).await.unwrap();
        assert_eq!(m.state, OutboxState::Pending);
        assert_eq!(m.last_error.as_deref(), Some("сервер недоступен"));
        assert!(m.locked_by.is_none());
        assert!(
            outbox::claim(&db, "a", LEASE, 10).await.unwrap().is_empty(),
            "not due before its next attempt"
        );

        // Due again (the clock is the database's text; move the due time back).
        let past = chrono::Utc::now() - chrono::TimeDelta::seconds(1);
        sqlx::query("UPDATE outbox SET next_attempt_at = $1 WHERE id = $2")
            .bind(abonent_storage::time::fmt(past))
            .bind(id)
            .execute(db.write())
            .await
            .unwrap();
        let again = outbox::claim(&db, "b", LEASE, 10).await.unwrap();
        assert_eq!(again[0].attempts, 2);
        assert!(
            outbox::mark_failed(&db, id, "b", "550 нет такого ящика", Retry::GiveUp)
                .await
                .unwrap()
        );
        let m = outbox::get(&db, id).await.unwrap();
        assert_eq!(m.state, OutboxState::Failed);
        assert_eq!(m.last_error.as_deref(), Some("550 нет такого ящика"));
        let h = history::for_card(&db, "appeal", 42, 10).await.unwrap();
        assert_eq!(
            h.len(),
            1,
            "the appeal's card shows the failed notification"
        );
        assert_eq!(h[0].entity, "outbox");
        assert_eq!(h[0].action, "give_up");
        assert!(h[0].note.as_deref().unwrap().contains("550"));
    }
);

both_backends!(retry_and_cancel_follow_the_state, |db: Db| async move {
    let id = outbox::enqueue(&db, &letter(1)).await.unwrap().unwrap();
    outbox::claim(&db, "a", LEASE, 10).await.unwrap();
    let e = outbox::cancel(&db, id, &admin(), "").await.unwrap_err();
    assert!(e.to_string().contains("отправляется"), "{e}");
    outbox::mark_failed(&db, id, "a", "отказ", Retry::GiveUp)
        .await
        .unwrap();

    outbox::retry_now(&db, id, &admin()).await.unwrap();
    let m = outbox::get(&db, id).await.unwrap();
    assert_eq!(m.state, OutboxState::Pending);
    assert_eq!(m.attempts, 0, "a manual retry starts the schedule anew");
    assert_eq!(outbox::claim(&db, "a", LEASE, 10).await.unwrap().len(), 1);
    outbox::mark_sent(&db, id, "a").await.unwrap();
    let e = outbox::retry_now(&db, id, &admin()).await.unwrap_err();
    assert!(e.to_string().contains("уже отправлено"), "{e}");
    let e = outbox::cancel(&db, id, &admin(), "").await.unwrap_err();
    assert!(e.to_string().contains("уже отправлено"), "{e}");

    let other = outbox::enqueue(&db, &letter(2)).await.unwrap().unwrap();
    outbox::cancel(&db, other, &admin(), "житель просил не писать")
        .await
        .unwrap();
    assert_eq!(
        outbox::get(&db, other).await.unwrap().state,
        OutboxState::Cancelled
    );
    assert!(outbox::claim(&db, "a", LEASE, 10).await.unwrap().is_empty());
    let h = history::for_card(&db, "outbox", other, 10).await.unwrap();
    assert_eq!(h[0].action, "cancel");
    assert_eq!(h[0].actor_name, "Администратор");
    assert_eq!(h[0].note.as_deref(), Some("житель просил не писать"));
    let h = history::for_card(&db, "outbox", id, 10).await.unwrap();
    let actions: Vec<&str> = h.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["retry", "give_up"]);
    assert!(matches!(
        outbox::retry_now(&db, 999_999, &admin()).await,
        Err(StoreError::NotFound(_))
    ));
});

both_backends!(list_filters_and_counts, |db: Db| async move {
    for n in 0..5 {
        outbox::enqueue(&db, &letter(n)).await.unwrap();
    }
    outbox::enqueue(
        &db,
        &NewMessage::sms("+79120000001", "Текст").about("appeal", 3),
    )
    .await
    .unwrap();
    outbox::claim_for(&db, "a", LEASE, 2, &[OutboxChannel::Email])
        .await
        .unwrap();
    let page = |f: OutboxFilter| {
        let db = db.clone();
        async move {
            outbox::list(&db, &f, PageReq::new(Some(1), Some(3)))
                .await
                .unwrap()
        }
    };
    let all = page(OutboxFilter::default()).await;
    assert_eq!((all.total, all.items.len()), (6, 3));
    assert!(all.items[0].id > all.items[1].id, "newest first");
    let sending = page(OutboxFilter {
        state: Some(OutboxState::Sending),
        ..Default::default()
    })
    .await;
    assert_eq!(sending.total, 2);
    let sms = page(OutboxFilter {
        channel: Some(OutboxChannel::Sms),
        ..Default::default()
    })
    .await;
    assert_eq!(sms.total, 1);
    let by_source = page(OutboxFilter {
        source: Some(("appeal".into(), 3)),
        ..Default::default()
    })
    .await;
    assert_eq!(by_source.items[0].recipient, "+79120000001");
    let by_recipient = page(OutboxFilter {
        recipient: Some("RESIDENT3@".into()),
        ..Default::default()
    })
    .await;
    assert_eq!(by_recipient.total, 1);
    let counts = outbox::counts(&db).await.unwrap();
    assert_eq!(counts.len(), 5);
    assert!(counts.contains(&(OutboxState::Pending, 4)));
    assert!(counts.contains(&(OutboxState::Sending, 2)));
    assert!(counts.contains(&(OutboxState::Failed, 0)));
});

/// Four instances (separate pools, as separate processes would have) drain 200 messages:
/// every message is claimed by exactly one of them.
async fn instances_claim_each_message_once(backend: Backend) {
    let t = TestDb::new(backend).await;
    let mut ids = HashSet::new();
    for n in 0..200 {
        ids.insert(outbox::enqueue(&t.db, &letter(n)).await.unwrap().unwrap());
    }
    let mut tasks = Vec::new();
    for i in 0..4 {
        let db = Db::connect(&t.url).await.unwrap();
        tasks.push(tokio::spawn(async move {
            let me = format!("instance-{i}");
            let mut mine = Vec::new();
            loop {
                let batch = outbox::claim(&db, &me, LEASE, 7).await.unwrap();
                if batch.is_empty() {
                    break;
                }
                for m in batch {
                    assert!(outbox::mark_sent(&db, m.id, &me).await.unwrap());
                    mine.push(m.id);
                }
            }
            db.close().await;
            mine
        }));
    }
    let mut seen = Vec::new();
    for t in tasks {
        seen.extend(t.await.unwrap());
    }
    let unique: HashSet<i64> = seen.iter().copied().collect();
    assert_eq!(seen.len(), 200, "no message claimed twice");
    assert_eq!(unique, ids, "every message claimed");
    let counts = outbox::counts(&t.db).await.unwrap();
    assert!(counts.contains(&(OutboxState::Sent, 200)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_instances_claim_each_message_once() {
    instances_claim_each_message_once(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_instances_claim_each_message_once() {
    instances_claim_each_message_once(Backend::Postgres).await;
}
