//! What an uploaded table may unpack to. A 2.5 MB XLSX can unpack to a gigabyte of sheet XML
//! and a 50 MB CSV of `;;;;` is fifty million empty cells: both are refused before they are
//! read into memory, and the readers stop as soon as a bound is passed rather than reading
//! everything and counting afterwards. The figures are documented in docs/IMPORT.md.

use std::io::Cursor;

use crate::ImportError;

/// Files above this are refused before parsing (and before they are stored): registries of a
/// housing company are far smaller, and a bigger upload is more likely a mistake than data.
pub const MAX_BYTES: usize = 50 * 1024 * 1024;
/// Data rows (without the header) a table may hold.
pub const MAX_ROWS: usize = 1_000_000;
/// What all entries of an XLSX may unpack to together. Sheet XML costs 20–40 bytes a cell, so
/// this is room for ≈ 5 million cells (the cell limit below) with their shared strings.
pub const MAX_UNPACKED: u64 = 200 * 1024 * 1024;
/// Cells (filled ones in XLSX, every field in CSV) a table may hold. A charges file of
/// 50 000 accounts × 10 services × 8 columns is 4 million; a registry of 50 000 accounts is
/// about 1.5 million. At ≈ 70 bytes a cell while it is read, 5 million stay within 350 MB.
pub const MAX_CELLS: usize = 5_000_000;
/// Unpacked / packed of one entry. Real sheets compress 5–20 times, formatting-heavy ones
/// up to 50; deflate's ceiling is about 1 000, where zip bombs live.
pub const MAX_RATIO: u64 = 100;
/// Entries smaller than this are not judged by their ratio: a tiny repetitive styles.xml may
/// compress well, and the total above already bounds them.
pub const RATIO_FROM: u64 = 10 * 1024 * 1024;
/// An XLSX has a dozen entries; thousands are not a workbook, and each costs memory to list.
pub const MAX_ENTRIES: usize = 1_000;

/// The bounds a file is read within; [`Limits::DEFAULT`] everywhere but in tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub max_bytes: usize,
    pub max_unpacked: u64,
    pub max_ratio: u64,
    pub max_rows: usize,
    pub max_cells: usize,
}

impl Limits {
    pub const DEFAULT: Limits = Limits {
        max_bytes: MAX_BYTES,
        max_unpacked: MAX_UNPACKED,
        max_ratio: MAX_RATIO,
        max_rows: MAX_ROWS,
        max_cells: MAX_CELLS,
    };
}

impl Default for Limits {
    fn default() -> Self {
        Limits::DEFAULT
    }
}

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";

pub(crate) fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(ZIP_MAGIC)
}

/// The checks that cost nothing: the size, and for an XLSX what its central directory says
/// its entries unpack to. Run before a file is stored, so an oversize file never is. The
/// directory cannot understate a size: the zip reader (the one calamine uses) fails an entry
/// that unpacks to more than it declared (tests/limits.rs holds it to that).
pub fn check_upload(bytes: &[u8]) -> Result<(), ImportError> {
    check_declared(bytes, &Limits::DEFAULT)
}

pub(crate) fn check_declared(bytes: &[u8], limits: &Limits) -> Result<(), ImportError> {
    if bytes.len() > limits.max_bytes {
        return Err(ImportError::TooLarge { bytes: bytes.len() });
    }
    if !is_zip(bytes) {
        return Ok(());
    }
    if entries(bytes).is_some_and(|n| n > MAX_ENTRIES) {
        return Err(ImportError::NotAWorkbook);
    }
    let mut zip = open(bytes)?;
    let (mut total, mut ratio) = (0u64, 0u64);
    for i in 0..zip.len() {
        let e = zip.by_index_raw(i).map_err(xlsx)?;
        let (size, packed) = (e.size(), e.compressed_size().max(1));
        total = total.saturating_add(size);
        if size >= RATIO_FROM {
            ratio = ratio.max(size / packed);
        }
    }
    // The size first: it is what the person can act on.
    if total > limits.max_unpacked {
        return Err(ImportError::Unpacks { bytes: total });
    }
    if ratio > limits.max_ratio {
        return Err(ImportError::Compressed { ratio });
    }
    Ok(())
}

fn open(bytes: &[u8]) -> Result<zip::ZipArchive<Cursor<&[u8]>>, ImportError> {
    zip::ZipArchive::new(Cursor::new(bytes)).map_err(xlsx)
}

fn xlsx(e: zip::result::ZipError) -> ImportError {
    ImportError::Xlsx(e.to_string())
}

/// The entry count of the end-of-central-directory record, read before the directory itself
/// is listed (listing a million entries is what it would cost). None when there is no record:
/// the zip reader then says the file is broken. 0xFFFF means ZIP64 — no workbook needs it.
fn entries(bytes: &[u8]) -> Option<usize> {
    const EOCD: &[u8] = b"PK\x05\x06";
    // The record is 22 bytes plus a comment of up to 64 KB.
    let from = bytes.len().saturating_sub(22 + 0xFFFF);
    let at = bytes[from..].windows(4).rposition(|w| w == EOCD)? + from;
    let n = bytes.get(at + 10..at + 12)?;
    let n = u16::from_le_bytes([n[0], n[1]]);
    Some(if n == u16::MAX {
        usize::MAX
    } else {
        n as usize
    })
}

/// «1,0 ГБ», «260 МБ»: sizes as the refusal names them.
pub(crate) fn size_text(bytes: u64) -> String {
    const MB: u64 = 1024 * 1024;
    if bytes >= 1024 * MB {
        format!("{:.1} ГБ", bytes as f64 / (1024 * MB) as f64).replace('.', ",")
    } else {
        format!("{} МБ", bytes.div_ceil(MB))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_in_russian() {
        assert_eq!(size_text(1 << 30), "1,0 ГБ");
        assert_eq!(size_text(1_200_000_000), "1,1 ГБ");
        assert_eq!(size_text(260 << 20), "260 МБ");
        assert_eq!(size_text(1), "1 МБ");
    }

    #[test]
    fn entry_count_from_the_end_record() {
        assert_eq!(entries(b"no zip here"), None);
        let mut z = b"PK\x03\x04...".to_vec();
        z.extend_from_slice(b"PK\x05\x06\0\0\0\0\x07\0\x07\0");
        z.extend_from_slice(&[0; 10]);
        assert_eq!(entries(&z), Some(7));
    }
}
