//! What the screen tests share: a server on a small company, exact viewport sizes through
//! Chromium's DevTools (the window's size is not the page's), axe-core injected into the page,
//! and screenshots.

use std::time::Duration;

use abonent_domain::Role;
use abonent_storage::{users, Db};
use fantoccini::{Client, Locator};

/// The sizes every main screen is checked and photographed at.
pub const DESKTOP: (u32, u32) = (1440, 900);
pub const PHONE: (u32, u32) = (390, 844);

pub const PASSWORD: &str = "correct horse 1";

/// What a seeded company holds: ids the screens open.
pub struct Company {
    pub account: i64,
    pub person: i64,
    pub appeal: i64,
    pub premises: i64,
    pub building: i64,
}

/// Users of each role the screens need (login = role code), and a small company made
/// through the API: a building, a flat, an account with its owner, an overdue appeal, a letter
/// about the account, and two months of charges unpaid (the card shows every section).
pub async fn seed(db: &Db, base: &str) -> Company {
    for role in [Role::Specialist, Role::Manager] {
        users::create_user(
            db,
            role.code(),
            &format!("Сотрудник {}", role.title()),
            role,
            PASSWORD,
        )
        .await
        .unwrap();
    }
    let (_, token) = users::create_token(db, "экраны", Role::Administrator, None)
        .await
        .unwrap();
    let http = reqwest::Client::new();
    let post = |path: &'static str, body: serde_json::Value| {
        let req = http
            .post(format!("{base}{path}"))
            .bearer_auth(&token)
            .json(&body);
        async move {
            let r = req.send().await.unwrap();
            let status = r.status();
            let v: serde_json::Value = r.json().await.unwrap();
            assert!(status.is_success(), "{path}: {status} {v}");
            v["id"].as_i64().unwrap()
        }
    };
    let building = post(
        "/api/v1/buildings",
        serde_json::json!({"region": "Свердловская обл.", "city": "г. Екатеринбург",
                           "street": "ул. Амундсена", "house": "9", "floors": 9}),
    )
    .await;
    let premises = post(
        "/api/v1/premises",
        serde_json::json!({"building_id": building, "number": "12", "residential": true,
                           "area": "54,3", "rooms": 2}),
    )
    .await;
    let account = post(
        "/api/v1/accounts",
        serde_json::json!({"number": "100234", "premises_id": premises, "opened_on": "2024-01-01"}),
    )
    .await;
    let person = post(
        "/api/v1/persons",
        serde_json::json!({"last_name": "Кузнецова", "first_name": "Анна",
                           "middle_name": "Петровна", "phones": "+7 912 000-00-07"}),
    )
    .await;
    post(
        "/api/v1/links",
        serde_json::json!({"account_id": account, "person_id": person, "role": "owner",
                           "share": "1"}),
    )
    .await;
    let appeal = post(
        "/api/v1/appeals",
        serde_json::json!({"kind": "request", "channel": "phone", "premises_id": premises, "applicant_phone": "+7 912 000-00-07",
                           "substance": "Не работает домофон в первом подъезде"}),
    )
    .await;
    sqlx::query("UPDATE appeals SET deadline_at = $1 WHERE id = $2")
        .bind("2025-01-10T05:00:00.000000Z")
        .bind(appeal)
        .execute(db.write())
        .await
        .unwrap();
    post(
        "/api/v1/correspondence/incoming",
        serde_json::json!({"received_on": "2026-12-01", "sender_kind": "person",
                           "sender_name": "Кузнецова А. П.", "subject": "Просьба о перерасчёте",
                           "pages": 1, "account_id": account}),
    )
    .await;
    charge(db, "100234").await;
    Company {
        account,
        person,
        appeal,
        premises,
        building,
    }
}

/// Two months of maintenance, 1 500 ₽ each, a year back: debt with an age.
async fn charge(db: &Db, number: &str) {
    use abonent_domain::ledger::{EntryKind, Period};
    use abonent_storage::ledger::charges::{self, ChargeLine, FileMeta};
    let start = Period::of(chrono::Utc::now().date_naive()).plus(-12);
    let lines: Vec<ChargeLine> = (0..2)
        .map(|i| ChargeLine {
            line: i as usize + 2,
            account_number: number.into(),
            period: start.plus(i),
            service: Some("maintenance".into()),
            amount: 150_000,
            volume: None,
            tariff: None,
            unit: None,
            kind: EntryKind::Charge,
            reason: None,
        })
        .collect();
    let meta = FileMeta {
        kind: "charges",
        file_name: "screens.csv".into(),
        sha256: charges::sha256_hex(b"screens"),
        profile_id: None,
    };
    let actor = abonent_storage::Actor::system("экраны");
    charges::import_charges(db, &meta, &lines, &actor, &|_| {})
        .await
        .unwrap();
    abonent_storage::ledger::debts::refresh(db, None, chrono::Utc::now().date_naive())
        .await
        .unwrap();
}

