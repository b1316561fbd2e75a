//! The document archive: every issued document with the PDF exactly as printed. Issuing takes
//! the registration number, renders and stores in ONE transaction, so a failed render gives
//! the number back. Rows are never changed (triggers refuse it); a correction is a new
//! document with `corrects_id`.

pub mod hand_in;
pub mod print_run;
pub mod templates;

use abonent_domain::correspondence::OutgoingData;
use abonent_domain::document::{DocumentRefusal, CORRECTION_NOTE};
use abonent_domain::missing::Missing;
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::correspondence::{like_pattern, outgoing, search_text, Period};
use crate::history::{self, Actor, Change};
use crate::registry::{Page, PageReq};
use crate::{numbering, time, Db, Result, StoreError};

/// Where the registration number comes from.
pub enum Numbering<'a> {
    /// A numbering scope (`doc.<kind>`), counted in the year of issue.
    Scope(String),
    /// The outgoing register: the letter is registered there and its outgoing number is the
    /// document's number (`sent_on` is set to the date of issue).
    Outgoing(&'a OutgoingData),
}

/// A document to issue. `data` and `org` are stored as printed.
pub struct NewDocument<'a> {
    pub kind: &'a str,
    pub title: String,
    pub numbering: Numbering<'a>,
    pub issued_on: NaiveDate,
    pub account_id: Option<i64>,
    pub person_id: Option<i64>,
    pub appeal_id: Option<i64>,
    pub corrects_id: Option<i64>,
    pub data: serde_json::Value,
    pub org: serde_json::Value,
    pub template_version_id: Option<i64>,
    /// More words the document is found by (account number, names).
    pub search_words: Vec<String>,
}

/// An issued document without its PDF bytes.
#[derive(Debug, Clone, Serialize)]
pub struct Document {
    pub id: i64,
    /// Kind code: `registration_certificate`, `account_statement`, `payment_document`, `letter`.
    pub kind: String,
    /// Registration number as printed.
    pub number: String,
    pub seq: i64,
    pub year: i32,
    /// Date printed on the document, `YYYY-MM-DD`.
    pub issued_on: String,
    /// Instant of issue, UTC RFC 3339.
    pub issued_at: String,
    pub issued_by: Option<i64>,
    pub issued_by_name: String,
    pub account_id: Option<i64>,
    pub person_id: Option<i64>,
    pub appeal_id: Option<i64>,
    /// The document this one corrects.
    pub corrects_id: Option<i64>,
    pub title: String,
    /// The data the document was printed from.
    pub data: serde_json::Value,
    /// The organization's details printed on it.
    pub org: serde_json::Value,
    /// Template version used; null = the shipped template.
    pub template_version_id: Option<i64>,
    pub pdf_size: i64,
    /// SHA-256 of the stored PDF, hex.
    pub sha256: String,
    /// The outgoing letter that registered it (letters).
    pub outgoing_id: Option<i64>,
}

/// A short reference to another document (corrections).
#[derive(Debug, Clone, Serialize)]
pub struct DocRef {
    pub id: i64,
    pub number: String,
    pub issued_on: String,
}

#[derive(Debug, Clone, Default)]
pub struct DocumentFilter {
    /// Words of the number, title, account number or names.
    pub q: Option<String>,
    pub kind: Option<String>,
    pub account_id: Option<i64>,
    pub person_id: Option<i64>,
    /// Documents of an appeal (complaint act, reply letters).
    pub appeal_id: Option<i64>,
    /// Date of issue, both ends inclusive.
    pub period: Period,
}

const COLS: &str = "id, kind, number, seq, year, issued_on, issued_at, issued_by, issued_by_name, \
    account_id, person_id, appeal_id, corrects_id, title, data_json, org_json, \
    template_version_id, pdf_size, sha256, outgoing_id";

