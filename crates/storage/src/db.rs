//! The connection: an `Any` pool on SQLite or PostgreSQL.
//!
//! SQLite allows one writer at a time; a deferred transaction that starts reading and then
//! writes can fail with SQLITE_BUSY instead of waiting. So on SQLite every write goes through
//! a one-connection pool and waits its turn in-process; reads use a wider pool (WAL).
//! On PostgreSQL both are the same pool.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor};

use crate::{time, Clock, Result, SetupError};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Clone)]
pub struct Db {
    read: AnyPool,
    write: AnyPool,
    backend: Backend,
    /// Where "now" comes from for every stored instant; the system's unless set.
    clock: Clock,
    /// PostgreSQL only: a few native connections for what the `Any` driver cannot do
    /// (`COPY` of a bank register); opened on first use.
    pg_native: Option<sqlx::PgPool>,
    /// The server's key for secrets in settings (`crate::settings`); none until given.
    secret_key: Option<std::sync::Arc<crate::crypto::Key>>,
}

impl Db {
    /// Connect to `sqlite://path` or `postgres://...`, creating an SQLite file if missing.
    pub async fn connect(url: &str) -> Result<Db> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else {
            return Err(SetupError::UnsupportedUrl(url.to_string()).into());
        };
        match backend {
            Backend::Postgres => {
                let opts = AnyConnectOptions::from_str(url)?;
                let pool = AnyPoolOptions::new()
                    .max_connections(16)
                    .acquire_timeout(Duration::from_secs(30))
                    .connect_with(opts)
                    .await?;
                let native = sqlx::postgres::PgPoolOptions::new()
                    .max_connections(4)
                    .acquire_timeout(Duration::from_secs(30))
                    .connect_lazy_with(sqlx::postgres::PgConnectOptions::from_str(url)?);
                Ok(Db {
                    read: pool.clone(),
                    write: pool,
                    backend,
                    clock: Clock::System,
                    pg_native: Some(native),
                    secret_key: None,
                })
            }
            Backend::Sqlite => {
                let url = if url.contains('?') {
                    url.to_string()
                } else {
                    format!("{url}?mode=rwc")
                };
                let opts = AnyConnectOptions::from_str(&url)?;
                let write = AnyPoolOptions::new()
                    .max_connections(1)
                    .acquire_timeout(Duration::from_secs(120))
                    .after_connect(sqlite_pragmas)
                    .connect_with(opts.clone())
                    .await?;
                let read = AnyPoolOptions::new()
                    .max_connections(8)
                    .acquire_timeout(Duration::from_secs(30))
                    .after_connect(sqlite_pragmas)
                    .connect_with(opts)
                    .await?;
                Ok(Db {
                    read,
                    write,
                    backend,
                    clock: Clock::System,
                    pg_native: None,
                    secret_key: None,
                })
            }
        }
    }

    /// The SQLite file `abonent.sqlite` in `dir`, created with the directory if missing.
    pub async fn open_data_dir(dir: &Path) -> Result<Db> {
        std::fs::create_dir_all(dir).map_err(|e| SetupError::DataDir {
            dir: dir.to_path_buf(),
            cause: e.to_string(),
        })?;
        let file = dir.join("abonent.sqlite");
        Db::connect(&format!("sqlite://{}", file.display())).await
    }

    /// This handle on `clock` (tests fix time); clones made from it keep it.
    pub fn with_clock(mut self, clock: Clock) -> Db {
        self.clock = clock;
        self
    }

    /// This handle with the server's key for secrets in settings; clones keep it.
    pub fn with_secret_key(mut self, key: crate::crypto::Key) -> Db {
        self.secret_key = Some(std::sync::Arc::new(key));
        self
    }

    pub fn secret_key(&self) -> Option<&crate::crypto::Key> {
        self.secret_key.as_deref()
    }

    pub fn clock(&self) -> Clock {
        self.clock
    }

    /// Now by this handle's clock.
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.now()
    }

    /// Now by this handle's clock, as stored (RFC 3339 UTC, microseconds).
    pub fn now_text(&self) -> String {
        time::fmt(self.now())
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Pool for reads.
    pub fn read(&self) -> &AnyPool {
        &self.read
    }

    /// Pool for writes and write transactions.
    pub fn write(&self) -> &AnyPool {
        &self.write
    }

    /// True when the database answers.
    pub async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.read).await?;
        Ok(())
    }

    pub async fn close(&self) {
        self.write.close().await;
        self.read.close().await;
        if let Some(p) = &self.pg_native {
            p.close().await;
        }
    }

    /// The native PostgreSQL pool; `None` on SQLite.
    pub(crate) fn pg_native(&self) -> Option<&sqlx::PgPool> {
        self.pg_native.as_ref()
    }

    /// A consistent copy of the SQLite database while it is in use (`VACUUM INTO`).
    pub async fn backup_sqlite(&self, target: &Path) -> Result<()> {
        if self.backend != Backend::Sqlite {
            return Err(SetupError::BackupOfPostgres.into());
        }
        if target.exists() {
            return Err(SetupError::BackupTargetExists(target.to_path_buf()).into());
        }
        let path = target.display().to_string().replace('\'', "''");
        sqlx::query(&format!("VACUUM INTO '{path}'"))
            .execute(&self.write)
            .await?;
        Ok(())
    }
}

type ConnectFuture<'c> =
    std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), sqlx::Error>> + Send + 'c>>;

fn sqlite_pragmas(
    conn: &mut sqlx::AnyConnection,
    _meta: sqlx::pool::PoolConnectionMetadata,
) -> ConnectFuture<'_> {
    Box::pin(async move {
        conn.execute(
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; \
             PRAGMA busy_timeout=10000; PRAGMA cache_size=-8000;",
        )
        .await?;
        Ok(())
    })
}
