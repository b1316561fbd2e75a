//! Loading the demo company into an empty database, fast: chunks of buildings, each
//! written in one transaction with multi-row inserts (the rows, their `create` history and
//! search tokens), so memory stays flat whatever the size. A thread of its own generates
//! the chunks and turns them into rows while the database writes the previous one.

use std::time::{Duration, Instant};

use abonent_domain::registry::{BenefitData, LinkData};
use abonent_storage::bulk::{self, BulkValue};
use abonent_storage::registry::import::{RegistryBatch, REGISTRY_TABLES};
use abonent_storage::{Actor, Backend, Db, Result, StoreError};
use sqlx::Connection;

use crate::{chunks, DemoCompany, DemoConfig};

/// Who the history names as the author of the demo records.
pub const ACTOR_NAME: &str = "Демонстрационные данные";

/// Buildings per transaction: about 5 000 accounts and 130 000 rows in all tables.
const BUILDINGS_PER_CHUNK: usize = 100;

/// What was loaded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DemoStats {
    pub buildings: usize,
    pub premises: usize,
    pub accounts: usize,
    pub persons: usize,
    pub links: usize,
    pub benefits: usize,
    /// One per record above.
    pub history_rows: usize,
    pub search_tokens: usize,
    /// Charges, recalculations and payments of the demo ledger.
    pub ledger_entries: usize,
    pub elapsed: Duration,
}

/// Records of a chunk per registry table, in the order of [`REGISTRY_TABLES`].
fn counts(c: &DemoCompany) -> [usize; 6] {
    [
        c.buildings.len(),
        c.premises.len(),
        c.accounts.len(),
        c.persons.len(),
        c.links.len(),
        c.benefits.len(),
    ]
}

