//! `abonent penalties run`: the monthly penalty accrual from the command line (for cron),
//! the same run the «Пени» page starts: one transaction, repeatable without doubling.

use std::time::Instant;

use abonent_app::ledger::penalties;
use abonent_app::{App, Clock};
use abonent_domain::ledger::Period;
use abonent_storage::{Actor, Db};
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
    let app = App::new(db.clone(), Clock::System);
    let period = match period {
        Some(text) => match Period::parse(text) {
            Some(p) => p,
            None => bail!("--period: месяц «{text}» не понят; укажите ГГГГ-ММ, например 2026-10"),
        },
        None => penalties::default_period(&app).await?,
    };
    let pb = crate::cli::progress_bar(0, &format!("Пени за {}", period.title()));
    let started = Instant::now();
    let progress = |done: usize, total: usize| {
        pb.set_length(total as u64);
        pb.set_position(done as u64);
    };
    let sum = penalties::run(&app, period, &Actor::system(by), &progress).await?;
    pb.finish_and_clear();
    println!("{}", sum.text());
    println!(
        "Начисление с пересчётом долгов заняло {:.2} с (чтение {} мс, расчёт {} мс, запись {} мс).",
        started.elapsed().as_secs_f64(),
        sum.load_ms,
        sum.compute_ms,
        sum.write_ms,
    );
    for e in sum.errors.iter().skip(1) {
        println!("Не рассчитан {e}.");
    }
    Ok(())
}
