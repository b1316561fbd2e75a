//! The ledger over HTTP on both backends: imports through the API with their jobs, faults as
//! problem+json, the unmatched queue, cash payments and reversals, the penalty run, the
//! «Расчёт пени» and turnover XLSX read back with calamine, pages per role.

mod common;

use std::io::Cursor;

use abonent_domain::Role;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use calamine::{Data, Reader, Xlsx};
use serde_json::{json, Value};

use common::ledger_files::{register, CHARGES};

struct Ledger<'a> {
    app: &'a common::TestApp,
    /// Accountant (EditLedger) and administrator (ManageLedgerSettings) tokens.
    accountant: String,
    admin: String,
}

impl<'a> Ledger<'a> {
    async fn new(app: &'a common::TestApp) -> Ledger<'a> {
        let (_, accountant) =
            abonent_storage::users::create_token(&app.t.db, "бухгалтерия", Role::Accountant, None)
                .await
                .unwrap();
        let (_, admin) =
            abonent_storage::users::create_token(&app.t.db, "админ", Role::Administrator, None)
                .await
                .unwrap();
        Ledger {
            app,
            accountant,
            admin,
        }
    }

    async fn call(
        &self,
        token: &str,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> common::Resp {
        let req = Request::builder()
            .method(method)
            .uri(path)
            .header("authorization", format!("Bearer {token}"))
            .header("content-type", "application/json")
            .body(body.map(|j| Body::from(j.to_string())).unwrap_or_default())
            .unwrap();
        self.app.send(req).await
    }

    async fn upload(
        &self,
        path: &str,
        name: &str,
        content: &[u8],
        fields: &[(&str, &str)],
    ) -> common::Resp {
        let boundary = "----abonentledger";
        let mut body = Vec::new();
        for (k, v) in fields {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
                )
                .as_bytes(),
            );
        }
        body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes());
        body.extend_from_slice(content);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let req = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header("authorization", format!("Bearer {}", self.accountant))
            .header(
                "content-type",
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(Body::from(body))
            .unwrap();
        self.app.send(req).await
    }

