//! `abonent penalties run`: the monthly penalty accrual from the command line (for cron),
//! the same run the «Пени» page starts: one transaction, repeatable without doubling.

use std::time::Instant;

use abonent_domain::ledger::Period;
use abonent_storage::ledger::{debts, penalties};
use abonent_storage::{Actor, Db};
use abonent_web::ledger_flow;
use anyhow::bail;
use clap::Subcommand;

#[derive(Subcommand)]
pub enum PenaltiesCommand {
    /// Начислить пени за месяц по всем лицевым счетам (повторный запуск не удваивает)
    Run {
        /// Месяц начисления, ГГГГ-ММ; без него — прошлый месяц
        #[arg(long)]
        period: Option<String>,
        /// Кто начисляет (попадает в историю)
        #[arg(long, default_value = "Начисление из командной строки")]
        by: String,
    },
}

pub async fn run(db: &Db, command: PenaltiesCommand) -> anyhow::Result<()> {
    match command {
        PenaltiesCommand::Run { period, by } => accrue(db, period.as_deref(), &by).await,
    }
}

async fn accrue(db: &Db, period: Option<&str>, by: &str) -> anyhow::Result<()> {
    let today = ledger_flow::today(db).await;
    let period = match period {
        Some(text) => match Period::parse(text) {
            Some(p) => p,
            None => bail!("--period: месяц «{text}» не понят; укажите ГГГГ-ММ, например 2026-10"),
        },
        None => Period::of(today).plus(-1),
    };
    let pb = crate::cli::progress_bar(0, &format!("Пени за {}", period.title()));
    let started = Instant::now();
    let progress = |done: usize, total: usize| {
        pb.set_length(total as u64);
        pb.set_position(done as u64);
    };
    let sum = penalties::run_month(db, period, &Actor::system(by), &progress)
        .await
        .map_err(|e| anyhow::anyhow!("начисление отменено, ничего не сохранено: {e}"))?;
    pb.finish_and_clear();
    let secs = started.elapsed().as_secs_f64();
    let started = Instant::now();
    debts::refresh(db, None, today).await?;
    println!("{}", sum.text());
    println!(
        "Начисление заняло {secs:.2} с (чтение {} мс, расчёт {} мс, запись {} мс), пересчёт долгов — {:.1} с.",
        sum.load_ms,
        sum.compute_ms,
        sum.write_ms,
        started.elapsed().as_secs_f64()
    );
    for e in sum.errors.iter().skip(1) {
        println!("Не рассчитан {e}.");
    }
    Ok(())
}
