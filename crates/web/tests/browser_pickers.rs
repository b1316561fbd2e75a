//! A picker in real headless Chromium (issue 17 §3): the specialist registers an incoming
//! letter, types «Амундсена 9-12» into the account field, picks the account from the list with
//! the keyboard, the person by the last digits of her phone the same way, submits, and the
//! letter is saved with both; axe-core finds no serious or critical violation with the list
//! open; the header search suggests as you type.

#[allow(dead_code)]
#[path = "browser/harness.rs"]
mod harness;
#[allow(dead_code)]
#[path = "browser/screens.rs"]
mod screens;

use std::time::Duration;

use abonent_storage::testing::TestDb;
use abonent_storage::Backend;
use fantoccini::key::Key;
use fantoccini::{Client, Locator};
use sqlx::Row;

async fn serve(db: abonent_storage::Db) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let app = abonent_web::app(db);
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    base
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_letter_about_an_account_picked_by_address() {
    let t = TestDb::new(Backend::Sqlite).await;
    let base = serve(t.db.clone()).await;
    let company = screens::seed(&t.db, &base).await;
    let driver = harness::Driver::start().await;
    let c = driver.session().await;
    let mut result = scenario(&c, &base).await;
    if result.is_ok() {
        result = match harness::csp_violations(&c).await {
            Ok(v) if v.is_empty() => Ok(()),
            Ok(v) => Err(format!("CSP violations: {v:#?}")),
            Err(e) => Err(e),
        };
    }
    if result.is_err() {
        if let Ok(png) = c.screenshot().await {
            let _ = std::fs::write(
                std::env::temp_dir().join("abonent-pickers-failure.png"),
                png,
            );
        }
    }
    c.close().await.unwrap();
    result.unwrap();
    // The letter registered last is tied to the picked account and person.
    let row = sqlx::query(
        "SELECT account_id, person_id FROM incoming_letters WHERE subject = $1 ORDER BY id DESC",
    )
    .bind("Перерасчёт за отопление")
    .fetch_one(t.db.read())
    .await
    .unwrap();
    assert_eq!(row.get::<Option<i64>, _>(0), Some(company.account));
    assert_eq!(row.get::<Option<i64>, _>(1), Some(company.person));
}

fn key(k: Key) -> String {
    let c: char = k.into();
    c.to_string()
}

async fn type_into(c: &Client, css: &str, text: &str) -> Result<(), String> {
    let el = c
        .find(Locator::Css(css))
        .await
        .map_err(|e| format!("{css}: {e}"))?;
    el.clear().await.map_err(|e| e.to_string())?;
    el.send_keys(text).await.map_err(|e| e.to_string())
}

/// The listbox under `box_css` once it shows an option with `expect` (a minute at most).
async fn options_with(c: &Client, list_css: &str, expect: &str) -> Result<String, String> {
    let mut text = String::new();
    for _ in 0..600 {
        if let Ok(el) = c.find(Locator::Css(list_css)).await {
            if el.is_displayed().await.unwrap_or(false) {
                text = el.text().await.unwrap_or_default();
                if text.contains(expect) {
                    return Ok(text);
                }
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Err(format!("{list_css}: no option «{expect}», shown: {text}"))
}

/// Pick the first option with the keyboard: ArrowDown, Enter.
async fn pick_first(c: &Client, box_css: &str) -> Result<(), String> {
    let el = c
        .find(Locator::Css(box_css))
        .await
        .map_err(|e| e.to_string())?;
    el.send_keys(&key(Key::Down))
        .await
        .map_err(|e| e.to_string())?;
    let active = el
        .attr("aria-activedescendant")
        .await
        .map_err(|e| e.to_string())?;
    if active.is_none() {
        return Err(format!("{box_css}: ArrowDown marked no option"));
    }
    el.send_keys(&key(Key::Enter))
        .await
        .map_err(|e| e.to_string())
}

async fn value(c: &Client, css: &str) -> String {
    match c.find(Locator::Css(css)).await {
        Ok(el) => el.prop("value").await.ok().flatten().unwrap_or_default(),
        Err(_) => String::new(),
    }
}

/// Waits (a minute at most) until the page's path is what `ok` wants.
async fn wait_path(c: &Client, ok: impl Fn(&str) -> bool) -> Result<(), String> {
    let mut last = String::new();
    for _ in 0..600 {
        if let Ok(u) = c.current_url().await {
            last = u.path().to_string();
            if ok(&last) {
                return Ok(());
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Err(format!("still at {last}"))
}

async fn scenario(c: &Client, base: &str) -> Result<(), String> {
    screens::viewport(c, screens::DESKTOP).await;
    screens::sign_in(c, base, "specialist").await;
    screens::open(c, &format!("{base}/correspondence/incoming/new")).await;
    c.find(Locator::Css("select[name='sender_kind']"))
        .await
        .map_err(|e| e.to_string())?
        .select_by_value("person")
        .await
        .map_err(|e| e.to_string())?;
    type_into(c, "[name='sender_name']", "Кузнецова Анна Петровна").await?;
    type_into(c, "[name='subject']", "Перерасчёт за отопление").await?;

    // The account by the address as people write it.
    type_into(c, "#f-account_id", "Амундсена 9-12").await?;
    options_with(c, "#pl-account_id", "ЛС 100234").await?;
    let mut problems = Vec::new();
    for v in screens::serious_violations(c).await {
        problems.push(format!("picker open: {v}"));
    }
    pick_first(c, "#f-account_id").await?;
    let shown = value(c, "#f-account_id").await;
    if !shown.starts_with("ЛС 100234 — ") || !shown.contains("Амундсена") {
        problems.push(format!("the account box shows «{shown}»"));
    }
    if value(c, "input[name='account_id']").await.is_empty() {
        problems.push("no account id after picking".into());
    }

    // The person by the last digits of her phone.
    type_into(c, "#f-person_id", "00-07").await?;
    options_with(c, "#pl-person_id", "Кузнецова").await?;
    pick_first(c, "#f-person_id").await?;
    let shown = value(c, "#f-person_id").await;
    if !shown.starts_with("Кузнецова Анна Петровна — ") {
        problems.push(format!("the person box shows «{shown}»"));
    }

    c.find(Locator::Css("main form.form button[type='submit']"))
        .await
        .map_err(|e| e.to_string())?
        .click()
        .await
        .map_err(|e| e.to_string())?;
    wait_path(c, |p| {
        p.starts_with("/correspondence/incoming/") && !p.ends_with("/new")
    })
    .await
    .map_err(|e| format!("not saved: {e}"))?;
    screens::open_idle(c).await;
    let card = c
        .find(Locator::Css("main"))
        .await
        .map_err(|e| e.to_string())?
        .text()
        .await
        .map_err(|e| e.to_string())?;
    if !card.contains("Лицевой счёт") || !card.contains("Человек") {
        problems.push(format!("the saved card shows no account or person: {card}"));
    }

    // The header search suggests as you type; choosing opens the record.
    type_into(c, "#topbar-q", "Кузнецова").await?;
    options_with(c, "#topbar-q-list", "Кузнецова Анна Петровна").await?;
    pick_first(c, "#topbar-q").await?;
    wait_path(c, |p| p.starts_with("/persons/"))
        .await
        .map_err(|e| format!("the header search opened nothing: {e}"))?;

    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}
