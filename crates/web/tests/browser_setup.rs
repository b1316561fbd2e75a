//! The first-run setup in real headless Chromium at phone width 390×844 (issue 17 §5, §7):
//! the administrator of a new installation lands on it after signing in; axe-core finds no
//! serious or critical violation on its steps, also with an error shown; nothing scrolls
//! sideways; a wrong ИНН is named at its field and the right one leads to the next step.

#[allow(dead_code)]
#[path = "browser/harness.rs"]
mod harness;
#[allow(dead_code)]
#[path = "browser/screens.rs"]
mod screens;

use abonent_domain::Role;
use abonent_storage::testing::TestDb;
use abonent_storage::{users, Backend};
use fantoccini::{Client, Locator};
use screens::PHONE;

async fn serve(db: abonent_storage::Db) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let app = abonent_web::app(db);
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    base
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_setup_wizard_on_a_phone() {
    let t = TestDb::new(Backend::Sqlite).await;
    users::create_user(
        &t.db,
        "admin",
        "Администратор",
        Role::Administrator,
        screens::PASSWORD,
    )
    .await
    .unwrap();
    let base = serve(t.db.clone()).await;
    let driver = harness::Driver::start().await;
    let c = driver.session().await;
    let result = wizard(&c, &base).await;
    if result.is_err() {
        if let Ok(png) = c.screenshot().await {
            let _ = std::fs::write(std::env::temp_dir().join("abonent-setup-failure.png"), png);
        }
    }
    c.close().await.unwrap();
    result.unwrap();
}

async fn fill(c: &Client, name: &str, value: &str) -> Result<(), String> {
    let el = c
        .find(Locator::Css(&format!("[name='{name}']")))
        .await
        .map_err(|e| format!("{name}: {e}"))?;
    el.clear().await.map_err(|e| e.to_string())?;
    el.send_keys(value).await.map_err(|e| e.to_string())
}

async fn problems_here(c: &Client, name: &str, problems: &mut Vec<String>) {
    for v in screens::serious_violations(c).await {
        problems.push(format!("{name}: {v}"));
    }
    let over = screens::overflow_x(c).await;
    if over > 0 {
        problems.push(format!("{name}: the page scrolls sideways by {over}px"));
    }
}

async fn submit(c: &Client) -> Result<(), String> {
    c.find(Locator::Css("form.card button[type='submit']"))
        .await
        .map_err(|e| e.to_string())?
        .click()
        .await
        .map_err(|e| e.to_string())?;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    screens::open_idle(c).await;
    Ok(())
}

async fn wizard(c: &Client, base: &str) -> Result<(), String> {
    screens::viewport(c, PHONE).await;
    screens::sign_in(c, base, "admin").await;
    let url = c.current_url().await.map_err(|e| e.to_string())?;
    if !url.path().ends_with("/admin/setup") {
        return Err(format!("signing in led to {url}, not to the setup"));
    }
    let mut problems = Vec::new();
    problems_here(c, "step 1", &mut problems).await;
    for (k, v) in [
        ("org.name", "ООО «УК „Берёзка“»"),
        ("org.inn", "7701234561"),
        ("org.kpp", "770101001"),
        ("org.ogrn", "1027700000012"),
        ("org.address", "620000, г. Екатеринбург, ул. Ленина, д. 1"),
    ] {
        fill(c, k, v).await?;
    }
    submit(c).await?;
    let error = c
        .find(Locator::Css(".has-error .field-error"))
        .await
        .map_err(|e| format!("no error shown: {e}"))?
        .text()
        .await
        .map_err(|e| e.to_string())?;
    if !error.contains("ИНН") {
        problems.push(format!("the error names no ИНН: {error}"));
    }
    problems_here(c, "step 1 with an error", &mut problems).await;
    fill(c, "org.inn", "7701234560").await?;
    submit(c).await?;
    let url = c.current_url().await.map_err(|e| e.to_string())?;
    if url.query() != Some("step=2") {
        problems.push(format!("after step 1: {url}"));
    }
    problems_here(c, "step 2", &mut problems).await;
    screens::open(c, &format!("{base}/admin/setup?step=4")).await;
    problems_here(c, "step 4", &mut problems).await;
    problems.extend(harness::csp_violations(c).await?);
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}
