//! Gapless registration numbers per scope (`incoming`, `outgoing`, `doc.payment_document`…) and year.
//!
//! The counter is a row `counters(scope, year, value)` incremented inside the caller's
//! transaction: `UPDATE … RETURNING` takes the row lock, so concurrent registrations on
//! PostgreSQL wait for each other, and a transaction that rolls back gives its number back.
//! On SQLite the single writer serializes them anyway.

use abonent_domain::numbering::NumberScheme;
use sqlx::{AnyConnection, Row};

use crate::{settings, Db, Result, StoreError};

/// The next number of `scope` in `year`, counted inside the caller's transaction.
pub async fn next(conn: &mut AnyConnection, scope: &str, year: i32) -> Result<i64> {
    // Creates the row on first use; a concurrent creator makes this wait for its commit.
    sqlx::query(
        "INSERT INTO counters (scope, year, value) VALUES ($1, $2, 0) \
         ON CONFLICT (scope, year) DO NOTHING",
    )
    .bind(scope)
    .bind(i64::from(year))
    .execute(&mut *conn)
    .await?;
    let row = sqlx::query(
        "UPDATE counters SET value = value + 1 WHERE scope = $1 AND year = $2 RETURNING value",
    )
    .bind(scope)
    .bind(i64::from(year))
    .fetch_one(&mut *conn)
    .await?;
    Ok(row.get(0))
}

/// The pattern of `scope`: setting `numbering.<scope>`, else its shipped default, else `{n}`.
/// Read through `conn` (not the pool) so a caller holding a connection never waits for another.
pub async fn scheme(db: &Db, conn: &mut AnyConnection, scope: &str) -> Result<NumberScheme> {
    let key = format!("numbering.{scope}");
    let stored = match settings::cached(db, &key) {
        Some(v) => Some(v),
        None => sqlx::query("SELECT value FROM settings WHERE key = $1")
            .bind(&key)
            .fetch_optional(&mut *conn)
            .await?
            .map(|r| r.get::<String, _>(0)),
    };
    let pattern = stored
        .filter(|v| !v.trim().is_empty())
        .or_else(|| settings::default_of(&key).map(str::to_string))
        .unwrap_or_else(|| settings::GENERIC_NUMBER_PATTERN.to_string());
    NumberScheme::parse(&pattern).map_err(|m| {
        StoreError::invalid(
            &key,
            format!("Схема нумерации «{key}» неверна: {m} Исправьте её на странице «Нумерация»."),
        )
    })
}

/// The next number of `scope` in `year` and its text by the scope's pattern. The pattern is
/// checked before the counter moves, so a bad pattern consumes nothing.
pub async fn issue(
    db: &Db,
    conn: &mut AnyConnection,
    scope: &str,
    year: i32,
) -> Result<(i64, String)> {
    let scheme = scheme(db, conn, scope).await?;
    let n = next(conn, scope, year).await?;
    Ok((n, scheme.format(year, n)))
}

/// The last number given in `scope` and `year` (0 when none yet), for the numbering page.
pub async fn last(db: &Db, scope: &str, year: i32) -> Result<i64> {
    Ok(
        sqlx::query("SELECT value FROM counters WHERE scope = $1 AND year = $2")
            .bind(scope)
            .bind(i64::from(year))
            .fetch_optional(db.read())
            .await?
            .map_or(0, |r| r.get(0)),
    )
}
