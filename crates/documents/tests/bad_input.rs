//! Bad templates and bad data: a Russian message that names the line or the field, and no PDF.

mod common;

use abonent_documents::{samples, DocKind, Organization, RenderError};
use common::*;

fn template_error(kind: DocKind, source: &str) -> (usize, usize, String) {
    // `check` (what the admin page calls before saving) and a real render agree.
    let checked = engine().check(kind, source).expect_err("check must refuse");
    let rendered = render_with(
        kind,
        &samples::organization(),
        samples::data(kind),
        Some(source),
    )
    .expect_err("render must refuse");
    assert_eq!(checked, rendered);
    match checked {
        RenderError::Template {
            line,
            column,
            message,
        } => (line, column, message),
        other => panic!("expected a template error, got {other:?}"),
    }
}

#[test]
fn syntax_error_names_its_line() {
    let source = "#import \"/common.typ\": *\n\
                  #let d = json(\"/data.json\")\n\
                  #show: page-setup\n\
                  \n\
                  Текст #(d.address\n";
    let (line, column, message) = template_error(DocKind::RegistrationCertificate, source);
    assert_eq!(line, 5, "{message}");
    assert!(column >= 1, "{column}");
    assert!(message.contains("не закрыта"), "{message}");
    let shown = engine()
        .check(DocKind::RegistrationCertificate, source)
        .unwrap_err()
        .to_string();
    assert!(
        shown.starts_with("Ошибка в шаблоне, строка 5, позиция"),
        "{shown}"
    );
}

#[test]
fn unknown_field_names_its_line() {
    let mut source = DocKind::Letter.template().source.to_string();
    let lines_before = source.lines().count();
    source.push_str("\n#d.no_such_field\n");
    let (line, _, message) = template_error(DocKind::Letter, &source);
    assert_eq!(line, lines_before + 2, "{message}");
    assert!(message.contains("в данных нет такого поля"), "{message}");
    assert!(message.contains("no_such_field"), "{message}");
}

#[test]
fn missing_file_and_packages_are_refused() {
    let (line, _, message) = template_error(DocKind::Letter, "\n#image(\"/etc/passwd\")\n");
    assert_eq!(line, 2, "{message}");
    let (_, _, message) = template_error(DocKind::Letter, "#import \"@preview/tablex:0.0.8\": *\n");
    assert!(
        message.contains("пакет") || message.contains("package"),
        "{message}"
    );
}

#[test]
fn shipped_templates_pass_check() {
    for kind in DocKind::ALL {
        engine()
            .check(kind, kind.template().source)
            .unwrap_or_else(|e| panic!("{kind:?}: {e}"));
    }
}

fn data_error(kind: DocKind, org: &Organization, data: serde_json::Value) -> Vec<(String, String)> {
    match render_with(kind, org, data, None) {
        Err(RenderError::Data(e)) => e.0.into_iter().map(|f| (f.field, f.message)).collect(),
        Ok(_) => panic!("{kind:?}: a PDF was produced for bad input"),
        Err(other) => panic!("{kind:?}: expected a data error, got {other:?}"),
    }
}

fn message_for<'a>(errors: &'a [(String, String)], field: &str) -> &'a str {
    errors
        .iter()
        .find(|(f, _)| f == field)
        .map(|(_, m)| m.as_str())
        .unwrap_or_else(|| panic!("no error for {field}: {errors:?}"))
}

#[test]
fn missing_bic_is_refused() {
    let org = Organization {
        bic: String::new(),
        ..samples::organization()
    };
    let e = data_error(
        DocKind::PaymentDocument,
        &org,
        samples::data(DocKind::PaymentDocument),
    );
    let msg = message_for(&e, "org.bic");
    assert!(msg.contains("БИК"), "{msg}");
    assert!(msg.contains("настройках организации"), "{msg}");
}

#[test]
fn malformed_bank_details_are_refused() {
    let org = Organization {
        bic: "04452522".into(),
        ..samples::organization()
    };
    let e = data_error(
        DocKind::PaymentDocument,
        &org,
        samples::data(DocKind::PaymentDocument),
    );
    assert!(message_for(&e, "org.bic").contains("9 цифр"), "{e:?}");
    let org = Organization {
        settlement_account: "40702810138250123018".into(),
        ..samples::organization()
    };
    let e = data_error(
        DocKind::PaymentDocument,
        &org,
        samples::data(DocKind::PaymentDocument),
    );
    assert!(
        message_for(&e, "org.settlement_account").contains("ключ"),
        "{e:?}"
    );
}

