//! Files as they arrive: encodings, delimiters, quotes, broken lines, XLSX, garbage.

use abonent_import::{read_table, ImportError, SourceEncoding, Table, MAX_BYTES};
use proptest::prelude::*;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

const REGISTRY: &str = "Лицевой счёт;Адрес;ФИО;Площадь\n\
100234;г. Екатеринбург, ул. Ленина, д. 5, кв. 12;Иванов Пётр Сергеевич;54,3\n\
100235;ул. Мира, д. 1, кв. 2;Петрова Анна Ивановна;33\n";

fn cells(t: &Table, i: usize) -> Vec<&str> {
    t.rows[i].cells.iter().map(String::as_str).collect()
}

#[test]
fn utf8_semicolon() {
    let t = read_table(REGISTRY.as_bytes()).unwrap();
    assert_eq!(t.encoding, SourceEncoding::Utf8);
    assert_eq!(t.headers, ["Лицевой счёт", "Адрес", "ФИО", "Площадь"]);
    assert_eq!(t.rows.len(), 2);
    assert_eq!(t.rows[1].line, 3);
    assert_eq!(
        cells(&t, 0),
        [
            "100234",
            "г. Екатеринбург, ул. Ленина, д. 5, кв. 12",
            "Иванов Пётр Сергеевич",
            "54,3"
        ]
    );
}

#[test]
fn windows_1251_as_excel_saves_it() {
    let text = REGISTRY.replace('\n', "\r\n");
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1251.encode(&text);
    assert!(!unmappable);
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "test needs real 1251 bytes"
    );
    let t = read_table(&bytes).unwrap();
    assert_eq!(t.encoding, SourceEncoding::Windows1251);
    assert_eq!(t.headers[0], "Лицевой счёт");
    assert_eq!(cells(&t, 1)[2], "Петрова Анна Ивановна");
    assert_eq!(t.rows[1].line, 3);
}

#[test]
fn utf8_with_bom() {
    let bytes = [b"\xEF\xBB\xBF".as_slice(), REGISTRY.as_bytes()].concat();
    let t = read_table(&bytes).unwrap();
    assert_eq!(t.encoding, SourceEncoding::Utf8);
    assert_eq!(
        t.headers[0], "Лицевой счёт",
        "BOM must not stick to the first header"
    );
}

#[test]
fn tab_and_comma_separated() {
    let t = read_table("ЛС\tУлица\tДом\n1\tЛенина, 5\t5\n".as_bytes()).unwrap();
    assert_eq!(t.headers, ["ЛС", "Улица", "Дом"]);
    assert_eq!(cells(&t, 0), ["1", "Ленина, 5", "5"]);
    let t = read_table("ЛС,Улица,Дом\n1,\"Ленина; угол Мира\",5\n".as_bytes()).unwrap();
    assert_eq!(cells(&t, 0), ["1", "Ленина; угол Мира", "5"]);
}

#[test]
fn quoted_delimiters_newlines_and_quotes() {
    let text = "ЛС;Примечание;ФИО\n\
1;\"звонить; после 18:00\";Иванов\n\
2;\"первая строка\nвторая строка\";\"ООО \"\"Ромашка\"\"\"\n\
\n\
3;;Сидоров\n";
    let t = read_table(text.as_bytes()).unwrap();
    assert_eq!(t.rows.len(), 3);
    assert_eq!(cells(&t, 0)[1], "звонить; после 18:00");
    assert_eq!(cells(&t, 1)[1], "первая строка\nвторая строка");
    assert_eq!(cells(&t, 1)[2], "ООО \"Ромашка\"");
    // Line numbers as in a text editor: the record of line 3 spans lines 3–4.
    let lines: Vec<usize> = t.rows.iter().map(|r| r.line).collect();
    assert_eq!(lines, [2, 3, 6]);
}

#[test]
fn unclosed_quote_names_its_line() {
    let mut text = String::from("ЛС;ФИО;Телефон\n");
    for i in 2..17 {
        text.push_str(&format!("{i};Иванов;89120000000\n"));
    }
    text.push_str("17;\"Петров;89120000000\n18;Сидоров;89120000000\n");
    let e = read_table(text.as_bytes()).unwrap_err();
    assert_eq!(e, ImportError::UnclosedQuote { line: 17 });
    let msg = e.to_string();
    assert!(msg.starts_with("Строка 17: незакрытая кавычка"), "{msg}");
}

#[test]
fn wrong_field_count_names_its_line() {
    let text = "a;b;c;d;e;f;g;h\n1;2;3;4;5;6;7;8\n1;2;3;4;5\n";
    let e = read_table(text.as_bytes()).unwrap_err();
    assert!(
        e.to_string().starts_with("Строка 3: 5 полей вместо 8"),
        "{e}"
    );
}

