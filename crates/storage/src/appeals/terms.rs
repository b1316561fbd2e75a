//! Full-text search over appeal texts and comments by Russian stems, the same on SQLite and
//! PostgreSQL: the stems are computed in abonent_domain::words and stored as rows.

use sqlx::AnyConnection;

use crate::Result;

/// Adds the stems of `text` to the appeal's terms (substance, comments, results).
pub async fn index(conn: &mut AnyConnection, appeal_id: i64, text: &str) -> Result<()> {
    let terms: Vec<(String, i64)> = terms_of(text).into_iter().map(|t| (t, appeal_id)).collect();
    insert(conn, &terms).await
}

/// The terms of `text` that are indexed: word stems of two letters or more.
pub(crate) fn terms_of(text: &str) -> Vec<String> {
    abonent_domain::words::terms(text)
        .into_iter()
        .filter(|t| t.chars().count() >= 2)
        .collect()
}

/// Index the texts of appeals just inserted, all in one statement of fixed text (on
/// PostgreSQL two array parameters, planned once whatever the count). A new appeal has no
/// terms yet, so no conflict check is needed.
pub(crate) async fn index_new(
    conn: &mut AnyConnection,
    backend: crate::Backend,
    texts: &[(i64, &str)],
) -> Result<()> {
    use crate::bulk::BulkValue;
    use crate::ledger::unnest::{self, Col};
    let rows: Vec<Vec<BulkValue>> = texts
        .iter()
        .flat_map(|&(id, text)| {
            terms_of(text)
                .into_iter()
                .map(move |t| vec![BulkValue::Text(t), BulkValue::Int(id)])
        })
        .collect();
    unnest::insert(
        conn,
        backend,
        "appeal_terms",
        &["term", "appeal_id"],
        &[Col::Text, Col::Int],
        &rows,
    )
    .await?;
    Ok(())
}

/// Index `(term, appeal_id)` pairs, in statements of at most 500 pairs.
pub(crate) async fn insert(conn: &mut AnyConnection, terms: &[(String, i64)]) -> Result<()> {
    for chunk in terms.chunks(500) {
        let mut sql = String::from("INSERT INTO appeal_terms (term, appeal_id) VALUES ");
        for i in 0..chunk.len() {
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&format!("(${}, ${})", i * 2 + 1, i * 2 + 2));
        }
        sql.push_str(" ON CONFLICT DO NOTHING");
        let mut q = sqlx::query(&sql);
        for (t, id) in chunk {
            q = q.bind(t).bind(*id);
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// The SQL condition and parameters for «every word of `query` occurs in the appeal».
/// Parameters are numbered from `first`.
pub fn condition(query: &str, first: usize) -> (String, Vec<String>) {
    let stems = abonent_domain::words::terms(query);
    let mut sql = Vec::new();
    for (i, _) in stems.iter().enumerate() {
        sql.push(format!(
            "a.id IN (SELECT appeal_id FROM appeal_terms WHERE term = ${})",
            first + i
        ));
    }
    (sql.join(" AND "), stems)
}
