use serde_json::json;

use super::*;

fn entry(entity: &str, action: &str, before: Option<Value>, after: Value) -> HistoryEntry {
    HistoryEntry {
        id: 1,
        entity: entity.into(),
        entity_id: 7,
        action: action.into(),
        actor_name: "Петрова А. А.".into(),
        at: "2026-11-27T20:00:00.000000Z".into(),
        before,
        after: Some(after),
        note: None,
    }
}

fn rows(v: &HistoryView) -> Vec<(String, String, String)> {
    v.rows
        .iter()
        .map(|r| (r.field.to_string(), r.before.plain(), r.after.plain()))
        .collect()
}

#[test]
fn codes_money_areas_dates_and_references_read_in_russian() {
    let tz: chrono_tz::Tz = "Asia/Yekaterinburg".parse().unwrap();
    let mut names = Names::default();
    names
        .records
        .insert((RecordRef::Person, 5), "Иванов Иван Иванович".into());
    names
        .records
        .insert((RecordRef::Account, 9), "100234".into());
    names
        .records
        .insert((RecordRef::Document, 3), "С-12/26".into());
    names
        .rules
        .insert("ads_leak".into(), "Протечка кровли".into());
    let ctx = Context { tz, names: &names };
    let entries = [
        entry(
            "account_person",
            "create",
            None,
            json!({"account_id": 9, "person_id": 5, "role": "owner", "from_date": "2026-01-15",
                   "share": {"num": 1, "den": 2}}),
        ),
        entry(
            "premises",
            "update",
            Some(json!({"area_centi": 5430})),
            json!({"area_centi": 6000}),
        ),
        entry(
            "ledger_entry",
            "cash_payment",
            None,
            json!({"account": "100234", "amount": 123456, "paid_on": "2026-11-27",
                   "paid_period": "2026-10"}),
        ),
        entry(
            "appeal",
            "create",
            None,
            json!({"kind": "complaint", "channel": "phone", "priority": "emergency",
                   "status": "registered", "sender_kind": "person",
                   "deadline_at": "2026-11-28T04:00:00.000000Z", "deadline_rule": "ads_leak",
                   "assigned": {"target": {"kind": "staff", "id": 77}, "rule_id": 4}}),
        ),
        entry(
            "debt_case",
            "stage_move",
            Some(json!({"stage": null})),
            json!({"stage": "notice_served", "document_id": 3}),
        ),
    ];
    let shown = render(&entries, &ctx);
    let all: Vec<_> = shown.iter().flat_map(rows).collect();
    let text = format!("{all:?}");
    for code in [
        "owner",
        "complaint",
        "phone",
        "emergency",
        "registered",
        "person\"",
        "ads_leak",
        "notice_served",
        "T04",
        "Z",
        "{",
        "2026-",
        "_id",
        "5430",
        "123456",
    ] {
        assert!(!text.contains(code), "{code} shown in {text}");
    }
    for ru in [
        "Собственник",
        "Иванов Иван Иванович",
        "ЛС 100234",
        "15.01.2026",
        "1/2",
        "54,3 м²",
        "60 м²",
        "1 234,56 ₽",
        "27.11.2026",
        "Жалоба",
        "Аварийная",
        "28.11.2026 09:00",
        "Протечка кровли",
        "документ № С-12/26",
        "сотрудник",
        "Вручено уведомление",
    ] {
        assert!(text.contains(ru), "{ru} missing in {text}");
    }
    // References lead to the record they name.
    let hrefs: Vec<&str> = shown
        .iter()
        .flat_map(|v| &v.rows)
        .flat_map(|r| &r.after.parts)
        .map(|p| p.href.as_str())
        .filter(|h| !h.is_empty())
        .collect();
    assert!(hrefs.contains(&"/persons/5"), "{hrefs:?}");
    assert!(hrefs.contains(&"/accounts/9"), "{hrefs:?}");
    assert!(hrefs.contains(&"/documents/3"), "{hrefs:?}");
    // Times in the organization's zone, not UTC.
    assert_eq!(shown[0].at, "28.11.2026 01:00");
    assert_eq!(shown[0].what, "Создание: связь человека со счётом");
}

#[test]
fn views_are_marked_apart_from_changes() {
    let tz: chrono_tz::Tz = "Asia/Yekaterinburg".parse().unwrap();
    let mut v = entry("person", "view", None, json!({}));
    v.after = None;
    v.note = Some("карточка".into());
    let shown = render_bare(&[v], tz);
    assert!(shown[0].view);
    assert_eq!(shown[0].what, "Просмотр персональных данных");
}
