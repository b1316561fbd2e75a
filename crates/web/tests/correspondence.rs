//! Correspondence registers and reference data through the pages and the API, on both
//! backends: forms with inline errors, the awaiting view, answers, scans, problem+json for bad
//! input, and the XLSX export read back with calamine.

mod common;

use std::io::Cursor;

use abonent_domain::Role;
use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use calamine::{Data, Reader, Xlsx};
use chrono::{Days, NaiveDate};
use serde_json::json;

fn today() -> NaiveDate {
    // The test organization's zone is the default (Asia/Yekaterinburg).
    chrono::Utc::now()
        .with_timezone(&chrono_tz::Asia::Yekaterinburg)
        .date_naive()
}

fn days_ago(n: u64) -> String {
    (today() - Days::new(n)).to_string()
}

/// A multipart body with the CSRF token first and one file field, as the upload forms send it.
fn multipart(csrf: &str, file_name: &str, content: &[u8]) -> (String, Vec<u8>) {
    let boundary = "----abonent-test-boundary";
    let mut body = Vec::new();
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n{csrf}\r\n")
            .as_bytes(),
    );
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(content);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// `Вх-1/26` for the `n`-th letter of the year of `date` (ISO).
fn num(prefix: &str, n: i64, date: &str) -> String {
    format!("{prefix}-{n}/{}", &date[2..4])
}

