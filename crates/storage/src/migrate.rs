//! Schema migrations: one SQL file per step with markers for the few type names that differ,
//! plus an optional backend-only file (triggers). Safe when two instances start at once:
//! PostgreSQL takes an advisory lock, SQLite serializes through its one writer.

use sqlx::Row;

use crate::db::{Backend, Db};
use crate::Result;

struct Migration {
    version: i64,
    name: &'static str,
    common: &'static str,
    sqlite: &'static str,
    postgres: &'static str,
}

/// Applied by version, each checked on its own: versions merged from other branches may
/// arrive out of order or leave gaps.
const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "init",
        common: include_str!("../migrations/0001_init.sql"),
        sqlite: include_str!("../migrations/0001_init.sqlite.sql"),
        postgres: include_str!("../migrations/0001_init.postgres.sql"),
    },
    Migration {
        version: 2,
        name: "correspondence",
        common: include_str!("../migrations/0002_correspondence.sql"),
        sqlite: "",
        postgres: "",
    },
    Migration {
        version: 3,
        name: "documents",
        common: include_str!("../migrations/0003_documents.sql"),
        sqlite: include_str!("../migrations/0003_documents.sqlite.sql"),
        postgres: include_str!("../migrations/0003_documents.postgres.sql"),
    },
    Migration {
        version: 4,
        name: "appeals",
        common: include_str!("../migrations/0004_appeals.sql"),
        sqlite: "",
        postgres: "",
    },
    Migration {
        version: 5,
        name: "outbox",
        common: include_str!("../migrations/0005_outbox.sql"),
        sqlite: "",
        postgres: "",
    },
    Migration {
        version: 6,
        name: "ledger",
        common: include_str!("../migrations/0006_ledger.sql"),
        sqlite: include_str!("../migrations/0006_ledger.sqlite.sql"),
        postgres: include_str!("../migrations/0006_ledger.postgres.sql"),
    },
    Migration {
        version: 7,
        name: "routing",
        common: include_str!("../migrations/0007_routing.sql"),
        sqlite: "",
        postgres: "",
    },
    Migration {
        version: 8,
        name: "incidents",
        common: include_str!("../migrations/0008_incidents.sql"),
        sqlite: "",
        postgres: "",
    },
    Migration {
        version: 9,
        name: "debt_cases",
        common: include_str!("../migrations/0009_debt_cases.sql"),
        sqlite: include_str!("../migrations/0009_debt_cases.sqlite.sql"),
        postgres: include_str!("../migrations/0009_debt_cases.postgres.sql"),
    },
    Migration {
        version: 11,
        name: "open_by_deadline",
        common: include_str!("../migrations/0011_open_by_deadline.sql"),
        sqlite: "",
        postgres: "",
    },
    Migration {
        version: 12,
        name: "documents_by_appeal",
        common: include_str!("../migrations/0012_documents_by_appeal.sql"),
        sqlite: "",
        postgres: "",
    },
    Migration {
        version: 13,
        name: "terms_without_check",
        common: "",
        sqlite: include_str!("../migrations/0013_terms_without_check.sqlite.sql"),
        postgres: include_str!("../migrations/0013_terms_without_check.postgres.sql"),
    },
    Migration {
        version: 14,
        name: "deadlines",
        common: include_str!("../migrations/0014_deadlines.sql"),
        sqlite: "",
        postgres: "",
    },
    Migration {
        version: 15,
        name: "classifier_examples",
        common: include_str!("../migrations/0015_classifier_examples.sql"),
        sqlite: "",
        postgres: "",
    },
    Migration {
        version: 16,
        name: "penalties",
        common: include_str!("../migrations/0016_penalties.sql"),
        sqlite: "",
        postgres: "",
    },
    Migration {
        version: 17,
        name: "open_unlocalised",
        common: include_str!("../migrations/0017_open_unlocalised.sql"),
        sqlite: "",
        postgres: "",
    },
    Migration {
        version: 18,
        name: "upload_retention",
        common: include_str!("../migrations/0018_upload_retention.sql"),
        sqlite: "",
        postgres: "",
    },
    Migration {
        version: 19,
        name: "pd_access",
        common: include_str!("../migrations/0019_pd_access.sql"),
        sqlite: include_str!("../migrations/0019_pd_access.sqlite.sql"),
        postgres: include_str!("../migrations/0019_pd_access.postgres.sql"),
    },
    Migration {
        version: 20,
        name: "periodic_tasks",
        common: include_str!("../migrations/0020_periodic_tasks.sql"),
        sqlite: "",
        postgres: "",
    },
    Migration {
        version: 21,
        name: "erasure",
        common: include_str!("../migrations/0021_erasure.sql"),
        sqlite: include_str!("../migrations/0021_erasure.sqlite.sql"),
        postgres: include_str!("../migrations/0021_erasure.postgres.sql"),
    },
    Migration {
        version: 22,
        name: "pd_access_records",
        common: include_str!("../migrations/0022_pd_access_records.sql"),
        sqlite: include_str!("../migrations/0022_pd_access_records.sqlite.sql"),
        postgres: include_str!("../migrations/0022_pd_access_records.postgres.sql"),
    },
    Migration {
        version: 25,
        name: "registration",
        common: include_str!("../migrations/0025_registration.sql"),
        sqlite: "",
        postgres: "",
    },
    Migration {
        version: 26,
        name: "login_attempts",
        common: include_str!("../migrations/0026_login_attempts.sql"),
        sqlite: "",
        postgres: "",
    },
    Migration {
        version: 27,
        name: "debt_case_cycles",
        common: include_str!("../migrations/0027_debt_case_cycles.sql"),
        sqlite: "",
        postgres: "",
    },
    Migration {
        version: 30,
        name: "services",
        common: include_str!("../migrations/0030_services.sql"),
        sqlite: "",
        postgres: "",
    },
    Migration {
        version: 31,
        name: "may_suspend",
        common: "",
        sqlite: include_str!("../migrations/0031_may_suspend.sqlite.sql"),
        postgres: include_str!("../migrations/0031_may_suspend.postgres.sql"),
    },
    Migration {
        version: 32,
        name: "print_runs",
        common: include_str!("../migrations/0032_print_runs.sql"),
        sqlite: "",
        postgres: "",
    },
    Migration {
        version: 33,
        name: "letters_by_account",
        common: include_str!("../migrations/0033_letters_by_account.sql"),
        sqlite: "",
        postgres: "",
    },
    Migration {
        version: 37,
        name: "kin_of",
        common: include_str!("../migrations/0037_kin_of.sql"),
        sqlite: "",
        postgres: "",
    },
    Migration {
        version: 38,
        name: "tariffs",
        common: include_str!("../migrations/0038_tariffs.sql"),
        sqlite: "",
        postgres: "",
    },
    Migration {
        version: 39,
        name: "absences",
        common: include_str!("../migrations/0039_absences.sql"),
        sqlite: "",
        postgres: "",
    },
    Migration {
        version: 40,
        name: "ledger_absence",
        common: include_str!("../migrations/0040_ledger_absence.sql"),
        sqlite: "",
        postgres: "",
    },
    Migration {
        version: 41,
        name: "legal_capacity",
        common: include_str!("../migrations/0041_legal_capacity.sql"),
        sqlite: "",
        postgres: "",
    },
    Migration {
        version: 42,
        name: "articles",
        common: include_str!("../migrations/0042_articles.sql"),
        sqlite: "",
        postgres: "",
    },
    Migration {
        version: 43,
        name: "outages",
        common: include_str!("../migrations/0043_outages.sql"),
        sqlite: "",
        postgres: "",
    },
    Migration {
        version: 44,
        name: "ledger_outage",
        common: include_str!("../migrations/0044_ledger_outage.sql"),
        sqlite: "",
        postgres: "",
    },
    Migration {
        version: 45,
        name: "consultations",
        common: include_str!("../migrations/0045_consultations.sql"),
        sqlite: "",
        postgres: "",
    },
];

