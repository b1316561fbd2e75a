//! Payments from bank registers and 1С statements: streamed into the ledger inside one
//! transaction (a bad line, a totals mismatch or a duplicate rolls everything back), each
//! matched to an account by its number. Payments no account matched go to a queue with
//! suggestions and wait there for a person; they are never dropped.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use abonent_domain::ledger::checks::file;
use abonent_domain::ledger::payer_address;
use abonent_domain::ledger::words::{
    internal, noun, suggested_by, unmatched_resolved_reason, with_flat, UNMATCHED_RESOLVED_NOTE,
};
use abonent_domain::ledger::{LedgerRefusal, PaymentFacts, Period};
use chrono::NaiveDate;
use serde::Serialize;
use sqlx::Row;

use super::charges::{self, account_index, begin_import, finish_import, norm_number, FileMeta};
use crate::bulk::BulkValue;
use crate::history::{self, Actor, Change};
use crate::registry::{Page, PageReq};
use crate::{time, Db, Result, StoreError};

/// One payment read from a file (the caller parses; storage matches and writes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncomingPayment {
    /// Line (or document line) in the file, for messages.
    pub line: usize,
    /// The bank's operation number; with the date, amount and account it makes a payment
    /// unique. `None`: no duplicate check is possible.
    pub operation_id: Option<String>,
    pub paid_on: NaiveDate,
    /// As the bank wrote it; empty when unknown.
    pub account_number: String,
    pub payer: String,
    pub address: String,
    pub purpose: String,
    pub period: Option<Period>,
    /// Kopecks, positive.
    pub amount: i64,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct PaymentsSummary {
    pub import_id: i64,
    pub rows: usize,
    pub amount: i64,
    pub matched: usize,
    pub matched_amount: i64,
    pub unmatched: usize,
    pub unmatched_amount: i64,
    #[serde(skip)]
    pub account_ids: Vec<i64>,
}

impl PaymentsSummary {
    /// The outcome in the words the page and the command line print.
    pub fn text(&self) -> String {
        abonent_domain::ledger::words::payments_loaded(
            self.rows,
            self.amount,
            self.matched,
            self.unmatched,
            self.unmatched_amount,
        )
    }
}

/// Payments per statement round.
pub const BATCH: usize = 5_000;

const LEDGER_COLS: &[&str] = &[
    "account_id",
    "kind",
    "period",
    "amount",
    "entry_date",
    "paid_period",
    "operation_id",
    "payer",
    "import_id",
    "created_by",
    "created_at",
    "paid_to",
];

use super::unnest::{self, Col};

const LEDGER_TYPES: &[Col] = &[
    Col::Int,
    Col::Text,
    Col::Text,
    Col::Int,
    Col::Text,
    Col::Text,
    Col::Text,
    Col::Text,
    Col::Int,
    Col::Int,
    Col::Text,
    Col::Text,
];

const UNMATCHED_TYPES: &[Col] = &[
    Col::Int,
    Col::Int,
    Col::Text,
    Col::Text,
    Col::Int,
    Col::Text,
    Col::Text,
    Col::Text,
    Col::Text,
    Col::Text,
    Col::Text,
    Col::Text,
];

const UNMATCHED_COLS: &[&str] = &[
    "import_id",
    "line",
    "operation_id",
    "paid_on",
    "amount",
    "account_number",
    "payer",
    "address",
    "purpose",
    "paid_period",
    "status",
    "created_at",
];

/// Gives payments to storage one by one (runs on a blocking thread) and says at the end
/// whether the whole file was good; an `Err` message rejects the file.
pub type Producer =
    Box<dyn FnOnce(&mut dyn FnMut(IncomingPayment)) -> std::result::Result<(), String> + Send>;

/// Import the payments `produce` yields, all or nothing. `progress` gets the number of
/// payments written so far.
pub async fn import_payments(
    db: &Db,
    meta: &FileMeta,
    actor: &Actor,
    produce: Producer,
    progress: &(dyn Fn(usize) + Sync),
) -> Result<PaymentsSummary> {
    if let Some(pg) = db.pg_native() {
        return import_copy(db, pg, meta, actor, produce, progress).await;
    }
    let mut conn = db.write().acquire().await?;
    let big = super::big_cache(&mut conn, db.backend()).await?;
    let result = import_in(db, &mut conn, meta, actor, produce, progress).await;
    super::normal_cache(&mut conn, big).await;
    result
}

