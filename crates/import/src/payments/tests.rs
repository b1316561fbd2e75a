use proptest::prelude::*;

use super::*;
use crate::SourceEncoding;

const GOOD: &str = "01-11-2026;09-15-02;8598/0123;12;100001;100500;Иванова Мария Петровна;г. Екатеринбург, ул. Ленина, д. 5, кв. 12;1026;1 234,56;1 222,21;12,35\r\n\
01-11-2026;10-00-00;8598/0123;12;100002;100501;Петров Пётр;ул. Мира, 8-29;1026;500.00;495.00;5.00\r\n\
=2;1734,56;1717,21;17,35;77;02-11-2026\r\n";

fn cp1251(s: &str) -> Vec<u8> {
    encoding_rs::WINDOWS_1251.encode(s).0.into_owned()
}

fn parse(bytes: &[u8]) -> Result<(RegisterSummary, Vec<RegisterPayment>), RegisterError> {
    let mut got = Vec::new();
    parse_register(bytes, &RegisterProfile::common(), |p| got.push(p)).map(|s| (s, got))
}

#[test]
fn common_register_in_windows_1251() {
    let (sum, pays) = parse(&cp1251(GOOD)).unwrap();
    assert_eq!(sum.encoding, Some(SourceEncoding::Windows1251));
    assert_eq!((sum.count, sum.amount, sum.commission), (2, 173_456, 1_735));
    assert!(sum.totals_checked);
    let p = &pays[0];
    assert_eq!(p.line, 1);
    assert_eq!(p.account, "100500");
    assert_eq!(p.full_name, "Иванова Мария Петровна");
    assert_eq!(p.period, Some((2026, 10)));
    assert_eq!(
        (p.amount, p.transfer_amount, p.commission),
        (123_456, Some(122_221), Some(1_235))
    );
    assert_eq!(p.paid_on.to_string(), "2026-11-01");
    assert_eq!(p.paid_at.map(|t| t.to_string()), Some("09:15:02".into()));
    assert_eq!(p.operation_id, "100001");
}

#[test]
fn the_same_file_in_utf8_reads_the_same() {
    let a = parse(&cp1251(GOOD)).unwrap().1;
    let b = parse(GOOD.as_bytes()).unwrap().1;
    assert_eq!(a, b);
}

#[test]
fn totals_that_disagree_reject_the_file() {
    let bad = GOOD.replace("=2;1734,56", "=2;1734,57");
    let e = parse(bad.as_bytes()).unwrap_err();
    let RegisterError::Totals { line, problems } = &e else {
        panic!("{e:?}")
    };
    assert_eq!(*line, 3);
    assert!(
        problems[0].contains("1 734,57") && problems[0].contains("1 734,56"),
        "{problems:?}"
    );
    assert!(
        e.to_string().starts_with("Строка 3: итоги не сходятся"),
        "{e}"
    );
    let bad = GOOD.replace("=2;", "=3;");
    assert!(matches!(
        parse(bad.as_bytes()),
        Err(RegisterError::Totals { .. })
    ));
}

#[test]
fn a_malformed_amount_names_the_line_and_the_value() {
    let bad = GOOD.replace("1 234,56;1 222,21", "1 234,5o;1 222,21");
    let e = parse(bad.as_bytes()).unwrap_err();
    let RegisterError::Lines { errors, .. } = &e else {
        panic!("{e:?}")
    };
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].line, 1);
    assert!(
        errors[0].message.contains("«1 234,5o»"),
        "{}",
        errors[0].message
    );
    assert!(e.to_string().contains("Строка 1:"), "{e}");
}

#[test]
fn every_bad_line_is_reported_and_no_payment_after_the_first_error_is_delivered() {
    let bad = GOOD
        .replace("01-11-2026;10-00-00", "31-02-2026;10-00-00")
        .replace("100500;Иванова", ";Иванова");
    let mut delivered = 0;
    let e = parse_register(bad.as_bytes(), &RegisterProfile::common(), |_| {
        delivered += 1
    })
    .unwrap_err();
    let RegisterError::Lines { errors, .. } = e else {
        panic!()
    };
    let lines: Vec<_> = errors.iter().map(|e| e.line).collect();
    assert_eq!(lines, [1, 2]);
    assert!(errors[1].message.contains("ДД-ММ-ГГГГ"));
    assert_eq!(delivered, 0);
}

#[test]
fn a_cut_file_without_totals_is_refused() {
    let cut: String = GOOD.lines().take(2).map(|l| format!("{l}\n")).collect();
    assert!(matches!(
        parse(cut.as_bytes()),
        Err(RegisterError::NoTotals { .. })
    ));
}

#[test]
fn payments_after_the_totals_line_are_refused() {
    let extra = format!("{GOOD}01-11-2026;10-00-00;1;1;9;100502;Х;Y;1026;1,00;1,00;0\r\n");
    let RegisterError::Lines { errors, .. } = parse(extra.as_bytes()).unwrap_err() else {
        panic!()
    };
    assert_eq!(errors[0].line, 4);
}

#[test]
fn zero_and_negative_amounts_are_refused() {
    let zero = GOOD.replace("500.00;495.00;5.00", "0;0;0");
    let RegisterError::Lines { errors, .. } = parse(zero.as_bytes()).unwrap_err() else {
        panic!()
    };
    assert!(errors[0].message.contains("больше нуля"));
}

