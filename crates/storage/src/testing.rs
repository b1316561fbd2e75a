//! Fresh, migrated databases for tests, on both backends. Used by this crate's tests and by
//! the web crate's. PostgreSQL must be reachable: a test fails (never skips) when it is not.

use std::path::PathBuf;

use rand::Rng;

use crate::{migrate, Backend, Db};

/// Where tests find PostgreSQL; `scripts/test.sh` sets it.
pub fn postgres_admin_url() -> String {
    std::env::var("ABONENT_TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

/// A throwaway database, removed when dropped.
pub struct TestDb {
    pub db: Db,
    pub url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    File(PathBuf),
    Database { admin_url: String, name: String },
}

impl TestDb {
    pub async fn new(backend: Backend) -> TestDb {
        let t = Self::empty(backend).await;
        migrate::run(&t.db)
            .await
            .expect("migrate the test database");
        t
    }

    /// A database without the schema (for migration tests).
    pub async fn empty(backend: Backend) -> TestDb {
        match backend {
            Backend::Sqlite => Self::sqlite().await,
            Backend::Postgres => Self::postgres().await,
        }
    }

    async fn sqlite() -> TestDb {
        let name = format!("abonent-test-{}.sqlite", rand::thread_rng().gen::<u64>());
        let path = std::env::temp_dir().join(name);
        let url = format!("sqlite://{}", path.display());
        // Every test database has a server key, as `abonent serve` always does.
        let db = Db::connect(&url)
            .await
            .expect("open a temporary SQLite file")
            .with_secret_key(crate::crypto::Key::generate());
        TestDb {
            db,
            url,
            cleanup: Cleanup::File(path),
        }
    }

    async fn postgres() -> TestDb {
        let admin_url = postgres_admin_url();
        let admin = Db::connect(&admin_url).await.unwrap_or_else(|e| {
            panic!(
                "PostgreSQL is unreachable at {admin_url}: {e}. Start it (scripts/test.sh does) \
                 or set ABONENT_TEST_DATABASE_URL. Storage tests never skip PostgreSQL."
            )
        });
        let name = format!("abonent_t_{}", rand::thread_rng().gen::<u64>());
        sqlx::raw_sql(&format!("CREATE DATABASE {name}"))
            .execute(admin.write())
            .await
            .expect("create a test database");
        admin.close().await;
        let url = replace_db_name(&admin_url, &name);
        let db = Db::connect(&url)
            .await
            .expect("connect to the test database")
            .with_secret_key(crate::crypto::Key::generate());
        TestDb {
            db,
            url,
            cleanup: Cleanup::Database { admin_url, name },
        }
    }
}

fn replace_db_name(url: &str, name: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let base = match base.rfind('/') {
        Some(i) if i > "postgres://".len() => &base[..i],
        _ => base,
    };
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::File(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            Cleanup::Database { admin_url, name } => {
                let (admin_url, name) = (admin_url.clone(), name.clone());
                // Drop runs inside the test's runtime, which may be blocked here: clean up on a
                // thread of its own, without touching the test's pool (FORCE ends its sessions).
                let _ = std::thread::spawn(move || {
                    let rt = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build();
                    if let Ok(rt) = rt {
                        rt.block_on(async move {
                            if let Ok(admin) = Db::connect(&admin_url).await {
                                let _ = sqlx::raw_sql(&format!(
                                    "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                                ))
                                .execute(admin.write())
                                .await;
                                admin.close().await;
                            }
                        });
                    }
                })
                .join();
            }
        }
    }
}

/// Run a storage test on SQLite and on PostgreSQL: `both_backends!(name, |db| async move { .. });`
#[macro_export]
macro_rules! both_backends {
    ($name:ident, $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let t = $crate::testing::TestDb::new($crate::Backend::Sqlite).await;
                let f = $body;
                f(t.db.clone()).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let t = $crate::testing::TestDb::new($crate::Backend::Postgres).await;
                let f = $body;
                f(t.db.clone()).await;
            }
        }
    };
}

/// A building «ул. Ленина, д. {house}» in Екатеринбург with flat 12: (building id, premises id).
/// The fixture most storage and web tests start from.
pub async fn flat(db: &Db, house: &str) -> (i64, i64) {
    use abonent_domain::registry::{sample_building, PremisesData};
    let actor = crate::Actor {
        user_id: None,
        name: abonent_domain::Role::Administrator.title().into(),
    };
    let b = crate::registry::building::create(
        db,
        &sample_building(house).validate().expect("a valid building"),
        &actor,
    )
    .await
    .expect("building created");
    let p = crate::registry::premises::create(
        db,
        &PremisesData {
            building_id: b,
            number: "12".into(),
            residential: true,
            area_centi: None,
            rooms: None,
            entrance: None,
            floor: None,
        },
        &actor,
    )
    .await
    .expect("premises created");
    (b, p)
}

#[cfg(test)]
mod tests {
    #[test]
    fn db_name_replaced() {
        assert_eq!(
            super::replace_db_name("postgres://postgres@127.0.0.1:5432/postgres", "x"),
            "postgres://postgres@127.0.0.1:5432/x"
        );
        assert_eq!(
            super::replace_db_name("postgres://u@h/db?sslmode=disable", "x"),
            "postgres://u@h/x?sslmode=disable"
        );
    }
}