async fn import_in(
    db: &Db,
    conn: &mut sqlx::AnyConnection,
    meta: &FileMeta,
    actor: &Actor,
    produce: Producer,
    progress: &(dyn Fn(usize) + Sync),
) -> Result<PaymentsSummary> {
    use sqlx::Connection;
    let mut tx = conn.begin().await?;
    let import_id = begin_import(&mut tx, &db.now_text(), meta, actor).await?;
    let accounts = Arc::new(account_index(&mut tx).await?);
    let ctx = BatchCtx::new(db, import_id, actor, accounts, false);
    let sum = pump(db, Sink::Any(&mut tx), ctx, produce, progress).await?;
    finish_import(
        &mut tx,
        import_id,
        sum.rows as i64,
        sum.amount,
        sum.matched as i64,
        sum.unmatched as i64,
    )
    .await?;
    tx.commit().await?;
    Ok(sum)
}

/// PostgreSQL: the same import in one transaction of a native connection, the rows sent
/// with `COPY` (the server takes them faster than any `INSERT`).
async fn import_copy(
    db: &Db,
    pg: &sqlx::PgPool,
    meta: &FileMeta,
    actor: &Actor,
    produce: Producer,
    progress: &(dyn Fn(usize) + Sync),
) -> Result<PaymentsSummary> {
    use sqlx::Connection;
    let mut conn = pg.acquire().await?;
    let mut tx = conn.begin().await?;
    let inserted = charges::insert_import!(
        sqlx::query_scalar::<_, i64>(charges::INSERT_IMPORT),
        meta,
        actor,
        db.now_text()
    )
    .fetch_one(&mut *tx)
    .await;
    let import_id = match inserted.map_err(StoreError::from) {
        Ok(id) => id,
        Err(e) => {
            drop(tx);
            // The file's hash is unique: the same file was loaded before (or a moment ago).
            let before = match e.is_unique_violation() {
                true => charges::find_by_hash(db, &meta.sha256).await?,
                false => None,
            };
            return Err(match before {
                Some(prev) => StoreError::invalid("file", charges::duplicate_message(&prev)),
                None => e,
            });
        }
    };
    let accounts: HashMap<String, i64> = sqlx::query_as::<_, (String, i64)>(charges::ACCOUNT_INDEX)
        .fetch_all(&mut *tx)
        .await?
        .into_iter()
        .collect();
    let ctx = BatchCtx::new(db, import_id, actor, Arc::new(accounts), true);
    let sum = pump(db, Sink::Copy(&mut tx), ctx, produce, progress).await?;
    sqlx::query(charges::FINISH_IMPORT)
        .bind(sum.rows as i64)
        .bind(sum.amount)
        .bind(sum.matched as i64)
        .bind(sum.unmatched as i64)
        .bind(import_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(sum)
}

/// Where the batches go.
enum Sink<'a> {
    Any(&'a mut sqlx::AnyConnection),
    Copy(&'a mut sqlx::PgConnection),
}

impl Sink<'_> {
    async fn write(&mut self, b: &Prepared) -> Result<()> {
        match self {
            Sink::Any(conn) => {
                unnest::execute(conn, &b.ledger).await?;
                unnest::execute(conn, &b.unmatched).await?;
            }
            Sink::Copy(conn) => {
                unnest::copy(conn, &b.ledger).await?;
                unnest::copy(conn, &b.unmatched).await?;
            }
        }
        Ok(())
    }
}

/// Parse, match and write the whole file. The producer thread parses the file, matches each
/// payment to its account and builds the statements of each batch; meanwhile the database
/// writes the previous batch. Only the writing happens here; the caller commits.
async fn pump(
    db: &Db,
    mut sink: Sink<'_>,
    ctx: BatchCtx,
    produce: Producer,
    progress: &(dyn Fn(usize) + Sync),
) -> Result<PaymentsSummary> {
    let (sender, mut receiver) = tokio::sync::mpsc::channel::<Result<Prepared>>(2);
    let import_id = ctx.import_id;
    let accounts = ctx.accounts.clone();
    let producer = tokio::task::spawn_blocking(move || {
        let mut batch = Vec::with_capacity(BATCH);
        let mut open = true;
        let send = |batch: Vec<IncomingPayment>| {
            let prepared = ctx.prepare(batch);
            sender.blocking_send(prepared).is_ok()
        };
        let result = produce(&mut |p| {
            if !open {
                return;
            }
            batch.push(p);
            if batch.len() == BATCH {
                open = send(std::mem::replace(&mut batch, Vec::with_capacity(BATCH)));
            }
        });
        if open && !batch.is_empty() && result.is_ok() {
            send(batch);
        }
        result
    });

    let mut sum = PaymentsSummary {
        import_id,
        ..Default::default()
    };
    let mut touched: HashSet<i64> = HashSet::new();
    while let Some(prepared) = receiver.recv().await {
        let b = prepared?;
        sum.rows += b.batch.len();
        sum.amount += b.amount;
        sum.matched += b.matched;
        sum.matched_amount += b.matched_amount;
        sum.unmatched += b.batch.len() - b.matched;
        sum.unmatched_amount += b.amount - b.matched_amount;
        touched.extend(b.touched.iter().copied());
        if let Err(e) = sink.write(&b).await {
            drop(receiver);
            // The database reports a broken unique index; the person needs the line.
            return Err(match e.is_unique_violation() {
                true => duplicate_error(db, &b.batch, &accounts).await,
                false => e,
            });
        }
        progress(sum.rows);
    }
    match producer.await {
        Ok(Ok(())) => {}
        Ok(Err(message)) => return Err(StoreError::invalid("file", message)),
        Err(e) => return Err(StoreError::Other(internal::parsing_aborted(&e.to_string()))),
    }
    if sum.rows == 0 {
        return Err(StoreError::invalid("file", file::NO_PAYMENTS));
    }
    let mut ids: Vec<i64> = touched.into_iter().collect();
    ids.sort_unstable();
    sum.account_ids = ids;
    Ok(sum)
}

/// What the producer thread makes of one batch of payments.
struct Prepared {
    batch: Vec<IncomingPayment>,
    ledger: unnest::Statements,
    unmatched: unnest::Statements,
    amount: i64,
    matched: usize,
    matched_amount: i64,
    touched: Vec<i64>,
}

/// What matching and statement building need, owned by the producer thread.
struct BatchCtx {
    accounts: Arc<HashMap<String, i64>>,
    backend: crate::Backend,
    /// Build `COPY` data instead of statements.
    copy: bool,
    import_id: i64,
    user_id: Option<i64>,
    now: String,
}

impl BatchCtx {
    fn new(
        db: &Db,
        import_id: i64,
        actor: &Actor,
        accounts: Arc<HashMap<String, i64>>,
        copy: bool,
    ) -> BatchCtx {
        BatchCtx {
            accounts,
            backend: db.backend(),
            copy,
            import_id,
            user_id: actor.user_id,
            now: db.now_text(),
        }
    }

    fn prepare(&self, batch: Vec<IncomingPayment>) -> Result<Prepared> {
        let mut ledger = Vec::with_capacity(batch.len());
        let mut unmatched = Vec::new();
        let (mut amount, mut matched, mut matched_amount) = (0, 0, 0);
        let mut touched = Vec::new();
        for p in &batch {
            amount += p.amount;
            let op = p
                .operation_id
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty());
            let payer = Some(p.payer.trim()).filter(|s| !s.is_empty());
            match self.accounts.get(&norm_number(&p.account_number)) {
                Some(&account_id) => {
                    matched += 1;
                    matched_amount += p.amount;
                    touched.push(account_id);
                    ledger.push(vec![
                        BulkValue::Int(account_id),
                        "payment".into(),
                        Period::of(p.paid_on).to_string().into(),
                        BulkValue::Int(p.amount),
                        time::date_text(p.paid_on).into(),
                        p.period.map(|x| x.to_string()).into(),
                        op.into(),
                        payer.into(),
                        BulkValue::Int(self.import_id),
                        self.user_id.into(),
                        (&self.now).into(),
                        paid_to(&p.purpose).into(),
                    ]);
                }
                None => unmatched.push(vec![
                    BulkValue::Int(self.import_id),
                    BulkValue::Int(p.line as i64),
                    op.into(),
                    time::date_text(p.paid_on).into(),
                    BulkValue::Int(p.amount),
                    norm_number(&p.account_number).into(),
                    payer.into(),
                    Some(p.address.trim()).filter(|s| !s.is_empty()).into(),
                    Some(p.purpose.trim()).filter(|s| !s.is_empty()).into(),
                    p.period.map(|x| x.to_string()).into(),
                    "open".into(),
                    (&self.now).into(),
                ]),
            }
        }
        let b = self.backend;
        let (ledger, unmatched) = if self.copy {
            (
                unnest::prepare_copy("ledger_entries", LEDGER_COLS, &ledger)?,
                unnest::prepare_copy("unmatched_payments", UNMATCHED_COLS, &unmatched)?,
            )
        } else {
            (
                unnest::prepare(b, "ledger_entries", LEDGER_COLS, LEDGER_TYPES, &ledger)?,
                unnest::prepare(
                    b,
                    "unmatched_payments",
                    UNMATCHED_COLS,
                    UNMATCHED_TYPES,
                    &unmatched,
                )?,
            )
        };
        Ok(Prepared {
            ledger,
            unmatched,
            batch,
            amount,
            matched,
            matched_amount,
            touched,
        })
    }
}

