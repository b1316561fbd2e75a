use super::*;

const EXAMPLE: &str = "ST00012|Name=ООО \"УК\"|PersonalAcc=40702810138250123017|\
BankName=ПАО СБЕРБАНК|BIC=044525225|CorrespAcc=30101810400000000225|PayeeINN=7701234567|\
Sum=123456|Purpose=ЖКУ 03.2026|PersAcc=1001";

fn example() -> PaymentQr {
    PaymentQr {
        name: "ООО \"УК\"".into(),
        personal_acc: "40702810138250123017".into(),
        bank_name: "ПАО СБЕРБАНК".into(),
        bic: "044525225".into(),
        corresp_acc: "30101810400000000225".into(),
        payee_inn: Some("7701234567".into()),
        sum_kopecks: Some(123_456),
        purpose: Some("ЖКУ 03.2026".into()),
        pers_acc: Some("1001".into()),
        encoding: QrEncoding::Utf8,
        ..Default::default()
    }
}

#[test]
fn regulations_example_exactly() {
    assert_eq!(example().build().unwrap(), EXAMPLE);
    assert!(example().warnings().is_empty());
}

#[test]
fn auto_encoding_picks_windows_1251_when_possible() {
    let mut q = PaymentQr {
        encoding: QrEncoding::Auto,
        ..example()
    };
    // The example's text is all windows-1251: only the digit differs.
    let auto = q.build().unwrap();
    assert_eq!(auto, EXAMPLE.replacen("ST00012", "ST00011", 1));
    let bytes = q.build_bytes().unwrap();
    assert_eq!(&bytes[..8], b"ST00011|");
    assert!(bytes.contains(&0xCE)); // «О» in windows-1251
    assert_eq!(bytes.len(), auto.chars().count());
    // A character outside windows-1251 switches to UTF-8.
    q.purpose = Some("ЖКУ ₽ 03.2026".into());
    assert!(q.build().unwrap().starts_with("ST00012|"));
    assert_eq!(q.build_bytes().unwrap(), q.build().unwrap().into_bytes());
    // Forced windows-1251 refuses it, naming the field.
    q.encoding = QrEncoding::Windows1251;
    let e = q.build().unwrap_err();
    assert!(e.for_field("purpose").unwrap().contains("«₽»"));
}

#[test]
fn all_optional_fields_in_order() {
    let q = PaymentQr {
        kpp: Some("770101001".into()),
        last_name: Some("Иванов".into()),
        first_name: Some("Иван".into()),
        middle_name: Some("Иванович".into()),
        payer_address: Some("г. Москва, ул. Ленина, д. 1, кв. 2".into()),
        flat: Some("2".into()),
        phone: Some("+79123456789".into()),
        paym_period: Some("032026".into()),
        add_amount_kopecks: Some(1_050),
        tech_code: Some("02".into()),
        ..example()
    };
    let s = q.build().unwrap();
    let keys: Vec<&str> = s
        .split('|')
        .skip(1)
        .map(|p| p.split('=').next().unwrap())
        .collect();
    assert_eq!(
        keys,
        [
            "Name",
            "PersonalAcc",
            "BankName",
            "BIC",
            "CorrespAcc",
            "PayeeINN",
            "KPP",
            "Sum",
            "Purpose",
            "LastName",
            "FirstName",
            "MiddleName",
            "PayerAddress",
            "PersAcc",
            "Flat",
            "Phone",
            "PaymPeriod",
            "AddAmount",
            "TechCode",
        ]
    );
    assert!(s.ends_with("|PaymPeriod=032026|AddAmount=1050|TechCode=02"));
}

#[test]
fn blank_optional_fields_are_left_out() {
    let q = PaymentQr {
        kpp: Some("  ".into()),
        purpose: Some(String::new()),
        ..example()
    };
    let s = q.build().unwrap();
    assert!(!s.contains("KPP=") && !s.contains("Purpose="));
}

