//! Loading the demo company into SQLite and PostgreSQL.

use std::sync::atomic::{AtomicUsize, Ordering};

use abonent_demo::{generate, load, load_in_chunks, DemoConfig, ACTOR_NAME};
use abonent_domain::registry::BuildingData;
use abonent_storage::registry::{account, building, link, person};
use abonent_storage::search::{self, HitKind};
use abonent_storage::{both_backends, history, Actor, Db, StoreError};

async fn count(db: &Db, table: &str) -> usize {
    sqlx::query_scalar::<_, i64>(&format!("SELECT COUNT(*) FROM {table}"))
        .fetch_one(db.read())
        .await
        .unwrap() as usize
}

const CFG: DemoConfig = DemoConfig {
    accounts: 300,
    seed: 7,
};

both_backends!(small_company_loads_and_reads_back, |db: Db| async move {
    let company = generate(&CFG);
    let calls = AtomicUsize::new(0);
    let last = AtomicUsize::new(0);
    // Small chunks: many transactions.
    let stats = load_in_chunks(&db, &CFG, 2, &|done, total| {
        calls.fetch_add(1, Ordering::Relaxed);
        last.store(done, Ordering::Relaxed);
        assert!(done <= total);
    })
    .await
    .unwrap();
    assert_eq!(
        calls.load(Ordering::Relaxed),
        company.buildings.len().div_ceil(2)
    );
    assert_eq!(last.load(Ordering::Relaxed), company.accounts.len());

    assert_eq!(stats.buildings, company.buildings.len());
    assert_eq!(stats.accounts, company.accounts.len());
    assert_eq!(count(&db, "buildings").await, company.buildings.len());
    assert_eq!(count(&db, "premises").await, company.premises.len());
    assert_eq!(count(&db, "accounts").await, company.accounts.len());
    assert_eq!(count(&db, "persons").await, company.persons.len());
    assert_eq!(count(&db, "account_persons").await, company.links.len());
    assert_eq!(count(&db, "benefits").await, company.benefits.len());
    let records = company.buildings.len()
        + company.premises.len()
        + company.accounts.len()
        + company.persons.len()
        + company.links.len()
        + company.benefits.len();
    // The maintenance tariffs the charges were made by: a history entry each.
    let tariffs = abonent_demo::ledger::maintenance_tariffs().len();
    assert!(tariffs >= 3, "36 months span three July indexations");
    assert_eq!(count(&db, "tariffs").await, tariffs);
    assert_eq!(stats.history_rows, records + tariffs);
    assert_eq!(count(&db, "history").await, records + tariffs);
    assert_eq!(count(&db, "search_tokens").await, stats.search_tokens);
    let indexed: i64 =
        sqlx::query_scalar("SELECT COUNT(DISTINCT ref_id) FROM search_tokens WHERE kind = 'a'")
            .fetch_one(db.read())
            .await
            .unwrap();
    assert_eq!(indexed as usize, company.accounts.len());
    let indexed: i64 =
        sqlx::query_scalar("SELECT COUNT(DISTINCT ref_id) FROM search_tokens WHERE kind = 'p'")
            .fetch_one(db.read())
            .await
            .unwrap();
    assert_eq!(indexed as usize, company.persons.len());

    // An account on a street without digits in its name, found back every way.
    let (ai, a) = company
        .accounts
        .iter()
        .enumerate()
        .find(|(_, a)| {
            let p = &company.premises[a.premises];
            let b = &company.buildings[p.building];
            p.data.residential && !b.street.chars().any(|c| c.is_ascii_digit())
        })
        .unwrap();
    let p = &company.premises[a.premises];
    let b = &company.buildings[p.building];
    let stored = account::by_number(&db, &a.data.number)
        .await
        .unwrap()
        .expect("account stored");
    assert_eq!(stored.data.opened_on, a.data.opened_on);
    assert_eq!(stored.data.share, a.data.share);
    assert_eq!(stored.premises_label, format!("кв. {}", p.data.number));
    assert!(stored.address.contains(&b.street), "{}", stored.address);
    let got = account::get(&db, stored.id).await.unwrap();
    assert_eq!(got.data.number, a.data.number);
    let links = link::links_of_account(&db, stored.id).await.unwrap();
    let want: Vec<_> = company.links.iter().filter(|l| l.account == ai).collect();
    assert_eq!(links.len(), want.len());
    for w in &want {
        let person = &company.persons[w.person];
        assert!(
            links.iter().any(|l| l.link.data.role == w.role
                && l.link.data.share == w.share
                && l.person_name == person.full_name()),
            "{:?}",
            person.full_name()
        );
    }
    let text = format!("{} {} {}", b.street, b.house, p.data.number);
    let hits = search::search(&db, &text, 50).await.unwrap();
    assert!(
        hits.iter()
            .any(|h| h.kind == HitKind::Account && h.id == stored.id),
        "{text}: {hits:?}"
    );
    let hits = search::search(&db, &a.data.number, 10).await.unwrap();
    assert!(hits.iter().any(|h| h.id == stored.id));

    // A person by phone, with the stored data equal to the generated one.
    let (pi, pd) = company
        .persons
        .iter()
        .enumerate()
        .find(|(_, p)| !p.phones.is_empty())
        .unwrap();
    let hits = search::search(&db, &pd.phones[0], 10).await.unwrap();
    let hit = hits
        .iter()
        .find(|h| h.kind == HitKind::Person)
        .expect("person found by phone");
    assert_eq!(hit.title, pd.full_name());
    let stored_person = person::get(&db, hit.id).await.unwrap();
    assert_eq!(&stored_person.data, pd);
    assert_eq!(
        link::links_of_person(&db, hit.id).await.unwrap().len(),
        company.links.iter().filter(|l| l.person == pi).count()
    );

    // History: a create row by the demo actor, with the data.
    let h = history::for_card(&db, "account", stored.id, 50)
        .await
        .unwrap();
    let created = h
        .iter()
        .find(|e| e.entity == "account" && e.action == "create")
        .expect("account create in history");
    assert_eq!(created.actor_name, ACTOR_NAME);
    assert_eq!(created.after.as_ref().unwrap()["number"], a.data.number);
    assert!(h.iter().any(|e| e.entity == "account_person"));
    let h = history::for_card(&db, "building", got.building_id, 500)
        .await
        .unwrap();
    assert!(h
        .iter()
        .any(|e| e.entity == "building" && e.action == "create"));
    assert!(h
        .iter()
        .any(|e| e.entity == "premises" && e.action == "create"));

    // Ordinary inserts afterwards get fresh ids.
    let data: BuildingData = building::get(&db, got.building_id).await.unwrap().data;
    let id = building::create(&db, &data, &Actor::system("Тест"))
        .await
        .unwrap();
    assert_eq!(id as usize, company.buildings.len() + 1);

    // A second load is refused and changes nothing.
    let before = count(&db, "history").await;
    let err = load(&db, &CFG, &|_, _| {}).await.unwrap_err();
    match &err {
        StoreError::Other(m) => assert!(m.contains("уже есть лицевые счета"), "{m}"),
        e => panic!("{e:?}"),
    }
    assert_eq!(count(&db, "accounts").await, company.accounts.len());
    assert_eq!(count(&db, "history").await, before);
});