fn from_row(r: &AnyRow) -> Document {
    let json = |s: String| serde_json::from_str(&s).unwrap_or(serde_json::Value::Null);
    Document {
        id: r.get("id"),
        kind: r.get("kind"),
        number: r.get("number"),
        seq: r.get("seq"),
        year: r.get::<i64, _>("year") as i32,
        issued_on: r.get("issued_on"),
        issued_at: r.get("issued_at"),
        issued_by: r.get("issued_by"),
        issued_by_name: r.get("issued_by_name"),
        account_id: r.get("account_id"),
        person_id: r.get("person_id"),
        appeal_id: r.get("appeal_id"),
        corrects_id: r.get("corrects_id"),
        title: r.get("title"),
        data: json(r.get("data_json")),
        org: json(r.get("org_json")),
        template_version_id: r.get("template_version_id"),
        pdf_size: r.get("pdf_size"),
        sha256: r.get("sha256"),
        outgoing_id: r.get("outgoing_id"),
    }
}

/// Numbering scope of a document kind: `doc.<kind>` (setting `numbering.doc.<kind>`).
pub fn scope_of(kind: &str) -> String {
    format!("doc.{kind}")
}

/// Checks what the document refers to, naming the field.
async fn check_refs(conn: &mut AnyConnection, d: &NewDocument<'_>) -> Result<()> {
    let mut e = abonent_domain::ValidationErrors::new();
    type Refusal = fn(i64) -> DocumentRefusal;
    let refs = [
        (
            "accounts",
            d.account_id,
            DocumentRefusal::NoSuchAccount as Refusal,
        ),
        ("persons", d.person_id, DocumentRefusal::NoSuchPerson),
        ("documents", d.corrects_id, DocumentRefusal::NoSuchCorrected),
    ];
    for (table, id, missing) in refs {
        let Some(id) = id else { continue };
        let found = sqlx::query(&format!("SELECT id FROM {table} WHERE id = $1"))
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?
            .is_some();
        if !found {
            missing(id).add_to(&mut e);
        }
    }
    if let Some(id) = d.corrects_id {
        let kind: Option<String> = sqlx::query_scalar("SELECT kind FROM documents WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
        if kind.is_some_and(|k| k != d.kind) {
            DocumentRefusal::OtherKind.add_to(&mut e);
        }
    }
    e.into_result(()).map_err(StoreError::Invalid)
}

/// Issues a document in one transaction: checks references, takes the number, calls
/// `render(number)` for the PDF, stores it with a history entry (and, for a letter, registers
/// it as outgoing). Any error rolls everything back: no number is consumed, nothing stored.
/// Validate the data before calling, so a plain input error does not even open a transaction.
pub async fn issue<F>(db: &Db, d: &NewDocument<'_>, actor: &Actor, render: F) -> Result<Document>
where
    F: FnOnce(&str) -> Result<Vec<u8>>,
{
    let mut tx = db.write().begin().await?;
    let id = issue_in(&mut tx, db, d, actor, render).await?;
    tx.commit().await?;
    get(db, id).await
}

/// [`issue`] for several documents in one transaction (the applications of a court packet):
/// all are stored or none; `render(i, number)` renders the `i`-th.
pub async fn issue_many<F>(
    db: &Db,
    docs: &[NewDocument<'_>],
    actor: &Actor,
    render: F,
) -> Result<Vec<Document>>
where
    F: Fn(usize, &str) -> Result<Vec<u8>>,
{
    let mut tx = db.write().begin().await?;
    let mut ids = Vec::with_capacity(docs.len());
    for (i, d) in docs.iter().enumerate() {
        ids.push(issue_in(&mut tx, db, d, actor, |n| render(i, n)).await?);
    }
    tx.commit().await?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        out.push(get(db, id).await?);
    }
    Ok(out)
}

/// [`issue`] inside the caller's transaction (a bulk action issues many documents, all or
/// none). Returns the new document's id.
pub async fn issue_in<F>(
    tx: &mut AnyConnection,
    db: &Db,
    d: &NewDocument<'_>,
    actor: &Actor,
    render: F,
) -> Result<i64>
where
    F: FnOnce(&str) -> Result<Vec<u8>>,
{
    let taken = take_number(&mut *tx, db, d, actor).await?;
    let pdf = render(&taken.number)?;
    store_in(tx, db, d, actor, taken, pdf).await
}

/// A registration number taken in the caller's transaction, not yet used by a document.
pub(crate) struct Taken {
    scope: String,
    seq: i64,
    year: i64,
    pub(crate) number: String,
    outgoing_id: Option<i64>,
}

/// Checks what `d` refers to and takes its number, in the caller's transaction.
pub(crate) async fn take_number(
    tx: &mut AnyConnection,
    db: &Db,
    d: &NewDocument<'_>,
    actor: &Actor,
) -> Result<Taken> {
    check_refs(&mut *tx, d).await?;
    let year = d.issued_on.year();
    let (scope, seq, year, number, outgoing_id) = match &d.numbering {
        Numbering::Scope(scope) => {
            let (seq, number) = numbering::issue(&mut *tx, scope, year).await?;
            (scope.clone(), seq, i64::from(year), number, None)
        }
        Numbering::Outgoing(letter) => {
            let letter = OutgoingData {
                sent_on: d.issued_on,
                account_id: letter.account_id.or(d.account_id),
                person_id: letter.person_id.or(d.person_id),
                ..(*letter).clone()
            };
            let (id, number) = outgoing::create_in(&mut *tx, db, &letter, None, actor).await?;
            let row = sqlx::query("SELECT seq, year FROM outgoing_letters WHERE id = $1")
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
            let (seq, year): (i64, i64) = (row.get(0), row.get(1));
            (outgoing::SCOPE.to_string(), seq, year, number, Some(id))
        }
    };
    Ok(Taken {
        scope,
        seq,
        year,
        number,
        outgoing_id,
    })
}

/// Stores `d` under the number taken for it, with its PDF and a history entry.
pub(crate) async fn store_in(
    tx: &mut AnyConnection,
    db: &Db,
    d: &NewDocument<'_>,
    actor: &Actor,
    taken: Taken,
    pdf: Vec<u8>,
) -> Result<i64> {
    let Taken {
        scope,
        seq,
        year,
        number,
        outgoing_id,
    } = taken;
    let sha256 = hex::encode(Sha256::digest(&pdf));
    let mut words: Vec<Option<&str>> = vec![Some(&number), Some(&d.title)];
    words.extend(d.search_words.iter().map(|w| Some(w.as_str())));
    let issued_at = db.now_text();
    let id: i64 = sqlx::query(
        "INSERT INTO documents (kind, number, scope, seq, year, issued_on, issued_at, issued_by, \
         issued_by_name, account_id, person_id, appeal_id, corrects_id, title, data_json, \
         org_json, template_version_id, pdf, pdf_size, sha256, outgoing_id, search_text) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, \
         $18, $19, $20, $21, $22) RETURNING id",
    )
    .bind(d.kind)
    .bind(&number)
    .bind(&scope)
    .bind(seq)
    .bind(year)
    .bind(time::date_text(d.issued_on))
    .bind(&issued_at)
    .bind(actor.user_id)
    .bind(&actor.name)
    .bind(d.account_id)
    .bind(d.person_id)
    .bind(d.appeal_id)
    .bind(d.corrects_id)
    .bind(&d.title)
    .bind(d.data.to_string())
    .bind(d.org.to_string())
    .bind(d.template_version_id)
    .bind(pdf.clone())
    .bind(pdf.len() as i64)
    .bind(&sha256)
    .bind(outgoing_id)
    .bind(search_text(&words))
    .fetch_one(&mut *tx)
    .await?
    .get(0);
    if let Some(out) = outgoing_id {
        // The letter was registered a moment ago in this transaction; now it knows its PDF.
        sqlx::query("UPDATE outgoing_letters SET document_id = $1 WHERE id = $2")
            .bind(id)
            .bind(out)
            .execute(&mut *tx)
            .await?;
    }
    let parent = d
        .account_id
        .map(|a| ("account", a))
        .or(d.person_id.map(|p| ("person", p)));
    history::record(
        &mut *tx,
        &db.now_text(),
        actor,
        Change {
            entity: "document",
            entity_id: id,
            parent,
            action: "issue",
            before: None,
            after: Some(serde_json::json!({
                "kind": d.kind,
                "number": number,
                "title": d.title,
                "issued_on": time::date_text(d.issued_on),
                "corrects_id": d.corrects_id,
                "outgoing_id": outgoing_id,
                "sha256": sha256,
            })),
            note: d.corrects_id.map(|_| CORRECTION_NOTE),
        },
    )
    .await?;
    Ok(id)
}

pub async fn get(db: &Db, id: i64) -> Result<Document> {
    sqlx::query(&format!("SELECT {COLS} FROM documents WHERE id = $1"))
        .bind(id)
        .fetch_optional(db.read())
        .await?
        .map(|r| from_row(&r))
        .ok_or_else(|| StoreError::from(Missing::Document(id)))
}

/// The stored PDF, byte for byte as issued: (number, bytes).
pub async fn pdf(db: &Db, id: i64) -> Result<(String, Vec<u8>)> {
    let row = sqlx::query("SELECT number, pdf FROM documents WHERE id = $1")
        .bind(id)
        .fetch_optional(db.read())
        .await?
        .ok_or_else(|| StoreError::from(Missing::Document(id)))?;
    Ok((row.get(0), row.get(1)))
}

/// The person a document was issued to or names, if any (the personal-data access log).
pub async fn person_of(db: &Db, id: i64) -> Result<Option<i64>> {
    Ok(
        sqlx::query_scalar::<_, Option<i64>>("SELECT person_id FROM documents WHERE id = $1")
            .bind(id)
            .fetch_optional(db.read())
            .await?
            .flatten(),
    )
}

/// Documents issued to correct `id`, oldest first.
pub async fn corrections(db: &Db, id: i64) -> Result<Vec<DocRef>> {
    let rows = sqlx::query(
        "SELECT id, number, issued_on FROM documents WHERE corrects_id = $1 ORDER BY id",
    )
    .bind(id)
    .fetch_all(db.read())
    .await?;
    Ok(rows
        .iter()
        .map(|r| DocRef {
            id: r.get(0),
            number: r.get(1),
            issued_on: r.get(2),
        })
        .collect())
}

fn where_of(f: &DocumentFilter) -> (String, Vec<String>, Vec<i64>) {
    let mut wh = vec!["1=1".to_string()];
    let mut texts = Vec::new();
    let mut ints = Vec::new();
    // Text parameters come first ($1…), integers after them.
    if let Some(q) = f.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        texts.push(like_pattern(q));
        wh.push(format!("search_text LIKE ${} ESCAPE '\\'", texts.len()));
    }
    if let Some(k) = f.kind.as_deref().filter(|k| !k.is_empty()) {
        texts.push(k.to_string());
        wh.push(format!("kind = ${}", texts.len()));
    }
    if let Some(from) = f.period.from {
        texts.push(time::date_text(from));
        wh.push(format!("issued_on >= ${}", texts.len()));
    }
    if let Some(to) = f.period.to {
        texts.push(time::date_text(to));
        wh.push(format!("issued_on <= ${}", texts.len()));
    }
    for (col, v) in [
        ("account_id", f.account_id),
        ("person_id", f.person_id),
        ("appeal_id", f.appeal_id),
    ] {
        if let Some(v) = v {
            ints.push(v);
            wh.push(format!("{col} = ${}", texts.len() + ints.len()));
        }
    }
    (wh.join(" AND "), texts, ints)
}

/// Documents matching the filter, newest first.
pub async fn list(db: &Db, f: &DocumentFilter, page: PageReq) -> Result<Page<Document>> {
    let (wh, texts, ints) = where_of(f);
    let sql = format!(
        "SELECT {COLS} FROM documents WHERE {wh} ORDER BY issued_at DESC, id DESC LIMIT {} OFFSET {}",
        page.per_page,
        page.offset()
    );
    let count_sql = format!("SELECT COUNT(*) FROM documents WHERE {wh}");
    let mut q = sqlx::query(&sql);
    let mut c = sqlx::query_scalar::<_, i64>(&count_sql);
    for t in &texts {
        q = q.bind(t.clone());
        c = c.bind(t.clone());
    }
    for i in &ints {
        q = q.bind(*i);
        c = c.bind(*i);
    }
    let items = q.fetch_all(db.read()).await?.iter().map(from_row).collect();
    Ok(Page {
        items,
        total: c.fetch_one(db.read()).await?,
        page: page.page,
        per_page: page.per_page,
    })
}

/// How many documents exist (tests and the dashboard).
pub async fn count(db: &Db) -> Result<i64> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM documents")
        .fetch_one(db.read())
        .await?)
}
