//! `abonent payments import`: a bank register or a 1С statement from the command line, the
//! same all-or-nothing load the web page runs (one transaction; a killed process leaves
//! nothing behind), here in the foreground.

use std::path::PathBuf;
use std::time::Instant;

use abonent_app::ledger::payments;
use abonent_app::{App, Clock};
use abonent_storage::{Actor, Db};
use anyhow::Context;
use clap::Subcommand;

#[derive(Subcommand)]
pub enum PaymentsCommand {
    /// Загрузить реестр платежей банка или выписку 1С: целиком или ничего
    Import {
        /// Файл реестра (или выписки 1С с --client-bank)
        file: PathBuf,
        /// Профиль реестра банка (название, как на странице «Профили реестров банков»);
        /// без него — типовой реестр
        #[arg(long)]
        profile: Option<String>,
        /// Файл — выписка 1С (ClientBankExchange)
        #[arg(long, conflicts_with = "profile")]
        client_bank: bool,
        /// Кто загружает (попадает в историю)
        #[arg(long, default_value = "Загрузка из командной строки")]
        by: String,
    },
}

pub async fn run(db: &Db, command: PaymentsCommand) -> anyhow::Result<()> {
    match command {
        PaymentsCommand::Import {
            file,
            profile,
            client_bank,
            by,
        } => import(db, file, profile, client_bank, &by).await,
    }
}

async fn import(
    db: &Db,
    file: PathBuf,
    profile: Option<String>,
    client_bank: bool,
    by: &str,
) -> anyhow::Result<()> {
    let app = App::new(db.clone(), Clock::System);
    let bytes =
        std::fs::read(&file).with_context(|| format!("не читается файл {}", file.display()))?;
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let format = payments::format_named(&app, profile.as_deref(), client_bank).await?;
    let started = Instant::now();
    let progress = |n: usize| println!("записано платежей: {n}");
    let sum =
        payments::load_file(&app, &name, bytes, &format, &Actor::system(by), &progress).await?;
    println!("{}", sum.text());
    println!(
        "Загрузка с пересчётом долгов затронутых счетов заняла {:.1} с.",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
