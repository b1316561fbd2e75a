//! The staff's use cases, which the administrator's pages, the profile and the command line
//! share, on both databases.

use abonent_app::{users, App, AppError, Clock};
use abonent_domain::Role;
use abonent_storage::{both_backends, Db};

both_backends!(staff_changes_keep_their_rules, |db: Db| async move {
    let app = App::new(db, Clock::System);
    let e = users::create_user(&app, "petrov", "Петров", None, "очень-длинный-пароль")
        .await
        .unwrap_err();
    assert_eq!(
        e.detail(),
        "Исправьте поля: role: Выберите роль пользователя."
    );
    let id = users::create_user(
        &app,
        "petrov",
        "Петров",
        Some(Role::Specialist),
        "очень-длинный-пароль",
    )
    .await
    .unwrap();
    let e = users::set_active(&app, id, false, Some(id))
        .await
        .unwrap_err();
    assert_eq!(e.detail(), "Нельзя отключить собственную учётную запись.");
    users::set_active(&app, id, false, None).await.unwrap();
    let e = users::change_password(&app, id, "не тот", "новый-пароль-123", "другой")
        .await
        .unwrap_err();
    let AppError::Invalid(v) = e else {
        panic!("{e:?}")
    };
    let fields: Vec<&str> = v.0.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["current", "repeat"]);
    users::change_password(
        &app,
        id,
        "очень-длинный-пароль",
        "новый-пароль-123",
        "новый-пароль-123",
    )
    .await
    .unwrap();
    let e = users::create_token(&app, "интеграция", None, None)
        .await
        .unwrap_err();
    assert_eq!(e.detail(), "Исправьте поля: role: Выберите роль токена.");
    let (token, secret) = users::create_token(&app, "интеграция", Some(Role::Auditor), None)
        .await
        .unwrap();
    assert!(secret.starts_with("abn_"));
    users::revoke_token(&app, token).await.unwrap();
});
