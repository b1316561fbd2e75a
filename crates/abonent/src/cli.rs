//! Command line, with help in Russian.

use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::time::Instant;

use abonent_app::AppError;
use abonent_domain::Role;
use abonent_storage::{migrate, users, Backend, Db};
use anyhow::{bail, Context};
use clap::{ArgAction, Args, Parser, Subcommand};

use indicatif::{ProgressBar, ProgressStyle};

#[derive(Parser)]
#[command(
    name = "abonent",
    version,
    about = "Абонент: программа абонентского отдела управляющей организации",
    disable_help_flag = true,
    disable_version_flag = true,
    disable_help_subcommand = true
)]
pub struct Cli {
    /// Показать справку
    #[arg(short = 'h', long, action = ArgAction::Help, global = true)]
    help: Option<bool>,
    /// Показать версию
    #[arg(short = 'V', long, action = ArgAction::Version)]
    version: Option<bool>,
    #[command(flatten)]
    pub db: DbArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Args, Clone)]
pub struct DbArgs {
    /// Каталог данных: в нём файл SQLite abonent.sqlite (если не задан адрес PostgreSQL)
    #[arg(
        long,
        global = true,
        default_value = "./abonent-data",
        env = "ABONENT_DATA_DIR"
    )]
    pub data_dir: PathBuf,
    /// Адрес PostgreSQL (postgres://пользователь@хост/база); без него — SQLite в каталоге данных
    #[arg(long, global = true, env = "ABONENT_DATABASE_URL")]
    pub database_url: Option<String>,
    /// Файл ключа шифрования секретов настроек (по умолчанию secret.key в каталоге данных; serve создаёт его при первом запуске). Ключ можно передать и переменной ABONENT_SECRET_KEY
    #[arg(long, global = true, env = "ABONENT_SECRET_KEY_FILE")]
    pub secret_key_file: Option<PathBuf>,
}

#[derive(Subcommand)]
pub enum Command {
    /// Запустить веб-интерфейс и API
    Serve {
        /// Адрес и порт
        #[arg(long, default_value = "127.0.0.1:8080", env = "ABONENT_LISTEN")]
        listen: String,
        /// Если база пуста: загрузить демонстрационную организацию и создать пользователя admin
        #[arg(long)]
        demo: bool,
        /// Сколько лицевых счетов в демонстрационных данных
        #[arg(long, default_value_t = 10_000)]
        demo_accounts: usize,
    },
    /// Создать или обновить схему базы данных
    Migrate,
    /// Загрузить демонстрационную организацию (дома, помещения, счета, люди, льготы, начисления и оплаты за 36 месяцев)
    Demo {
        /// Сколько лицевых счетов создать
        #[arg(long, default_value_t = 100_000)]
        accounts: usize,
        /// Зерно генератора: одно и то же зерно даёт одни и те же данные
        #[arg(long, default_value_t = 2026)]
        seed: u64,
    },
    /// Учётные записи сотрудников
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Резервная копия базы SQLite во время работы (для PostgreSQL — pg_dump, см. docs/BACKUP.md)
    Backup {
        /// Файл копии (не должен существовать)
        #[arg(long)]
        to: PathBuf,
    },
    /// Платежи: загрузка реестров банков и выписок 1С
    Payments {
        #[command(subcommand)]
        command: crate::payments_cli::PaymentsCommand,
    },
    /// Пени: ежемесячное начисление по всем счетам
    Penalties {
        #[command(subcommand)]
        command: crate::penalties_cli::PenaltiesCommand,
    },
    /// Замеры скорости и памяти; результаты дописываются в docs/PERFORMANCE-HISTORY.md
    Bench(crate::bench::BenchArgs),
}

