//! Staff accounts, sessions, lockout and API tokens on both backends.

use abonent_domain::Role;
use abonent_storage::users::{self, LoginOutcome};
use abonent_storage::{both_backends, Db, StoreError};
use chrono::{Duration, Utc};

both_backends!(login_locks_after_repeated_failures, |db: Db| async move {
    users::create_user(
        &db,
        "ivanova",
        "Иванова Мария",
        Role::Specialist,
        "correct horse 1",
    )
    .await
    .unwrap();
    let now = Utc::now();
    for i in 1..users::MAX_FAILED_LOGINS {
        match users::login(&db, "ivanova", "wrong", now).await.unwrap() {
            LoginOutcome::Wrong { failed } => assert_eq!(failed, i),
            _ => panic!("expected a wrong password"),
        }
    }
    assert!(matches!(
        users::login(&db, "ivanova", "wrong", now).await.unwrap(),
        LoginOutcome::Locked { .. }
    ));
    // Even the right password is refused while locked...
    assert!(matches!(
        users::login(&db, "ivanova", "correct horse 1", now)
            .await
            .unwrap(),
        LoginOutcome::Locked { .. }
    ));
    // ...and accepted after the lock expires.
    let later = now + Duration::minutes(users::LOCK_MINUTES + 1);
    assert!(matches!(
        users::login(&db, "IVANOVA", "correct horse 1", later)
            .await
            .unwrap(),
        LoginOutcome::Ok(_)
    ));
});

both_backends!(sessions_and_password_change, |db: Db| async move {
    let id = users::create_user(
        &db,
        "petrov",
        "Петров Иван",
        Role::Manager,
        "first password",
    )
    .await
    .unwrap();
    let s = users::create_session(&db, id).await.unwrap();
    let (u, csrf) = users::session(&db, &s.token).await.unwrap().unwrap();
    assert_eq!(
        (u.login.as_str(), u.role, csrf),
        ("petrov", Role::Manager, s.csrf)
    );
    assert!(users::session(&db, "forged").await.unwrap().is_none());
    users::set_password(&db, id, "second password")
        .await
        .unwrap();
    assert!(
        users::session(&db, &s.token).await.unwrap().is_none(),
        "a new password ends sessions"
    );
    assert!(users::check_password(&db, id, "second password")
        .await
        .unwrap());
    assert!(!users::check_password(&db, id, "first password")
        .await
        .unwrap());
});

both_backends!(duplicate_login_and_short_password, |db: Db| async move {
    users::create_user(&db, "admin", "Админ", Role::Administrator, "long enough pw")
        .await
        .unwrap();
    match users::create_user(&db, "admin", "Другой", Role::Auditor, "long enough pw").await {
        Err(StoreError::Invalid(e)) => assert!(e.for_field("login").is_some()),
        other => panic!("{other:?}"),
    }
    match users::create_user(&db, "new", "Новый", Role::Auditor, "short").await {
        Err(StoreError::Invalid(e)) => assert!(e.for_field("password").is_some()),
        other => panic!("{other:?}"),
    }
    assert_eq!(users::count(&db).await.unwrap(), 1);
});

both_backends!(api_tokens_are_revocable, |db: Db| async move {
    let (id, secret) = users::create_token(&db, "1С выгрузка", Role::Accountant, None)
        .await
        .unwrap();
    assert_eq!(
        users::token(&db, &secret).await.unwrap().unwrap().role,
        Role::Accountant
    );
    users::revoke_token(&db, id).await.unwrap();
    assert!(users::token(&db, &secret).await.unwrap().is_none());
    assert!(users::revoke_token(&db, id).await.is_err());
});

both_backends!(
    parallel_guesses_cannot_outrun_the_lock,
    |db: Db| async move {
        users::create_user(
            &db,
            "sidorova",
            "Сидорова Анна",
            Role::Specialist,
            "right password",
        )
        .await
        .unwrap();
        let now = Utc::now();
        let mut tasks = Vec::new();
        for i in 0..41 {
            let db = db.clone();
            let password = if i == 7 {
                "right password".to_string()
            } else {
                format!("guess {i}")
            };
            tasks.push(tokio::spawn(async move {
                users::login(&db, "sidorova", &password, now).await.unwrap()
            }));
        }
        let mut right = 0;
        for t in tasks {
            right += i64::from(matches!(t.await.unwrap(), LoginOutcome::Ok(_)));
        }
        let checked = abonent_storage::login_attempts::passwords_checked(&db, "sidorova")
            .await
            .unwrap();
        assert!(
            checked - right <= users::MAX_FAILED_LOGINS,
            "{checked} checked"
        );
        assert!(matches!(
            users::login(&db, "sidorova", "right password", now)
                .await
                .unwrap(),
            LoginOutcome::Locked { .. }
        ));
        // A new password set by an administrator lifts the lock.
        let id = users::by_login(&db, "sidorova").await.unwrap().unwrap().id;
        users::set_password(&db, id, "another password")
            .await
            .unwrap();
        assert!(matches!(
            users::login(&db, "sidorova", "another password", now)
                .await
                .unwrap(),
            LoginOutcome::Ok(_)
        ));
    }
);

both_backends!(
    unknown_login_is_locked_like_a_known_one,
    |db: Db| async move {
        let now = Utc::now();
        for i in 1..users::MAX_FAILED_LOGINS {
            match users::login(&db, "stranger", "guess", now).await.unwrap() {
                LoginOutcome::Wrong { failed } => assert_eq!(failed, i),
                _ => panic!("expected a wrong password"),
            }
        }
        assert!(matches!(
            users::login(&db, "Stranger ", "guess", now).await.unwrap(),
            LoginOutcome::Locked { .. }
        ));
        assert_eq!(users::count(&db).await.unwrap(), 0);
    }
);
