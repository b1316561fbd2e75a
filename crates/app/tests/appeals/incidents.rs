//! Building-wide incidents and recurring problems on SQLite and PostgreSQL.

use crate::appeals::{self, recurring, NewAppeal};
use abonent_domain::appeal::{AppealKind, Channel, Priority};
use abonent_domain::outbox::OutboxChannel;
use abonent_domain::registry::*;
use abonent_domain::Role;
use abonent_storage::appeals::incidents::{self, NewIncident};
use abonent_storage::registry::{building, person, premises, PageReq};
use abonent_storage::{both_backends, history, settings, Actor, Db, StoreError};
use sqlx::Row;

fn actor() -> Actor {
    Actor {
        user_id: None,
        name: "Специалист".into(),
    }
}

/// A specialist login: closing an incident makes it the executor of appeals without one.
async fn specialist(db: &Db) -> Actor {
    let uid = abonent_storage::users::create_user(
        db,
        "spec",
        "Специалист",
        Role::Specialist,
        "test password 1",
    )
    .await
    .unwrap();
    Actor {
        user_id: Some(uid),
        name: "Специалист".into(),
    }
}

async fn house(db: &Db, number: &str) -> i64 {
    let b = building::create(
        db,
        &BuildingForm {
            region: Some("Свердловская обл.".into()),
            city: Some("г. Екатеринбург".into()),
            street: Some("ул. Мира".into()),
            house: Some(number.into()),
            ..Default::default()
        }
        .validate()
        .unwrap(),
        &actor(),
    )
    .await
    .unwrap();
    premises::create(
        db,
        &PremisesData {
            building_id: b,
            number: "1".into(),
            residential: true,
            area_centi: None,
            rooms: None,
            entrance: None,
            floor: None,
        },
        &actor(),
    )
    .await
    .unwrap()
}

fn no_hot_water(premises_id: i64, email: &str) -> NewAppeal {
    NewAppeal {
        kind: Some(AppealKind::Request),
        channel: Some(Channel::Phone),
        priority: Some(Priority::Normal),
        premises_id: Some(premises_id),
        applicant_email: email.into(),
        applicant_phone: "+7 912 000-00-00".into(),
        substance: "Нет горячей воды в квартире".into(),
        ..Default::default()
    }
}

/// The consent rule as abonent_notify applies it: e-mail only where the person consented.
fn by_consent(p: &PersonData) -> Vec<(OutboxChannel, String)> {
    match (&p.email, p.consent_email) {
        (Some(e), true) => vec![(OutboxChannel::Email, e.clone())],
        _ => vec![],
    }
}

fn fields(e: StoreError) -> Vec<String> {
    match e {
        StoreError::Invalid(v) => v.0.into_iter().map(|f| f.field).collect(),
        other => panic!("{other:?}"),
    }
}

both_backends!(incident_proposed_created_closed, |db: Db| async move {
    let p = house(&db, "7").await;
    let other = house(&db, "9").await;
    let a1 = appeals::register(&db, &no_hot_water(p, "a1@example.ru"), &actor())
        .await
        .unwrap();
    let a2 = appeals::register(&db, &no_hot_water(p, ""), &actor())
        .await
        .unwrap();
    // Another building: never in this proposal.
    appeals::register(&db, &no_hot_water(other, ""), &actor())
        .await
        .unwrap();
    // Two of one building: below the default threshold of 3.
    assert!(incidents::proposals(&db, None).await.unwrap().is_empty());
    // A person who declined e-mail is not written to.
    let silent = person::create(
        &db,
        &PersonData {
            last_name: "Иванова".into(),
            first_name: "Анна".into(),
            middle_name: None,
            birth_date: None,
            phones: vec![],
            email: Some("anna@example.ru".into()),
            id_document: None,
            consent_sms: false,
            consent_email: false,
            legal_capacity: Default::default(),
            capacity_basis: None,
        },
        &actor(),
    )
    .await
    .unwrap();
    let a3 = appeals::register(
        &db,
        &NewAppeal {
            person_id: Some(silent),
            ..no_hot_water(p, "")
        },
        &actor(),
    )
    .await
    .unwrap();
    let props = incidents::proposals(&db, None).await.unwrap();
    assert_eq!(props.len(), 1, "{props:?}");
    let ids: Vec<i64> = props[0].appeals.iter().map(|a| a.id).collect();
    assert_eq!(ids, vec![a1.id, a2.id, a3.id]);
    assert!(props[0].incident_id.is_none());
    let on_card = incidents::proposal_for(&db, a2.id).await.unwrap().unwrap();
    assert_eq!(on_card.appeals.len(), 3);

    // The threshold is a setting.
    settings::set(&db, "appeals.incident_threshold", "4", "тест")
        .await
        .unwrap();
    assert!(incidents::proposals(&db, None).await.unwrap().is_empty());
    settings::set(&db, "appeals.incident_threshold", "3", "тест")
        .await
        .unwrap();

    // Nothing to link, or an appeal of another building: refused by field.
    let e = incidents::create(&db, &NewIncident::default(), &actor())
        .await
        .unwrap_err();
    assert_eq!(fields(e), vec!["appeal_ids"]);
    let id = incidents::create(
        &db,
        &NewIncident {
            title: String::new(),
            appeal_ids: vec![a1.id, a2.id],
        },
        &actor(),
    )
    .await
    .unwrap();
    let inc = incidents::get_incident(&db, id).await.unwrap();
    assert_eq!(inc.appeals.len(), 2);
    assert!(inc.title.contains("ул. Мира, д. 7"), "{}", inc.title);
    // The third is proposed for linking to the open incident; a later one as well.
    let a4 = appeals::register(&db, &no_hot_water(p, "a4@example.ru"), &actor())
        .await
        .unwrap();
    let props = incidents::proposals(&db, None).await.unwrap();
    assert_eq!(props[0].incident_id, Some(id));
    assert_eq!(props[0].appeals.len(), 2);
    let foreign = appeals::list(&db, &Default::default(), PageReq::new(None, None), None)
        .await
        .unwrap()
        .items
        .into_iter()
        .find(|a| a.address.contains("д. 9"))
        .unwrap();
    let e = incidents::link(&db, id, &[foreign.id], &actor())
        .await
        .unwrap_err();
    assert_eq!(fields(e), vec!["appeal_ids"]);
    incidents::link(&db, id, &[a3.id, a4.id], &actor())
        .await
        .unwrap();
    // Twice: already linked.
    assert!(incidents::link(&db, id, &[a3.id], &actor()).await.is_err());

    // Closing needs the result; then every appeal is done with it, history per appeal.
    // The closing specialist becomes the executor of appeals that have none.
    let spec = specialist(&db).await;
    let e = incidents::close(&db, id, " ", Role::Specialist, &spec, &by_consent)
        .await
        .unwrap_err();
    assert_eq!(fields(e), vec!["result"]);
    let report = incidents::close(
        &db,
        id,
        "Заменили задвижку на вводе ГВС",
        Role::Specialist,
        &spec,
        &by_consent,
    )
    .await
    .unwrap();
    assert_eq!(report.completed.len(), 4, "{report:?}");
    assert!(report.failed.is_empty());
    for a in [a1.id, a2.id, a3.id, a4.id] {
        let got = appeals::get(&db, a).await.unwrap();
        assert_eq!(got.status, "done");
        assert_eq!(
            got.result.as_deref(),
            Some("Заменили задвижку на вводе ГВС")
        );
        assert_eq!(got.executor_id, spec.user_id);
        let h = history::for_card(&db, "appeal", a, 50).await.unwrap();
        assert!(h.iter().any(|e| e.action == "incident"));
        assert_eq!(h.iter().filter(|e| e.action == "status").count(), 2);
    }
    // Messages: the two who left an e-mail; not the person without consent, not a2.
    let rows = sqlx::query("SELECT recipient FROM outbox ORDER BY recipient")
        .fetch_all(db.read())
        .await
        .unwrap();
    let to: Vec<String> = rows.iter().map(|r| r.get(0)).collect();
    assert_eq!(to, vec!["a1@example.ru", "a4@example.ru"]);
    assert_eq!(report.messages, 2);
    let inc = incidents::get_incident(&db, id).await.unwrap();
    assert_eq!(inc.status, "closed");
    assert!(
        incidents::close(&db, id, "ещё раз", Role::Specialist, &actor(), &by_consent)
            .await
            .is_err()
    );
    // A closed incident takes no more appeals.
    let a5 = appeals::register(&db, &no_hot_water(p, ""), &actor())
        .await
        .unwrap();
    assert!(incidents::link(&db, id, &[a5.id], &actor()).await.is_err());
});

