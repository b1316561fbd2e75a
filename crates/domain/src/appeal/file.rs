//! Attachments of an appeal (photos, scans): the type is read from the content, the limits
//! (size, allowed types) are settings the caller passes in.

use crate::ValidationErrors;

/// A type an appeal may carry: its setting code and MIME type.
pub const TYPES: [(&str, &str); 4] = [
    ("jpeg", "image/jpeg"),
    ("png", "image/png"),
    ("pdf", "application/pdf"),
    ("heic", "image/heic"),
];

/// The type code of the content by its leading bytes, if it is one of [`TYPES`].
pub fn sniff(content: &[u8]) -> Option<&'static str> {
    if content.starts_with(b"%PDF-") {
        Some("pdf")
    } else if content.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("jpeg")
    } else if content.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some("png")
    } else if content.len() >= 12
        && &content[4..8] == b"ftyp"
        && matches!(
            &content[8..12],
            b"heic" | b"heix" | b"hevc" | b"heim" | b"heis" | b"mif1" | b"msf1"
        )
    {
        Some("heic")
    } else {
        None
    }
}

/// The cleaned file name and MIME type of an acceptable attachment; Russian errors on `file`.
/// `allowed` are type codes from the setting (`jpeg, png, pdf, heic`).
pub fn check_file(
    file_name: &str,
    content: &[u8],
    max_bytes: usize,
    allowed: &[String],
) -> Result<(String, &'static str), ValidationErrors> {
    let base = file_name.rsplit(['/', '\\']).next().unwrap_or("");
    let mut name: String = base.chars().filter(|c| !c.is_control()).take(200).collect();
    if name.trim().is_empty() {
        name = "файл".into();
    }
    let names = allowed
        .iter()
        .map(|a| a.to_uppercase())
        .collect::<Vec<_>>()
        .join(", ");
    let fail = |m: String| Err(ValidationErrors::single("file", m));
    if content.is_empty() {
        return fail(format!(
            "Файл не выбран или пустой: выберите фото или скан ({names})."
        ));
    }
    if content.len() > max_bytes {
        let mb = |b: usize| format!("{:.1}", b as f64 / (1024.0 * 1024.0)).replace('.', ",");
        return fail(format!(
            "Файл «{name}» весит {} МБ, а допустимо не более {} МБ: уменьшите фото или разделите скан.",
            mb(content.len()),
            mb(max_bytes).trim_end_matches(",0")
        ));
    }
    let code = sniff(content).filter(|c| allowed.iter().any(|a| a == c));
    match code.and_then(|c| TYPES.iter().find(|t| t.0 == c)) {
        Some((_, mime)) => Ok((name, mime)),
        None => fail(format!(
            "Файл «{name}» не подходит: можно прикладывать только {names}."
        )),
    }
}

/// The allowed type codes from the setting text (`jpeg, png, pdf, heic`; `jpg` means jpeg).
pub fn parse_types(setting: &str) -> Vec<String> {
    setting
        .split([',', ' ', ';'])
        .map(|s| s.trim().trim_start_matches('.').to_lowercase())
        .map(|s| if s == "jpg" { "jpeg".to_string() } else { s })
        .filter(|s| TYPES.iter().any(|t| t.0 == s))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all() -> Vec<String> {
        parse_types("jpg, PNG; pdf heic, exe")
    }

    #[test]
    fn types_from_content() {
        assert_eq!(all(), vec!["jpeg", "png", "pdf", "heic"]);
        let heic = b"\0\0\0\x18ftypheic\0\0\0\0";
        assert_eq!(
            check_file("IMG_1.HEIC", heic, 100, &all()).unwrap().1,
            "image/heic"
        );
        assert_eq!(
            check_file(
                "C:\\фото\\кухня.jpg",
                &[0xFF, 0xD8, 0xFF, 0xE0],
                100,
                &all()
            )
            .unwrap(),
            ("кухня.jpg".to_string(), "image/jpeg")
        );
        // A renamed executable is refused, naming the allowed types.
        let e = check_file("акт.pdf", b"MZ\x90\0", 100, &all()).unwrap_err();
        assert_eq!(e.0[0].field, "file");
        assert!(e.0[0].message.contains("JPEG, PNG, PDF, HEIC"), "{e:?}");
        // A type the administrator switched off.
        assert!(check_file("a.pdf", b"%PDF-1.7", 100, &["jpeg".into()]).is_err());
    }

    #[test]
    fn size_limit_named_in_megabytes() {
        let big = vec![0xFFu8; 11 * 1024 * 1024];
        let e = check_file("big.jpg", &big, 10 * 1024 * 1024, &all()).unwrap_err();
        assert!(e.0[0].message.contains("не более 10 МБ"), "{e:?}");
        assert!(e.0[0].message.contains("11,0 МБ"), "{e:?}");
        assert!(check_file("e.jpg", b"", 10, &all()).is_err());
    }
}
