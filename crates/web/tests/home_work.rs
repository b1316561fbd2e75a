//! The home page shows today's work (issue 17 §4): emergencies waiting for acknowledgement,
//! appeals due today, overdue and at risk, letters awaiting an answer, payments from imports
//! waiting to be assigned, debtor actions due (notices whose 20 days ran out) — each figure a
//! link to the list behind it, whose total is that figure. A specialist sees their own work,
//! a manager the department's.

mod common;

use abonent_domain::Role;
use axum::http::{Method, StatusCode};
use serde_json::json;

/// The figures of the home page: (title, count, link).
fn work_items(body: &str) -> Vec<(String, i64, String)> {
    body.split("class=\"work-item")
        .skip(1)
        .map(|part| {
            let href = part
                .split("href=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap();
            let count = part
                .split("class=\"work-count\">")
                .nth(1)
                .unwrap()
                .split('<')
                .next()
                .unwrap();
            let title = part
                .split("class=\"work-title\">")
                .nth(1)
                .unwrap()
                .split('<')
                .next()
                .unwrap();
            (
                title.to_string(),
                digits(count),
                href.replace("&amp;", "&").replace("&#38;", "&"),
            )
        })
        .collect()
}

fn digits(s: &str) -> i64 {
    s.chars()
        .filter(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap_or_else(|_| panic!("not a count: {s}"))
}

/// The total a list page shows: its alerts, or «Всего: N» under the table.
fn list_total(body: &str) -> i64 {
    if body.contains("<h1 class=\"page-title\">Аварийные оповещения</h1>") {
        return body.matches("role=\"alert\" id=\"alert-").count() as i64;
    }
    match body.split("Всего: ").nth(1) {
        Some(after) => digits(after.split('<').next().unwrap()),
        None => {
            assert!(
                body.contains("class=\"empty\""),
                "no total on the list: {body}"
            );
            0
        }
    }
}

const IMPORTS_WAITING: &str = "Файлы начислений и оплат проверены, но не загружены";

fn figure(items: &[(String, i64, String)], title: &str) -> i64 {
    items
        .iter()
        .find(|i| i.0 == title)
        .unwrap_or_else(|| panic!("no «{title}» in {items:?}"))
        .1
}

const DEBTORS_DUE: &str = "Должники: истекли 20 дней после уведомления";

/// An account `number` owing for two past months, at «notice served» with its notice issued
/// 30 days before `today` and delivered `delivered_ago` days before it.
async fn noticed(
    app: &common::TestApp,
    number: &str,
    today: chrono::NaiveDate,
    delivered_ago: u64,
) {
    use abonent_domain::ledger::{EntryKind, Period};
    use abonent_storage::ledger::charges::{self, ChargeLine, FileMeta};
    use abonent_storage::ledger::debt_cases::{self as dc, DeliveryForm, DocToIssue, MoveRequest};
    let db = &app.t.db;
    let actor = abonent_storage::Actor::system("тест");
    let (_, _, id) = app.seed("ул. Мира", number, "1", number).await;
    let issued = today - chrono::Days::new(30);
    let lines: Vec<ChargeLine> = [-3, -2]
        .iter()
        .enumerate()
        .map(|(i, m)| ChargeLine {
            line: i + 2,
            account_number: number.into(),
            period: Period::of(issued).plus(*m),
            service: Some("electricity".into()),
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
        file_name: format!("{number}.csv"),
        sha256: charges::sha256_hex(number.as_bytes()),
        profile_id: None,
    };
    charges::import_charges(db, &meta, &lines, &actor, &|_| {})
        .await
        .unwrap();
    abonent_storage::ledger::debts::refresh(db, None, today)
        .await
        .unwrap();
    let facts = dc::debtor_facts(db, id, issued).await.unwrap();
    let doc = DocToIssue {
        data: json!({}),
        org: json!({}),
        template_version_id: None,
    };
    let n = dc::issue_notices(db, &[(facts, doc)], issued, &actor, |_, _| {
        Ok(b"%PDF-1.7 notice".to_vec())
    })
    .await
    .unwrap()
    .remove(0);
    let mv = MoveRequest {
        stage: "notice_served".into(),
        on: Some(issued.to_string()),
        ..Default::default()
    };
    dc::move_stage(db, id, &mv, issued, &actor).await.unwrap();
    let delivered = today - chrono::Days::new(delivered_ago);
    let f = DeliveryForm {
        method: "post".into(),
        delivered_on: delivered.to_string(),
        note: None,
    };
    dc::record_delivery(db, n.notice_id, &f, today, &actor)
        .await
        .unwrap();
}

both!(
    home_figures_equal_the_lists_behind_them,
    |app: common::TestApp| async move {
        // A fixed instant: «today» and «overdue» do not move while the test runs.
        let now = chrono::Utc::now();
        let mut app = app;
        app.router = abonent_web::app_with(abonent_app::App::new(
            app.t.db.clone(),
            abonent_app::Clock::Fixed(now),
        ));
        let (_, pid, _) = app.seed("ул. Ленина", "5", "12", "100234").await;
        let mut ids = Vec::new();
        for (priority, text) in [
            ("emergency", "Затопило кухню, течёт с потолка"),
            ("normal", "Не работает домофон"),
            ("normal", "Не убирают подъезд"),
            ("normal", "Перегорела лампа на площадке"),
        ] {
            let r = app
                .api(
                    Method::POST,
                    "/api/v1/appeals",
                    Some(
                        json!({"kind": "request", "channel": "phone", "priority": priority,
                                "premises_id": pid, "substance": text,
                                "applicant_phone": "+7 912 000-00-07"}),
                    ),
                )
                .await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
            ids.push(r.json()["id"].as_i64().unwrap());
        }
        // One overdue, one due at the end of today and given to the specialist.
        let tz: chrono_tz::Tz = "Asia/Yekaterinburg".parse().unwrap();
        let end_of_today = now
            .with_timezone(&tz)
            .date_naive()
            .and_hms_opt(23, 59, 59)
            .unwrap()
            .and_local_timezone(tz)
            .unwrap()
            .with_timezone(&chrono::Utc);
        let specialist: i64 = sqlx::query_scalar("SELECT id FROM users WHERE login = 'specialist'")
            .fetch_one(app.t.db.read())
            .await
            .unwrap();
        for (id, deadline, executor) in [
            (ids[0], now + chrono::TimeDelta::days(20), None),
            (ids[1], now - chrono::TimeDelta::days(2), None),
            (ids[2], end_of_today, Some(specialist)),
            (ids[3], now + chrono::TimeDelta::days(20), None),
        ] {
            sqlx::query("UPDATE appeals SET deadline_at = $1, executor_id = $2 WHERE id = $3")
                .bind(abonent_storage::time::fmt(deadline))
                .bind(executor)
                .bind(id)
                .execute(app.t.db.write())
                .await
                .unwrap();
        }
        let r = app
            .api(
                Method::POST,
                "/api/v1/correspondence/incoming",
                Some(json!({"received_on": abonent_storage::time::date_text(now.with_timezone(&tz).date_naive()),
                            "sender_kind": "prosecutor", "sender_name": "Прокуратура района",
                            "subject": "Требование", "pages": 1})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);

        // Debtor actions due: a notice delivered 25 days ago is due, one delivered 5 days
        // ago is not yet.
        let today = now.with_timezone(&tz).date_naive();
        for (number, delivered_ago) in [("100301", 25), ("100302", 5)] {
            noticed(&app, number, today, delivered_ago).await;
        }

        // Imports waiting: the accountant checked a charges file and did not load it.
        let r = app
            .upload_page(
                Role::Accountant,
                "/ledger/charges",
                "november.csv",
                "ЛС;Период;Услуга;Сумма\n100234;2026-11;Содержание;1500,00\n".as_bytes(),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);

        for role in [Role::Manager, Role::Specialist, Role::Accountant] {
            let home = app.get(role, "/").await;
            assert_eq!(home.status, StatusCode::OK, "{}", home.body);
            let items = work_items(&home.body);
            for (title, count, href) in &items {
                let list = app.get(role, href).await;
                assert_eq!(
                    list.status,
                    StatusCode::OK,
                    "{role:?} {href}: {}",
                    list.body
                );
                assert_eq!(
                    list_total(&list.body),
                    *count,
                    "{role:?}: «{title}» says {count}, its list {href} another"
                );
            }
            match role {
                Role::Manager => {
                    assert!(home.body.contains("Работа отдела на сегодня"));
                    assert_eq!(figure(&items, "Аварийные оповещения ждут подтверждения"), 1);
                    assert_eq!(figure(&items, "Просроченные обращения"), 1);
                    assert_eq!(figure(&items, "Обращения со сроком сегодня"), 1);
                    assert!(figure(&items, "Обращения под угрозой срока") >= 1);
                    assert_eq!(figure(&items, "Письма ждут ответа"), 1);
                    assert_eq!(figure(&items, DEBTORS_DUE), 1);
                }
                Role::Specialist => {
                    assert!(home.body.contains("Моя работа на сегодня"));
                    // Debtor work is not the specialist's.
                    assert!(!items.iter().any(|i| i.0 == DEBTORS_DUE));
                    assert_eq!(figure(&items, "Обращения со сроком сегодня"), 1);
                    assert_eq!(figure(&items, "Просроченные обращения"), 0);
                    assert_eq!(figure(&items, "Письма ждут ответа"), 0);
                }
                _ => {
                    // The accountant's own work: the payments to assign, no appeal of theirs.
                    assert_eq!(
                        figure(&items, "Неопознанные платежи из загрузок ждут разнесения"),
                        0
                    );
                    assert_eq!(figure(&items, "Просроченные обращения"), 0);
                    assert_eq!(figure(&items, DEBTORS_DUE), 1);
                    assert_eq!(figure(&items, IMPORTS_WAITING), 1);
                }
            }
        }
    }
);