both_backends!(
    incident_close_reports_refused_appeals,
    |db: Db| async move {
        let p = house(&db, "11").await;
        let mut ids = Vec::new();
        for _ in 0..3 {
            ids.push(
                appeals::register(&db, &no_hot_water(p, ""), &actor())
                    .await
                    .unwrap()
                    .id,
            );
        }
        let id = incidents::create(
            &db,
            &NewIncident {
                title: "Нет ГВС по стояку".into(),
                appeal_ids: ids.clone(),
            },
            &actor(),
        )
        .await
        .unwrap();
        // An auditor may change nothing: the workflow refuses each appeal, the report says why.
        let report = incidents::close(&db, id, "Сделано", Role::Auditor, &actor(), &by_consent)
            .await
            .unwrap();
        assert!(report.completed.is_empty());
        assert_eq!(report.failed.len(), 3);
        assert!(
            report.failed[0].reason.contains("Аудитор"),
            "{:?}",
            report.failed
        );
        for a in &ids {
            assert_eq!(appeals::get(&db, *a).await.unwrap().status, "registered");
        }
        // The incident stays open with its appeals and closes on the next attempt.
        let inc = incidents::get_incident(&db, id).await.unwrap();
        assert_eq!(inc.status, "open");
        assert_eq!(inc.appeals.len(), 3);
        let spec = specialist(&db).await;
        let report = incidents::close(&db, id, "Сделано", Role::Specialist, &spec, &by_consent)
            .await
            .unwrap();
        assert_eq!(report.completed.len(), 3, "{report:?}");
        assert_eq!(
            incidents::get_incident(&db, id).await.unwrap().status,
            "closed"
        );
    }
);

both_backends!(recurring_problems, |db: Db| async move {
    let p = house(&db, "3").await;
    let q = house(&db, "4").await;
    for _ in 0..3 {
        appeals::register(&db, &no_hot_water(p, ""), &actor())
            .await
            .unwrap();
    }
    for _ in 0..2 {
        appeals::register(&db, &no_hot_water(q, ""), &actor())
            .await
            .unwrap();
    }
    let rows = recurring::list(&db).await.unwrap();
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0].count, 3);
    assert_eq!(rows[0].appeals.len(), 3);
    assert!(rows[0].address.contains("д. 3"));
    // An appeal older than the period does not count.
    sqlx::query("UPDATE appeals SET registered_at = '2020-01-01T00:00:00.000000Z' WHERE id = $1")
        .bind(rows[0].appeals[0].id)
        .execute(db.write())
        .await
        .unwrap();
    assert!(recurring::list(&db).await.unwrap().is_empty());
    settings::set(&db, "appeals.recurring_threshold", "2", "тест")
        .await
        .unwrap();
    assert_eq!(recurring::list(&db).await.unwrap().len(), 2);
});
