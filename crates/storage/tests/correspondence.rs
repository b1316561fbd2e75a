//! Correspondence registers, scans, answer rules and the work calendar on both backends.

use abonent_domain::calendar::CalendarSource;
use abonent_domain::correspondence::{
    IncomingData, IncomingStatus, OutgoingData, SendMethod, SenderKind,
};
use abonent_domain::deadline::DeadlineUnit;
use abonent_domain::Role;
use abonent_storage::correspondence::incoming::{self, IncomingFilter, StatusFilter};
use abonent_storage::correspondence::outgoing::{self, OutgoingFilter};
use abonent_storage::correspondence::{attachments, rules, Period, Register};
use abonent_storage::registry::PageReq;
use abonent_storage::{both_backends, calendar, history, users, Actor, Db, StoreError};
use chrono::NaiveDate;

fn actor() -> Actor {
    Actor {
        user_id: None,
        name: "Делопроизводитель".into(),
    }
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn letter(kind: SenderKind, received: &str, sender: &str, subject: &str) -> IncomingData {
    IncomingData {
        received_on: day(received),
        sender_kind: kind,
        sender_name: sender.into(),
        sender_ref_number: Some("01-15/77".into()),
        sender_ref_date: None,
        subject: subject.into(),
        pages: Some(2),
        executor_user_id: None,
        letter_term: None,
        account_id: None,
        person_id: None,
        note: None,
    }
}

fn reply(answers: Option<i64>, sent: &str) -> OutgoingData {
    OutgoingData {
        sent_on: day(sent),
        addressee: "Государственная жилищная инспекция".into(),
        subject: "Ответ на запрос о начислениях".into(),
        method: SendMethod::Post,
        tracking_number: Some("62000012345678".into()),
        document_id: None,
        answers_incoming_id: answers,
        account_id: None,
        person_id: None,
        note: None,
    }
}

fn invalid(e: StoreError) -> abonent_domain::ValidationErrors {
    match e {
        StoreError::Invalid(v) => v,
        other => panic!("expected field errors, got {other}"),
    }
}

both_backends!(incoming_lifecycle_with_history, |db: Db| async move {
    let exec = users::create_user(
        &db,
        "ivanova",
        "Иванова А. А.",
        Role::Specialist,
        "пароль-длинный",
    )
    .await
    .unwrap();
    // 13.02.2026 (Friday) + 10 working days over the 23.02 holiday = 02.03.2026.
    let (id, number) = incoming::create(
        &db,
        &letter(
            SenderKind::Person,
            "2026-02-13",
            "Петров П. П.",
            "Перерасчёт за отопление",
        ),
        &actor(),
    )
    .await
    .unwrap();
    assert_eq!(number, "Вх-1/26");
    let today = day("2026-03-03");
    let l = incoming::get(&db, id, today).await.unwrap();
    assert_eq!(l.deadline_on, day("2026-03-02"));
    assert_eq!(l.deadline_rule, "written_request");
    assert!(l.deadline_basis.contains("10 рабочих дней"));
    assert_eq!(l.status, IncomingStatus::Registered);
    assert!(l.overdue);

    // Assigning an executor puts it in work; changing the kind recomputes the deadline.
    let mut d = l.data.clone();
    d.executor_user_id = Some(exec);
    d.sender_kind = SenderKind::HousingInspectorate;
    incoming::update(&db, id, &d, &actor()).await.unwrap();
    let l = incoming::get(&db, id, today).await.unwrap();
    assert_eq!(l.status, IncomingStatus::InWork);
    assert_eq!(l.executor_name.as_deref(), Some("Иванова А. А."));
    // 13.02 + 30 days = 15.03.2026, a Sunday → Monday 16.03.
    assert_eq!(l.deadline_on, day("2026-03-16"));
    assert!(!l.overdue);

    // References are checked against the database.
    d.executor_user_id = Some(9999);
    d.account_id = Some(4242);
    let e = invalid(incoming::update(&db, id, &d, &actor()).await.unwrap_err());
    assert!(e
        .for_field("executor_user_id")
        .unwrap()
        .contains("не найден"));
    assert!(e.for_field("account_id").is_some());
    // The year of the number cannot change.
    let mut moved = l.data.clone();
    moved.received_on = day("2025-12-30");
    let e = invalid(
        incoming::update(&db, id, &moved, &actor())
            .await
            .unwrap_err(),
    );
    assert!(e.for_field("received_on").unwrap().contains("2026"));

    // Closing needs a reason; «answered» only comes from an outgoing letter.
    let e = invalid(
        incoming::set_status(&db, id, IncomingStatus::Closed, " ", &actor())
            .await
            .unwrap_err(),
    );
    assert!(e.for_field("reason").unwrap().contains("причину"));
    let e = invalid(
        incoming::set_status(&db, id, IncomingStatus::Answered, "", &actor())
            .await
            .unwrap_err(),
    );
    assert!(e.for_field("status").unwrap().contains("исходящего"));
    incoming::set_status(&db, id, IncomingStatus::Closed, "Ответ дан устно", &actor())
        .await
        .unwrap();
    let l = incoming::get(&db, id, today).await.unwrap();
    assert_eq!(l.status, IncomingStatus::Closed);
    assert_eq!(l.status_reason.as_deref(), Some("Ответ дан устно"));

    let h = history::for_card(&db, "incoming_letter", id, 20)
        .await
        .unwrap();
    let actions: Vec<&str> = h.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["status", "update", "create"]);
    assert_eq!(h[1].after.as_ref().unwrap()["deadline_on"], "2026-03-16");
    assert_eq!(h[2].after.as_ref().unwrap()["number"], "Вх-1/26");
});

