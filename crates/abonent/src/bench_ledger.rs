//! `abonent bench --ledger`: the ledger targets of issue 5 on a fresh database — the demo
//! company with 36 months of charges and payments, the penalty run for every account, the
//! debtor list under load over HTTP, and a bank register of a million lines imported in one
//! transaction with the memory watched.

use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use abonent_domain::ledger::Period;
use abonent_domain::Role;
use abonent_import::payments::RegisterProfile;
use abonent_storage::ledger::charges::{sha256_hex, FileMeta};
use abonent_storage::ledger::{debts, payments, penalties};
use abonent_storage::{users, Actor, Db};
use anyhow::{bail, Context};
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};

pub struct LedgerBench<'a> {
    pub accounts: usize,
    pub register_lines: usize,
    pub debtor_queries: usize,
    pub postgres: Option<&'a str>,
    pub out: &'a Path,
}

fn rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// Bytes SQLite holds through its own allocator (page caches of every connection, statements),
/// in KB. The register load raises one connection's page cache to 256 MB for the length of its
/// transaction (`storage::ledger::big_cache`): that memory is a configured bound, not a copy of
/// the file, so the bench reports it apart from the rest of the process.
fn sqlite_kb() -> u64 {
    // SAFETY: `sqlite3_memory_used` only reads SQLite's global memory counter (memstatus is
    // on in the bundled build); it takes no pointers and is safe from any thread.
    let bytes = unsafe { libsqlite3_sys::sqlite3_memory_used() };
    u64::try_from(bytes).unwrap_or(0) / 1024
}

/// Highest RSS seen while a load runs, sampled every 50 ms, with the highest RSS less SQLite's
/// own memory at the same moment (what the load itself holds).
struct RssWatch {
    stop: Arc<AtomicBool>,
    peak: Arc<AtomicU64>,
    peak_own: Arc<AtomicU64>,
    peak_sqlite: Arc<AtomicU64>,
    handle: Option<std::thread::JoinHandle<()>>,
}

/// What `RssWatch` saw, in KB.
struct Peaks {
    rss: u64,
    /// RSS less SQLite's memory, sampled together.
    own: u64,
    sqlite: u64,
}

impl RssWatch {
    fn start() -> RssWatch {
        let stop = Arc::new(AtomicBool::new(false));
        let peak = Arc::new(AtomicU64::new(rss_kb()));
        let peak_own = Arc::new(AtomicU64::new(rss_kb().saturating_sub(sqlite_kb())));
        let peak_sqlite = Arc::new(AtomicU64::new(sqlite_kb()));
        let (s, p, o, q) = (
            stop.clone(),
            peak.clone(),
            peak_own.clone(),
            peak_sqlite.clone(),
        );
        let handle = std::thread::spawn(move || {
            while !s.load(Ordering::Relaxed) {
                let (rss, lite) = (rss_kb(), sqlite_kb());
                p.fetch_max(rss, Ordering::Relaxed);
                o.fetch_max(rss.saturating_sub(lite), Ordering::Relaxed);
                q.fetch_max(lite, Ordering::Relaxed);
                std::thread::sleep(Duration::from_millis(50));
            }
        });
        RssWatch {
            stop,
            peak,
            peak_own,
            peak_sqlite,
            handle: Some(handle),
        }
    }

    fn finish(mut self) -> Peaks {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
        Peaks {
            rss: self.peak.load(Ordering::Relaxed),
            own: self.peak_own.load(Ordering::Relaxed),
            sqlite: self.peak_sqlite.load(Ordering::Relaxed),
        }
    }
}

fn percentiles(mut v: Vec<f64>) -> (f64, f64, f64) {
    v.sort_by(|a, b| a.total_cmp(b));
    let at = |q: f64| v[((v.len() as f64 - 1.0) * q).round() as usize];
    (at(0.5), at(0.99), *v.last().unwrap_or(&0.0))
}

/// Debtor-list queries a specialist makes: thresholds, months, a building, a service.
fn debtor_queries(n: usize, buildings: i64) -> Vec<String> {
    let mut rng = SmallRng::seed_from_u64(11);
    (0..n)
        .map(|i| {
            let page = 1 + rng.gen_range(0..3);
            match i % 6 {
                0 => format!("min_debt={}&page={page}", rng.gen_range(1..50) * 100_000),
                1 => format!("min_months={}", rng.gen_range(1..13)),
                2 => format!("building_id={}", rng.gen_range(1..=buildings.max(1))),
                3 => "service=maintenance&min_debt=500000".into(),
                4 => format!("min_months={}&sort=months", rng.gen_range(2..8)),
                _ => format!("page={page}"),
            }
        })
        .collect()
}

