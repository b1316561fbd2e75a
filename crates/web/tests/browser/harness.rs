//! One browser at a time: a chromedriver started for a scenario, ready by its own `/status`,
//! a session created with retries, and on failure a message that names the driver's log.
//!
//! Under the load of the whole suite two drivers starting at once on two cores reset each
//! other's first connections; scenarios therefore take a process-wide lock, so a test binary
//! never runs two browsers together.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder};
use tokio::sync::{Mutex, MutexGuard};

static ONE_BROWSER: Mutex<()> = Mutex::const_new(());

/// How long a driver may take to say it is ready on a busy machine.
const READY_WITHIN: Duration = Duration::from_secs(60);
const START_TRIES: u32 = 3;
const SESSION_TRIES: u32 = 5;

/// A chromedriver process with its own log file, killed on drop.
struct Process {
    child: Child,
    port: u16,
    log: PathBuf,
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Process {
    fn spawn(path: &str) -> Process {
        let port = free_port();
        let log = std::env::temp_dir().join(format!(
            "abonent-chromedriver-{}-{port}.log",
            std::process::id()
        ));
        let child = Command::new(path)
            .arg(format!("--port={port}"))
            .arg(format!("--log-path={}", log.display()))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "chromedriver not started from {path}: {e}. \
                     scripts/test.sh installs Debian's chromium-driver."
                )
            });
        Process { child, port, log }
    }

    /// Polls `/status` until the driver reports `ready`; a driver that exited (its port was
    /// taken between choosing and binding) or never answers is an error.
    async fn wait_ready(&mut self) -> Result<(), String> {
        let started = Instant::now();
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(5))
            .build()
            .unwrap();
        let url = format!("http://127.0.0.1:{}/status", self.port);
        let mut last = String::from("no answer yet");
        while started.elapsed() < READY_WITHIN {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!("chromedriver exited with {status}"));
            }
            match client.get(&url).send().await {
                Ok(r) => match r.json::<serde_json::Value>().await {
                    Ok(v) if v["value"]["ready"] == true => return Ok(()),
                    Ok(v) => last = format!("not ready: {v}"),
                    Err(e) => last = format!("unreadable /status: {e}"),
                },
                Err(e) => last = format!("GET /status: {e}"),
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Err(format!(
            "not ready after {READY_WITHIN:?} on port {}: {last}",
            self.port
        ))
    }

    /// The last lines of the driver's log, for a failure message.
    fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        let from = lines.len().saturating_sub(20);
        format!(
            "chromedriver log {} (last lines):\n{}",
            self.log.display(),
            lines[from..].join("\n")
        )
    }
}

/// A ready chromedriver, and the turn that keeps browsers one at a time while it lives.
pub struct Driver {
    process: Process,
    _turn: MutexGuard<'static, ()>,
}

impl Driver {
    /// Waits for its turn, then starts chromedriver (again on another port if it fails).
    pub async fn start() -> Driver {
        let turn = ONE_BROWSER.lock().await;
        let path = std::env::var("ABONENT_CHROMEDRIVER")
            .unwrap_or_else(|_| "/usr/bin/chromedriver".into());
        let mut failures = Vec::new();
        for attempt in 1..=START_TRIES {
            let mut process = Process::spawn(&path);
            match process.wait_ready().await {
                Ok(()) => {
                    return Driver {
                        process,
                        _turn: turn,
                    }
                }
                Err(e) => failures.push(format!("attempt {attempt}: {e}\n{}", process.log_tail())),
            }
            drop(process);
            tokio::time::sleep(Duration::from_millis(500 * u64::from(attempt))).await;
        }
        panic!("chromedriver never became ready:\n{}", failures.join("\n"));
    }

    /// A new headless Chromium session; connection errors are retried with a short back-off.
    pub async fn session(&self) -> Client {
        let chromium =
            std::env::var("ABONENT_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
        let port = self.process.port;
        let mut errors = Vec::new();
        for attempt in 1..=SESSION_TRIES {
            // A profile of its own: a failed attempt may leave its directory locked.
            let profile = std::env::temp_dir().join(format!(
                "abonent-chromium-{}-{port}-{attempt}",
                std::process::id()
            ));
            let caps = serde_json::json!({
                "browserName": "chrome",
                // The console, to find pages that broke their content security policy.
                "goog:loggingPrefs": {"browser": "ALL"},
                "goog:chromeOptions": {
                    "binary": chromium,
                    "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                             "--disable-quic", "--no-first-run", "--disable-background-networking",
                             "--disable-component-update", "--disable-sync", "--window-size=1366,768",
                             format!("--user-data-dir={}", profile.display())]
                }
            });
            let serde_json::Value::Object(caps) = caps else {
                unreachable!()
            };
            match ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
                .capabilities(caps)
                .connect(&format!("http://127.0.0.1:{port}"))
                .await
            {
                Ok(c) => return c,
                Err(e) => {
                    errors.push(format!("attempt {attempt}: {e}"));
                    tokio::time::sleep(Duration::from_millis(250 << attempt)).await;
                }
            }
        }
        panic!(
            "no browser session after {SESSION_TRIES} attempts:\n{}\n{}",
            errors.join("\n"),
            self.process.log_tail()
        );
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// chromedriver's console log of the page since the last call (its `se/log` endpoint).
#[derive(Debug)]
struct BrowserLog;

impl fantoccini::wd::WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/se/log",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (axum::http::Method, Option<String>) {
        (
            axum::http::Method::POST,
            Some(r#"{"type":"browser"}"#.to_string()),
        )
    }
}

/// Console messages about the content security policy since the last call: a page that runs
/// inline script, an inline style or `eval` under the policy is reported there.
pub async fn csp_violations(c: &Client) -> Result<Vec<String>, String> {
    let log = c.issue_cmd(BrowserLog).await.map_err(|e| e.to_string())?;
    let entries = log
        .as_array()
        .ok_or_else(|| format!("no browser log: {log}"))?;
    Ok(entries
        .iter()
        .filter_map(|e| e["message"].as_str())
        .filter(|m| m.contains("Content Security Policy"))
        .map(str::to_string)
        .collect())
}