#[test]
fn garbage_and_utf16_are_refused() {
    let utf16le: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(REGISTRY.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let utf16be: Vec<u8> = [0xFE, 0xFF]
        .into_iter()
        .chain(REGISTRY.encode_utf16().flat_map(u16::to_be_bytes))
        .collect();
    let mut x: u32 = 12345;
    let garbage: Vec<u8> = (0..4096)
        .map(|_| {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
            (x >> 16) as u8
        })
        .collect();
    for bytes in [utf16le, utf16be, garbage] {
        let e = read_table(&bytes).unwrap_err();
        assert_eq!(e, ImportError::UnknownEncoding);
        assert!(e.to_string().contains("UTF-8 или windows-1251"));
    }
}

#[test]
fn empty_old_excel_and_too_large() {
    assert_eq!(read_table(b""), Err(ImportError::Empty));
    assert_eq!(read_table(b"\r\n;;\r\n"), Err(ImportError::Empty));
    let ole = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0\0\0";
    assert_eq!(read_table(ole), Err(ImportError::OldExcel));
    let big = vec![b'a'; MAX_BYTES + 1];
    let e = read_table(&big).unwrap_err();
    assert!(matches!(e, ImportError::TooLarge { .. }));
    assert!(e.to_string().contains("не более 50 МБ"), "{e}");
}

#[test]
fn too_many_rows() {
    let text = "a\n".to_string() + &"1\n".repeat(1_000_001);
    assert_eq!(read_table(text.as_bytes()), Err(ImportError::TooManyRows));
    let text = "a\n".to_string() + &"1\n".repeat(1_000_000);
    assert_eq!(read_table(text.as_bytes()).unwrap().rows.len(), 1_000_000);
}

fn xlsx() -> Vec<u8> {
    let mut book = Workbook::new();
    let ru_date = Format::new().set_num_format("dd.mm.yyyy");
    let iso_date = Format::new().set_num_format("yyyy-mm-dd");
    let stamp = Format::new().set_num_format("dd.mm.yyyy hh:mm");
    let s = book.add_worksheet();
    // Row 1 is left empty: the header is on line 2, as the user sees it in Excel.
    for (c, h) in [
        "ЛС",
        "Площадь",
        "Дата рождения",
        "Дата открытия",
        "Жилое",
        "Изменён",
    ]
    .iter()
    .enumerate()
    {
        s.write_string(1, c as u16, *h).unwrap();
    }
    s.write_number(2, 0, 100234.0).unwrap();
    s.write_number(2, 1, 54.3).unwrap();
    let born = ExcelDateTime::from_ymd(1980, 3, 7).unwrap();
    s.write_datetime_with_format(2, 2, &born, &ru_date).unwrap();
    let opened = ExcelDateTime::from_ymd(2026, 1, 1).unwrap();
    s.write_datetime_with_format(2, 3, &opened, &iso_date)
        .unwrap();
    s.write_boolean(2, 4, true).unwrap();
    let at = ExcelDateTime::from_ymd(2026, 2, 3)
        .unwrap()
        .and_hms(14, 30, 0)
        .unwrap();
    s.write_datetime_with_format(2, 5, &at, &stamp).unwrap();
    // Row 4 empty, row 5: text with spaces, an integer-valued float.
    s.write_string(4, 0, "  ЛС-0012 ").unwrap();
    s.write_number(4, 1, 120.0).unwrap();
    book.save_to_buffer().unwrap()
}

#[test]
fn xlsx_numbers_and_dates_as_text() {
    let t = read_table(&xlsx()).unwrap();
    assert_eq!(t.encoding, SourceEncoding::Xlsx);
    assert_eq!(t.header_line, 2);
    assert_eq!(t.headers[0], "ЛС");
    assert_eq!(t.headers.len(), 6);
    assert_eq!(t.rows.len(), 2);
    assert_eq!(t.rows[0].line, 3);
    assert_eq!(
        cells(&t, 0),
        [
            "100234",
            "54.3",
            "07.03.1980",
            "01.01.2026",
            "да",
            "03.02.2026 14:30"
        ]
    );
    assert_eq!(t.rows[1].line, 5);
    assert_eq!(cells(&t, 1), ["ЛС-0012", "120", "", "", "", ""]);
}

#[test]
fn broken_xlsx_is_a_clear_error() {
    let mut bytes = xlsx();
    bytes.truncate(bytes.len() / 2);
    let e = read_table(&bytes).unwrap_err();
    assert!(matches!(e, ImportError::Xlsx(_)), "{e:?}");
    assert!(e.to_string().contains("сохраните заново как XLSX"));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn never_panics_on_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let _ = read_table(&bytes);
    }

    #[test]
    fn never_panics_on_zip_looking_bytes(tail in proptest::collection::vec(any::<u8>(), 0..600)) {
        let bytes = [b"PK\x03\x04".as_slice(), &tail].concat();
        let _ = read_table(&bytes);
    }

    #[test]
    fn never_panics_on_csv_like_text(text in "[;,\t\"\r\nа-яА-Я0-9 ]{0,300}") {
        if let Ok(t) = read_table(text.as_bytes()) {
            for r in &t.rows {
                prop_assert_eq!(r.cells.len(), t.headers.len());
                prop_assert!(r.line > t.header_line);
            }
        }
    }
}
