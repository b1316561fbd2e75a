//! `abonent bench --print-run` (also part of `--documents`): a demo company of `accounts`
//! accounts on a fresh database (SQLite, or the empty PostgreSQL database of `--postgres`),
//! one month of charges for each, then the monthly print run of payment documents for all its
//! buildings — gathered from the ledger, numbered and archived in batches, typeset on every
//! core — and the one PDF for printing, joined from the run's parts as it is sent; time and
//! memory (resident and peak) around it.

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
    /// Resident memory before, after the run, after the PDF; and the peak of the process.
    pub rss: (f64, f64, f64),
    pub peak: f64,
    pub pdf_mb: f64,
    pub backend: &'static str,
    /// Seconds reading the accounts, typesetting, numbering and storing.
    pub phases: (f64, f64, f64),
}

/// Loads `lines` as one charges file (`file_name`, its hash made of `tag`) as the benchmark;
/// the buildings' ids in order.
pub(crate) async fn load_charges(
    db: &Db,
    lines: &[charges::ChargeLine],
    file_name: &str,
    tag: &[u8],
) -> anyhow::Result<Vec<i64>> {
    let meta = FileMeta {
        kind: "charges",
        file_name: file_name.into(),
        sha256: charges::sha256_hex(tag),
        profile_id: None,
    };
    charges::import_charges(db, &meta, lines, &Actor::system("bench"), &|_| {}).await?;
    Ok(sqlx::query_scalar("SELECT id FROM buildings ORDER BY id")
        .fetch_all(db.read())
        .await?)
}

/// A fresh database in `dir` (or the empty PostgreSQL one) with the demo company of
/// `accounts` accounts.
pub(crate) async fn demo_db(
    accounts: usize,
    postgres: Option<&str>,
    dir: &std::path::Path,
) -> anyhow::Result<Db> {
    std::fs::create_dir_all(dir)?;
    let db = match postgres {
        Some(url) => Db::connect(url).await?,
        None => {
            Db::connect(&format!(
                "sqlite://{}",
                dir.join("abonent.sqlite").display()
            ))
            .await?
        }
    };
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
    Ok(db)
}

pub async fn run(accounts: usize, postgres: Option<&str>) -> anyhow::Result<PrintRunFigures> {
    let dir = std::env::temp_dir().join(format!("abonent-bench-print-{}", std::process::id()));
    let db = demo_db(accounts, postgres, &dir).await?;
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
    let buildings = load_charges(&db, &lines, "bench.csv", b"bench print run").await?;
    let app = App::new(db.clone(), Clock::System);
    let (rss_before, _) = crate::bench_documents::rss_mb();
    let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM accounts")
        .fetch_one(db.read())
        .await?;
    let pb = crate::cli::progress_bar(total as u64, "Печать квитанций");
    let t = Instant::now();
    let bar = pb.clone();
    let (job, report) =
        print_run::run_here(&app, &buildings, &period.to_string(), &actor, move |done| {
            bar.set_position(done as u64)
        })
        .await?;
    let secs = t.elapsed().as_secs_f64();
    pb.finish_and_clear();
    let (rss_mid, _) = crate::bench_documents::rss_mb();
    let t = Instant::now();
    let mut chunks = print_run::pdf(&app, job).await?;
    let mut bytes = 0usize;
    let mut head = Vec::new();
    while let Some(piece) = chunks.recv().await {
        let piece = piece?;
        if head.is_empty() {
            head = piece[..piece.len().min(8)].to_vec();
        }
        bytes += piece.len();
    }
    anyhow::ensure!(head.starts_with(b"%PDF-"), "the joined file is not a PDF");
    let pdf_secs = t.elapsed().as_secs_f64();
    let (rss_after, peak) = crate::bench_documents::rss_mb();
    let backend = if postgres.is_some() {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    println!(
        "печать квитанций ({backend}): {} за {secs:.1} с (с номерами и архивом), пропущено {}; \
         один PDF {:.0} МБ за {pdf_secs:.1} с; память {rss_before:.0} / {rss_mid:.0} / \
         {rss_after:.0} МБ, пик {peak:.0} МБ",
        report.document_ids.len(),
        report.skipped.len(),
        bytes as f64 / 1e6
    );
    let ph = &report.phases;
    println!(
        "  из них: данные счетов {:.1} с, вёрстка {:.1} с, номера и запись {:.1} с",
        ph.gather_ms as f64 / 1e3,
        ph.typeset_ms as f64 / 1e3,
        ph.store_ms as f64 / 1e3
    );
    db.close().await;
    let _ = std::fs::remove_dir_all(&dir);
    Ok(PrintRunFigures {
        documents: report.document_ids.len(),
        secs,
        pdf_secs,
        rss: (rss_before, rss_mid, rss_after),
        peak,
        pdf_mb: bytes as f64 / 1e6,
        backend,
        phases: (
            ph.gather_ms as f64 / 1e3,
            ph.typeset_ms as f64 / 1e3,
            ph.store_ms as f64 / 1e3,
        ),
    })
}

/// The print run alone, as a row of the report.
pub async fn report(
    accounts: usize,
    postgres: Option<&str>,
    out: &std::path::Path,
    machine: &str,
) -> anyhow::Result<()> {
    let f = run(accounts, postgres).await?;
    let ok = |pass: bool| if pass { "✅" } else { "❌" };
    let report = format!(
        "\n## Печать квитанций — {date}\n\nМашина: {machine}. Сборка release, {backend}. Команда: \
         `abonent bench --print-run --payments {accounts}`.\n\n\
| Замер | Цель | Результат | |\n|---|---|---|---|\n\
| Печать за месяц: {docs} квитанций из расчётов с номерами и архивом | ≤ 60 с | {secs:.1} с ({rate:.0} в с) | {ok_run} |\n\
| из них: данные счетов / вёрстка / номера и запись | — | {g:.1} / {ts:.1} / {st:.1} с | |\n\
| Один PDF для печати ({pdf_mb:.0} МБ), собранный из частей при выдаче | — | {pdf_secs:.1} с | |\n\
| Память: до / после печати / после PDF / пик процесса | не растёт с числом квитанций | {m0:.0} / {m1:.0} / {m2:.0} / {peak:.0} МБ | |\n",
        date = chrono::Local::now().format("%Y-%m-%d"),
        backend = f.backend,
        docs = f.documents,
        secs = f.secs,
        rate = f.documents as f64 / f.secs.max(0.001),
        ok_run = ok(f.secs <= 60.0),
        pdf_mb = f.pdf_mb,
        pdf_secs = f.pdf_secs,
        m0 = f.rss.0,
        m1 = f.rss.1,
        m2 = f.rss.2,
        peak = f.peak,
        g = f.phases.0,
        ts = f.phases.1,
        st = f.phases.2,
    );
    crate::bench::append_report(out, &report)
}
