//! Issue 15 §2–§3 on SQLite and PostgreSQL: an emergency's two deadlines, a phone that
//! never blocks an emergency, rules counted from receipt, deferrals that survive a pause,
//! bindings that follow the matter, messages to the applicant through the outbox.

use crate::appeals::{self, AppealFilter, NewAppeal, StatusChange, View};
use abonent_domain::appeal::{AppealKind, Channel, Priority, Status};
use abonent_domain::correspondence::SenderKind;
use abonent_domain::Role;
use abonent_storage::registry::PageReq;
use abonent_storage::{both_backends, history, settings, time, Actor, Db, StoreError};
use chrono::TimeDelta;
use sqlx::Row;

fn actor() -> Actor {
    Actor {
        user_id: None,
        name: "Диспетчер".into(),
    }
}

fn fields(e: StoreError) -> Vec<String> {
    match e {
        StoreError::Invalid(v) => v.0.into_iter().map(|f| f.field).collect(),
        other => panic!("{other:?}"),
    }
}

async fn category(db: &Db, code: &str) -> i64 {
    appeals::reference::categories(db)
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.code == code)
        .unwrap()
        .id
}

fn appeal(kind: AppealKind, channel: Channel, substance: &str) -> NewAppeal {
    NewAppeal {
        kind: Some(kind),
        channel: Some(channel),
        priority: Some(Priority::Normal),
        address_text: "ул. Ленина, д. 5, кв. 12".into(),
        applicant_name: "Иванова Мария".into(),
        applicant_email: "maria@example.ru".into(),
        applicant_consent: true,
        substance: substance.into(),
        ..Default::default()
    }
}

fn emergency() -> NewAppeal {
    NewAppeal {
        priority: Some(Priority::Emergency),
        ..appeal(
            AppealKind::Request,
            Channel::Phone,
            "Топят соседи сверху, течёт с потолка",
        )
    }
}

async fn in_view(db: &Db, view: View, id: i64) -> bool {
    let f = AppealFilter {
        view,
        ..Default::default()
    };
    let page = appeals::list(db, &f, PageReq::new(None, Some(100)), None)
        .await
        .unwrap();
    // The count is what the view shows: the Overdue count adds two disjoint halves (past the
    // main deadline; not localised in time), so an appeal in both is counted once.
    assert_eq!(page.total, page.items.len() as i64, "{view:?}");
    page.items.iter().any(|a| a.id == id)
}

fn at(s: &Option<String>) -> chrono::DateTime<chrono::Utc> {
    time::parse(s.as_deref().unwrap()).unwrap()
}

