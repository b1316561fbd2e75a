//! `abonent bench --documents`, the print run: a demo company of `accounts` accounts on a
//! fresh SQLite database, one month of charges for each, then the monthly print run of
//! payment documents for all its buildings — gathered from the ledger, numbered, rendered and
//! archived one by one — and the one PDF for printing; time and memory around it.

use std::time::Instant;

use abonent_app::documents::print_run;
use abonent_app::{App, Clock};
use abonent_domain::ledger::{EntryKind, Period};
use abonent_storage::ledger::charges::{self, ChargeLine, FileMeta};
use abonent_storage::{settings, Actor, Db};

/// What the run measured, as a row of the report.
pub struct PrintRunFigures {
    pub documents: usize,
    pub secs: f64,
    pub pdf_secs: f64,
    pub rss: (f64, f64, f64),
}

pub async fn run(accounts: usize) -> anyhow::Result<PrintRunFigures> {
    let dir = std::env::temp_dir().join(format!("abonent-bench-print-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let db = Db::connect(&format!(
        "sqlite://{}",
        dir.join("abonent.sqlite").display()
    ))
    .await?;
    abonent_storage::migrate::run(&db).await?;
    abonent_demo::load(
        &db,
        &abonent_demo::DemoConfig {
            accounts,
            seed: 2026,
        },
        &|_, _| {},
    )
    .await?;
    for (k, v) in abonent_documents::samples::organization().to_settings() {
        settings::set(&db, &k, &v, "bench").await?;
    }
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
            service: Some("maintenance".into()),
            amount: 150_000 + (i as i64 * 37) % 300_000,
            volume: Some("54.3".into()),
            tariff: Some("27.62".into()),
            unit: Some("м²".into()),
            kind: EntryKind::Charge,
            reason: None,
        })
        .collect();
    let actor = Actor::system("bench");
    let meta = FileMeta {
        kind: "charges",
        file_name: "bench.csv".into(),
        sha256: charges::sha256_hex(b"bench print run"),
        profile_id: None,
    };
    charges::import_charges(&db, &meta, &lines, &actor, &|_| {}).await?;
    let buildings: Vec<i64> = sqlx::query_scalar("SELECT id FROM buildings ORDER BY id")
        .fetch_all(db.read())
        .await?;
    let app = App::new(db.clone(), Clock::System);
    let list = abonent_storage::documents::print_run::accounts(&db, &buildings).await?;
    let (rss_before, _) = crate::bench_documents::rss_mb();
    let pb = crate::cli::progress_bar(list.len() as u64, "Печать квитанций");
    let t = Instant::now();
    let (runner, month) = (app.clone(), period.to_string());
    let total = list.len();
    let report = app
        .jobs
        .run(print_run::JOB_KIND, total, None, |p| async move {
            print_run::run(&runner, &list, &month, &actor, &p).await
        })
        .await?;
    let secs = t.elapsed().as_secs_f64();
    pb.finish_and_clear();
    let (rss_mid, _) = crate::bench_documents::rss_mb();
    let t = Instant::now();
    let pdf = print_run::combined(&app, &report.document_ids).await?;
    let pdf_secs = t.elapsed().as_secs_f64();
    let (rss_after, _) = crate::bench_documents::rss_mb();
    println!(
        "печать квитанций: {} за {secs:.1} с (с номерами и архивом), пропущено {}; один PDF \
         {:.0} МБ за {pdf_secs:.1} с; память {rss_before:.0} / {rss_mid:.0} / {rss_after:.0} МБ",
        report.document_ids.len(),
        report.skipped.len(),
        pdf.len() as f64 / 1e6
    );
    db.close().await;
    let _ = std::fs::remove_dir_all(&dir);
    Ok(PrintRunFigures {
        documents: report.document_ids.len(),
        secs,
        pdf_secs,
        rss: (rss_before, rss_mid, rss_after),
    })
}