#[derive(Subcommand)]
pub enum UserCommand {
    /// Добавить сотрудника (пароль спрашивается, если не задан --password)
    Add {
        /// Логин: строчные латинские буквы, цифры, «.», «-», «_»
        login: String,
        /// ФИО
        #[arg(long)]
        name: String,
        /// Роль: administrator, manager, specialist, dispatcher, accountant, lawyer, contractor, auditor
        #[arg(long)]
        role: String,
        /// Пароль (не менее 10 символов); лучше не указывать, а ввести по запросу
        #[arg(long, env = "ABONENT_PASSWORD", hide_env_values = true)]
        password: Option<String>,
    },
    /// Сменить пароль сотрудника
    Passwd {
        /// Логин сотрудника
        login: String,
        /// Новый пароль; лучше не указывать, а ввести по запросу
        #[arg(long, env = "ABONENT_PASSWORD", hide_env_values = true)]
        password: Option<String>,
    },
    /// Список сотрудников
    List,
    /// Выдать API-токен с ролью; токен печатается один раз (только он — для сценариев:
    /// TOKEN=$(abonent user token …))
    Token {
        /// Название: кто или что пользуется токеном
        name: String,
        /// Роль: administrator, manager, specialist, dispatcher, accountant, lawyer, contractor, auditor
        #[arg(long)]
        role: String,
    },
}

/// Russian headings for the help of every command (clap's own are English).
pub fn russian(cmd: clap::Command) -> clap::Command {
    const TEMPLATE: &str = "{about-with-newline}\nИспользование: {usage}\n\n{all-args}{after-help}";
    cmd.help_template(TEMPLATE)
        .subcommand_help_heading("Команды")
        .subcommand_value_name("КОМАНДА")
        .mut_args(|a| {
            if a.is_positional() {
                a.help_heading("Аргументы")
            } else {
                a.help_heading("Параметры")
            }
        })
        .mut_subcommands(russian)
}

pub async fn open(args: &DbArgs) -> anyhow::Result<Db> {
    Ok(open_with_key(args, false).await?.0)
}

/// The database, with the server's key for secrets when one is given (`create`: made if
/// missing, as `serve` does; then the key file made is answered too).
pub async fn open_with_key(args: &DbArgs, create: bool) -> anyhow::Result<(Db, Option<PathBuf>)> {
    let (key, created) = crate::secret_key::load(args, create)?;
    let db = match &args.database_url {
        Some(url) => Db::connect(url)
            .await
            .map_err(AppError::from)
            .with_context(|| "не удалось подключиться к PostgreSQL")?,
        None => Db::open_data_dir(&args.data_dir)
            .await
            .map_err(AppError::from)?,
    };
    let db = match key {
        Some(k) => db.with_secret_key(k),
        None => db,
    };
    migrate::run(&db)
        .await
        .context("не удалось обновить схему базы данных")?;
    Ok((db, created))
}