both_backends!(
    outgoing_reply_marks_the_letter_answered,
    |db: Db| async move {
        let (inc, _) = incoming::create(
            &db,
            &letter(
                SenderKind::Prosecutor,
                "2026-04-01",
                "Прокуратура Ленинского района",
                "Запрос",
            ),
            &actor(),
        )
        .await
        .unwrap();
        let (out, number) = outgoing::create(&db, &reply(Some(inc), "2026-04-03"), &actor())
            .await
            .unwrap();
        assert_eq!(number, "Исх-1/26");
        let l = incoming::get(&db, inc, day("2026-06-01")).await.unwrap();
        assert_eq!(l.status, IncomingStatus::Answered);
        assert_eq!(l.answered_by_outgoing_id, Some(out));
        assert_eq!(l.answered_by_number.as_deref(), Some("Исх-1/26"));
        assert!(!l.overdue);
        let o = outgoing::get(&db, out).await.unwrap();
        assert_eq!(o.answers_incoming_number.as_deref(), Some("Вх-1/26"));
        assert_eq!(outgoing::answering(&db, inc).await.unwrap().len(), 1);
        let h = history::for_card(&db, "incoming_letter", inc, 10)
            .await
            .unwrap();
        assert_eq!(h[0].action, "answer");
        assert!(h[0].note.as_deref().unwrap().contains("Исх-1/26"));

        // A reply to a letter that does not exist is refused and consumes no number.
        let e = invalid(
            outgoing::create(&db, &reply(Some(777), "2026-04-03"), &actor())
                .await
                .unwrap_err(),
        );
        assert!(e.for_field("answers_incoming_id").is_some());

        // create_in inside a caller's transaction: the document id is kept; a rollback returns
        // the number.
        let mut tx = db.write().begin().await.unwrap();
        let (_, n2) =
            outgoing::create_in(&mut tx, &db, &reply(None, "2026-04-04"), Some(55), &actor())
                .await
                .unwrap();
        assert_eq!(n2, "Исх-2/26");
        tx.rollback().await.unwrap();
        let mut tx = db.write().begin().await.unwrap();
        let (id2, n2) =
            outgoing::create_in(&mut tx, &db, &reply(None, "2026-04-04"), Some(55), &actor())
                .await
                .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(n2, "Исх-2/26");
        assert_eq!(
            outgoing::by_document(&db, 55).await.unwrap().unwrap().id,
            id2
        );
        // A document that gets its id after the letter's number is linked with history.
        let mut tx = db.write().begin().await.unwrap();
        let (id3, _) =
            outgoing::create_in(&mut tx, &db, &reply(None, "2026-04-05"), None, &actor())
                .await
                .unwrap();
        outgoing::link_document_in(&mut tx, &db.now_text(), id3, 77, &actor())
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(
            outgoing::by_document(&db, 77).await.unwrap().unwrap().id,
            id3
        );
        let h = history::for_card(&db, "outgoing_letter", id3, 10)
            .await
            .unwrap();
        assert_eq!(h[0].after.as_ref().unwrap()["document_id"], 77);

        // Updating: the year stays, the history keeps the change.
        let mut d = outgoing::get(&db, id2).await.unwrap().data;
        d.method = SendMethod::Email;
        d.tracking_number = None;
        outgoing::update(&db, id2, &d, &actor()).await.unwrap();
        assert_eq!(
            outgoing::get(&db, id2).await.unwrap().data.method,
            SendMethod::Email
        );
        let h = history::for_card(&db, "outgoing_letter", id2, 10)
            .await
            .unwrap();
        assert_eq!(h[0].after.as_ref().unwrap()["method"], "email");
        d.sent_on = day("2027-01-10");
        let e = invalid(outgoing::update(&db, id2, &d, &actor()).await.unwrap_err());
        assert!(e.for_field("sent_on").is_some());
    }
);

