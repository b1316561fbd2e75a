//! Gapless registration numbers per scope (`incoming`, `outgoing`, `doc.payment_document`…) and year.
//!
//! The counter is a row `counters(scope, year, value)` incremented inside the caller's
//! transaction: `UPDATE … RETURNING` takes the row lock, so concurrent registrations on
//! PostgreSQL wait for each other, and a transaction that rolls back gives its number back.
//! On SQLite the single writer serializes them anyway.

use abonent_domain::numbering::NumberScheme;
use sqlx::{AnyConnection, Row};

use crate::{Db, Result, StoreError};

/// The next number of `scope` in `year`, counted inside the caller's transaction.
pub async fn next(conn: &mut AnyConnection, scope: &str, year: i32) -> Result<i64> {
    next_n(conn, scope, year, 1).await
}

/// Takes the next `n` numbers of `scope` in `year` at once; returns the last of them.
pub async fn next_n(conn: &mut AnyConnection, scope: &str, year: i32, n: i64) -> Result<i64> {
    if let Some(row) = bump(conn, scope, year, n).await? {
        return Ok(row.get(0));
    }
    // First number of the year: create the row; a concurrent creator makes this wait for
    // its commit, and then both bump the same row.
    sqlx::query(
        "INSERT INTO counters (scope, year, value) VALUES ($1, $2, 0) \
         ON CONFLICT (scope, year) DO NOTHING",
    )
    .bind(scope)
    .bind(i64::from(year))
    .execute(&mut *conn)
    .await?;
    let row = bump(conn, scope, year, n).await?.ok_or_else(|| {
        StoreError::Other(format!(
            "number counter {scope:?} of {year} was not created"
        ))
    })?;
    Ok(row.get(0))
}

async fn bump(
    conn: &mut AnyConnection,
    scope: &str,
    year: i32,
    n: i64,
) -> Result<Option<sqlx::any::AnyRow>> {
    Ok(sqlx::query(
        "UPDATE counters SET value = value + $3 WHERE scope = $1 AND year = $2 RETURNING value",
    )
    .bind(scope)
    .bind(i64::from(year))
    .bind(n)
    .fetch_optional(conn)
    .await?)
}

/// The pattern of `scope`: setting `numbering.<scope>`, else its shipped default, else `{n}`.
/// Read through `conn` (not the pool) so a caller holding a connection never waits for another.
pub async fn scheme(conn: &mut AnyConnection, scope: &str) -> Result<NumberScheme> {
    let key = format!("numbering.{scope}");
    let stored = sqlx::query("SELECT value FROM settings WHERE key = $1")
        .bind(&key)
        .fetch_optional(&mut *conn)
        .await?
        .map(|r| r.get::<String, _>(0));
    parse_scheme(&key, stored)
}

/// The pattern of `scope` from an already read setting value (empty: the default).
pub fn scheme_of(scope: &str, stored: &str) -> Result<NumberScheme> {
    parse_scheme(&format!("numbering.{scope}"), Some(stored.to_string()))
}

fn parse_scheme(key: &str, stored: Option<String>) -> Result<NumberScheme> {
    let pattern = stored
        .filter(|v| !v.trim().is_empty())
        .or_else(|| abonent_domain::settings::default_of(key).map(str::to_string))
        .unwrap_or_else(|| abonent_domain::settings::GENERIC_NUMBER_PATTERN.to_string());
    NumberScheme::parse(&pattern).map_err(|m| abonent_domain::numbering::bad_scheme(key, &m).into())
}

/// The next number of `scope` in `year` and its text by the scope's pattern. The pattern is
/// checked before the counter moves, so a bad pattern consumes nothing.
pub async fn issue(conn: &mut AnyConnection, scope: &str, year: i32) -> Result<(i64, String)> {
    let scheme = scheme(conn, scope).await?;
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
