//! An in-process abonent on a fresh database, with a signed-in session per role.
#![allow(dead_code)]

pub mod court;
pub mod ledger_files;
pub mod pd_log;

use std::collections::HashMap;

use abonent_domain::Role;
use abonent_storage::testing::TestDb;
use abonent_storage::{users, Backend};
use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use tower::ServiceExt;

pub struct Session {
    pub cookie: String,
    pub csrf: String,
}

pub struct TestApp {
    pub t: TestDb,
    pub router: Router,
    pub sessions: HashMap<Role, Session>,
    /// Bearer token with the specialist role.
    pub token: String,
}

pub struct Resp {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl Resp {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    pub fn location(&self) -> String {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    }
}

impl TestApp {
    pub async fn new(backend: Backend) -> TestApp {
        let t = TestDb::new(backend).await;
        let mut sessions = HashMap::new();
        for role in Role::ALL {
            // Sessions are made directly: hashing a password per role would only slow tests.
            let id = users::create_user(
                &t.db,
                role.code(),
                &format!("Сотрудник {}", role.title()),
                role,
                "test password 1",
            )
            .await
            .unwrap();
            let s = users::create_session(&t.db, id).await.unwrap();
            sessions.insert(
                role,
                Session {
                    cookie: format!("abonent_session={}", s.token),
                    csrf: s.csrf,
                },
            );
        }
        let (_, token) = users::create_token(&t.db, "тест", Role::Specialist, None)
            .await
            .unwrap();
        let router = abonent_web::app(t.db.clone());
        TestApp {
            t,
            router,
            sessions,
            token,
        }
    }

    pub async fn send(&self, req: Request<Body>) -> Resp {
        let res = self.router.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = axum::body::to_bytes(res.into_body(), usize::MAX)
            .await
            .unwrap();
        Resp {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    /// A page request as a signed-in staff member of `role`.
    pub async fn page(
        &self,
        role: Role,
        method: Method,
        path: &str,
        form: &[(&str, &str)],
    ) -> Resp {
        let s = &self.sessions[&role];
        let mut pairs: Vec<(&str, &str)> = form.to_vec();
        if method != Method::GET {
            pairs.push(("_csrf", &s.csrf));
        }
        let body = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish();
        let req = Request::builder()
            .method(method.clone())
            .uri(path)
            .header(header::COOKIE, &s.cookie)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(if method == Method::GET {
                Body::empty()
            } else {
                Body::from(body)
            })
            .unwrap();
        self.send(req).await
    }

    /// A file posted from a page as `role` (the CSRF field before the file, as a browser
    /// sends it).
    pub async fn upload_page(&self, role: Role, path: &str, name: &str, content: &[u8]) -> Resp {
        let s = &self.sessions[&role];
        let boundary = "----abonentpageupload";
        let mut body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n{}\r\n",
            s.csrf
        )
        .into_bytes();
        body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: text/csv\r\n\r\n").as_bytes());
        body.extend_from_slice(content);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let req = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header(header::COOKIE, &s.cookie)
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(Body::from(body))
            .unwrap();
        self.send(req).await
    }

    pub async fn get(&self, role: Role, path: &str) -> Resp {
        self.page(role, Method::GET, path, &[]).await
    }

    /// An API call with the specialist's bearer token.
    pub async fn api(&self, method: Method, path: &str, json: Option<serde_json::Value>) -> Resp {
        self.api_with(&self.token, method, path, json).await
    }

    /// A bearer token of another role.
    pub async fn token_of(&self, role: Role) -> String {
        users::create_token(&self.t.db, role.title(), role, None)
            .await
            .unwrap()
            .1
    }

    /// An API call with `token`.
    pub async fn api_with(
        &self,
        token: &str,
        method: Method,
        path: &str,
        json: Option<serde_json::Value>,
    ) -> Resp {
        let req = Request::builder()
            .method(method)
            .uri(path)
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "application/json")
            .body(json.map(|j| Body::from(j.to_string())).unwrap_or_default())
            .unwrap();
        self.send(req).await
    }