both_backends!(awaiting_view_search_and_period, |db: Db| async move {
    let mk = |kind, date: &'static str, sender: &'static str, subject: &'static str| {
        let db = db.clone();
        async move {
            incoming::create(&db, &letter(kind, date, sender, subject), &actor())
                .await
                .unwrap()
                .0
        }
    };
    let a = mk(
        SenderKind::Person,
        "2026-03-02",
        "Сидорова Е. В.",
        "Протечка кровли",
    )
    .await;
    let b = mk(
        SenderKind::Organization,
        "2026-03-10",
        "ООО «Водоканал»",
        "Сверка",
    )
    .await;
    let c = mk(
        SenderKind::Person,
        "2026-01-20",
        "Кузнецов И. И.",
        "Шум в подвале",
    )
    .await;
    let _answered = {
        let id = mk(SenderKind::Person, "2026-03-05", "Орлов О. О.", "Справка").await;
        outgoing::create(&db, &reply(Some(id), "2026-03-06"), &actor())
            .await
            .unwrap();
        id
    };
    let today = day("2026-03-20");
    let awaiting = incoming::list(
        &db,
        &IncomingFilter {
            status: StatusFilter::Awaiting,
            ..Default::default()
        },
        today,
        PageReq::new(None, None),
    )
    .await
    .unwrap();
    // By deadline: c (03.02), a (17.03), b (09.04 — 30 days, a Thursday).
    let ids: Vec<i64> = awaiting.items.iter().map(|l| l.id).collect();
    assert_eq!(ids, [c, a, b]);
    assert_eq!(awaiting.total, 3);
    assert!(awaiting.items[0].overdue && awaiting.items[1].overdue && !awaiting.items[2].overdue);
    let overdue = incoming::list(
        &db,
        &IncomingFilter {
            status: StatusFilter::Overdue,
            ..Default::default()
        },
        today,
        PageReq::new(None, None),
    )
    .await
    .unwrap();
    assert_eq!(overdue.total, 2);
    assert_eq!(incoming::awaiting_counts(&db, today).await.unwrap(), (3, 2));

    // Search is case-insensitive in Cyrillic, over number, sender and subject.
    let find = |q: &'static str| {
        let db = db.clone();
        async move {
            incoming::list(
                &db,
                &IncomingFilter {
                    q: Some(q.into()),
                    ..Default::default()
                },
                today,
                PageReq::new(None, None),
            )
            .await
            .unwrap()
            .items
            .into_iter()
            .map(|l| l.id)
            .collect::<Vec<_>>()
        }
    };
    assert_eq!(find("водоканал").await, [b]);
    assert_eq!(find("ПРОТЕЧКА").await, [a]);
    assert_eq!(find("вх-3/").await, [c]);
    assert!(find("100%").await.is_empty());

    let period = Period {
        from: Some(day("2026-03-01")),
        to: Some(day("2026-03-05")),
    };
    let rows = incoming::for_period(&db, period, today).await.unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(
        outgoing::list(
            &db,
            &OutgoingFilter {
                q: Some("инспекция".into()),
                ..Default::default()
            },
            PageReq::new(None, None)
        )
        .await
        .unwrap()
        .total,
        1
    );
    assert_eq!(outgoing::for_period(&db, period).await.unwrap().len(), 0);
});

