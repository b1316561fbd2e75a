//! From a file to registry rows: column guessing, validation, errors naming line and column.

use abonent_domain::registry::{AccountNumberFormat, LinkRole};
use abonent_import::{
    map_registry, read_table, ColumnMapping, RegistryDefaults, RegistryField as F, RegistryImport,
    RowError,
};
use chrono::NaiveDate;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()
}

fn defaults() -> RegistryDefaults {
    RegistryDefaults {
        region: "Свердловская обл.".into(),
        city: "г. Екатеринбург".into(),
        opened_on: "2026-01-01".into(),
        account_format: AccountNumberFormat::default(),
    }
}

fn import(csv: &str) -> RegistryImport {
    let t = read_table(csv.as_bytes()).unwrap();
    map_registry(&t, &ColumnMapping::guess(&t.headers), &defaults(), today())
}

fn headers(h: &[&str]) -> Vec<String> {
    h.iter().map(|s| s.to_string()).collect()
}

fn errors_of(r: &RegistryImport, line: usize) -> Vec<&RowError> {
    r.errors.iter().filter(|e| e.line == line).collect()
}

#[test]
fn guesses_one_c_export_headers() {
    let m = ColumnMapping::guess(&headers(&[
        "№ п/п",
        "Номер ЛС",
        "Адрес",
        "ФИО собственника",
        "Доля в праве",
        "Общая площадь, кв.м",
        "Телефон",
        "Эл. почта",
        "Дата рождения",
        "Статус",
        "Льгота",
        "Дата открытия",
        "Кол-во проживающих",
    ]));
    let expect = [
        (F::AccountNumber, 1),
        (F::Address, 2),
        (F::FullName, 3),
        (F::Share, 4),
        (F::Area, 5),
        (F::Phones, 6),
        (F::Email, 7),
        (F::BirthDate, 8),
        (F::Role, 9),
        (F::BenefitCategory, 10),
        (F::OpenedOn, 11),
    ];
    for (f, c) in expect {
        assert_eq!(m.get(f), Some(c), "{}", f.code());
    }
    assert_eq!(m.field_of(0), None);
    assert_eq!(m.field_of(12), None);
}

#[test]
fn guesses_split_columns_case_and_yo_insensitively() {
    let m = ColumnMapping::guess(&headers(&[
        "ЛИЦЕВОЙ СЧЁТ",
        "Населённый пункт",
        "улица",
        "Дом",
        "Корп.",
        "Кв.",
        "Фамилия",
        "Имя",
        "Отчество",
        "E-mail",
        "Категория льготы",
        "Документ на льготу",
        "Льгота с",
        "Роль",
        "Жилое",
        "Комнат",
        "Подъезд",
        "Этаж",
    ]));
    let expect = [
        F::AccountNumber,
        F::City,
        F::Street,
        F::House,
        F::Korpus,
        F::Flat,
        F::LastName,
        F::FirstName,
        F::MiddleName,
        F::Email,
        F::BenefitCategory,
        F::BenefitDocument,
        F::BenefitFrom,
        F::Role,
        F::Residential,
        F::Rooms,
        F::Entrance,
        F::Floor,
    ];
    for (c, f) in expect.into_iter().enumerate() {
        assert_eq!(m.get(f), Some(c), "{}", f.code());
    }
    let m = ColumnMapping::guess(&headers(&["ЛС", "Квартира", "Помещение"]));
    assert_eq!(m.get(F::Flat), Some(1), "the first flat-like column wins");
}