type Key = (String, NaiveDate, i64, String);

/// `paid_to` of a payment with this purpose: penalties when the purpose names them.
fn paid_to(purpose: &str) -> Option<&'static str> {
    abonent_domain::ledger::purpose_names_penalties(purpose).then_some(super::PAID_TO_PENALTIES)
}

fn key_of(p: &IncomingPayment) -> Option<Key> {
    let op = p
        .operation_id
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())?;
    Some((
        op.to_string(),
        p.paid_on,
        p.amount,
        norm_number(&p.account_number),
    ))
}

fn facts(p: &IncomingPayment) -> PaymentFacts {
    PaymentFacts {
        line: p.line,
        operation_id: p.operation_id.clone().unwrap_or_default(),
        paid_on: p.paid_on,
        amount: p.amount,
        account_number: p.account_number.clone(),
    }
}

/// Which payment of `batch` broke a uniqueness rule, in words.
async fn duplicate_error(
    db: &Db,
    batch: &[IncomingPayment],
    accounts: &HashMap<String, i64>,
) -> StoreError {
    let mut seen: HashMap<Key, usize> = HashMap::new();
    for p in batch {
        if let Some(k) = key_of(p) {
            if let Some(first) = seen.insert(k, p.line) {
                return LedgerRefusal::RepeatsLine {
                    payment: facts(p),
                    first,
                }
                .into();
            }
        }
    }
    for p in batch {
        let Some((op, date, amount, number)) = key_of(p) else {
            continue;
        };
        let found: Option<(String, String)> = match accounts.get(&number) {
            Some(&account_id) => sqlx::query(
                "SELECT i.file_name, i.created_at FROM ledger_entries e LEFT JOIN ledger_imports i ON i.id = e.import_id \
                 WHERE e.kind = 'payment' AND e.operation_id = $1 AND e.entry_date = $2 AND e.amount = $3 AND e.account_id = $4",
            )
            .bind(&op)
            .bind(time::date_text(date))
            .bind(amount)
            .bind(account_id)
            .fetch_optional(db.read())
            .await
            .ok()
            .flatten()
            .map(|r| {
                (
                    r.get::<Option<String>, _>(0).unwrap_or_default(),
                    r.get::<Option<String>, _>(1).unwrap_or_default(),
                )
            }),
            None => sqlx::query(
                "SELECT i.file_name, i.created_at FROM unmatched_payments u LEFT JOIN ledger_imports i ON i.id = u.import_id \
                 WHERE u.operation_id = $1 AND u.paid_on = $2 AND u.amount = $3 AND u.account_number = $4",
            )
            .bind(&op)
            .bind(time::date_text(date))
            .bind(amount)
            .bind(&number)
            .fetch_optional(db.read())
            .await
            .ok()
            .flatten()
            .map(|r| {
                (
                    r.get::<Option<String>, _>(0).unwrap_or_default(),
                    r.get::<Option<String>, _>(1).unwrap_or_default(),
                )
            }),
        };
        if let Some((file, loaded_at)) = found {
            return LedgerRefusal::LoadedBefore {
                payment: facts(p),
                file,
                loaded_at,
            }
            .into();
        }
    }
    LedgerRefusal::RepeatsInFile.into()
}