/// Arbitrary constant naming abonent's migration lock in pg_advisory_lock.
const PG_LOCK_KEY: i64 = 0x0ab0_7e47;

fn render(sql: &str, backend: Backend) -> String {
    let (id, text_c, blob) = match backend {
        Backend::Sqlite => ("INTEGER PRIMARY KEY AUTOINCREMENT", "TEXT", "BLOB"),
        Backend::Postgres => (
            "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
            "TEXT COLLATE \"C\"",
            "BYTEA",
        ),
    };
    sql.replace("{id}", id)
        .replace("{text_c}", text_c)
        .replace("{blob}", blob)
}

/// Apply every migration not yet applied. Returns how many were applied now.
pub async fn run(db: &Db) -> Result<usize> {
    let mut conn = db.write().acquire().await?;
    if db.backend() == Backend::Postgres {
        sqlx::query("SELECT pg_advisory_lock($1)")
            .bind(PG_LOCK_KEY)
            .execute(&mut *conn)
            .await?;
    }
    let result = apply(db.backend(), &mut conn, &db.now_text()).await;
    if db.backend() == Backend::Postgres {
        sqlx::query("SELECT pg_advisory_unlock($1)")
            .bind(PG_LOCK_KEY)
            .execute(&mut *conn)
            .await?;
    }
    result
}

