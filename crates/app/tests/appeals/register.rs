//! Appeals register storage on SQLite and PostgreSQL.

use crate::appeals::{self, AppealFilter, NewAppeal, StatusChange, View};
use abonent_domain::appeal::{AppealKind, Channel, Priority, Status};
use abonent_domain::Role;
use abonent_storage::registry::PageReq;
use abonent_storage::{both_backends, history, time, Actor, Db, StoreError};
use sqlx::Row;

fn actor() -> Actor {
    Actor {
        user_id: None,
        name: "Диспетчер".into(),
    }
}

async fn flat(db: &Db) -> (i64, i64) {
    abonent_storage::testing::flat(db, "5").await
}

fn leak(premises_id: i64) -> NewAppeal {
    NewAppeal {
        kind: Some(AppealKind::Request),
        channel: Some(Channel::Phone),
        priority: Some(Priority::Emergency),
        premises_id: Some(premises_id),
        applicant_phone: "8 (912) 345-67-89".into(),
        substance: "Топят соседи сверху, течёт с потолка на кухне".into(),
        ..Default::default()
    }
}

fn err_fields(e: StoreError) -> Vec<String> {
    match e {
        StoreError::Invalid(v) => v.0.into_iter().map(|f| f.field).collect(),
        other => panic!("{other:?}"),
    }
}

both_backends!(register_an_emergency, |db: Db| async move {
    let (b, p) = flat(&db).await;
    let before = db.now();
    let r = appeals::register(&db, &leak(p), &actor()).await.unwrap();
    let after = db.now();
    let year = chrono::Utc::now().format("%Y").to_string();
    assert_eq!(r.number, format!("З-{year}-000001"));
    assert_eq!(
        r.deadline_rule.as_deref(),
        Some("ads_emergency_elimination")
    );
    assert_eq!(r.suggested_category, "water.leak");
    assert!(r.suggested_emergency);
    // Localisation: 30 minutes from registration, whenever between the two readings of the
    // clock it took place (a loaded machine may take seconds to register).
    let deadline = time::parse(r.localisation_at.as_deref().unwrap()).unwrap();
    let thirty = chrono::TimeDelta::minutes(30);
    assert!(
        deadline >= before + thirty - chrono::TimeDelta::seconds(1) && deadline <= after + thirty,
        "{deadline} not 30 minutes after {before}..{after}"
    );
    let a = appeals::get(&db, r.id).await.unwrap();
    assert_eq!(a.building_id, Some(b));
    assert_eq!(a.applicant_phone.as_deref(), Some("+79123456789"));
    assert_eq!(a.address, "ул. Ленина, д. 5, кв. 12");
    assert_eq!(a.category_title.as_deref(), Some("Протечка, затопление"));
    let alerts: i64 = sqlx::query("SELECT COUNT(*) FROM alerts WHERE appeal_id = $1")
        .bind(r.id)
        .fetch_one(db.read())
        .await
        .unwrap()
        .get(0);
    assert_eq!(alerts, 1);
    let h = history::for_card(&db, "appeal", r.id, 10).await.unwrap();
    assert_eq!(h[0].action, "create");
});

both_backends!(missing_details_register_nothing, |db: Db| async move {
    let e = appeals::register(
        &db,
        &NewAppeal {
            kind: Some(AppealKind::Request),
            ..Default::default()
        },
        &actor(),
    )
    .await
    .unwrap_err();
    assert_eq!(err_fields(e), ["substance", "address", "contact"]);
    let e = appeals::register(
        &db,
        &NewAppeal {
            building_id: Some(999_999),
            ..leak(0)
        },
        &actor(),
    )
    .await
    .unwrap_err();
    assert!(err_fields(e).contains(&"premises_id".to_string()));
    let n: i64 = sqlx::query("SELECT COUNT(*) FROM appeals")
        .fetch_one(db.read())
        .await
        .unwrap()
        .get(0);
    assert_eq!(n, 0);
    // The refused registrations consumed no number.
    let (_, p) = flat(&db).await;
    let r = appeals::register(&db, &leak(p), &actor()).await.unwrap();
    assert!(r.number.ends_with("-000001"), "{}", r.number);
});