/// A payment waiting for its account.
#[derive(Debug, Clone, Serialize)]
pub struct Unmatched {
    pub id: i64,
    pub import_id: Option<i64>,
    pub file_name: Option<String>,
    pub line: Option<i64>,
    pub operation_id: Option<String>,
    pub paid_on: String,
    pub amount: i64,
    /// As the bank wrote it (may be empty).
    pub account_number: String,
    pub payer: Option<String>,
    pub address: Option<String>,
    pub purpose: Option<String>,
    pub paid_period: Option<String>,
    /// `open` or `resolved`.
    pub status: String,
    pub account_id: Option<i64>,
    pub entry_id: Option<i64>,
    pub resolved_by: Option<String>,
    pub resolved_at: Option<String>,
}

const U_COLS: &str = "u.id, u.import_id, i.file_name, u.line, u.operation_id, u.paid_on, u.amount, \
    u.account_number, u.payer, u.address, u.purpose, u.paid_period, u.status, u.account_id, u.entry_id, \
    u.resolved_by, u.resolved_at";

fn unmatched_of(r: &sqlx::any::AnyRow) -> Unmatched {
    Unmatched {
        id: r.get(0),
        import_id: r.get(1),
        file_name: r.get(2),
        line: r.get(3),
        operation_id: r.get(4),
        paid_on: r.get(5),
        amount: r.get(6),
        account_number: r.get(7),
        payer: r.get(8),
        address: r.get(9),
        purpose: r.get(10),
        paid_period: r.get(11),
        status: r.get(12),
        account_id: r.get(13),
        entry_id: r.get(14),
        resolved_by: r.get(15),
        resolved_at: r.get(16),
    }
}

