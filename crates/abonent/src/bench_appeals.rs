//! `abonent bench --appeals`: the appeals register's figures on a real `abonent serve` over
//! HTTP — registration through the API by concurrent clients (appeals per second, p50/p99)
//! and the «overdue» view over a register bulk-loaded to a million appeals (p50/p99) —
//! appended to docs/PERFORMANCE-HISTORY.md.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use abonent_domain::Role;
use abonent_storage::{time, users, Db};
use anyhow::{bail, Context};
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use sqlx::Row;

use crate::bench::{append_report, machine, percentiles, start_server};

pub struct Options {
    pub accounts: usize,
    pub clients: usize,
    pub seconds: u64,
    pub bulk: usize,
    pub postgres: Option<String>,
    pub out: PathBuf,
}

/// What residents say on the phone: the classifier and the stemmer run on each of them.
const TEXTS: &[&str] = &[
    "Нет горячей воды в квартире с утра",
    "Течёт с потолка в ванной, соседи сверху не открывают",
    "Не работает лифт во втором подъезде",
    "Холодные батареи в комнате, отопление еле тёплое",
    "Не горит свет на лестничной площадке третьего этажа",
    "Засор канализации, вода стоит в ванне",
    "Прошу разъяснить начисление за содержание жилья",
    "Грязно в подъезде, давно не было уборки",
    "Протекает кровля над пятым этажом после дождя",
    "Сломан домофон, не открывается дверь подъезда",
];

