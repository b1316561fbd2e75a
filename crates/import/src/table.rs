//! The common shape of every file: a header and rows of text cells.

use serde::{Deserialize, Serialize};

use crate::{csv_reader, encoding, xlsx_reader, ImportError};

/// Files above this are refused before parsing: registries of a housing company are far
/// smaller, and a bigger upload is more likely a mistake than data.
pub const MAX_BYTES: usize = 50 * 1024 * 1024;
/// Data rows (without the header) a table may hold.
pub const MAX_ROWS: usize = 1_000_000;

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

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
/// OLE compound file: the old binary XLS that 1С still offers.
const OLE_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

/// Read a CSV/text or XLSX file. The first non-empty row is the header.
pub fn read_table(bytes: &[u8]) -> Result<Table, ImportError> {
    if bytes.len() > MAX_BYTES {
        return Err(ImportError::TooLarge { bytes: bytes.len() });
    }
    if bytes.starts_with(ZIP_MAGIC) {
        return xlsx_reader::read(bytes);
    }
    if bytes.starts_with(OLE_MAGIC) {
        return Err(ImportError::OldExcel);
    }
    let (text, encoding) = encoding::decode(bytes)?;
    csv_reader::read(&text, encoding)
}

/// Shared tail of both readers: split off the header, drop empty rows, check the limit.
pub(crate) fn from_rows(
    encoding: SourceEncoding,
    rows: impl IntoIterator<Item = Row>,
) -> Result<Table, ImportError> {
    let mut rows = rows
        .into_iter()
        .filter(|r| r.cells.iter().any(|c| !c.is_empty()));
    let header = rows.next().ok_or(ImportError::Empty)?;
    let mut data = Vec::new();
    for row in rows {
        if data.len() == MAX_ROWS {
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
