//! Every shipped template on sample data: the PDF reads back in Russian, fonts are embedded,
//! the same input gives the same bytes.

mod common;

use abonent_documents::{samples, DocKind, RenderRequest};
use common::*;

fn assert_contains_all(kind: DocKind, text: &str, expected: &[&str]) {
    for s in expected {
        assert!(
            text.contains(s),
            "{kind:?}: «{s}» not in the PDF text:\n{text}"
        );
    }
}

/// The letterhead every document except the payment form carries.
const LETTERHEAD: [&str; 7] = [
    "ООО «Управляющая компания „Наш дом“»",
    "ИНН 7701234560, КПП 770101001, ОГРН 1027700000012",
    "125009, г. Москва, ул. Тверская, д. 7, офис 12",
    "тел. +7 (495) 123-45-67",
    "e-mail: info@nash-dom.example",
    "р/с 40702810138250123017 в ПАО СБЕРБАНК, БИК 044525225, к/с 30101810400000000225",
    "Страница 1 из 1",
];

#[test]
fn registration_certificate_reads_back() {
    let text = flat_text(&render_sample(DocKind::RegistrationCertificate));
    assert_contains_all(DocKind::RegistrationCertificate, &text, &LETTERHEAD);
    assert_contains_all(
        DocKind::RegistrationCertificate,
        &text,
        &[
            "СПРАВКА О РЕГИСТРАЦИИ",
            "№ ТЕСТ-24 от «27» ноября 2026 г.",
            "г. Москва, ул. Ленина, д. 1, кв. 5",
            "зарегистрированы (3 чел.)",
            "Иванова Мария Петровна",
            "15.03.1970",
            "по месту пребывания до 01.06.2027",
            "Генеральный директор",
            "Соколов А. В.",
        ],
    );
}

// Issue 14 §1: a kind or kinship nobody recorded prints nothing — never «по месту
// жительства» invented for a person who may be registered temporarily.
#[test]
fn registration_certificate_prints_nothing_for_what_is_unknown() {
    let mut d = samples::certificate();
    for p in &mut d.persons {
        p.registration = None;
        p.relation = None;
    }
    let data = serde_json::to_value(d).unwrap();
    let pdf = render_with(
        DocKind::RegistrationCertificate,
        &samples::organization(),
        data,
        None,
    )
    .unwrap();
    let text = flat_text(&pdf);
    assert!(text.contains("Иванова Мария Петровна"), "{text}");
    for word in [
        "по месту жительства",
        "по месту пребывания",
        "собственник",
        "жена",
    ] {
        assert!(!text.contains(word), "«{word}» printed:\n{text}");
    }
}

#[test]
fn account_statement_reads_back() {
    let pdf = render_sample(DocKind::AccountStatement);
    // Label and value stand side by side: read by rows.
    let rows = normalized_layout(&pdf);
    assert_contains_all(
        DocKind::AccountStatement,
        &rows,
        &[
            "Общая площадь: 54,3 м²",
            "Жилая площадь: 32,1 м²",
            "Количество комнат: 2",
        ],
    );
    let text = flat_text(&pdf);
    assert_contains_all(DocKind::AccountStatement, &text, &LETTERHEAD);
    assert_contains_all(
        DocKind::AccountStatement,
        &text,
        &[
            "ВЫПИСКА ИЗ ЛИЦЕВОГО СЧЁТА",
            "Иванова Мария Петровна",
            "Ветеран труда",
            "Задолженность",
            "1 234,56 ₽",
            "одна тысяча двести тридцать четыре рубля 56 копеек",
        ],
    );
}

/// The text read both ways: the flat reading keeps sentences whole, the layout reading keeps
/// a table's rows whole (without -layout, pdftotext reads a table column by column).
fn read_both(pdf: &[u8]) -> String {
    format!("{}\n{}", flat_text(pdf), normalized_layout(pdf))
}

