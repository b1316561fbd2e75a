//! `abonent bench --outages N`: the quality recalculation of issue 19 §9 on a fresh database
//! (SQLite, or the empty PostgreSQL database of `--postgres`) — a demo company of N
//! accounts, a month of cold water charges for each, one emergency outage of 30 hours over
//! all its buildings; the proposal for every account, posting it into the ledger in one
//! transaction, and posting again (nothing new), each timed.

use std::path::Path;
use std::time::Instant;

use abonent_app::outages::recalc;
use abonent_app::outages::{self as app_outages, Reporter};
use abonent_app::{App, Clock};
use abonent_domain::ledger::{EntryKind, Period};
use abonent_domain::outage::{OutageForm, OutageKind, Place};
use abonent_storage::ledger::charges::ChargeLine;
use abonent_storage::Actor;

pub async fn run(
    accounts: usize,
    postgres: Option<&str>,
    out: &Path,
    machine: &str,
) -> anyhow::Result<()> {
    let dir = std::env::temp_dir().join(format!("abonent-bench-outages-{}", std::process::id()));
    let db = crate::bench_print_run::demo_db(accounts, postgres, &dir).await?;
    let period = Period::of(chrono::Local::now().date_naive()).plus(-1);
    let numbers: Vec<String> = sqlx::query_scalar("SELECT number FROM accounts ORDER BY id")
        .fetch_all(db.read())
        .await?;
    let lines: Vec<ChargeLine> = numbers
        .iter()
        .enumerate()
        .map(|(i, n)| ChargeLine {
            line: i + 2,
            account_number: n.clone(),
            period,
            service: Some("cold_water".into()),
            amount: 30_000 + (i as i64 * 37) % 90_000,
            volume: None,
            tariff: None,
            unit: None,
            kind: EntryKind::Charge,
            reason: None,
        })
        .collect();
    let actor = Actor::system("bench");
    let buildings =
        crate::bench_print_run::load_charges(&db, &lines, "bench-outages.csv", b"bench outages")
            .await?;
    let app = App::new(db.clone(), Clock::System);
    let who = Reporter {
        actor: actor.clone(),
        contractor: false,
    };
    let start = period.first_day().and_hms_opt(8, 0, 0).unwrap_or_default();
    let form = OutageForm {
        service: "cold_water".into(),
        kind: OutageKind::Emergency,
        reason: "Авария на магистрали (замер)".into(),
        places: buildings
            .iter()
            .map(|&b| Place {
                building_id: b,
                entrances: vec![],
            })
            .collect(),
        actual_from: Some(start.format("%Y-%m-%dT%H:%M").to_string()),
        actual_to: Some(
            (start + chrono::Duration::hours(30))
                .format("%Y-%m-%dT%H:%M")
                .to_string(),
        ),
        ..Default::default()
    };
    let id = app_outages::register(&app, &form, &who).await?;
    let t = Instant::now();
    let p = recalc::proposal(&app, id, Some(period), &who).await?;
    let proposal_secs = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let posted = recalc::post(&app, id, Some(period), &who).await?;
    let post_secs = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let again = recalc::post(&app, id, Some(period), &who).await?;
    let again_secs = t.elapsed().as_secs_f64();
    anyhow::ensure!(
        again.entries == 0,
        "posting twice wrote {} entries",
        again.entries
    );
    let backend = if postgres.is_some() {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    let build = if cfg!(debug_assertions) {
        "debug"
    } else {
        "release"
    };
    println!(
        "перерасчёт за отключение ({backend}, {build}): {} счетов в {} домах; предложение {:.2} с, \
         проводка {} записей {:.2} с, повторная проводка {:.2} с (записей 0)",
        p.lines.len(),
        buildings.len(),
        proposal_secs,
        posted.entries,
        post_secs,
        again_secs
    );
    db.close().await;
    let _ = std::fs::remove_dir_all(&dir);
    let ok = |pass: bool| if pass { "✅" } else { "❌" };
    let report = format!(
        "\n## Перерасчёт за отключение — {date}\n\nМашина: {machine}. Сборка {build}, {backend}. \
         Команда: `abonent bench --outages {accounts}`.\n\n\
| Замер | Цель | Результат | |\n|---|---|---|---|\n\
| Предложение перерасчёта: {n} счетов в {b} домах | ≤ 2 с | {proposal_secs:.2} с | {ok_p} |\n\
| Проводка: {e} записей в одной транзакции | ≤ 2 с | {post_secs:.2} с | {ok_post} |\n\
| Повторная проводка (ничего нового) | — | {again_secs:.2} с | |\n",
        date = chrono::Local::now().format("%Y-%m-%d"),
        n = p.lines.len(),
        b = buildings.len(),
        e = posted.entries,
        ok_p = ok(proposal_secs <= 2.0),
        ok_post = ok(post_secs <= 2.0),
    );
    crate::bench::append_report(out, &report)
}