both_backends!(
    an_emergency_has_both_deadlines_of_pp_416,
    |db: Db| async move {
        let before = db.now();
        let r = appeals::register(&db, &emergency(), &actor())
            .await
            .unwrap();
        let after = db.now();
        assert_eq!(
            r.deadline_rule.as_deref(),
            Some("ads_emergency_elimination")
        );
        let a = appeals::get(&db, r.id).await.unwrap();
        assert_eq!(a.localisation_rule.as_deref(), Some("ads_localisation"));
        let local = at(&a.localisation_at);
        let thirty = TimeDelta::minutes(30);
        assert!(local >= before + thirty - TimeDelta::seconds(1) && local <= after + thirty);
        let eliminate = at(&a.deadline_at);
        let three = TimeDelta::days(3);
        assert!(eliminate >= before + three - TimeDelta::seconds(1) && eliminate <= after + three);
        assert!(!in_view(&db, View::Overdue, r.id).await);
        // 30 minutes later, not localised: overdue by the first deadline while the second runs.
        let past = time::fmt(db.now() - TimeDelta::minutes(1));
        sqlx::query("UPDATE appeals SET localisation_at = $1 WHERE id = $2")
            .bind(&past)
            .bind(r.id)
            .execute(db.write())
            .await
            .unwrap();
        assert!(in_view(&db, View::Overdue, r.id).await);
        // Past both deadlines: still one row, counted once.
        let set_deadline = |t: String| {
            let db = db.clone();
            async move {
                sqlx::query("UPDATE appeals SET deadline_at = $1 WHERE id = $2")
                    .bind(t)
                    .bind(r.id)
                    .execute(db.write())
                    .await
                    .unwrap();
            }
        };
        set_deadline(past.clone()).await;
        assert!(in_view(&db, View::Overdue, r.id).await);
        set_deadline(a.deadline_at.clone().unwrap()).await;
        let item = appeals::list(
            &db,
            &AppealFilter {
                view: View::Emergencies,
                ..Default::default()
            },
            PageReq::new(None, Some(10)),
            None,
        )
        .await
        .unwrap()
        .items
        .into_iter()
        .find(|i| i.id == r.id)
        .unwrap();
        assert!(item.overdue && item.localisation_overdue && !item.deadline_overdue);
        // The managers hear of it once, however many instances run the job.
        let (one, two) = tokio::join!(
            appeals::alerts::escalate_unlocalised(&db),
            appeals::alerts::escalate_unlocalised(&db)
        );
        let mut escalated = one.unwrap();
        escalated.extend(two.unwrap());
        assert_eq!(escalated, [r.id]);
        // Localised late: no longer in the overdue view, but the lateness stays on record.
        let a = appeals::localised(&db, r.id, &actor()).await.unwrap();
        assert!(a.localised_at.is_some());
        assert!(a.localisation_overdue(&db.now_text()));
        assert!(!in_view(&db, View::Overdue, r.id).await);
        let again = appeals::localised(&db, r.id, &actor()).await.unwrap_err();
        assert_eq!(fields(again), ["localised"]);
        let h = history::for_card(&db, "appeal", r.id, 10).await.unwrap();
        assert!(h.iter().any(|e| e.action == "localised"));
        assert!(h.iter().any(|e| e.action == "localisation_overdue"));
    }
);

both_backends!(
    a_phone_typed_wrong_never_blocks_an_emergency,
    |db: Db| async move {
        let r = appeals::register(
            &db,
            &NewAppeal {
                applicant_phone: "912-34 звонить после 6".into(),
                ..emergency()
            },
            &actor(),
        )
        .await
        .unwrap();
        assert!(r.phone_unchecked);
        let a = appeals::get(&db, r.id).await.unwrap();
        assert_eq!(a.applicant_phone.as_deref(), Some("912-34 звонить после 6"));
        assert!(a.phone_unchecked);
        // An ordinary appeal still asks for a phone that can be called.
        let e = appeals::register(
            &db,
            &NewAppeal {
                applicant_phone: "912-34".into(),
                ..appeal(
                    AppealKind::Request,
                    Channel::Phone,
                    "Не закрывается окно в подъезде",
                )
            },
            &actor(),
        )
        .await
        .unwrap_err();
        assert_eq!(fields(e), ["phone"]);
    }
);

both_backends!(registering_late_never_hides_lateness, |db: Db| async move {
    // A complaint about hot water came in three hours ago and is registered only now: the
    // check of ПП 354 п. 108 counts two hours from receipt, so it is overdue already.
    let received = db.now() - TimeDelta::hours(3);
    let r = appeals::register(
        &db,
        &NewAppeal {
            category_id: Some(category(&db, "water.no_hot").await),
            received_at: Some(received),
            ..appeal(AppealKind::Complaint, Channel::Email, "Нет горячей воды")
        },
        &actor(),
    )
    .await
    .unwrap();
    assert_eq!(r.deadline_rule.as_deref(), Some("quality_complaint_check"));
    let due = at(&r.deadline_at);
    assert!(
        (due - (received + TimeDelta::hours(2))).num_seconds().abs() <= 1,
        "{due}"
    );
    assert!(in_view(&db, View::Overdue, r.id).await);
    let a = appeals::get(&db, r.id).await.unwrap();
    assert_eq!(
        time::parse(&a.received_at).unwrap().timestamp(),
        received.timestamp()
    );
    // A receipt in the future is refused with the field named.
    let e = appeals::register(
        &db,
        &NewAppeal {
            received_at: Some(db.now() + TimeDelta::hours(1)),
            ..appeal(AppealKind::Complaint, Channel::Email, "Нет горячей воды")
        },
        &actor(),
    )
    .await
    .unwrap_err();
    assert_eq!(fields(e), ["received_at"]);
});