#[test]
fn payment_document_reads_back() {
    let pdf = render_sample(DocKind::PaymentDocument);
    let text = flat_text(&pdf);
    assert_contains_all(
        DocKind::PaymentDocument,
        &text,
        &[
            "ПЛАТЁЖНЫЙ ДОКУМЕНТ (КВИТАНЦИЯ)",
            "за ноябрь 2026 г.",
            "ИЗВЕЩЕНИЕ",
            "ИНН 7701234560 КПП 770101001",
            "БИК 044525225, к/с 30101810400000000225",
            "Иванов Иван Иванович, лицевой счёт № 1001",
            "Оплата ЖКУ за ноябрь 2026 г., л/с 1001",
            "5 234,56 ₽",
            "пять тысяч двести тридцать четыре рубля 56 копеек",
            "оплатить до 10.12.2026",
            "Оплатить до: 10.12.2026",
            "Страница 1 из 1",
        ],
    );
    // The table's rows as laid out (pdftotext without -layout reads a table by columns).
    assert_contains_all(
        DocKind::PaymentDocument,
        &normalized_layout(&pdf),
        &[
            // Each service with unit, volume, tariff, charge, recalculation, paid, due.
            "1 Содержание жилого помещения м² 54,3 57,46 3 120,00 0,00 0,00 3 120,00",
            "2 Обращение с ТКО 2 214,56 -100,00 0,00 2 114,56",
            "Итого за ноябрь 2026 г. 5 234,56",
            "Итого к оплате, ₽ 5 234,56",
        ],
    );
}

/// The debt of other periods and the penalties are lines of their own, in the total and in
/// the purpose (which names the periods and the penalty part).
#[test]
fn payment_document_with_debt_and_penalties_reads_back() {
    let pdf = render_with(
        DocKind::PaymentDocument,
        &samples::organization(),
        serde_json::to_value(samples::payment_with_debt()).unwrap(),
        None,
    )
    .unwrap();
    let text = read_both(&pdf);
    assert_contains_all(
        DocKind::PaymentDocument,
        &text,
        &[
            "Задолженность за сентябрь 2024 г. — октябрь 2026 г. 45 000,00",
            "Пени (ЖК РФ ст. 155 ч. 14) 1 234,56",
            "Итого к оплате, ₽ 51 469,12",
            "Оплата ЖКУ за ноябрь 2026 г. и долга за 09.2024-10.2026, в т.ч. пени 1 234,56, л/с 1001",
            "(в т.ч. пени 1 234,56)",
        ],
    );
    // A debt-only document names the periods it covers, not one month.
    let pdf = render_with(
        DocKind::PaymentDocument,
        &samples::organization(),
        serde_json::to_value(samples::payment_debt_only()).unwrap(),
        None,
    )
    .unwrap();
    let text = read_both(&pdf);
    assert_contains_all(
        DocKind::PaymentDocument,
        &text,
        &[
            "Задолженность за сентябрь 2024 г. — октябрь 2026 г.",
            "Оплата долга за 09.2024-10.2026 по ЖКУ, в т.ч. пени 1 234,56, л/с 1001",
            "Итого к оплате, ₽ 46 234,56",
        ],
    );
    assert!(!text.contains("Итого за ноябрь"), "{text}");
}

#[test]
fn letter_reads_back() {
    let text = flat_text(&render_sample(DocKind::Letter));
    assert_contains_all(DocKind::Letter, &text, &LETTERHEAD);
    assert_contains_all(
        DocKind::Letter,
        &text,
        &[
            "Исх. № ТЕСТ-6",
            "от 27.11.2026",
            "На № 15 от 01.11.2026",
            "Иванову И. И.",
            "О перерасчёте платы за отопление",
            "Уважаемый Иван Иванович!",
            "будет отражён в платёжном документе за ноябрь 2026 г.",
            "Исп. Петрова А. А.",
        ],
    );
}

#[test]
fn fonts_are_embedded_and_are_ours() {
    for kind in DocKind::ALL {
        let fonts = pdf_fonts(&render_sample(kind));
        assert!(!fonts.is_empty(), "{kind:?}: no fonts");
        for (name, embedded) in fonts {
            assert!(embedded, "{kind:?}: {name} not embedded");
            assert!(
                name.contains("NotoSerif"),
                "{kind:?}: unexpected font {name}"
            );
        }
    }
}

