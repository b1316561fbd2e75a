//! The fastest way each backend takes many ledger rows.
//!
//! PostgreSQL: one small statement, `INSERT … SELECT * FROM UNNEST($1::bigint[], $2::text[],
//! …)`, each column sent as one array literal: parsing and binding stay tiny however many
//! rows there are, which multi-row `VALUES` with thousands of parameters is not.
//! SQLite: multi-row `VALUES` with the values written as literals — binding each of
//! millions of values one by one through the driver costs more than SQLite parsing them.

use std::fmt::Write as _;

use abonent_domain::ledger::words::internal;
use sqlx::AnyConnection;

use crate::bulk::BulkValue;
use crate::{Backend, Result};

/// Column type for the array cast.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Col {
    Int,
    Text,
}

fn push_text(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
}

/// The array literal of column `i` of `rows`.
fn array(rows: &[Vec<BulkValue>], i: usize) -> String {
    let mut out = String::with_capacity(rows.len() * 8 + 2);
    out.push('{');
    for (k, r) in rows.iter().enumerate() {
        if k > 0 {
            out.push(',');
        }
        match &r[i] {
            BulkValue::Int(v) => {
                let _ = write!(out, "{v}");
            }
            BulkValue::Text(s) => push_text(&mut out, s),
            BulkValue::Null => out.push_str("NULL"),
        }
    }
    out.push('}');
    out
}