fn id_from(location: &str) -> i64 {
    location
        .split('/')
        .next_back()
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

both!(
    incoming_letter_through_the_pages,
    |app: common::TestApp| async move {
        let spec = Role::Specialist;
        // Bad input: the form comes back with a message next to each field.
        let r = app
            .page(
                spec,
                Method::POST,
                "/correspondence/incoming",
                &[("received_on", "31.02.2026"), ("sender_kind", "")],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("не дата"), "{}", r.body);
        assert!(r.body.contains("Выберите, от кого письмо"));
        assert!(r.body.contains("Заполните поле «Отправитель»"));

        // A citizen's letter received 40 days ago: 10 working days have long passed.
        let old = days_ago(40);
        let r = app
            .page(
                spec,
                Method::POST,
                "/correspondence/incoming",
                &[
                    ("received_on", old.as_str()),
                    ("sender_kind", "person"),
                    ("sender_name", "Петрова Мария Ивановна"),
                    ("subject", "Протечка с кровли над кв. 12"),
                    ("pages", "2"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let old_id = id_from(&r.location());
        let card = app
            .get(spec, &format!("/correspondence/incoming/{old_id}"))
            .await;
        assert_eq!(card.status, StatusCode::OK);
        let old_no = num("Вх", 1, &old);
        assert!(
            card.body.contains(&format!("Входящее № {old_no}")),
            "{}",
            card.body
        );
        assert!(card.body.contains("10 рабочих дней"));
        assert!(card.body.contains("просрочено"));

        // A letter from the inspectorate today, with its own term.
        let term = (today() + Days::new(5)).to_string();
        let t = today().to_string();
        let r = app
            .page(
                spec,
                Method::POST,
                "/correspondence/incoming",
                &[
                    ("received_on", t.as_str()),
                    ("sender_kind", "housing_inspectorate"),
                    ("sender_name", "Департамент ГЖИ"),
                    ("sender_ref_number", "29-01-05/1234"),
                    ("subject", "Запрос о начислениях по ЛС 100001"),
                    ("deadline_on", term.as_str()),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let new_id = id_from(&r.location());
        // Numbers are per year: 40 days ago may still be last year (in January).
        let new_no = num("Вх", if old[..4] == t[..4] { 2 } else { 1 }, &t);

        // The awaiting view: the overdue one first and highlighted.
        let list = app.get(spec, "/correspondence/incoming").await;
        assert_eq!(list.status, StatusCode::OK);
        let first = list.body.find(&old_no).unwrap();
        let second = list.body.find(&new_no).unwrap();
        assert!(first < second, "sorted by deadline");
        assert!(list.body.contains("class=\"overdue\""));
        assert!(list.body.contains("Просрочено (1)"));
        let found = app
            .get(
                spec,
                "/correspondence/incoming?status=all&q=%D0%93%D0%96%D0%98",
            )
            .await;
        assert!(found.body.contains(&new_no) && !found.body.contains(&old_no));

        // Closing without a reason: inline error on the card.
        let r = app
            .page(
                spec,
                Method::POST,
                &format!("/correspondence/incoming/{old_id}/status"),
                &[("status", "closed"), ("reason", "")],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("Укажите причину закрытия"));

        // The answer form is prefilled from the letter; registering it marks the letter answered.
        let form = app
            .get(
                spec,
                &format!("/correspondence/outgoing/new?answers={new_id}"),
            )
            .await;
        assert!(form.body.contains("Департамент ГЖИ"));
        assert!(form.body.contains("на № 29-01-05/1234"));
        let r = app
            .page(
                spec,
                Method::POST,
                "/correspondence/outgoing",
                &[
                    ("sent_on", t.as_str()),
                    ("addressee", "Департамент ГЖИ"),
                    ("subject", "Ответ на запрос"),
                    ("method", "email"),
                    ("tracking_number", "80080012345678"),
                    ("answers_incoming_id", &new_id.to_string()),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("Трек-номер указывается только"));
        let r = app
            .page(
                spec,
                Method::POST,
                "/correspondence/outgoing",
                &[
                    ("sent_on", t.as_str()),
                    ("addressee", "Департамент ГЖИ"),
                    ("subject", "Ответ на запрос"),
                    ("method", "email"),
                    ("answers_incoming_id", &new_id.to_string()),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let card = app
            .get(spec, &format!("/correspondence/incoming/{new_id}"))
            .await;
        assert!(card.body.contains("Дан ответ"));
        assert!(card.body.contains(&num("Исх", 1, &t)));

        // A scan: uploaded with the CSRF token in the form, downloaded unchanged.
        let s = &app.sessions[&spec];
        let pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\n".to_vec();
        let (ct, body) = multipart(&s.csrf, "письмо ГЖИ.pdf", &pdf);
        let req = Request::builder()
            .method(Method::POST)
            .uri(format!("/correspondence/incoming/{new_id}/attachments"))
            .header(header::COOKIE, &s.cookie)
            .header(header::CONTENT_TYPE, ct)
            .body(Body::from(body))
            .unwrap();
        let r = app.send(req).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert!(r.location().ends_with("saved=1"), "{}", r.location());
        let card = app
            .get(spec, &format!("/correspondence/incoming/{new_id}"))
            .await;
        assert!(card.body.contains("письмо ГЖИ.pdf"));
        let (ct, body) = multipart(&s.csrf, "virus.exe", b"MZ\x90\x00");
        let req = Request::builder()
            .method(Method::POST)
            .uri(format!("/correspondence/incoming/{new_id}/attachments"))
            .header(header::COOKIE, &s.cookie)
            .header(header::CONTENT_TYPE, ct)
            .body(Body::from(body))
            .unwrap();
        let r = app.send(req).await;
        let back = app.get(spec, &r.location()).await;
        assert!(
            back.body.contains("не PDF, JPEG, PNG или TIFF"),
            "{}",
            r.location()
        );

        let api = app
            .api(
                Method::GET,
                &format!("/api/v1/correspondence/incoming/{new_id}"),
                None,
            )
            .await;
        let scan_id = api.json()["attachments"][0]["id"].as_i64().unwrap();
        let file = app
            .get(spec, &format!("/correspondence/attachments/{scan_id}"))
            .await;
        assert_eq!(file.status, StatusCode::OK);
        assert_eq!(file.headers["content-type"], "application/pdf");
        assert!(file.headers["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment"));
        assert_eq!(file.body.as_bytes(), pdf.as_slice());

        // The history shows registration, the answer, the scan.
        assert!(card.body.contains("Создание: входящее письмо"));
        assert!(card.body.contains("Ответ: входящее письмо"));
        assert!(card.body.contains("Создание: вложение"));

        // The auditor sees the register but has no registration button.
        let list = app.get(Role::Auditor, "/correspondence/incoming").await;
        assert_eq!(list.status, StatusCode::OK);
        assert!(!list.body.contains("Зарегистрировать письмо"));
        assert!(list.body.contains("Корреспонденция"));
    }
);

both!(
    registers_through_the_api_and_export,
    |app: common::TestApp| async move {
        let t = today().to_string();
        // problem+json with a message per field.
        let r = app
            .api(
                Method::POST,
                "/api/v1/correspondence/incoming",
                Some(json!({"received_on": "2999-01-01", "sender_kind": "prosecutor", "pages": 0})),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.headers["content-type"], "application/problem+json");
        let fields: Vec<String> = r.json()["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"].as_str().unwrap().to_string())
            .collect();
        for f in ["received_on", "sender_name", "subject", "pages"] {
            assert!(fields.contains(&f.to_string()), "{f}: {fields:?}");
        }
        let r = app
            .api(
                Method::POST,
                "/api/v1/correspondence/incoming",
                Some(json!({"received_on": t, "sender_kind": "prosecutor", "sender_name": "Прокуратура района", "subject": "Требование", "executor_user_id": 9999})),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("executor_user_id"));

        let r = app
            .api(
                Method::POST,
                "/api/v1/correspondence/incoming",
                Some(json!({"received_on": t, "sender_kind": "prosecutor", "sender_name": "Прокуратура района", "sender_ref_number": "7-1-2026", "subject": "Требование о предоставлении сведений", "pages": 3})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let inc = r.json();
        assert_eq!(inc["number"], num("Вх", 1, &t));
        assert_eq!(inc["status"], "registered");
        assert_eq!(inc["deadline_rule"], "state_body_letter");
        let inc_id = inc["id"].as_i64().unwrap();

        let r = app
            .api(
                Method::POST,
                &format!("/api/v1/correspondence/incoming/{inc_id}/status"),
                Some(json!({"status": "answered"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("исходящего"));
        let r = app
            .api(
                Method::POST,
                &format!("/api/v1/correspondence/incoming/{inc_id}/status"),
                Some(json!({"status": "in_work"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["status"], "in_work");

        let list = app
            .api(
                Method::GET,
                "/api/v1/correspondence/incoming?status=awaiting",
                None,
            )
            .await;
        assert_eq!(list.json()["total"], 1);
        let r = app
            .api(
                Method::GET,
                "/api/v1/correspondence/incoming?from=вчера",
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);

        let r = app
            .api(
                Method::POST,
                "/api/v1/correspondence/outgoing",
                Some(json!({"sent_on": t, "addressee": "Прокуратура района", "subject": "Сведения по требованию", "method": "post", "tracking_number": "62000012345678", "answers_incoming_id": inc_id})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        assert_eq!(r.json()["number"], num("Исх", 1, &t));
        assert_eq!(r.json()["answers_incoming_number"], num("Вх", 1, &t));
        let card = app
            .api(
                Method::GET,
                &format!("/api/v1/correspondence/incoming/{inc_id}"),
                None,
            )
            .await
            .json();
        assert_eq!(card["letter"]["status"], "answered");
        assert_eq!(card["answers"][0]["number"], num("Исх", 1, &t));
        let h = app
            .api(
                Method::GET,
                &format!("/api/v1/correspondence/incoming/{inc_id}/history"),
                None,
            )
            .await
            .json();
        let actions: Vec<&str> = h
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["action"].as_str().unwrap())
            .collect();
        assert_eq!(actions, ["answer", "status", "create"]);

        // Export of the incoming register for the year, read back.
        let year = &t[..4];
        let r = app
            .api(
                Method::GET,
                &format!(
                    "/api/v1/correspondence/export?register=incoming&from={year}-01-01&to={t}"
                ),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(r.headers["content-type"]
            .to_str()
            .unwrap()
            .contains("spreadsheetml"));
        let bytes = {
            // `Resp` keeps the body as text: fetch the bytes again without the lossy decoding.
            let req = Request::builder()
                .uri(format!(
                    "/api/v1/correspondence/export?register=incoming&from={year}-01-01&to={t}"
                ))
                .header(header::AUTHORIZATION, format!("Bearer {}", app.token))
                .body(Body::empty())
                .unwrap();
            let res = tower::ServiceExt::oneshot(app.router.clone(), req)
                .await
                .unwrap();
            axum::body::to_bytes(res.into_body(), usize::MAX)
                .await
                .unwrap()
                .to_vec()
        };
        let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).unwrap();
        let range = wb.worksheet_range("Входящие").unwrap();
        let rows: Vec<Vec<Data>> = range.rows().map(|r| r.to_vec()).collect();
        assert_eq!(rows.len(), 2, "{rows:?}");
        assert_eq!(rows[0][0], Data::String("Рег. номер".into()));
        assert_eq!(rows[1][0], Data::String(num("Вх", 1, &t)));
        assert_eq!(rows[1][3], Data::String("Прокуратура района".into()));
        assert_eq!(rows[1][7], Data::Float(3.0));
        assert_eq!(rows[1][11], Data::String(num("Исх", 1, &t)));
        match &rows[1][1] {
            Data::DateTime(d) => {
                let (y, m, dd, ..) = d.to_ymd_hms_milli();
                assert_eq!(
                    NaiveDate::from_ymd_opt(i32::from(y), u32::from(m), u32::from(dd)).unwrap(),
                    today()
                );
            }
            other => panic!("received date is not a date cell: {other:?}"),
        }

        // The outgoing register through the page link; bad periods are refused.
        let r = app
            .get(
                Role::Auditor,
                &format!("/correspondence/export?register=outgoing&from={year}-01-01&to={t}"),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.headers["content-disposition"]
            .to_str()
            .unwrap()
            .contains(".xlsx"));
        let r = app
            .api(
                Method::GET,
                "/api/v1/correspondence/export?register=letters&from=2026-12-31&to=2026-01-01",
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.headers["content-type"], "application/problem+json");
        assert!(r.body.contains("register"));
    }
);

both!(
    reference_data_pages_check_what_they_save,
    |app: common::TestApp| async move {
        let admin = Role::Administrator;
        for path in [
            "/admin/organization",
            "/admin/numbering",
            "/admin/calendar",
            "/admin/calendar?year=2025",
            "/admin/answer-rules",
        ] {
            let r = app.get(admin, path).await;
            assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.body);
        }
        assert!(app
            .get(admin, "/admin/calendar?year=2025")
            .await
            .body
            .contains("01.11.2025"));

        // Organization details: a wrong BIC and time zone come back inline, nothing saved.
        let r = app
            .page(
                admin,
                Method::POST,
                "/admin/organization",
                &[
                    ("org.name", "ООО «УК Берёзка»"),
                    ("org.inn", "7707083893"),
                    ("org.bic", "04452522"),
                    ("org.time_zone", "Mars/Olympus"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("БИК — 9 цифр"), "{}", r.body);
        assert!(r.body.contains("Неизвестный часовой пояс"));
        assert!(r.body.contains("04452522"), "the entered value is kept");
        let r = app
            .page(
                admin,
                Method::POST,
                "/admin/organization",
                &[
                    ("org.name", "ООО «УК Берёзка»"),
                    ("org.inn", "7707083893"),
                    ("org.bic", "044525225"),
                    ("org.time_zone", "Asia/Yekaterinburg"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(
            abonent_storage::settings::get(&app.t.db, "org.bic")
                .await
                .unwrap(),
            "044525225"
        );

        // Numbering: a pattern without {n} is refused; a good one numbers the next letter.
        let mut form: Vec<(String, String)> = abonent_domain::settings::numbering_scopes()
            .into_iter()
            .map(|s| {
                (
                    format!("numbering.{s}"),
                    abonent_domain::settings::default_of(&format!("numbering.{s}"))
                        .unwrap()
                        .to_string(),
                )
            })
            .collect();
        let set = |form: &mut Vec<(String, String)>, k: &str, v: &str| {
            for p in form.iter_mut() {
                if p.0 == k {
                    p.1 = v.to_string();
                }
            }
        };
        set(&mut form, "numbering.incoming", "ВХ-{yy}");
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let r = app
            .page(admin, Method::POST, "/admin/numbering", &pairs)
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("нет порядкового номера"), "{}", r.body);
        set(&mut form, "numbering.incoming", "{year}/ВХ-{n:4}");
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let r = app
            .page(admin, Method::POST, "/admin/numbering", &pairs)
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

        // The general settings page neither shows nor overwrites details and patterns.
        let general = app.get(admin, "/admin/settings").await;
        assert!(!general.body.contains("numbering.incoming") && !general.body.contains("org.bic"));
        let r = app
            .page(
                admin,
                Method::POST,
                "/admin/settings",
                &[
                    ("org.name", "ООО «УК Берёзка»"),
                    ("org.time_zone", "Asia/Yekaterinburg"),
                    ("org.default_region", "Свердловская обл."),
                    ("org.default_city", "г. Екатеринбург"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let db = &app.t.db;
        assert_eq!(
            abonent_storage::settings::get(db, "numbering.incoming")
                .await
                .unwrap(),
            "{year}/ВХ-{n:4}"
        );
        assert_eq!(
            abonent_storage::settings::get(db, "org.bic").await.unwrap(),
            "044525225"
        );

        // Answer rules: a person's letter now gets 3 working days.
        let mut rules = Vec::new();
        for r in abonent_storage::correspondence::rules::all(&app.t.db)
            .await
            .unwrap()
        {
            let k = r.sender_kind.code();
            let (amount, unit, source) = if k == "person" {
                ("3", "working_days", "Приказ директора № 1")
            } else {
                ("", "", "")
            };
            rules.push((
                format!("{k}.amount"),
                if amount.is_empty() {
                    r.rule.amount.to_string()
                } else {
                    amount.into()
                },
            ));
            rules.push((
                format!("{k}.unit"),
                if unit.is_empty() {
                    serde_json::to_value(r.rule.unit)
                        .unwrap()
                        .as_str()
                        .unwrap()
                        .to_string()
                } else {
                    unit.into()
                },
            ));
            rules.push((format!("{k}.title"), r.rule.title.clone()));
            rules.push((
                format!("{k}.source"),
                if source.is_empty() {
                    r.rule.source.clone()
                } else {
                    source.into()
                },
            ));
        }
        let mut bad = rules.clone();
        for p in bad.iter_mut() {
            if p.0 == "organization.source" {
                p.1 = " ".into();
            }
        }
        let pairs: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let r = app
            .page(admin, Method::POST, "/admin/answer-rules", &pairs)
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("Укажите источник"), "{}", r.body);
        let pairs: Vec<(&str, &str)> = rules
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let r = app
            .page(admin, Method::POST, "/admin/answer-rules", &pairs)
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

        // Calendar: a made-up day off on the coming Monday … is checked like a decree.
        let r = app
            .page(
                admin,
                Method::POST,
                "/admin/calendar",
                &[
                    ("year", "2027"),
                    ("source", ""),
                    ("non_working", "02.01.2027\nзавтра"),
                    ("working_weekends", ""),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("Укажите источник"));
        assert!(r.body.contains("«завтра»"));
        let r = app
            .page(
                admin,
                Method::POST,
                "/admin/calendar",
                &[
                    ("year", "2027"),
                    ("source", "ПП РФ от 01.10.2026 № 1 (пример)"),
                    (
                        "non_working",
                        "01.01.2027\n04.01.2027\n05.01.2027\n06.01.2027\n07.01.2027\n08.01.2027",
                    ),
                    ("working_weekends", ""),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let page = app.get(admin, "/admin/calendar?year=2027").await;
        assert!(page.body.contains("загружено администратором"));

        // The next letter uses the new pattern and the new rule.
        let t = today().to_string();
        let r = app
            .api(
                Method::POST,
                "/api/v1/correspondence/incoming",
                Some(json!({"received_on": t, "sender_kind": "person", "sender_name": "Иванов", "subject": "Вопрос"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let j = r.json();
        assert_eq!(j["number"], format!("{}/ВХ-0001", &t[..4]));
        assert!(j["deadline_basis"]
            .as_str()
            .unwrap()
            .contains("Приказ директора № 1"));
    }
);