#[test]
fn every_field_is_checked_with_a_named_russian_message() {
    let q = PaymentQr {
        name: "А".repeat(161),
        personal_acc: "4070281013825012301".into(),
        bank_name: "Б".repeat(46),
        bic: "04452522A".into(),
        corresp_acc: "301018104000000002250".into(),
        payee_inn: Some("77012345678".into()),
        kpp: Some("77010100".into()),
        sum_kopecks: Some(0),
        purpose: Some("В".repeat(211)),
        paym_period: Some("132026".into()),
        add_amount_kopecks: Some(-1),
        tech_code: Some("16".into()),
        ..Default::default()
    };
    let e = q.validate();
    let expect = [
        ("name", "не длиннее 160 символов, сейчас 161"),
        ("bank_name", "не длиннее 45"),
        ("purpose", "не длиннее 210"),
        ("personal_acc", "ровно 20 цифр"),
        ("bic", "ровно 9 цифр"),
        ("corresp_acc", "ровно 20 цифр"),
        ("payee_inn", "10 или 12 цифр"),
        ("kpp", "9 знаков"),
        ("sum_kopecks", "больше нуля"),
        ("add_amount_kopecks", "больше нуля"),
        ("paym_period", "ММГГГГ"),
        ("tech_code", "от 01 до 15"),
    ];
    for (field, needle) in expect {
        let msg = e.for_field(field).unwrap_or_else(|| panic!("{field}: {e}"));
        assert!(msg.contains(needle), "{field}: {msg}");
    }
    assert!(q.build().is_err());
    // Empty mandatory text fields.
    let e = PaymentQr::default().validate();
    assert!(e.for_field("name").unwrap().contains("укажите"));
    assert!(e.for_field("bank_name").unwrap().contains("укажите"));
}

#[test]
fn limits_count_characters_not_bytes() {
    let ok = PaymentQr {
        name: "Ж".repeat(160),
        bank_name: "Щ".repeat(45),
        purpose: Some("Ю".repeat(210)),
        ..example()
    };
    assert!(ok.validate().is_empty(), "{}", ok.validate());
}

#[test]
fn accepted_formats() {
    for (inn, kpp) in [("7701234567", "770101001"), ("770123456789", "7701AB001")] {
        let q = PaymentQr {
            payee_inn: Some(inn.into()),
            kpp: Some(kpp.into()),
            tech_code: Some("15".into()),
            paym_period: Some("122025".into()),
            ..example()
        };
        assert!(q.validate().is_empty(), "{}", q.validate());
    }
    for kpp in ["7701ab001", "77010100A", "770 01001"] {
        let q = PaymentQr {
            kpp: Some(kpp.into()),
            ..example()
        };
        assert!(q.validate().for_field("kpp").is_some(), "{kpp}");
    }
    for period in ["002026", "3.2026", "03202"] {
        let q = PaymentQr {
            paym_period: Some(period.into()),
            ..example()
        };
        assert!(q.validate().for_field("paym_period").is_some(), "{period}");
    }
}

#[test]
fn separator_and_control_characters_are_rejected() {
    let q = PaymentQr {
        name: "ООО «Дом|Сервис»".into(),
        purpose: Some("ЖКУ\n03.2026".into()),
        pers_acc: Some("10|01".into()),
        ..example()
    };
    let e = q.validate();
    assert!(e.for_field("name").unwrap().contains("«|»"));
    assert!(e.for_field("pers_acc").unwrap().contains("«|»"));
    assert!(e.for_field("purpose").unwrap().contains("управляющие"));
    assert!(q.build().is_err());
}

#[test]
fn account_key_mismatch_is_an_error_or_a_warning() {
    // Key digit (9th) changed from 1 to 2.
    let q = PaymentQr {
        personal_acc: "40702810238250123017".into(),
        corresp_acc: "30101810400000000226".into(),
        ..example()
    };
    let e = q.validate();
    assert!(e
        .for_field("personal_acc")
        .unwrap()
        .contains("контрольный ключ"));
    assert!(e
        .for_field("corresp_acc")
        .unwrap()
        .contains("контрольный ключ"));
    assert!(q.build().is_err());
    let lenient = PaymentQr {
        account_key_as_warning: true,
        ..q
    };
    assert!(lenient.build().is_ok());
    assert_eq!(lenient.warnings().0.len(), 2);
}
