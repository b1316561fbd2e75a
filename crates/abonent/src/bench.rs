//! `abonent bench`: the speed and memory targets of the registry, measured on this machine
//! and appended to docs/PERFORMANCE-HISTORY.md. Everything runs against a fresh database built by the
//! demo loader and a real `abonent serve` process over HTTP.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use abonent_domain::Role;
use abonent_storage::{registry, users, Db};
use anyhow::{bail, Context};
use clap::Args;
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};

use crate::cli::DbArgs;

#[derive(Args)]
pub struct BenchArgs {
    /// Accounts in the demo company the figures are taken on
    #[arg(long, default_value_t = 100_000)]
    accounts: usize,
    /// Search queries to time
    #[arg(long, default_value_t = 3_000)]
    queries: usize,
    /// Concurrent clients opening account cards
    #[arg(long, default_value_t = 32)]
    clients: usize,
    /// How long the clients keep opening cards, seconds
    #[arg(long, default_value_t = 20)]
    seconds: u64,
    /// Markdown file to append the results to
    #[arg(long, default_value = "docs/PERFORMANCE-HISTORY.md")]
    out: PathBuf,
    /// Use this PostgreSQL database (it must be empty) instead of a temporary SQLite file
    #[arg(long)]
    postgres: Option<String>,
    /// Замеры расчётов: пени по всем счетам за 36 месяцев, список должников, загрузка реестра банка
    #[arg(long)]
    ledger: bool,
    /// Строк в реестре банка для замера загрузки (с --ledger)
    #[arg(long, default_value_t = 1_000_000)]
    register_lines: usize,
    /// Запросов к списку должников (с --ledger)
    #[arg(long, default_value_t = 2_000)]
    debtor_queries: usize,
    /// Замерить только документы: тёплый рендер справки и пакет квитанций
    #[arg(long)]
    documents: bool,
    /// Замерить только печать квитанций за месяц (с --payments, можно с --postgres)
    #[arg(long)]
    print_run: bool,
    /// Квитанций в пакете (с --documents и --print-run)
    #[arg(long, default_value_t = 10_000)]
    payments: usize,
    /// Рендеров справки для p50/p99 (с --documents)
    #[arg(long, default_value_t = 200)]
    renders: usize,
    /// Замерить только перерасчёт за отключение, затронувшее столько лицевых счетов
    #[arg(long)]
    outages: Option<usize>,
    /// Замерить только обращения: регистрацию через API и представление «Просроченные»
    #[arg(long)]
    appeals: bool,
    /// Клиентов, одновременно регистрирующих обращения (с --appeals)
    #[arg(long, default_value_t = 16)]
    appeal_clients: usize,
    /// Сколько секунд клиенты регистрируют обращения (с --appeals)
    #[arg(long, default_value_t = 15)]
    appeal_seconds: u64,
    /// Сколько обращений загрузить для замера «Просроченных» (с --appeals)
    #[arg(long, default_value_t = 1_000_000)]
    bulk_appeals: usize,
    /// Замерить только поиск по базе знаний на стольких статьях (можно с --postgres)
    #[arg(long)]
    articles: Option<usize>,
    /// Запросов к базе знаний для p50/p99 (с --articles)
    #[arg(long, default_value_t = 2_000)]
    article_queries: usize,
}

pub(crate) struct Server(pub(crate) Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// p50, p99 and max of latencies in milliseconds.
/// Deadlines computed per second on one core, over all shipped rules and a year of
/// start times (the overdue views recompute them constantly).
fn deadline_rate() -> f64 {
    use abonent_domain::calendar::WorkCalendar;
    use abonent_domain::deadline::{compute_deadline, default_rules};
    let calendar = WorkCalendar::shipped();
    let rules = default_rules();
    let start = chrono::NaiveDate::from_ymd_opt(2025, 1, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .unwrap_or_default();
    let n = 2_000_000u32;
    let t0 = Instant::now();
    let mut sink = 0i64;
    for i in 0..n {
        let rule = &rules[i as usize % rules.len()];
        let at = start + chrono::TimeDelta::minutes(i64::from(i % 525_600));
        sink ^= compute_deadline(rule, at, &calendar).and_utc().timestamp();
    }
    std::hint::black_box(sink);
    f64::from(n) / t0.elapsed().as_secs_f64()
}

pub(crate) fn percentiles(mut v: Vec<f64>) -> (f64, f64, f64) {
    v.sort_by(|a, b| a.total_cmp(b));
    let at = |q: f64| v[((v.len() as f64 - 1.0) * q).round() as usize];
    (at(0.5), at(0.99), *v.last().unwrap_or(&0.0))
}

pub(crate) fn rss_mb(pid: u32) -> (f64, f64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let kb = |key: &str| {
        status
            .lines()
            .find(|l| l.starts_with(key))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (kb("VmRSS:") / 1024.0, kb("VmHWM:") / 1024.0)
}

pub(crate) fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split(':').nth(1))
        .unwrap_or("?")
        .trim()
        .to_string();
    let mem = std::fs::read_to_string("/proc/meminfo")
        .unwrap_or_default()
        .lines()
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse::<f64>().ok())
        .map(|kb| kb / 1024.0 / 1024.0)
        .unwrap_or(0.0);
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(0);
    format!("{cores} ядра, {cpu}, {mem:.0} ГБ памяти")
}

