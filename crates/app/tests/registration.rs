//! Registration records and the registration certificate (issue 14 §1), on both databases:
//! the kind of registration, its end, kinship; the certificate lists everyone registered in
//! the premises; archiving a person ends their links; a person added with a link is saved
//! whole or not at all.

use abonent_app::documents::issue::{self, IssueRequest};
use abonent_app::{registry, App, Clock};
use abonent_documents::data::CertificateData;
use abonent_domain::registry::{
    AccountForm, LinkForm, LinkRole, PersonForm, RegistrationForm, RegistrationKind,
};
use abonent_storage::registry::{link, person};
use abonent_storage::{both_backends, history, testing, Actor, Db};
use chrono::{NaiveDate, TimeZone, Utc};

fn actor() -> Actor {
    Actor {
        user_id: None,
        name: "паспортист".into(),
    }
}

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// 27.11.2026 in the organization's zone.
fn app(db: Db) -> App {
    App::new(
        db,
        Clock::Fixed(Utc.with_ymd_and_hms(2026, 11, 27, 6, 0, 0).unwrap()),
    )
}

async fn account(app: &App, premises: i64, number: &str) -> i64 {
    let f = AccountForm {
        number: Some(number.into()),
        premises_id: Some(premises.to_string()),
        opened_on: Some("2020-01-01".into()),
        share: Some("1/2".into()),
        ..Default::default()
    };
    registry::create_account(app, &f, true, &actor())
        .await
        .unwrap()
}

fn someone(last: &str, first: &str) -> PersonForm {
    PersonForm {
        last_name: Some(last.into()),
        first_name: Some(first.into()),
        middle_name: Some("Петрович".into()),
        birth_date: Some("01.02.1990".into()),
        ..Default::default()
    }
}

fn link_form(account: i64, role: LinkRole, from: &str, r: RegistrationForm) -> LinkForm {
    LinkForm {
        account_id: Some(account.to_string()),
        role: Some(role.code().into()),
        from_date: Some(from.into()),
        registration: r,
        ..Default::default()
    }
}

/// A person added from an account card with their link; answers the person's id.
async fn add(app: &App, last: &str, first: &str, l: LinkForm) -> i64 {
    registry::create_person(app, &someone(last, first), Some(&l), true, &actor())
        .await
        .unwrap()
        .id
}

async fn certificate(app: &App, account: i64) -> CertificateData {
    let r = IssueRequest {
        kind: "registration_certificate".into(),
        account_id: Some(account),
        ..Default::default()
    };
    let p = issue::prepare(&app.db, &r, app.today().await.unwrap())
        .await
        .unwrap();
    serde_json::from_value(p.data).unwrap()
}

// The certificate of one account lists the people registered through the other account of
// the same flat too; kinship is printed in «Родство» (never the ownership role), a stay with
// its end; an unknown kind or kinship stays empty; an ended stay is not listed.
both_backends!(
    certificate_lists_everyone_registered_in_the_premises,
    |db: Db| async move {
        let app = app(db.clone());
        let (_, premises) = testing::flat(&db, "14").await;
        let first = account(&app, premises, "300141").await;
        let second = account(&app, premises, "300142").await;
        let stay = RegistrationForm {
            registration_kind: Some("stay".into()),
            stay_until: Some("2027-06-01".into()),
            kinship: Some("сын".into()),
            ..Default::default()
        };
        let owner = add(
            &app,
            "Орлов",
            "Пётр",
            link_form(first, LinkRole::Owner, "2020-01-01", Default::default()),
        )
        .await;
        // The owner is registered too, with nothing known about the registration.
        registry::create_link(
            &app,
            &LinkForm {
                person_id: Some(owner.to_string()),
                ..link_form(
                    first,
                    LinkRole::Registered,
                    "2020-02-01",
                    Default::default(),
                )
            },
            &actor(),
        )
        .await
        .unwrap();
        add(
            &app,
            "Орлов",
            "Иван",
            link_form(first, LinkRole::Registered, "2021-03-04", stay),
        )
        .await;
        let residence = RegistrationForm {
            registration_kind: Some("residence".into()),
            arrived_on: Some("2022-05-06".into()),
            kinship: Some("жена".into()),
            ..Default::default()
        };
        add(
            &app,
            "Орлова",
            "Анна",
            link_form(second, LinkRole::Registered, "2022-05-06", residence),
        )
        .await;
        let ended = RegistrationForm {
            registration_kind: Some("stay".into()),
            stay_until: Some("2026-11-26".into()),
            ..Default::default()
        };
        add(
            &app,
            "Гостев",
            "Олег",
            link_form(second, LinkRole::Registered, "2026-01-10", ended),
        )
        .await;

        let links = link::links_of_account(&db, first).await.unwrap();
        let son = links
            .iter()
            .find(|l| l.person_name.starts_with("Орлов Иван"))
            .unwrap();
        assert_eq!(
            son.link.data.registration.kind,
            Some(RegistrationKind::Stay)
        );
        assert_eq!(
            son.link.data.registration.stay_until,
            Some(day("2027-06-01"))
        );

        let c = certificate(&app, first).await;
        let rows: Vec<(String, Option<String>, Option<String>)> = c
            .persons
            .iter()
            .map(|p| {
                (
                    p.full_name.clone(),
                    p.relation.clone(),
                    p.registration.clone(),
                )
            })
            .collect();
        assert_eq!(
            rows,
            vec![
                ("Орлов Пётр Петрович".to_string(), None, None),
                (
                    "Орлов Иван Петрович".to_string(),
                    Some("сын".to_string()),
                    Some("по месту пребывания до 01.06.2027".to_string())
                ),
                (
                    "Орлова Анна Петрович".to_string(),
                    Some("жена".to_string()),
                    Some("по месту жительства".to_string())
                ),
            ],
            "{c:?}"
        );
        // The other account of the flat gives the same list.
        assert_eq!(certificate(&app, second).await.persons, c.persons);
    }
);

