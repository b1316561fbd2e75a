//! What a table may unpack to: refused from the archive's directory before anything is
//! read, and bounded while it is read (issue 16 §1). Workbooks are built here, by hand, so a
//! sheet can be as large or as repetitive as a test needs.

use std::io::{Cursor, Write};

use abonent_import::{check_upload, read_table, read_table_within, ImportError, Limits};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#;
const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
const WORKBOOK: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Лист1" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
const WORKBOOK_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#;

/// A workbook whose one sheet has a header row and `rows` rows of `cols` numbers.
fn workbook(rows: usize, cols: usize) -> Vec<u8> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let o = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    for (name, text) in [
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", RELS),
        ("xl/workbook.xml", WORKBOOK),
        ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
    ] {
        zip.start_file(name, o).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.start_file("xl/worksheets/sheet1.xml", o).unwrap();
    zip.write_all(br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#)
        .unwrap();
    let header: String = (0..cols)
        .map(|c| format!(r#"<c t="inlineStr"><is><t>Колонка {c}</t></is></c>"#))
        .collect();
    zip.write_all(format!("<row>{header}</row>").as_bytes())
        .unwrap();
    let row = format!("<row>{}</row>", "<c><v>7</v></c>".repeat(cols));
    for _ in 0..rows {
        zip.write_all(row.as_bytes()).unwrap();
    }
    zip.write_all(b"</sheetData></worksheet>").unwrap();
    zip.finish().unwrap().into_inner()
}

fn small(f: impl FnOnce(&mut Limits)) -> Limits {
    let mut l = Limits::DEFAULT;
    f(&mut l);
    l
}

#[test]
fn a_hand_made_workbook_reads() {
    let t = read_table(&workbook(3, 2)).unwrap();
    assert_eq!(t.headers, ["Колонка 0", "Колонка 1"]);
    assert_eq!(t.rows.len(), 3);
    assert_eq!(t.rows[2].cells, ["7", "7"]);
    assert_eq!(t.rows[2].line, 4);
}

#[test]
fn a_bomb_is_refused_from_its_directory_before_it_is_stored() {
    // 210 MB of sheet XML in a file of a few hundred kilobytes.
    let bomb = workbook(210 * 1024 * 1024 / 1500, 100);
    assert!(bomb.len() < 2 * 1024 * 1024, "{} bytes", bomb.len());
    let e = check_upload(&bomb).unwrap_err();
    assert!(matches!(e, ImportError::Unpacks { .. }), "{e:?}");
    let m = e.to_string();
    assert!(
        m.starts_with(
            "Файл распаковывается в 212 МБ — больше допустимых 200 МБ. Разделите файл на части"
        ),
        "{m}"
    );
    assert_eq!(read_table(&bomb).unwrap_err(), e);
}

#[test]
fn an_absurd_ratio_is_refused_within_the_size() {
    // 12 MB of one repeated cell compresses about a thousand times.
    let dense = workbook(12 * 1024 * 1024 / 1500, 100);
    let e = check_upload(&dense).unwrap_err();
    assert!(
        matches!(e, ImportError::Compressed { ratio } if ratio > 100),
        "{e:?}"
    );
    assert!(e.to_string().contains("сжаты в"), "{e}");
}

#[test]
fn a_directory_that_understates_sizes_is_caught_while_unpacking() {
    // The directory check trusts declared sizes because the zip reader calamine uses stops
    // an entry at its declared size; this holds it to that.
    let mut book = workbook(2_000, 10);
    let limits = small(|l| l.max_unpacked = 100_000);
    // Rewrite every declared unpacked size (central directory, offset 24) to 1 byte.
    let sig = b"PK\x01\x02";
    let mut i = 0;
    while let Some(p) = book[i..].windows(4).position(|w| w == sig) {
        let at = i + p;
        book[at + 24..at + 28].copy_from_slice(&1u32.to_le_bytes());
        i = at + 4;
    }
    let e = read_table_within(&book, &limits).unwrap_err();
    assert!(
        matches!(&e, ImportError::Xlsx(m) if m.contains("larger than its declared")),
        "{e:?}"
    );
}

#[test]
fn rows_and_cells_are_bounded_while_reading() {
    let book = workbook(20, 3);
    assert_eq!(
        read_table_within(&book, &small(|l| l.max_rows = 5)),
        Err(ImportError::TooManyRows)
    );
    assert_eq!(
        read_table_within(&book, &small(|l| l.max_cells = 30)),
        Err(ImportError::TooManyCells)
    );
    assert_eq!(
        read_table_within(&book, &small(|l| l.max_cells = 63))
            .unwrap()
            .rows
            .len(),
        20
    );
    // CSV: the same bound, counted field by field.
    let csv = "a;b;c\n".to_string() + &"1;2;3\n".repeat(20);
    assert_eq!(
        read_table_within(csv.as_bytes(), &small(|l| l.max_cells = 30)),
        Err(ImportError::TooManyCells)
    );
    assert!(read_table_within(csv.as_bytes(), &small(|l| l.max_cells = 63)).is_ok());
}

#[test]
fn a_million_empty_fields_are_refused_not_held() {
    let csv = "a;b\n".to_string() + &";".repeat(6_000_000);
    assert_eq!(read_table(csv.as_bytes()), Err(ImportError::TooManyCells));
    assert!(ImportError::TooManyCells
        .to_string()
        .contains("больше 5 000 000 ячеек"));
}

#[test]
fn too_many_entries_is_not_a_workbook() {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let o = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
    for i in 0..1_001 {
        zip.start_file(format!("f{i}"), o).unwrap();
    }
    let many = zip.finish().unwrap().into_inner();
    assert_eq!(check_upload(&many), Err(ImportError::NotAWorkbook));
}