/// The queue: `open` (default) or `resolved`, oldest first.
pub async fn unmatched(db: &Db, status: &str, page: PageReq) -> Result<Page<Unmatched>> {
    let status = if status == "resolved" {
        "resolved"
    } else {
        "open"
    };
    let total: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM unmatched_payments WHERE status = $1")
            .bind(status)
            .fetch_one(db.read())
            .await?;
    let items = sqlx::query(&format!(
        "SELECT {U_COLS} FROM unmatched_payments u LEFT JOIN ledger_imports i ON i.id = u.import_id \
         WHERE u.status = $1 ORDER BY u.id LIMIT $2 OFFSET $3"
    ))
    .bind(status)
    .bind(page.per_page)
    .bind(page.offset())
    .fetch_all(db.read())
    .await?
    .iter()
    .map(unmatched_of)
    .collect();
    Ok(Page {
        items,
        total,
        page: page.page,
        per_page: page.per_page,
    })
}

pub async fn unmatched_get(db: &Db, id: i64) -> Result<Unmatched> {
    sqlx::query(&format!(
        "SELECT {U_COLS} FROM unmatched_payments u LEFT JOIN ledger_imports i ON i.id = u.import_id WHERE u.id = $1"
    ))
    .bind(id)
    .fetch_optional(db.read())
    .await?
    .as_ref()
    .map(unmatched_of)
    .ok_or_else(|| StoreError::NotFound(noun::UNMATCHED_PAYMENT.into()))
}

/// An account that may be the one a payment meant.
#[derive(Debug, Clone, Serialize)]
pub struct Suggestion {
    pub account_id: i64,
    pub number: String,
    pub address: String,
    /// Why it is suggested: «похожий номер», «адрес», «ФИО плательщика».
    pub why: String,
}

async fn briefs(db: &Db, ids: &[i64]) -> Result<Vec<(i64, String, String)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let list: Vec<String> = ids.iter().map(i64::to_string).collect();
    Ok(sqlx::query(&format!(
        "SELECT a.id, a.number, b.city, b.street, b.house, b.korpus, b.stroenie, p.number AS flat \
         FROM accounts a JOIN premises p ON p.id = a.premises_id JOIN buildings b ON b.id = p.building_id \
         WHERE a.id IN ({}) AND a.closed_on IS NULL ORDER BY a.number",
        list.join(",")
    ))
    .persistent(false)
    .fetch_all(db.read())
    .await?
    .iter()
    .map(|r| {
        (
            r.get::<i64, _>(0),
            r.get::<String, _>(1),
            with_flat(&crate::search::address_of(r), &r.get::<String, _>("flat")),
        )
    })
    .collect())
}