#[test]
fn same_input_same_bytes() {
    for kind in DocKind::ALL {
        let a = render_sample(kind);
        // Another engine: nothing cached may change the output.
        let other = abonent_documents::Engine::new();
        let org = samples::organization();
        let b = other
            .render(&RenderRequest {
                kind,
                template_override: None,
                org: &org,
                data: samples::data(kind),
                reg_number: format!("ТЕСТ-{}", kind.code().len()),
                issued_on: samples::date(),
            })
            .unwrap();
        assert!(a == b, "{kind:?}: two renders differ");
        assert!(a.starts_with(b"%PDF-"), "{kind:?}: not a PDF");
    }
}

#[test]
fn long_table_breaks_pages_and_numbers_them() {
    let mut data = samples::certificate();
    let person = data.persons[0].clone();
    data.persons = (0..80)
        .map(|i| abonent_documents::data::RegisteredPerson {
            full_name: format!("{} {i}", person.full_name),
            ..person.clone()
        })
        .collect();
    let pdf = render_with(
        DocKind::RegistrationCertificate,
        &samples::organization(),
        serde_json::to_value(data).unwrap(),
        None,
    )
    .unwrap();
    let text = flat_text(&pdf);
    assert!(text.contains("зарегистрированы (80 чел.)"), "{text}");
    let pages = text.matches("Страница ").count();
    assert!(pages >= 2, "{pages} pages");
    assert!(text.contains(&format!("Страница 1 из {pages}")), "{text}");
    assert!(
        text.contains(&format!("Страница {pages} из {pages}")),
        "{text}"
    );
    assert!(text.contains("Иванов Иван Иванович 79"), "last row lost");
}

#[test]
fn extra_data_keys_reach_an_edited_template() {
    let mut data = samples::data(DocKind::Letter);
    data["footer_note"] = "Ответ подготовлен по обращению в ГЖИ".into();
    let template = format!("{}\n#d.footer_note\n", DocKind::Letter.template().source);
    let pdf = render_with(
        DocKind::Letter,
        &samples::organization(),
        data,
        Some(&template),
    )
    .unwrap();
    assert!(flat_text(&pdf).contains("Ответ подготовлен по обращению в ГЖИ"));
}

#[test]
fn batch_renders_all_with_progress() {
    use std::sync::Mutex;
    let org = samples::organization();
    let seen = Mutex::new(Vec::new());
    let reqs = (0..24).map(|i| {
        let mut d = samples::payment();
        d.lines[1].due_kopecks += i;
        d.amount_kopecks = d.lines_total();
        d.account = format!("{}", 2000 + i);
        RenderRequest {
            kind: DocKind::PaymentDocument,
            template_override: None,
            org: &org,
            data: serde_json::to_value(d).unwrap(),
            reg_number: format!("КВ-{i}"),
            issued_on: samples::date(),
        }
    });
    engine().render_batch(reqs, 2, |i, r| {
        let pdf = r.expect("batch item renders");
        seen.lock().unwrap().push((i, pdf));
    });
    let mut seen = seen.into_inner().unwrap();
    seen.sort_by_key(|(i, _)| *i);
    assert_eq!(
        seen.iter().map(|(i, _)| *i).collect::<Vec<_>>(),
        (0..24).collect::<Vec<_>>()
    );
    // Each result belongs to its request.
    let text = flat_text(&seen[7].1);
    assert!(text.contains("лицевой счёт № 2007"), "{text}");
    assert!(text.contains("5 234,63 ₽"), "{text}");
}

#[test]
fn letter_signer_replaces_the_director() {
    let mut d = samples::letter();
    d.signer_title = Some("Главный инженер".into());
    d.signer_name = Some("Петров П. П.".into());
    let pdf = render_with(
        DocKind::Letter,
        &samples::organization(),
        serde_json::to_value(d).unwrap(),
        None,
    )
    .unwrap();
    let text = flat_text(&pdf);
    assert!(text.contains("Главный инженер"), "{text}");
    assert!(text.contains("Петров П. П."), "{text}");
    assert!(!text.contains("Соколов А. В."), "{text}");
}

