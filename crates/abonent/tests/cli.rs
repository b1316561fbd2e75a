//! The `abonent` binary as an operator uses it: migrate, staff accounts, demo data, serve,
//! backup — on SQLite and on PostgreSQL.

use std::io::{BufRead, BufReader};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use abonent_storage::testing::TestDb;
use abonent_storage::Backend;

fn abonent(db: &[String], args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_abonent"))
        .args(db)
        .args(args)
        .env_remove("ABONENT_DATABASE_URL")
        .env("ABONENT_LOG", "warn")
        .stdin(Stdio::null())
        .output()
        .expect("run abonent")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// `--data-dir` of a fresh directory, or `--database-url` of a fresh PostgreSQL database.
async fn target(backend: Backend) -> (Vec<String>, Option<TestDb>) {
    match backend {
        Backend::Sqlite => {
            let dir = std::env::temp_dir().join(format!(
                "abonent-cli-{}-{}",
                std::process::id(),
                rand_suffix()
            ));
            (vec!["--data-dir".into(), dir.display().to_string()], None)
        }
        Backend::Postgres => {
            let t = TestDb::empty(Backend::Postgres).await;
            // A data directory of its own too (the secret key lives there), never the
            // default `./abonent-data` in the source tree.
            let dir = std::env::temp_dir().join(format!(
                "abonent-cli-pg-{}-{}",
                std::process::id(),
                rand_suffix()
            ));
            let args = vec![
                "--database-url".into(),
                t.url.clone(),
                "--data-dir".into(),
                dir.display().to_string(),
            ];
            (args, Some(t))
        }
    }
}

fn rand_suffix() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
}

/// `abonent serve` on a port the system picks (`--listen 127.0.0.1:0`): the child and the
/// port it announced. The port is bound before it is announced, so requests can follow at
/// once; a port chosen by the test and bound later by the child could be taken in between.
fn serve(db: &[String]) -> (std::process::Child, u16) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_abonent"))
        .args(db)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .env_remove("ABONENT_DATABASE_URL")
        .env("ABONENT_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let port = loop {
        let line = lines
            .next()
            .expect("serve ended before announcing its address")
            .unwrap();
        if let Some(rest) = line.strip_prefix("Абонент: http://") {
            let addr = rest.split('/').next().unwrap();
            break addr.rsplit(':').next().unwrap().parse().unwrap();
        }
    };
    // Keep reading, so that a full pipe never blocks the server.
    std::thread::spawn(move || lines.for_each(drop));
    (child, port)
}