/// Accounts a queued payment may belong to: a number that differs only by leading zeros,
/// the address, the payer's name (registry search).
pub async fn suggestions(db: &Db, u: &Unmatched) -> Result<Vec<Suggestion>> {
    let mut out: Vec<Suggestion> = Vec::new();
    let push = |out: &mut Vec<Suggestion>, found: Vec<(i64, String, String)>, why: &str| {
        for (id, number, address) in found {
            if !out.iter().any(|s| s.account_id == id) {
                out.push(Suggestion {
                    account_id: id,
                    number,
                    address,
                    why: why.into(),
                });
            }
        }
    };
    let stripped = u.account_number.trim_start_matches('0');
    if !stripped.is_empty() {
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM accounts WHERE number = $1 OR number = $2 OR number = $3 LIMIT 5",
        )
        .bind(stripped)
        .bind(format!("0{stripped}"))
        .bind(format!("00{stripped}"))
        .fetch_all(db.read())
        .await?;
        push(&mut out, briefs(db, &ids).await?, suggested_by::NUMBER);
    }
    if let Some(addr) = u.address.as_deref().filter(|a| !a.trim().is_empty()) {
        let q = payer_address::search_terms(addr);
        let hits = crate::search::search(db, &q, 10).await?;
        let ids: Vec<i64> = hits
            .iter()
            .filter(|h| h.kind == crate::search::HitKind::Account)
            .map(|h| h.id)
            .collect();
        push(&mut out, briefs(db, &ids).await?, suggested_by::ADDRESS);
    }
    if let Some(name) = u.payer.as_deref().filter(|a| !a.trim().is_empty()) {
        let hits = crate::search::search(db, name, 10).await?;
        let people: Vec<String> = hits
            .iter()
            .filter(|h| h.kind == crate::search::HitKind::Person)
            .map(|h| h.id.to_string())
            .collect();
        if !people.is_empty() {
            let ids: Vec<i64> = sqlx::query_scalar(&format!(
                "SELECT DISTINCT account_id FROM account_persons WHERE closed_at IS NULL AND person_id IN ({})",
                people.join(",")
            ))
            .persistent(false)
            .fetch_all(db.read())
            .await?;
            push(&mut out, briefs(db, &ids).await?, suggested_by::PAYER);
        }
    }
    out.truncate(20);
    Ok(out)
}

/// Assign the account to a queued payment: it is posted to that account's ledger, whose
/// debt summary is refreshed as of `today` in the same transaction.
pub async fn resolve(
    db: &Db,
    id: i64,
    account_id: i64,
    today: NaiveDate,
    actor: &Actor,
) -> Result<i64> {
    let mut tx = db.write().begin().await?;
    let r = sqlx::query(
        "SELECT status, operation_id, paid_on, amount, paid_period, payer, import_id, purpose FROM unmatched_payments WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| StoreError::NotFound(noun::UNMATCHED_PAYMENT.into()))?;
    if r.get::<String, _>(0) != "open" {
        return Err(LedgerRefusal::UnmatchedResolved.into());
    }
    let number = super::account_number(&mut tx, account_id).await?;
    let paid_on: String = r.get(2);
    let amount: i64 = r.get(3);
    let entry_id: i64 = sqlx::query_scalar(
        "INSERT INTO ledger_entries (account_id, kind, period, amount, entry_date, paid_period, operation_id, \
         payer, import_id, reason, created_by, created_at, paid_to) \
         VALUES ($1, 'payment', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
    )
    .bind(account_id)
    .bind(paid_on.get(..7).unwrap_or(&paid_on))
    .bind(amount)
    .bind(&paid_on)
    .bind(r.get::<Option<String>, _>(4))
    .bind(r.get::<Option<String>, _>(1))
    .bind(r.get::<Option<String>, _>(5))
    .bind(r.get::<Option<i64>, _>(6))
    .bind(unmatched_resolved_reason(id))
    .bind(actor.user_id)
    .bind(db.now_text())
    .bind(paid_to(r.get::<Option<String>, _>(7).as_deref().unwrap_or("")))
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| match StoreError::from(e) {
        e if e.is_unique_violation() => LedgerRefusal::SamePaymentOnAccount.into(),
        e => e,
    })?;
    sqlx::query(
        "UPDATE unmatched_payments SET status = 'resolved', account_id = $1, entry_id = $2, \
         resolved_by = $3, resolved_at = $4 WHERE id = $5",
    )
    .bind(account_id)
    .bind(entry_id)
    .bind(&actor.name)
    .bind(db.now_text())
    .bind(id)
    .execute(&mut *tx)
    .await?;
    history::record(
        &mut tx,
        &db.now_text(),
        actor,
        Change {
            entity: "ledger_entry",
            entity_id: entry_id,
            parent: Some(("account", account_id)),
            action: "payment_resolved",
            before: None,
            after: Some(serde_json::json!({"unmatched_id": id, "account": number, "amount": amount, "paid_on": paid_on})),
            note: Some(UNMATCHED_RESOLVED_NOTE),
        },
    )
    .await?;
    super::debts::refresh_in(db, &mut tx, &[account_id], today).await?;
    tx.commit().await?;
    Ok(entry_id)
}
