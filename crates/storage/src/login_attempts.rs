//! Sign-in throttling per login as typed, known or not (an unknown login must answer like a
//! known one). An attempt is claimed by one conditional UPDATE before its password is
//! checked and counts as a failure in advance: parallel attempts cannot all pass the limit,
//! and a lock set by one attempt is never cleared by another's late write.
//!
//! A success gives back only its own attempt, never the failures before it: otherwise the
//! owner signing in during a guessing storm would hand the guesser a fresh set of tries. The
//! count restarts when a lock expires or after a lock's length without attempts.

use chrono::{DateTime, Duration, Utc};
use sqlx::Row;

use crate::{time, Db, Result};

/// An attempt allowed to check its password.
pub(crate) struct Claim {
    /// Failures in a row, this attempt included.
    pub failed: i64,
    /// Set when this attempt reached the limit: the login is locked (a success does not lift it).
    pub locks_until: Option<DateTime<Utc>>,
}

pub(crate) enum Claimed {
    Go(Claim),
    Locked(DateTime<Utc>),
}

/// Claims an attempt for `login` unless it is locked at `now`.
pub(crate) async fn claim(
    db: &Db,
    login: &str,
    now: DateTime<Utc>,
    max_failed: i64,
    lock: Duration,
) -> Result<Claimed> {
    let now_text = time::fmt(now);
    let until = now + lock;
    sqlx::query(
        "INSERT INTO login_attempts (login, updated_at) VALUES ($1, $2) \
         ON CONFLICT (login) DO NOTHING",
    )
    .bind(login)
    .bind(&now_text)
    .execute(db.write())
    .await?;
    // An expired lock or a quiet spell starts a new count; every right-hand side reads the
    // row as it was before this UPDATE.
    let row = sqlx::query(
        "UPDATE login_attempts SET attempts = attempts + 1, \
         failed = CASE WHEN locked_until IS NULL AND updated_at > $5 THEN failed + 1 ELSE 1 END, \
         locked_until = CASE WHEN \
             (CASE WHEN locked_until IS NULL AND updated_at > $5 THEN failed + 1 ELSE 1 END) >= $2 \
             THEN $3 ELSE NULL END, \
         updated_at = $4 \
         WHERE login = $1 AND (locked_until IS NULL OR locked_until <= $4) \
         RETURNING attempts, failed",
    )
    .bind(login)
    .bind(max_failed)
    .bind(time::fmt(until))
    .bind(&now_text)
    .bind(time::fmt(now - lock))
    .fetch_optional(db.write())
    .await?;
    if let Some(r) = row {
        let failed: i64 = r.get("failed");
        return Ok(Claimed::Go(Claim {
            failed,
            locks_until: (failed >= max_failed).then_some(until),
        }));
    }
    let locked: Option<String> =
        sqlx::query("SELECT locked_until FROM login_attempts WHERE login = $1")
            .bind(login)
            .fetch_optional(db.write())
            .await?
            .and_then(|r| r.get("locked_until"));
    Ok(Claimed::Locked(
        locked.as_deref().and_then(time::parse).unwrap_or(until),
    ))
}

/// The claimed attempt's password was right: it gives back its own attempt. A lock stays
/// even when this attempt set it: with guesses arriving in parallel, a right password that
/// happened to be the last claim before the limit must not reopen the login to them.
pub(crate) async fn succeeded(db: &Db, login: &str, _claim: &Claim) -> Result<()> {
    sqlx::query(
        "UPDATE login_attempts SET failed = CASE WHEN failed > 0 THEN failed - 1 ELSE 0 END \
         WHERE login = $1",
    )
    .bind(login)
    .execute(db.write())
    .await?;
    Ok(())
}

/// How many passwords have been checked for `login` (known or not), ever.
pub async fn passwords_checked(db: &Db, login: &str) -> Result<i64> {
    Ok(
        sqlx::query("SELECT attempts FROM login_attempts WHERE login = $1")
            .bind(login.trim().to_lowercase())
            .fetch_optional(db.read())
            .await?
            .map_or(0, |r| r.get("attempts")),
    )
}

/// Forgets the failures of a user's login (a new password unlocks it).
pub(crate) async fn forget_user(db: &Db, user_id: i64) -> Result<()> {
    sqlx::query(
        "DELETE FROM login_attempts WHERE login IN (SELECT login FROM users WHERE id = $1)",
    )
    .bind(user_id)
    .execute(db.write())
    .await?;
    Ok(())
}