#[test]
fn mapping_round_trips_as_json() {
    let m = ColumnMapping::guess(&headers(&["ЛС", "Адрес", "Телефон"]));
    let json = serde_json::to_string(&m).unwrap();
    assert_eq!(json, r#"{"account_number":0,"address":1,"phones":2}"#);
    let back: ColumnMapping = serde_json::from_str(&json).unwrap();
    assert_eq!(back, m);
}

#[test]
fn valid_rows_become_forms() {
    let r = import(
        "ЛС;Адрес;ФИО;Статус;Доля;Телефон;Площадь;Льгота;Льгота с\n\
100234;г. Екатеринбург, ул. Ленина, д. 5, корп. 1, кв. 12;Иванов Пётр Сергеевич;собственник;1/2;8 912 345-67-89;54,3;Ветеран труда;01.03.2020\n\
100234;г. Екатеринбург, ул. Ленина, д. 5, корп. 1, кв. 12;Иванова Мария Петровна;Собственник;1/2;;54,3;;\n\
100300;Мира 7-3;;;;;;;\n",
    );
    assert_eq!(r.errors, []);
    assert_eq!((r.rows.len(), r.total_rows), (3, 3));
    let first = &r.rows[0];
    assert_eq!(first.line, 2);
    assert_eq!(first.building.street.as_deref(), Some("ул. Ленина"));
    assert_eq!(first.building.korpus.as_deref(), Some("1"));
    assert_eq!(first.building.region.as_deref(), Some("Свердловская обл."));
    assert_eq!(first.premises.number.as_deref(), Some("12"));
    assert_eq!(first.premises.building_id, None);
    assert_eq!(first.account.premises_id, None);
    assert_eq!(first.account.opened_on.as_deref(), Some("2026-01-01"));
    let p = first.person.as_ref().unwrap();
    assert_eq!(
        (
            p.last_name.as_deref(),
            p.first_name.as_deref(),
            p.middle_name.as_deref()
        ),
        (Some("Иванов"), Some("Пётр"), Some("Сергеевич"))
    );
    assert_eq!(first.link_role, Some(LinkRole::Owner));
    assert_eq!(first.link_share.as_deref(), Some("1/2"));
    let b = first.benefit.as_ref().unwrap();
    assert_eq!(b.category.as_deref(), Some("Ветеран труда"));
    assert_eq!(b.from_date.as_deref(), Some("01.03.2020"));
    assert_eq!(b.person_id, None);
    // Premises-only row: city from defaults, no person.
    let last = &r.rows[2];
    assert_eq!(last.building.city.as_deref(), Some("г. Екатеринбург"));
    assert_eq!(last.building.house.as_deref(), Some("7"));
    assert!(last.person.is_none() && last.link_role.is_none());
}

#[test]
fn bad_phone_in_row_3_is_named() {
    let r = import(
        "ЛС;Улица;Дом;Кв;ФИО;Телефон\n\
1;Ленина;5;1;Иванов Пётр;89123456789\n\
2;Ленина;5;2;Петров Иван;12-34\n\
3;Ленина;5;3;Сидоров Олег;+7 912 000-00-00\n",
    );
    assert_eq!(r.rows.len(), 2);
    assert_eq!(r.errors.len(), 1, "{:?}", r.errors);
    let e = &r.errors[0];
    assert_eq!((e.line, e.field.as_str()), (3, "phones"));
    assert!(e.message.contains("«Телефон»"), "{}", e.message);
    assert!(e.message.contains("12-34"), "{}", e.message);
}

#[test]
fn every_bad_row_is_reported() {
    let r = import(
        "ЛС;Адрес;ФИО;Эл. почта;Дата открытия;Статус\n\
1;Ленина 5-1;Иванов Пётр;ivanov.mail.ru;;\n\
;Ленина 5-2;Петров Иван;;;\n\
3;Ленина 5;Сидоров Олег;;;\n\
4;Ленина 5-4;Козлов;;31.02.2026;\n\
5;Ленина 5-5;Орлов Илья;;;сосед\n\
6;Ленина 5-6;Егоров Иван;;;наниматель\n",
    );
    assert_eq!(r.total_rows, 6);
    assert_eq!(r.rows.len(), 1);
    assert_eq!(r.rows[0].line, 7);
    let at = |line: usize, field: &str| {
        errors_of(&r, line)
            .into_iter()
            .find(|e| e.field == field)
            .unwrap_or_else(|| panic!("no {field} error on line {line}: {:?}", r.errors))
            .message
            .clone()
    };
    assert!(at(2, "email").contains("«Эл. почта»"));
    assert!(at(3, "account_number").contains("«ЛС»"));
    assert!(
        at(4, "address").contains("Квартира"),
        "{}",
        at(4, "address")
    );
    assert!(at(5, "full_name").contains("Иванов Пётр Сергеевич"));
    assert!(at(5, "opened_on").contains("31.02.2026"));
    assert!(at(6, "role").contains("сосед"));
    let lines: Vec<usize> = r.errors.iter().map(|e| e.line).collect();
    assert!(lines.windows(2).all(|w| w[0] <= w[1]), "sorted: {lines:?}");
}

#[test]
fn duplicate_account_with_another_address() {
    let r = import(
        "ЛС;Улица;Дом;Кв;ФИО\n\
100;Ленина;5;1;Иванов Пётр\n\
100;Ленина;5;1;Иванова Анна\n\
200;Мира;1;1;Петров Иван\n\
100;Ленина;5;2;Сидоров Олег\n",
    );
    assert_eq!(r.rows.iter().map(|r| r.line).collect::<Vec<_>>(), [4]);
    let e2 = errors_of(&r, 2);
    let e5 = errors_of(&r, 5);
    assert_eq!((e2.len(), e5.len()), (1, 1), "{:?}", r.errors);
    assert_eq!(e5[0].field, "account_number");
    for e in [e2[0], e5[0]] {
        assert!(e.message.contains("строках 2 и 5"), "{}", e.message);
    }
}

#[test]
fn missing_columns_and_defaults() {
    let t = read_table("ЛС;Телефон\n1;89120000000\n".as_bytes()).unwrap();
    let r = map_registry(&t, &ColumnMapping::guess(&t.headers), &defaults(), today());
    let fields: Vec<&str> = r.errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["street", "house", "flat"]);
    assert!(r.errors.iter().all(|e| e.line == 1));
    assert_eq!((r.rows.len(), r.total_rows), (0, 1));

    let t = read_table("ЛС;Улица;Дом;Кв\n1;Ленина;5;1\n".as_bytes()).unwrap();
    let no_city = RegistryDefaults {
        city: String::new(),
        ..defaults()
    };
    let r = map_registry(&t, &ColumnMapping::guess(&t.headers), &no_city, today());
    assert_eq!(r.errors.len(), 1, "{:?}", r.errors);
    assert_eq!(r.errors[0].field, "city");
    assert!(r.errors[0].message.contains("по умолчанию"));
}