fn ask_password(prompt: &str) -> anyhow::Result<String> {
    print!("{prompt}");
    std::io::stdout().flush()?;
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

pub fn progress_bar(total: u64, what: &str) -> ProgressBar {
    let pb = ProgressBar::new(total);
    pb.set_style(
        ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} ({percent}%, осталось {eta})")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    pb.set_message(what.to_string());
    pb
}

async fn load_demo(db: &Db, accounts: usize, seed: u64) -> anyhow::Result<()> {
    let pb = progress_bar(accounts as u64, "Демонстрационные данные");
    let started = Instant::now();
    let cfg = abonent_demo::DemoConfig { accounts, seed };
    let on_progress = |done: usize, total: usize| {
        pb.set_length(total as u64);
        pb.set_position(done as u64);
    };
    let stats = abonent_demo::load(db, &cfg, &on_progress).await?;
    pb.finish_and_clear();
    println!(
        "Готово за {:.1} с: {}",
        started.elapsed().as_secs_f64(),
        demo_summary(&stats)
    );
    Ok(())
}

/// The demo organization's details, court and public address, where the first-run setup
/// would ask for them: the demo shows every page without the setup (values already set are
/// kept).
async fn fill_demo_settings(db: &Db) -> anyhow::Result<()> {
    let stored = abonent_storage::settings::all(db).await?;
    let mut values = abonent_documents::samples::organization().to_settings();
    values.extend([
        (
            abonent_domain::setup::COURT_NAME.to_string(),
            "Мировой судья судебного участка № 1 Ленинского судебного района г. Екатеринбурга"
                .to_string(),
        ),
        (
            abonent_domain::setup::COURT_ADDRESS.to_string(),
            "620014, г. Екатеринбург, ул. Малышева, д. 2б".to_string(),
        ),
        (
            abonent_domain::settings::PUBLIC_URL.to_string(),
            "http://abonent.demo.example:8080".to_string(),
        ),
    ]);
    let missing = abonent_domain::setup::missing(|k| stored.get(k).cloned().unwrap_or_default());
    for (k, v) in values {
        let blank = stored.get(&k).is_none_or(|x| x.trim().is_empty());
        if blank || missing.iter().any(|m| m.key == k) {
            abonent_storage::settings::set(db, &k, &v, "демо").await?;
        }
    }
    Ok(())
}

pub fn demo_summary(s: &abonent_demo::DemoStats) -> String {
    format!(
        "домов {}, помещений {}, лицевых счетов {}, людей {}, связей {}, льгот {}, записей журнала расчётов {}",
        s.buildings, s.premises, s.accounts, s.persons, s.links, s.benefits, s.ledger_entries
    )
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve {
            listen,
            demo,
            demo_accounts,
        } => {
            let (db, key_created) = open_with_key(&cli.db, true).await?;
            if demo && abonent_storage::registry::counts(&db).await?.open_accounts == 0 {
                load_demo(&db, demo_accounts, 2026).await?;
            }
            if demo {
                fill_demo_settings(&db).await?;
            }
            if demo && users::by_login(&db, "admin").await?.is_none() {
                let password = random_password();
                let app = abonent_app::App::new(db.clone(), abonent_app::Clock::System);
                abonent_app::users::create_user(
                    &app,
                    "admin",
                    "Администратор (демо)",
                    Some(Role::Administrator),
                    &password,
                )
                .await?;
                println!("Демонстрационный вход: логин admin, пароль {password}");
            }
            // The classifier learns the installation's examples and corrections at start.
            let learned =
                abonent_app::appeals::learning::install_model(&db, Some(&cli.db.data_dir))
                    .await
                    .context("не удалось обучить классификатор обращений")?;
            // What a newcomer must do comes first; the classifier's counts are for the operator.
            if users::count(&db).await? == 0 {
                println!(
                    "В базе нет ни одного сотрудника. Создайте администратора:\n  abonent user add admin --name \"Фамилия Имя\" --role administrator"
                );
            }
            if let Some(file) = key_created {
                println!("{}", crate::secret_key::created_note(&file));
            }
            println!("{}", learned.summary());
            let listener = tokio::net::TcpListener::bind(&listen)
                .await
                .with_context(|| format!("не удалось открыть адрес {listen} (--listen)"))?;
            println!(
                "Абонент: http://{}/ (остановить — Ctrl+C)",
                listener.local_addr()?
            );
            // Periodic work (sending the outbox, escalating alerts, deleting expired import
            // files) runs on the job runner:
            // one instance a tick when several share the database.
            let app = abonent_app::App::new(db, abonent_app::Clock::System);
            // Secrets saved in plain text by an older version are sealed now.
            let sealed = abonent_app::settings::seal_legacy_secrets(&app).await?;
            if sealed > 0 {
                println!("Зашифровано секретов настроек, хранившихся открыто: {sealed}.");
            }
            abonent_app::notifications::start(&app);
            // Import files past their time are deleted (docs/BACKUP.md).
            abonent_app::uploads::retention::start(&app);
            let served = abonent_web::serve(app.clone(), listener).await;
            // Ticks in hand finish their batch (each send is bounded by its timeout).
            if !app.jobs.stop(abonent_notify::sender::TIMEOUT * 11).await {
                tracing::warn!("отправка уведомлений не завершилась вовремя; незавершённые сообщения будут отправлены после перезапуска");
            }
            served
        }
        Command::Migrate => {
            let db = open(&cli.db).await?;
            println!(
                "Схема базы данных актуальна (версия {}).",
                migrate::current_version(&db).await?
            );
            Ok(())
        }
        Command::Demo { accounts, seed } => {
            let db = open(&cli.db).await?;
            load_demo(&db, accounts, seed).await
        }
        Command::User { command } => {
            let db = open(&cli.db).await?;
            user(&db, command).await
        }
        Command::Backup { to } => {
            if cli.db.database_url.is_some() {
                bail!("для PostgreSQL используйте pg_dump (см. docs/BACKUP.md)");
            }
            let db = open(&cli.db).await?;
            if db.backend() != Backend::Sqlite {
                bail!("резервная копия этой командой — только для SQLite");
            }
            db.backup_sqlite(&to).await.map_err(AppError::from)?;
            println!("Копия записана: {}", to.display());
            Ok(())
        }
        Command::Payments { command } => {
            let db = open(&cli.db).await?;
            crate::payments_cli::run(&db, command).await
        }
        Command::Penalties { command } => {
            let db = open(&cli.db).await?;
            crate::penalties_cli::run(&db, command).await
        }
        Command::Bench(args) => crate::bench::run(&cli.db, args).await,
    }
}