#[test]
fn zero_and_negative_amounts_are_refused() {
    for amount in [0, -100] {
        let mut d = samples::payment();
        d.amount_kopecks = amount;
        let e = data_error(
            DocKind::PaymentDocument,
            &samples::organization(),
            serde_json::to_value(d).unwrap(),
        );
        let msg = message_for(&e, "amount_kopecks");
        assert!(msg.contains("больше нуля"), "{msg}");
    }
}

#[test]
fn total_other_than_the_lines_is_refused() {
    let mut d = samples::payment_with_debt();
    d.amount_kopecks -= 1;
    let e = data_error(
        DocKind::PaymentDocument,
        &samples::organization(),
        serde_json::to_value(d).unwrap(),
    );
    let msg = message_for(&e, "amount_kopecks");
    assert!(msg.contains("не равна итогу строк"), "{msg}");
}

#[test]
fn over_long_purpose_is_refused() {
    let mut d = samples::payment();
    d.purpose = Some("Оплата ".repeat(40));
    let e = data_error(
        DocKind::PaymentDocument,
        &samples::organization(),
        serde_json::to_value(d).unwrap(),
    );
    let msg = message_for(&e, "purpose");
    assert!(msg.contains("210"), "{msg}");
    assert!(msg.contains("280"), "{msg}");
}

#[test]
fn missing_director_is_refused_for_a_certificate() {
    let org = Organization {
        director_name: " ".into(),
        ..samples::organization()
    };
    let e = data_error(
        DocKind::RegistrationCertificate,
        &org,
        samples::data(DocKind::RegistrationCertificate),
    );
    assert!(
        message_for(&e, "org.director_name").contains("руководитель"),
        "{e:?}"
    );
}

#[test]
fn data_of_the_wrong_shape_is_refused() {
    let e = data_error(
        DocKind::Letter,
        &samples::organization(),
        serde_json::json!({ "subject": 5 }),
    );
    assert!(message_for(&e, "data").contains("Письмо"), "{e:?}");
    let mut d = samples::letter();
    d.paragraphs = vec!["  ".into()];
    d.subject = String::new();
    let e = data_error(
        DocKind::Letter,
        &samples::organization(),
        serde_json::to_value(d).unwrap(),
    );
    assert!(message_for(&e, "subject").contains("тему"), "{e:?}");
    assert!(message_for(&e, "paragraphs").contains("текст"), "{e:?}");
}

#[test]
fn no_debt_certificate_refused_with_a_debt() {
    let mut d = samples::no_debt();
    d.balance_kopecks = 150_000;
    let errors = data_error(
        DocKind::NoDebtCertificate,
        &samples::organization(),
        serde_json::to_value(d).unwrap(),
    );
    let m = message_for(&errors, "balance_kopecks");
    assert!(m.contains("1 500,00 ₽") && m.contains("не выдаётся"), "{m}");
}

#[test]
fn court_order_refused_without_court_or_above_the_limit() {
    let mut d = samples::court_order();
    d.court.name = " ".into();
    d.claim_limit_kopecks = 1_000_000;
    let errors = data_error(
        DocKind::CourtOrderApplication,
        &samples::organization(),
        serde_json::to_value(&d).unwrap(),
    );
    assert!(message_for(&errors, "court.name").contains("суда"));
    let m = message_for(&errors, "claim");
    assert!(
        m.contains("10 000,00 ₽") && m.contains("ГПК РФ ст. 121"),
        "{m}"
    );
    // A statement whose balances do not add up is reported, not printed.
    let mut d = samples::court_order();
    d.statement[1].closing_kopecks += 1;
    let errors = data_error(
        DocKind::CourtOrderApplication,
        &samples::organization(),
        serde_json::to_value(&d).unwrap(),
    );
    assert!(message_for(&errors, "statement[1]").contains("апрель 2026"));
}
