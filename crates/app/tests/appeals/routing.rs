//! Routing, emergency alerts, messages to the applicant and ratings, on SQLite and PostgreSQL.

use crate::appeals::{self, alerts, ratings, NewAppeal, StatusChange};
use abonent_domain::appeal::{AppealKind, Channel, Priority, Rating, Status, Target};
use abonent_domain::registry::*;
use abonent_domain::Role;
use abonent_storage::appeals::routing::{
    self, ContractorForm, DepartmentForm, RuleForm, StaffForm,
};
use abonent_storage::registry::person;
use abonent_storage::{both_backends, history, settings, time, users, Actor, Db, StoreError};
use sqlx::Row;

fn actor() -> Actor {
    Actor {
        user_id: None,
        name: "Администратор".into(),
    }
}

async fn flat(db: &Db, house: &str) -> (i64, i64) {
    abonent_storage::testing::flat(db, house).await
}

fn appeal(premises_id: i64, priority: Priority, substance: &str) -> NewAppeal {
    NewAppeal {
        kind: Some(AppealKind::Request),
        channel: Some(Channel::Phone),
        priority: Some(priority),
        premises_id: Some(premises_id),
        applicant_phone: "8 (912) 345-67-89".into(),
        substance: substance.into(),
        ..Default::default()
    }
}

fn fields(e: StoreError) -> Vec<String> {
    match e {
        StoreError::Invalid(v) => v.0.into_iter().map(|f| f.field).collect(),
        other => panic!("{other:?}"),
    }
}

async fn category(db: &Db, code: &str) -> i64 {
    sqlx::query("SELECT id FROM appeal_categories WHERE code = $1")
        .bind(code)
        .fetch_one(db.read())
        .await
        .unwrap()
        .get(0)
}

/// (recipient, body) of the messages about an appeal, in order.
async fn outbox_of(db: &Db, appeal_id: i64) -> Vec<(String, String)> {
    sqlx::query("SELECT recipient, body FROM outbox WHERE source_entity = 'appeal' AND source_id = $1 ORDER BY id")
        .bind(appeal_id)
        .fetch_all(db.read())
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect()
}

async fn staff(db: &Db, login: &str, role: Role, duty: bool, email: &str, phone: &str) -> i64 {
    let id = users::create_user(
        db,
        login,
        &format!("Сотрудник {login}"),
        role,
        "очень-длинный-пароль-1",
    )
    .await
    .unwrap();
    routing::save_staff(
        db,
        id,
        &StaffForm {
            on_duty: duty,
            email: email.into(),
            phone: phone.into(),
        },
        &actor(),
    )
    .await
    .unwrap();
    id
}

