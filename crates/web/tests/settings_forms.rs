//! Settings as forms (issue 17 §5): the key-rate table, the penalty rules with their
//! moratoria, the due-date rules and the bank register profiles are edited field by field;
//! a wrong value is refused with a Russian message at its input and nothing is saved. The
//! general settings choose the time zone and the mail security from lists; the settings
//! index groups every page by topic.

mod common;

use abonent_domain::Role;
use abonent_storage::ledger::reference;
use axum::http::{Method, StatusCode};

const ADMIN: Role = Role::Administrator;

/// The error shown next to the input `name` (its `aria-describedby` target or the cell).
fn error_at(body: &str, name: &str) -> String {
    let at = body
        .find(&format!("name=\"{name}\""))
        .unwrap_or_else(|| panic!("no input {name}"));
    let rest = &body[at..];
    let end = rest
        .find("</td>")
        .or_else(|| rest.find("</div>\n"))
        .unwrap_or(rest.len());
    let cell = &rest[..end];
    match cell.split("field-error").nth(1) {
        Some(e) => e
            .split_once('>')
            .map_or("", |(_, t)| t)
            .split('<')
            .next()
            .unwrap_or("")
            .to_string(),
        None => String::new(),
    }
}

/// The form of the new profile (the stored profiles' forms come first).
fn new_form(body: &str) -> &str {
    &body[body
        .find("action=\"/ledger/profiles\"")
        .expect("the new profile's form")..]
}

async fn versions(app: &common::TestApp, kind: &str) -> usize {
    reference::history(&app.t.db, kind).await.unwrap().len()
}

both!(
    key_rates_are_rows_with_per_field_checks,
    |app: common::TestApp| async move {
        let page = app.get(ADMIN, "/ledger/settings").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(!page.body.contains("<textarea"), "no JSON to edit");
        assert!(!page.body.contains("regulations.md") && !page.body.contains("docs/"));
        assert!(page.body.contains("name=\"kr.1.rate\""), "a row per rate");
        let post = |rate: &'static str, from2: &'static str| {
            vec![
                ("kind", "key_rates"),
                ("kr.0.from", "2026-10-27"),
                ("kr.0.rate", rate),
                (
                    "kr.0.source",
                    "Решение Совета директоров Банка России от 24.10.2026",
                ),
                ("kr.1.from", from2),
                ("kr.1.rate", "16,5"),
                ("kr.1.source", "Банк России"),
                ("kr.1.confirmed", "on"),
                ("kr.2.from", ""),
                ("kr.2.rate", ""),
                ("kr.2.source", ""),
                ("source", "Решение Банка России"),
            ]
        };
        let before = versions(&app, reference::KEY_RATES).await;
        let r = app
            .page(
                ADMIN,
                Method::POST,
                "/ledger/settings",
                &post("сто", "2025-06-09"),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let m = error_at(&r.body, "kr.0.rate");
        assert!(m.contains("ставку в процентах"), "{m}");
        assert!(error_at(&r.body, "kr.1.rate").is_empty());
        assert!(r.body.contains("value=\"сто\""), "what was typed is kept");
        // The same date twice: the second row says so.
        let r = app
            .page(
                ADMIN,
                Method::POST,
                "/ledger/settings",
                &post("17", "27.10.2026"),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            error_at(&r.body, "kr.1.from").contains("уже есть"),
            "{}",
            r.body
        );
        assert_eq!(
            versions(&app, reference::KEY_RATES).await,
            before,
            "nothing saved"
        );

        let r = app
            .page(
                ADMIN,
                Method::POST,
                "/ledger/settings",
                &post("17", "2025-06-09"),
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let t = reference::key_rates(&app.t.db).await.unwrap();
        assert_eq!(t.entries.len(), 2, "the table is what the form said");
        assert_eq!(
            t.rate_on(chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap()),
            Some(1700)
        );
        let page = app.get(ADMIN, "/ledger/settings").await;
        assert!(page.body.contains("value=\"16,5\""), "{}", page.body);
    }
);

both!(
    penalty_rules_refuse_a_moratorium_ending_before_it_starts,
    |app: common::TestApp| async move {
        let base = [
            ("kind", "penalty_settings"),
            ("ps.law_source", "ЖК РФ ст. 155 ч. 14"),
            ("ps.grace_days", "30"),
            ("ps.share_300_until_day", "90"),
            ("ps.first_share", "300"),
            ("ps.second_share", "130"),
            ("ps.mode", "payment_or_calc"),
            ("ps.cap_on", "on"),
            ("ps.cap_from", "2022-02-28"),
            ("ps.cap_to", "2026-12-31"),
            ("ps.cap_rate", "9,5"),
            ("ps.cap_source", "ПП РФ № 474 от 26.03.2022"),
            ("ps.cap_scope", "rate_date"),
            ("ps.payment_day_accrues", "on"),
            ("ps.rounding", "per_row"),
            ("ps.cr_first_share_only", "on"),
            ("ps.cr_source", "ЖК РФ ст. 155 ч. 14.1"),
            ("mor.0.from", "2020-04-06"),
            ("mor.0.source", "ПП РФ № 424 от 02.04.2020"),
            ("mor.1.from", ""),
            ("mor.1.to", ""),
            ("mor.1.source", ""),
            ("source", "Проверка"),
        ];
        let before = versions(&app, reference::PENALTY_SETTINGS).await;
        let mut bad = base.to_vec();
        bad.push(("mor.0.to", "2020-01-31"));
        let r = app
            .page(ADMIN, Method::POST, "/ledger/settings", &bad)
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let m = error_at(&r.body, "mor.0.to");
        assert!(m.contains("раньше, чем начинается"), "{m}");
        let mut bad = base.to_vec();
        bad.push(("mor.0.to", "2020-12-31"));
        bad.retain(|(k, _)| *k != "ps.cap_rate");
        bad.push(("ps.cap_rate", "0"));
        let r = app
            .page(ADMIN, Method::POST, "/ledger/settings", &bad)
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("больше 0 и не больше 100"), "{}", r.body);
        assert_eq!(versions(&app, reference::PENALTY_SETTINGS).await, before);

        let mut good = base.to_vec();
        good.push(("mor.0.to", "2020-12-31"));
        let r = app
            .page(ADMIN, Method::POST, "/ledger/settings", &good)
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let s = reference::penalty_settings(&app.t.db).await.unwrap();
        assert_eq!(s.moratoria.len(), 1, "the second moratorium was removed");
        assert_eq!(s.rate_cap.unwrap().cap_bp, 950);
        assert!(!s.include_calc_date);
    }
);

both!(
    due_date_rules_check_each_row,
    |app: common::TestApp| async move {
        let form = |day: &'static str| {
            vec![
                ("kind", "due_date_rules"),
                ("dd.0.from", "2005-03"),
                ("dd.0.day", "10"),
                ("dd.0.source", "ЖК РФ ст. 155 ч. 1"),
                ("dd.1.from", "03.2026"),
                ("dd.1.day", day),
                ("dd.1.source", "177-ФЗ от 24.06.2025"),
                ("source", "Закон"),
            ]
        };
        let r = app
            .page(ADMIN, Method::POST, "/ledger/settings", &form("40"))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            error_at(&r.body, "dd.1.day").contains("от 1 до 31"),
            "{}",
            r.body
        );
        let r = app
            .page(ADMIN, Method::POST, "/ledger/settings", &form("15"))
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let rules = reference::due_date_rules(&app.t.db).await.unwrap();
        assert_eq!(rules[1].from_period, (2026, 3));
        assert_eq!(rules[1].day_of_next_month, 15);
    }
);

