// Kopecks are written rubles_kopecks (1_000_00 is 1 000 ₽), not in groups of three.
#![allow(clippy::inconsistent_digit_grouping)]
//! Issue 19 §5–6 over HTTP on both backends: an outage registered (an end before its start
//! and an unconfirmed overlap refused at their fields, nothing saved), a contractor that
//! sees and changes only its own, and the quality recalculation — proposed per account from
//! the month's charges, posted once with a reference to the outage, reversed by opposite
//! entries; a closed account and a closed month refused.

mod common;

use abonent_domain::Role;
use abonent_storage::users;
use axum::http::{Method, StatusCode};
use common::ledger_files::{charge_line, load_charges};
use common::{field_message, Resp, TestApp};
use serde_json::{json, Value};

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(app.t.db.read())
        .await
        .unwrap()
}

/// A building with three accounts (the third closed) and their November cold water
/// charges: 1 000,00, 500,00 and 800,00 ₽. The building's id and the accounts' ids.
async fn setup(app: &TestApp) -> (i64, Vec<i64>) {
    let (bid, _, a1) = app.seed("ул. Луначарского", "40", "1", "910001").await;
    let mut ids = vec![a1];
    for (flat, number) in [("2", "910002"), ("3", "910003")] {
        let p = app
            .api(Method::POST, "/api/v1/premises", Some(json!({"building_id": bid, "number": flat, "residential": true, "area": "40,0", "rooms": 1})))
            .await;
        assert_eq!(p.status, StatusCode::CREATED, "{}", p.body);
        let a = app
            .api(Method::POST, "/api/v1/accounts", Some(json!({"number": number, "premises_id": p.json()["id"], "opened_on": "2024-01-01"})))
            .await;
        assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
        ids.push(a.json()["id"].as_i64().unwrap());
    }
    load_charges(
        app,
        "nov.csv",
        &[
            charge_line("910001", "2026-11", "cold_water", 1_000_00),
            charge_line("910002", "2026-11", "cold_water", 500_00),
            charge_line("910003", "2026-11", "cold_water", 800_00),
            charge_line("910001", "2026-11", "heating", 3_000_00),
        ],
    )
    .await;
    sqlx::query("UPDATE accounts SET closed_on = '2026-11-30' WHERE number = '910003'")
        .execute(app.t.db.write())
        .await
        .unwrap();
    (bid, ids)
}

