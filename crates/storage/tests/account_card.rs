//! What the account card reads beside the registry, on SQLite and PostgreSQL: the contacts of
//! the people linked to the account, the letters about it from both registers (newest first,
//! cut to a limit with the total), and the stage of its debtor work without the whole case.

use abonent_domain::correspondence::{IncomingData, OutgoingData, SendMethod, SenderKind};
use abonent_domain::debtor::Stage;
use abonent_domain::registry::{LinkData, LinkRole, PersonData, Share};
use abonent_storage::correspondence::{by_account, incoming, outgoing, Register};
use abonent_storage::ledger::debt_cases::{self as dc, MoveRequest};
use abonent_storage::registry::{link, person};
use abonent_storage::{both_backends, Db};

mod common;
use common::*;

async fn person_on(
    db: &Db,
    account_id: i64,
    last: &str,
    phones: &[&str],
    email: Option<&str>,
) -> i64 {
    let id = person::create(
        db,
        &PersonData {
            last_name: last.into(),
            first_name: "Анна".into(),
            middle_name: None,
            birth_date: None,
            phones: phones.iter().map(|p| p.to_string()).collect(),
            email: email.map(str::to_string),
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
    link::create_link(
        db,
        &LinkData {
            account_id,
            person_id: id,
            role: LinkRole::Owner,
            share: Some(Share::WHOLE),
            from_date: None,
            to_date: None,
            registration: Default::default(),
        },
        &actor(),
    )
    .await
    .unwrap();
    id
}

both_backends!(contacts_of_the_account_people, |db: Db| async move {
    let (_, ids) = accounts(&db, "ул. Амундсена", &["500001", "500002"]).await;
    let a = person_on(
        &db,
        ids[0],
        "Орлова",
        &["+79120000001", "+73432000002"],
        Some("a@example.ru"),
    )
    .await;
    let b = person_on(&db, ids[0], "Соколова", &[], None).await;
    person_on(&db, ids[1], "Чужая", &["+79120000009"], None).await;
    let c = link::contacts_of_account(&db, ids[0]).await.unwrap();
    assert_eq!(c.iter().map(|c| c.person_id).collect::<Vec<_>>(), [a, b]);
    assert_eq!(c[0].phones, ["+79120000001", "+73432000002"]);
    assert_eq!(c[0].email.as_deref(), Some("a@example.ru"));
    assert!(c[1].phones.is_empty() && c[1].email.is_none());
});

fn incoming_about(account_id: Option<i64>, on: &str, subject: &str) -> IncomingData {
    IncomingData {
        received_on: day(on),
        sender_kind: SenderKind::Person,
        sender_name: "Орлова А.".into(),
        sender_ref_number: None,
        sender_ref_date: None,
        subject: subject.into(),
        pages: Some(1),
        executor_user_id: None,
        letter_term: None,
        account_id,
        person_id: None,
        note: None,
    }
}

both_backends!(
    letters_about_the_account_newest_first,
    |db: Db| async move {
        let (_, ids) = accounts(&db, "ул. Ленина", &["600001", "600002"]).await;
        let (a, other) = (ids[0], ids[1]);
        for (on, subject) in [("2026-02-01", "Перерасчёт"), ("2026-04-01", "Справка")]
        {
            incoming::create(&db, &incoming_about(Some(a), on, subject), &actor())
                .await
                .unwrap();
        }
        incoming::create(
            &db,
            &incoming_about(Some(other), "2026-05-01", "Чужое"),
            &actor(),
        )
        .await
        .unwrap();
        incoming::create(&db, &incoming_about(None, "2026-05-02", "Ничьё"), &actor())
            .await
            .unwrap();
        let reply = OutgoingData {
            sent_on: day("2026-03-01"),
            addressee: "Орловой А.".into(),
            subject: "Ответ о перерасчёте".into(),
            method: SendMethod::Post,
            tracking_number: None,
            document_id: None,
            answers_incoming_id: None,
            account_id: Some(a),
            person_id: None,
            note: None,
        };
        outgoing::create(&db, &reply, &actor()).await.unwrap();

        let (items, total) = by_account::of_account(&db, a, 10).await.unwrap();
        assert_eq!(total, 3);
        let seen: Vec<(Register, &str, &str)> = items
            .iter()
            .map(|x| (x.register, x.on.as_str(), x.subject.as_str()))
            .collect();
        assert_eq!(
            seen,
            [
                (Register::Incoming, "2026-04-01", "Справка"),
                (Register::Outgoing, "2026-03-01", "Ответ о перерасчёте"),
                (Register::Incoming, "2026-02-01", "Перерасчёт"),
            ]
        );
        assert_eq!(items[0].status.as_deref(), Some("registered"));
        assert!(items[0].deadline_on.is_some());
        assert_eq!(items[1].party, "Орловой А.");
        assert!(items[1].status.is_none());
        // Cut to the limit, the total still counts them all.
        let (cut, total) = by_account::of_account(&db, a, 1).await.unwrap();
        assert_eq!((cut.len(), total), (1, 3));
        assert_eq!(cut[0].subject, "Справка");
    }
);

both_backends!(the_stage_alone, |db: Db| async move {
    let (_, ids) = accounts(&db, "ул. Мира", &["700001"]).await;
    let a = ids[0];
    import(
        &db,
        "d.csv",
        &[charge(2, "700001", "2026-08", "electricity", 100000)],
    )
    .await;
    assert_eq!(dc::stage(&db, a).await.unwrap(), None);
    let req = MoveRequest {
        stage: "informed".into(),
        on: Some("2026-11-20".into()),
        ..Default::default()
    };
    dc::move_stage(&db, a, &req, day("2026-11-27"), &actor())
        .await
        .unwrap();
    assert_eq!(
        dc::stage(&db, a).await.unwrap(),
        Some((Stage::Informed, "2026-11-20".to_string()))
    );
});