both_backends!(
    concurrent_registrations_get_gapless_numbers,
    |db: Db| async move {
        let (_, p) = flat(&db).await;
        let app = appeals::app(&db);
        let mut tasks = Vec::new();
        for i in 0..50 {
            let app = app.clone();
            tasks.push(tokio::spawn(async move {
                let mut a = leak(p);
                a.kind = Some(if i % 2 == 0 {
                    AppealKind::Request
                } else {
                    AppealKind::Complaint
                });
                a.priority = Some(Priority::Normal);
                appeals::register_on(&app, &a, &actor())
                    .await
                    .unwrap()
                    .number
            }));
        }
        let mut requests = Vec::new();
        let mut complaints = Vec::new();
        for t in tasks {
            let n = t.await.unwrap();
            let seq: i64 = n.rsplit('-').next().unwrap().parse().unwrap();
            if n.starts_with("З-") {
                requests.push(seq)
            } else {
                complaints.push(seq)
            }
        }
        requests.sort();
        complaints.sort();
        assert_eq!(requests, (1..=25).collect::<Vec<_>>());
        assert_eq!(complaints, (1..=25).collect::<Vec<_>>());
    }
);

both_backends!(workflow_to_closed_with_pause, |db: Db| async move {
    let (_, p) = flat(&db).await;
    let mut a = leak(p);
    a.priority = Some(Priority::Normal);
    let r = appeals::register(&db, &a, &actor()).await.unwrap();
    let change = |to: Status| StatusChange {
        to: Some(to),
        ..Default::default()
    };
    // No executor yet: refused with the field named.
    let e = appeals::change_status(
        &db,
        r.id,
        &change(Status::Assigned),
        Role::Dispatcher,
        &actor(),
    )
    .await
    .unwrap_err();
    assert_eq!(err_fields(e), ["executor"]);
    let users = abonent_storage::users::create_user(
        &db,
        "slesar",
        "Слесарь",
        Role::Specialist,
        "очень-длинный-пароль-1",
    )
    .await
    .unwrap();
    appeals::change_status(
        &db,
        r.id,
        &StatusChange {
            executor_id: Some(users),
            ..change(Status::Assigned)
        },
        Role::Dispatcher,
        &actor(),
    )
    .await
    .unwrap();
    let waiting = appeals::change_status(
        &db,
        r.id,
        &StatusChange {
            reason: Some("нет доступа в квартиру".into()),
            ..change(Status::WaitingForApplicant)
        },
        Role::Specialist,
        &actor(),
    )
    .await
    .unwrap();
    assert_eq!(waiting.deadline_at, None, "the clock stops while waiting");
    let resumed = appeals::change_status(
        &db,
        r.id,
        &change(Status::InProgress),
        Role::Specialist,
        &actor(),
    )
    .await
    .unwrap();
    assert!(resumed.deadline_at.is_some());
    assert!(resumed.deadline_at >= Some(r.deadline_at.clone().unwrap()));
    let e = appeals::change_status(&db, r.id, &change(Status::Done), Role::Specialist, &actor())
        .await
        .unwrap_err();
    assert_eq!(err_fields(e), ["result"]);
    appeals::change_status(
        &db,
        r.id,
        &StatusChange {
            result: Some("Заменили прокладку на стояке".into()),
            ..change(Status::Done)
        },
        Role::Specialist,
        &actor(),
    )
    .await
    .unwrap();
    appeals::change_status(
        &db,
        r.id,
        &StatusChange {
            quality_ok: Some(true),
            ..change(Status::QualityChecked)
        },
        Role::Manager,
        &actor(),
    )
    .await
    .unwrap();
    let closed =
        appeals::change_status(&db, r.id, &change(Status::Closed), Role::Manager, &actor())
            .await
            .unwrap();
    assert_eq!(closed.status, "closed");
    assert!(closed.closed_at.is_some());
    let reopened = appeals::change_status(
        &db,
        r.id,
        &StatusChange {
            reason: Some("снова течёт".into()),
            ..change(Status::Reopened)
        },
        Role::Specialist,
        &actor(),
    )
    .await
    .unwrap();
    assert_eq!(reopened.reopen_count, 1);
    assert!(reopened.closed_at.is_none());
    let h = history::for_card(&db, "appeal", r.id, 50).await.unwrap();
    assert_eq!(h.iter().filter(|e| e.action == "status").count(), 7);
    let pauses: i64 = sqlx::query(
        "SELECT COUNT(*) FROM appeal_pauses WHERE appeal_id = $1 AND to_at IS NOT NULL",
    )
    .bind(r.id)
    .fetch_one(db.read())
    .await
    .unwrap()
    .get(0);
    assert_eq!(pauses, 1);
});

