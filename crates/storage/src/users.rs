//! Staff accounts, sessions, login throttling and API tokens.
//! Secrets (session ids, API tokens) are stored only as SHA-256 hashes.

use std::sync::LazyLock;

use abonent_domain::missing::Missing;
use abonent_domain::Role;
use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use chrono::{DateTime, Duration, Utc};
use rand::RngCore;
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::login_attempts::{self, Claimed};
use crate::{time, Db, Result, StoreError};

/// Failed logins before a temporary lock, and how long the lock lasts.
pub const MAX_FAILED_LOGINS: i64 = 5;
pub const LOCK_MINUTES: i64 = 15;
pub const SESSION_HOURS: i64 = 12;

#[derive(Debug, Clone, Serialize)]
pub struct User {
    pub id: i64,
    pub login: String,
    pub full_name: String,
    pub role: Role,
    pub active: bool,
}

pub enum LoginOutcome {
    Ok(User),
    /// Wrong login or password; `failed` counts this login's consecutive failures.
    Wrong {
        failed: i64,
    },
    Locked {
        until: DateTime<Utc>,
    },
}

fn hash_secret(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

fn new_secret() -> String {
    let mut b = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut b);
    hex::encode(b)
}

pub fn hash_password(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 hashing with a fresh salt")
        .to_string()
}

fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

pub use abonent_domain::users::validate_password;

fn user_from_row(r: &sqlx::any::AnyRow) -> User {
    User {
        id: r.get("id"),
        login: r.get("login"),
        full_name: r.get("full_name"),
        role: Role::from_code(&r.get::<String, _>("role")).unwrap_or(Role::Auditor),
        active: r.get::<i64, _>("active") != 0,
    }
}

const USER_COLS: &str = "id, login, full_name, role, active";

pub async fn create_user(
    db: &Db,
    login: &str,
    full_name: &str,
    role: Role,
    password: &str,
) -> Result<i64> {
    let login = login.trim().to_lowercase();
    let full_name = abonent_domain::users::check_new_user(&login, full_name, password)?;
    let now = db.now_text();
    let res = sqlx::query(
        "INSERT INTO users (login, full_name, role, password_hash, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
    )
    .bind(&login)
    .bind(&full_name)
    .bind(role.code())
    .bind(hash_password(password))
    .bind(&now)
    .fetch_one(db.write())
    .await
    .map_err(StoreError::from);
    match res {
        Ok(r) => Ok(r.get(0)),
        Err(e) if e.is_unique_violation() => Err(abonent_domain::users::login_taken(&login).into()),
        Err(e) => Err(e),
    }
}

pub async fn set_password(db: &Db, user_id: i64, password: &str) -> Result<()> {
    validate_password(password)?;
    let n = sqlx::query(
        "UPDATE users SET password_hash = $1, failed_count = 0, locked_until = NULL, updated_at = $2 WHERE id = $3",
    )
    .bind(hash_password(password))
    .bind(db.now_text())
    .bind(user_id)
    .execute(db.write())
    .await?
    .rows_affected();
    if n == 0 {
        return Err(Missing::User.into());
    }
    login_attempts::forget_user(db, user_id).await?;
    // A new password ends every other session of this user.
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user_id)
        .execute(db.write())
        .await?;
    Ok(())
}

pub async fn check_password(db: &Db, user_id: i64, password: &str) -> Result<bool> {
    let row = sqlx::query("SELECT password_hash FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_optional(db.read())
        .await?;
    Ok(row.is_some_and(|r| verify_password(password, &r.get::<String, _>(0))))
}

pub async fn by_login(db: &Db, login: &str) -> Result<Option<User>> {
    let row = sqlx::query(&format!("SELECT {USER_COLS} FROM users WHERE login = $1"))
        .bind(login.trim().to_lowercase())
        .fetch_optional(db.read())
        .await?;
    Ok(row.as_ref().map(user_from_row))
}

pub async fn list(db: &Db) -> Result<Vec<User>> {
    let rows = sqlx::query(&format!("SELECT {USER_COLS} FROM users ORDER BY login"))
        .fetch_all(db.read())
        .await?;
    Ok(rows.iter().map(user_from_row).collect())
}

pub async fn count(db: &Db) -> Result<i64> {
    Ok(sqlx::query("SELECT COUNT(*) FROM users")
        .fetch_one(db.read())
        .await?
        .get(0))
}

/// Check a login. Failures are counted per login as typed, known or not, and lock it after
/// `MAX_FAILED_LOGINS` within `LOCK_MINUTES` of one another (see `login_attempts`); an unknown login is checked against a dummy
/// hash of the same cost, so it answers as slowly and with the same outcomes as a known one.
pub async fn login(
    db: &Db,
    login: &str,
    password: &str,
    now: DateTime<Utc>,
) -> Result<LoginOutcome> {
    let login = login.trim().to_lowercase();
    let row = sqlx::query(&format!(
        "SELECT {USER_COLS}, password_hash FROM users WHERE login = $1"
    ))
    .bind(&login)
    .fetch_optional(db.read())
    .await?;
    let lock = Duration::minutes(LOCK_MINUTES);
    let claim = match login_attempts::claim(db, &login, now, MAX_FAILED_LOGINS, lock).await? {
        Claimed::Go(c) => c,
        Claimed::Locked(until) => return Ok(LoginOutcome::Locked { until }),
    };
    let hash = row.as_ref().map(|r| r.get::<String, _>("password_hash"));
    let right = verify_password(password, hash.as_deref().unwrap_or(DUMMY_HASH.as_str()));
    match row.as_ref().map(user_from_row) {
        Some(user) if right && user.active => {
            login_attempts::succeeded(db, &login, &claim).await?;
            Ok(LoginOutcome::Ok(user))
        }
        _ => Ok(match claim.locks_until {
            Some(until) => LoginOutcome::Locked { until },
            None => LoginOutcome::Wrong {
                failed: claim.failed,
            },
        }),
    }
}

/// What an unknown login's password is checked against: a hash of the same cost as real ones.
static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| hash_password("no such user here"));