#[test]
fn account_format_and_share_rules() {
    let t = read_table(
        "ЛС;Адрес;ФИО;Роль;Доля\n\
ЛС-0001;Ленина 5-1;Иванов Пётр;наниматель;1/2\n\
12;Ленина 5-2;Петров Иван;;0,5\n"
            .as_bytes(),
    )
    .unwrap();
    let d = RegistryDefaults {
        account_format: AccountNumberFormat::new("ЛС-####"),
        ..defaults()
    };
    let r = map_registry(&t, &ColumnMapping::guess(&t.headers), &d, today());
    assert!(errors_of(&r, 2).iter().any(|e| e.field == "share"));
    let e3 = errors_of(&r, 3);
    assert_eq!(e3.len(), 1, "{:?}", r.errors);
    assert_eq!(e3[0].field, "account_number");
    assert!(e3[0].message.contains("ЛС-####"));
}

#[test]
fn share_alone_means_owner_and_excel_fraction_is_restored() {
    let r = import("ЛС;Адрес;ФИО;Доля\n1;Ленина 5-1;Иванов Пётр;0,5\n");
    assert_eq!(r.errors, []);
    assert_eq!(r.rows[0].link_role, Some(LinkRole::Owner));
    assert_eq!(r.rows[0].link_share.as_deref(), Some("1/2"));
}

#[test]
fn xlsx_registry_end_to_end() {
    let mut book = Workbook::new();
    let date = Format::new().set_num_format("dd.mm.yyyy");
    let s = book.add_worksheet();
    for (c, h) in [
        "Лицевой счет",
        "Улица",
        "Дом",
        "Квартира",
        "Фамилия",
        "Имя",
        "Дата рождения",
        "Телефон",
        "Площадь",
    ]
    .iter()
    .enumerate()
    {
        s.write_string(0, c as u16, *h).unwrap();
    }
    s.write_number(1, 0, 100234.0).unwrap();
    s.write_string(1, 1, "ул. Ленина").unwrap();
    s.write_number(1, 2, 5.0).unwrap();
    s.write_number(1, 3, 12.0).unwrap();
    s.write_string(1, 4, "Иванов").unwrap();
    s.write_string(1, 5, "Пётр").unwrap();
    let born = ExcelDateTime::from_ymd(1980, 3, 7).unwrap();
    s.write_datetime_with_format(1, 6, &born, &date).unwrap();
    s.write_number(1, 7, 89123456789.0).unwrap();
    s.write_number(1, 8, 54.3).unwrap();
    let born_future = ExcelDateTime::from_ymd(2030, 1, 1).unwrap();
    s.write_number(2, 0, 100235.0).unwrap();
    s.write_string(2, 1, "ул. Ленина").unwrap();
    s.write_number(2, 2, 5.0).unwrap();
    s.write_number(2, 3, 13.0).unwrap();
    s.write_string(2, 4, "Петров").unwrap();
    s.write_string(2, 5, "Иван").unwrap();
    s.write_datetime_with_format(2, 6, &born_future, &date)
        .unwrap();
    let bytes = book.save_to_buffer().unwrap();

    let t = read_table(&bytes).unwrap();
    let r = map_registry(&t, &ColumnMapping::guess(&t.headers), &defaults(), today());
    assert_eq!(r.rows.len(), 1, "{:?}", r.errors);
    let row = &r.rows[0];
    assert_eq!(row.account.number.as_deref(), Some("100234"));
    assert_eq!(row.premises.number.as_deref(), Some("12"));
    assert_eq!(row.premises.area.as_deref(), Some("54.3"));
    let p = row.person.as_ref().unwrap();
    assert_eq!(p.birth_date.as_deref(), Some("07.03.1980"));
    assert_eq!(p.phones.as_deref(), Some("89123456789"));
    assert_eq!(r.errors.len(), 1);
    assert_eq!(
        (r.errors[0].line, r.errors[0].field.as_str()),
        (3, "birth_date")
    );
}
