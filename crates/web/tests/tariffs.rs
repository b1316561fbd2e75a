//! Issue 20 §1–2 over HTTP on both backends: the register of tariffs and norms (a new tariff
//! ends the one in force, overlaps and bad values are refused at their field), a file of
//! tariffs loaded all or nothing after a preview, and «why this sum» for an account's month,
//! on the screen, in the API and as a letter registered in the outgoing register.

mod common;

use abonent_domain::ledger::EntryKind;
use abonent_domain::Role;
use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use common::ledger_files::{charge_line, load_charges};
use common::{download, field_message, pdf_text, set_org, Resp, TestApp};
use serde_json::{json, Value};

const RANK: &str = "Постановление РЭК Свердловской области от 20.11.2025 № 100-ПК";

async fn add(app: &TestApp, token: &str, path: &str, body: Value) -> Resp {
    app.api_with(token, Method::POST, path, Some(body)).await
}

async fn tariffs(app: &TestApp) -> Vec<Value> {
    let r = app.api(Method::GET, "/api/v1/tariffs", None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json().as_array().unwrap().clone()
}

async fn history_count(app: &TestApp, entity: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM history WHERE entity = $1")
        .bind(entity)
        .fetch_one(app.t.db.read())
        .await
        .unwrap()
}

both!(
    a_new_tariff_ends_the_one_in_force,
    |app: TestApp| async move {
        let admin = app.token_of(Role::Administrator).await;
        let t = |from: &str, price: &str| json!({"service": "Холодная вода", "from": from, "price": price, "unit": "м3", "basis": RANK});
        let r = add(&app, &admin, "/api/v1/tariffs", t("01.01.2026", "45,87")).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        assert_eq!(r.json()["service"], "cold_water");
        assert_eq!(r.json()["price_units"], 458_700);
        let r = add(&app, &admin, "/api/v1/tariffs", t("2026-07-01", "48")).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let all = tariffs(&app).await;
        assert_eq!(all.len(), 2);
        assert_eq!(all[0]["to"], "2026-06-30", "{all:?}");
        assert_eq!(all[1]["to"], Value::Null);
        assert_eq!(all[1]["price"], "48,00");
        // Created twice, and the first one ended: three entries of evidence.
        assert_eq!(history_count(&app, "tariff").await, 3);

        // A tariff that would rewrite one possibly in use, a negative one, one without a
        // basis: refused at their fields, nothing saved.
        for (body, field, word) in [
            (t("01.03.2026", "50"), "from", "01.07.2026"),
            (t("01.09.2026", "-1"), "price", "отрицательным"),
            (
                json!({"service": "Холодная вода", "from": "01.09.2026", "price": "50", "unit": "м3"}),
                "basis",
                "основание",
            ),
            (
                json!({"service": "Мойка окон", "from": "01.09.2026", "price": "50", "unit": "м3", "basis": RANK}),
                "service",
                "Мойка окон",
            ),
        ] {
            let r = add(&app, &admin, "/api/v1/tariffs", body).await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
            assert!(
                field_message(&r, field).contains(word),
                "{field}: {}",
                r.body
            );
        }
        assert_eq!(tariffs(&app).await.len(), 2);

        // A norm needs its unit; a specialist reads the register but does not change it.
        let r = add(
            &app,
            &admin,
            "/api/v1/norms",
            json!({"service": "heating", "from": "2026-01-01", "per": "per_square_meter", "value": "0,0216", "basis": "Постановление РЭК № 5-ПК"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(field_message(&r, "unit").contains("единицу"), "{}", r.body);
        let r = app
            .api(Method::POST, "/api/v1/tariffs", Some(t("2027-01-01", "50")))
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);

        // The page lists them with Russian dates and prices.
        let page = app.get(Role::Specialist, "/tariffs").await;
        assert_eq!(page.status, StatusCode::OK);
        for part in [
            "01.01.2026 — 30.06.2026",
            "45,87 ₽/м³",
            "с 01.07.2026",
            "48,00 ₽/м³",
        ] {
            assert!(page.body.contains(part), "{part}");
        }
    }
);

both!(
    a_tariffs_file_loads_all_or_nothing,
    |app: TestApp| async move {
        let bad = "Услуга;Группа домов;Действует с;Тариф, руб.;Ед. изм.;Основание\n\
                   Холодная вода;;01.01.2026;45,87;м3;РЭК № 100-ПК\n\
                   Отопление;ТСЖ Ленина;01.01.2026;2 950,10;Гкал;РЭК № 101-ПК\n\
                   Горячая вода;;01.01.2026;-3;м3;РЭК № 102-ПК\n";
        let r = app
            .upload_page(
                Role::Administrator,
                "/tariffs/import",
                "tariffs.csv",
                bad.as_bytes(),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(r.body.contains("Строка 4"), "{}", r.body);
        assert!(r.body.contains("Ничего не сохранено"), "{}", r.body);
        assert!(!r.body.contains("Загрузить тарифы</button>"));
        assert!(tariffs(&app).await.is_empty());

        let good = bad.replace(";-3;", ";210,5;");
        let r = app
            .upload_page(
                Role::Administrator,
                "/tariffs/import",
                "tariffs.csv",
                good.as_bytes(),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(r.body.contains("Ошибок нет"), "{}", r.body);
        assert!(tariffs(&app).await.is_empty(), "a preview saves nothing");
        let upload = r
            .body
            .split("/tariffs/import/")
            .nth(1)
            .and_then(|t| t.split('/').next())
            .unwrap()
            .to_string();
        let r = app
            .page(
                Role::Administrator,
                Method::POST,
                &format!("/tariffs/import/{upload}/commit"),
                &[],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert!(r.location().contains("n=3"), "{}", r.location());
        let all = tariffs(&app).await;
        assert_eq!(all.len(), 3);
        let heating = all.iter().find(|t| t["service"] == "heating").unwrap();
        assert_eq!(heating["group"], "ТСЖ Ленина");
        assert_eq!(heating["price_units"], 29_501_000);
        assert_eq!(heating["unit"], "gcal");

        // The same file again would rewrite tariffs that may be in use: refused whole.
        let r = app
            .upload_page(
                Role::Administrator,
                "/tariffs/import",
                "again.csv",
                good.as_bytes(),
            )
            .await;
        assert!(r.body.contains("Строка 2"), "{}", r.body);
        assert_eq!(tariffs(&app).await.len(), 3);

        // The API: a check answers the count and saves nothing; a file without prices is
        // refused naming the missing columns.
        let admin = app.token_of(Role::Administrator).await;
        let api_upload = |content: String, dry: bool| {
            let boundary = "----abonenttariffsapi";
            let mut body = format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"dry_run\"\r\n\r\n{dry}\r\n"
            )
            .into_bytes();
            body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"t.csv\"\r\n\r\n{content}\r\n--{boundary}--\r\n").as_bytes());
            Request::builder()
                .method(Method::POST)
                .uri("/api/v1/tariffs/import")
                .header(header::AUTHORIZATION, format!("Bearer {admin}"))
                .header(
                    header::CONTENT_TYPE,
                    format!("multipart/form-data; boundary={boundary}"),
                )
                .body(Body::from(body))
                .unwrap()
        };
        let later = "Услуга;Действует с;Тариф;Единица;Основание\nХолодная вода;01.07.2026;47,10;м3;РЭК № 200-ПК\n";
        let r = app.send(api_upload(later.into(), true)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["rows"], 1);
        assert_eq!(r.json()["added"], 0);
        assert_eq!(tariffs(&app).await.len(), 3);
        let r = app.send(api_upload(later.into(), false)).await;
        assert_eq!(r.json()["added"], 1, "{}", r.body);
        assert_eq!(tariffs(&app).await.len(), 4);
        let r = app
            .send(api_upload(
                "Услуга;С;Основание\nХВС;01.07.2026;РЭК\n".into(),
                false,
            ))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(field_message(&r, "file").contains("Тариф, ₽"), "{}", r.body);
    }
);

both!(
    why_this_sum_explains_every_line,
    |app: TestApp| async move {
        let admin = app.token_of(Role::Administrator).await;
        let (_, _, aid) = app.seed("ул. Ленина", "7", "3", "820001").await;
        let mut people = Vec::new();
        for (last, born) in [("Орлова", "1980-01-01"), ("Орлов", "2010-05-05")] {
            let p = app
                .api(
                    Method::POST,
                    "/api/v1/persons",
                    Some(json!({"last_name": last, "first_name": "Анна", "birth_date": born})),
                )
                .await
                .json()["id"]
                .as_i64()
                .unwrap();
            let r = app
                .api(Method::POST, "/api/v1/links", Some(json!({"account_id": aid, "person_id": p, "role": "registered", "from_date": "2020-01-01"})))
                .await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
            people.push(p);
        }
        for body in [
            json!({"service": "cold_water", "from": "2026-01-01", "price": "45,87", "unit": "cubic_meter", "basis": RANK}),
            json!({"service": "hot_water", "from": "2026-01-01", "price": "210,50", "unit": "cubic_meter", "basis": RANK}),
        ] {
            let r = add(&app, &admin, "/api/v1/tariffs", body).await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        }
        let r = add(
            &app,
            &admin,
            "/api/v1/norms",
            json!({"service": "hot_water", "from": "2026-01-01", "per": "per_person", "value": "3,1", "unit": "м3", "basis": "Постановление РЭК № 5-ПК"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);

        // Cold water by a meter (the file gives the volume and the tariff), hot water by the
        // norm (the file gives only the sum: 3,1 м³ × 2 persons × 210,50 = 1 305,10 ₽),
        // maintenance with no tariff at all, and a recalculation.
        let mut cold = charge_line("820001", "2026-10", "cold_water", 22_935);
        cold.volume = Some("5".into());
        cold.tariff = Some("45,87".into());
        cold.unit = Some("м3".into());
        let mut recalc = charge_line("820001", "2026-10", "hot_water", -10_000);
        recalc.kind = EntryKind::Recalculation;
        recalc.reason = Some("временное отсутствие".into());
        let lines = vec![
            cold,
            charge_line("820001", "2026-10", "hot_water", 130_510),
            charge_line("820001", "2026-10", "maintenance", 150_000),
            recalc,
        ];
        load_charges(&app, "oct.csv", &lines).await;

        let r = app
            .api(
                Method::GET,
                &format!("/api/v1/accounts/{aid}/explain"),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let x = r.json();
        assert_eq!(x["period"], "2026-10", "the last month with charges");
        assert_eq!(x["persons"], 2);
        let lines = x["lines"].as_array().unwrap();
        assert_eq!(lines.len(), 4);
        let total: i64 = lines
            .iter()
            .map(|l| l["charged_kopecks"].as_i64().unwrap())
            .sum();
        assert_eq!(x["total_kopecks"], total);
        assert_eq!(total, 22_935 + 130_510 + 150_000 - 10_000);
        let text = |i: usize| lines[i]["text"].as_str().unwrap().to_string();
        assert!(
            text(0).contains("5 м³ × 45,87 ₽/м³ = 229,35"),
            "{}",
            text(0)
        );
        assert_eq!(lines[0]["difference_kopecks"], Value::Null);
        assert!(
            text(1).contains("норматив 3,1 м³ на человека × 2 чел."),
            "{}",
            text(1)
        );
        assert_eq!(lines[1]["computed_kopecks"], 130_510);
        assert!(text(1).contains(RANK), "{}", text(1));
        assert!(text(2).contains("только сумма"), "{}", text(2));
        assert_eq!(lines[3]["kind"], "recalculation");
        assert!(
            text(3).starts_with("Перерасчёт (временное отсутствие)"),
            "{}",
            text(3)
        );

        // The page says the same; a month that cannot be read is refused at its field.
        let page = app
            .get(
                Role::Specialist,
                &format!("/accounts/{aid}/explain?period=2026-10"),
            )
            .await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("октябрь 2026"), "{}", page.body);
        assert!(page.body.contains("норматив 3,1 м³ на человека"));
        let bad = app
            .get(
                Role::Specialist,
                &format!("/accounts/{aid}/explain?period=13.2026"),
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains("13.2026"), "{}", bad.body);
        let r = app
            .api(
                Method::GET,
                &format!("/api/v1/accounts/{aid}/explain?period=май"),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(field_message(&r, "period").contains("май"), "{}", r.body);

        // The written answer: refused while the account has no owner or tenant to address…
        set_org(&app.t.db).await;
        let letter = format!("/api/v1/accounts/{aid}/explain/letter");
        let r = app
            .api(Method::POST, &letter, Some(json!({"period": "2026-10"})))
            .await;
        assert!(
            field_message(&r, "person_id").contains("нет собственника"),
            "{}",
            r.body
        );
        assert_eq!(count_outgoing(&app).await, 0);
        // …then a letter to the owner, registered in the outgoing register, every line in it.
        let r = app
            .api(Method::POST, "/api/v1/links", Some(json!({"account_id": aid, "person_id": people[0], "role": "owner", "share": "1", "from_date": "2020-01-01"})))
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let r = app
            .api(
                Method::POST,
                &letter,
                Some(json!({"period": "2026-10", "method": "hand"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let d = r.json();
        assert_eq!(d["kind"], "letter");
        assert_eq!(count_outgoing(&app).await, 1);
        let text = pdf_text(&download(&app, d["id"].as_i64().unwrap()).await);
        for part in [
            "О начислениях за октябрь 2026",
            "лицевому счёту № 820001",
            "5 м³ × 45,87 ₽/м³ = 229,35",
            "Перерасчёт (временное отсутствие)",
            "Итого начислено за октябрь 2026: 2 934,45 ₽.",
            "Орлова Анна",
        ] {
            assert!(text.contains(part), "no «{part}» in {text}");
        }
    }
);

async fn count_outgoing(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM outgoing_letters")
        .fetch_one(app.t.db.read())
        .await
        .unwrap()
}
