//! Erasing a person's data while the registers stay (152-ФЗ; docs/SECURITY.md, «Erasure»).
//!
//! One transaction: the card gets a placeholder name and loses birth date, contacts and
//! document; the appeals the person made lose the applicant's name, phone, e-mail and
//! address text; every written form of the person's values is replaced by the placeholder
//! in every text column of every table (letters, messages, comments, documents' data,
//! classifier examples, payers in the ledger…); stored files quoting them are dropped
//! (uploads) or emptied (the PDF of an issued document, whose number and data stay); the
//! person's key is deleted, so the sealed history about them cannot be read any more; the
//! person's links to accounts lose the kinship and close reason, their history rows their
//! values (kept: ids, action, date — the account's card still shows a link changed); and
//! history rows still holding plain values (written before values were sealed, or other
//! records' rows quoting the person) are scrubbed under a logged redaction — the only change
//! the history's triggers allow. Numbers, sums and dates are not touched.

use sqlx::{AnyConnection, Row};

use crate::history::Actor;
use crate::{Backend, Db, Result};

/// What to erase, worded by the domain (`abonent_domain::registry::erasure`).
pub struct Erasure {
    pub person_id: i64,
    /// The name the card shows afterwards; also what replaces the values in other records.
    pub placeholder: String,
    /// Every written form of the person's values, longest first.
    pub forms: Vec<String>,
    /// The legal ground, kept in the erasure's history row.
    pub ground: String,
}

/// What an erasure changed, for the administrator and the tests.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Erased {
    pub appeals: u64,
    pub rows_scrubbed: u64,
    pub history_redacted: u64,
    pub uploads_removed: u64,
    pub documents_emptied: u64,
}

/// Tables the generic scrub leaves: history (redacted apart), the keys and redactions
/// themselves, the migrations' own table, the search rows rebuilt apart, and append-only
/// tables that hold no personal value by design (reference data, template log, debt work's
/// moves and notices — a staff note there quoting a person stays; docs/SECURITY.md).
const NOT_SCRUBBED: &[&str] = &[
    "history",
    "redactions",
    "person_keys",
    "schema_migrations",
    "search_tokens",
    "appeal_terms",
    "ledger_reference",
    "document_template_versions",
    "debt_stage_moves",
    "debt_notices",
    "debt_notice_deliveries",
    // The access log names staff and ids of the people shown, never their values.
    "pd_access",
    "pd_access_people",
    // The records it names: a kind and an id (migration 22).
    "pd_access_records",
];

/// Append-only tables whose rows an erasure may scrub, and the only columns it may change
/// (the triggers of migration 21 accept nothing else, and only for a row listed in
/// `redactions`).
const REDACTABLE: &[(&str, &[&str])] = &[
    ("documents", &["title", "data_json", "search_text"]),
    ("ledger_entries", &["payer", "reason"]),
];