both_backends!(
    bindings_follow_the_matter_not_the_channel,
    |db: Db| async move {
        let hot = category(&db, "water.no_hot").await;
        let rule = |r: appeals::Registered| r.deadline_rule.unwrap();
        for channel in [
            Channel::Phone,
            Channel::Email,
            Channel::Letter,
            Channel::StatePortal,
        ] {
            let r = appeals::register(
                &db,
                &NewAppeal {
                    category_id: Some(hot),
                    ..appeal(AppealKind::Complaint, channel, "Нет горячей воды")
                },
                &actor(),
            )
            .await
            .unwrap();
            assert_eq!(rule(r), "quality_complaint_check", "{channel:?}");
        }
        let stairs = category(&db, "cleaning.stairs").await;
        let r = appeals::register(
            &db,
            &NewAppeal {
                category_id: Some(stairs),
                ..appeal(
                    AppealKind::Complaint,
                    Channel::Phone,
                    "В подъезде не моют полы",
                )
            },
            &actor(),
        )
        .await
        .unwrap();
        assert_eq!(rule(r), "complaint_answer");
        // Through ГИС ЖКХ: the rule of its kind and matter.
        let lift = category(&db, "lift.broken").await;
        let r = appeals::register(
            &db,
            &NewAppeal {
                category_id: Some(lift),
                ..appeal(
                    AppealKind::Request,
                    Channel::StatePortal,
                    "Не работает лифт",
                )
            },
            &actor(),
        )
        .await
        .unwrap();
        assert_eq!(rule(r), "organization_request");
        // Forwarded by the housing inspectorate: 59-ФЗ, and the card says who sent it.
        let r = appeals::register(
            &db,
            &NewAppeal {
                category_id: Some(hot),
                sender_kind: Some(SenderKind::HousingInspectorate),
                ..appeal(AppealKind::Complaint, Channel::Letter, "Нет горячей воды")
            },
            &actor(),
        )
        .await
        .unwrap();
        let id = r.id;
        assert_eq!(rule(r), "appeal_59fz");
        let a = appeals::get(&db, id).await.unwrap();
        assert_eq!(a.sender_kind, "housing_inspectorate");
    }
);

/// An ordinary request: 3 working days by the organization's rule.
async fn window(db: &Db) -> appeals::Registered {
    let a = appeal(
        AppealKind::Request,
        Channel::Phone,
        "Не закрывается окно в подъезде",
    );
    appeals::register(db, &a, &actor()).await.unwrap()
}

fn status(to: Status, reason: &str) -> StatusChange {
    StatusChange {
        to: Some(to),
        reason: Some(reason.into()),
        ..Default::default()
    }
}

both_backends!(
    a_deferral_survives_a_pause_and_resume,
    |db: Db| async move {
        let r = window(&db).await;
        let deferred = db.now() + TimeDelta::days(20);
        let a = appeals::defer(
            &db,
            r.id,
            deferred,
            "ждём стекло",
            Role::Specialist,
            &actor(),
        )
        .await
        .unwrap();
        assert_eq!(at(&a.deadline_at).timestamp(), deferred.timestamp());
        let a = appeals::change_status(
            &db,
            r.id,
            &status(Status::WaitingForApplicant, "нет доступа в квартиру"),
            Role::Specialist,
            &actor(),
        )
        .await
        .unwrap();
        assert!(a.deadline_at.is_none());
        let dispatch: i64 = sqlx::query("SELECT id FROM departments ORDER BY id LIMIT 1")
            .fetch_one(db.read())
            .await
            .unwrap()
            .get(0);
        let before_resume = db.now();
        let a = appeals::change_status(
            &db,
            r.id,
            &StatusChange {
                department_id: Some(dispatch),
                ..status(Status::InProgress, "доступ есть")
            },
            Role::Specialist,
            &actor(),
        )
        .await
        .unwrap();
        let paused = db.now() - before_resume + TimeDelta::seconds(5);
        // The deferred deadline, moved by the (short) pause: never the rule's 3 working days.
        let due = at(&a.deadline_at);
        assert!(
            due >= deferred - TimeDelta::seconds(1),
            "{due} < {deferred}"
        );
        assert!(due <= deferred + paused + TimeDelta::minutes(1), "{due}");
        let moves = appeals::deadlines::moves(&db, r.id).await.unwrap();
        assert_eq!(moves.len(), 1);
        assert_eq!(moves[0].reason, "ждём стекло");
    }
);