    /// A building, a flat and an account through the API; returns their ids.
    pub async fn seed(
        &self,
        street: &str,
        house: &str,
        flat: &str,
        number: &str,
    ) -> (i64, i64, i64) {
        let b = self
            .api(Method::POST, "/api/v1/buildings", Some(serde_json::json!({"region": "Свердловская обл.", "city": "г. Екатеринбург", "street": street, "house": house, "floors": 9})))
            .await;
        assert_eq!(b.status, StatusCode::CREATED, "{}", b.body);
        let bid = b.json()["id"].as_i64().unwrap();
        let p = self
            .api(Method::POST, "/api/v1/premises", Some(serde_json::json!({"building_id": bid, "number": flat, "residential": true, "area": "54,3", "rooms": 2})))
            .await;
        assert_eq!(p.status, StatusCode::CREATED, "{}", p.body);
        let pid = p.json()["id"].as_i64().unwrap();
        let a = self
            .api(Method::POST, "/api/v1/accounts", Some(serde_json::json!({"number": number, "premises_id": pid, "opened_on": "2024-01-01"})))
            .await;
        assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
        (bid, pid, a.json()["id"].as_i64().unwrap())
    }
}

/// pdftotext of a PDF with all whitespace collapsed; fails (never skips) without poppler.
pub fn pdf_text(pdf: &[u8]) -> String {
    let path = std::env::temp_dir().join(format!(
        "abonent-web-doc-{}-{}.pdf",
        std::process::id(),
        rand_suffix()
    ));
    std::fs::write(&path, pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(&path)
        .arg("-")
        .output()
        .expect(
            "pdftotext не запускается: установите poppler-utils (apt-get install poppler-utils)",
        );
    let _ = std::fs::remove_file(&path);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn rand_suffix() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    N.fetch_add(1, Ordering::Relaxed)
}

/// The sample organization's details as settings.
pub async fn set_org(db: &abonent_storage::Db) {
    for (k, v) in abonent_documents::samples::organization().to_settings() {
        abonent_storage::settings::set(db, &k, &v, "тест")
            .await
            .unwrap();
    }
}

/// The stored PDF of a document, through the API.
pub async fn download(app: &TestApp, id: i64) -> Vec<u8> {
    let req = axum::http::Request::builder()
        .uri(format!("/api/v1/documents/{id}/pdf"))
        .header("authorization", format!("Bearer {}", app.token))
        .body(axum::body::Body::empty())
        .unwrap();
    let res = tower::ServiceExt::oneshot(app.router.clone(), req)
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    axum::body::to_bytes(res.into_body(), usize::MAX)
        .await
        .unwrap()
        .to_vec()
}

/// A GET of a file with a bearer token: (status, content type, bytes).
pub async fn fetch_file(app: &TestApp, token: &str, path: &str) -> (StatusCode, String, Vec<u8>) {
    let req = axum::http::Request::builder()
        .uri(path)
        .header("authorization", format!("Bearer {token}"))
        .body(axum::body::Body::empty())
        .unwrap();
    let res = tower::ServiceExt::oneshot(app.router.clone(), req)
        .await
        .unwrap();
    let status = res.status();
    let ctype = res
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let bytes = axum::body::to_bytes(res.into_body(), usize::MAX)
        .await
        .unwrap();
    (status, ctype, bytes.to_vec())
}

/// Run a web test on SQLite and on PostgreSQL.
#[macro_export]
macro_rules! both {
    ($name:ident, $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let app = $crate::common::TestApp::new(abonent_storage::Backend::Sqlite).await;
                let f = $body;
                f(app).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let app = $crate::common::TestApp::new(abonent_storage::Backend::Postgres).await;
                let f = $body;
                f(app).await;
            }
        }
    };
}
/// The message of a problem+json 422's error for `field` (fails when there is none).
pub fn field_message(r: &Resp, field: &str) -> String {
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.headers["content-type"], "application/problem+json");
    let j = r.json();
    j["errors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["field"] == field)
        .unwrap_or_else(|| panic!("no error for {field}: {}", r.body))["message"]
        .as_str()
        .unwrap()
        .to_string()
}
