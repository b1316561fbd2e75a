//! A specialist's correction of the classifier's suggestion at intake is kept as a labelled
//! example, and the model built at the next start learns from it and from the
//! installation's own file; on SQLite and PostgreSQL.

use abonent_app::appeals::learning;
use abonent_domain::appeal::{classify, labelled_set, AppealKind, Channel, Priority};

use crate::appeals::{self, NewAppeal};
use abonent_storage::{both_backends, Actor, Db};
use sqlx::Row;

fn actor() -> Actor {
    Actor {
        user_id: None,
        name: "Специалист".into(),
    }
}

fn appeal(premises_id: i64, substance: &str) -> NewAppeal {
    NewAppeal {
        kind: Some(AppealKind::Request),
        channel: Some(Channel::Phone),
        premises_id: Some(premises_id),
        applicant_phone: "8 (912) 345-67-89".into(),
        substance: substance.into(),
        ..Default::default()
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

/// (text, category, emergency, suggested category, suggested emergency, appeal id)
async fn kept(db: &Db) -> Vec<(String, String, i64, String, i64, i64)> {
    sqlx::query(
        "SELECT text, category, emergency, suggested_category, suggested_emergency, appeal_id \
         FROM classifier_examples ORDER BY id",
    )
    .fetch_all(db.read())
    .await
    .unwrap()
    .iter()
    .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3), r.get(4), r.get(5)))
    .collect()
}

const SIGN: &str = "прошу заменить табличку с номером дома, выцвела";

both_backends!(corrections_are_kept_and_learned, |db: Db| async move {
    let (_, p) = abonent_storage::testing::flat(&db, "5").await;
    // Left to the suggestion, or chosen as suggested: nothing to learn.
    appeals::register(&db, &appeal(p, "капает кран в ванной"), &actor())
        .await
        .unwrap();
    let mut same = appeal(p, "капает кран в ванной");
    same.category_id = Some(category(&db, "water.leak").await);
    same.priority = Some(Priority::Normal);
    appeals::register(&db, &same, &actor()).await.unwrap();
    assert!(kept(&db).await.is_empty());

    // Another category, and an emergency the classifier did not see.
    let suggested = classify(SIGN).category;
    assert_ne!(suggested, "common.door");
    let mut sign = appeal(p, SIGN);
    sign.category_id = Some(category(&db, "common.door").await);
    let a = appeals::register(&db, &sign, &actor()).await.unwrap();
    // The priority chosen against the flag, whichever way the classifier leans.
    let worry = "соседка пожилая третий день не открывает, беспокоимся";
    let flagged = classify(worry).emergency;
    let mut other_way = appeal(p, worry);
    other_way.priority = Some(if flagged {
        Priority::Normal
    } else {
        Priority::Emergency
    });
    let b = appeals::register(&db, &other_way, &actor()).await.unwrap();
    assert_eq!(b.suggested_emergency, flagged);
    let rows = kept(&db).await;
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(
        rows[0],
        (SIGN.into(), "common.door".into(), 0, suggested, 0, a.id)
    );
    assert_eq!(
        (rows[1].2, rows[1].4, rows[1].5),
        (i64::from(!flagged), i64::from(flagged), b.id)
    );

    // The next start learns them, with the installation's file.
    let dir = std::env::temp_dir().join(format!("abonent-learn-{}", rand::random::<u64>()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join(learning::FILE_NAME),
        "text\tcategory\temergency\n\
         во дворе упало дерево на машину\tother\t1\n\
         прошу покрасить скамейку\tcleaning.yard\t0\n\
         строка без полей\n",
    )
    .unwrap();
    // Trained, not installed: the other backend's test runs beside this one.
    let (model, learned) = learning::train(&db, Some(&dir)).await.unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(
        learned,
        learning::Learned {
            shipped: labelled_set().len(),
            from_file: 2,
            bad_lines: vec![4],
            corrections: 2,
        }
    );
    assert!(learned.summary().contains("пропущены строки 4"));
    assert_eq!(model.classify(SIGN).category, "common.door");
    assert_eq!(appeals::learning::corrections(&db).await.unwrap().len(), 2);
});