pub async fn erase(db: &Db, e: &Erasure, actor: &Actor) -> Result<Erased> {
    let backend = db.backend();
    let now = db.now_text();
    let mut out = Erased::default();
    let mut tx = db.write().begin().await?;
    let conn: &mut AnyConnection = &mut tx;

    // The erasure itself: who, when, on what ground; no personal value.
    let erasure_id: i64 = sqlx::query(
        "INSERT INTO history (entity, entity_id, parent_entity, parent_id, action, actor_id, \
         actor_name, at, before_json, after_json, note) \
         VALUES ('person', $1, NULL, NULL, 'erase', $2, $3, $4, NULL, NULL, $5) RETURNING id",
    )
    .bind(e.person_id)
    .bind(actor.user_id)
    .bind(&actor.name)
    .bind(&now)
    .bind(&e.ground)
    .fetch_one(&mut *conn)
    .await?
    .get(0);

    let contains = |col: &str, first: usize| -> String {
        let f = match backend {
            Backend::Sqlite => "instr",
            Backend::Postgres => "strpos",
        };
        let any: Vec<String> = (0..e.forms.len())
            .map(|i| format!("{f}({col}, ${}) > 0", first + i))
            .collect();
        if any.is_empty() {
            "1 = 0".into()
        } else {
            format!("({})", any.join(" OR "))
        }
    };

    // Appeals the person made: linked to the card, or from one of their phones or e-mails,
    // or quoting them; their search terms lose the person's words.
    let appeals_sql = format!(
        "SELECT id FROM appeals WHERE person_id = $1 OR {} OR {} OR {} UNION \
         SELECT appeal_id FROM appeal_comments WHERE {}",
        contains("applicant_phone", 2),
        contains("applicant_email", 2),
        contains("substance", 2),
        contains("body", 2),
    );
    let mut q = sqlx::query(&appeals_sql).bind(e.person_id);
    for f in &e.forms {
        q = q.bind(f);
    }
    let appeals: Vec<i64> = q
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| r.get(0))
        .collect();
    let linked_sql = format!(
        "UPDATE appeals SET applicant_name = $1, applicant_phone = NULL, applicant_email = NULL, \
         address_text = NULL WHERE person_id = $2 OR {} OR {}",
        contains("applicant_phone", 3),
        contains("applicant_email", 3),
    );
    let mut q = sqlx::query(&linked_sql)
        .bind(&e.placeholder)
        .bind(e.person_id);
    for f in &e.forms {
        q = q.bind(f);
    }
    out.appeals = q.execute(&mut *conn).await?.rows_affected();
    let words: Vec<String> = crate::appeals::terms::terms_of(&e.forms.join(" "));
    for id in &appeals {
        for chunk in words.chunks(200) {
            let params: Vec<String> = (2..chunk.len() + 2).map(|i| format!("${i}")).collect();
            let sql = format!(
                "DELETE FROM appeal_terms WHERE appeal_id = $1 AND term IN ({})",
                params.join(", ")
            );
            let mut q = sqlx::query(&sql).bind(*id);
            for w in chunk {
                q = q.bind(w);
            }
            q.execute(&mut *conn).await?;
        }
    }

    // Letters from or to the person as a private sender or addressee.
    sqlx::query(
        "UPDATE incoming_letters SET sender_name = $1 WHERE person_id = $2 AND sender_kind = 'person'",
    )
    .bind(&e.placeholder)
    .bind(e.person_id)
    .execute(&mut *conn)
    .await?;
    sqlx::query("UPDATE outgoing_letters SET addressee = $1 WHERE person_id = $2")
        .bind(&e.placeholder)
        .bind(e.person_id)
        .execute(&mut *conn)
        .await?;

    // Messages still waiting for the person are not sent to a placeholder.
    let outbox_sql = format!(
        "UPDATE outbox SET state = 'cancelled' WHERE state = 'pending' AND {}",
        contains("recipient", 1)
    );
    let mut q = sqlx::query(&outbox_sql);
    for f in &e.forms {
        q = q.bind(f);
    }
    q.execute(&mut *conn).await?;

    // The card and the benefits' documents.
    sqlx::query(
        "UPDATE persons SET last_name = $1, first_name = '', middle_name = NULL, \
         birth_date = NULL, phones = '', email = NULL, id_document = NULL, consent_sms = 0, \
         consent_email = 0, legal_capacity = 'full', capacity_basis = NULL, updated_at = $2 \
         WHERE id = $3",
    )
    .bind(&e.placeholder)
    .bind(&now)
    .bind(e.person_id)
    .execute(&mut *conn)
    .await?;
    sqlx::query("UPDATE benefits SET document = NULL, updated_at = $1 WHERE person_id = $2")
        .bind(&now)
        .bind(e.person_id)
        .execute(&mut *conn)
        .await?;
    crate::search::reindex_person(&mut *conn, e.person_id).await?;
    // The person's links to accounts keep role, share and dates; the free text about the
    // person goes: the kinship to the owner and the reason a link was closed.
    sqlx::query(
        "UPDATE account_persons SET kinship = NULL, kin_of = NULL, close_reason = CASE WHEN close_reason IS \
         NULL THEN NULL ELSE $1 END, updated_at = $2 WHERE person_id = $3",
    )
    .bind(&e.placeholder)
    .bind(&now)
    .bind(e.person_id)
    .execute(&mut *conn)
    .await?;

    // Issued documents for the person or naming them keep number, date and data (scrubbed
    // below); the stored PDF, which cannot be scrubbed, is emptied.
    let docs_sql = format!(
        "INSERT INTO redactions (tbl, row_id, erasure_id, at) \
         SELECT 'documents', id, $1, $2 FROM documents WHERE person_id = $3 OR {} OR {} OR {}",
        contains("data_json", 4),
        contains("search_text", 4),
        contains("title", 4)
    );
    let mut q = sqlx::query(&docs_sql)
        .bind(erasure_id)
        .bind(&now)
        .bind(e.person_id);
    for f in &e.forms {
        q = q.bind(f);
    }
    q.execute(&mut *conn).await?;
    out.documents_emptied = sqlx::query(
        "UPDATE documents SET pdf = $1 WHERE id IN \
         (SELECT row_id FROM redactions WHERE tbl = 'documents' AND erasure_id = $2)",
    )
    .bind(Vec::<u8>::new())
    .bind(erasure_id)
    .execute(&mut *conn)
    .await?
    .rows_affected();

    out.rows_scrubbed =
        scrub_text_columns(&mut *conn, backend, e, erasure_id, &now, &contains).await?;
    out.uploads_removed = drop_uploads(&mut *conn, e).await?;
    out.history_redacted = redact_history(&mut *conn, e, erasure_id, &now, &contains).await?;

    sqlx::query("DELETE FROM person_keys WHERE person_id = $1")
        .bind(e.person_id)
        .execute(&mut *conn)
        .await?;
    tx.commit().await?;
    Ok(out)
}

