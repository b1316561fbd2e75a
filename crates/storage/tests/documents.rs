//! The document archive on both backends: issue in one transaction, numbers gapless after a
//! failed render, rows never changed, search, corrections, letters registered as outgoing,
//! template overrides with their log.

use abonent_domain::correspondence::{OutgoingData, SendMethod};
use abonent_domain::registry::*;
use abonent_storage::correspondence::outgoing;
use abonent_storage::correspondence::Period;
use abonent_storage::documents::{self, templates, DocumentFilter, NewDocument, Numbering};
use abonent_storage::registry::{account, building, premises, PageReq};
use abonent_storage::{both_backends, history, numbering, Actor, Db, StoreError};
use chrono::NaiveDate;

fn actor() -> Actor {
    Actor {
        user_id: None,
        name: "Паспортист Тестов".into(),
    }
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

async fn an_account(db: &Db) -> i64 {
    let b = BuildingForm {
        region: Some("Свердловская обл.".into()),
        city: Some("г. Екатеринбург".into()),
        street: Some("ул. Ленина".into()),
        house: Some("1".into()),
        ..Default::default()
    }
    .validate()
    .unwrap();
    let b = building::create(db, &b, &actor()).await.unwrap();
    let p = premises::create(
        db,
        &PremisesData {
            building_id: b,
            number: "5".into(),
            residential: true,
            area_centi: Some(5430),
            rooms: Some(2),
            entrance: None,
            floor: None,
        },
        &actor(),
    )
    .await
    .unwrap();
    account::create(
        db,
        &AccountData {
            number: "1001".into(),
            premises_id: p,
            opened_on: day("2020-01-01"),
            closed_on: None,
            share: Share::WHOLE,
        },
        &actor(),
    )
    .await
    .unwrap()
}

fn certificate(account_id: Option<i64>, on: &str) -> NewDocument<'static> {
    NewDocument {
        kind: "registration_certificate",
        title: "Справка о регистрации, л/с 1001".into(),
        numbering: Numbering::Scope(documents::scope_of("registration_certificate")),
        issued_on: day(on),
        account_id,
        person_id: None,
        appeal_id: None,
        corrects_id: None,
        data: serde_json::json!({ "address": "ул. Ленина, д. 1, кв. 5" }),
        org: serde_json::json!({ "name": "УК" }),
        template_version_id: None,
        search_words: vec!["1001".into(), "Иванов Иван".into()],
    }
}

/// A stand-in PDF that carries its number, so the test sees what `render` was given.
fn fake_pdf(number: &str) -> abonent_storage::Result<Vec<u8>> {
    Ok(format!("%PDF-1.7 {number}").into_bytes())
}

both_backends!(issue_store_and_find, |db: Db| async move {
    let acc = an_account(&db).await;
    let d = documents::issue(
        &db,
        &certificate(Some(acc), "2026-11-27"),
        &actor(),
        fake_pdf,
    )
    .await
    .unwrap();
    // Default pattern of numbering.doc.registration_certificate: С-{n}/{yy}.
    assert_eq!(d.number, "С-1/26");
    assert_eq!((d.seq, d.year), (1, 2026));
    assert_eq!(d.issued_on, "2026-11-27");
    assert_eq!(d.issued_by_name, "Паспортист Тестов");
    assert_eq!(d.data["address"], "ул. Ленина, д. 1, кв. 5");
    let (number, pdf) = documents::pdf(&db, d.id).await.unwrap();
    assert_eq!(number, "С-1/26");
    assert_eq!(pdf, b"%PDF-1.7 \xD0\xA1-1/26".to_vec());
    assert_eq!(d.pdf_size, pdf.len() as i64);
    assert_eq!(d.sha256.len(), 64);
    // History on the account card.
    let h = history::for_card(&db, "account", acc, 50).await.unwrap();
    assert!(
        h.iter()
            .any(|e| e.entity == "document" && e.action == "issue"),
        "{h:?}"
    );

    let second = documents::issue(&db, &certificate(None, "2026-12-01"), &actor(), fake_pdf)
        .await
        .unwrap();
    assert_eq!(second.number, "С-2/26");
    // A new year starts again at 1.
    let next_year = documents::issue(&db, &certificate(None, "2027-01-10"), &actor(), fake_pdf)
        .await
        .unwrap();
    assert_eq!(next_year.number, "С-1/27");

    let all = documents::list(&db, &DocumentFilter::default(), PageReq::new(None, None))
        .await
        .unwrap();
    assert_eq!(all.total, 3);
    assert_eq!(all.items[0].id, next_year.id, "newest first");
    let f = DocumentFilter {
        account_id: Some(acc),
        ..Default::default()
    };
    let by_acc = documents::list(&db, &f, PageReq::new(None, None))
        .await
        .unwrap();
    assert_eq!(
        by_acc.items.iter().map(|d| d.id).collect::<Vec<_>>(),
        vec![d.id]
    );
    let f = DocumentFilter {
        q: Some("с-2/26".into()),
        ..Default::default()
    };
    let by_number = documents::list(&db, &f, PageReq::new(None, None))
        .await
        .unwrap();
    assert_eq!(by_number.items.len(), 1);
    assert_eq!(by_number.items[0].id, second.id);
    let f = DocumentFilter {
        q: Some("иванов".into()),
        kind: Some("registration_certificate".into()),
        period: Period {
            from: Some(day("2026-11-28")),
            to: Some(day("2026-12-31")),
        },
        ..Default::default()
    };
    let by_words = documents::list(&db, &f, PageReq::new(None, None))
        .await
        .unwrap();
    assert_eq!(
        by_words.items.iter().map(|d| d.id).collect::<Vec<_>>(),
        vec![second.id]
    );
    let f = DocumentFilter {
        kind: Some("letter".into()),
        ..Default::default()
    };
    assert_eq!(
        documents::list(&db, &f, PageReq::new(None, None))
            .await
            .unwrap()
            .total,
        0
    );
});

