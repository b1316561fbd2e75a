//! Statistics of the search index after a bulk load. PostgreSQL plans by the statistics of
//! its last ANALYZE; right after a registry arrives the search index has none until
//! autovacuum comes round, the planner guesses a token matches a dozen rows where it matches
//! hundreds, and the search box read 3–4 times slower in the meantime (p99 33 ms against 8 ms
//! on 100 000 accounts, docs/PERFORMANCE.md, stop 16). Only the index's table is analysed:
//! fresh statistics of the whole database (with or without VACUUM) made the account card's
//! plans slower in the same bench (p99 29 → 50 ms), and the card's queries are measured
//! without them. SQLite is left alone: its plans were measured, and some pinned
//! (`INDEXED BY`), without `sqlite_stat1`.

use crate::{Backend, Db, Result};

/// After a registry import or the demo: fresh statistics of the search index (PostgreSQL).
pub async fn after_registry_load(db: &Db) -> Result<()> {
    if db.backend() != Backend::Postgres {
        return Ok(());
    }
    sqlx::raw_sql("ANALYZE search_tokens")
        .execute(db.write())
        .await?;
    Ok(())
}