/// Every text column of every table (outside [`NOT_SCRUBBED`]), as (table, column).
pub async fn text_columns(
    conn: &mut AnyConnection,
    backend: Backend,
) -> Result<Vec<(String, String)>> {
    columns_of_type(conn, backend, "text").await
}

/// Every binary column of every table, as (table, column).
pub async fn blob_columns(
    conn: &mut AnyConnection,
    backend: Backend,
) -> Result<Vec<(String, String)>> {
    columns_of_type(conn, backend, "blob").await
}

async fn columns_of_type(
    conn: &mut AnyConnection,
    backend: Backend,
    kind: &str,
) -> Result<Vec<(String, String)>> {
    let sql = match (backend, kind) {
        (Backend::Sqlite, "text") => {
            "SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p \
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite%' AND upper(p.type) LIKE 'TEXT%' \
             ORDER BY 1, 2"
        }
        (Backend::Sqlite, _) => {
            "SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p \
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite%' AND upper(p.type) = 'BLOB' \
             ORDER BY 1, 2"
        }
        (Backend::Postgres, "text") => {
            "SELECT CAST(table_name AS TEXT), CAST(column_name AS TEXT) \
             FROM information_schema.columns WHERE table_schema = current_schema() \
             AND data_type = 'text' AND table_name IN (SELECT table_name FROM \
             information_schema.tables WHERE table_schema = current_schema() \
             AND table_type = 'BASE TABLE') ORDER BY 1, 2"
        }
        (Backend::Postgres, _) => {
            "SELECT CAST(table_name AS TEXT), CAST(column_name AS TEXT) \
             FROM information_schema.columns WHERE table_schema = current_schema() \
             AND data_type = 'bytea' AND table_name IN (SELECT table_name FROM \
             information_schema.tables WHERE table_schema = current_schema() \
             AND table_type = 'BASE TABLE') ORDER BY 1, 2"
        }
    };
    Ok(sqlx::query(sql)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect())
}

/// `col` with every form replaced by the placeholder (`$1`; forms from `$2`).
fn replaced(col: &str, forms: usize) -> String {
    let mut sql = col.to_string();
    for i in 0..forms {
        sql = format!("REPLACE({sql}, ${}, $1)", i + 2);
    }
    sql
}

async fn scrub_text_columns(
    conn: &mut AnyConnection,
    backend: Backend,
    e: &Erasure,
    erasure_id: i64,
    now: &str,
    contains: &(dyn Fn(&str, usize) -> String + Sync),
) -> Result<u64> {
    if e.forms.is_empty() {
        return Ok(0);
    }
    let mut total = 0;
    for (table, col) in text_columns(&mut *conn, backend).await? {
        if NOT_SCRUBBED.contains(&table.as_str()) {
            continue;
        }
        let c = format!("\"{col}\"");
        if let Some((_, cols)) = REDACTABLE.iter().find(|(t, _)| *t == table) {
            if !cols.contains(&col.as_str()) {
                continue;
            }
            // $1 table, $2 erasure, $3 now, forms from $4; listed before the change.
            let sql = format!(
                "INSERT INTO redactions (tbl, row_id, erasure_id, at) \
                 SELECT $1, id, $2, $3 FROM \"{table}\" WHERE {} ON CONFLICT DO NOTHING",
                contains(&c, 4)
            );
            let mut q = sqlx::query(&sql).bind(&table).bind(erasure_id).bind(now);
            for f in &e.forms {
                q = q.bind(f);
            }
            q.execute(&mut *conn).await?;
        }
        let sql = format!(
            "UPDATE \"{table}\" SET {c} = {} WHERE {}",
            replaced(&c, e.forms.len()),
            contains(&c, 2)
        );
        let mut q = sqlx::query(&sql).bind(&e.placeholder);
        for f in &e.forms {
            q = q.bind(f);
        }
        total += q.execute(&mut *conn).await?.rows_affected();
    }
    Ok(total)
}

