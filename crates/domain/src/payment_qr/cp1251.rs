//! windows-1251 without a dependency: ASCII, Cyrillic А–я at 0xC0–0xFF, and the table of
//! 0x80–0xBF below (0x98 is unassigned in the Microsoft code page).

/// Unicode code points of bytes 0x80..=0xBF; 0 marks the unassigned byte 0x98.
const HIGH: [u16; 64] = [
    0x0402, 0x0403, 0x201A, 0x0453, 0x201E, 0x2026, 0x2020, 0x2021, 0x20AC, 0x2030, 0x0409, 0x2039,
    0x040A, 0x040C, 0x040B, 0x040F, 0x0452, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x0000, 0x2122, 0x0459, 0x203A, 0x045A, 0x045C, 0x045B, 0x045F, 0x00A0, 0x040E, 0x045E, 0x0408,
    0x00A4, 0x0490, 0x00A6, 0x00A7, 0x0401, 0x00A9, 0x0404, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x0407,
    0x00B0, 0x00B1, 0x0406, 0x0456, 0x0491, 0x00B5, 0x00B6, 0x00B7, 0x0451, 0x2116, 0x0454, 0x00BB,
    0x0458, 0x0405, 0x0455, 0x0457,
];

/// The windows-1251 byte of `c`, if it has one.
pub fn encode_char(c: char) -> Option<u8> {
    let cp = c as u32;
    match cp {
        0..=0x7F => Some(cp as u8),
        0x0410..=0x044F => Some((cp - 0x0410 + 0xC0) as u8),
        _ => HIGH
            .iter()
            .position(|&u| u != 0 && u32::from(u) == cp)
            .map(|i| 0x80 + i as u8),
    }
}

/// Whether every character of `s` exists in windows-1251.
pub fn is_representable(s: &str) -> bool {
    s.chars().all(|c| encode_char(c).is_some())
}

/// `s` in windows-1251, or `None` if some character has no byte there.
pub fn encode(s: &str) -> Option<Vec<u8>> {
    s.chars().map(encode_char).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Bytes 0x80..=0xFF except 0x98, decoded with a reference cp1251 codec.
    const UPPER_HALF: &str = "ЂЃ‚ѓ„…†‡€‰Љ‹ЊЌЋЏђ‘’“”•–—™љ›њќћџ\u{a0}ЎўЈ¤Ґ¦§Ё©Є«¬\u{ad}®Ї°±Ііґµ¶·ё№є»јЅѕїАБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдежзийклмнопрстуфхцчшщъыьэюя";

    #[test]
    fn upper_half_maps_to_its_bytes() {
        let bytes = encode(UPPER_HALF).unwrap();
        let expected: Vec<u8> = (0x80..=0xFFu8).filter(|&b| b != 0x98).collect();
        assert_eq!(bytes, expected);
    }

    #[test]
    fn exactly_255_characters_are_representable() {
        let count = (0..=0x10FFFFu32)
            .filter_map(char::from_u32)
            .filter(|&c| encode_char(c).is_some())
            .count();
        assert_eq!(count, 255);
    }

    #[test]
    fn typical_strings() {
        assert!(is_representable("ООО \"УК\" № 5 — ЖКУ «март» Ёё"));
        assert!(!is_representable("Türkçe"));
        assert!(!is_representable("₽"));
        assert!(!is_representable("ҚазақстанӘ"));
        assert_eq!(encode("Aя"), Some(vec![0x41, 0xFF]));
    }
}
