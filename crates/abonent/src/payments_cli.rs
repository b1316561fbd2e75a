//! `abonent payments import`: a bank register or a 1С statement from the command line, the
//! same all-or-nothing import the web page runs (one transaction; a killed process leaves
//! nothing behind).

use std::path::PathBuf;
use std::time::Instant;

use abonent_import::payments::RegisterProfile;
use abonent_storage::ledger::charges::{self, FileMeta};
use abonent_storage::ledger::{debts, payments, profiles};
use abonent_storage::{Actor, Db};
use abonent_web::ledger_flow::{self, COMMON_PROFILE};
use anyhow::{bail, Context};
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

async fn register_profile(
    db: &Db,
    name: Option<&str>,
) -> anyhow::Result<(Option<i64>, RegisterProfile)> {
    let common = serde_json::to_value(RegisterProfile::common())?;
    profiles::ensure(db, COMMON_PROFILE, &common).await?;
    let name = name.unwrap_or(COMMON_PROFILE);
    let all = profiles::list(db).await?;
    let Some(stored) = all.into_iter().find(|p| p.name == name) else {
        bail!("нет профиля реестра «{name}»: создайте его на странице «Профили реестров банков»");
    };
    let profile = serde_json::from_value(stored.profile)
        .with_context(|| format!("профиль «{name}» не читается; исправьте его"))?;
    Ok((Some(stored.id), profile))
}

async fn import(
    db: &Db,
    file: PathBuf,
    profile: Option<String>,
    client_bank: bool,
    by: &str,
) -> anyhow::Result<()> {
    let bytes =
        std::fs::read(&file).with_context(|| format!("не читается файл {}", file.display()))?;
    if bytes.is_empty() {
        bail!("файл {} пуст", file.display());
    }
    let sha256 = charges::sha256_hex(&bytes);
    if let Some(prev) = charges::find_by_hash(db, &sha256).await? {
        bail!("{}", charges::duplicate_message(&prev));
    }
    let (kind, profile_id, producer) = if client_bank {
        let our = ledger_flow::our_account_in(db).await?;
        (
            "client_bank",
            None,
            ledger_flow::client_bank_producer(bytes, our),
        )
    } else {
        let (id, p) = register_profile(db, profile.as_deref()).await?;
        ("register", id, ledger_flow::register_producer(bytes, p))
    };
    let meta = FileMeta {
        kind,
        file_name: file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        sha256,
        profile_id,
    };
    let started = Instant::now();
    let progress = |n: usize| println!("записано платежей: {n}");
    let sum = payments::import_payments(db, &meta, &Actor::system(by), producer, &progress)
        .await
        .map_err(|e| anyhow::anyhow!("загрузка отменена, ничего не сохранено: {e}"))?;
    let imported = started.elapsed().as_secs_f64();
    let today = ledger_flow::today(db).await;
    let started = Instant::now();
    debts::refresh(db, Some(&sum.account_ids), today).await?;
    println!("{}", sum.text());
    println!(
        "Загрузка заняла {imported:.1} с, пересчёт долгов затронутых счетов — {:.1} с.",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