async fn debt_rows(db: &Db) -> Vec<(i64, i64, i64)> {
    use sqlx::Row;
    sqlx::query("SELECT account_id, debt, months FROM account_debts ORDER BY account_id")
        .fetch_all(db.read())
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect()
}

both_backends!(demo_ledger_is_consistent, |db: Db| async move {
    use abonent_storage::ledger::{debts, penalties};
    let stats = load(&db, &CFG, &|_, _| {}).await.unwrap();
    assert!(stats.ledger_entries > stats.accounts * 36, "{stats:?}");
    assert_eq!(count(&db, "ledger_entries").await, stats.ledger_entries);
    // The summary the loader wrote is what the storage computes from the ledger.
    let written = debt_rows(&db).await;
    assert_eq!(written.len(), stats.accounts);
    debts::refresh(&db, None, abonent_demo::AS_OF)
        .await
        .unwrap();
    assert_eq!(debt_rows(&db).await, written);
    // Chronic debtors: many months of debt.
    let f = debts::DebtorFilter {
        min_months: Some(6),
        ..Default::default()
    };
    let page = debts::debtors(
        &db,
        &f,
        abonent_storage::registry::PageReq::new(None, None),
        abonent_demo::AS_OF,
    )
    .await
    .unwrap();
    assert!(
        page.total >= 1,
        "no chronic debtor among {} accounts",
        stats.accounts
    );
    // Late payers and debtors accrue penalties for the last month.
    let run = penalties::run_month(
        &db,
        abonent_domain::ledger::Period::new(2026, 9).unwrap(),
        &Actor::system("тест"),
        &|_, _| {},
    )
    .await
    .unwrap();
    assert!(
        run.posted > 0 && run.amount > 0 && run.errors.is_empty(),
        "{run:?}"
    );
});
