//! In real headless Chromium against a real server: a specialist's first day (log in, create a
//! building, premises, an account and a person, find the person by phone through the search
//! box, open the card and see the history entry), and an emergency by phone from
//! registration through the alert and its acknowledgement to closure with the applicant's
//! rating.

#[path = "browser/harness.rs"]
mod harness;

use std::time::Duration;

use abonent_domain::Role;
use abonent_storage::testing::TestDb;
use abonent_storage::{users, Backend};
use fantoccini::{Client, Locator};
use sqlx::Row;

async fn fill(c: &Client, name: &str, value: &str) {
    let el = c
        .find(Locator::Css(&format!("[name='{name}']")))
        .await
        .unwrap_or_else(|_| panic!("no field {name}"));
    el.clear().await.unwrap();
    el.send_keys(value).await.unwrap();
}

async fn submit(c: &Client) {
    htmx_idle(c).await.unwrap();
    c.find(Locator::Css("main form.form button[type='submit']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

/// Pages load after a click: wait for what the next step needs instead of racing it.
async fn click_link(c: &Client, text: &str) {
    htmx_idle(c).await.unwrap();
    c.wait()
        .at_most(Duration::from_secs(60))
        .for_element(Locator::LinkText(text))
        .await
        .unwrap_or_else(|_| panic!("no link «{text}»"))
        .click()
        .await
        .unwrap();
}

/// The page text once it contains `expect` (or whatever is there after a minute).
async fn page_with(c: &Client, expect: &str) -> String {
    text_with(c, "body", expect).await
}

/// The text of the element `css` once it contains `expect` (or whatever is there after a
/// minute): pages and htmx answers arrive when they arrive.
async fn text_with(c: &Client, css: &str, expect: &str) -> String {
    let mut text = String::new();
    for _ in 0..600 {
        if let Ok(el) = c.find(Locator::Css(css)).await {
            text = el.text().await.unwrap_or_default();
            if text.contains(expect) {
                break;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    text
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn specialist_registers_a_household_and_finds_it_by_phone() {
    let t = TestDb::new(Backend::Sqlite).await;
    users::create_user(
        &t.db,
        "ivanova",
        "Иванова Мария",
        Role::Specialist,
        "correct horse 1",
    )
    .await
    .unwrap();
    in_browser(t.db.clone(), "household", |c, base| async move {
        let r = scenario(&c, &base).await;
        (c, r)
    })
    .await;
}

async fn scenario(c: &Client, base: &str) -> Result<(), String> {
    c.goto(&format!("{base}/"))
        .await
        .map_err(|e| e.to_string())?;
    // Not signed in: the login page.
    fill(c, "login", "ivanova").await;
    fill(c, "password", "correct horse 1").await;
    c.find(Locator::Css("form button[type='submit']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let home = page_with(c, "Иванова Мария").await;
    if !home.contains("Иванова Мария") {
        return Err(format!("not signed in: {home}"));
    }

    click_link(c, "Дома").await;
    click_link(c, "Добавить дом").await;
    fill(c, "street", "ул. Малышева").await;
    fill(c, "house", "36").await;
    fill(c, "floors", "9").await;
    submit(c).await;
    let card = page_with(c, "Сохранено.").await;
    if !card.contains("ул. Малышева, д. 36") || !card.contains("Сохранено.") {
        return Err(format!("building card: {card}"));
    }

    click_link(c, "Добавить помещение").await;
    fill(c, "number", "12").await;
    fill(c, "area", "54,3").await;
    fill(c, "rooms", "2").await;
    submit(c).await;
    click_link(c, "Открыть лицевой счёт").await;
    fill(c, "number", "700012").await;
    submit(c).await;
    let account = page_with(c, "Лицевой счёт № 700012").await;
    if !account.contains("Лицевой счёт № 700012") {
        return Err(format!("account card: {account}"));
    }

    click_link(c, "Добавить человека").await;
    fill(c, "last_name", "Кузнецова").await;
    fill(c, "first_name", "Анна").await;
    fill(c, "middle_name", "Петровна").await;
    fill(c, "phones", "8 (912) 345-67-89").await;
    submit(c).await;
    let account = page_with(c, "Кузнецова Анна Петровна").await;
    if !account.contains("Кузнецова Анна Петровна") || !account.contains("Собственник")
    {
        return Err(format!("person not on the account: {account}"));
    }

    // The search box in the top bar, with the phone typed another way.
    let q = c
        .find(Locator::Css(".topbar-search input[name='q']"))
        .await
        .unwrap();
    q.send_keys("+7 912 345 67 89\u{E007}").await.unwrap();
    let results = page_with(c, "Поиск: «").await;
    if !results.contains("Кузнецова Анна Петровна") {
        return Err(format!("search by phone: {results}"));
    }
    c.find(Locator::Css(".search-hit"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let person = page_with(c, "Персональные данные (152-ФЗ)").await;
    for expect in [
        "+7 (912) 345-67-89",
        "История изменений",
        "Создание: человек",
        "Иванова Мария (ivanova)",
        "700012",
    ] {
        if !person.contains(expect) {
            return Err(format!("person card lacks «{expect}»: {person}"));
        }
    }
    let png = c.screenshot().await.map_err(|e| e.to_string())?;
    std::fs::write(std::env::temp_dir().join("abonent-person-card.png"), png)
        .map_err(|e| e.to_string())?;
    Ok(())
}

/// Waits until the element `css` shows `expect` (an htmx answer has arrived).
async fn shows(c: &Client, css: &str, expect: &str) -> Result<(), String> {
    let text = text_with(c, css, expect).await;
    if text.contains(expect) {
        Ok(())
    } else {
        Err(format!("{css} never showed «{expect}»: «{text}»"))
    }
}

/// Waits until htmx has no request in flight, seen twice in a row: a late answer that is
/// swapped into the page (a card's parts load after the page) moves the button under a
/// click, which then lands elsewhere. Every click below waits for it first.
async fn htmx_idle(c: &Client) -> Result<(), String> {
    let mut quiet = 0;
    for _ in 0..600 {
        let busy = c
            .execute(
                "return document.querySelectorAll('.htmx-request').length",
                vec![],
            )
            .await
            .map_err(|e| e.to_string())?;
        quiet = if busy == 0 { quiet + 1 } else { 0 };
        if quiet == 2 {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
    Err("htmx never became idle".into())
}

/// Runs a scenario in a fresh browser against a server on `db`; a screenshot on failure.
async fn in_browser<F, Fut>(db: abonent_storage::Db, name: &str, scenario: F)
where
    F: FnOnce(Client, String) -> Fut,
    Fut: std::future::Future<Output = (Client, Result<(), String>)>,
{
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let app = abonent_web::app(db);
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let driver = harness::Driver::start().await;
    let (c, mut result) = scenario(driver.session().await, base).await;
    // Every page the scenario went through kept to the content security policy.
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
                std::env::temp_dir().join(format!("abonent-{name}-failure.png")),
                png,
            );
        }
    }
    c.close().await.unwrap();
    result.unwrap();
}

async fn click(c: &Client, css: &str) -> Result<(), String> {
    htmx_idle(c).await?;
    c.wait()
        .at_most(Duration::from_secs(60))
        .for_element(Locator::Css(css))
        .await
        .map_err(|_| format!("no element {css}"))?
        .click()
        .await
        .map_err(|e| e.to_string())
}

async fn select(c: &Client, name: &str, value: &str) -> Result<(), String> {
    c.wait()
        .at_most(Duration::from_secs(60))
        .for_element(Locator::Css(&format!("select[name='{name}']")))
        .await
        .map_err(|_| format!("no select {name}"))?
        .select_by_value(value)
        .await
        .map_err(|e| format!("select {name}={value}: {e}"))
}

/// A status change on the card, waiting for the confirmation.
async fn change_status(c: &Client, to: &str, fields: &[(&str, &str)]) -> Result<(), String> {
    select(c, "to", to).await?;
    for (name, value) in fields {
        if *name == "quality_ok" {
            click(c, "input[name='quality_ok']").await?;
        } else {
            fill(c, name, value).await;
        }
    }
    click(c, "form[action$='/status'] button[type='submit']").await?;
    let card = page_with(c, "Статус изменён.").await;
    if card.contains("Статус изменён.") {
        Ok(())
    } else {
        Err(format!("status {to} not saved: {card}"))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn emergency_by_phone_from_alert_to_rating() {
    let t = TestDb::new(Backend::Sqlite).await;
    users::create_user(
        &t.db,
        "disp",
        "Петрова Ольга",
        Role::Dispatcher,
        "correct horse 1",
    )
    .await
    .unwrap();
    let db = t.db.clone();
    in_browser(t.db.clone(), "emergency", |c, base| async move {
        let r = emergency(&c, &base, &db).await;
        (c, r)
    })
    .await;
}

async fn emergency(c: &Client, base: &str, db: &abonent_storage::Db) -> Result<(), String> {
    c.goto(&format!("{base}/appeals/new"))
        .await
        .map_err(|e| e.to_string())?;
    fill(c, "login", "disp").await;
    fill(c, "password", "correct horse 1").await;
    click(c, "form button[type='submit']").await?;
    page_with(c, "Новое обращение").await;

    // The call: an emergency at an address not in the registry, the caller agrees to messages.
    select(c, "priority", "emergency").await?;
    fill(c, "applicant_phone", "8 912 345-67-89").await;
    fill(c, "applicant_name", "Кузнецова Анна").await;
    fill(c, "applicant_email", "anna@example.ru").await;
    fill(c, "address_text", "ул. Малышева, д. 36, кв. 12").await;
    fill(c, "substance", "Затопило кухню, течёт с потолка").await;
    click(c, "input[name='applicant_consent']").await?;
    // The form asks the server as the dispatcher types: who is calling, what the text looks
    // like, whether the address is known. Those answers are part of the call; wait for them.
    shows(c, "#caller", "В реестре не найдено").await?;
    shows(c, "#suggestion", "Похоже на аварию").await?;
    shows(c, "#address-choices", "Такого дома в реестре нет").await?;
    click(c, "form[action='/appeals'] button[type='submit']").await?;
    let card = page_with(c, "Обращение зарегистрировано").await;
    if !card.contains("Обращение зарегистрировано") || !card.contains("Аварийная")
    {
        return Err(format!("not registered: {card}"));
    }
    let number = card
        .split("Заявка № ")
        .nth(1)
        .and_then(|s| s.split_whitespace().next())
        .ok_or_else(|| format!("no number on the card: {card}"))?
        .to_string();

    // The badge on the page; the alerts page; acknowledge.
    let page = page_with(c, "Авария: не подтверждено 1").await;
    if !page.contains("Авария: не подтверждено 1") {
        return Err(format!("no alert badge: {page}"));
    }
    click(c, "a.alert-badge").await?;
    let alerts = page_with(c, "Принять аварию").await;
    if !alerts.contains(&number) || !alerts.contains("Затопило кухню") {
        return Err(format!("alerts page: {alerts}"));
    }
    click(c, "form[action$='/acknowledge'] button").await?;
    let alerts = page_with(c, "Оповещение подтверждено").await;
    if !alerts.contains("Все аварии приняты в работу") || !alerts.contains("Петрова Ольга")
    {
        return Err(format!("not acknowledged: {alerts}"));
    }

    // To work and done, on the card.
    click_link(c, &format!("№ {number}")).await;
    let card = page_with(c, "принято — Петрова Ольга").await;
    if !card.contains("принято — Петрова Ольга") || !card.contains("Назначено исполнителю")
    {
        return Err(format!("card after acknowledgement: {card}"));
    }
    change_status(c, "in_progress", &[]).await?;
    change_status(
        c,
        "done",
        &[("result", "Перекрыли стояк, заменили участок трубы")],
    )
    .await?;

    // The applicant's rating through the link from the message.
    let body: String = sqlx::query("SELECT body FROM outbox WHERE body LIKE '%/rate/%'")
        .fetch_one(db.read())
        .await
        .map_err(|e| format!("no rating question: {e}"))?
        .get(0);
    let token = body.split("/rate/").nth(1).unwrap_or("").trim().to_string();
    let card_url = c.current_url().await.map_err(|e| e.to_string())?;
    c.goto(&format!("{base}/rate/{token}"))
        .await
        .map_err(|e| e.to_string())?;
    page_with(c, "Устранена ли неисправность").await;
    click(c, "input[name='rating'][value='5']").await?;
    click(c, "#rate-send").await?;
    page_with(c, "Отправить?").await;
    click(c, "#rate-confirm").await?;
    let thanks = page_with(c, "Спасибо за оценку!").await;
    if !thanks.contains("Спасибо за оценку!") {
        return Err(format!("rating not recorded: {thanks}"));
    }

    // Quality check and closure.
    c.goto(card_url.as_str()).await.map_err(|e| e.to_string())?;
    let card = page_with(c, "5 из 5").await;
    if !card.contains("5 из 5") || !card.contains("по ссылке") {
        return Err(format!("rating not on the card: {card}"));
    }
    change_status(c, "quality_checked", &[("quality_ok", "yes")]).await?;
    change_status(c, "closed", &[]).await?;
    let card = page_with(c, "Закрыто").await;
    for expect in [
        "Закрыто",
        "Оценка заявителя: 5 из 5",
        "Аварийное оповещение принято",
    ] {
        if !card.contains(expect) {
            return Err(format!("closed card lacks «{expect}»: {card}"));
        }
    }
    let png = c.screenshot().await.map_err(|e| e.to_string())?;
    std::fs::write(
        std::env::temp_dir().join("abonent-emergency-closed.png"),
        png,
    )
    .map_err(|e| e.to_string())?;
    Ok(())
}