#[test]
fn penalty_calculation_reads_back() {
    let pdf = render_sample(DocKind::PenaltyCalculation);
    let text = flat_text(&pdf);
    let d = samples::penalty();
    let total = abonent_domain::money::format_amount(d.total_kopecks);
    assert_contains_all(
        DocKind::PenaltyCalculation,
        &text,
        &[
            "РАСЧЁТ ПЕНИ",
            "март 2026",
            "5 234,56 × 60 × 1/300 × 9,5%",
            "16.05.2026",
            "1/130",
            &format!("Итого пени {total}"),
            "ЖК РФ ст. 155 ч. 14",
        ],
    );
    // Label and value share a row in the layout.
    let layout = normalized_layout(&pdf);
    assert_contains_all(
        DocKind::PenaltyCalculation,
        &layout,
        &["Лицевой счёт: 1001", "Плательщик: Иванов Иван Иванович"],
    );
}

#[test]
fn court_order_application_reads_back() {
    let text = flat_text(&render_sample(DocKind::CourtOrderApplication));
    let d = samples::court_order();
    let rub = abonent_domain::money::format_rub;
    assert_contains_all(
        DocKind::CourtOrderApplication,
        &text,
        &[
            "Мировому судье судебного участка № 3 Тверского района г. Москвы",
            "125009, г. Москва, ул. Большая Никитская, д. 15",
            "ИНН 7701234560, ОГРН 1027700000012",
            "Должник: Иванов Иван Иванович",
            "взыскании с должника Иванова Ивана Ивановича в пользу",
            "дата рождения: 15.03.1970, место рождения: не известно",
            "паспорт 4510 123456",
            &format!("Цена требования: {}", rub(d.claim_kopecks())),
            &format!("Государственная пошлина: {}", rub(d.duty.duty_kopecks)),
            "ЗАЯВЛЕНИЕ о вынесении судебного приказа",
            "март 2026 — апрель 2026",
            &rub(d.debt_kopecks()),
            "Расчёт задолженности",
            "Расчёт пени",
            "Выписка из лицевого счёта",
            "Расчёт государственной пошлины",
            "НК РФ ст. 333.19",
            "за пределами срока исковой давности",
            "май 2023",
            "1 812,40",
        ],
    );
}

#[test]
fn ledger_statement_and_no_debt_read_back() {
    let text = normalized_layout(&render_sample(DocKind::LedgerStatement));
    assert_contains_all(
        DocKind::LedgerStatement,
        &text,
        &[
            "ВЫПИСКА ПО ЛИЦЕВОМУ СЧЁТУ",
            "Период: март 2026 — май 2026",
            "май 2026 10 046,86 4 950,00 -150,00 0,00 4 800,00 10 046,86",
            "Итого 0,00 14 996,86 -150,00 0,00 4 800,00 10 046,86",
        ],
    );
    let text = flat_text(&render_sample(DocKind::NoDebtCertificate));
    assert_contains_all(
        DocKind::NoDebtCertificate,
        &text,
        &[
            "СПРАВКА ОБ ОТСУТСТВИИ ЗАДОЛЖЕННОСТИ",
            "по состоянию на 27.11.2026 задолженности",
            "Переплата составляет 123,45 ₽",
            "октябрь 2026",
        ],
    );
}

/// Several documents as one PDF for printing: every page of each, in order, each with its
/// own page numbers.
#[test]
fn combined_pdf_keeps_every_document_in_order() {
    let org = samples::organization();
    let req = |kind: DocKind, number: &str| RenderRequest {
        kind,
        template_override: None,
        org: &org,
        data: samples::data(kind),
        reg_number: number.into(),
        issued_on: samples::date(),
    };
    let pdf = engine()
        .render_combined([
            req(DocKind::DebtNotice, "УЗ-1/26"),
            req(DocKind::PaymentDocument, "П-2/26"),
            req(DocKind::DebtNotice, "УЗ-3/26"),
        ])
        .unwrap();
    let text = flat_text(&pdf);
    let (a, b, c) = (
        text.find("УЗ-1/26").expect("first"),
        text.find("П-2/26").expect("second"),
        text.find("УЗ-3/26").expect("third"),
    );
    assert!(a < b && b < c, "{text}");
    assert_eq!(text.matches("Страница 1 из").count(), 3, "{text}");
    assert!(engine().render_combined(Vec::new()).is_err());
}