pub async fn set_active(db: &Db, user_id: i64, active: bool) -> Result<()> {
    sqlx::query("UPDATE users SET active = $1, updated_at = $2 WHERE id = $3")
        .bind(active as i64)
        .bind(db.now_text())
        .bind(user_id)
        .execute(db.write())
        .await?;
    if !active {
        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user_id)
            .execute(db.write())
            .await?;
    }
    Ok(())
}

pub struct NewSession {
    pub token: String,
    pub csrf: String,
}

pub async fn create_session(db: &Db, user_id: i64) -> Result<NewSession> {
    let token = new_secret();
    let csrf = new_secret();
    let now = db.now();
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(hash_secret(&token))
    .bind(user_id)
    .bind(&csrf)
    .bind(time::fmt(now))
    .bind(time::fmt(now + Duration::hours(SESSION_HOURS)))
    .execute(db.write())
    .await?;
    Ok(NewSession { token, csrf })
}

/// The user and CSRF token of a live session.
pub async fn session(db: &Db, token: &str) -> Result<Option<(User, String)>> {
    let row = sqlx::query(
        "SELECT u.id, u.login, u.full_name, u.role, u.active, s.csrf_token, s.expires_at \
         FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1",
    )
    .bind(hash_secret(token))
    .fetch_optional(db.read())
    .await?;
    let Some(row) = row else { return Ok(None) };
    let expires = time::parse(&row.get::<String, _>("expires_at"));
    let user = user_from_row(&row);
    if !user.active || expires.is_none_or(|e| e <= db.now()) {
        return Ok(None);
    }
    Ok(Some((user, row.get("csrf_token"))))
}

pub async fn delete_session(db: &Db, token: &str) -> Result<()> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(hash_secret(token))
        .execute(db.write())
        .await?;
    Ok(())
}

#[derive(Debug, Clone, Serialize)]
pub struct ApiToken {
    pub id: i64,
    pub name: String,
    pub role: Role,
    pub created_at: String,
    pub revoked_at: Option<String>,
    pub last_used_at: Option<String>,
}

/// Create a token; the secret is returned once and never stored in clear.
pub async fn create_token(
    db: &Db,
    name: &str,
    role: Role,
    created_by: Option<i64>,
) -> Result<(i64, String)> {
    let name = abonent_domain::users::check_token_name(name)?;
    let secret = format!("abn_{}", new_secret());
    let row = sqlx::query(
        "INSERT INTO api_tokens (name, token_hash, role, created_by, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(&name)
    .bind(hash_secret(&secret))
    .bind(role.code())
    .bind(created_by)
    .bind(db.now_text())
    .fetch_one(db.write())
    .await?;
    Ok((row.get(0), secret))
}

/// The live token behind a bearer secret.
pub async fn token(db: &Db, secret: &str) -> Result<Option<ApiToken>> {
    let row = sqlx::query(
        "SELECT id, name, role, created_at, revoked_at, last_used_at FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL",
    )
    .bind(hash_secret(secret))
    .fetch_optional(db.read())
    .await?;
    Ok(row.map(|r| token_from_row(&r)))
}

fn token_from_row(r: &sqlx::any::AnyRow) -> ApiToken {
    ApiToken {
        id: r.get("id"),
        name: r.get("name"),
        role: Role::from_code(&r.get::<String, _>("role")).unwrap_or(Role::Auditor),
        created_at: r.get("created_at"),
        revoked_at: r.get("revoked_at"),
        last_used_at: r.get("last_used_at"),
    }
}

pub async fn list_tokens(db: &Db) -> Result<Vec<ApiToken>> {
    let rows = sqlx::query(
        "SELECT id, name, role, created_at, revoked_at, last_used_at FROM api_tokens ORDER BY id DESC",
    )
    .fetch_all(db.read())
    .await?;
    Ok(rows.iter().map(token_from_row).collect())
}

pub async fn revoke_token(db: &Db, id: i64) -> Result<()> {
    let n =
        sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
            .bind(db.now_text())
            .bind(id)
            .execute(db.write())
            .await?
            .rows_affected();
    if n == 0 {
        return Err(Missing::Token.into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_logins_are_checked_at_the_cost_of_a_real_hash() {
        let cost = |h: &str| {
            let h = PasswordHash::new(h).unwrap();
            (h.algorithm.to_string(), h.version, h.params.to_string())
        };
        assert_eq!(cost(&DUMMY_HASH), cost(&hash_password("any password")));
    }
}
