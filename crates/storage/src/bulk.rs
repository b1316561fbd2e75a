//! Fast inserts of many rows on both backends: multi-row `INSERT … VALUES (…), (…)` in
//! statements of at most [`MAX_PARAMS`] parameters, and explicit ids reserved up front so
//! that rows can refer to each other before they are written.
//!
//! Use inside a transaction on a connection from `db.write()`:
//!
//! ```text
//! let mut tx = db.write().begin().await?;
//! let first = bulk::reserve_ids(&mut tx, db.backend(), "buildings", rows.len()).await?;
//! bulk::insert_rows(&mut tx, "buildings", &["id", "region", /* … */], &rows).await?;
//! bulk::fix_sequences(&mut tx, db.backend(), &["buildings"]).await?;
//! tx.commit().await?;
//! ```

use std::fmt::Write as _;

use sqlx::AnyConnection;

use crate::{Backend, Result, StoreError};

/// Parameters per statement: under SQLite's 32 766 and PostgreSQL's 65 535.
pub const MAX_PARAMS: usize = 30_000;

/// One value of a row. `Null` is written as a literal `NULL` (no parameter), so it fits a
/// column of any type on both backends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BulkValue {
    Int(i64),
    Text(String),
    Null,
}

impl From<i64> for BulkValue {
    fn from(v: i64) -> Self {
        BulkValue::Int(v)
    }
}

impl From<i32> for BulkValue {
    fn from(v: i32) -> Self {
        BulkValue::Int(i64::from(v))
    }
}

impl From<bool> for BulkValue {
    fn from(v: bool) -> Self {
        BulkValue::Int(i64::from(v))
    }
}

impl From<String> for BulkValue {
    fn from(v: String) -> Self {
        BulkValue::Text(v)
    }
}

impl From<&str> for BulkValue {
    fn from(v: &str) -> Self {
        BulkValue::Text(v.to_string())
    }
}

impl From<&String> for BulkValue {
    fn from(v: &String) -> Self {
        BulkValue::Text(v.clone())
    }
}

impl<T: Into<BulkValue>> From<Option<T>> for BulkValue {
    fn from(v: Option<T>) -> Self {
        v.map_or(BulkValue::Null, Into::into)
    }
}

impl BulkValue {
    /// Order of text values (others first), for sorting rows by a text column.
    pub fn cmp_text(&self, other: &BulkValue) -> std::cmp::Ordering {
        match (self, other) {
            (BulkValue::Text(a), BulkValue::Text(b)) => a.cmp(b),
            (BulkValue::Text(_), _) => std::cmp::Ordering::Greater,
            (_, BulkValue::Text(_)) => std::cmp::Ordering::Less,
            _ => std::cmp::Ordering::Equal,
        }
    }
}

/// Table and column names are put into SQL text: only plain lower-case identifiers.
fn check_ident(name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name.len() <= 63
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        && !name.as_bytes()[0].is_ascii_digit();
    if ok {
        Ok(())
    } else {
        Err(StoreError::Other(format!(
            "bulk insert: invalid table or column name {name:?}"
        )))
    }
}

/// Insert `rows` (each with one value per column) into `table`, as few statements as the
/// parameter limit allows. Returns the number of rows inserted.
pub async fn insert_rows(
    conn: &mut AnyConnection,
    table: &str,
    columns: &[&str],
    rows: &[Vec<BulkValue>],
) -> Result<u64> {
    check_ident(table)?;
    for c in columns {
        check_ident(c)?;
    }
    if columns.is_empty() || columns.len() > MAX_PARAMS {
        return Err(StoreError::Other(format!(
            "bulk insert into {table}: {} columns is out of range",
            columns.len()
        )));
    }
    if let Some(i) = rows.iter().position(|r| r.len() != columns.len()) {
        return Err(StoreError::Other(format!(
            "bulk insert into {table}: row {} has {} values for {} columns",
            i + 1,
            rows[i].len(),
            columns.len()
        )));
    }
    let head = format!("INSERT INTO {table} ({}) VALUES ", columns.join(", "));
    if conn.backend_name() == <sqlx::Sqlite as sqlx::Database>::NAME {
        insert_sqlite(conn, &head, columns.len(), rows).await
    } else {
        insert_postgres(conn, &head, columns.len(), rows).await
    }
}