both_backends!(reference_and_assignment_by_rule, |db: Db| async move {
    let (b1, p1) = flat(&db, "5").await;
    let (_, p2) = flat(&db, "7").await;
    let deps = routing::departments(&db).await.unwrap();
    assert_eq!(deps.len(), 1);
    assert!(deps[0].is_dispatch, "the dispatch service is seeded");
    let dispatch = deps[0].id;
    let plumbing = routing::save_department(
        &db,
        None,
        &DepartmentForm {
            name: "Сантехнический участок".into(),
            phone: "+7 343 200-00-01".into(),
            ..Default::default()
        },
        &actor(),
    )
    .await
    .unwrap();
    let dup = routing::save_department(
        &db,
        None,
        &DepartmentForm {
            name: "Сантехнический участок".into(),
            ..Default::default()
        },
        &actor(),
    )
    .await
    .unwrap_err();
    assert_eq!(fields(dup), ["name"]);

    let bad = routing::save_contractor(
        &db,
        None,
        &ContractorForm {
            name: "ООО «Аквасервис»".into(),
            inn: "7707083894".into(),
            email: "нет-адреса".into(),
            building_ids: vec![999_999],
            ..Default::default()
        },
        &actor(),
    )
    .await
    .unwrap_err();
    assert_eq!(fields(bad), ["inn", "email", "building_ids"]);
    let aqua = routing::save_contractor(
        &db,
        None,
        &ContractorForm {
            name: "ООО «Аквасервис»".into(),
            inn: "7707083893".into(),
            contact_person: "Петров П. П.".into(),
            phone: "8 912 000-11-22".into(),
            services: "сантехника, канализация".into(),
            building_ids: vec![b1],
            ..Default::default()
        },
        &actor(),
    )
    .await
    .unwrap();
    let c = routing::contractor(&db, aqua).await.unwrap();
    assert_eq!(c.building_ids, [b1]);
    assert_eq!(c.phone.as_deref(), Some("+79120001122"));

    // Group rule for water, a more specific one for leaks in building 5.
    let water = category(&db, "water").await;
    let leak = category(&db, "water.leak").await;
    let two = RuleForm {
        department_id: Some(plumbing),
        contractor_id: Some(aqua),
        ..Default::default()
    };
    assert_eq!(
        fields(routing::add_rule(&db, &two, &actor()).await.unwrap_err()),
        ["target"]
    );
    routing::add_rule(
        &db,
        &RuleForm {
            category_id: Some(water),
            department_id: Some(plumbing),
            ..Default::default()
        },
        &actor(),
    )
    .await
    .unwrap();
    let specific = routing::add_rule(
        &db,
        &RuleForm {
            category_id: Some(leak),
            building_id: Some(b1),
            contractor_id: Some(aqua),
            note: "договор 12/2026".into(),
            ..Default::default()
        },
        &actor(),
    )
    .await
    .unwrap();
    let rules = routing::rules(&db).await.unwrap();
    assert_eq!(rules.len(), 2);
    assert_eq!(rules[1].target, Target::Contractor(aqua));

    let mut here = appeal(p1, Priority::Normal, "Течёт с потолка");
    here.category_id = Some(leak);
    let r = appeals::register(&db, &here, &actor()).await.unwrap();
    let a = appeals::get(&db, r.id).await.unwrap();
    assert_eq!(
        (a.contractor_id, a.department_id, a.status.as_str()),
        (Some(aqua), None, "assigned")
    );
    let h = history::for_card(&db, "appeal", r.id, 10).await.unwrap();
    assert_eq!(
        h[0].after.as_ref().unwrap()["assigned"]["rule_id"],
        specific
    );

    let mut there = appeal(p2, Priority::Normal, "Течёт с потолка");
    there.category_id = Some(leak);
    let r = appeals::register(&db, &there, &actor()).await.unwrap();
    assert_eq!(
        appeals::get(&db, r.id).await.unwrap().department_id,
        Some(plumbing)
    );

    // No rule for lifts: a normal appeal waits for a person, an emergency goes to dispatch.
    let mut lift = appeal(p2, Priority::Normal, "Не работает лифт");
    lift.category_id = Some(category(&db, "lift").await);
    let r = appeals::register(&db, &lift, &actor()).await.unwrap();
    let a = appeals::get(&db, r.id).await.unwrap();
    assert_eq!((a.department_id, a.status.as_str()), (None, "registered"));
    lift.priority = Some(Priority::Emergency);
    let r = appeals::register(&db, &lift, &actor()).await.unwrap();
    let a = appeals::get(&db, r.id).await.unwrap();
    assert_eq!(
        (a.department_id, a.status.as_str()),
        (Some(dispatch), "assigned")
    );

    // Manual reassignment needs a reason and is in the history.
    let to_aqua = StatusChange {
        to: Some(Status::Assigned),
        contractor_id: Some(aqua),
        ..Default::default()
    };
    let e = appeals::change_status(&db, r.id, &to_aqua, Role::Dispatcher, &actor())
        .await
        .unwrap_err();
    assert_eq!(fields(e), ["reason"]);
    let with_reason = StatusChange {
        reason: Some("Лифтовая организация по договору".into()),
        ..to_aqua
    };
    let a = appeals::change_status(&db, r.id, &with_reason, Role::Dispatcher, &actor())
        .await
        .unwrap();
    assert_eq!(a.contractor_id, Some(aqua));
    let h = history::for_card(&db, "appeal", r.id, 10).await.unwrap();
    assert_eq!(
        h[0].note.as_deref(),
        Some("Лифтовая организация по договору")
    );
    assert_eq!(h[0].after.as_ref().unwrap()["contractor_id"], aqua);

    routing::delete_rule(&db, specific, &actor()).await.unwrap();
    assert_eq!(routing::rules(&db).await.unwrap().len(), 1);
    for (entity, id, n) in [
        ("department", plumbing, 1),
        ("contractor", aqua, 1),
        ("assignment_rule", specific, 2),
    ] {
        assert_eq!(
            history::for_card(&db, entity, id, 10).await.unwrap().len(),
            n,
            "{entity}"
        );
    }
});