    /// Waits for a ledger job and returns it.
    async fn job(&self, id: i64) -> Value {
        for _ in 0..1200 {
            let j = self
                .call(
                    &self.accountant,
                    Method::GET,
                    &format!("/api/v1/ledger/jobs/{id}"),
                    None,
                )
                .await
                .json();
            if j["status"] != "running" {
                return j;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        panic!("job {id} did not finish");
    }

    async fn binary(&self, role: Role, path: &str) -> (StatusCode, Vec<u8>) {
        let s = &self.app.sessions[&role];
        let req = Request::builder()
            .uri(path)
            .header("cookie", &s.cookie)
            .body(Body::empty())
            .unwrap();
        let res = tower::ServiceExt::oneshot(self.app.router.clone(), req)
            .await
            .unwrap();
        let status = res.status();
        let bytes = axum::body::to_bytes(res.into_body(), usize::MAX)
            .await
            .unwrap();
        (status, bytes.to_vec())
    }
}

fn cells(bytes: &[u8]) -> Vec<Vec<String>> {
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes.to_vec())).unwrap();
    let sheet = wb.worksheet_range_at(0).unwrap().unwrap();
    sheet
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::Float(f) => format!("{f:.2}"),
                    Data::Empty => String::new(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

both!(ledger_end_to_end, |app: common::TestApp| async move {
    let (_, _, a1) = app.seed("ул. Ленина", "5", "12", "100001").await;
    let (bid, _, a2) = app.seed("ул. Мира", "7", "3", "100002").await;
    let l = Ledger::new(&app).await;

    // Charges: a dry run reports, the commit runs as a job.
    let r = l
        .upload(
            "/api/v1/ledger/charges",
            "jan.csv",
            CHARGES.as_bytes(),
            &[("dry_run", "true")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["preview"]["valid_rows"], 4);
    let r = l
        .upload("/api/v1/ledger/charges", "jan.csv", CHARGES.as_bytes(), &[])
        .await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
    let j = l.job(r.json()["job_id"].as_i64().unwrap()).await;
    assert_eq!(j["status"], "done", "{j}");
    // The same file again: problem+json naming the file.
    let r = l
        .upload(
            "/api/v1/ledger/charges",
            "jan-copy.csv",
            CHARGES.as_bytes(),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.headers["content-type"], "application/problem+json");
    assert!(r.json()["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("уже загружен"));
    // A malformed amount: the line and the value are named, nothing is saved.
    let bad = "ЛС;Период;Услуга;Сумма\n100001;2025-03;Отопление;1 234,5o\n";
    let r = l
        .upload("/api/v1/ledger/charges", "bad.csv", bad.as_bytes(), &[])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let e = &r.json()["errors"][0];
    assert_eq!(e["field"], "amount");
    assert!(
        e["message"].as_str().unwrap().contains("Строка 2")
            && e["message"].as_str().unwrap().contains("1 234,5o")
    );

    let led = l
        .call(
            &l.accountant,
            Method::GET,
            &format!("/api/v1/accounts/{a1}/ledger?on=2025-03-01"),
            None,
        )
        .await
        .json();
    assert_eq!(led["balance"], 264000);
    let water = led["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["service"] == "cold_water")
        .unwrap();
    assert_eq!(
        (
            water["volume"].as_str(),
            water["tariff"].as_str(),
            water["unit"].as_str()
        ),
        (Some("3.5"), Some("40.00"), Some("м3"))
    );

    // A register in windows-1251: one payment matched, one queued.
    let reg = register(&[
        ("05-02-2025", "501", "100002", "2 000,00"),
        ("06-02-2025", "502", "999", "100,00"),
    ]);
    let r = l
        .upload("/api/v1/ledger/payments", "sber.txt", &reg, &[])
        .await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
    assert_eq!(r.json()["preview"]["unmatched"], 1);
    let j = l.job(r.json()["job_id"].as_i64().unwrap()).await;
    assert_eq!(j["status"], "done", "{j}");
    assert!(j["message"].as_str().unwrap().contains("неопознанных 1"));
    let r = l
        .upload("/api/v1/ledger/payments", "sber2.txt", &reg, &[])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Totals that disagree: refused whole, the line named.
    let mut t = encoding_rs::WINDOWS_1251
        .decode(&register(&[("07-02-2025", "503", "100001", "10,00")]))
        .0
        .into_owned();
    t = t.replace("=1;10,00", "=1;11,00");
    let r = l
        .upload("/api/v1/ledger/payments", "t.txt", t.as_bytes(), &[])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.json()["detail"]
            .as_str()
            .unwrap()
            .contains("Строка 2: итоги не сходятся"),
        "{}",
        r.body
    );

    let q = l
        .call(&l.accountant, Method::GET, "/api/v1/ledger/unmatched", None)
        .await
        .json();
    assert_eq!(q["total"], 1);
    let uid = q["items"][0]["id"].as_i64().unwrap();
    let one = l
        .call(
            &l.accountant,
            Method::GET,
            &format!("/api/v1/ledger/unmatched/{uid}"),
            None,
        )
        .await
        .json();
    assert!(
        one["suggestions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["account_id"] == a1),
        "{one}"
    );
    let r = l
        .call(
            &l.accountant,
            Method::POST,
            &format!("/api/v1/ledger/unmatched/{uid}/resolve"),
            Some(json!({"account_id": a1})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);

    // Cash desk and reversal; the specialist may not.
    let cash =
        json!({"account_id": a1, "amount": 50000, "paid_on": "2025-02-20", "receipt_no": "ПКО-1"});
    let r = app
        .api(
            Method::POST,
            "/api/v1/ledger/payments/cash",
            Some(cash.clone()),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = l
        .call(
            &l.accountant,
            Method::POST,
            "/api/v1/ledger/payments/cash",
            Some(cash),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let pay = r.json()["id"].as_i64().unwrap();
    let r = l
        .call(
            &l.accountant,
            Method::POST,
            &format!("/api/v1/ledger/entries/{pay}/reverse"),
            Some(json!({"reason": ""})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["errors"][0]["field"], "reason");
    let r = l
        .call(
            &l.accountant,
            Method::POST,
            &format!("/api/v1/ledger/entries/{pay}/reverse"),
            Some(json!({"reason": "Ошибка кассира", "date": "2025-02-21"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);

    // Penalty run for April 2025: the first account owes since January.
    let r = l
        .call(
            &l.accountant,
            Method::POST,
            "/api/v1/ledger/penalty-runs",
            Some(json!({"period": "2025-04"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
    let j = l.job(r.json()["job_id"].as_i64().unwrap()).await;
    assert_eq!(j["status"], "done", "{j}");
    let first = j["result"]["amount"].as_i64().unwrap();
    assert!(first > 0, "{j}");
    let r = l
        .call(
            &l.accountant,
            Method::POST,
            "/api/v1/ledger/penalty-runs",
            Some(json!({"period": "2025-04"})),
        )
        .await;
    let j = l.job(r.json()["job_id"].as_i64().unwrap()).await;
    assert_eq!(
        (
            j["result"]["posted"].as_i64(),
            j["result"]["amount"].as_i64()
        ),
        (Some(0), Some(0)),
        "{j}"
    );

    // Debtors: the run refreshed the summary.
    let d = l
        .call(
            &l.accountant,
            Method::GET,
            "/api/v1/debtors?min_debt=100000",
            None,
        )
        .await
        .json();
    assert_eq!(d["total"], 1, "{d}");
    assert_eq!(d["items"][0]["account_id"], a1);
    assert_eq!(d["items"][0]["penalties"].as_i64(), Some(first));
    let d = l
        .call(
            &l.accountant,
            Method::GET,
            &format!("/api/v1/debtors?building_id={bid}"),
            None,
        )
        .await
        .json();
    assert_eq!(d["total"], 0);

    // «Расчёт пени»: API, page and XLSX agree.
    let pen = l
        .call(
            &l.accountant,
            Method::GET,
            &format!("/api/v1/accounts/{a1}/penalty?on=2025-05-01"),
            None,
        )
        .await
        .json();
    let total = pen["total_kopecks"].as_i64().unwrap();
    assert_eq!(total, first);
    let page = app
        .get(
            Role::Lawyer,
            &format!("/accounts/{a1}/penalty?on=2025-05-01"),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("1/300"), "{}", page.body);
    let (st, x) = l
        .binary(
            Role::Lawyer,
            &format!("/accounts/{a1}/penalty.xlsx?on=2025-05-01"),
        )
        .await;
    assert_eq!(st, StatusCode::OK);
    let rows = cells(&x);
    assert!(rows[0][0].contains("100001"), "{rows:?}");
    assert_eq!(rows[3][0], "Период");
    let last = rows.last().unwrap();
    assert_eq!(last[7], "Итого пени");
    assert_eq!(last[8], format!("{:.2}", total as f64 / 100.0));
    assert_eq!(rows.len() - 5, pen["rows"].as_array().unwrap().len());
    assert_eq!(rows[4][7], pen["rows"][0]["formula"].as_str().unwrap());

    // Turnover for the company: screen and XLSX.
    let t = l
        .call(
            &l.accountant,
            Method::GET,
            "/api/v1/turnover?from=2025-01&to=2025-04",
            None,
        )
        .await
        .json();
    let closing = t["total"]["closing"].as_i64().unwrap();
    assert_eq!(t["total"]["charged"], 514000);
    assert_eq!(t["total"]["recalculated"], -50000);
    let (st, x) = l
        .binary(Role::Auditor, "/turnover.xlsx?from=2025-01&to=2025-04")
        .await;
    assert_eq!(st, StatusCode::OK);
    let rows = cells(&x);
    let total_row = rows.iter().find(|r| r[0] == "Итого").unwrap();
    assert_eq!(total_row[6], format!("{:.2}", closing as f64 / 100.0));
    assert_eq!(rows.len(), 3 + 2 + 1);
    let r = l
        .call(
            &l.accountant,
            Method::GET,
            "/api/v1/turnover?scope=building",
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["errors"][0]["field"], "id");

    // Pages: «Расчёты» for staff who may see them, never for a contractor.
    let p = app
        .get(Role::Auditor, &format!("/accounts/{a1}/ledger"))
        .await;
    assert_eq!(p.status, StatusCode::OK);
    assert!(
        p.body.contains("Журнал расчётов") && p.body.contains("3,5 м3 × 40,00 ₽"),
        "{}",
        p.body
    );
    assert!(!p.body.contains("Провести оплату"));
    assert_eq!(
        app.get(Role::Contractor, &format!("/accounts/{a1}/ledger"))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let p = app
        .page(
            Role::Accountant,
            Method::POST,
            &format!("/accounts/{a2}/payments"),
            &[
                ("amount", "1 234,5o"),
                ("paid_on", "2025-02-01"),
                ("receipt_no", ""),
            ],
        )
        .await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(p.body.contains("Недопустимый символ"), "{}", p.body);
    let p = app
        .page(
            Role::Accountant,
            Method::POST,
            &format!("/accounts/{a2}/payments"),
            &[
                ("amount", "100,00"),
                ("paid_on", "2025-02-01"),
                ("receipt_no", "7"),
            ],
        )
        .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    for path in [
        "/debtors",
        "/turnover",
        "/ledger/imports",
        "/ledger/unmatched",
        "/ledger/penalties",
    ] {
        let p = app.get(Role::Accountant, path).await;
        assert_eq!(p.status, StatusCode::OK, "{path}: {}", p.body);
    }
});

both!(
    reference_data_by_the_administrator,
    |app: common::TestApp| async move {
        let l = Ledger::new(&app).await;
        let r = l
            .call(&l.accountant, Method::GET, "/api/v1/ledger/reference", None)
            .await;
        assert_eq!(r.status, StatusCode::OK);
        let mut rates = r.json()["key_rates"].clone();
        let r = l
            .call(
                &l.accountant,
                Method::PUT,
                "/api/v1/ledger/reference",
                Some(json!({"kind": "key_rates", "value": rates, "source": "x"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        rates["entries"][0]["rate_bp"] = json!(0);
        let r = l
            .call(
                &l.admin,
                Method::PUT,
                "/api/v1/ledger/reference",
                Some(json!({"kind": "key_rates", "value": rates, "source": "Решение ЦБ"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.json()["errors"][0]["field"], "entries[0].rate_bp");
        let r = l
            .call(
                &l.admin,
                Method::PUT,
                "/api/v1/ledger/reference",
                Some(json!({"kind": "allocation_rule", "value": "oldest_first", "source": ""})),
            )
            .await;
        assert_eq!(r.json()["errors"][0]["field"], "source");
        let r = l.call(&l.admin, Method::PUT, "/api/v1/ledger/reference", Some(json!({"kind": "allocation_rule", "value": "oldest_first", "source": "Приказ № 5"}))).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["allocation_rule"], "oldest_first");
        assert_eq!(r.json()["history"][0]["source"], "Приказ № 5");

        // Profiles: the common one is there; a broken one is refused with the reason.
        let p = l
            .call(&l.admin, Method::GET, "/api/v1/ledger/profiles", None)
            .await
            .json();
        assert_eq!(p[0]["name"], "Типовой реестр (Сбербанк)");
        let mut prof = p[0]["profile"].clone();
        prof["columns"] = json!([["date", 0], ["amount", 1]]);
        let r = l
            .call(
                &l.admin,
                Method::POST,
                "/api/v1/ledger/profiles",
                Some(json!({"name": "ВТБ", "profile": prof})),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.json()["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("лицевой счёт"));
        let page = app.get(Role::Administrator, "/ledger/settings").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Приказ № 5"));
        // Per-field refusals of the settings forms are in settings_forms.rs.
        assert_eq!(
            app.get(Role::Accountant, "/ledger/settings").await.status,
            StatusCode::FORBIDDEN
        );
    }
);

// A run for a month that has not ended is refused with the reason at the field, in the API and
// on the page, and nothing runs.
both!(
    penalty_run_ahead_is_refused,
    |app: common::TestApp| async move {
        let l = Ledger::new(&app).await;
        let r = l
            .call(
                &l.accountant,
                Method::POST,
                "/api/v1/ledger/penalty-runs",
                Some(json!({"period": "2030-01"})),
            )
            .await;
        let m = common::field_message(&r, "period");
        assert!(m.contains("Январь 2030 ещё не закончился"), "{m}");
        assert!(m.contains("или раньше"), "{m}");
        let r = app
            .page(
                Role::Accountant,
                Method::POST,
                "/ledger/penalties/run",
                &[("period", "2030-01")],
            )
            .await;
        assert!(
            r.body.contains("Январь 2030 ещё не закончился"),
            "{}",
            r.body
        );
        let runs = l
            .call(
                &l.accountant,
                Method::GET,
                "/api/v1/ledger/penalty-runs",
                None,
            )
            .await
            .json();
        assert_eq!(runs.as_array().map(Vec::len), Some(0), "{runs}");
    }
);

// The cashier marks a payment as one for penalties, on the page and in the API: the entry
// carries the mark and the ledger names it.
both!(
    a_cash_payment_can_be_for_penalties,
    |app: common::TestApp| async move {
        let (_, _, a) = app.seed("ул. Ленина", "5", "12", "100001").await;
        let l = Ledger::new(&app).await;
        let r = app
            .page(
                Role::Accountant,
                Method::POST,
                &format!("/accounts/{a}/payments"),
                &[
                    ("amount", "100,00"),
                    ("paid_on", "2026-12-01"),
                    ("receipt_no", "ПКО-7"),
                    ("for_penalties", "on"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        for cash in [
            json!({"account_id": a, "amount": 5000, "paid_on": "2026-12-02",
                "receipt_no": "ПКО-8", "for_penalties": true}),
            json!({"account_id": a, "amount": 700, "paid_on": "2026-12-02", "receipt_no": "ПКО-9"}),
        ] {
            let r = l
                .call(
                    &l.accountant,
                    Method::POST,
                    "/api/v1/ledger/payments/cash",
                    Some(cash),
                )
                .await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        }
        let ledger = l
            .call(
                &l.accountant,
                Method::GET,
                &format!("/api/v1/accounts/{a}/ledger"),
                None,
            )
            .await
            .json();
        let mut marks: Vec<(i64, bool)> = ledger["entries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["amount"].as_i64().unwrap(),
                    e["for_penalties"].as_bool().unwrap(),
                )
            })
            .collect();
        marks.sort();
        assert_eq!(marks, vec![(700, false), (5000, true), (10000, true)]);
        let page = app
            .get(Role::Accountant, &format!("/accounts/{a}/ledger"))
            .await;
        assert!(page.body.contains("оплата пени"), "{}", page.body);
        assert!(page.body.contains("name=\"for_penalties\""));
    }
);
