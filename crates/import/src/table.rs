//! The common shape of every file: a header and rows of text cells.

use serde::{Deserialize, Serialize};

use crate::limits::{is_zip, Limits};
use crate::{csv_reader, encoding, xlsx_reader, ImportError};

/// Where the text came from, shown to the user so a wrong guess is visible.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceEncoding {
    Utf8,
    Windows1251,
    Xlsx,
}

impl SourceEncoding {
    pub fn title(self) -> &'static str {
        match self {
            SourceEncoding::Utf8 => "CSV, UTF-8",
            SourceEncoding::Windows1251 => "CSV, windows-1251",
            SourceEncoding::Xlsx => "Excel (XLSX)",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row {
    /// 1-based line of the file as the user sees it (header is usually line 1); for a
    /// record with line breaks inside quotes, the line where it starts.
    pub line: usize,
    /// Trimmed cells; as many as there are headers.
    pub cells: Vec<String>,
}

impl Row {
    /// The cell of a column, empty when out of range.
    pub fn cell(&self, col: usize) -> &str {
        self.cells.get(col).map(String::as_str).unwrap_or("")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Table {
    pub encoding: SourceEncoding,
    /// Line of the header row (1 unless the file starts with empty lines).
    pub header_line: usize,
    pub headers: Vec<String>,
    /// Data rows, fully empty rows skipped.
    pub rows: Vec<Row>,
}

/// OLE compound file: the old binary XLS that 1С still offers.
const OLE_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

/// Read a CSV/text or XLSX file within the default [`Limits`]. The first non-empty row is
/// the header.
pub fn read_table(bytes: &[u8]) -> Result<Table, ImportError> {
    read_table_within(bytes, &Limits::DEFAULT)
}

/// [`read_table`] within other limits (tests use small ones).
pub fn read_table_within(bytes: &[u8], limits: &Limits) -> Result<Table, ImportError> {
    crate::limits::check_declared(bytes, limits)?;
    if is_zip(bytes) {
        return xlsx_reader::read(bytes, limits);
    }
    if bytes.starts_with(OLE_MAGIC) {
        return Err(ImportError::OldExcel);
    }
    let (text, encoding) = encoding::decode(bytes)?;
    // windows-1251 doubles in UTF-8: the decoded text is bounded like an archive's content.
    if text.len() as u64 > limits.max_unpacked {
        return Err(ImportError::Unpacks {
            bytes: text.len() as u64,
        });
    }
    csv_reader::read(&text, encoding, limits)
}

/// Shared tail of both readers: split off the header, drop empty rows, check the limit.
pub(crate) fn from_rows(
    encoding: SourceEncoding,
    rows: impl IntoIterator<Item = Row>,
    max_rows: usize,
) -> Result<Table, ImportError> {
    let mut rows = rows
        .into_iter()
        .filter(|r| r.cells.iter().any(|c| !c.is_empty()));
    let header = rows.next().ok_or(ImportError::Empty)?;
    let mut data = Vec::new();
    for row in rows {
        if data.len() == max_rows {
            return Err(ImportError::TooManyRows);
        }
        data.push(row);
    }
    Ok(Table {
        encoding,
        header_line: header.line,
        headers: header.cells,
        rows: data,
    })
}
