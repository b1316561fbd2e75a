//! `abonent`: one binary for the web UI and API, migrations, demo data, staff accounts,
//! backups and benchmarks.

mod bench;
mod bench_appeals;
mod bench_articles;
mod bench_documents;
mod bench_ledger;
mod bench_outages;
mod bench_print_run;
mod cli;
mod payments_cli;
mod penalties_cli;
mod secret_key;

use clap::{CommandFactory, FromArgMatches};

/// The penalty run and the register import allocate millions of small values on several
/// threads at once; mimalloc's per-thread heaps do that faster than the system allocator
/// (docs/PERFORMANCE.md has the figures).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() {
    let matches = cli::russian(cli::Cli::command()).get_matches();
    let args = cli::Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("ABONENT_LOG")
                .unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        // Standard output is the command's answer (a token, a backup's path, serve's address),
        // which scripts read: log lines go to standard error.
        .with_writer(std::io::stderr)
        .init();
    if let Err(e) = cli::run(args).await {
        eprintln!("Ошибка: {e:#}");
        std::process::exit(1);
    }
}
