//! Scans attached to letters: PDF, JPEG, PNG or TIFF up to 20 MB. The type is read from the
//! file's first bytes, never trusted from the browser or the name.

use crate::ValidationErrors;

pub const MAX_ATTACHMENT_BYTES: usize = 20 * 1024 * 1024;

/// The cleaned file name and the MIME type of an acceptable scan; Russian errors on `file`.
pub fn check_attachment(
    file_name: &str,
    content: &[u8],
) -> Result<(String, &'static str), ValidationErrors> {
    // Browsers on Windows may send a full path; keep the last part, without control chars.
    let base = file_name.rsplit(['/', '\\']).next().unwrap_or("");
    let mut name: String = base.chars().filter(|c| !c.is_control()).take(200).collect();
    if name.trim().is_empty() {
        name = "скан".into();
    }
    let fail = |m: String| Err(ValidationErrors::single("file", m));
    if content.is_empty() {
        return fail(
            "Файл не выбран или пустой: выберите скан письма (PDF, JPEG, PNG или TIFF).".into(),
        );
    }
    if content.len() > MAX_ATTACHMENT_BYTES {
        let mb = format!("{:.1}", content.len() as f64 / (1024.0 * 1024.0)).replace('.', ",");
        return fail(format!(
            "Файл «{name}» весит {mb} МБ, а допустимо не более 20 МБ: отсканируйте с меньшим разрешением или разделите на части."
        ));
    }
    let mime = if content.starts_with(b"%PDF-") {
        "application/pdf"
    } else if content.starts_with(&[0xFF, 0xD8, 0xFF]) {
        "image/jpeg"
    } else if content.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        "image/png"
    } else if content.starts_with(b"II*\0") || content.starts_with(b"MM\0*") {
        "image/tiff"
    } else {
        return fail(format!(
            "Файл «{name}» — не PDF, JPEG, PNG или TIFF: сохраните скан в одном из этих форматов."
        ));
    };
    Ok((name, mime))
}
