//! CSV as Excel and 1С write it: `;`, `,` or tab, fields optionally in double quotes with
//! `""` for a quote inside. Hand-written rather than the `csv` crate because that crate
//! silently accepts an unclosed quote (swallowing the rest of the file into one field),
//! while we must tell the user which line is broken.

use crate::table::{Row, SourceEncoding, Table};
use crate::{ImportError, Limits};

pub(crate) fn read(
    text: &str,
    encoding: SourceEncoding,
    limits: &Limits,
) -> Result<Table, ImportError> {
    let delimiter = detect_delimiter(text);
    let mut parser = Parser {
        chars: text.chars().peekable(),
        line: 1,
        delimiter,
        cells_left: limits.max_cells,
    };
    let mut headers: Option<(usize, Vec<String>)> = None;
    let mut rows = Vec::new();
    while let Some((line, last_line, mut cells)) = parser.record()? {
        if cells.iter().all(String::is_empty) {
            continue;
        }
        let Some((_, h)) = &headers else {
            headers = Some((line, cells));
            continue;
        };
        // Extra empty fields are harmless (a trailing `;` on data lines only).
        while cells.len() > h.len() && cells.last().is_some_and(String::is_empty) {
            cells.pop();
        }
        if cells.len() != h.len() {
            return Err(ImportError::FieldCount {
                line,
                last_line,
                found: cells.len(),
                expected: h.len(),
            });
        }
        if rows.len() == limits.max_rows {
            return Err(ImportError::TooManyRows);
        }
        rows.push(Row { line, cells });
    }
    let (header_line, headers) = headers.ok_or(ImportError::Empty)?;
    Ok(Table {
        encoding,
        header_line,
        headers,
        rows,
    })
}

/// The delimiter that occurs most often outside quotes in the first non-empty line;
/// `;` on a tie, as Russian Excel writes it.
fn detect_delimiter(text: &str) -> char {
    let header = text
        .split(['\n', '\r'])
        .find(|l| !l.trim().is_empty())
        .unwrap_or("");
    let mut counts = [(';', 0usize), ('\t', 0), (',', 0)];
    let mut quoted = false;
    for c in header.chars() {
        if c == '"' {
            quoted = !quoted;
        } else if !quoted {
            if let Some(slot) = counts.iter_mut().find(|(d, _)| *d == c) {
                slot.1 += 1;
            }
        }
    }
    // max_by_key keeps the last maximum, so scan in reverse to prefer the earlier entry.
    counts
        .iter()
        .rev()
        .max_by_key(|(_, n)| *n)
        .map_or(';', |(d, _)| *d)
}

struct Parser<'a> {
    chars: std::iter::Peekable<std::str::Chars<'a>>,
    /// Line of the next char to read.
    line: usize,
    delimiter: char,
    /// Fields that may still be read: a line of a million `;` stops at the limit, not
    /// after it is held in memory.
    cells_left: usize,
}