pub async fn run(b: LedgerBench<'_>) -> anyhow::Result<()> {
    let dir = std::env::temp_dir().join(format!("abonent-bench-ledger-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let (db, backend) = match b.postgres {
        Some(url) => (Db::connect(url).await?, "PostgreSQL"),
        None => (
            Db::connect(&format!(
                "sqlite://{}",
                dir.join("abonent.sqlite").display()
            ))
            .await?,
            "SQLite",
        ),
    };
    abonent_storage::migrate::run(&db).await?;
    println!(
        "Расчёты: замеры на {backend}, {} лицевых счетов, реестр {} строк; машина: {}",
        b.accounts,
        b.register_lines,
        crate::bench::machine()
    );

    let t = Instant::now();
    let stats = abonent_demo::load(
        &db,
        &abonent_demo::DemoConfig {
            accounts: b.accounts,
            seed: 2026,
        },
        &|_, _| {},
    )
    .await?;
    let demo_secs = t.elapsed().as_secs_f64();
    crate::bench::settle(&db).await?;
    println!(
        "demo: {demo_secs:.1} с ({})",
        crate::cli::demo_summary(&stats)
    );

    let actor = Actor::system("Замер");
    let october = Period::of(abonent_demo::AS_OF);
    let t = Instant::now();
    let run = penalties::run_month(&db, october, &actor, &|_, _| {}).await?;
    let pen_secs = t.elapsed().as_secs_f64();
    println!(
        "пени, {} счетов × {} мес.: {pen_secs:.2} с (чтение {} мс, расчёт {} мс, запись {} мс); строк {}, ошибок {}",
        run.accounts,
        abonent_demo::ledger::LEDGER_MONTHS,
        run.load_ms,
        run.compute_ms,
        run.write_ms,
        run.posted,
        run.errors.len()
    );
    let t = Instant::now();
    let again = penalties::run_month(&db, october, &actor, &|_, _| {}).await?;
    let again_secs = t.elapsed().as_secs_f64();
    if again.posted != 0 {
        bail!(
            "повторный запуск пени провёл {} строк — удвоение",
            again.posted
        );
    }
    let t = Instant::now();
    debts::refresh(&db, None, abonent_demo::AS_OF).await?;
    let refresh_secs = t.elapsed().as_secs_f64();
    println!(
        "повторный запуск пени: {again_secs:.2} с, 0 строк; пересчёт долгов: {refresh_secs:.2} с"
    );

    // Debtor list over HTTP, as the page and the API serve it.
    let (_, token) = users::create_token(&db, "замер", Role::Accountant, None).await?;
    let numbers: Vec<String> = sqlx::query_scalar("SELECT number FROM accounts ORDER BY id")
        .fetch_all(db.read())
        .await?;
    let buildings: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM buildings")
        .fetch_one(db.read())
        .await?;
    db.close().await;
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let mut cmd = Command::new(std::env::current_exe()?);
    match b.postgres {
        Some(url) => cmd.arg("--database-url").arg(url),
        None => cmd.arg("--data-dir").arg(&dir),
    };
    let child = cmd
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .env("ABONENT_LOG", "warn")
        .stdout(Stdio::null())
        .spawn()
        .context("не удалось запустить abonent serve")?;
    let server = crate::bench::Server(child);
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    for _ in 0..100 {
        if client.get(format!("{base}/health")).send().await.is_ok() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let mut ms = Vec::with_capacity(b.debtor_queries);
    let mut found = 0usize;
    for q in debtor_queries(b.debtor_queries, buildings) {
        let t = Instant::now();
        let r = client
            .get(format!("{base}/api/v1/debtors?{q}"))
            .bearer_auth(&token)
            .send()
            .await?;
        if !r.status().is_success() {
            bail!("список должников ответил {}", r.status());
        }
        let v: serde_json::Value = r.json().await?;
        ms.push(t.elapsed().as_secs_f64() * 1000.0);
        found += usize::from(v["total"].as_i64().unwrap_or(0) > 0);
    }
    drop(server);
    let (d50, d99, dmax) = percentiles(ms);
    println!(
        "список должников (API, {} запросов): p50 {d50:.1} мс, p99 {d99:.1} мс, max {dmax:.1} мс; непустых {found}",
        b.debtor_queries
    );

    // A million-line register, one transaction, memory watched.
    let db = match b.postgres {
        Some(url) => Db::connect(url).await?,
        None => {
            Db::connect(&format!(
                "sqlite://{}",
                dir.join("abonent.sqlite").display()
            ))
            .await?
        }
    };
    let bytes = abonent_demo::register::bank_register(&numbers, b.register_lines, 5);
    let bytes_mb = bytes.len() as f64 / 1024.0 / 1024.0;
    let meta = FileMeta {
        kind: "register",
        file_name: "bench.txt".into(),
        sha256: sha256_hex(&bytes),
        profile_id: None,
    };
    let (base_rss, base_sqlite) = (rss_kb(), sqlite_kb());
    let base_own = base_rss.saturating_sub(base_sqlite);
    let watch = RssWatch::start();
    let t = Instant::now();
    let producer =
        abonent_app::ledger::payments::register_producer(bytes, RegisterProfile::common());
    let sum = payments::import_payments(&db, &meta, &actor, producer, &|_| {}).await?;
    let reg_secs = t.elapsed().as_secs_f64();
    let peaks = watch.finish();
    let mb = |kb: u64| kb as f64 / 1024.0;
    let growth_mb = mb(peaks.rss.saturating_sub(base_rss));
    // The file is already in memory before the watch starts, as an uploaded file is.
    let (base_mb, peak_mb) = (mb(base_rss), mb(peaks.rss));
    // SQLite's cache grows to its bound (256 MB) as the indexes grow; the rest is the load's.
    let cache_mb = mb(peaks.sqlite.saturating_sub(base_sqlite));
    let own_growth_mb = mb(peaks.own.saturating_sub(base_own));
    println!(
        "реестр {} строк ({mb:.0} МБ): {reg_secs:.2} с; разнесено {}, неопознанных {}; память процесса до загрузки {base_mb:.0} МБ (файл уже в памяти), пик {peak_mb:.0} МБ, рост {growth_mb:.0} МБ: кеш страниц SQLite +{cache_mb:.0} МБ (предел 256 МБ), без кеша SQLite рост {own_growth_mb:.0} МБ",
        sum.rows, sum.matched, sum.unmatched,
        mb = bytes_mb,
    );
    db.close().await;
    if b.postgres.is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    }

    let ok = |v: f64, limit: f64| if v <= limit { "✅" } else { "❌" };
    let report = format!(
        "\n## Расчёты: {backend}, {accounts} ЛС — {date}\n\nМашина: {machine}. {build}. Команда: `abonent bench --ledger --accounts {accounts} --register-lines {lines}{pg}`.\n\n\
| Замер | Цель | Результат | |\n|---|---|---|---|\n\
| `demo --accounts {accounts}` с журналом за 36 мес. ({entries} записей) | {d_target} | {demo_secs:.1} с | {d_ok} |\n\
| Пени: {accounts} счетов × 36 мес., один запуск | ≤ 5 с | {pen_secs:.2} с (чтение {lms} мс, расчёт {cms} мс, запись {wms} мс) | {p_ok} |\n\
| Повторный запуск пени за тот же месяц | 0 новых строк | {again_secs:.2} с, 0 строк | ✅ |\n\
| Пересчёт долгов всех счетов | — | {refresh_secs:.2} с | |\n\
| Список должников (API, {nq} запросов с фильтрами), p99 | ≤ 300 мс | p50 {d50:.1} мс, p99 {d99:.1} мс, max {dmax:.1} мс | {l_ok} |\n\
| Реестр банка {lines} строк ({mb:.0} МБ), одна транзакция | ≤ 10 с | {reg_secs:.2} с; память процесса до {base_mb:.0} МБ, пик {peak_mb:.0} МБ (рост {growth_mb:.0} МБ) | {r_ok} |\n\
| Память во время загрузки реестра без кеша страниц SQLite (рост пика RSS за вычетом памяти SQLite) | ровная | {own_growth_mb:.0} МБ; кеш страниц SQLite +{cache_mb:.0} МБ (предел загрузки 256 МБ) | {m_ok} |\n",
        accounts = b.accounts,
        lines = b.register_lines,
        date = chrono::Local::now().format("%Y-%m-%d"),
        machine = crate::bench::machine(),
        build = if cfg!(debug_assertions) { "Отладочная сборка (цифры не показательны)" } else { "Сборка release" },
        pg = if b.postgres.is_some() { " --postgres …" } else { "" },
        entries = stats.ledger_entries,
        // The foundation's target (≤ 30 s) is for SQLite; PostgreSQL has none of its own.
        d_target = if b.postgres.is_none() { "≤ 30 с" } else { "— (цель ≤ 30 с — для SQLite)" },
        d_ok = if b.postgres.is_none() { ok(demo_secs, 30.0) } else { "" },
        lms = run.load_ms,
        cms = run.compute_ms,
        wms = run.write_ms,
        p_ok = ok(pen_secs, 5.0),
        nq = b.debtor_queries,
        l_ok = ok(d99, 300.0),
        r_ok = ok(reg_secs, 10.0),
        mb = bytes_mb,
        // «Flat»: the load holds no copy of the file; batches and the account index are small.
        m_ok = ok(own_growth_mb, 32.0),
    );
    crate::bench::append_report(b.out, &report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_register_passes_the_parser() {
        let numbers = vec!["100001".to_string(), "100002".to_string()];
        let bytes = abonent_demo::register::bank_register(&numbers, 250, 1);
        let mut n = 0;
        let s = abonent_import::payments::parse_register(&bytes, &RegisterProfile::common(), |p| {
            n += 1;
            assert!(p.amount > 0);
        })
        .unwrap();
        assert_eq!((s.count, n), (250, 250));
        assert!(s.totals_checked);
    }
}