both!(
    a_bank_profile_is_a_form_of_columns,
    |app: common::TestApp| async move {
        let page = app.get(ADMIN, "/ledger/profiles").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(!page.body.contains("<textarea") && !page.body.contains("JSON"));
        assert!(page.body.contains("лицевой счёт (обязательно)"));
        assert!(page.body.contains("точка с запятой"));
        let form = |account: &'static str| {
            vec![
                ("name", "Реестр Почты"),
                ("separator", "|"),
                ("encoding", "utf8"),
                ("skip_lines", "1"),
                ("col.date", "1"),
                ("col.account", account),
                ("col.full_name", "3"),
                ("col.amount", "4"),
                ("date_format", "%d.%m.%Y"),
                ("time_format", "%H:%M"),
                ("period_format", "mm_yyyy"),
            ]
        };
        let r = app
            .page(ADMIN, Method::POST, "/ledger/profiles", &form("3"))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            error_at(new_form(&r.body), "col.full_name").contains("уже указан"),
            "{}",
            r.body
        );
        let r = app
            .page(ADMIN, Method::POST, "/ledger/profiles", &form("0"))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(error_at(new_form(&r.body), "col.account").contains("от 1 до 200"));
        let list = app
            .api_with(
                &app.token_of(ADMIN).await,
                Method::GET,
                "/api/v1/ledger/profiles",
                None,
            )
            .await;
        let before = list.body.matches("Реестр Почты").count();
        assert_eq!(before, 0, "nothing saved");
        let r = app
            .page(ADMIN, Method::POST, "/ledger/profiles", &form("2"))
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let list = app
            .api_with(
                &app.token_of(ADMIN).await,
                Method::GET,
                "/api/v1/ledger/profiles",
                None,
            )
            .await;
        let saved = list
            .json()
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == "Реестр Почты")
            .cloned()
            .unwrap();
        assert_eq!(saved["profile"]["separator"], "|");
        assert_eq!(saved["profile"]["skip_lines"], 1);
        let page = app.get(ADMIN, "/ledger/profiles").await;
        assert!(page.body.contains("Реестр Почты"));
        assert!(
            page.body.contains("<option value=\"|\" selected"),
            "{}",
            page.body
        );
    }
);

