//! Issue 18 over HTTP, on SQLite and PostgreSQL: every figure of every report page links to
//! a journal that finds exactly that many records (or that sum); the payments report
//! reconciles to the turnover sheet to the kopeck; a month is counted in the organization's
//! time zone; bad periods and filters are named in Russian; the XLSX reads back.

mod common;

use std::io::Cursor;

use abonent_domain::money::{format_count, format_rub};
use abonent_domain::Role;
use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use calamine::{Data, Reader, Xlsx};
use serde_json::{json, Value};
use sqlx::Row;

const MONTH: &str = "2026-10";

/// A figure of a page: its link, the column of the turnover sheet for sums, its text.
struct Link {
    href: String,
    field: Option<String>,
    text: String,
}

fn figures(html: &str) -> Vec<Link> {
    html.split("<a class=\"figure\" href=\"")
        .skip(1)
        .map(|rest| {
            let (href, rest) = rest.split_once('"').unwrap();
            let field = rest
                .strip_prefix(" data-field=\"")
                .and_then(|r| r.split_once('"'))
                .map(|(f, _)| f.to_string());
            let text = rest
                .split_once('>')
                .unwrap()
                .1
                .split_once("</a>")
                .unwrap()
                .0;
            Link {
                href: href.replace("&#38;", "&").replace("&amp;", "&"),
                field,
                text: text.to_string(),
            }
        })
        .collect()
}

/// The count a journal page shows: «Всего: N», or none found.
fn journal_count(html: &str) -> i64 {
    match html.split_once("Всего: ") {
        Some((_, rest)) => rest
            .split('<')
            .next()
            .unwrap()
            .chars()
            .filter(char::is_ascii_digit)
            .collect::<String>()
            .parse()
            .unwrap(),
        None => {
            assert!(
                html.contains("Обращений не найдено") || html.contains("Писем не найдено"),
                "no count on the journal"
            );
            0
        }
    }
}

async fn load_demo(app: &common::TestApp) {
    let cfg = abonent_demo::DemoConfig {
        accounts: 24,
        seed: 2026,
    };
    abonent_demo::load(&app.t.db, &cfg, &|_, _| {})
        .await
        .unwrap();
    common::set_org(&app.t.db).await;
}

/// An appeal through the API, then its dates and state as a month of work left them.
struct Spec {
    building: Option<i64>,
    category: Option<i64>,
    kind: &'static str,
    channel: &'static str,
    registered: &'static str,
    status: &'static str,
    deadline: Option<&'static str>,
    done: Option<&'static str>,
    rating: Option<i64>,
    not_fixed: bool,
    reopened: i64,
}

const S: Spec = Spec {
    building: None,
    category: None,
    kind: "request",
    channel: "phone",
    registered: "2026-10-10T09:00:00.000000Z",
    status: "registered",
    deadline: None,
    done: None,
    rating: None,
    not_fixed: false,
    reopened: 0,
};