both_backends!(
    emergency_alerts_acknowledged_or_escalated_once,
    |db: Db| async move {
        let (_, p) = flat(&db, "5").await;
        let duty = staff(
            &db,
            "duty",
            Role::Specialist,
            true,
            "duty@uk.example.ru",
            "+79120000001",
        )
        .await;
        staff(&db, "disp", Role::Dispatcher, false, "", "+79120000002").await;
        staff(&db, "off", Role::Specialist, false, "off@uk.example.ru", "").await;
        staff(&db, "boss", Role::Manager, false, "boss@uk.example.ru", "").await;
        let r = appeals::register(
            &db,
            &appeal(p, Priority::Emergency, "Запах газа в подъезде"),
            &actor(),
        )
        .await
        .unwrap();
        let mut to: Vec<String> = outbox_of(&db, r.id)
            .await
            .into_iter()
            .map(|m| m.0)
            .collect();
        to.sort();
        // On duty: the marked specialist (e-mail and SMS) and the dispatcher (SMS only).
        assert_eq!(to, ["+79120000001", "+79120000002", "duty@uk.example.ru"]);
        let open = alerts::open(&db).await.unwrap();
        assert_eq!(open.len(), 1);
        assert!(open[0].substance.contains("газа"));

        let who = Actor {
            user_id: Some(duty),
            name: "Сотрудник duty".into(),
        };
        let a = alerts::acknowledge(&db, open[0].id, &who).await.unwrap();
        assert_eq!(a.acknowledged_by.as_deref(), Some("Сотрудник duty"));
        assert!(a.acknowledged_at.is_some());
        let again = alerts::acknowledge(&db, open[0].id, &who)
            .await
            .unwrap_err();
        assert!(
            format!("{again:?}").contains("уже подтверждено"),
            "{again:?}"
        );
        assert!(alerts::open(&db).await.unwrap().is_empty());

        // Not yet due: nothing escalates.
        let r2 = appeals::register(
            &db,
            &appeal(p, Priority::Emergency, "Искрит щиток"),
            &actor(),
        )
        .await
        .unwrap();
        assert!(alerts::escalate_due(&db).await.unwrap().is_empty());
        settings::set(&db, "alerts.escalate_minutes", "0", "test")
            .await
            .unwrap();
        // Several instances run the job at once: the alert escalates once.
        let runs: Vec<_> = (0..4)
            .map(|_| {
                let db = db.clone();
                tokio::spawn(async move { alerts::escalate_due(&db).await.unwrap() })
            })
            .collect();
        let mut escalated = Vec::new();
        for t in runs {
            escalated.extend(t.await.unwrap());
        }
        let alert2 = alerts::of_appeal(&db, r2.id).await.unwrap();
        assert_eq!(escalated, [alert2[0].id]);
        assert_eq!(alert2[0].escalated_to.as_deref(), Some("Сотрудник boss"));
        let boss: Vec<_> = outbox_of(&db, r2.id)
            .await
            .into_iter()
            .filter(|m| m.0 == "boss@uk.example.ru")
            .collect();
        assert_eq!(boss.len(), 1);
        assert!(
            boss[0].1.contains("Не подтверждено за 0 мин"),
            "{}",
            boss[0].1
        );
        // The acknowledged alert never escalates.
        assert!(alerts::of_appeal(&db, r.id).await.unwrap()[0]
            .escalated_at
            .is_none());
        let h = history::for_card(&db, "appeal", r2.id, 10).await.unwrap();
        assert_eq!(h[0].action, "alert_escalated");
    }
);

