use super::*;
use crate::calendar::WorkCalendar;
use chrono::NaiveDate;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

#[test]
fn person_letter_counts_working_days_over_a_holiday() {
    let cal = WorkCalendar::shipped();
    // 13.02.2026 is a Friday; 23.02 is a holiday, so the 10th working day is 02.03, not 27.02.
    let a = answer_deadline(SenderKind::Person, d("2026-02-13"), None, &cal);
    assert_eq!(a.due, d("2026-03-02"));
    assert_eq!(a.rule, "written_request");
    assert!(a.basis.contains("10 рабочих дней"), "{}", a.basis);
}

#[test]
fn calendar_days_ending_on_a_holiday_move_to_the_next_working_day() {
    let cal = WorkCalendar::shipped();
    // 01.04 + 30 days = 01.05.2026, a holiday; 02–03.05 weekend → 04.05.
    let a = answer_deadline(SenderKind::HousingInspectorate, d("2026-04-01"), None, &cal);
    assert_eq!(a.due, d("2026-05-04"));
    assert!(a.basis.contains("59-ФЗ"));
}

#[test]
fn term_from_the_letter_wins() {
    let cal = WorkCalendar::shipped();
    let a = answer_deadline(
        SenderKind::Prosecutor,
        d("2026-04-01"),
        Some(d("2026-04-06")),
        &cal,
    );
    assert_eq!((a.due, a.rule.as_str()), (d("2026-04-06"), "letter_term"));
}

#[test]
fn incoming_form_names_bad_fields_in_russian() {
    let f = IncomingForm {
        received_on: Some("2026-11-28".into()),
        sender_kind: Some("martian".into()),
        sender_ref_date: Some("2026-11-29".into()),
        deadline_on: Some("31.02.2026".into()),
        ..Default::default()
    };
    let e = f.validate(d("2026-11-27")).unwrap_err();
    for field in [
        "received_on",
        "sender_kind",
        "sender_name",
        "subject",
        "sender_ref_date",
        "deadline_on",
    ] {
        assert!(e.for_field(field).is_some(), "{field}: {e}");
    }
    assert!(e.for_field("sender_name").unwrap().contains("Отправитель"));
}

#[test]
fn outgoing_tracking_only_for_post() {
    let f = OutgoingForm {
        sent_on: Some("27.11.2026".into()),
        addressee: Some("ГЖИ".into()),
        subject: Some("Ответ".into()),
        method: Some("email".into()),
        tracking_number: Some("80080012345678".into()),
        ..Default::default()
    };
    assert!(f
        .validate(d("2026-11-27"))
        .unwrap_err()
        .for_field("tracking_number")
        .is_some());
}

#[test]
fn attachments_are_sniffed_and_limited() {
    assert_eq!(
        check_attachment("C:\\scan\\письмо.pdf", b"%PDF-1.7 ...").unwrap(),
        ("письмо.pdf".into(), "application/pdf")
    );
    assert_eq!(
        check_attachment("a.png", b"\x89PNG\r\n\x1a\n....")
            .unwrap()
            .1,
        "image/png"
    );
    let e = check_attachment("virus.pdf", b"MZ\x90\x00").unwrap_err();
    assert!(e.for_field("file").unwrap().contains("не PDF"));
    let big = vec![b'%'; MAX_ATTACHMENT_BYTES + 1];
    assert!(check_attachment("big.pdf", &big)
        .unwrap_err()
        .for_field("file")
        .unwrap()
        .contains("20 МБ"));
    assert!(check_attachment("x.pdf", b"").is_err());
}