/// An owner of account `aid` who agreed to SMS only.
async fn owner(app: &TestApp, aid: i64) {
    let r = app
        .api(
            Method::POST,
            "/api/v1/persons",
            Some(json!({"last_name": "Орлова", "first_name": "Вера", "birth_date": "1970-05-06", "phones": "8 (912) 000-11-22", "email": "vera@example.ru", "consent_sms": true})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let r = app
        .api(Method::POST, "/api/v1/links", Some(json!({"account_id": aid, "person_id": r.json()["id"], "role": "owner", "from_date": "2020-01-01", "share": "1"})))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
}

fn outage(bid: i64, from: &str, to: &str) -> Value {
    json!({
        "service": "cold_water", "kind": "emergency", "reason": "Порыв на вводе",
        "places": [{"building_id": bid}], "actual_from": from, "actual_to": to,
    })
}

async fn create(app: &TestApp, body: Value) -> Resp {
    app.api(Method::POST, "/api/v1/outages", Some(body)).await
}

both!(
    recalculated_posted_once_and_reversed_never_deleted,
    |app: TestApp| async move {
        let (bid, accounts) = setup(&app).await;
        owner(&app, accounts[0]).await;
        // 12 hours at once: 8 beyond the single 4 h allowance (4 beyond the monthly 8 h);
        // the larger binds: 8 × 0,15 % = 1,2 %.
        let r = create(&app, outage(bid, "2026-11-10T08:00", "2026-11-10T20:00")).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let id = r.json()["id"].as_i64().unwrap();
        assert_eq!(r.json()["active"], false);
        // The owner is told by SMS only (no consent to e-mail), once.
        let sms = "SELECT COUNT(*) FROM outbox WHERE dedup_key LIKE 'outage:%'";
        assert_eq!(count(&app, sms).await, 1);
        assert_eq!(
            count(&app, "SELECT COUNT(*) FROM outbox WHERE dedup_key LIKE 'outage:%' AND channel = 'sms' AND body LIKE '%Порыв на вводе%'").await,
            1
        );
        let r = app
            .api(
                Method::GET,
                &format!("/api/v1/outages/{id}/recalculation"),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let p = r.json();
        assert_eq!(p["period"], "2026-11");
        assert_eq!(p["figures"][0]["beyond_minutes"], 8 * 60);
        assert_eq!(p["figures"][0]["reduction_bp"], 120);
        let line = |n: &str| {
            p["lines"]
                .as_array()
                .unwrap()
                .iter()
                .find(|l| l["account_number"] == n)
                .unwrap()
                .clone()
        };
        assert_eq!(line("910001")["to_post_kopecks"], 12_00);
        assert_eq!(line("910002")["to_post_kopecks"], 6_00);
        assert_eq!(line("910003")["to_post_kopecks"], 0);
        assert!(line("910003")["refused"]
            .as_str()
            .unwrap()
            .contains("закрыт"));
        assert_eq!(p["to_post_kopecks"], 18_00);

        // A contractor may not post; the specialist posts: two entries; twice: none.
        let contractor = app.token_of(Role::Contractor).await;
        let path = format!("/api/v1/outages/{id}/recalculation/post");
        let r = app.api_with(&contractor, Method::POST, &path, None).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
        let r = app.api(Method::POST, &path, None).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["entries"], 2);
        assert_eq!(r.json()["proposal"]["posted_kopecks"], 18_00);
        assert_eq!(r.json()["proposal"]["to_post_kopecks"], 0);
        let r = app.api(Method::POST, &path, None).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["entries"], 0);
        let sum = format!(
            "SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM ledger_entries WHERE outage_id = {id}"
        );
        assert_eq!(count(&app, &sum).await, -18_00);

        // The account's ledger shows the reason with the outage's number.
        let page = app
            .get(
                Role::Accountant,
                &format!("/accounts/{}/ledger", accounts[0]),
            )
            .await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body.contains(&format!("отключение № {id}")),
            "{}",
            page.body
        );

        // Reversed by opposite entries: the sum is zero, nothing deleted.
        let rev = format!("/api/v1/outages/{id}/recalculation/reverse");
        let r = app
            .api(
                Method::POST,
                &rev,
                Some(json!({"period": "2026-11", "reason": ""})),
            )
            .await;
        assert!(field_message(&r, "reason").contains("причину"));
        let r = app
            .api(
                Method::POST,
                &rev,
                Some(json!({"period": "2026-11", "reason": "Неверное время окончания"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["entries"], 2);
        assert_eq!(count(&app, &sum).await, 0);
        assert_eq!(
            count(
                &app,
                &format!("SELECT COUNT(*) FROM ledger_entries WHERE outage_id = {id}")
            )
            .await,
            4
        );
        let r = app
            .api(
                Method::POST,
                &rev,
                Some(json!({"period": "2026-11", "reason": "ещё раз"})),
            )
            .await;
        assert!(field_message(&r, "period").contains("нет проведённого"));
        // A reversed month is not posted again.
        let r = app.api(Method::POST, &path, None).await;
        assert!(field_message(&r, "period").contains("сторнирован"));
        assert_eq!(
            count(
                &app,
                &format!(
                    "SELECT COUNT(*) FROM history WHERE entity = 'outage' AND entity_id = {id}"
                )
            )
            .await,
            3
        );

        // The pages: the list and the card with the proposal.
        let list = app.get(Role::Specialist, "/outages").await;
        assert_eq!(list.status, StatusCode::OK);
        assert!(list.body.contains("Порыв на вводе"));
        let card = app.get(Role::Specialist, &format!("/outages/{id}")).await;
        assert_eq!(card.status, StatusCode::OK, "{}", card.body);
        for part in ["910001", "1,20 %", "Сторнировать"] {
            assert!(card.body.contains(part), "{part}");
        }
    }
);

both!(
    a_second_outage_takes_off_only_what_the_first_did_not,
    |app: TestApp| async move {
        let (bid, _) = setup(&app).await;
        let a = create(&app, outage(bid, "2026-11-10T08:00", "2026-11-10T14:00")).await;
        let a = a.json()["id"].as_i64().unwrap();
        let r = app
            .api(
                Method::POST,
                &format!("/api/v1/outages/{a}/recalculation/post"),
                None,
            )
            .await;
        // 6 h at once: 2 beyond → 0,3 % of 1 000,00 = 3,00 and of 500,00 = 1,50.
        assert_eq!(r.json()["proposal"]["posted_kopecks"], 4_50, "{}", r.body);
        // A second stop of 6 h: the month now counts 12 h (4 beyond) and each stop 2 beyond
        // (4 in all): 0,6 %; the first outage's 0,3 % is taken off already.
        let b = create(&app, outage(bid, "2026-11-20T08:00", "2026-11-20T14:00")).await;
        let b = b.json()["id"].as_i64().unwrap();
        let r = app
            .api(
                Method::GET,
                &format!("/api/v1/outages/{b}/recalculation"),
                None,
            )
            .await;
        let p = r.json();
        assert_eq!(p["figures"][0]["reduction_bp"], 60, "{p}");
        assert_eq!(p["to_post_kopecks"], 4_50, "{p}");
    }
);

both!(
    bad_input_is_refused_at_its_field_and_nothing_is_saved,
    |app: TestApp| async move {
        let (bid, _) = setup(&app).await;
        let r = create(&app, outage(bid, "2026-11-10T08:00", "2026-11-10T07:00")).await;
        assert!(field_message(&r, "actual_to").contains("позже начала"));
        let mut planned = outage(bid, "", "");
        planned["kind"] = json!("planned");
        planned["planned_from"] = json!("2026-11-10T08:00");
        planned["planned_to"] = json!("2026-11-09T08:00");
        let r = create(&app, planned).await;
        assert!(field_message(&r, "planned_to").contains("позже начала"));
        let r = create(&app, json!({"service": "cold_water", "kind": "emergency", "reason": "x", "places": [{"building_id": 999_999}], "actual_from": "2026-11-10T08:00"})).await;
        assert!(field_message(&r, "places").contains("не найден"));
        assert_eq!(count(&app, "SELECT COUNT(*) FROM outages").await, 0);
        assert_eq!(
            count(&app, "SELECT COUNT(*) FROM history WHERE entity = 'outage'").await,
            0
        );

        // An overlap with another outage of the service at the building: asked to confirm.
        let r = create(&app, outage(bid, "2026-11-10T08:00", "2026-11-10T12:00")).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let first = r.json()["id"].as_i64().unwrap();
        let r = create(&app, outage(bid, "2026-11-10T11:00", "2026-11-10T15:00")).await;
        assert!(field_message(&r, "confirm_overlap").contains(&format!("№ {first}")));
        assert_eq!(count(&app, "SELECT COUNT(*) FROM outages").await, 1);
        let mut confirmed = outage(bid, "2026-11-10T11:00", "2026-11-10T15:00");
        confirmed["confirm_overlap"] = json!(true);
        let r = create(&app, confirmed).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        // Another service at the same time is no overlap.
        let mut heating = outage(bid, "2026-11-10T08:00", "2026-11-10T12:00");
        heating["service"] = json!("heating");
        assert_eq!(create(&app, heating).await.status, StatusCode::CREATED);

        // Overlapping stops count once: 08:00–15:00 is 7 h at once, 3 beyond: 0,45 %.
        let r = app
            .api(
                Method::GET,
                &format!("/api/v1/outages/{first}/recalculation"),
                None,
            )
            .await;
        assert_eq!(r.json()["figures"][0]["reduction_bp"], 45, "{}", r.body);

        // A closed month refuses the posting.
        sqlx::query("INSERT INTO settings (key, value, updated_at, updated_by) VALUES ('ledger.closed_through', '2026-11', '2026-12-01T00:00:00Z', 'тест')")
            .execute(app.t.db.write())
            .await
            .unwrap();
        let r = app
            .api(
                Method::POST,
                &format!("/api/v1/outages/{first}/recalculation/post"),
                Some(json!({"period": "2026-11"})),
            )
            .await;
        assert!(field_message(&r, "period").contains("закрыт"));
        assert_eq!(
            count(
                &app,
                "SELECT COUNT(*) FROM ledger_entries WHERE outage_id IS NOT NULL"
            )
            .await,
            0
        );
    }
);

both!(
    a_contractor_registers_and_changes_only_its_own,
    |app: TestApp| async move {
        let (bid, _) = setup(&app).await;
        let db = &app.t.db;
        let user = users::by_login(db, "contractor").await.unwrap().unwrap();
        sqlx::query("INSERT INTO contractors (name, user_id, created_at, updated_at) VALUES ('ООО «Водоканал-Сервис»', $1, $2, $2)")
            .bind(user.id)
            .bind(db.now_text())
            .execute(db.write())
            .await
            .unwrap();
        // Staff register one; the contractor registers its own through the page form.
        let staff = create(&app, outage(bid, "2026-11-01T08:00", "2026-11-01T09:00")).await;
        let staff = staff.json()["id"].as_i64().unwrap();
        let r = app
            .page(
                Role::Contractor,
                Method::POST,
                "/outages",
                &[
                    ("service", "hot_water"),
                    ("kind", "planned"),
                    ("effect", "interruption"),
                    ("reason", "Промывка сетей"),
                    ("building_id", &bid.to_string()),
                    ("entrances", "1, 2"),
                    ("planned_from", "2026-12-20T09:00"),
                    ("planned_to", "2026-12-20T18:00"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let own: i64 = r
            .location()
            .trim_start_matches("/outages/")
            .split('?')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let list = app.get(Role::Contractor, "/api/v1/outages").await;
        let ids: Vec<i64> = list
            .json()
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["id"].as_i64().unwrap())
            .collect();
        assert_eq!(ids, vec![own]);
        assert_eq!(list.json()[0]["places"][0]["entrances"], json!([1, 2]));
        assert_eq!(
            app.get(Role::Contractor, &format!("/api/v1/outages/{staff}"))
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        let r = app
            .page(
                Role::Contractor,
                Method::POST,
                &format!("/outages/{staff}/actual"),
                &[
                    ("actual_from", "2026-11-01T08:00"),
                    ("actual_to", "2026-11-01T10:00"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
        // Its own: the actual times recorded, with history.
        let r = app
            .page(
                Role::Contractor,
                Method::POST,
                &format!("/outages/{own}/actual"),
                &[
                    ("actual_from", "2026-12-20T09:30"),
                    ("actual_to", "2026-12-20T09:00"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("позже начала"));
        let r = app
            .page(
                Role::Contractor,
                Method::POST,
                &format!("/outages/{own}/actual"),
                &[
                    ("actual_from", "2026-12-20T09:30"),
                    ("actual_to", "2026-12-20T17:00"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let card = app.get(Role::Contractor, &format!("/outages/{own}")).await;
        assert_eq!(card.status, StatusCode::OK, "{}", card.body);
        assert!(card.body.contains("20.12.2026 09:30"), "{}", card.body);
        assert_eq!(
            count(
                &app,
                &format!(
                    "SELECT COUNT(*) FROM history WHERE entity = 'outage' AND entity_id = {own}"
                )
            )
            .await,
            2
        );
    }
);