both_backends!(failed_render_consumes_no_number, |db: Db| async move {
    let first = documents::issue(&db, &certificate(None, "2026-11-27"), &actor(), fake_pdf)
        .await
        .unwrap();
    assert_eq!(first.number, "С-1/26");
    let err = documents::issue(&db, &certificate(None, "2026-11-27"), &actor(), |_| {
        Err(StoreError::invalid(
            "template",
            "Ошибка в шаблоне, строка 3",
        ))
    })
    .await
    .unwrap_err();
    assert!(matches!(err, StoreError::Invalid(_)), "{err}");
    assert_eq!(documents::count(&db).await.unwrap(), 1, "nothing stored");
    assert_eq!(
        numbering::last(&db, "doc.registration_certificate", 2026)
            .await
            .unwrap(),
        1,
        "the counter went back"
    );
    // A reference to a missing account is refused before numbering too.
    let err = documents::issue(
        &db,
        &certificate(Some(999_999), "2026-11-27"),
        &actor(),
        fake_pdf,
    )
    .await
    .unwrap_err();
    match err {
        StoreError::Invalid(v) => assert!(v.for_field("account_id").is_some(), "{v:?}"),
        other => panic!("{other}"),
    }
    let next = documents::issue(&db, &certificate(None, "2026-11-27"), &actor(), fake_pdf)
        .await
        .unwrap();
    assert_eq!(next.number, "С-2/26", "no gap");
});

both_backends!(documents_are_never_changed, |db: Db| async move {
    let d = documents::issue(&db, &certificate(None, "2026-11-27"), &actor(), fake_pdf)
        .await
        .unwrap();
    let upd = sqlx::query("UPDATE documents SET title = 'подделка' WHERE id = $1")
        .bind(d.id)
        .execute(db.write())
        .await;
    assert!(upd.is_err(), "UPDATE must be refused");
    let del = sqlx::query("DELETE FROM documents WHERE id = $1")
        .bind(d.id)
        .execute(db.write())
        .await;
    assert!(del.is_err(), "DELETE must be refused");
    assert_eq!(documents::get(&db, d.id).await.unwrap().title, d.title);
});

both_backends!(correction_references_the_original, |db: Db| async move {
    let old = documents::issue(&db, &certificate(None, "2026-11-27"), &actor(), fake_pdf)
        .await
        .unwrap();
    let mut fix = certificate(None, "2026-11-28");
    fix.corrects_id = Some(old.id);
    let new = documents::issue(&db, &fix, &actor(), fake_pdf)
        .await
        .unwrap();
    assert_eq!(new.corrects_id, Some(old.id));
    assert_eq!(new.number, "С-2/26");
    let c = documents::corrections(&db, old.id).await.unwrap();
    assert_eq!(c.len(), 1);
    assert_eq!(c[0].id, new.id);
    // The original is unchanged and still printable.
    assert_eq!(
        documents::pdf(&db, old.id).await.unwrap().1,
        b"%PDF-1.7 \xD0\xA1-1/26".to_vec()
    );
    // A correction must be of the same kind.
    let mut wrong = certificate(None, "2026-11-28");
    wrong.kind = "account_statement";
    wrong.corrects_id = Some(old.id);
    let err = documents::issue(&db, &wrong, &actor(), fake_pdf)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("того же вида"), "{err}");
});