/// Queries a specialist types, built from the data so each finds something.
async fn queries(db: &Db, n: usize) -> anyhow::Result<Vec<String>> {
    let mut rng = SmallRng::seed_from_u64(7);
    let page = registry::account::list(
        db,
        &Default::default(),
        registry::PageReq::new(Some(1), Some(500)),
    )
    .await?;
    let people = registry::person::list(
        db,
        &Default::default(),
        registry::PageReq::new(Some(3), Some(500)),
    )
    .await?;
    if page.items.is_empty() || people.items.is_empty() {
        bail!("в базе нет данных для замера");
    }
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let a = &page.items[rng.gen_range(0..page.items.len())];
        let p = &people.items[rng.gen_range(0..people.items.len())];
        // «г. Екатеринбург, ул. Ленина, д. 5, кв. 12» → «ленина 5 12» and «Ленина д.5 кв.12»
        let parts: Vec<&str> = a.address.split(", ").collect();
        let street = parts
            .get(1)
            .map(|s| s.split_whitespace().last().unwrap_or(""))
            .unwrap_or("");
        let house = parts
            .get(2)
            .map(|s| s.trim_start_matches("д. "))
            .unwrap_or("");
        let flat = parts
            .last()
            .map(|s| s.trim_start_matches("кв. ").trim_start_matches("пом. "))
            .unwrap_or("");
        out.push(match i % 5 {
            0 => format!("{} {house} {flat}", street.to_lowercase()),
            1 => format!("{street} д.{house} кв.{flat}"),
            2 => a.number.clone(),
            3 => p.data.last_name.clone(),
            _ => p
                .data
                .phones
                .first()
                .map(|ph| abonent_domain::phone::display(ph))
                .unwrap_or_else(|| p.data.last_name.clone()),
        });
    }
    Ok(out)
}

/// A real `abonent serve` process, as an operator runs it, on a free port; answers `/health`.
pub(crate) async fn start_server(
    postgres: Option<&str>,
    dir: &std::path::Path,
) -> anyhow::Result<(Server, String)> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let mut cmd = Command::new(std::env::current_exe()?);
    match postgres {
        Some(url) => cmd.arg("--database-url").arg(url),
        None => cmd.arg("--data-dir").arg(dir),
    };
    let child = cmd
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .env("ABONENT_LOG", "warn")
        .stdout(Stdio::null())
        .spawn()
        .context("не удалось запустить abonent serve")?;
    let server = Server(child);
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    for _ in 0..100 {
        if client.get(format!("{base}/health")).send().await.is_ok() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Ok((server, base))
}

/// Markdown appended to the run log (created with its heading when missing); the table of
/// current figures in docs/PERFORMANCE.md is updated by hand from it.
pub(crate) fn append_report(out: &std::path::Path, report: &str) -> anyhow::Result<()> {
    let mut text = std::fs::read_to_string(out).unwrap_or_else(|_| "# История замеров\n\nРезультаты `abonent bench`, старые сверху; текущие цифры — в PERFORMANCE.md.\n".into());
    text.push_str(report);
    std::fs::write(out, text)?;
    println!("Результаты дописаны в {}", out.display());
    Ok(())
}

