//! Staff accounts, their passwords and API tokens: the administrator's page, the person's
//! own profile and the `abonent user` command all change them through these use cases.
//! Lists and sign-in stay in `abonent_storage::users`.

use abonent_domain::{Role, ValidationErrors};
use abonent_storage::users;

use crate::{App, AppError};

/// Creates a staff account; answers its id. `role` is `None` when none was chosen.
pub async fn create_user(
    app: &App,
    login: &str,
    full_name: &str,
    role: Option<Role>,
    password: &str,
) -> Result<i64, AppError> {
    let Some(role) = role else {
        return Err(AppError::field("role", "Выберите роль пользователя."));
    };
    Ok(users::create_user(&app.db, login, full_name, role, password).await?)
}

/// Turns a staff account on or off; `by` is the acting user, who may not turn themselves off.
pub async fn set_active(
    app: &App,
    user_id: i64,
    active: bool,
    by: Option<i64>,
) -> Result<(), AppError> {
    if by == Some(user_id) {
        return Err(AppError::BadRequest(
            "Нельзя отключить собственную учётную запись.".into(),
        ));
    }
    Ok(users::set_active(&app.db, user_id, active).await?)
}

/// Sets a new password (an administrator's reset); every session of the user ends.
pub async fn set_password(app: &App, user_id: i64, password: &str) -> Result<(), AppError> {
    Ok(users::set_password(&app.db, user_id, password).await?)
}

/// A person changes their own password: the current one, the new one twice. Every refusal is
/// told at once.
pub async fn change_password(
    app: &App,
    user_id: i64,
    current: &str,
    password: &str,
    repeat: &str,
) -> Result<(), AppError> {
    let mut e = ValidationErrors::new();
    if !users::check_password(&app.db, user_id, current).await? {
        e.add("current", "Текущий пароль введён неверно.");
    }
    if password != repeat {
        e.add(
            "repeat",
            "Пароли не совпадают: введите новый пароль ещё раз.",
        );
    }
    if let Err(v) = users::validate_password(password) {
        e.0.extend(v.0);
    }
    if !e.is_empty() {
        return Err(AppError::Invalid(e));
    }
    set_password(app, user_id, password).await
}

/// Issues an API token; answers its id and the secret, which is shown once. `role` is `None`
/// when none was chosen; `by` is the issuing user.
pub async fn create_token(
    app: &App,
    name: &str,
    role: Option<Role>,
    by: Option<i64>,
) -> Result<(i64, String), AppError> {
    let Some(role) = role else {
        return Err(AppError::field("role", "Выберите роль токена."));
    };
    Ok(users::create_token(&app.db, name, role, by).await?)
}

/// Revokes an API token.
pub async fn revoke_token(app: &App, id: i64) -> Result<(), AppError> {
    Ok(users::revoke_token(&app.db, id).await?)
}