/// Uploaded files (registry and ledger imports) holding a form of the person's values as
/// UTF-8 text are deleted: they served an import that is over.
async fn drop_uploads(conn: &mut AnyConnection, e: &Erasure) -> Result<u64> {
    let ids: Vec<i64> = sqlx::query("SELECT id FROM uploads")
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| r.get(0))
        .collect();
    let mut removed = 0;
    for id in ids {
        let content: Vec<u8> = sqlx::query("SELECT content FROM uploads WHERE id = $1")
            .bind(id)
            .fetch_one(&mut *conn)
            .await?
            .get(0);
        let quotes = e.forms.iter().any(|f| {
            let f = f.as_bytes();
            content.windows(f.len()).any(|w| w == f)
        });
        if quotes {
            removed += sqlx::query("DELETE FROM uploads WHERE id = $1")
                .bind(id)
                .execute(&mut *conn)
                .await?
                .rows_affected();
        }
    }
    Ok(removed)
}

/// History rows still holding the person's values in plain text: the person's own rows not
/// sealed (written before migration 21) and the rows of the person's links to accounts
/// (shown on the person's and the account's cards, with the kinship and the close reason)
/// lose their values; other rows quoting a form get the placeholder instead. Each row is listed in `redactions` first, which is what lets
/// the triggers accept the change.
async fn redact_history(
    conn: &mut AnyConnection,
    e: &Erasure,
    erasure_id: i64,
    now: &str,
    contains: &(dyn Fn(&str, usize) -> String + Sync),
) -> Result<u64> {
    let own = "((entity = 'person' AND entity_id = $1) OR \
               (parent_entity = 'person' AND parent_id = $1) OR \
               (entity = 'account_person' AND entity_id IN \
                (SELECT id FROM account_persons WHERE person_id = $1))) \
               AND action NOT IN ('view', 'erase') \
               AND ((before_json IS NOT NULL AND before_json NOT LIKE '{\"enc\":%') \
               OR (after_json IS NOT NULL AND after_json NOT LIKE '{\"enc\":%') \
               OR (note IS NOT NULL AND note NOT LIKE '{\"enc\":%'))";
    // $1 person, $2 erasure, $3 now, forms from $4.
    let quoting = format!(
        "({} OR {} OR {})",
        contains("before_json", 4),
        contains("after_json", 4),
        contains("note", 4)
    );
    let sql = format!(
        "INSERT INTO redactions (tbl, row_id, erasure_id, at) \
         SELECT 'history', id, $2, $3 FROM history WHERE id <> $2 AND (({own}) OR {quoting})"
    );
    let mut q = sqlx::query(&sql)
        .bind(e.person_id)
        .bind(erasure_id)
        .bind(now);
    for f in &e.forms {
        q = q.bind(f);
    }
    let listed = q.execute(&mut *conn).await?.rows_affected();
    if listed == 0 {
        return Ok(0);
    }
    let in_redaction =
        "id IN (SELECT row_id FROM redactions WHERE tbl = 'history' AND erasure_id = $2)";
    sqlx::query(&format!(
        "UPDATE history SET \
         before_json = CASE WHEN before_json IS NULL THEN NULL ELSE '{{\"erased\":true}}' END, \
         after_json = CASE WHEN after_json IS NULL THEN NULL ELSE '{{\"erased\":true}}' END, \
         note = NULL WHERE {in_redaction} AND {own}"
    ))
    .bind(e.person_id)
    .bind(erasure_id)
    .execute(&mut *conn)
    .await?;
    if !e.forms.is_empty() {
        // The placeholder is `$1` in [`replaced`]; here forms start at $3 after it and the
        // erasure: renumber by building the REPLACE chain on its own parameters.
        let chain = |col: &str| {
            let mut sql = col.to_string();
            for i in 0..e.forms.len() {
                sql = format!("REPLACE({sql}, ${}, $1)", i + 3);
            }
            sql
        };
        let sql = format!(
            "UPDATE history SET before_json = {}, after_json = {}, note = {} \
             WHERE id IN (SELECT row_id FROM redactions WHERE tbl = 'history' AND erasure_id = $2)",
            chain("before_json"),
            chain("after_json"),
            chain("note")
        );
        let mut q = sqlx::query(&sql).bind(&e.placeholder).bind(erasure_id);
        for f in &e.forms {
            q = q.bind(f);
        }
        q.execute(&mut *conn).await?;
    }
    Ok(listed)
}