// Archiving a person on a date ends their links on it in the same change: they leave the
// certificate and the holders of the account, and both cards' histories show the ended link.
both_backends!(archiving_a_person_ends_their_links, |db: Db| async move {
    let app = app(db.clone());
    let (_, premises) = testing::flat(&db, "15").await;
    let acc = account(&app, premises, "300151").await;
    let owner = add(
        &app,
        "Седов",
        "Юрий",
        link_form(acc, LinkRole::Owner, "2020-01-01", Default::default()),
    )
    .await;
    registry::create_link(
        &app,
        &LinkForm {
            person_id: Some(owner.to_string()),
            ..link_form(acc, LinkRole::Registered, "2020-01-01", Default::default())
        },
        &actor(),
    )
    .await
    .unwrap();
    assert_eq!(certificate(&app, acc).await.persons.len(), 1);
    // A link change shows on the person's card as well as the account's.
    let h = history::for_card(&db, "person", owner, 100).await.unwrap();
    assert_eq!(
        h.iter()
            .filter(|e| e.entity == "account_person" && e.action == "create")
            .count(),
        2,
        "{h:?}"
    );

    registry::close_person(&app, owner, Some(day("2026-11-20")), "Умер", &actor())
        .await
        .unwrap();
    let links = link::links_of_account(&db, acc).await.unwrap();
    assert_eq!(links.len(), 2);
    for l in &links {
        assert!(l.link.closed_at.is_some(), "{l:?}");
        assert_eq!(l.link.data.to_date, Some(day("2026-11-20")));
    }
    assert!(certificate(&app, acc).await.persons.is_empty());
    let on_account = history::for_card(&db, "account", acc, 100).await.unwrap();
    assert_eq!(
        on_account
            .iter()
            .filter(|e| e.entity == "account_person" && e.action == "close")
            .count(),
        2
    );
    let on_person = history::for_card(&db, "person", owner, 100).await.unwrap();
    assert_eq!(
        on_person
            .iter()
            .filter(|e| e.entity == "account_person" && e.action == "close")
            .count(),
        2,
        "{on_person:?}"
    );
    assert!(person::get(&db, owner).await.unwrap().closed_at.is_some());
});

// A person whose link is refused (the account does not exist) is not saved either.
both_backends!(
    a_person_and_their_link_are_saved_together,
    |db: Db| async move {
        let app = app(db.clone());
        let e = registry::create_person(
            &app,
            &someone("Беспалов", "Антон"),
            Some(&link_form(
                999_999,
                LinkRole::Owner,
                "2020-01-01",
                Default::default(),
            )),
            true,
            &actor(),
        )
        .await
        .unwrap_err();
        assert!(format!("{e:?}").contains("999999"), "{e:?}");
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM persons")
            .fetch_one(db.read())
            .await
            .unwrap();
        assert_eq!(n, 0, "the person was saved without the link");
    }
);