/// SQLite: every value a plain `?` (SQLite looks each `$N` up among the names seen so far,
/// quadratic in a statement of thousands), the same number of rows per statement so that
/// one prepared statement serves all but the last.
async fn insert_sqlite(
    conn: &mut AnyConnection,
    head: &str,
    width: usize,
    rows: &[Vec<BulkValue>],
) -> Result<u64> {
    let per = MAX_PARAMS / width;
    let tuple = format!("({})", vec!["?"; width].join(", "));
    let sql_for = |n: usize| format!("{head}{}", vec![tuple.as_str(); n].join(", "));
    let full = sql_for(per);
    let mut done = 0u64;
    for chunk in rows.chunks(per) {
        let tail;
        let mut q = if chunk.len() == per {
            sqlx::query(&full)
        } else {
            tail = sql_for(chunk.len());
            sqlx::query(&tail).persistent(false)
        };
        for row in chunk {
            for v in row {
                match v {
                    BulkValue::Int(i) => q = q.bind(*i),
                    BulkValue::Text(s) => q = q.bind(s.as_str()),
                    BulkValue::Null => q = q.bind(None::<i64>),
                }
            }
        }
        done += q.execute(&mut *conn).await?.rows_affected();
    }
    Ok(done)
}

/// PostgreSQL: `$N` parameters, `NULL` written inline (a typed NULL parameter would not
/// fit every column), rows added while the parameters stay under the limit.
async fn insert_postgres(
    conn: &mut AnyConnection,
    head: &str,
    width: usize,
    rows: &[Vec<BulkValue>],
) -> Result<u64> {
    let mut done = 0u64;
    let mut start = 0;
    while start < rows.len() {
        let mut sql = String::with_capacity(head.len() + 64 * width);
        sql.push_str(head);
        let mut params = 0usize;
        let mut end = start;
        while end < rows.len() {
            let row = &rows[end];
            let need = row.iter().filter(|v| **v != BulkValue::Null).count();
            if end > start && params + need > MAX_PARAMS {
                break;
            }
            if end > start {
                sql.push_str(", ");
            }
            sql.push('(');
            for (i, v) in row.iter().enumerate() {
                if i > 0 {
                    sql.push_str(", ");
                }
                if *v == BulkValue::Null {
                    sql.push_str("NULL");
                } else {
                    params += 1;
                    let _ = write!(sql, "${params}");
                }
            }
            sql.push(')');
            end += 1;
        }
        // Each chunk's text differs (NULLs, row count): not worth a cached statement.
        let mut q = sqlx::query(&sql).persistent(false);
        for row in &rows[start..end] {
            for v in row {
                match v {
                    BulkValue::Int(i) => q = q.bind(*i),
                    BulkValue::Text(s) => q = q.bind(s.as_str()),
                    BulkValue::Null => {}
                }
            }
        }
        done += q.execute(&mut *conn).await?.rows_affected();
        start = end;
    }
    Ok(done)
}