async fn operator_session(backend: Backend) {
    let (db, _keep) = target(backend).await;
    let o = abonent(&db, &["migrate"]);
    assert!(o.status.success(), "{}", text(&o));
    let newest = abonent_storage::migrate::known().1;
    assert!(
        text(&o).contains(&format!("версия {newest}")),
        "{}",
        text(&o)
    );

    let o = abonent(
        &db,
        &[
            "user",
            "add",
            "ivanova",
            "--name",
            "Иванова Мария",
            "--role",
            "boss",
            "--password",
            "correct horse 1",
        ],
    );
    assert!(!o.status.success());
    assert!(text(&o).contains("неизвестная роль «boss»"), "{}", text(&o));
    let o = abonent(
        &db,
        &[
            "user",
            "add",
            "ivanova",
            "--name",
            "Иванова Мария",
            "--role",
            "administrator",
            "--password",
            "short",
        ],
    );
    assert!(!o.status.success());
    assert!(text(&o).contains("не менее 10 символов"), "{}", text(&o));
    let o = abonent(
        &db,
        &[
            "user",
            "add",
            "ivanova",
            "--name",
            "Иванова Мария",
            "--role",
            "administrator",
            "--password",
            "correct horse 1",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    let o = abonent(&db, &["user", "list"]);
    assert!(
        text(&o).contains("ivanova") && text(&o).contains("Администратор"),
        "{}",
        text(&o)
    );
    let o = abonent(
        &db,
        &["user", "passwd", "ivanova", "--password", "another horse 2"],
    );
    assert!(o.status.success(), "{}", text(&o));
    // An API token for a script: stdout is the token alone.
    let o = abonent(&db, &["user", "token", "робот", "--role", "auditor"]);
    assert!(o.status.success(), "{}", text(&o));
    let token = String::from_utf8_lossy(&o.stdout).trim().to_string();
    assert!(
        token.starts_with("abn_") && !token.contains(' '),
        "{}",
        text(&o)
    );
    let o = abonent(&db, &["user", "token", "робот", "--role", "boss"]);
    assert!(text(&o).contains("неизвестная роль «boss»"), "{}", text(&o));

    let o = abonent(&db, &["demo", "--accounts", "300", "--seed", "5"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("лицевых счетов 3"), "{}", text(&o));
    let o = abonent(&db, &["demo", "--accounts", "300"]);
    assert!(
        !o.status.success(),
        "a second demo load into a filled database is refused"
    );

    // The monthly penalty run from the command line: posts once, a repeat posts nothing.
    let o = abonent(&db, &["penalties", "run", "--period", "2026-13"]);
    assert!(!o.status.success());
    assert!(
        text(&o).contains("--period: месяц «2026-13»"),
        "{}",
        text(&o)
    );
    // A month that has not ended is refused.
    let o = abonent(&db, &["penalties", "run", "--period", "2027-06"]);
    assert!(!o.status.success());
    assert!(
        text(&o).contains("Июнь 2027 ещё не закончился"),
        "{}",
        text(&o)
    );
    let posted = |o: &Output| -> usize {
        let t = text(o);
        let at = t.find("проведено строк ").expect("the run's summary") + "проведено строк ".len();
        t[at..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect::<String>()
            .parse()
            .unwrap()
    };
    let o = abonent(&db, &["penalties", "run", "--period", "2026-10"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("Пени за октябрь 2026 начислены"),
        "{}",
        text(&o)
    );
    assert!(
        posted(&o) > 0,
        "the demo's debtors owe penalties: {}",
        text(&o)
    );
    let o = abonent(&db, &["penalties", "run", "--period", "2026-10"]);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(posted(&o), 0, "a repeated run doubled: {}", text(&o));

    // serve answers on its port and signs the staff member in.
    let (mut child, port) = serve(&db);
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap();
    let up = client
        .get(format!("http://127.0.0.1:{port}/health"))
        .send()
        .await
        .is_ok_and(|r| r.status().is_success());
    let login = client
        .post(format!("http://127.0.0.1:{port}/login"))
        .form(&[("login", "ivanova"), ("password", "another horse 2")])
        .send()
        .await
        .unwrap();
    let me = client
        .get(format!("http://127.0.0.1:{port}/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    let me = (me.status(), me.text().await.unwrap_or_default());
    let _ = child.kill();
    let _ = child.wait();
    assert!(up, "serve did not answer /health");
    assert_eq!(me.0, 200, "{}", me.1);
    assert!(me.1.contains("\"role\":\"auditor\""), "{}", me.1);
    assert_eq!(login.status(), 303);

    if backend == Backend::Sqlite {
        let copy = std::env::temp_dir().join(format!("abonent-cli-copy-{}.sqlite", rand_suffix()));
        let o = abonent(&db, &["backup", "--to", &copy.display().to_string()]);
        assert!(o.status.success(), "{}", text(&o));
        assert!(std::fs::metadata(&copy).unwrap().len() > 100_000);
        let _ = std::fs::remove_file(copy);
        let _ = std::fs::remove_dir_all(&db[1]);
    } else {
        let o = abonent(&db, &["backup", "--to", "/tmp/never.sqlite"]);
        assert!(text(&o).contains("pg_dump"));
        let _ = std::fs::remove_dir_all(&db[3]);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn operator_session_sqlite() {
    operator_session(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn operator_session_postgres() {
    operator_session(Backend::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn first_start_tells_how_to_create_the_administrator() {
    let (db, _keep) = target(Backend::Sqlite).await;
    let mut child = Command::new(env!("CARGO_BIN_EXE_abonent"))
        .args(&db)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let second = lines.next().unwrap().unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert!(first.contains("нет ни одного сотрудника"), "{first}");
    assert!(second.contains("abonent user add admin"), "{second}");
    // The key of secrets in settings was made on this first start, readable by its owner only.
    let key = std::path::Path::new(&db[1]).join("secret.key");
    let mode =
        std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&key).unwrap().permissions());
    assert_eq!(mode & 0o777, 0o600, "{}", key.display());
    assert_eq!(std::fs::read_to_string(&key).unwrap().trim().len(), 64);
    let _ = std::fs::remove_dir_all(&db[1]);
}

#[test]
fn help_is_in_russian() {
    let o = abonent(&[], &["--help"]);
    let t = text(&o);
    assert!(
        t.contains("Использование")
            && t.contains("Команды")
            && t.contains("Запустить веб-интерфейс"),
        "{t}"
    );
}

/// Two `abonent serve` processes on one database send the outbox: every SMS reaches the
/// gateway (axum on 127.0.0.1) exactly once.
async fn serve_sends_notifications(backend: Backend) {
    use std::sync::{Arc, Mutex};

    let (db_args, _keep) = target(backend).await;
    let o = abonent(&db_args, &["migrate"]);
    assert!(o.status.success(), "{}", text(&o));
    let db = match backend {
        Backend::Sqlite => abonent_storage::Db::open_data_dir(std::path::Path::new(&db_args[1]))
            .await
            .unwrap(),
        Backend::Postgres => abonent_storage::Db::connect(&db_args[1]).await.unwrap(),
    };

    let got: Arc<Mutex<Vec<String>>> = Arc::default();
    let log = got.clone();
    let app = axum::Router::new().route(
        "/send",
        axum::routing::get(
            move |q: axum::extract::Query<std::collections::HashMap<String, String>>| {
                let log = log.clone();
                async move {
                    log.lock().unwrap().push(q.0["text"].clone());
                    "OK"
                }
            },
        ),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let gateway = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    abonent_storage::settings::set(
        &db,
        "sms.url",
        &format!("http://{gateway}/send?to={{phone}}&text={{text}}"),
        "тест",
    )
    .await
    .unwrap();
    for n in 0..50 {
        let m =
            abonent_storage::outbox::NewMessage::sms(&format!("+7912{n:07}"), &format!("SMS {n}"));
        abonent_storage::outbox::enqueue(&db, &m).await.unwrap();
    }

    let mut children = Vec::new();
    for _ in 0..2 {
        children.push(serve(&db_args).0);
    }
    // Bounded by the count of rounds, not by a wall-clock deadline that a busy machine misses.
    let mut all_sent = false;
    for _ in 0..1200 {
        let counts = abonent_storage::outbox::counts(&db).await.unwrap();
        if counts.contains(&(abonent_domain::outbox::OutboxState::Sent, 50)) {
            all_sent = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    for mut c in children {
        let _ = c.kill();
        let _ = c.wait();
    }
    assert!(all_sent, "serve did not send the outbox");
    let texts = got.lock().unwrap().clone();
    let unique: std::collections::HashSet<&String> = texts.iter().collect();
    assert_eq!((texts.len(), unique.len()), (50, 50), "each SMS once");
    let page = abonent_storage::outbox::list(
        &db,
        &Default::default(),
        abonent_storage::registry::PageReq::new(None, Some(100)),
    )
    .await
    .unwrap();
    let senders: std::collections::HashSet<String> = page
        .items
        .iter()
        .filter_map(|m| m.locked_by.clone())
        .collect();
    assert!(
        !senders.is_empty() && senders.iter().all(|s| s.split('-').count() >= 3),
        "instances sign what they sent (host-process-random): {senders:?}"
    );
    db.close().await;
    if backend == Backend::Sqlite {
        let _ = std::fs::remove_dir_all(&db_args[1]);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_sends_notifications_sqlite() {
    serve_sends_notifications(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_sends_notifications_postgres() {
    serve_sends_notifications(Backend::Postgres).await;
}

/// What an import could have left behind: rows and money of the ledger, the unmatched queue
/// and the imports list.
async fn ledger_state(db: &abonent_storage::Db) -> Vec<i64> {
    let mut out = Vec::new();
    for q in [
        "SELECT COUNT(*) FROM ledger_entries",
        "SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM ledger_entries",
        "SELECT COUNT(*) FROM unmatched_payments",
        "SELECT COUNT(*) FROM ledger_imports",
    ] {
        let n: i64 = sqlx::query_scalar(q).fetch_one(db.read()).await.unwrap();
        out.push(n);
    }
    out
}

async fn open_target(db: &[String]) -> abonent_storage::Db {
    match db[0].as_str() {
        "--data-dir" => abonent_storage::Db::open_data_dir(std::path::Path::new(&db[1]))
            .await
            .unwrap(),
        _ => abonent_storage::Db::connect(&db[1]).await.unwrap(),
    }
}

/// `abonent payments import` killed with SIGKILL in the middle of a big register: the
/// database shows nothing of the file, and the same file then loads in full.
async fn killed_import(backend: Backend) {
    let (db, _keep) = target(backend).await;
    let o = abonent(&db, &["demo", "--accounts", "200"]);
    assert!(o.status.success(), "{}", text(&o));
    let store = open_target(&db).await;
    let numbers: Vec<String> = sqlx::query_scalar("SELECT number FROM accounts ORDER BY number")
        .fetch_all(store.read())
        .await
        .unwrap();
    assert!(numbers.len() >= 200, "{}", numbers.len());
    let lines = 100_000;
    let file = std::env::temp_dir().join(format!("abonent-kill-{}.txt", rand_suffix()));
    std::fs::write(
        &file,
        abonent_demo::register::bank_register(&numbers, lines, 7),
    )
    .unwrap();
    let before = ledger_state(&store).await;
    store.close().await;

    let mut child = Command::new(env!("CARGO_BIN_EXE_abonent"))
        .args(&db)
        .args(["payments", "import", file.to_str().unwrap()])
        .env_remove("ABONENT_DATABASE_URL")
        .env("ABONENT_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut written = 0usize;
    for line in BufReader::new(child.stdout.take().unwrap()).lines() {
        let line = line.unwrap();
        if let Some(n) = line.strip_prefix("записано платежей: ") {
            written = n.trim().parse().unwrap();
            if written >= 20_000 {
                break;
            }
        }
    }
    assert!(
        (20_000..lines).contains(&written),
        "the import was not caught in the middle: {written}"
    );
    child.kill().unwrap(); // SIGKILL: no chance to roll back or clean up
    assert!(!child.wait().unwrap().success());

    // As after a restart: a fresh connection sees nothing of the file.
    let store = open_target(&db).await;
    assert_eq!(ledger_state(&store).await, before);
    store.close().await;

    // The same file loads afterwards, in full, and only once.
    let o = abonent(&db, &["payments", "import", file.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains(&format!(
            "Загружено платежей {}",
            abonent_domain::money::format_count(lines as i64)
        )),
        "{}",
        text(&o)
    );
    let store = open_target(&db).await;
    let after = ledger_state(&store).await;
    store.close().await;
    let unmatched = lines / 100;
    assert_eq!(after[0] - before[0], (lines - unmatched) as i64);
    assert_eq!(after[2] - before[2], unmatched as i64);
    assert_eq!(after[3] - before[3], 1);
    let o = abonent(&db, &["payments", "import", file.to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(text(&o).contains("уже загружен"), "{}", text(&o));
    let _ = std::fs::remove_file(&file);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_import_changes_nothing_sqlite() {
    killed_import(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_import_changes_nothing_postgres() {
    killed_import(Backend::Postgres).await;
}