both!(
    general_settings_choose_from_lists_by_topic,
    |app: common::TestApp| async move {
        let page = app.get(ADMIN, "/admin/settings").await;
        assert_eq!(page.status, StatusCode::OK);
        for text in [
            "Почта и SMS",
            "Обращения",
            "Работа с должниками",
            "<option value=\"Asia/Yekaterinburg\" selected>Екатеринбург",
            "<option value=\"Europe/Kaliningrad\">Калининград",
            "<option value=\"none\">нет</option>",
            "<option value=\"starttls\" selected>STARTTLS",
        ] {
            assert!(page.body.contains(text), "«{text}» missing");
        }
        let r = app
            .page(
                ADMIN,
                Method::POST,
                "/admin/settings",
                &[
                    ("org.name", "ООО «УК»"),
                    ("org.time_zone", "Europe/Samara"),
                    ("app.public_url", "http://127.0.0.1:8080"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("адрес самого сервера"), "{}", r.body);
        let index = app.get(ADMIN, "/admin").await;
        assert_eq!(index.status, StatusCode::OK);
        for topic in [
            "Организация",
            "Почта и SMS",
            "Обращения и письма",
            "Платежи",
            "Работа с должниками",
            "Документы",
        ] {
            assert!(
                index.body.contains(&format!("card-title\">{topic}<")),
                "{topic}"
            );
        }
        assert_eq!(
            app.get(Role::Specialist, "/admin").await.status,
            StatusCode::FORBIDDEN
        );
    }
);

both!(
    the_work_calendar_is_a_grid_of_days,
    |app: common::TestApp| async move {
        use abonent_domain::calendar::YearCalendar;
        use chrono::{Datelike, NaiveDate, Weekday};
        let page = app.get(ADMIN, "/admin/calendar?year=2028").await;
        assert_eq!(page.status, StatusCode::OK);
        // 1 January 2028 is a Saturday and a holiday: checked, named for a screen reader.
        assert!(
            page.body
                .contains("value=\"2028-01-01\" checked aria-label=\"1 января 2028, суббота\""),
            "{}",
            page.body
        );
        assert!(
            page.body.contains("value=\"2028-06-07\" aria-label"),
            "a Wednesday is working"
        );

        // Mark the days off as the base rules have them, but declare one Saturday working
        // and give a Friday off, as a decree would.
        let base = YearCalendar::base_rules(2028);
        let days: Vec<NaiveDate> = NaiveDate::from_ymd_opt(2028, 1, 1)
            .unwrap()
            .iter_days()
            .take_while(|d| d.year() == 2028)
            .collect();
        let saturday = *days
            .iter()
            .rev()
            .find(|d| d.weekday() == Weekday::Sat)
            .unwrap();
        let friday = *days
            .iter()
            .rev()
            .find(|d| d.weekday() == Weekday::Fri && base.is_working_day(**d))
            .unwrap();
        let mut form: Vec<(String, String)> = vec![
            ("grid".into(), "1".into()),
            ("year".into(), "2028".into()),
            ("source".into(), "ПП РФ от 01.10.2027 № 9 (пример)".into()),
        ];
        for d in &days {
            let off = (!base.is_working_day(*d) && *d != saturday) || *d == friday;
            if off {
                form.push(("off".into(), d.to_string()));
            }
        }
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let r = app
            .page(ADMIN, Method::POST, "/admin/calendar", &pairs)
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let stored = abonent_storage::calendar::load(&app.t.db).await.unwrap();
        let y = stored.year(2028);
        assert!(y.is_working_day(saturday));
        assert!(!y.is_working_day(friday));
        assert_eq!(y.working_days(), base.working_days());
        let page = app.get(ADMIN, "/admin/calendar?year=2028").await;
        assert!(page.body.contains("загружено администратором"));
        assert!(page.body.contains(&saturday.format("%d.%m.%Y").to_string()));

        // Without the decree nothing is saved, and the field says why.
        let pairs: Vec<(&str, &str)> = vec![("grid", "1"), ("year", "2029"), ("source", "")];
        let r = app
            .page(ADMIN, Method::POST, "/admin/calendar", &pairs)
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("Укажите источник"), "{}", r.body);
        assert!(!abonent_storage::calendar::stored_years(&app.t.db)
            .await
            .unwrap()
            .iter()
            .any(|y| y.year == 2029));
    }
);