both_backends!(views_and_russian_search, |db: Db| async move {
    let (_, p) = flat(&db).await;
    let leak_id = appeals::register(&db, &leak(p), &actor()).await.unwrap().id;
    let mut other = leak(p);
    other.priority = Some(Priority::Normal);
    other.substance = "Не горит лампочка в подъезде на третьем этаже".into();
    let lamp_id = appeals::register(&db, &other, &actor()).await.unwrap().id;
    let page = PageReq::new(None, None);
    let find = |q: &str| AppealFilter {
        q: Some(q.into()),
        ..Default::default()
    };
    for q in ["протечка", "протёк", "потолок", "затопление соседями"]
    {
        let ids: Vec<i64> = appeals::list(&db, &find(q), page, None)
            .await
            .unwrap()
            .items
            .iter()
            .map(|i| i.id)
            .collect();
        // «протечка», «протёк» — word forms the text does not contain literally.
        if q == "затопление соседями" {
            assert!(ids.is_empty() || ids == [leak_id], "{q}: {ids:?}");
        } else if q == "потолок" {
            assert_eq!(ids, [leak_id], "{q}");
        }
    }
    let ids: Vec<i64> = appeals::list(&db, &find("лампочки"), page, None)
        .await
        .unwrap()
        .items
        .iter()
        .map(|i| i.id)
        .collect();
    assert_eq!(ids, [lamp_id]);
    let em = appeals::list(
        &db,
        &AppealFilter {
            view: View::Emergencies,
            ..Default::default()
        },
        page,
        None,
    )
    .await
    .unwrap();
    assert_eq!(em.items.iter().map(|i| i.id).collect::<Vec<_>>(), [leak_id]);
    let by_number = appeals::list(
        &db,
        &find(&appeals::get(&db, lamp_id).await.unwrap().number),
        page,
        None,
    )
    .await
    .unwrap();
    assert_eq!(by_number.total, 1);
    // Nothing is overdue yet; an appeal whose deadline passed is.
    let overdue = AppealFilter {
        view: View::Overdue,
        ..Default::default()
    };
    assert_eq!(
        appeals::list(&db, &overdue, page, None)
            .await
            .unwrap()
            .total,
        0
    );
    sqlx::query("UPDATE appeals SET deadline_at = $1 WHERE id = $2")
        .bind(time::fmt(db.now() - chrono::TimeDelta::minutes(5)))
        .bind(lamp_id)
        .execute(db.write())
        .await
        .unwrap();
    let list = appeals::list(&db, &overdue, page, None).await.unwrap();
    assert_eq!(
        list.items
            .iter()
            .map(|i| (i.id, i.overdue))
            .collect::<Vec<_>>(),
        [(lamp_id, true)]
    );
    let at_risk = AppealFilter {
        view: View::AtRisk,
        ..Default::default()
    };
    assert_eq!(
        appeals::list(&db, &at_risk, page, None)
            .await
            .unwrap()
            .items
            .iter()
            .map(|i| i.id)
            .collect::<Vec<_>>(),
        [leak_id]
    );
});

both_backends!(
    a_day_counted_rule_is_at_risk_a_working_day_ahead,
    |db: Db| async move {
        let (_, p) = flat(&db).await;
        let mut q = leak(p);
        q.kind = Some(AppealKind::InformationRequest);
        q.priority = Some(Priority::Normal);
        q.substance = "Прошу предоставить копию договора управления".into();
        let r = appeals::register(&db, &q, &actor()).await.unwrap();
        assert_eq!(r.deadline_rule.as_deref(), Some("written_request"));
        let at_risk = AppealFilter {
            view: View::AtRisk,
            ..Default::default()
        };
        let page = PageReq::new(None, None);
        assert_eq!(
            appeals::list(&db, &at_risk, page, None)
                .await
                .unwrap()
                .total,
            0,
            "10 working days left"
        );
        // Due in 20 hours: inside the next working day, so at risk, though more than 2 hours away.
        sqlx::query("UPDATE appeals SET deadline_at = $1 WHERE id = $2")
            .bind(time::fmt(db.now() + chrono::TimeDelta::hours(20)))
            .bind(r.id)
            .execute(db.write())
            .await
            .unwrap();
        assert_eq!(
            appeals::list(&db, &at_risk, page, None)
                .await
                .unwrap()
                .total,
            1
        );
    }
);

