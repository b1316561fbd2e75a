//! The knowledge base on both backends: versions kept, the index of the current version,
//! ranked search by word forms, read confirmations and who has not confirmed.

use abonent_domain::knowledge::search::query_terms;
use abonent_domain::knowledge::{check, ArticleDraft, Audience, LegalReference};
use abonent_domain::Role;
use abonent_storage::articles::{self, Filter};
use abonent_storage::{both_backends, users, Actor, Db, StoreError};
use chrono::NaiveDate;

fn author() -> Actor {
    Actor {
        user_id: None,
        name: "Руководитель Тестовая".into(),
    }
}

fn draft(title: &str, body: &str, category: &str) -> ArticleDraft {
    check(&ArticleDraft {
        title: title.into(),
        body: body.into(),
        category: category.into(),
        audience: Audience::Staff,
        references: vec![],
        legal_news_on: None,
    })
    .unwrap()
}

both_backends!(every_edit_is_a_new_version, |db: Db| async move {
    let id = articles::create(
        &db,
        &draft("Тариф на отопление", "Тариф утверждает РЭК.", "Тарифы"),
        &author(),
    )
    .await
    .unwrap();
    let mut second = draft(
        "Тариф на тепловую энергию",
        "Тариф утверждает региональная энергетическая комиссия.",
        "Тарифы",
    );
    second.references = vec![LegalReference {
        title: "Постановление РЭК № 1".into(),
        effective_on: NaiveDate::from_ymd_opt(2026, 7, 1).unwrap(),
    }];
    assert_eq!(
        articles::add_version(&db, id, &second, &author())
            .await
            .unwrap(),
        2
    );
    let a = articles::get(&db, id).await.unwrap();
    assert_eq!(
        (a.version, a.draft.title.as_str()),
        (2, "Тариф на тепловую энергию")
    );
    assert_eq!(a.draft.references, second.references);
    let v = articles::versions(&db, id).await.unwrap();
    assert_eq!(v.len(), 2);
    assert_eq!(v[1].draft.body, "Тариф утверждает РЭК.");
    assert_eq!(v[0].version, 2);
    // The index follows the current version: the old word is gone, the new one found.
    let f = Filter::default();
    assert!(articles::search(&db, &query_terms("РЭК"), &f, None, 10)
        .await
        .unwrap()
        .is_empty());
    assert_eq!(
        articles::search(&db, &query_terms("энергетической комиссии"), &f, None, 10)
            .await
            .unwrap()
            .len(),
        1
    );
    let h = abonent_storage::history::for_card(&db, "article", id, 10)
        .await
        .unwrap();
    assert_eq!(h.len(), 2);
    assert!(matches!(
        articles::add_version(&db, id + 100, &second, &author()).await,
        Err(StoreError::NotFound(_))
    ));
});

both_backends!(search_ranks_title_above_text, |db: Db| async move {
    let text = articles::create(
        &db,
        &draft(
            "Плата за тепло",
            "Как считается перерасчёт за отопление.",
            "Начисления",
        ),
        &author(),
    )
    .await
    .unwrap();
    let title = articles::create(
        &db,
        &draft("Перерасчёт платы за отопление", "Порядок.", "Перерасчёт"),
        &author(),
    )
    .await
    .unwrap();
    let one = articles::create(
        &db,
        &draft("Отопление летом", "Не начисляется.", "Начисления"),
        &author(),
    )
    .await
    .unwrap();
    articles::create(
        &db,
        &draft("Вывоз мусора", "Региональный оператор.", "Начисления"),
        &author(),
    )
    .await
    .unwrap();
    let q = query_terms("перерасчета отоплении");
    let hits = articles::search(&db, &q, &Filter::default(), None, 10)
        .await
        .unwrap();
    let ids: Vec<i64> = hits.iter().map(|h| h.record.id).collect();
    assert_eq!(ids, [title, text, one]);
    assert_eq!(hits[0].score.matched, 2);
    assert!(hits[0].score.weight > hits[1].score.weight);
    // The category filter and the category bonus.
    let f = Filter {
        category: Some("Начисления".into()),
        ..Default::default()
    };
    let only: Vec<i64> = articles::search(&db, &q, &f, None, 10)
        .await
        .unwrap()
        .iter()
        .map(|h| h.record.id)
        .collect();
    assert_eq!(only, [text, one]);
    let q1 = query_terms("отопление");
    let boosted = articles::search(&db, &q1, &Filter::default(), Some("Начисления"), 10)
        .await
        .unwrap();
    assert!(boosted[0].record.draft.category == "Начисления");
    let listed = articles::list(&db, &Filter::default(), 2).await.unwrap();
    assert_eq!(listed.len(), 2);
});

both_backends!(reads_are_confirmed_per_version, |db: Db| async move {
    let spec = users::create_user(
        &db,
        "spec",
        "Антонова Анна",
        Role::Specialist,
        "password one",
    )
    .await
    .unwrap();
    let other = users::create_user(
        &db,
        "spec2",
        "Борисов Борис",
        Role::Specialist,
        "password two",
    )
    .await
    .unwrap();
    users::create_user(
        &db,
        "aud",
        "Аудитор Виктор",
        Role::Auditor,
        "password three",
    )
    .await
    .unwrap();
    let plain = articles::create(&db, &draft("Памятка", "Текст.", "Прочее"), &author())
        .await
        .unwrap();
    let mut news = draft(
        "Новые сроки передачи показаний",
        "С 1 марта — до 25 числа.",
        "Счётчики",
    );
    news.legal_news_on = NaiveDate::from_ymd_opt(2026, 3, 1);
    let id = articles::create(&db, &news, &author()).await.unwrap();
    let me = Actor {
        user_id: Some(spec),
        name: "Антонова Анна".into(),
    };
    // Only legal-news articles are confirmed.
    assert!(matches!(
        articles::confirm_read(&db, plain, &me).await,
        Err(StoreError::Invalid(_))
    ));
    let names = |u: Vec<articles::Unread>| u.into_iter().map(|u| u.full_name).collect::<Vec<_>>();
    // The auditor only reads: not expected to confirm.
    assert_eq!(
        names(articles::unread(&db, id).await.unwrap()),
        ["Антонова Анна", "Борисов Борис"]
    );
    assert_eq!(articles::confirm_read(&db, id, &me).await.unwrap(), 1);
    assert_eq!(articles::confirm_read(&db, id, &me).await.unwrap(), 1);
    assert_eq!(
        names(articles::unread(&db, id).await.unwrap()),
        ["Борисов Борис"]
    );
    let feed = articles::feed(&db, Some(spec), 10).await.unwrap();
    assert_eq!(feed.len(), 1);
    assert!(feed[0].confirmed_at.is_some());
    assert!(articles::feed(&db, Some(other), 10).await.unwrap()[0]
        .confirmed_at
        .is_none());
    // A new version is to be read again; the old confirmation stays on record.
    articles::add_version(&db, id, &news, &author())
        .await
        .unwrap();
    assert_eq!(articles::unread(&db, id).await.unwrap().len(), 2);
    let reads = articles::reads(&db, id).await.unwrap();
    assert_eq!(reads.len(), 1);
    assert_eq!((reads[0].version, reads[0].user_id), (1, spec));
});
