//! Secrets in settings (SMTP password, SMS gateway authorization) on both databases: stored
//! sealed with the server's key, read back for sending, never written to history; an empty
//! field keeps the secret; secrets stored in plain text by an older version are sealed at
//! start (docs/SECURITY.md, «Secrets in settings»).

use abonent_app::{settings, App, Clock};
use abonent_notify::config::Config;
use abonent_storage::{both_backends, Actor, Db};
use sqlx::Row;

async fn raw(db: &Db, key: &str) -> String {
    sqlx::query("SELECT value FROM settings WHERE key = $1")
        .bind(key)
        .fetch_one(db.read())
        .await
        .unwrap()
        .get(0)
}

both_backends!(
    secrets_are_sealed_and_read_back_for_sending,
    |db: Db| async move {
        let app = App::new(db.clone(), Clock::System);
        let values = |password: &str| {
            vec![
                ("smtp.host", "smtp.uk-dom.ru".to_string()),
                ("smtp.from", "noreply@uk-dom.ru".to_string()),
                ("smtp.user", "noreply".to_string()),
                ("smtp.password", password.to_string()),
                ("sms.auth_header", "X-Api-Key: s3cr3t-77".to_string()),
            ]
        };
        settings::save_general(&app, &values(" Пароль-SMTP-42 "), &[], "admin")
            .await
            .unwrap();
        for (key, plain) in [
            ("smtp.password", "Пароль-SMTP-42"),
            ("sms.auth_header", "s3cr3t-77"),
        ] {
            let stored = raw(&db, key).await;
            assert!(!stored.contains(plain), "{key} stored as {stored}");
            assert!(stored.starts_with("sealed1:"), "{stored}");
        }
        // The sender gets the password as typed, spaces and all.
        let config = Config::from_settings(&settings::all(&app).await.unwrap());
        let smtp = config.smtp.unwrap().unwrap();
        assert_eq!(smtp.password, " Пароль-SMTP-42 ");
        let sms = abonent_storage::settings::all(&db).await.unwrap();
        assert_eq!(sms["sms.auth_header"], "X-Api-Key: s3cr3t-77");

        // An empty field keeps the secret; «clear» empties it.
        settings::save_general(&app, &values(""), &[], "admin")
            .await
            .unwrap();
        assert_eq!(
            settings::get(&app, "smtp.password").await.unwrap(),
            " Пароль-SMTP-42 "
        );
        settings::save_general(&app, &values(""), &["smtp.password"], "admin")
            .await
            .unwrap();
        assert_eq!(settings::get(&app, "smtp.password").await.unwrap(), "");

        // A save with a history entry tells that the secret changed, not what it is.
        let actor = Actor::system("тест");
        settings::save_many(
            &app,
            &[("smtp.password", "другой-пароль-9".into())],
            &actor,
            "Почта",
        )
        .await
        .unwrap();
        let history: Vec<String> = sqlx::query(
            "SELECT COALESCE(before_json, '') || COALESCE(after_json, '') FROM history WHERE entity = 'settings'",
        )
        .fetch_all(db.read())
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
        assert!(!history.is_empty());
        assert!(
            history.iter().all(|h| !h.contains("другой-пароль-9")),
            "{history:?}"
        );
        assert_eq!(
            settings::get(&app, "smtp.password").await.unwrap(),
            "другой-пароль-9"
        );

        // A secret an older version stored in plain text is read, and sealed at start.
        sqlx::query("UPDATE settings SET value = 'старый-пароль' WHERE key = 'smtp.password'")
            .execute(db.write())
            .await
            .unwrap();
        assert_eq!(
            abonent_storage::settings::get(&db, "smtp.password")
                .await
                .unwrap(),
            "старый-пароль"
        );
        assert_eq!(settings::seal_legacy_secrets(&app).await.unwrap(), 1);
        assert!(!raw(&db, "smtp.password").await.contains("старый-пароль"));
        assert_eq!(
            settings::get(&app, "smtp.password").await.unwrap(),
            "старый-пароль"
        );
        assert_eq!(settings::seal_legacy_secrets(&app).await.unwrap(), 0);

        // Another server's key cannot open it: the secret reads as not set.
        let other = db
            .clone()
            .with_secret_key(abonent_storage::crypto::Key::generate());
        assert_eq!(
            abonent_storage::settings::get(&other, "smtp.password")
                .await
                .unwrap(),
            ""
        );
    }
);