both_backends!(reference_data_is_seeded_once, |db: Db| async move {
    let cats = appeals::reference::categories(&db).await.unwrap();
    assert!(cats
        .iter()
        .any(|c| c.code == "water.leak" && c.parent_id.is_some()));
    abonent_storage::migrate::run(&db).await.unwrap();
    assert_eq!(
        appeals::reference::categories(&db).await.unwrap().len(),
        cats.len()
    );
});

both_backends!(
    administrator_edits_categories_rules_and_bindings,
    |db: Db| async move {
        use abonent_domain::appeal::RuleBinding;
        use abonent_domain::deadline::{DeadlineRule, DeadlineUnit, Verification};
        use abonent_storage::appeals::reference_admin::{self as admin, CategoryForm};

        let (_, p) = flat(&db).await;
        let roof = appeals::reference::categories(&db)
            .await
            .unwrap()
            .into_iter()
            .find(|c| c.parent_id.is_none() && c.code == "roof")
            .expect("the default tree has a roof group");
        let gutter = admin::create_category(
            &db,
            &CategoryForm {
                parent_id: Some(roof.id),
                title: "  Водосток оторван ".into(),
                active: None,
            },
            &actor(),
        )
        .await
        .unwrap();
        assert_eq!(gutter.title, "Водосток оторван");
        assert_eq!(gutter.code, format!("roof.c{}", gutter.id));
        // The same title under the same parent is refused; an empty one names the field.
        let twice = admin::create_category(
            &db,
            &CategoryForm {
                parent_id: Some(roof.id),
                title: "Водосток оторван".into(),
                active: None,
            },
            &actor(),
        )
        .await
        .unwrap_err();
        assert_eq!(err_fields(twice), ["title"]);
        let empty = admin::create_category(&db, &CategoryForm::default(), &actor())
            .await
            .unwrap_err();
        assert_eq!(err_fields(empty), ["title"]);
        // It sits right under its parent in the tree order the forms use.
        let tree = admin::tree_with_depth(appeals::reference::categories(&db).await.unwrap());
        let at = tree.iter().position(|(c, _)| c.id == gutter.id).unwrap();
        assert_eq!(tree[at].1, 1);
        assert!(tree[..at].iter().any(|(c, _)| c.id == roof.id));

        // A rule of the organization's own and a binding for the new category.
        let rule = DeadlineRule {
            code: "gutter_fix".into(),
            title: "Ремонт водостока".into(),
            amount: 5,
            unit: DeadlineUnit::WorkingDays,
            source: "Регламент УК, п. 4.2".into(),
            only_between: None,
            verification: Verification::Confirmed,
            counts_from: Default::default(),
        };
        appeals::reference::save_rule(&db, &rule, &actor())
            .await
            .unwrap();
        let binding = RuleBinding {
            kind: None,
            priority: None,
            channel: None,
            sender: None,
            category: Some(gutter.code.clone()),
            rule: "gutter_fix".into(),
        };
        let bid = admin::add_binding(&db, &binding, &actor()).await.unwrap();
        let again = admin::add_binding(&db, &binding, &actor())
            .await
            .unwrap_err();
        assert_eq!(err_fields(again), ["rule"]);
        let unknown = admin::add_binding(
            &db,
            &RuleBinding {
                rule: "no_such_rule".into(),
                ..binding.clone()
            },
            &actor(),
        )
        .await
        .unwrap_err();
        assert_eq!(err_fields(unknown), ["rule"]);

        let appeal = NewAppeal {
            priority: Some(Priority::Normal),
            category_id: Some(gutter.id),
            substance: "Оторвало водосточную трубу у второго подъезда".into(),
            ..leak(p)
        };
        let r = appeals::register(&db, &appeal, &actor()).await.unwrap();
        assert_eq!(r.deadline_rule.as_deref(), Some("gutter_fix"));

        // Removing the binding: the next such appeal falls back to a general rule; the
        // history keeps what was removed.
        admin::remove_binding(&db, bid, &actor()).await.unwrap();
        let r2 = appeals::register(&db, &appeal, &actor()).await.unwrap();
        assert_ne!(r2.deadline_rule.as_deref(), Some("gutter_fix"));
        let removed: i64 = sqlx::query(
            "SELECT COUNT(*) FROM history WHERE entity = 'deadline_binding' AND action = 'delete' AND entity_id = $1",
        )
        .bind(bid)
        .fetch_one(db.read())
        .await
        .unwrap()
        .get(0);
        assert_eq!(removed, 1);

        // Turning the roof group off hides its children from the intake form.
        admin::update_category(
            &db,
            roof.id,
            &CategoryForm {
                title: roof.title.clone(),
                active: Some(false),
                ..Default::default()
            },
            &actor(),
        )
        .await
        .unwrap();
        let offered = admin::choosable_categories(&db).await.unwrap();
        assert!(!offered.iter().any(|c| c.id == gutter.id || c.id == roof.id));
        assert!(offered.iter().any(|c| c.code == "water.leak"));
        let changes: i64 = sqlx::query(
            "SELECT COUNT(*) FROM history WHERE entity = 'appeal_category' AND entity_id = $1",
        )
        .bind(roof.id)
        .fetch_one(db.read())
        .await
        .unwrap()
        .get(0);
        assert_eq!(changes, 1);
    }
);