async fn apply(backend: Backend, conn: &mut sqlx::AnyConnection, now: &str) -> Result<usize> {
    sqlx::raw_sql(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
            version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
    )
    .execute(&mut *conn)
    .await?;
    let mut count = 0;
    for m in MIGRATIONS {
        // SQLite: take the write lock before reading, so a second instance starting at the
        // same moment waits and then sees the migration as applied (PostgreSQL holds an
        // advisory lock already).
        let begin = match backend {
            Backend::Sqlite => "BEGIN IMMEDIATE",
            Backend::Postgres => "BEGIN",
        };
        sqlx::raw_sql(begin).execute(&mut *conn).await?;
        match apply_one(backend, conn, m, now).await {
            Ok(applied) => {
                sqlx::raw_sql("COMMIT").execute(&mut *conn).await?;
                count += usize::from(applied);
            }
            Err(e) => {
                let _ = sqlx::raw_sql("ROLLBACK").execute(&mut *conn).await;
                return Err(e);
            }
        }
    }
    // Shipped reference data (categories, deadline rules): what is missing, under the lock.
    let begin = match backend {
        Backend::Sqlite => "BEGIN IMMEDIATE",
        Backend::Postgres => "BEGIN",
    };
    sqlx::raw_sql(begin).execute(&mut *conn).await?;
    match crate::appeals::reference::seed(conn, now).await {
        Ok(()) => {
            sqlx::raw_sql("COMMIT").execute(&mut *conn).await?;
        }
        Err(e) => {
            let _ = sqlx::raw_sql("ROLLBACK").execute(&mut *conn).await;
            return Err(e);
        }
    }
    Ok(count)
}

async fn apply_one(
    backend: Backend,
    conn: &mut sqlx::AnyConnection,
    m: &Migration,
    now: &str,
) -> Result<bool> {
    let done = sqlx::query("SELECT version FROM schema_migrations WHERE version = $1")
        .bind(m.version)
        .fetch_optional(&mut *conn)
        .await?
        .is_some();
    if done {
        return Ok(false);
    }
    if !m.common.trim().is_empty() {
        sqlx::raw_sql(&render(m.common, backend))
            .execute(&mut *conn)
            .await?;
    }
    let own = match backend {
        Backend::Sqlite => m.sqlite,
        Backend::Postgres => m.postgres,
    };
    if !own.trim().is_empty() {
        sqlx::raw_sql(own).execute(&mut *conn).await?;
    }
    sqlx::query("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)")
        .bind(m.version)
        .bind(m.name)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    Ok(true)
}

/// How many migrations this build knows, and the newest version among them.
pub fn known() -> (usize, i64) {
    let newest = MIGRATIONS.iter().map(|m| m.version).max().unwrap_or(0);
    (MIGRATIONS.len(), newest)
}

/// Highest applied version (0 for an empty database).
pub async fn current_version(db: &Db) -> Result<i64> {
    let row =
        sqlx::query("SELECT CAST(COALESCE(MAX(version), 0) AS BIGINT) FROM schema_migrations")
            .fetch_one(db.read())
            .await?;
    Ok(row.get::<i64, _>(0))
}