async fn resident(db: &Db, email: bool, sms: bool) -> i64 {
    person::create(
        db,
        &PersonData {
            last_name: "Иванова".into(),
            first_name: "Мария".into(),
            middle_name: None,
            birth_date: None,
            phones: vec!["+79123456789".into()],
            email: Some("maria@example.ru".into()),
            id_document: None,
            consent_sms: sms,
            consent_email: email,
            legal_capacity: Default::default(),
            capacity_basis: None,
        },
        &actor(),
    )
    .await
    .unwrap()
}

fn to(s: Status) -> StatusChange {
    StatusChange {
        to: Some(s),
        ..Default::default()
    }
}

both_backends!(
    applicant_is_informed_only_where_consented,
    |db: Db| async move {
        let (_, p) = flat(&db, "5").await;
        let maria = resident(&db, true, false).await;
        let silent = resident(&db, false, false).await;
        let slesar = users::create_user(
            &db,
            "slesar",
            "Слесарь",
            Role::Specialist,
            "очень-длинный-пароль-1",
        )
        .await
        .unwrap();
        let mut a = appeal(p, Priority::Normal, "Не закрывается окно в подъезде");
        a.person_id = Some(maria);
        let r = appeals::register(&db, &a, &actor()).await.unwrap();
        let m = outbox_of(&db, r.id).await;
        assert_eq!(m.len(), 1, "{m:?}");
        assert_eq!(m[0].0, "maria@example.ru");
        assert!(
            m[0].1.contains(&r.number) && m[0].1.contains("Срок исполнения"),
            "{}",
            m[0].1
        );
        let subject: String = sqlx::query("SELECT subject FROM outbox WHERE source_id = $1")
            .bind(r.id)
            .fetch_one(db.read())
            .await
            .unwrap()
            .get(0);
        assert_eq!(subject, format!("Обращение № {}", r.number));

        let step = |ch: StatusChange| {
            let db = db.clone();
            async move {
                appeals::change_status(&db, r.id, &ch, Role::Specialist, &actor())
                    .await
                    .unwrap()
            }
        };
        step(StatusChange {
            executor_id: Some(slesar),
            ..to(Status::Assigned)
        })
        .await;
        step(StatusChange {
            reason: Some("Нужен доступ в квартиру".into()),
            ..to(Status::WaitingForApplicant)
        })
        .await;
        step(to(Status::InProgress)).await;
        let m = outbox_of(&db, r.id).await;
        assert_eq!(m.len(), 4, "{m:?}");
        assert!(m[1].1.contains("назначено исполнителю"), "{}", m[1].1);
        assert!(
            m[2].1.contains("ожидает заявителя") && m[2].1.contains("Нужен доступ"),
            "{}",
            m[2].1
        );
        // Resuming moves the deadline: the message says the new one.
        assert!(
            m[3].1.contains("в работе") && m[3].1.contains("срок исполнения изменён"),
            "{}",
            m[3].1
        );

        let later = db.now() + chrono::TimeDelta::days(20);
        let e = appeals::defer(&db, r.id, later, " ", Role::Specialist, &actor())
            .await
            .unwrap_err();
        assert_eq!(fields(e), ["reason"]);
        let d = appeals::defer(
            &db,
            r.id,
            later,
            "Ждём поставку стекла",
            Role::Specialist,
            &actor(),
        )
        .await
        .unwrap();
        assert_eq!(d.deadline_at.as_deref(), Some(time::fmt(later).as_str()));
        let m = outbox_of(&db, r.id).await;
        assert!(m[4].1.contains("Ждём поставку стекла"), "{}", m[4].1);
        assert_eq!(
            history::for_card(&db, "appeal", r.id, 1).await.unwrap()[0].action,
            "deadline"
        );

        // No consent, anonymous: no message. A caller not in the registry who agreed: both channels.
        let mut b = appeal(p, Priority::Normal, "Грязно в подъезде");
        b.person_id = Some(silent);
        let rb = appeals::register(&db, &b, &actor()).await.unwrap();
        assert!(outbox_of(&db, rb.id).await.is_empty());
        let mut c = appeal(p, Priority::Normal, "Грязно в подъезде");
        c.applicant_email = "caller@example.ru".into();
        let rc = appeals::register(&db, &c, &actor()).await.unwrap();
        assert!(
            outbox_of(&db, rc.id).await.is_empty(),
            "no consent given at intake"
        );
        c.applicant_consent = true;
        let rc = appeals::register(&db, &c, &actor()).await.unwrap();
        let mut who: Vec<String> = outbox_of(&db, rc.id)
            .await
            .into_iter()
            .map(|m| m.0)
            .collect();
        who.sort();
        assert_eq!(who, ["+79123456789", "caller@example.ru"]);
    }
);