both_backends!(letter_is_registered_as_outgoing, |db: Db| async move {
    let letter = OutgoingData {
        sent_on: day("2000-01-01"),
        addressee: "Иванову И. И.".into(),
        subject: "О перерасчёте".into(),
        method: SendMethod::Post,
        tracking_number: None,
        document_id: None,
        answers_incoming_id: None,
        account_id: None,
        person_id: None,
        note: None,
    };
    let new = NewDocument {
        kind: "letter",
        title: "Письмо: О перерасчёте".into(),
        numbering: Numbering::Outgoing(&letter),
        ..certificate(None, "2026-11-27")
    };
    let d = documents::issue(&db, &new, &actor(), fake_pdf)
        .await
        .unwrap();
    // The outgoing number (default Исх-{n}/{yy}) is the letter's number.
    assert_eq!(d.number, "Исх-1/26");
    let out_id = d.outgoing_id.expect("registered");
    let out = outgoing::get(&db, out_id).await.unwrap();
    assert_eq!(out.number, "Исх-1/26");
    assert_eq!(out.data.document_id, Some(d.id));
    assert_eq!(
        out.data.sent_on,
        day("2026-11-27"),
        "sent on the date of issue"
    );
    assert_eq!(
        outgoing::by_document(&db, d.id)
            .await
            .unwrap()
            .map(|o| o.id),
        Some(out_id)
    );
    // A failed render leaves no letter in the register either.
    let err = documents::issue(&db, &new, &actor(), |_| {
        Err(StoreError::Other("сбой".into()))
    })
    .await;
    assert!(err.is_err());
    assert_eq!(numbering::last(&db, "outgoing", 2026).await.unwrap(), 1);
    let d2 = documents::issue(&db, &new, &actor(), fake_pdf)
        .await
        .unwrap();
    assert_eq!(d2.number, "Исх-2/26");
});

both_backends!(template_overrides_are_logged, |db: Db| async move {
    let kind = "letter";
    assert!(templates::current(&db, kind).await.unwrap().is_none());
    assert!(
        !templates::revert(&db, kind, &actor()).await.unwrap(),
        "nothing to revert"
    );
    let v1 = templates::save(&db, kind, "= Версия 1", Some("первая"), &actor())
        .await
        .unwrap();
    let v2 = templates::save(&db, kind, "= Версия 2", None, &actor())
        .await
        .unwrap();
    let cur = templates::current(&db, kind).await.unwrap().unwrap();
    assert_eq!((cur.source.as_str(), cur.version_id), ("= Версия 2", v2));
    assert_eq!(
        templates::version_source(&db, v1).await.unwrap().as_deref(),
        Some("= Версия 1")
    );
    assert!(templates::revert(&db, kind, &actor()).await.unwrap());
    assert!(templates::current(&db, kind).await.unwrap().is_none());
    let log = templates::versions(&db, kind).await.unwrap();
    let actions: Vec<&str> = log.iter().map(|v| v.action.as_str()).collect();
    assert_eq!(actions, vec!["revert", "upload", "upload"]);
    assert_eq!(log[2].note.as_deref(), Some("первая"));
    // The log cannot be rewritten.
    let upd = sqlx::query("UPDATE document_template_versions SET note = 'x'")
        .execute(db.write())
        .await;
    assert!(upd.is_err());
    // Another kind is untouched.
    assert!(templates::versions(&db, "payment_document")
        .await
        .unwrap()
        .is_empty());
});

// The applications of a court packet are issued together: all or none (issue 14 §2).
both_backends!(
    several_documents_are_issued_all_or_none,
    |db: Db| async move {
        let docs = [
            certificate(None, "2026-11-27"),
            certificate(None, "2026-11-27"),
        ];
        let err = documents::issue_many(&db, &docs, &actor(), |i, n| {
            if i == 1 {
                Err(StoreError::invalid("template", "Ошибка в шаблоне"))
            } else {
                fake_pdf(n)
            }
        })
        .await
        .unwrap_err();
        assert!(matches!(err, StoreError::Invalid(_)), "{err}");
        assert_eq!(
            documents::count(&db).await.unwrap(),
            0,
            "the first is not kept"
        );
        assert_eq!(
            numbering::last(&db, "doc.registration_certificate", 2026)
                .await
                .unwrap(),
            0,
            "no number consumed"
        );
        let issued = documents::issue_many(&db, &docs, &actor(), |_, n| fake_pdf(n))
            .await
            .unwrap();
        let numbers: Vec<&str> = issued.iter().map(|d| d.number.as_str()).collect();
        assert_eq!(numbers, ["С-1/26", "С-2/26"]);
        assert_eq!(documents::count(&db).await.unwrap(), 2);
    }
);