async fn user(db: &Db, command: UserCommand) -> anyhow::Result<()> {
    match command {
        UserCommand::Add {
            login,
            name,
            role,
            password,
        } => {
            let Some(role) = Role::from_code(&role) else {
                bail!("неизвестная роль «{role}»: administrator, manager, specialist, dispatcher, accountant, lawyer, contractor, auditor");
            };
            let password = match password {
                Some(p) => p,
                None => ask_password("Пароль (не менее 10 символов): ")?,
            };
            let app = abonent_app::App::new(db.clone(), abonent_app::Clock::System);
            abonent_app::users::create_user(&app, &login, &name, Some(role), &password).await?;
            println!("Сотрудник {login} создан ({}).", role.title());
        }
        UserCommand::Passwd { login, password } => {
            let Some(u) = users::by_login(db, &login).await? else {
                bail!("сотрудника с логином «{login}» нет");
            };
            let password = match password {
                Some(p) => p,
                None => ask_password("Новый пароль (не менее 10 символов): ")?,
            };
            let app = abonent_app::App::new(db.clone(), abonent_app::Clock::System);
            abonent_app::users::set_password(&app, u.id, &password).await?;
            println!("Пароль сотрудника {login} изменён; его сеансы завершены.");
        }
        UserCommand::Token { name, role } => {
            let Some(role) = Role::from_code(&role) else {
                bail!("неизвестная роль «{role}»: administrator, manager, specialist, dispatcher, accountant, lawyer, contractor, auditor");
            };
            let app = abonent_app::App::new(db.clone(), abonent_app::Clock::System);
            let (_, secret) =
                abonent_app::users::create_token(&app, &name, Some(role), None).await?;
            eprintln!(
                "API-токен «{name}» ({}) выдан; он показывается один раз, отозвать — «Администрирование → API-токены».",
                role.title()
            );
            println!("{secret}");
        }
        UserCommand::List => {
            for u in users::list(db).await? {
                println!(
                    "{:<20} {:<30} {}{}",
                    u.login,
                    u.full_name,
                    u.role.title(),
                    if u.active { "" } else { " (отключён)" }
                );
            }
        }
    }
    Ok(())
}

pub fn random_password() -> String {
    use rand::Rng;
    const CHARS: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::thread_rng();
    (0..14)
        .map(|_| CHARS[rng.gen_range(0..CHARS.len())] as char)
        .collect()
}