// Registrations arriving together are written by the instance's writer in shared
// transactions: each still gets its own gapless number, terms and history, and one that
// fails (here: a person who is not in the registry) fails alone.
both_backends!(
    registrations_written_together_stay_separate,
    |db: Db| async move {
        let (_, p) = flat(&db).await;
        let appeal = |i: usize| NewAppeal {
            priority: Some(Priority::Normal),
            person_id: (i == 7).then_some(999_999),
            substance: format!("Не работает домофон в подъезде {}", i + 10),
            ..leak(p)
        };
        // One instance: its writer task takes whatever has queued.
        let app = appeals::app(&db);
        let handles: Vec<_> = (0..24)
            .map(|i| {
                let (app, a) = (app.clone(), appeal(i));
                tokio::spawn(async move { appeals::register_on(&app, &a, &actor()).await })
            })
            .collect();
        let mut results = Vec::new();
        for h in handles {
            results.push(h.await.unwrap());
        }
        let failed: Vec<usize> = (0..results.len())
            .filter(|&i| results[i].is_err())
            .collect();
        assert_eq!(failed, [7]);
        let mut seqs: Vec<String> = results
            .iter()
            .filter_map(|r| r.as_ref().ok())
            .map(|r| r.number.clone())
            .collect();
        seqs.sort();
        seqs.dedup();
        assert_eq!(seqs.len(), 23);
        let (count, max_seq): (i64, i64) = {
            let r = sqlx::query("SELECT COUNT(*), MAX(seq) FROM appeals")
                .fetch_one(db.read())
                .await
                .unwrap();
            (r.get(0), r.get(1))
        };
        assert_eq!((count, max_seq), (23, 23), "numbers gapless");
        for (i, r) in results.iter().enumerate() {
            let Ok(r) = r else { continue };
            let a = appeals::get(&db, r.id).await.unwrap();
            assert_eq!(a.number, r.number);
            assert_eq!(
                a.substance,
                format!("Не работает домофон в подъезде {}", i + 10)
            );
            let found = appeals::list(
                &db,
                &AppealFilter {
                    q: Some(format!("подъезде {}", i + 10)),
                    ..Default::default()
                },
                PageReq::new(None, None),
                None,
            )
            .await
            .unwrap();
            assert!(found.items.iter().any(|x| x.id == r.id), "terms of {i}");
            let h = history::for_card(&db, "appeal", r.id, 10).await.unwrap();
            assert_eq!(h.len(), 1);
            assert_eq!(h[0].action, "create");
            assert_eq!(
                h[0].after.as_ref().unwrap()["number"].as_str(),
                Some(r.number.as_str())
            );
        }
    }
);
