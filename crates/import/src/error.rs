//! Errors that stop reading a file. Messages are Russian and say how to fix the file.

use crate::limits::{size_text, MAX_BYTES, MAX_CELLS, MAX_RATIO, MAX_UNPACKED};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    #[error("Файл слишком большой: {} МБ. Допустимо не более {} МБ — разделите его на части.", mb(*.bytes), mb(MAX_BYTES))]
    TooLarge { bytes: usize },
    #[error("В файле больше 1 000 000 строк. Разделите его на части.")]
    TooManyRows,
    #[error(
        "В файле больше {} ячеек. Разделите его на части или удалите лишние столбцы.",
        thousands(MAX_CELLS)
    )]
    TooManyCells,
    #[error("Файл распаковывается в {} — больше допустимых {}. Разделите файл на части или удалите из книги лишние листы, пустые строки и столбцы и сохраните заново.", size_text(*.bytes), size_text(MAX_UNPACKED))]
    Unpacks { bytes: u64 },
    #[error("Данные в файле сжаты в {ratio} раз (таблицы сжимаются не больше чем в {} раз): в нём, вероятно, огромные пустые или повторяющиеся области. Удалите лишние строки и столбцы в Excel и сохраните заново.", MAX_RATIO)]
    Compressed { ratio: u64 },
    #[error("Файл похож на архив, но не на книгу Excel. Сохраните таблицу как XLSX или CSV.")]
    NotAWorkbook,
    #[error("Файл пуст: в нём нет ни одной строки с данными.")]
    Empty,
    #[error("Не удалось определить кодировку файла: сохраните его в UTF-8 или windows-1251 (CSV) либо в XLSX.")]
    UnknownEncoding,
    #[error("Строка {line}: файл в кодировке UTF-8, но в нём повреждённые символы. Пересохраните файл в UTF-8 или XLSX.")]
    BrokenUtf8 { line: usize },
    #[error("Строка {line}: незакрытая кавычка — поле начинается с \" и не закрыто до конца файла. Проверьте кавычки в этой строке.")]
    UnclosedQuote { line: usize },
    #[error("Строка {line}: {found} {} вместо {expected}, как в заголовке.{}", fields_word(*.found), field_count_hint(*.line, *.last_line))]
    FieldCount {
        line: usize,
        /// Where the record ended: further than `line` when a quoted field spans lines.
        last_line: usize,
        found: usize,
        expected: usize,
    },
    #[error(
        "Файл в старом формате Excel (XLS). Откройте его в Excel и сохраните как XLSX или CSV."
    )]
    OldExcel,
    #[error(
        "Не удалось прочитать файл XLSX ({0}). Откройте его в Excel и сохраните заново как XLSX."
    )]
    Xlsx(String),
    #[error("В книге XLSX нет листов. Сохраните реестр на первом листе.")]
    NoSheet,
}

fn mb(bytes: usize) -> usize {
    bytes.div_ceil(1024 * 1024)
}

/// «5 000 000».
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

/// «5 полей», «1 поле», «2 поля».
fn fields_word(n: usize) -> &'static str {
    match (n % 10, n % 100) {
        (1, r) if r != 11 => "поле",
        (2..=4, r) if !(12..=14).contains(&r) => "поля",
        _ => "полей",
    }
}

fn field_count_hint(line: usize, last_line: usize) -> String {
    if last_line > line {
        format!(" Запись продолжается до строки {last_line} — вероятно, в строке {line} лишняя или незакрытая кавычка.")
    } else {
        " Проверьте разделители и кавычки в этой строке.".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_readable() {
        let e = ImportError::FieldCount {
            line: 17,
            last_line: 17,
            found: 5,
            expected: 8,
        };
        assert!(
            e.to_string().starts_with("Строка 17: 5 полей вместо 8"),
            "{e}"
        );
        let e = ImportError::FieldCount {
            line: 3,
            last_line: 6,
            found: 2,
            expected: 3,
        };
        assert!(e.to_string().contains("2 поля вместо 3"), "{e}");
        assert!(e.to_string().contains("до строки 6"), "{e}");
        assert_eq!(fields_word(21), "поле");
        assert_eq!(fields_word(11), "полей");
        // The message spells the limit; keep it in step with the constant.
        assert_eq!(crate::limits::MAX_ROWS, 1_000_000);
        assert!(ImportError::TooLarge { bytes: 60 << 20 }
            .to_string()
            .contains("60 МБ"));
        assert!(ImportError::TooManyCells
            .to_string()
            .contains("больше 5 000 000 ячеек"));
        assert!(ImportError::Unpacks { bytes: 1 << 30 }
            .to_string()
            .starts_with("Файл распаковывается в 1,0 ГБ — больше допустимых 200 МБ. Разделите"));
    }
}