/// Generate the company of `cfg` and store it. Refuses a database that already has
/// accounts. `progress(accounts stored, accounts in all)` is called after every chunk.
///
/// Each chunk of buildings is its own transaction: if loading fails midway, the chunks
/// before it stay (a later `load` then refuses; start over with an empty database).
pub async fn load(
    db: &Db,
    cfg: &DemoConfig,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<DemoStats> {
    load_in_chunks(db, cfg, BUILDINGS_PER_CHUNK, progress).await
}

/// [`load`] with `buildings_per_chunk` buildings per transaction.
pub async fn load_in_chunks(
    db: &Db,
    cfg: &DemoConfig,
    buildings_per_chunk: usize,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<DemoStats> {
    let started = Instant::now();
    let backend = db.backend();
    // Sizes first (generating is quick next to storing), so that the ids of everything
    // are reserved at once and rows can be made ahead of the database.
    let mut totals = [0usize; 6];
    for c in chunks(cfg, buildings_per_chunk) {
        for (t, n) in totals.iter_mut().zip(counts(&c)) {
            *t += n;
        }
    }
    // One write connection for the whole load: on SQLite nobody writes in between.
    let mut conn = db.write().acquire().await?;
    if backend == Backend::Sqlite {
        // For the load only: a page cache that holds the growing indexes, and no fsync at
        // the checkpoints (a crash meanwhile can lose the demo data, nothing else is in
        // the database). The connection is closed afterwards instead of going back to the
        // pool, which opens a fresh one with the usual settings.
        conn.close_on_drop();
        sqlx::raw_sql("PRAGMA cache_size=-262144; PRAGMA synchronous=OFF")
            .execute(&mut *conn)
            .await?;
    }

    let mut first = [0i64; 6];
    {
        let mut tx = conn.begin().await?;
        bulk::lock_tables(&mut tx, backend, &REGISTRY_TABLES).await?;
        let accounts: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM accounts")
            .fetch_one(&mut *tx)
            .await?;
        if accounts > 0 {
            return Err(StoreError::Other(format!(
                "В базе уже есть лицевые счета ({accounts}): демонстрационные данные \
                 загружаются только в пустую базу. Укажите новый каталог данных \
                 (или новую базу PostgreSQL) и повторите."
            )));
        }
        for (k, table) in REGISTRY_TABLES.iter().enumerate() {
            if totals[k] > 0 {
                first[k] = bulk::reserve_ids(&mut tx, backend, table, totals[k]).await?;
            }
        }
        tx.commit().await?;
    }

    let (sender, mut receiver) =
        tokio::sync::mpsc::channel::<([usize; 6], RegistryBatch, LedgerRows)>(2);
    let cfg_owned = *cfg;
    let now = db.now_text();
    let maker = std::thread::spawn(move || {
        let actor = Actor::system(ACTOR_NAME);
        let mut next = first;
        for chunk in chunks(&cfg_owned, buildings_per_chunk) {
            let n = counts(&chunk);
            let batch = rows_of(&chunk, &next, &actor, &now);
            let ledger = ledger_rows(&chunk, &next, cfg_owned.seed, &now);
            for (id, n) in next.iter_mut().zip(n) {
                *id += n as i64;
            }
            if sender.blocking_send((n, batch, ledger)).is_err() {
                return; // the loader stopped
            }
        }
    });

    let mut stats = DemoStats::default();
    while let Some((n, mut batch, ledger)) = receiver.recv().await {
        let mut tx = conn.begin().await?;
        bulk::lock_tables(&mut tx, backend, &REGISTRY_TABLES).await?;
        stats.search_tokens += batch.pending_tokens();
        batch.write(&mut tx).await?;
        stats.ledger_entries += ledger.write(&mut tx, backend).await?;
        bulk::fix_sequences(&mut tx, backend, &REGISTRY_TABLES).await?;
        tx.commit().await?;
        stats.buildings += n[0];
        stats.premises += n[1];
        stats.accounts += n[2];
        stats.persons += n[3];
        stats.links += n[4];
        stats.benefits += n[5];
        progress(stats.accounts, totals[2]);
    }
    drop(conn);
    if maker.join().is_err() || stats.accounts != totals[2] {
        return Err(StoreError::Other(
            "Генератор демонстрационных данных остановился с ошибкой: загружена только часть. \
             Начните заново с пустой базой."
                .into(),
        ));
    }
    stats.history_rows = stats.buildings
        + stats.premises
        + stats.accounts
        + stats.persons
        + stats.links
        + stats.benefits;
    // A whole registry arrived at once: the search index's statistics before anyone searches.
    abonent_storage::statistics::after_registry_load(db).await?;
    // The maintenance tariffs the demo charges were made by, so every charge is explained.
    let tariffs = crate::ledger::maintenance_tariffs();
    abonent_storage::tariffs::add_tariffs(
        db,
        &tariffs,
        &|_| String::new(),
        &Actor::system(ACTOR_NAME),
    )
    .await?;
    stats.history_rows += tariffs.len();
    stats.elapsed = started.elapsed();
    Ok(stats)
}

/// The rows of a chunk whose first ids per table are `first`.
fn rows_of(chunk: &DemoCompany, first: &[i64; 6], actor: &Actor, now: &str) -> RegistryBatch {
    let id = |k: usize, i: usize| first[k] + i as i64;
    let mut batch = RegistryBatch::new(actor, None, now.to_string());
    for (i, b) in chunk.buildings.iter().enumerate() {
        batch.building(id(0, i), b);
    }
    for (i, p) in chunk.premises.iter().enumerate() {
        let mut d = p.data.clone();
        d.building_id = id(0, p.building);
        batch.premises(id(1, i), &d);
    }
    for (i, a) in chunk.accounts.iter().enumerate() {
        let p = &chunk.premises[a.premises];
        let b = &chunk.buildings[p.building];
        let mut d = a.data.clone();
        d.premises_id = id(1, a.premises);
        batch.account(id(2, i), &d, &b.street, &b.house, &p.data.number);
    }
    for (i, p) in chunk.persons.iter().enumerate() {
        batch.person(id(3, i), p);
    }
    for (i, l) in chunk.links.iter().enumerate() {
        let d = LinkData {
            account_id: id(2, l.account),
            person_id: id(3, l.person),
            role: l.role,
            share: l.share,
            from_date: l.from_date,
            to_date: None,
            registration: Default::default(),
        };
        batch.link(id(4, i), &d);
    }
    for (i, b) in chunk.benefits.iter().enumerate() {
        let d = BenefitData {
            person_id: id(3, b.person),
            category: b.category.clone(),
            document: b.document.clone(),
            from_date: b.from_date,
            to_date: b.to_date,
        };
        batch.benefit(id(5, i), &d);
    }
    batch
}

/// The demo ledger of a chunk: its entries and the debt summary the debtor list reads.
struct LedgerRows {
    entries: Vec<Vec<BulkValue>>,
    debts: Vec<Vec<BulkValue>>,
    service_debts: Vec<Vec<BulkValue>>,
}

const LEDGER_COLS: &[&str] = &[
    "account_id",
    "kind",
    "period",
    "service",
    "amount",
    "entry_date",
    "paid_period",
    "volume",
    "tariff",
    "unit",
    "reason",
    "created_at",
];

impl LedgerRows {
    async fn write(&self, conn: &mut sqlx::AnyConnection, backend: Backend) -> Result<usize> {
        use abonent_storage::ledger::unnest::{self, Col::*};
        unnest::insert(
            conn,
            backend,
            "ledger_entries",
            LEDGER_COLS,
            &[
                Int, Text, Text, Text, Int, Text, Text, Text, Text, Text, Text, Text,
            ],
            &self.entries,
        )
        .await?;
        bulk::insert_rows(
            conn,
            "account_debts",
            &[
                "account_id",
                "building_id",
                "debt",
                "penalties",
                "months",
                "oldest_period",
                "updated_at",
            ],
            &self.debts,
        )
        .await?;
        bulk::insert_rows(
            conn,
            "account_service_debts",
            &["account_id", "service", "debt"],
            &self.service_debts,
        )
        .await?;
        Ok(self.entries.len())
    }
}

fn ledger_rows(chunk: &DemoCompany, first: &[i64; 6], seed: u64, now: &str) -> LedgerRows {
    use abonent_domain::ledger::AllocationRule;
    use abonent_storage::ledger::{debts, kind_code};
    let mut out = LedgerRows {
        entries: Vec::with_capacity(chunk.accounts.len() * 72),
        debts: Vec::with_capacity(chunk.accounts.len()),
        service_debts: Vec::new(),
    };
    for (i, a) in chunk.accounts.iter().enumerate() {
        let id = first[2] + i as i64;
        let p = &chunk.premises[a.premises];
        let building = first[0] + p.building as i64;
        let area = p.data.area_centi.unwrap_or(5_000);
        let (_, lines) =
            crate::ledger::account_ledger(seed, &a.data.number, area, a.data.opened_on);
        for e in &lines {
            out.entries.push(vec![
                BulkValue::Int(id),
                kind_code(e.kind).into(),
                e.period.to_string().into(),
                e.service.into(),
                BulkValue::Int(e.amount),
                abonent_storage::time::date_text(e.date).into(),
                e.paid_period.map(|p| p.to_string()).into(),
                e.volume.as_ref().into(),
                e.tariff.as_ref().into(),
                e.volume.as_ref().map(|_| "м²").into(),
                e.reason.into(),
                now.into(),
            ]);
        }
        let f = debts::figures(
            &crate::ledger::as_entries(&lines),
            crate::AS_OF,
            AllocationRule::NamedPeriodThenOldest,
        );
        out.debts.push(vec![
            BulkValue::Int(id),
            BulkValue::Int(building),
            BulkValue::Int(f.debt),
            BulkValue::Int(f.penalties),
            BulkValue::Int(f.months),
            f.oldest.map(|p| p.to_string()).into(),
            now.into(),
        ]);
        for (s, v) in f.by_service {
            out.service_debts
                .push(vec![BulkValue::Int(id), s.into(), BulkValue::Int(v)]);
        }
    }
    out
}