pub async fn run(o: Options) -> anyhow::Result<()> {
    let dir = std::env::temp_dir().join(format!("abonent-bench-appeals-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let db = match &o.postgres {
        Some(url) => Db::connect(url).await?,
        None => {
            let file = dir.join("abonent.sqlite");
            Db::connect(&format!("sqlite://{}", file.display())).await?
        }
    };
    abonent_storage::migrate::run(&db).await?;
    let backend = if o.postgres.is_some() {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    println!(
        "Обращения на {backend}; машина: {}; демо {} ЛС",
        machine(),
        o.accounts
    );
    abonent_demo::load(
        &db,
        &abonent_demo::DemoConfig {
            accounts: o.accounts,
            seed: 2026,
        },
        &|_, _| {},
    )
    .await?;
    crate::bench::settle(&db).await?;
    let premises: Vec<i64> = sqlx::query("SELECT id FROM premises ORDER BY id")
        .fetch_all(db.read())
        .await?
        .iter()
        .map(|r| r.get(0))
        .collect();
    if premises.is_empty() {
        bail!("в демонстрационных данных нет помещений");
    }
    let (_, token) = users::create_token(&db, "замер обращений", Role::Specialist, None).await?;

    let (server, base) = start_server(o.postgres.as_deref(), &dir).await?;
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(o.clients)
        .build()?;

    // Registration: each client posts one appeal after another, as operators at the phones.
    let auth = format!("Bearer {token}");
    let until = Instant::now() + Duration::from_secs(o.seconds);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for c in 0..o.clients {
        let (client, base, auth, premises) =
            (client.clone(), base.clone(), auth.clone(), premises.clone());
        tasks.push(tokio::spawn(async move {
            let mut rng = SmallRng::seed_from_u64(c as u64 + 100);
            let mut ms = Vec::new();
            let mut errors = Vec::new();
            while Instant::now() < until {
                let body = serde_json::json!({
                    "kind": "request", "channel": "phone",
                    "premises_id": premises[rng.gen_range(0..premises.len())],
                    "applicant_phone": format!("+7 912 {:03} {:04}", rng.gen_range(0..1000), rng.gen_range(0..10000)),
                    "substance": TEXTS[rng.gen_range(0..TEXTS.len())],
                });
                let t = Instant::now();
                match client
                    .post(format!("{base}/api/v1/appeals"))
                    .header("authorization", &auth)
                    .json(&body)
                    .send()
                    .await
                {
                    Ok(r) if r.status() == reqwest::StatusCode::CREATED => {
                        let _ = r.bytes().await;
                        ms.push(t.elapsed().as_secs_f64() * 1000.0);
                    }
                    Ok(r) => errors.push(format!("{}: {}", r.status(), r.text().await.unwrap_or_default())),
                    Err(e) => errors.push(e.to_string()),
                }
            }
            (ms, errors)
        }));
    }
    let mut reg_ms = Vec::new();
    let mut reg_errors = Vec::new();
    for t in tasks {
        let (ms, e) = t.await?;
        reg_ms.extend(ms);
        reg_errors.extend(e);
    }
    let elapsed = started.elapsed().as_secs_f64();
    let registered = reg_ms.len();
    if registered == 0 {
        bail!(
            "ни одно обращение не зарегистрировано: {:?}",
            reg_errors.first()
        );
    }
    let per_sec = registered as f64 / elapsed;
    let (r50, r99, rmax) = percentiles(reg_ms);
    println!(
        "регистрация, {} клиентов: {per_sec:.0} в с, p50 {r50:.2} мс, p99 {r99:.2} мс, max {rmax:.2} мс, ошибок {}",
        o.clients,
        reg_errors.len()
    );
    if let Some(e) = reg_errors.first() {
        println!("первая ошибка: {e}");
    }
    // Numbers must stay gapless under this load.
    let (count, max_seq): (i64, i64) = {
        let r = sqlx::query("SELECT COUNT(*), COALESCE(MAX(seq), 0) FROM appeals")
            .fetch_one(db.read())
            .await?;
        (r.get(0), r.get(1))
    };
    let gapless = count == max_seq;

    // The overdue view over a big register: bulk-load to `bulk` appeals with multi-row inserts.
    let t = Instant::now();
    let loaded = bulk_load(&db, o.bulk.saturating_sub(count as usize)).await?;
    let load_secs = t.elapsed().as_secs_f64();
    let total: i64 = sqlx::query("SELECT COUNT(*) FROM appeals")
        .fetch_one(db.read())
        .await?
        .get(0);
    println!("загрузка {loaded} обращений: {load_secs:.1} с; всего {total}");

    let mut rng = SmallRng::seed_from_u64(9);
    let mut view_ms = Vec::new();
    let mut overdue_total = 0i64;
    for i in 0..300 {
        let page = if i % 2 == 0 { 1 } else { rng.gen_range(1..=20) };
        let t = Instant::now();
        let r = client
            .get(format!("{base}/api/v1/appeals"))
            .header("authorization", &auth)
            .query(&[("view", "overdue"), ("page", &page.to_string())])
            .send()
            .await?;
        if !r.status().is_success() {
            bail!("представление «Просроченные»: {}", r.status());
        }
        let v: serde_json::Value = r.json().await?;
        view_ms.push(t.elapsed().as_secs_f64() * 1000.0);
        overdue_total = v["total"].as_i64().unwrap_or(0);
    }
    let (v50, v99, vmax) = percentiles(view_ms);
    println!(
        "«Просроченные» ({overdue_total} из {total}): p50 {v50:.2} мс, p99 {v99:.2} мс, max {vmax:.2} мс"
    );
    drop(server);
    db.close().await;
    if o.postgres.is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    }

    let ok = |good: bool| if good { "✅" } else { "❌" };
    let report = format!(
        "\n## Обращения: {backend} — {date}\n\nМашина: {machine}. Сборка release. \
Команда: `abonent bench --appeals --accounts {accounts}{pg}`.\n\n\
| Замер | Цель | Результат | |\n|---|---|---|---|\n\
| Регистрация через API, {clients} клиентов × {secs} с | ≥ 1000 в с | {per_sec:.0} в с ({registered} обращений, ошибок {errs}; номера без пропусков: {gap}) | {rate_ok} |\n\
| Регистрация, задержка p99 | ≤ 50 мс | p50 {r50:.2} мс, p99 {r99:.2} мс, max {rmax:.2} мс | {r_ok} |\n\
| «Просроченные» над {total} обращениями ({overdue_total} просрочено), 300 запросов, p99 | ≤ 100 мс | p50 {v50:.2} мс, p99 {v99:.2} мс, max {vmax:.2} мс | {v_ok} |\n\
| Загрузка {loaded} обращений многострочными INSERT | — | {load_secs:.1} с | |\n",
        date = chrono::Local::now().format("%Y-%m-%d"),
        machine = machine(),
        accounts = o.accounts,
        pg = if o.postgres.is_some() { " --postgres …" } else { "" },
        clients = o.clients,
        secs = o.seconds,
        errs = reg_errors.len(),
        gap = if gapless { "да" } else { "НЕТ" },
        rate_ok = ok(per_sec >= 1000.0 && reg_errors.is_empty()),
        r_ok = ok(r99 <= 50.0),
        v_ok = ok(v99 <= 100.0),
    );
    append_report(&o.out, &report)
}

/// Adds `n` appeals in batches of multi-row INSERTs, one transaction per batch: 95 % closed
/// over the past year, 5 % open registered within the last 20 days with deadlines of 1–10 days
/// (so part of them overdue, part not), across the demo buildings and the leaf categories.
/// Search terms and history are not written: the views do not read them.
async fn bulk_load(db: &Db, n: usize) -> anyhow::Result<usize> {
    let buildings: Vec<i64> = sqlx::query("SELECT id FROM buildings ORDER BY id")
        .fetch_all(db.read())
        .await?
        .iter()
        .map(|r| r.get(0))
        .collect();
    let categories: Vec<i64> = sqlx::query(
        "SELECT id FROM appeal_categories c WHERE NOT EXISTS \
         (SELECT 1 FROM appeal_categories k WHERE k.parent_id = c.id) ORDER BY id",
    )
    .fetch_all(db.read())
    .await?
    .iter()
    .map(|r| r.get(0))
    .collect();
    if buildings.is_empty() || categories.is_empty() {
        bail!("нет домов или категорий для загрузки");
    }
    let now = db.now();
    let mut rng = SmallRng::seed_from_u64(1_000_000);
    const BATCH: usize = 2_000;
    let statuses = ["registered", "assigned", "in_progress"];
    let mut done = 0;
    while done < n {
        let rows = BATCH.min(n - done);
        let mut sql = String::with_capacity(rows * 260);
        sql.push_str(
            "INSERT INTO appeals (year, seq, number, kind, channel, priority, status, category_id, \
             building_id, substance, received_at, registered_at, deadline_rule, deadline_at, \
             closed_at, updated_at) VALUES ",
        );
        for k in 0..rows {
            let i = done + k + 1;
            let open = rng.gen_range(0..100) < 5;
            let (registered, status) = if open {
                (
                    now - chrono::TimeDelta::minutes(rng.gen_range(0..20 * 24 * 60)),
                    statuses[i % statuses.len()],
                )
            } else {
                (
                    now - chrono::TimeDelta::minutes(rng.gen_range(20 * 24 * 60..365 * 24 * 60)),
                    "closed",
                )
            };
            let deadline = registered + chrono::TimeDelta::hours(rng.gen_range(24..240));
            let reg = time::fmt(registered);
            let closed = if open {
                "NULL".to_string()
            } else {
                format!("'{}'", time::fmt(deadline - chrono::TimeDelta::hours(12)))
            };
            if k > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&format!(
                "(2025, {i}, 'Б-{i:07}', 'request', 'phone', 'normal', '{status}', {cat}, {b}, \
                 'Обращение для замера {i}', '{reg}', '{reg}', 'written_request', '{dl}', {closed}, '{reg}')",
                cat = categories[rng.gen_range(0..categories.len())],
                b = buildings[rng.gen_range(0..buildings.len())],
                dl = time::fmt(deadline),
            ));
        }
        let mut tx = db.write().begin().await?;
        sqlx::query(&sql)
            .execute(&mut *tx)
            .await
            .context("многострочная вставка обращений")?;
        tx.commit().await?;
        done += rows;
        if done % 100_000 < BATCH {
            println!("  загружено {done} из {n}");
        }
    }
    // Statistics for the planner (and, on PostgreSQL, the visibility map for index-only
    // scans), as autovacuum or `PRAGMA optimize` would gather them in production.
    let analyze = match db.backend() {
        abonent_storage::Backend::Postgres => "VACUUM ANALYZE appeals",
        abonent_storage::Backend::Sqlite => "ANALYZE",
    };
    sqlx::query(analyze).execute(db.write()).await?;
    Ok(done)
}