/// Table and column names go into SQL text: plain lower-case identifiers only.
fn ident(n: &str) -> bool {
    !n.is_empty()
        && n.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// Insert `rows` into `table`; on PostgreSQL through `UNNEST`, elsewhere as multi-row
/// inserts. `types` gives each column's type.
pub async fn insert(
    conn: &mut AnyConnection,
    backend: Backend,
    table: &str,
    columns: &[&str],
    types: &[Col],
    rows: &[Vec<BulkValue>],
) -> Result<u64> {
    execute(conn, &prepare(backend, table, columns, types, rows)?).await
}

/// A bulk insert as statement texts with their parameters, built ahead of time: a
/// producer thread builds the next while the database writes this one.
#[derive(Debug, Default)]
pub struct Statements {
    list: Vec<(String, Vec<String>)>,
    /// SQLite statements carry their values as literals: each text is used once.
    persistent: bool,
    /// PostgreSQL `COPY … FROM STDIN` and its data (see [`prepare_copy`]).
    copy: Option<(String, Vec<u8>)>,
}

/// The statements [`insert`] would run.
pub fn prepare(
    backend: Backend,
    table: &str,
    columns: &[&str],
    types: &[Col],
    rows: &[Vec<BulkValue>],
) -> Result<Statements> {
    if columns.len() != types.len() {
        return Err(bad_target(table));
    }
    check(table, columns, rows)?;
    if rows.is_empty() {
        return Ok(Statements::default());
    }
    if backend == Backend::Sqlite {
        return prepare_sqlite(table, columns, rows);
    }
    let casts: Vec<String> = types
        .iter()
        .enumerate()
        .map(|(i, t)| {
            format!(
                "${}::{}",
                i + 1,
                match t {
                    Col::Int => "bigint[]",
                    Col::Text => "text[]",
                }
            )
        })
        .collect();
    let sql = format!(
        "INSERT INTO {table} ({}) SELECT * FROM UNNEST({})",
        columns.join(", "),
        casts.join(", ")
    );
    let params = (0..columns.len()).map(|i| array(rows, i)).collect();
    Ok(Statements {
        list: vec![(sql, params)],
        persistent: true,
        copy: None,
    })
}

/// The rows as one PostgreSQL `COPY … FROM STDIN` (text format): the server takes them
/// without parsing a statement or array literals, and writes the table in multi-row pages.
/// Run with [`copy`] on a native connection.
pub fn prepare_copy(table: &str, columns: &[&str], rows: &[Vec<BulkValue>]) -> Result<Statements> {
    check(table, columns, rows)?;
    if rows.is_empty() {
        return Ok(Statements::default());
    }
    let mut data = Vec::with_capacity(rows.len() * 16 * columns.len());
    for r in rows {
        for (i, v) in r.iter().enumerate() {
            if i > 0 {
                data.push(b'\t');
            }
            match v {
                BulkValue::Int(n) => {
                    let _ = std::io::Write::write_fmt(&mut data, format_args!("{n}"));
                }
                BulkValue::Text(s) => push_copy_text(&mut data, s),
                BulkValue::Null => data.extend_from_slice(b"\\N"),
            }
        }
        data.push(b'\n');
    }
    let sql = format!("COPY {table} ({}) FROM STDIN", columns.join(", "));
    Ok(Statements {
        copy: Some((sql, data)),
        ..Default::default()
    })
}

/// A text in `COPY` text format: backslash, tab and line breaks escaped; NUL, which
/// PostgreSQL text cannot hold, dropped. Multi-byte UTF-8 never contains these bytes.
fn push_copy_text(out: &mut Vec<u8>, s: &str) {
    for b in s.bytes() {
        match b {
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            0 => {}
            b => out.push(b),
        }
    }
}

/// Run a [`prepare_copy`] bulk insert; the number of rows written.
pub async fn copy(conn: &mut sqlx::PgConnection, s: &Statements) -> Result<u64> {
    let Some((sql, data)) = &s.copy else {
        return Ok(0);
    };
    let mut c = conn.copy_in_raw(sql).await?;
    c.send(data.as_slice()).await?;
    Ok(c.finish().await?)
}

fn bad_target(table: &str) -> crate::StoreError {
    crate::StoreError::Other(internal::bulk_bad_target(table))
}

/// Plain identifiers, and every row as wide as the column list.
fn check(table: &str, columns: &[&str], rows: &[Vec<BulkValue>]) -> Result<()> {
    if !ident(table) || !columns.iter().all(|c| ident(c)) {
        return Err(bad_target(table));
    }
    if let Some(i) = rows.iter().position(|r| r.len() != columns.len()) {
        return Err(crate::StoreError::Other(internal::bulk_row_width(
            table,
            i + 1,
            rows[i].len(),
            columns.len(),
        )));
    }
    Ok(())
}

/// Run prepared statements; the number of rows inserted.
pub async fn execute(conn: &mut AnyConnection, s: &Statements) -> Result<u64> {
    let mut done = 0;
    for (sql, params) in &s.list {
        let mut q = sqlx::query(sql).persistent(s.persistent);
        for p in params {
            q = q.bind(p.as_str());
        }
        done += q.execute(&mut *conn).await?.rows_affected();
    }
    Ok(done)
}

/// A text as an SQLite literal: quotes doubled (SQLite has no backslash escapes); NUL,
/// which would end the statement text, dropped.
fn push_sql_text(out: &mut String, s: &str) {
    out.push('\'');
    for c in s.chars() {
        match c {
            '\'' => out.push_str("''"),
            '\0' => {}
            c => out.push(c),
        }
    }
    out.push('\'');
}

fn prepare_sqlite(table: &str, columns: &[&str], rows: &[Vec<BulkValue>]) -> Result<Statements> {
    // OR FAIL: a violated constraint stops the statement without undoing its earlier rows,
    // so SQLite keeps no statement journal (a copy of every page the statement touches).
    // Every caller drops the whole transaction on an error, which undoes them anyway.
    let head = format!(
        "INSERT OR FAIL INTO {table} ({}) VALUES ",
        columns.join(", ")
    );
    let mut list = Vec::new();
    for chunk in rows.chunks(5_000) {
        let mut sql = String::with_capacity(head.len() + chunk.len() * 16 * columns.len());
        sql.push_str(&head);
        for (k, r) in chunk.iter().enumerate() {
            sql.push_str(if k == 0 { "(" } else { ",(" });
            for (i, v) in r.iter().enumerate() {
                if i > 0 {
                    sql.push(',');
                }
                match v {
                    BulkValue::Int(n) => {
                        let _ = write!(sql, "{n}");
                    }
                    BulkValue::Text(s) => push_sql_text(&mut sql, s),
                    BulkValue::Null => sql.push_str("NULL"),
                }
            }
            sql.push(')');
        }
        list.push((sql, Vec::new()));
    }
    Ok(Statements {
        list,
        persistent: false,
        copy: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn array_literals_escape_quotes_and_nulls() {
        let rows = vec![
            vec![BulkValue::Int(1), BulkValue::Text("a\"b\\c,{}".into())],
            vec![BulkValue::Int(-2), BulkValue::Null],
        ];
        assert_eq!(array(&rows, 0), "{1,-2}");
        assert_eq!(array(&rows, 1), "{\"a\\\"b\\\\c,{}\",NULL}");
        let mut s = String::new();
        push_sql_text(&mut s, "O'Brien\0; DROP TABLE x");
        assert_eq!(s, "'O''Brien; DROP TABLE x'");
    }

    #[test]
    fn copy_text_escapes_separators_and_nulls() {
        let rows = vec![
            vec![
                BulkValue::Int(-7),
                BulkValue::Text("a\tb\\c\nd\re\0ё".into()),
            ],
            vec![BulkValue::Int(8), BulkValue::Null],
        ];
        let s = prepare_copy("ledger_entries", &["account_id", "payer"], &rows).unwrap();
        let (sql, data) = s.copy.unwrap();
        assert_eq!(sql, "COPY ledger_entries (account_id, payer) FROM STDIN");
        assert_eq!(
            String::from_utf8(data).unwrap(),
            "-7\ta\\tb\\\\c\\nd\\reё\n8\t\\N\n"
        );
        assert!(prepare_copy("ledger_entries; --", &["a"], &[]).is_err());
        assert!(prepare_copy("t", &["a", "b"], &[vec![BulkValue::Int(1)]]).is_err());
        assert!(prepare_copy("t", &["a"], &[]).unwrap().copy.is_none());
    }
}