/// Reserve `n` consecutive ids of `table` (with an `id` primary key) and return the first.
/// Call inside a write transaction; the ids are `first .. first + n`.
///
/// PostgreSQL: takes `LOCK TABLE … IN SHARE ROW EXCLUSIVE MODE` (held to the end of the
/// transaction, so no other insert into the table runs meanwhile), starts after both
/// `MAX(id)` and the identity sequence, and moves the sequence past the reserved ids.
/// SQLite: starts after both `MAX(id)` and `sqlite_sequence`, and moves `sqlite_sequence`
/// past the reserved ids (AUTOINCREMENT then never hands them out again).
/// Either way a second reservation in the same transaction gets the next range, and
/// [`fix_sequences`] afterwards is harmless.
pub async fn reserve_ids(
    conn: &mut AnyConnection,
    backend: Backend,
    table: &str,
    n: usize,
) -> Result<i64> {
    check_ident(table)?;
    let n = n as i64;
    match backend {
        Backend::Postgres => {
            lock_tables(conn, backend, &[table]).await?;
            let last: i64 = sqlx::query_scalar(&format!(
                "SELECT CAST(GREATEST(COALESCE(MAX(id), 0), \
                 COALESCE(pg_sequence_last_value(pg_get_serial_sequence('{table}', 'id')::regclass), 0)) AS BIGINT) \
                 FROM {table}"
            ))
            .fetch_one(&mut *conn)
            .await?;
            if n > 0 {
                sqlx::query(&format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', 'id'), $1)"
                ))
                .bind(last + n)
                .execute(&mut *conn)
                .await?;
            }
            Ok(last + 1)
        }
        Backend::Sqlite => {
            let last: i64 = sqlx::query_scalar(&format!(
                "SELECT CAST(MAX(COALESCE((SELECT MAX(id) FROM {table}), 0), \
                 COALESCE((SELECT seq FROM sqlite_sequence WHERE name = '{table}'), 0)) AS BIGINT)"
            ))
            .fetch_one(&mut *conn)
            .await?;
            if n > 0 {
                let updated = sqlx::query("UPDATE sqlite_sequence SET seq = $1 WHERE name = $2")
                    .bind(last + n)
                    .bind(table)
                    .execute(&mut *conn)
                    .await?
                    .rows_affected();
                if updated == 0 {
                    sqlx::query("INSERT INTO sqlite_sequence (name, seq) VALUES ($1, $2)")
                        .bind(table)
                        .bind(last + n)
                        .execute(&mut *conn)
                        .await?;
                }
            }
            Ok(last + 1)
        }
    }
}

/// PostgreSQL: lock `tables` against other writers until the transaction ends (the mode
/// [`reserve_ids`] uses; readers are not blocked). SQLite: nothing to do, its one writer
/// already excludes the others.
pub async fn lock_tables(
    conn: &mut AnyConnection,
    backend: Backend,
    tables: &[&str],
) -> Result<()> {
    if backend == Backend::Postgres {
        for t in tables {
            check_ident(t)?;
            sqlx::query(&format!("LOCK TABLE {t} IN SHARE ROW EXCLUSIVE MODE"))
                .execute(&mut *conn)
                .await?;
        }
    }
    Ok(())
}

/// After rows were inserted with explicit ids: move each table's id sequence to at least
/// `MAX(id)`, so that ordinary inserts later get fresh ids. Never moves a sequence back.
/// SQLite's AUTOINCREMENT keeps track by itself: nothing to do there.
pub async fn fix_sequences(
    conn: &mut AnyConnection,
    backend: Backend,
    tables: &[&str],
) -> Result<()> {
    if backend != Backend::Postgres {
        return Ok(());
    }
    for t in tables {
        check_ident(t)?;
        sqlx::query(&format!(
            "SELECT setval(s.seq, m.top) FROM \
             (SELECT pg_get_serial_sequence('{t}', 'id') AS seq) s, \
             (SELECT MAX(id) AS top FROM {t}) m \
             WHERE m.top IS NOT NULL AND m.top > COALESCE(pg_sequence_last_value(s.seq::regclass), 0)"
        ))
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_checked() {
        assert!(check_ident("account_persons").is_ok());
        assert!(check_ident("a; DROP TABLE x").is_err());
        assert!(check_ident("Users").is_err());
        assert!(check_ident("1x").is_err());
        assert!(check_ident("").is_err());
    }

    #[test]
    fn values_from_rust() {
        assert_eq!(BulkValue::from(Some(5i64)), BulkValue::Int(5));
        assert_eq!(BulkValue::from(None::<String>), BulkValue::Null);
        assert_eq!(BulkValue::from(true), BulkValue::Int(1));
        assert_eq!(BulkValue::from("x"), BulkValue::Text("x".into()));
    }
}
