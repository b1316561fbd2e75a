//! Which encoding a text file is in. 1С and Excel on Russian Windows save CSV in
//! windows-1251; newer tools save UTF-8, often with a BOM. Anything else is refused rather
//! than guessed, because a wrong guess silently garbles names and addresses.

use std::borrow::Cow;

use crate::{ImportError, SourceEncoding};

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

pub(crate) fn decode(bytes: &[u8]) -> Result<(Cow<'_, str>, SourceEncoding), ImportError> {
    let bytes = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
    if let Ok(text) = std::str::from_utf8(bytes) {
        // NUL bytes are valid UTF-8, but they mean UTF-16 or a binary file.
        return if has_stray_controls(text) {
            Err(ImportError::UnknownEncoding)
        } else {
            Ok((Cow::Borrowed(text), SourceEncoding::Utf8))
        };
    }
    if mostly_utf8(bytes) {
        return Err(ImportError::BrokenUtf8 {
            line: first_bad_utf8_line(bytes),
        });
    }
    let (text, had_errors) = encoding_rs::WINDOWS_1251.decode_without_bom_handling(bytes);
    if had_errors || has_stray_controls(&text) || !mostly_cyrillic(&text) {
        return Err(ImportError::UnknownEncoding);
    }
    Ok((text, SourceEncoding::Windows1251))
}

/// Control characters other than tab and line breaks (C0 and C1) never occur in a registry.
fn has_stray_controls(text: &str) -> bool {
    text.chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\r' | '\n'))
}

/// Russian text decoded as windows-1251 is mostly Cyrillic letters; Latin-1 or random bytes
/// decoded the same way are mostly Latin letters or symbols.
fn mostly_cyrillic(text: &str) -> bool {
    let (mut letters, mut cyrillic) = (0usize, 0usize);
    for c in text.chars().filter(|c| c.is_alphabetic()) {
        letters += 1;
        if ('\u{0400}'..='\u{04FF}').contains(&c) {
            cyrillic += 1;
        }
    }
    cyrillic > 0 && cyrillic * 2 >= letters
}

/// A UTF-8 file with a few damaged bytes would otherwise pass as windows-1251 mojibake
/// («Р›РµРЅРёРЅР°» instead of «Ленина»): most of its non-ASCII bytes still form valid UTF-8.
/// Russian windows-1251 text almost never does.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let (mut valid, mut invalid) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        valid += chunk.valid().bytes().filter(|b| !b.is_ascii()).count();
        invalid += chunk.invalid().len();
    }
    valid > invalid * 4
}

fn first_bad_utf8_line(bytes: &[u8]) -> usize {
    let end = std::str::from_utf8(bytes)
        .err()
        .map_or(bytes.len(), |e| e.valid_up_to());
    1 + bytes[..end].iter().filter(|&&b| b == b'\n').count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_and_without_bom() {
        let (t, e) = decode("ЛС;Улица".as_bytes()).unwrap();
        assert_eq!((t.as_ref(), e), ("ЛС;Улица", SourceEncoding::Utf8));
        let bom = [UTF8_BOM, "ЛС".as_bytes()].concat();
        assert_eq!(decode(&bom).unwrap().0, "ЛС");
    }

    #[test]
    fn windows_1251() {
        let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode("Лицевой счёт;Улица\n1;Ленина");
        let (t, e) = decode(&bytes).unwrap();
        assert_eq!(e, SourceEncoding::Windows1251);
        assert_eq!(t, "Лицевой счёт;Улица\n1;Ленина");
    }

    #[test]
    fn refused() {
        // UTF-16LE with BOM, UTF-16 without BOM (NULs), Latin-1 German, binary.
        let utf16: Vec<u8> = "ЛС;Улица"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let with_bom = [&[0xFF, 0xFE][..], &utf16].concat();
        let ascii16: Vec<u8> = "LS;Street"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let latin1 = b"Stra\xDFe;Gr\xF6\xDFe\nM\xFCller;Stra\xDFe".to_vec();
        let binary: Vec<u8> = (0u8..=255).cycle().take(2000).collect();
        for b in [with_bom, utf16, ascii16, latin1, binary] {
            assert_eq!(
                decode(&b).unwrap_err(),
                ImportError::UnknownEncoding,
                "{b:?}"
            );
        }
    }

    #[test]
    fn damaged_utf8_names_its_line() {
        let mut b = "ЛС;Улица\n1;Ленина\n2;".as_bytes().to_vec();
        b.extend_from_slice(b"\xD0");
        b.extend_from_slice("\n3;Мира".as_bytes());
        assert_eq!(decode(&b).unwrap_err(), ImportError::BrokenUtf8 { line: 3 });
    }
}