pub async fn run(_db_args: &DbArgs, args: BenchArgs) -> anyhow::Result<()> {
    if args.ledger {
        return crate::bench_ledger::run(crate::bench_ledger::LedgerBench {
            accounts: args.accounts,
            register_lines: args.register_lines,
            debtor_queries: args.debtor_queries,
            postgres: args.postgres.as_deref(),
            out: &args.out,
        })
        .await;
    }
    if args.appeals {
        let opts = crate::bench_appeals::Options {
            accounts: args.accounts,
            clients: args.appeal_clients,
            seconds: args.appeal_seconds,
            bulk: args.bulk_appeals,
            postgres: args.postgres.clone(),
            out: args.out.clone(),
        };
        return crate::bench_appeals::run(opts).await;
    }
    if let Some(accounts) = args.outages {
        println!("Перерасчёт за отключение; машина: {}", machine());
        return crate::bench_outages::run(
            accounts,
            args.postgres.as_deref(),
            &args.out,
            &machine(),
        )
        .await;
    }
    if let Some(n) = args.articles {
        return crate::bench_articles::run(crate::bench_articles::Options {
            articles: n,
            queries: args.article_queries,
            postgres: args.postgres.as_deref(),
            out: &args.out,
            machine: machine(),
        })
        .await;
    }
    if args.print_run {
        println!("Печать квитанций; машина: {}", machine());
        return crate::bench_print_run::report(
            args.payments,
            args.postgres.as_deref(),
            &args.out,
            &machine(),
        )
        .await;
    }
    if args.documents {
        println!("Замеры документов; машина: {}", machine());
        let run = crate::bench_print_run::run(args.payments, None).await?;
        return tokio::task::block_in_place(|| {
            crate::bench_documents::run(args.renders, args.payments, &args.out, &machine(), &run)
        });
    }
    let dir = std::env::temp_dir().join(format!("abonent-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let db = match &args.postgres {
        Some(url) => Db::connect(url).await?,
        None => {
            let file = dir.join("abonent.sqlite");
            Db::connect(&format!("sqlite://{}", file.display())).await?
        }
    };
    abonent_storage::migrate::run(&db).await?;
    let backend = if args.postgres.is_some() {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    println!(
        "Замеры на {backend}, {} лицевых счетов; машина: {}",
        args.accounts,
        machine()
    );

    let deadlines_per_sec = deadline_rate();
    println!("сроки: {deadlines_per_sec:.0} вычислений в секунду");

    let started = Instant::now();
    let pb = crate::cli::progress_bar(args.accounts as u64, "Демонстрационные данные");
    let on_progress = |done: usize, total: usize| {
        pb.set_length(total as u64);
        pb.set_position(done as u64);
    };
    let stats = abonent_demo::load(
        &db,
        &abonent_demo::DemoConfig {
            accounts: args.accounts,
            seed: 2026,
        },
        &on_progress,
    )
    .await?;
    pb.finish_and_clear();
    let demo_secs = started.elapsed().as_secs_f64();
    println!(
        "demo: {demo_secs:.1} с ({})",
        crate::cli::demo_summary(&stats)
    );

    let password = crate::cli::random_password();
    users::create_user(&db, "bench", "Замер", Role::Specialist, &password).await?;
    let qs = queries(&db, args.queries).await?;
    let account_ids: Vec<i64> = registry::account::list(
        &db,
        &Default::default(),
        registry::PageReq::new(Some(1), Some(500)),
    )
    .await?
    .items
    .iter()
    .map(|a| a.id)
    .collect();
    let max_account: i64 = registry::counts(&db).await?.open_accounts;
    db.close().await;

    let (server, base) = start_server(args.postgres.as_deref(), &dir).await?;
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let login = client
        .post(format!("{base}/login"))
        .form(&[("login", "bench"), ("password", password.as_str())])
        .send()
        .await?;
    if !login.status().is_redirection() {
        bail!("вход для замера не удался: {}", login.status());
    }

    // Search: one specialist typing, one query after another.
    let mut search_ms = Vec::with_capacity(qs.len());
    let mut found = 0usize;
    for q in &qs {
        let t = Instant::now();
        let r = client
            .get(format!("{base}/api/v1/search"))
            .query(&[("q", q)])
            .send()
            .await?;
        let hits: serde_json::Value = r.json().await?;
        search_ms.push(t.elapsed().as_secs_f64() * 1000.0);
        found += usize::from(hits.as_array().is_some_and(|a| !a.is_empty()));
    }
    let (s50, s99, smax) = percentiles(search_ms);
    println!("поиск: p50 {s50:.2} мс, p99 {s99:.2} мс, max {smax:.2} мс; найдено для {found} из {} запросов", qs.len());

    // Account cards under concurrent clients.
    let deadline = Instant::now() + Duration::from_secs(args.seconds);
    let mut tasks = Vec::new();
    for c in 0..args.clients {
        let (client, base) = (client.clone(), base.clone());
        let ids = account_ids.clone();
        tasks.push(tokio::spawn(async move {
            let mut rng = SmallRng::seed_from_u64(c as u64);
            let mut ms = Vec::new();
            let mut errors = 0usize;
            while Instant::now() < deadline {
                let id = if rng.gen_bool(0.5) {
                    ids[rng.gen_range(0..ids.len())]
                } else {
                    rng.gen_range(1..=max_account.max(1))
                };
                let t = Instant::now();
                match client.get(format!("{base}/accounts/{id}")).send().await {
                    Ok(r) if r.status().is_success() => {
                        let _ = r.bytes().await;
                        ms.push(t.elapsed().as_secs_f64() * 1000.0);
                    }
                    _ => errors += 1,
                }
            }
            (ms, errors)
        }));
    }
    let mut card_ms = Vec::new();
    let mut card_errors = 0;
    for t in tasks {
        let (ms, e) = t.await?;
        card_ms.extend(ms);
        card_errors += e;
    }
    let requests = card_ms.len();
    let (c50, c99, cmax) = percentiles(card_ms);
    let rps = requests as f64 / args.seconds as f64;
    println!("карточка ЛС, {} клиента: p50 {c50:.2} мс, p99 {c99:.2} мс, max {cmax:.2} мс, {rps:.0} запросов/с, ошибок {card_errors}", args.clients);
    let (rss, hwm) = rss_mb(server.0.id());
    println!("память serve: сейчас {rss:.0} МБ, пик {hwm:.0} МБ");
    drop(server);
    if args.postgres.is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    }

    let ok = |v: f64, limit: f64| if v <= limit { "✅" } else { "❌" };
    let report = format!(
        "\n## Реестр: {backend}, {accounts} ЛС — {date}\n\nМашина: {machine}. Сборка release. Команда: `abonent bench --accounts {accounts}{pg}`.\n\n\
| Замер | Цель | Результат | |\n|---|---|---|---|\n\
| `demo --accounts {accounts}` | ≤ 30 с | {demo_secs:.1} с | {d_ok} |\n\
| Поиск (API, {nq} запросов: адрес, ЛС, фамилия, телефон), p99 | ≤ 20 мс | p50 {s50:.2} мс, p99 {s99:.2} мс, max {smax:.2} мс | {s_ok} |\n\
| Карточка ЛС, {clients} клиентов × {secs} с, p99 | ≤ 50 мс | p50 {c50:.2} мс, p99 {c99:.2} мс, {rps:.0} запросов/с, ошибок {card_errors} | {c_ok} |\n\
| Память `serve` после нагрузки (RSS / пик) | ≤ 200 МБ | {rss:.0} МБ / {hwm:.0} МБ | {m_ok} |\n\
| Вычисление сроков (все правила, один поток) | ≥ 1 000 000 в с | {deadlines_per_sec:.0} в с | {dl_ok} |\n",
        accounts = args.accounts,
        date = chrono::Local::now().format("%Y-%m-%d"),
        machine = machine(),
        pg = if args.postgres.is_some() { " --postgres …" } else { "" },
        d_ok = ok(demo_secs, 30.0),
        nq = qs.len(),
        s_ok = ok(s99, 20.0),
        clients = args.clients,
        secs = args.seconds,
        c_ok = ok(c99, 50.0),
        m_ok = ok(hwm, 200.0),
        dl_ok = if deadlines_per_sec >= 1e6 { "✅" } else { "❌" },
    );
    append_report(&args.out, &report)
}

/// After the demo's bulk load, let the database reach the state a working system is in
/// before the clock starts: on PostgreSQL statistics gathered and the freshly written pages
/// vacuumed and checkpointed (autovacuum's work), on SQLite the WAL checkpointed.
/// Otherwise autovacuum and the checkpointer work through millions of new ledger rows
/// during the measurements.
pub(crate) async fn settle(db: &abonent_storage::Db) -> anyhow::Result<()> {
    match db.backend() {
        abonent_storage::Backend::Postgres => {
            sqlx::query("VACUUM ANALYZE").execute(db.write()).await?;
            // Needs a superuser or pg_checkpoint; without it the measurement only runs
            // beside the checkpointer.
            if let Err(e) = sqlx::query("CHECKPOINT").execute(db.write()).await {
                println!("CHECKPOINT не выполнен ({e}); замер идёт рядом с фоновой записью");
            }
        }
        // No ANALYZE: a working SQLite database has no statistics either.
        abonent_storage::Backend::Sqlite => {
            sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                .execute(db.write())
                .await?;
        }
    }
    Ok(())
}