#[test]
fn unknown_encoding_is_refused() {
    let latin1 = b"01-11-2026;09-15-02;1;1;1;100500;M\xfcller J\xf6rg;Stra\xdfe;1026;1,00;1,00;0\n=1;1,00;1,00;0\n";
    assert!(matches!(parse(latin1), Err(RegisterError::File(_))));
}

#[test]
fn a_broken_profile_is_named() {
    let mut p = RegisterProfile::common();
    p.columns.retain(|(f, _)| *f != PaymentField::Account);
    let e = parse_register(GOOD.as_bytes(), &p, |_| {}).unwrap_err();
    assert!(e.to_string().contains("лицевой счёт"), "{e}");
}

#[test]
fn wrong_separator_says_so() {
    let mut p = RegisterProfile::common();
    p.separator = '|';
    let e = parse_register(GOOD.as_bytes(), &p, |_| {}).unwrap_err();
    assert!(e.to_string().contains("разделитель «|»"), "{e}");
}

#[test]
fn account_and_period_in_free_text() {
    for (text, acc) in [
        ("Оплата ЖКУ л/с 100500 за 10.2026", Some("100500")),
        ("ЛС№ 100500, октябрь 2026", Some("100500")),
        ("лицевой счёт: 0012345", Some("0012345")),
        ("Оплата по Л.С. 777001 без НДС", Some("777001")),
        ("за класс 12345", None),
        ("оплата за октябрь", None),
    ] {
        assert_eq!(account_in_purpose(text).as_deref(), acc, "{text}");
    }
    assert_eq!(period_in_purpose("л/с 100500 за 10.2026"), Some((2026, 10)));
    assert_eq!(period_in_purpose("за октябрь 2026 г."), Some((2026, 10)));
    assert_eq!(period_in_purpose("период 2026-03"), Some((2026, 3)));
    assert_eq!(period_in_purpose("за май 2025"), Some((2025, 5)));
    assert_eq!(period_in_purpose("за 13.2026"), None);
    assert_eq!(period_in_purpose("март"), None);
}

const STATEMENT: &str = "1CClientBankExchange\r\nВерсияФормата=1.03\r\nКодировка=Windows\r\n\
СекцияРасчСчет\r\nРасчСчет=40702810900000000001\r\nКонецРасчСчет\r\n\
СекцияДокумент=Платежное поручение\r\nНомер=15\r\nДата=03.11.2026\r\nСумма=2500.00\r\n\
ПлательщикСчет=40817810000000000123\r\nПлательщик1=Сидоров Сергей Сергеевич\r\nПлательщикИНН=\r\n\
ПолучательСчет=40702810900000000001\r\nНазначениеПлатежа=Оплата ЖКУ л/с 100500 за 10.2026\r\n\
ДатаПоступило=03.11.2026\r\nКонецДокумента\r\n\
СекцияДокумент=Платежное поручение\r\nНомер=16\r\nДата=03.11.2026\r\nСумма=10000.00\r\n\
ПлательщикСчет=40702810900000000001\r\nПлательщик=ООО УК\r\n\
ПолучательСчет=40702810500000000999\r\nНазначениеПлатежа=Оплата по договору подряда\r\nКонецДокумента\r\nКонецФайла\r\n";

#[test]
fn client_bank_statement_keeps_only_credits_to_our_account() {
    let s = parse_client_bank(&cp1251(STATEMENT), Some("40702810900000000001")).unwrap();
    assert_eq!(s.encoding, "windows-1251");
    assert_eq!((s.documents.len(), s.skipped), (1, 1));
    let d = &s.documents[0];
    assert_eq!(d.amount, 250_000);
    assert_eq!(d.payer, "Сидоров Сергей Сергеевич");
    assert_eq!(d.account.as_deref(), Some("100500"));
    assert_eq!(d.period, Some((2026, 10)));
    assert_eq!(d.line, 7);
}

#[test]
fn client_bank_errors_name_the_document() {
    let bad = STATEMENT.replace("Сумма=2500.00", "Сумма=2 5OO");
    let RegisterError::Lines { errors, .. } = parse_client_bank(bad.as_bytes(), None).unwrap_err()
    else {
        panic!()
    };
    assert_eq!(errors[0].line, 7);
    assert!(errors[0].message.contains("«2 5OO»"));
    let cut = &STATEMENT[..STATEMENT.find("КонецДокумента").unwrap()];
    assert!(parse_client_bank(cut.as_bytes(), None).is_err());
    assert!(parse_client_bank(b"hello", None).is_err());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// No input makes the parsers panic.
    #[test]
    fn fuzz_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let _ = parse_register(&bytes, &RegisterProfile::common(), |_| {});
        let _ = parse_client_bank(&bytes, None);
        let _ = account_in_purpose(&String::from_utf8_lossy(&bytes));
        let _ = period_in_purpose(&String::from_utf8_lossy(&bytes));
    }

    /// Register-shaped lines with random cells: either accepted with matching totals or
    /// rejected with a line number inside the file.
    #[test]
    fn fuzz_register_lines(cells in proptest::collection::vec("[0-9 ,.=;а-яA-Z-]{0,12}", 0..40)) {
        let text = cells.chunks(12).map(|c| c.join(";")).collect::<Vec<_>>().join("\n");
        let lines = text.lines().count();
        match parse_register(text.as_bytes(), &RegisterProfile::common(), |_| {}) {
            Ok(s) => prop_assert!(s.totals_checked && s.count > 0),
            Err(RegisterError::Lines { errors, .. }) => {
                prop_assert!(errors.iter().all(|e| e.line >= 1 && e.line <= lines.max(1)))
            }
            Err(_) => {}
        }
    }
}