async fn appeal(app: &common::TestApp, s: Spec) -> i64 {
    let mut body = json!({"kind": s.kind, "channel": s.channel, "applicant_name": "Иванов И. И.",
        "applicant_phone": "+7 912 345-67-89", "substance": "Не закрывается дверь подъезда",
        "address_text": "ул. Ленина, д. 5"});
    if let Some(b) = s.building {
        body["building_id"] = json!(b);
    }
    if let Some(c) = s.category {
        body["category_id"] = json!(c);
    }
    let r = app.api(Method::POST, "/api/v1/appeals", Some(body)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.json()["id"].as_i64().unwrap();
    sqlx::query(
        "UPDATE appeals SET registered_at = $1, received_at = $1, status = $2, deadline_at = $3, \
         done_at = $4, rating = $5, not_fixed = $6, reopen_count = $7, category_id = $8, priority = 'normal', \
         localisation_at = NULL, localised_at = NULL WHERE id = $9",
    )
    .bind(s.registered)
    .bind(s.status)
    .bind(s.deadline)
    .bind(s.done)
    .bind(s.rating)
    .bind(i64::from(s.not_fixed))
    .bind(s.reopened)
    .bind(s.category)
    .bind(id)
    .execute(app.t.db.write())
    .await
    .unwrap();
    id
}

/// Two buildings of the demo; a top category with two subcategories and another top one.
async fn places(app: &common::TestApp) -> (i64, i64, i64, i64, i64) {
    let db = app.t.db.read();
    let b: Vec<i64> = sqlx::query("SELECT id FROM buildings ORDER BY id LIMIT 2")
        .fetch_all(db)
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    let rows = sqlx::query("SELECT id, parent_id FROM appeal_categories ORDER BY id")
        .fetch_all(db)
        .await
        .unwrap();
    let cats: Vec<(i64, Option<i64>)> = rows.iter().map(|r| (r.get(0), r.get(1))).collect();
    let parent = cats
        .iter()
        .find(|(id, p)| p.is_none() && cats.iter().filter(|(_, q)| *q == Some(*id)).count() >= 1)
        .unwrap()
        .0;
    let child = cats.iter().find(|(_, p)| *p == Some(parent)).unwrap().0;
    let other = cats
        .iter()
        .find(|(id, p)| p.is_none() && *id != parent)
        .unwrap()
        .0;
    (b[0], b[1], parent, child, other)
}

/// October 2026 with its month before and the October a year earlier.
async fn month_of_work(app: &common::TestApp) {
    let (b1, b2, parent, child, other) = places(app).await;
    let oct = |d: &'static str| d;
    for s in [
        // Done on time, rated 5.
        Spec {
            building: Some(b1),
            category: Some(child),
            status: "done",
            deadline: Some("2026-10-05T10:00:00.000000Z"),
            registered: oct("2026-10-01T08:00:00.000000Z"),
            done: Some("2026-10-04T10:00:00.000000Z"),
            rating: Some(5),
            ..S
        },
        // Done late, «not fixed».
        Spec {
            building: Some(b1),
            category: Some(child),
            channel: "portal",
            status: "done",
            deadline: Some("2026-10-06T10:00:00.000000Z"),
            registered: oct("2026-10-02T08:00:00.000000Z"),
            done: Some("2026-10-08T10:00:00.000000Z"),
            not_fixed: true,
            ..S
        },
        // Open past its deadline.
        Spec {
            building: Some(b1),
            category: Some(child),
            kind: "complaint",
            status: "in_progress",
            registered: oct("2026-10-03T08:00:00.000000Z"),
            deadline: Some("2026-10-20T10:00:00.000000Z"),
            ..S
        },
        // Open within its deadline.
        Spec {
            building: Some(b2),
            category: Some(other),
            channel: "email",
            status: "in_progress",
            registered: oct("2026-10-04T08:00:00.000000Z"),
            deadline: Some("2099-01-01T10:00:00.000000Z"),
            ..S
        },
        // Waiting for the applicant.
        Spec {
            building: Some(b2),
            kind: "consultation",
            channel: "visit",
            status: "waiting_for_applicant",
            registered: oct("2026-10-05T08:00:00.000000Z"),
            ..S
        },
        // Rejected after a reopening, on the top category itself, without a building.
        Spec {
            category: Some(parent),
            status: "rejected",
            reopened: 1,
            registered: oct("2026-10-06T08:00:00.000000Z"),
            deadline: Some("2026-10-09T10:00:00.000000Z"),
            ..S
        },
        // Closed on time after a reopening, rated 3.
        Spec {
            building: Some(b2),
            category: Some(other),
            status: "closed",
            reopened: 1,
            rating: Some(3),
            registered: oct("2026-10-07T08:00:00.000000Z"),
            deadline: Some("2026-10-12T10:00:00.000000Z"),
            done: Some("2026-10-10T10:00:00.000000Z"),
            ..S
        },
        // The month before and a year earlier.
        Spec {
            building: Some(b1),
            category: Some(child),
            registered: "2026-09-15T08:00:00.000000Z",
            deadline: Some("2026-09-20T10:00:00.000000Z"),
            ..S
        },
        Spec {
            building: Some(b2),
            category: Some(other),
            registered: "2026-09-16T08:00:00.000000Z",
            ..S
        },
        Spec {
            building: Some(b1),
            category: Some(child),
            registered: "2025-10-15T08:00:00.000000Z",
            status: "closed",
            deadline: Some("2025-10-20T10:00:00.000000Z"),
            done: Some("2025-10-21T10:00:00.000000Z"),
            ..S
        },
    ] {
        appeal(app, s).await;
    }
    // Letters: one answered on time, one late, one still awaiting past its deadline, one
    // the month before.
    let mut ids = Vec::new();
    for (day, kind) in [
        ("2026-10-01", "prosecutor"),
        ("2026-10-02", "person"),
        ("2026-10-03", "person"),
        ("2026-09-10", "organization"),
    ] {
        let r = app
            .api(Method::POST, "/api/v1/correspondence/incoming", Some(json!({"received_on": day, "sender_kind": kind,
                "sender_name": "Прокуратура района", "subject": "Требование о предоставлении сведений"})))
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        ids.push(r.json()["id"].as_i64().unwrap());
    }
    for (sent, id) in [("2026-10-03", ids[0]), ("2026-11-30", ids[1])] {
        let r = app
            .api(
                Method::POST,
                "/api/v1/correspondence/outgoing",
                Some(json!({"sent_on": sent, "addressee": "Заявитель",
                "subject": "Ответ", "method": "post", "answers_incoming_id": id})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    }
}

/// The value of the first row titled `title` of table `t` of a report, column `col`.
fn cell(report: &Value, table: &str, title: &str, col: usize) -> i64 {
    let t = report["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["title"] == table)
        .unwrap();
    let row = t["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["title"] == title)
        .unwrap_or_else(|| panic!("no {title} in {t}"));
    row["cells"][col]["value"].as_i64().unwrap()
}

both!(
    every_figure_of_every_report_opens_a_journal_with_as_many_records,
    |app: common::TestApp| async move {
        load_demo(&app).await;
        month_of_work(&app).await;
        let mut walked = 0;
        let mut nonzero = 0;
        let (b1, _, parent, _, _) = places(&app).await;
        let narrowed = format!("building_id={b1}&category_id={parent}");
        for (kind, query) in [
            ("appeals", format!("period={MONTH}")),
            ("recurring", format!("period={MONTH}")),
            ("letters", format!("period={MONTH}")),
            ("payments", format!("period={MONTH}")),
            // The filters narrow the journals behind the figures alike; a quarter too.
            ("appeals", format!("period=2026-Q4&{narrowed}")),
            (
                "appeals",
                format!("from=2026-10-02&to=2026-10-06&category_id={parent}"),
            ),
            ("recurring", format!("period=2026&{narrowed}")),
            ("payments", format!("period=2026-Q3&building_id={b1}")),
        ] {
            let page = app
                .get(Role::Administrator, &format!("/reports/{kind}?{query}"))
                .await;
            assert_eq!(page.status, StatusCode::OK, "{kind}: {}", page.body);
            let links = figures(&page.body);
            assert!(!links.is_empty(), "{kind}: no figures");
            for l in links {
                walked += 1;
                if l.href.starts_with("/appeals?") || l.href.starts_with("/correspondence/") {
                    let journal = app.get(Role::Administrator, &l.href).await;
                    assert_eq!(journal.status, StatusCode::OK, "{}", l.href);
                    let n = journal_count(&journal.body);
                    assert_eq!(format_count(n), l.text, "{kind}: {} finds {n}", l.href);
                    nonzero += i64::from(n > 0);
                } else {
                    assert!(l.href.starts_with("/turnover?"), "{}", l.href);
                    let sheet = app.get(Role::Administrator, &l.href).await;
                    assert_eq!(sheet.status, StatusCode::OK, "{}", l.href);
                    let api = app
                        .api(
                            Method::GET,
                            &l.href.replacen("/turnover", "/api/v1/turnover", 1),
                            None,
                        )
                        .await;
                    assert_eq!(api.status, StatusCode::OK, "{}", api.body);
                    let v = api.json()["total"][l.field.as_deref().unwrap()]
                        .as_i64()
                        .unwrap();
                    assert_eq!(format_rub(v), l.text, "{kind}: {}", l.href);
                    nonzero += i64::from(v != 0);
                }
            }
        }
        assert!(walked > 100, "only {walked} figures");
        assert!(nonzero > 20, "only {nonzero} figures are not zero");

        // The figures themselves: the month, the month before, a year earlier.
        let r = app
            .api(
                Method::GET,
                &format!("/api/v1/reports/appeals?period={MONTH}"),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let r = r.json();
        let t = "Поступило по видам";
        assert_eq!(
            [
                cell(&r, t, "Итого", 0),
                cell(&r, t, "Итого", 1),
                cell(&r, t, "Итого", 2)
            ],
            [7, 2, 1]
        );
        let s = "Исполнение сроков";
        assert_eq!(cell(&r, s, "Выполнены в срок", 0), 2);
        assert_eq!(cell(&r, s, "Выполнены с опозданием", 0), 1);
        assert_eq!(cell(&r, s, "Открыты, срок прошёл", 0), 1);
        assert_eq!(cell(&r, s, "Открыты, срок не прошёл", 0), 1);
        assert_eq!(cell(&r, s, "Приостановлены: ждут заявителя", 0), 1);
        assert_eq!(
            cell(&r, s, "Выполнены с опозданием", 2),
            1,
            "a year earlier"
        );
        assert_eq!(cell(&r, "Оценки жителей", "Оценка 5", 0), 1);
        assert_eq!(cell(&r, "Оценки жителей", "Ответили «не устранено»", 0), 1);
        assert_eq!(cell(&r, "Оценки жителей", "Средняя оценка", 0), 400);
        assert_eq!(cell(&r, "Повторные открытия", "Открывались повторно", 0), 2);
        // Every split adds up to the total: top categories (subtotals), states, kinds,
        // channels, buildings.
        for (table, top_only) in [
            ("По категориям", true),
            ("Исполнение сроков", false),
            ("По каналам поступления", false),
            ("По домам", false),
        ] {
            let t = r["tables"]
                .as_array()
                .unwrap()
                .iter()
                .find(|t| t["title"] == table)
                .unwrap();
            for col in 0..3 {
                let rows = t["rows"].as_array().unwrap();
                let sum: i64 = rows
                    .iter()
                    .filter(|r| r["total"] == false && r["cells"][col]["unit"] == "count")
                    .filter(|r| !top_only || r["level"] == 0)
                    .map(|r| r["cells"][col]["value"].as_i64().unwrap())
                    .sum();
                assert_eq!(sum, cell(&r, table, "Итого", col), "{table}, column {col}");
            }
        }
        let kinds: i64 = r["tables"][0]["rows"].as_array().unwrap()[1..]
            .iter()
            .map(|r| r["cells"][0]["value"].as_i64().unwrap())
            .sum();
        assert_eq!(kinds, 7);

        let letters = app
            .api(
                Method::GET,
                &format!("/api/v1/reports/letters?period={MONTH}"),
                None,
            )
            .await
            .json();
        let a = "Ответы на входящие";
        assert_eq!(
            cell(
                &letters,
                "Входящие по видам отправителей",
                "Получено входящих",
                0
            ),
            3
        );
        assert_eq!(
            cell(
                &letters,
                "Входящие по видам отправителей",
                "Получено входящих",
                1
            ),
            1
        );
        assert_eq!(cell(&letters, a, "Отвечены в срок", 0), 1);
        assert_eq!(cell(&letters, a, "Отвечены с опозданием", 0), 1);
        assert_eq!(cell(&letters, a, "Ждут ответа, срок прошёл", 0), 1);
        assert_eq!(cell(&letters, "Исходящие", "Отправлено исходящих", 0), 1);

        // Recurring: the first building × the subcategory three times, the second × the
        // other category twice.
        let rec = app
            .api(
                Method::GET,
                &format!("/api/v1/reports/recurring?period={MONTH}"),
                None,
            )
            .await
            .json();
        let counts: Vec<i64> = rec["tables"][0]["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["cells"][0]["value"].as_i64().unwrap())
            .collect();
        assert_eq!(counts, [3, 2]);

        // Payments reconcile to the turnover sheet of the same months, to the kopeck.
        let pay = app
            .api(
                Method::GET,
                &format!("/api/v1/reports/payments?period={MONTH}"),
                None,
            )
            .await;
        assert_eq!(pay.status, StatusCode::OK, "{}", pay.body);
        let pay = pay.json();
        let sheet = app
            .api(
                Method::GET,
                &format!("/api/v1/turnover?from={MONTH}&to={MONTH}"),
                None,
            )
            .await
            .json();
        for (i, field) in [
            "opening",
            "charged",
            "recalculated",
            "penalties",
            "paid",
            "closing",
        ]
        .iter()
        .enumerate()
        {
            let total = cell(&pay, "По домам", "Итого", i);
            assert_eq!(total, sheet["total"][field].as_i64().unwrap(), "{field}");
            let by_building: i64 = pay["tables"][0]["rows"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|r| r["total"] == false)
                .map(|r| r["cells"][i]["value"].as_i64().unwrap())
                .sum();
            assert_eq!(by_building, total, "{field}: buildings add up");
        }
        assert!(
            sheet["total"]["charged"].as_i64().unwrap() > 0,
            "the demo charges October"
        );
    }
);

both!(
    a_month_is_counted_in_the_organizations_time_zone,
    |mut app: common::TestApp| async move {
        abonent_storage::settings::set(&app.t.db, "org.time_zone", "America/New_York", "тест")
            .await
            .unwrap();
        app.router = abonent_web::app(app.t.db.clone());
        // 23:30 on 31 October in New York is 03:30 on 1 November in UTC: October's.
        appeal(
            &app,
            Spec {
                registered: "2026-11-01T03:30:00.000000Z",
                ..S
            },
        )
        .await;
        // 23:59 on 30 September in New York is already 1 October in UTC: September's.
        appeal(
            &app,
            Spec {
                registered: "2026-10-01T03:59:00.000000Z",
                ..S
            },
        )
        .await;
        let total = |p: &'static str| {
            let app = &app;
            async move {
                let r = app
                    .api(
                        Method::GET,
                        &format!("/api/v1/reports/appeals?period={p}"),
                        None,
                    )
                    .await;
                assert_eq!(r.status, StatusCode::OK, "{}", r.body);
                cell(&r.json(), "Поступило по видам", "Итого", 0)
            }
        };
        assert_eq!(total("2026-10").await, 1);
        assert_eq!(total("2026-09").await, 1);
        assert_eq!(total("2026-11").await, 0);
        // The journal behind October's figure finds that one appeal.
        let journal = app
            .get(
                Role::Administrator,
                "/appeals?view=all&registered_from=2026-10-01&registered_to=2026-10-31",
            )
            .await;
        assert_eq!(journal_count(&journal.body), 1);
        assert!(
            journal
                .body
                .contains("зарегистрированы 01.10.2026 — 31.10.2026"),
            "{}",
            journal.body
        );
    }
);

both!(
    bad_periods_and_filters_are_named_in_russian,
    |app: common::TestApp| async move {
        for (query, field, words) in [
            ("from=2026-10-10&to=2026-10-01", "to", "раньше его начала"),
            ("period=2099-01", "period", "ещё не наступило"),
            ("from=2000-01-01&to=2015-01-01", "to", "длиннее 10 лет"),
            ("period=осень", "period", "не распознан"),
            ("from=32.13.2026&to=2026-10-01", "from", "не распознана"),
            (
                "from=-262143-01-01&to=262142-12-31",
                "from",
                "не распознана",
            ),
            ("from=2026-10-01", "to", "конец периода"),
            (
                "building_id=999999",
                "building_id",
                "Дома с кодом 999999 нет",
            ),
            (
                "category_id=999999",
                "category_id",
                "Категории с кодом 999999 нет",
            ),
            ("department_id=abc", "department_id", "не число"),
        ] {
            let r = app
                .api(
                    Method::GET,
                    &format!("/api/v1/reports/appeals?{query}"),
                    None,
                )
                .await;
            let m = common::field_message(&r, field);
            assert!(m.contains(words), "{query}: {m}");
            let page = app
                .get(Role::Administrator, &format!("/reports/appeals?{query}"))
                .await;
            assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
            assert!(page.body.contains(words), "{query}: the page says it too");
        }
        // The journal ignores a day beyond the calendar rather than failing.
        let journal = app
            .get(
                Role::Administrator,
                "/appeals?view=all&registered_to=262142-12-31",
            )
            .await;
        assert_eq!(journal.status, StatusCode::OK);
        // A filter the report does not take.
        let r = app
            .api(Method::GET, "/api/v1/reports/payments?category_id=1", None)
            .await;
        assert!(common::field_message(&r, "category_id").contains("не делится"));
        // A period without data: zeros, not an error.
        let r = app
            .api(Method::GET, "/api/v1/reports/appeals?period=2020-01", None)
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let r = r.json();
        assert_eq!(cell(&r, "Поступило по видам", "Итого", 0), 0);
        assert_eq!(cell(&r, "По категориям", "Итого", 0), 0);
        let page = app
            .get(
                Role::Administrator,
                "/reports/payments?from=2020-01-01&to=2020-03-31",
            )
            .await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("0,00 ₽"), "{}", page.body);
        // The catalogue and the menu.
        let home = app.get(Role::Specialist, "/reports").await;
        assert_eq!(home.status, StatusCode::OK);
        for kind in [
            "/reports/appeals",
            "/reports/recurring",
            "/reports/letters",
            "/reports/payments",
        ] {
            assert!(home.body.contains(kind), "{kind}");
        }
        assert!(home.body.contains("Каталог отчётов"));
    }
);

async fn xlsx(app: &common::TestApp, path: &str) -> Vec<Vec<Data>> {
    let req = Request::builder()
        .uri(path)
        .header(header::COOKIE, &app.sessions[&Role::Administrator].cookie)
        .body(Body::empty())
        .unwrap();
    let res = tower::ServiceExt::oneshot(app.router.clone(), req)
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK, "{path}");
    let bytes = axum::body::to_bytes(res.into_body(), usize::MAX)
        .await
        .unwrap();
    let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes.to_vec())).unwrap();
    let range = wb.worksheet_range("Отчёт").unwrap();
    range.rows().map(|r| r.to_vec()).collect()
}

both!(
    the_xlsx_of_a_report_reads_back_with_its_figures,
    |app: common::TestApp| async move {
        load_demo(&app).await;
        month_of_work(&app).await;
        let rows = xlsx(&app, &format!("/reports/appeals.xlsx?period={MONTH}")).await;
        assert_eq!(
            rows[0][0],
            Data::String("Обращения за период: октябрь 2026".into())
        );
        let total = rows
            .iter()
            .find(|r| r[0] == Data::String("Итого".into()))
            .unwrap();
        assert_eq!(
            &total[1..4],
            &[Data::Float(7.0), Data::Float(2.0), Data::Float(1.0)]
        );
        let rows = xlsx(&app, &format!("/reports/payments.xlsx?period={MONTH}")).await;
        let sheet = app
            .api(
                Method::GET,
                &format!("/api/v1/turnover?from={MONTH}&to={MONTH}"),
                None,
            )
            .await
            .json();
        let total = rows
            .iter()
            .find(|r| r[0] == Data::String("Итого".into()))
            .unwrap();
        let paid = sheet["total"]["paid"].as_i64().unwrap() as f64 / 100.0;
        assert_eq!(total[5], Data::Float(paid));
    }
);