both_backends!(
    scans_are_stored_and_removal_only_marks,
    |db: Db| async move {
        let (id, _) = incoming::create(
            &db,
            &letter(
                SenderKind::Organization,
                "2026-05-12",
                "АО «Энергосбыт»",
                "Акт",
            ),
            &actor(),
        )
        .await
        .unwrap();
        let pdf = b"%PDF-1.4\n% scan\n".to_vec();
        let a = attachments::add(
            &db,
            Register::Incoming,
            id,
            "D:\\Сканы\\акт.pdf",
            &pdf,
            &actor(),
        )
        .await
        .unwrap();
        let e = invalid(
            attachments::add(&db, Register::Incoming, id, "evil.exe", b"MZ..", &actor())
                .await
                .unwrap_err(),
        );
        assert!(e.for_field("file").is_some());
        let (info, content) = attachments::get(&db, a).await.unwrap();
        assert_eq!(
            (info.file_name.as_str(), info.mime.as_str()),
            ("акт.pdf", "application/pdf")
        );
        assert_eq!(content, pdf);
        attachments::remove(&db, a, "Не тот файл", &actor())
            .await
            .unwrap();
        let list = attachments::of_letter(&db, Register::Incoming, id)
            .await
            .unwrap();
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].removed_reason.as_deref(), Some("Не тот файл"));
        let h = history::for_card(&db, "incoming_letter", id, 10)
            .await
            .unwrap();
        let actions: Vec<&str> = h.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(actions, ["remove", "create", "create"]);
        assert!(matches!(
            attachments::add(&db, Register::Outgoing, 999, "a.pdf", &pdf, &actor()).await,
            Err(StoreError::NotFound(_))
        ));
    }
);

both_backends!(
    edited_answer_rule_applies_to_new_letters,
    |db: Db| async move {
        let mut r = rules::rule(&db, SenderKind::Organization).await.unwrap();
        assert_eq!((r.amount, r.unit), (30, DeadlineUnit::CalendarDays));
        r.amount = 5;
        r.unit = DeadlineUnit::WorkingDays;
        r.source = "Приказ директора от 10.01.2026 № 3".into();
        rules::save(&db, SenderKind::Organization, &r, &actor())
            .await
            .unwrap();
        let (id, _) = incoming::create(
            &db,
            &letter(
                SenderKind::Organization,
                "2026-05-06",
                "ООО «Лифт»",
                "График",
            ),
            &actor(),
        )
        .await
        .unwrap();
        // 06.05.2026 (Wed) + 5 working days, 11.05 a holiday: 07, 08, 12, 13, 14 → 14.05.
        let l = incoming::get(&db, id, day("2026-05-06")).await.unwrap();
        assert_eq!(l.deadline_on, day("2026-05-14"));
        assert!(l.deadline_basis.contains("Приказ директора"));

        r.unit = DeadlineUnit::Hours;
        r.source = " ".into();
        let e = invalid(
            rules::save(&db, SenderKind::Organization, &r, &actor())
                .await
                .unwrap_err(),
        );
        assert!(e.for_field("unit").is_some() && e.for_field("source").is_some());
        rules::reset(&db, SenderKind::Organization, &actor())
            .await
            .unwrap();
        assert_eq!(
            rules::rule(&db, SenderKind::Organization)
                .await
                .unwrap()
                .amount,
            30
        );
        let h = history::for_card(
            &db,
            "answer_rule",
            rules::kind_id(SenderKind::Organization),
            10,
        )
        .await
        .unwrap();
        assert_eq!(h.len(), 2);
    }
);