impl Parser<'_> {
    /// Next record as (first line, last line, trimmed cells); `None` at the end.
    #[allow(clippy::type_complexity)]
    fn record(&mut self) -> Result<Option<(usize, usize, Vec<String>)>, ImportError> {
        if self.chars.peek().is_none() {
            return Ok(None);
        }
        let start = self.line;
        let mut cells = Vec::new();
        let mut field = String::new();
        loop {
            // At the start of a field a quote opens a quoted field; anything after its
            // closing quote is kept as text, like Excel does.
            if self.chars.peek() == Some(&'"') {
                self.chars.next();
                self.quoted(&mut field)?;
            }
            // A quote in the middle of an unquoted field is just a character.
            while let Some(&c) = self.chars.peek() {
                if c == self.delimiter || c == '\n' || c == '\r' {
                    break;
                }
                field.push(c);
                self.chars.next();
            }
            if self.cells_left == 0 {
                return Err(ImportError::TooManyCells);
            }
            self.cells_left -= 1;
            match self.chars.next() {
                Some(c) if c == self.delimiter => {
                    cells.push(field.trim().to_string());
                    field.clear();
                }
                Some(c) => {
                    let last = self.line;
                    self.newline(c);
                    cells.push(field.trim().to_string());
                    return Ok(Some((start, last, cells)));
                }
                None => {
                    cells.push(field.trim().to_string());
                    return Ok(Some((start, self.line, cells)));
                }
            }
        }
    }

    /// Body of a quoted field, after the opening quote, up to and including the closing one.
    fn quoted(&mut self, field: &mut String) -> Result<(), ImportError> {
        let opened = self.line;
        loop {
            match self.chars.next() {
                None => return Err(ImportError::UnclosedQuote { line: opened }),
                Some('"') if self.chars.peek() == Some(&'"') => {
                    self.chars.next();
                    field.push('"');
                }
                Some('"') => return Ok(()),
                Some(c @ ('\n' | '\r')) => {
                    self.newline(c);
                    field.push('\n');
                }
                Some(c) => field.push(c),
            }
        }
    }

    /// Count a line break; `\r\n` is one break, a lone `\r` (old Mac) is one too.
    fn newline(&mut self, c: char) {
        if c == '\r' && self.chars.peek() == Some(&'\n') {
            self.chars.next();
        }
        self.line += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(text: &str) -> Table {
        read(text, SourceEncoding::Utf8, &Limits::DEFAULT).unwrap()
    }

    #[test]
    fn cells_are_bounded_while_reading() {
        let limits = Limits {
            max_cells: 10,
            ..Limits::DEFAULT
        };
        let ok = read("a;b\n1;2\n3;4\n5;6\n7;8\n", SourceEncoding::Utf8, &limits);
        assert_eq!(ok.unwrap().rows.len(), 4);
        let e = read(
            "a;b\n1;2\n3;4\n5;6\n7;8\n9;0\n",
            SourceEncoding::Utf8,
            &limits,
        );
        assert_eq!(e, Err(ImportError::TooManyCells));
        // One line of many empty fields is stopped inside the line.
        let wide = ";".repeat(1_000);
        let e = read(&wide, SourceEncoding::Utf8, &limits);
        assert_eq!(e, Err(ImportError::TooManyCells));
    }

    #[test]
    fn delimiters() {
        assert_eq!(detect_delimiter("a;b,c;d"), ';');
        assert_eq!(detect_delimiter("a,b,c"), ',');
        assert_eq!(detect_delimiter("a\tb\tc"), '\t');
        assert_eq!(detect_delimiter("\n\n\"a;b\",c"), ',');
        assert_eq!(detect_delimiter("один"), ';');
    }

    #[test]
    fn quotes_lines_and_empty_rows() {
        let t = table("ЛС;ФИО;Примечание\r\n\r\n1;\"Иванов; Пётр\";\"две\r\nстроки\"\r\n;;\r\n2;\"ООО \"\"Ромашка\"\"\";x\r\n");
        assert_eq!(t.headers, ["ЛС", "ФИО", "Примечание"]);
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[0].line, 3);
        assert_eq!(t.rows[0].cells, ["1", "Иванов; Пётр", "две\nстроки"]);
        assert_eq!(t.rows[1].line, 6);
        assert_eq!(t.rows[1].cells[1], "ООО \"Ромашка\"");
    }

    #[test]
    fn trailing_delimiter_and_no_final_newline() {
        let t = table("a;b\n1;2;\n3;4");
        assert_eq!(t.rows[0].cells, ["1", "2"]);
        assert_eq!(t.rows[1].cells, ["3", "4"]);
        assert_eq!(t.rows[1].line, 3);
    }

    #[test]
    fn broken_lines_are_named() {
        let e = read(
            "a;b\n1;2\n3;\"4\n5;6\n",
            SourceEncoding::Utf8,
            &Limits::DEFAULT,
        )
        .unwrap_err();
        assert_eq!(e, ImportError::UnclosedQuote { line: 3 });
        let e = read(
            "a;b;c\n1;2;3\n4;5\n",
            SourceEncoding::Utf8,
            &Limits::DEFAULT,
        )
        .unwrap_err();
        assert_eq!(
            e,
            ImportError::FieldCount {
                line: 3,
                last_line: 3,
                found: 2,
                expected: 3
            }
        );
        // A stray quote closed by a later line: the record spans lines 2..3.
        let e = read(
            "a;b\n\"1;2\n3\";4;5\n",
            SourceEncoding::Utf8,
            &Limits::DEFAULT,
        )
        .unwrap_err();
        assert!(e.to_string().contains("до строки 3"), "{e}");
    }

    #[test]
    fn only_blank_lines_is_empty() {
        assert_eq!(
            read("\n ; \n", SourceEncoding::Utf8, &Limits::DEFAULT),
            Err(ImportError::Empty)
        );
    }
}