/// Chromium's DevTools through chromedriver (`goog/cdp/execute`).
#[derive(Debug)]
struct Cdp(&'static str, serde_json::Value);

impl fantoccini::wd::WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/goog/cdp/execute",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (axum::http::Method, Option<String>) {
        (
            axum::http::Method::POST,
            Some(serde_json::json!({"cmd": self.0, "params": self.1}).to_string()),
        )
    }
}

/// The page's viewport exactly `width`×`height` CSS pixels (a phone: touch, mobile layout).
pub async fn viewport(c: &Client, (width, height): (u32, u32)) {
    let mobile = width < 600;
    c.issue_cmd(Cdp(
        "Emulation.setDeviceMetricsOverride",
        serde_json::json!({"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile}),
    ))
    .await
    .unwrap();
}

/// Opens `url` and waits until the page has loaded and htmx is quiet.
pub async fn open(c: &Client, url: &str) {
    c.goto(url).await.unwrap();
    open_idle(c).await;
}

/// Waits until the page has loaded and htmx has no request in flight.
pub async fn open_idle(c: &Client) {
    for _ in 0..600 {
        let state = c
            .execute(
                "return document.readyState === 'complete' \
                 && document.querySelectorAll('.htmx-request').length === 0",
                vec![],
            )
            .await
            .unwrap();
        if state == true {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

pub async fn sign_in(c: &Client, base: &str, login: &str) {
    open(c, &format!("{base}/login")).await;
    for (name, value) in [("login", login), ("password", PASSWORD)] {
        let el = c
            .find(Locator::Css(&format!("[name='{name}']")))
            .await
            .unwrap();
        el.clear().await.unwrap();
        el.send_keys(value).await.unwrap();
    }
    c.find(Locator::Css("form button[type='submit']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.wait()
        .at_most(Duration::from_secs(60))
        .for_element(Locator::Css("header.topbar"))
        .await
        .unwrap();
}

/// axe-core's violations of impact «serious» or «critical» on the page: rule, impact and
/// the first elements. axe.min.js comes from npm, installed by scripts/test.sh (ABONENT_AXE).
pub async fn serious_violations(c: &Client) -> Vec<String> {
    let path = std::env::var("ABONENT_AXE").unwrap_or_else(|_| {
        format!(
            "{}/.cache/abonent/axe-core-4.11.4/node_modules/axe-core/axe.min.js",
            std::env::var("HOME").unwrap_or_default()
        )
    });
    let axe = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!("axe-core not found at {path} ({e}): scripts/test.sh --setup-only installs it")
    });
    c.execute(&format!("{axe}\n;return true;"), vec![])
        .await
        .unwrap();
    let found = c
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, {resultTypes: ['violations']}).then(r => done(
               r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                 .map(v => v.id + ' (' + v.impact + '): ' + v.help + ' — '
                   + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))
             )).catch(e => done(['axe failed: ' + e]));",
            vec![],
        )
        .await
        .unwrap();
    found
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap_or_default().to_string())
        .collect()
}

/// How far the page is wider than the viewport (0: nothing scrolls sideways).
pub async fn overflow_x(c: &Client) -> i64 {
    c.execute(
        "return document.documentElement.scrollWidth - window.innerWidth",
        vec![],
    )
    .await
    .unwrap()
    .as_i64()
    .unwrap()
}

/// Elements matching `css` that are missing, hidden, or not wholly inside the viewport's
/// width (an empty one, like the alert badge with no alert, may have no width).
pub async fn outside(c: &Client, css: &[&str]) -> Vec<String> {
    let list = serde_json::json!(css);
    c.execute(
        "return arguments[0].filter(s => { const e = document.querySelector(s);
           if (!e) return true; const r = e.getBoundingClientRect();
           const empty = e.childElementCount === 0 && e.textContent.trim() === '';
           return (r.width === 0 && !empty) || r.left < 0 || r.right > window.innerWidth; });",
        vec![list],
    )
    .await
    .unwrap()
    .as_array()
    .unwrap()
    .iter()
    .map(|v| v.as_str().unwrap_or_default().to_string())
    .collect()
}

/// A PNG of the viewport into `dir/name-WxH.png`.
pub async fn photograph(c: &Client, dir: &std::path::Path, name: &str, (w, h): (u32, u32)) {
    let png = c.screenshot().await.unwrap();
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join(format!("{name}-{w}x{h}.png")), png).unwrap();
}