/// The token from the rating question's link.
fn token_of(body: &str) -> String {
    body.split("/rate/")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_string()
}

both_backends!(rating_by_link_and_by_phone, |db: Db| async move {
    let (_, p) = flat(&db, "5").await;
    let maria = resident(&db, true, true).await;
    let slesar = users::create_user(
        &db,
        "slesar",
        "Слесарь",
        Role::Specialist,
        "очень-длинный-пароль-1",
    )
    .await
    .unwrap();
    let done = |id: i64| {
        let db = db.clone();
        async move {
            for ch in [
                StatusChange {
                    executor_id: Some(slesar),
                    ..to(Status::Assigned)
                },
                StatusChange {
                    result: Some("Заменили кран".into()),
                    ..to(Status::Done)
                },
            ] {
                appeals::change_status(&db, id, &ch, Role::Specialist, &actor())
                    .await
                    .unwrap();
            }
        }
    };
    let mut a = appeal(p, Priority::Normal, "Капает кран на кухне");
    a.person_id = Some(maria);
    let r = appeals::register(&db, &a, &actor()).await.unwrap();
    let e = ratings::rate_by_phone(&db, r.id, Rating::Mark(5), &actor())
        .await
        .unwrap_err();
    assert_eq!(fields(e), ["rating"], "not done yet");
    done(r.id).await;
    let m = outbox_of(&db, r.id).await;
    let question: Vec<_> = m.iter().filter(|m| m.1.contains("/rate/")).collect();
    assert_eq!(question.len(), 2, "e-mail and SMS: {m:?}");
    assert!(question[0].1.starts_with("Работы по обращению"));
    let token = token_of(&question[0].1);
    // The token is stored hashed.
    let stored: i64 = sqlx::query("SELECT COUNT(*) FROM rating_links WHERE token_hash = $1")
        .bind(&token)
        .fetch_one(db.read())
        .await
        .unwrap()
        .get(0);
    assert_eq!(stored, 0);
    // Reading the link (a mail scanner) does not vote.
    let view = ratings::link(&db, &token).await.unwrap();
    assert_eq!(
        (view.number.as_str(), view.closed.is_none()),
        (r.number.as_str(), true)
    );
    assert_eq!(appeals::get(&db, r.id).await.unwrap().rating, None);
    let a = ratings::rate_by_link(&db, &token, Rating::Mark(5))
        .await
        .unwrap();
    assert_eq!((a.rating, a.status.as_str()), (Some(5), "done"));
    let again = ratings::rate_by_link(&db, &token, Rating::Mark(1))
        .await
        .unwrap_err();
    assert_eq!(fields(again), ["rating"]);
    assert!(ratings::link(&db, &token).await.unwrap().closed.is_some());
    assert_eq!(appeals::get(&db, r.id).await.unwrap().rating, Some(5));
    assert!(matches!(
        ratings::link(&db, "abc").await,
        Err(StoreError::NotFound(_))
    ));

    // One link per completion, sent by both channels.
    assert_eq!(token_of(&question[1].1), token);

    // «Не устранено» by the link of the next completion reopens: counter, history, message.
    settings::set(&db, "appeals.rating_reopen_at", "2", "test")
        .await
        .unwrap();
    appeals::change_status(
        &db,
        r.id,
        &StatusChange {
            reason: Some("Снова капает".into()),
            ..to(Status::Reopened)
        },
        Role::Specialist,
        &actor(),
    )
    .await
    .unwrap();
    done(r.id).await;
    let m = outbox_of(&db, r.id).await;
    let token2 = token_of(&m.iter().rev().find(|m| m.1.contains("/rate/")).unwrap().1);
    assert_ne!(token2, token);
    let a = ratings::rate_by_link(&db, &token2, Rating::NotFixed)
        .await
        .unwrap();
    assert_eq!(
        (a.status.as_str(), a.reopen_count, a.not_fixed),
        ("reopened", 2, true)
    );
    assert!(a.deadline_at.is_some());
    let h = history::for_card(&db, "appeal", r.id, 3).await.unwrap();
    assert_eq!(
        (h[0].action.as_str(), h[1].action.as_str()),
        ("status", "rating")
    );
    assert_eq!(h[0].note.as_deref(), Some("Оценка заявителя: не устранено"));
    assert_eq!(h[0].actor_name, "заявитель (по ссылке)");
    assert!(outbox_of(&db, r.id)
        .await
        .last()
        .unwrap()
        .1
        .contains("открыто повторно"));

    // By phone: 3 keeps it done; 2 (the setting) reopens; then 2 with the setting at 1 does not.
    done(r.id).await;
    let a = ratings::rate_by_phone(&db, r.id, Rating::Mark(3), &actor())
        .await
        .unwrap();
    assert_eq!((a.status.as_str(), a.rating), ("done", Some(3)));
    assert_eq!(
        ratings::rating_via(&db, r.id).await.unwrap().as_deref(),
        Some("phone")
    );
    let a = ratings::rate_by_phone(&db, r.id, Rating::Mark(2), &actor())
        .await
        .unwrap();
    assert_eq!((a.status.as_str(), a.reopen_count), ("reopened", 3));
    settings::set(&db, "appeals.rating_reopen_at", "1", "test")
        .await
        .unwrap();
    done(r.id).await;
    let a = ratings::rate_by_phone(&db, r.id, Rating::Mark(2), &actor())
        .await
        .unwrap();
    assert_eq!(a.status, "done");

    // An expired link records nothing.
    let expired = outbox_of(&db, r.id)
        .await
        .into_iter()
        .rev()
        .find(|m| m.1.contains("/rate/"))
        .unwrap();
    let t = token_of(&expired.1);
    sqlx::query("UPDATE rating_links SET expires_at = '2020-01-01T00:00:00Z'")
        .execute(db.write())
        .await
        .unwrap();
    assert!(ratings::link(&db, &t)
        .await
        .unwrap()
        .closed
        .unwrap()
        .contains("истёк"));
    assert_eq!(
        fields(
            ratings::rate_by_link(&db, &t, Rating::Mark(1))
                .await
                .unwrap_err()
        ),
        ["rating"]
    );
});
