//! Reading PDFs back with poppler-utils (pdftotext, pdffonts, pdftoppm). A missing tool fails
//! the test with the command to install it: these tests never skip.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use abonent_documents::{samples, DocKind, Engine, Organization, RenderError, RenderRequest};

/// One engine per test binary, as the server keeps one.
pub fn engine() -> &'static Engine {
    static ENGINE: std::sync::OnceLock<Engine> = std::sync::OnceLock::new();
    ENGINE.get_or_init(Engine::new)
}

pub fn render_with(
    kind: DocKind,
    org: &Organization,
    data: serde_json::Value,
    template: Option<&str>,
) -> Result<Vec<u8>, RenderError> {
    engine().render(&RenderRequest {
        kind,
        template_override: template,
        org,
        data,
        reg_number: format!("ТЕСТ-{}", kind.code().len()),
        issued_on: samples::date(),
    })
}

/// The shipped template of `kind` on its sample data.
pub fn render_sample(kind: DocKind) -> Vec<u8> {
    render_with(kind, &samples::organization(), samples::data(kind), None)
        .unwrap_or_else(|e| panic!("{kind:?} did not render: {e}"))
}

/// A scratch file that is removed when dropped.
pub struct Scratch(pub PathBuf);

impl Scratch {
    pub fn with(bytes: &[u8], ext: &str) -> Scratch {
        static N: AtomicUsize = AtomicUsize::new(0);
        let n = N.fetch_add(1, Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!(
            "abonent-documents-{}-{n}.{ext}",
            std::process::id()
        ));
        std::fs::write(&path, bytes).expect("write scratch file");
        Scratch(path)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn run(tool: &str, args: &[&std::ffi::OsStr]) -> Vec<u8> {
    let out = Command::new(tool).args(args).output().unwrap_or_else(|e| {
        panic!(
            "{tool} не запускается ({e}): установите poppler-utils \
             (apt-get install poppler-utils) — без него PDF не проверить"
        )
    });
    assert!(
        out.status.success(),
        "{tool} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// pdftotext output; `layout` keeps the visual rows.
pub fn pdf_text(pdf: &[u8], layout: bool) -> String {
    let f = Scratch::with(pdf, "pdf");
    let mut args: Vec<&std::ffi::OsStr> = vec!["-enc".as_ref(), "UTF-8".as_ref()];
    if layout {
        args.push("-layout".as_ref());
    }
    args.push(f.0.as_os_str());
    args.push("-".as_ref());
    String::from_utf8(run("pdftotext", &args)).expect("pdftotext gives UTF-8")
}

/// All whitespace collapsed to single spaces: for "contains" checks across line breaks.
pub fn flat_text(pdf: &[u8]) -> String {
    pdf_text(pdf, false)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The layout text with each row's spacing collapsed and blank rows dropped: what the golden
/// files hold (rows and their order are the layout; exact spacing is not).
pub fn normalized_layout(pdf: &[u8]) -> String {
    let mut out = String::new();
    for line in pdf_text(pdf, true).lines() {
        let row = line.split_whitespace().collect::<Vec<_>>().join(" ");
        if !row.is_empty() {
            out.push_str(&row);
            out.push('\n');
        }
    }
    out
}

/// (font name, embedded) per font in the PDF, from pdffonts.
pub fn pdf_fonts(pdf: &[u8]) -> Vec<(String, bool)> {
    let f = Scratch::with(pdf, "pdf");
    let out = String::from_utf8(run("pdffonts", &[f.0.as_os_str()])).expect("utf-8");
    out.lines()
        .skip(2)
        .filter_map(|l| {
            let cols: Vec<&str> = l.split_whitespace().collect();
            // name, type…, encoding, emb, sub, uni, object id, generation
            let n = cols.len();
            (n >= 7).then(|| (cols[0].to_string(), cols[n - 5] == "yes"))
        })
        .collect()
}

/// The first page as a greyscale image at `dpi`.
pub fn rasterize(pdf: &[u8], dpi: u32) -> image::GrayImage {
    let f = Scratch::with(pdf, "pdf");
    let dpi = dpi.to_string();
    let png = run(
        "pdftoppm",
        &[
            "-r".as_ref(),
            dpi.as_ref(),
            "-gray".as_ref(),
            "-png".as_ref(),
            "-singlefile".as_ref(),
            f.0.as_os_str(),
        ],
    );
    image::load_from_memory(&png)
        .expect("pdftoppm gives a PNG")
        .to_luma8()
}
