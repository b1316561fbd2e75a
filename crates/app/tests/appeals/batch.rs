//! Bulk actions of the journal on SQLite and PostgreSQL: all or nothing, each appeal checked
//! by the single-change rules, failures named by number.

use crate::appeals::{self, batch, NewAppeal, StatusChange};
use abonent_domain::appeal::{AppealKind, Channel, Priority, Status};
use abonent_domain::Role;
use abonent_storage::appeals::routing::{self, DepartmentForm};
use abonent_storage::{both_backends, history, settings, Actor, Db, StoreError};

fn actor() -> Actor {
    Actor {
        user_id: None,
        name: "Специалист".into(),
    }
}

async fn three(db: &Db) -> Vec<i64> {
    let (_, p) = abonent_storage::testing::flat(db, "7").await;
    let mut ids = Vec::new();
    for substance in [
        "Не убирают подъезд вторую неделю",
        "Перегорела лампа на площадке третьего этажа",
        "Сломан доводчик на входной двери",
    ] {
        let a = NewAppeal {
            kind: Some(AppealKind::Request),
            channel: Some(Channel::Phone),
            priority: Some(Priority::Normal),
            premises_id: Some(p),
            applicant_phone: "8 (912) 345-67-89".into(),
            substance: substance.into(),
            ..Default::default()
        };
        ids.push(appeals::register(db, &a, &actor()).await.unwrap().id);
    }
    ids
}

async fn statuses(db: &Db, ids: &[i64]) -> Vec<String> {
    let mut out = Vec::new();
    for id in ids {
        out.push(appeals::get(db, *id).await.unwrap().status);
    }
    out
}

fn message(e: StoreError) -> String {
    match e {
        StoreError::Invalid(v) => {
            assert_eq!(v.0[0].field, "ids");
            v.0[0].message.clone()
        }
        other => panic!("{other:?}"),
    }
}

both_backends!(
    bulk_assign_then_refuse_all_or_nothing,
    |db: Db| async move {
        let ids = three(&db).await;
        assert_eq!(statuses(&db, &ids).await, ["registered"; 3]);
        let dept = routing::save_department(
            &db,
            None,
            &DepartmentForm {
                name: "Служба эксплуатации".into(),
                ..Default::default()
            },
            &actor(),
        )
        .await
        .unwrap();
        let assign = StatusChange {
            to: Some(Status::Assigned),
            department_id: Some(dept),
            ..Default::default()
        };
        let n = batch::change_status_many(&db, &ids, &assign, Role::Specialist, &actor())
            .await
            .unwrap();
        assert_eq!(n, 3);
        assert_eq!(statuses(&db, &ids).await, ["assigned"; 3]);
        for id in &ids {
            let a = appeals::get(&db, *id).await.unwrap();
            assert_eq!(a.department_id, Some(dept));
            let h = history::for_card(&db, "appeal", *id, 10).await.unwrap();
            assert!(h.iter().any(|e| e.action == "status"), "{h:?}");
        }

        // One of them goes to work; then «in progress» for all three fails for that one, and
        // the other two stay as they were.
        let one = StatusChange {
            to: Some(Status::InProgress),
            ..Default::default()
        };
        appeals::change_status(&db, ids[0], &one, Role::Specialist, &actor())
            .await
            .unwrap();
        let e = batch::change_status_many(&db, &ids, &one, Role::Specialist, &actor())
            .await
            .unwrap_err();
        let m = message(e);
        assert!(m.starts_with("Ничего не изменено: 1 из 3"), "{m}");
        let number = appeals::get(&db, ids[0]).await.unwrap().number;
        assert!(m.contains(&number) && m.contains("нельзя перейти"), "{m}");
        assert_eq!(
            statuses(&db, &ids).await,
            ["in_progress", "assigned", "assigned"]
        );

        // Rejecting needs a reason: with it, all three are rejected in one go.
        let reject = StatusChange {
            to: Some(Status::Rejected),
            reason: Some("Работы по плану капремонта".into()),
            ..Default::default()
        };
        let e = batch::change_status_many(&db, &ids, &reject, Role::Specialist, &actor())
            .await
            .unwrap_err();
        // in_progress → rejected is not allowed: nothing changes.
        assert!(message(e).contains(&number));
        assert_eq!(statuses(&db, &ids[1..]).await, ["assigned"; 2]);
        let n = batch::change_status_many(&db, &ids[1..], &reject, Role::Specialist, &actor())
            .await
            .unwrap();
        assert_eq!(n, 2);
        assert_eq!(statuses(&db, &ids[1..]).await, ["rejected"; 2]);
    }
);

both_backends!(bulk_limits_and_unknown_ids, |db: Db| async move {
    let ids = three(&db).await;
    let ch = StatusChange {
        to: Some(Status::InProgress),
        ..Default::default()
    };
    let m = message(
        batch::change_status_many(&db, &[], &ch, Role::Specialist, &actor())
            .await
            .unwrap_err(),
    );
    assert!(m.contains("Отметьте"), "{m}");
    settings::set(&db, "appeals.bulk_max", "2", "test")
        .await
        .unwrap();
    let m = message(
        batch::change_status_many(&db, &ids, &ch, Role::Specialist, &actor())
            .await
            .unwrap_err(),
    );
    assert!(m.contains("не больше 2"), "{m}");
    let e = batch::change_status_many(&db, &[ids[0], 999_999], &ch, Role::Specialist, &actor())
        .await
        .unwrap_err();
    assert!(matches!(e, StoreError::NotFound(_)), "{e:?}");
    assert_eq!(statuses(&db, &ids).await, ["registered"; 3]);
});
