//! Real servers for delivery tests: an SMTP server (mailin-embedded) and an SMS gateway
//! (axum), both on 127.0.0.1, recording what they receive.
#![allow(dead_code)]

use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use abonent_storage::{settings, Db};
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use mailin_embedded::{Handler, Response, Server};

/// One message as the SMTP server got it.
#[derive(Debug, Clone, Default)]
pub struct Received {
    pub from: String,
    pub to: Vec<String>,
    pub data: Vec<u8>,
}

impl Received {
    pub fn header(&self, name: &str) -> String {
        let mail = mailparse::parse_mail(&self.data).expect("a MIME message");
        mail.headers
            .iter()
            .find(|h| h.get_key().eq_ignore_ascii_case(name))
            .map(|h| h.get_value())
            .unwrap_or_default()
    }

    /// The text body, decoded from its transfer encoding and charset.
    pub fn text(&self) -> String {
        let mail = mailparse::parse_mail(&self.data).expect("a MIME message");
        mail.get_body().expect("a text body")
    }
}

#[derive(Clone)]
struct Recorder {
    inbox: Arc<Mutex<Vec<Received>>>,
    current: Received,
}

impl Handler for Recorder {
    fn data_start(&mut self, _domain: &str, from: &str, _is8bit: bool, to: &[String]) -> Response {
        self.current = Received {
            from: from.to_string(),
            to: to.to_vec(),
            data: Vec::new(),
        };
        mailin_embedded::response::OK
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.current.data.extend_from_slice(buf);
        Ok(())
    }

    fn data_end(&mut self) -> Response {
        let m = std::mem::take(&mut self.current);
        self.inbox.lock().unwrap().push(m);
        mailin_embedded::response::OK
    }
}

pub struct SmtpServer {
    pub port: u16,
    inbox: Arc<Mutex<Vec<Received>>>,
}

impl SmtpServer {
    /// A server on a port of its own.
    pub fn start() -> SmtpServer {
        Self::start_on(ClosedPort::reserve())
    }

    /// A server on a reserved port (a test first lets a sender fail against it while closed).
    /// It runs on its own thread until the test process ends.
    pub fn start_on(reserved: ClosedPort) -> SmtpServer {
        let port = reserved.port;
        let listener = reserved.open();
        let inbox = Arc::new(Mutex::new(Vec::new()));
        let mut server = Server::new(Recorder {
            inbox: inbox.clone(),
            current: Received::default(),
        });
        server
            .with_name("smtp.test")
            .with_num_threads(8)
            .with_tcp_listener(listener);
        std::thread::spawn(move || {
            let _ = server.serve();
        });
        SmtpServer { port, inbox }
    }

    pub fn received(&self) -> Vec<Received> {
        self.inbox.lock().unwrap().clone()
    }
}

/// A port held by this test and refusing connections until [`ClosedPort::open`]: bound but
/// not listening, so nobody else can take it between the failing sends and the server's start
/// (a port chosen, released and bound again later can be taken in between).
pub struct ClosedPort {
    socket: socket2::Socket,
    pub port: u16,
}

impl ClosedPort {
    pub fn reserve() -> ClosedPort {
        use socket2::{Domain, Socket, Type};
        let socket = Socket::new(Domain::IPV4, Type::STREAM, None).expect("a TCP socket");
        let addr: std::net::SocketAddr = "127.0.0.1:0".parse().unwrap();
        socket.bind(&addr.into()).expect("bind a local port");
        let port = socket
            .local_addr()
            .unwrap()
            .as_socket()
            .expect("an IP address")
            .port();
        ClosedPort { socket, port }
    }

    /// Starts listening on the reserved port.
    pub fn open(self) -> TcpListener {
        self.socket
            .listen(128)
            .expect("listen on the reserved port");
        self.socket.into()
    }
}

/// One request as the gateway got it.
#[derive(Debug, Clone)]
pub struct GatewayRequest {
    pub method: Method,
    pub uri: Uri,
    pub headers: HeaderMap,
    pub body: String,
}

impl GatewayRequest {
    pub fn query(&self, key: &str) -> String {
        url::form_urlencoded::parse(self.uri.query().unwrap_or("").as_bytes())
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default()
    }
}

#[derive(Clone)]
struct GatewayState {
    log: Arc<Mutex<Vec<GatewayRequest>>>,
    answer: Arc<Mutex<(StatusCode, String)>>,
}

pub struct Gateway {
    pub base: String,
    state: GatewayState,
}

impl Gateway {
    pub async fn start() -> Gateway {
        let state = GatewayState {
            log: Arc::new(Mutex::new(Vec::new())),
            answer: Arc::new(Mutex::new((StatusCode::OK, "OK".into()))),
        };
        let app = axum::Router::new()
            .fallback(record)
            .with_state(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Gateway { base, state }
    }

    /// What the gateway answers from now on.
    pub fn answer(&self, status: StatusCode, body: &str) {
        *self.state.answer.lock().unwrap() = (status, body.to_string());
    }

    pub fn requests(&self) -> Vec<GatewayRequest> {
        self.state.log.lock().unwrap().clone()
    }
}

async fn record(
    State(s): State<GatewayState>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: String,
) -> (StatusCode, String) {
    s.log.lock().unwrap().push(GatewayRequest {
        method,
        uri,
        headers,
        body,
    });
    s.answer.lock().unwrap().clone()
}

pub async fn set(db: &Db, pairs: &[(&str, &str)]) {
    for (k, v) in pairs {
        settings::set(db, k, v, "тест").await.unwrap();
    }
}

/// Plain SMTP to the test server.
pub async fn use_smtp(db: &Db, port: u16) {
    set(
        db,
        &[
            ("smtp.host", "127.0.0.1"),
            ("smtp.port", &port.to_string()),
            ("smtp.security", "none"),
            ("smtp.from", "УК «Дом» <noreply@uk-dom.ru>"),
        ],
    )
    .await;
}

/// Wait until `cond` holds, up to `limit`.
pub async fn wait_for<F, Fut>(limit: Duration, what: &str, mut cond: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let start = Instant::now();
    while !cond().await {
        assert!(start.elapsed() < limit, "timed out waiting for: {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Run a test on SQLite and on PostgreSQL with a fresh database:
/// `both!(name, |db: Db, url: String| async move { .. })` (the URL opens more instances).
#[macro_export]
macro_rules! both {
    ($name:ident, $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn sqlite() {
                let t =
                    abonent_storage::testing::TestDb::new(abonent_storage::Backend::Sqlite).await;
                let f = $body;
                f(t.db.clone(), t.url.clone()).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn postgres() {
                let t =
                    abonent_storage::testing::TestDb::new(abonent_storage::Backend::Postgres).await;
                let f = $body;
                f(t.db.clone(), t.url.clone()).await;
            }
        }
    };
}

/// Send what is due, looking again every `idle`, until told to stop (then the drain in hand
/// finishes): the job runner's pace without its schedule, which `abonent_app` tests.
pub fn keep_sending(
    worker: abonent_notify::Worker,
    idle: Duration,
) -> (
    tokio::sync::oneshot::Sender<()>,
    tokio::task::JoinHandle<()>,
) {
    let (stop, mut stopped) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        loop {
            if let Err(e) = worker.drain(|| false).await {
                eprintln!("outbox: {e}");
            }
            tokio::select! {
                _ = &mut stopped => break,
                _ = tokio::time::sleep(idle) => {}
            }
        }
    });
    (stop, task)
}