both_backends!(
    calendar_years_in_the_database_override_shipped,
    |db: Db| async move {
        // 2027 has no decree shipped: base rules. An administrator loads one with an extra day off.
        let before = calendar::load(&db).await.unwrap();
        assert!(before.is_working_day(day("2027-05-04")));
        let y = abonent_domain::calendar::year_from_form(
            "2027",
            "ПП РФ от 01.10.2026 № 1234 (пример)",
            "01.01.2027\n04.01.2027, 05.01.2027; 2027-05-04",
            "",
        )
        .unwrap();
        calendar::save_year(&db, &y, &actor()).await.unwrap();
        let cal = calendar::load(&db).await.unwrap();
        assert!(!cal.is_working_day(day("2027-05-04")));
        assert!(
            matches!(cal.source(2027), CalendarSource::Decree { reference } if reference.contains("1234"))
        );
        // A working Saturday in 2026 moves a letter's deadline.
        let y26 = abonent_domain::calendar::year_from_form(
            "2026",
            "ПП РФ (изменённый)",
            &cal.year(2026)
                .non_working()
                .iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join("\n"),
            "07.03.2026",
        )
        .unwrap();
        calendar::save_year(&db, &y26, &actor()).await.unwrap();
        let (id, _) = incoming::create(
            &db,
            &letter(SenderKind::Person, "2026-02-13", "Петров", "Вопрос"),
            &actor(),
        )
        .await
        .unwrap();
        // A term that ends before 07.03 is unchanged; one that spans it is a day shorter.
        let (id2, _) = incoming::create(
            &db,
            &letter(SenderKind::Person, "2026-02-27", "Петров", "Вопрос"),
            &actor(),
        )
        .await
        .unwrap();
        assert_eq!(
            incoming::get(&db, id, day("2026-01-01"))
                .await
                .unwrap()
                .deadline_on,
            day("2026-03-02")
        );
        // 27.02 + 10 working days: 02–06 (5), 07 Sat working (6), 10, 11, 12, 13 (10) → 13.03;
        // without the working Saturday it would be 16.03 (09.03 is a holiday).
        assert_eq!(
            incoming::get(&db, id2, day("2026-01-01"))
                .await
                .unwrap()
                .deadline_on,
            day("2026-03-13")
        );
        // Bad input is named per field; Saturdays cannot be non-working weekdays.
        let e = abonent_domain::calendar::year_from_form(
            "2027",
            "",
            "32.01.2027\n02.01.2027",
            "03.01.2027",
        )
        .unwrap_err();
        assert!(e.for_field("source").is_some());
        assert!(e.for_field("non_working").unwrap().contains("32.01.2027"));
        let e =
            abonent_domain::calendar::year_from_form("2027", "ПП", "02.01.2027", "").unwrap_err();
        assert!(e.for_field("non_working").unwrap().contains("суббота"));
        assert_eq!(calendar::stored_years(&db).await.unwrap().len(), 2);
        calendar::remove_year(&db, 2027, &actor()).await.unwrap();
        assert!(calendar::load(&db)
            .await
            .unwrap()
            .is_working_day(day("2027-05-04")));
        let h = history::for_card(&db, "work_calendar", 2027, 10)
            .await
            .unwrap();
        let actions: Vec<&str> = h.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(actions, ["remove", "update"]);
    }
);

both_backends!(
    concurrent_registrations_number_without_gaps,
    |db: Db| async move {
        let mut tasks = Vec::new();
        for i in 0..20 {
            let db = db.clone();
            tasks.push(tokio::spawn(async move {
                let d = letter(
                    SenderKind::Person,
                    "2026-06-01",
                    &format!("Житель {i}"),
                    "Вопрос",
                );
                if i % 2 == 0 {
                    incoming::create(&db, &d, &actor()).await.unwrap().1
                } else {
                    outgoing::create(&db, &reply(None, "2026-06-01"), &actor())
                        .await
                        .unwrap()
                        .1
                }
            }));
        }
        let mut numbers = Vec::new();
        for t in tasks {
            numbers.push(t.await.unwrap());
        }
        numbers.sort();
        let mut expected: Vec<String> = (1..=10)
            .flat_map(|n| [format!("Вх-{n}/26"), format!("Исх-{n}/26")])
            .collect();
        expected.sort();
        assert_eq!(numbers, expected);
    }
);