both_backends!(deferrals_are_limited_by_a_setting, |db: Db| async move {
    settings::set(&db, "appeals.deferral_max", "1", "тест")
        .await
        .unwrap();
    let r = window(&db).await;
    let later = |d| db.now() + TimeDelta::days(d);
    let e = appeals::defer(&db, r.id, later(5), " ", Role::Specialist, &actor())
        .await
        .unwrap_err();
    assert_eq!(fields(e), ["reason"]);
    appeals::defer(
        &db,
        r.id,
        later(5),
        "ждём стекло",
        Role::Specialist,
        &actor(),
    )
    .await
    .unwrap();
    let e = appeals::defer(&db, r.id, later(9), "ещё ждём", Role::Specialist, &actor())
        .await
        .unwrap_err();
    assert_eq!(fields(e), ["deadline"]);
    appeals::defer(&db, r.id, later(9), "ещё ждём", Role::Manager, &actor())
        .await
        .unwrap();
    let moves = appeals::deadlines::moves(&db, r.id).await.unwrap();
    assert_eq!(
        moves.iter().map(|m| m.beyond_limit).collect::<Vec<_>>(),
        [false, true]
    );
});

both_backends!(a_downgrade_keeps_its_reason, |db: Db| async move {
    let r = appeals::register(&db, &emergency(), &actor())
        .await
        .unwrap();
    let e = appeals::change_priority(&db, r.id, Priority::Normal, "", &actor())
        .await
        .unwrap_err();
    assert_eq!(fields(e), ["reason"]);
    let a = appeals::change_priority(
        &db,
        r.id,
        Priority::Normal,
        "капает из крана, не авария",
        &actor(),
    )
    .await
    .unwrap();
    assert_eq!(a.priority, "normal");
    assert_eq!(a.localisation_at, None);
    assert_eq!(a.deadline_rule.as_deref(), Some("organization_request"));
    let h = history::for_card(&db, "appeal", r.id, 10).await.unwrap();
    let change = h.iter().find(|e| e.action == "priority").unwrap();
    assert_eq!(change.note.as_deref(), Some("капает из крана, не авария"));
});

both_backends!(a_message_to_the_applicant_is_queued, |db: Db| async move {
    let r = appeals::register(
        &db,
        &appeal(
            AppealKind::Request,
            Channel::Email,
            "Не закрывается окно в подъезде",
        ),
        &actor(),
    )
    .await
    .unwrap();
    let body = "Мастер придёт завтра с 10 до 12.";
    appeals::comment(&db, r.id, true, body, &actor())
        .await
        .unwrap();
    appeals::comment(&db, r.id, false, "Внутренняя заметка", &actor())
        .await
        .unwrap();
    let rows = sqlx::query(
        "SELECT recipient, body FROM outbox WHERE source_entity = 'appeal' AND source_id = $1 \
         AND body = $2",
    )
    .bind(r.id)
    .bind(body)
    .fetch_all(db.read())
    .await
    .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].get::<String, _>(0), "maria@example.ru");
    let internal: i64 = sqlx::query("SELECT COUNT(*) FROM outbox WHERE body LIKE '%Внутренняя%'")
        .fetch_one(db.read())
        .await
        .unwrap()
        .get(0);
    assert_eq!(internal, 0);
});
