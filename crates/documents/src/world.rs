//! A closed typst `World`: only the template, `/common.typ`, `/data.json`, `/qr.svg` and the
//! fonts shipped in this crate exist. No package, font or file is ever read from disk or
//! the network.

use std::sync::LazyLock;

use typst::diag::{FileError, FileResult, PackageError};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

use crate::kind::{COMMON_FILE, COMMON_SOURCE};
use crate::DocKind;

/// The fonts in `fonts/`: Noto Serif with Cyrillic and ₽ (OFL, fonts/OFL.txt) and DejaVu Serif as
/// the fallback (free licence, fonts/DejaVu-LICENSE.txt).
static FONT_FILES: [&[u8]; 4] = [
    include_bytes!("../fonts/NotoSerif-Regular.ttf"),
    include_bytes!("../fonts/NotoSerif-Bold.ttf"),
    include_bytes!("../fonts/NotoSerif-Italic.ttf"),
    // Fallback for what Noto Serif lacks: the minus sign of formulas (−), ≤, ≥. typst takes a
    // missing character from any font in the book, so no template names it.
    include_bytes!("../fonts/DejaVuSerif.ttf"),
];

/// File ids are interned for the process lifetime (at most 2^16), so they are fixed paths.
fn file_id(path: &str) -> FileId {
    let vpath = VirtualPath::new(path).expect("static path is valid");
    RootedPath::new(VirtualRoot::Project, vpath).intern()
}

static COMMON_ID: LazyLock<FileId> = LazyLock::new(|| file_id(&format!("/{COMMON_FILE}")));
static DATA_ID: LazyLock<FileId> = LazyLock::new(|| file_id("/data.json"));
static QR_ID: LazyLock<FileId> = LazyLock::new(|| file_id(crate::payment::QR_PATH));
static TABLES_ID: LazyLock<FileId> = LazyLock::new(|| file_id("/tables.typ"));

pub(crate) fn main_id(kind: DocKind) -> FileId {
    static IDS: LazyLock<Vec<FileId>> = LazyLock::new(|| {
        DocKind::ALL
            .iter()
            .map(|k| file_id(&format!("/{}", k.template_file())))
            .collect()
    });
    IDS[kind as usize]
}

/// Everything parsed once per engine: library, fonts, shipped sources.
pub(crate) struct Shared {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    common: Source,
    shipped: Vec<Source>,
}

impl Shared {
    pub fn new() -> Shared {
        let fonts: Vec<Font> = FONT_FILES
            .iter()
            .flat_map(|data| Font::iter(Bytes::new(*data)))
            .collect();
        let shipped = DocKind::ALL
            .iter()
            .map(|k| Source::new(main_id(*k), k.template().source.to_string()))
            .collect();
        Shared {
            library: LazyHash::new(Library::default()),
            book: LazyHash::new(FontBook::from_fonts(&fonts)),
            fonts,
            common: Source::new(*COMMON_ID, COMMON_SOURCE.to_string()),
            shipped,
        }
    }

    pub fn font_count(&self) -> usize {
        self.fonts.len()
    }
}

/// One compilation: the shared parts plus this document's template and data.
pub(crate) struct DocWorld<'a> {
    shared: &'a Shared,
    main: Source,
    data: Bytes,
    qr: Option<Bytes>,
    today: Datetime,
}

impl<'a> DocWorld<'a> {
    /// `template`: an edited source, or None for the shipped one.
    pub fn new(
        shared: &'a Shared,
        kind: DocKind,
        template: Option<&str>,
        data: Vec<u8>,
        qr: Option<String>,
        today: chrono::NaiveDate,
    ) -> DocWorld<'a> {
        use chrono::Datelike;
        let main = match template {
            Some(text) => Source::new(main_id(kind), text.to_string()),
            None => shared.shipped[kind as usize].clone(),
        };
        let today = Datetime::from_ymd(today.year(), today.month() as u8, today.day() as u8)
            .expect("a chrono date is a valid date");
        DocWorld {
            shared,
            main,
            data: Bytes::new(data),
            qr: qr.map(Bytes::from_string),
            today,
        }
    }

    /// The plain tables document ([`crate::TablesDoc`] as `data`).
    pub fn tables(shared: &'a Shared, data: Vec<u8>, today: chrono::NaiveDate) -> DocWorld<'a> {
        use chrono::Datelike;
        let today = Datetime::from_ymd(today.year(), today.month() as u8, today.day() as u8)
            .expect("a chrono date is a valid date");
        DocWorld {
            shared,
            main: Source::new(*TABLES_ID, crate::tables::SOURCE.to_string()),
            data: Bytes::new(data),
            qr: None,
            today,
        }
    }

    pub fn main_id(&self) -> FileId {
        self.main.id()
    }

    pub fn today(&self) -> Datetime {
        self.today
    }

    /// The source for an id, if it is one of ours.
    pub fn source_of(&self, id: FileId) -> Option<Source> {
        if id == self.main.id() {
            Some(self.main.clone())
        } else if id == *COMMON_ID {
            Some(self.shared.common.clone())
        } else {
            None
        }
    }
}

fn not_found(id: FileId) -> FileError {
    // Packages would be downloaded: refused, with typst's own "package not found" wording.
    if let VirtualRoot::Package(spec) = id.root() {
        return FileError::Package(PackageError::NotFound(spec.clone()));
    }
    FileError::NotFound(id.vpath().get_with_slash().into())
}

impl World for DocWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.shared.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.shared.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        self.source_of(id).ok_or_else(|| not_found(id))
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == *DATA_ID {
            return Ok(self.data.clone());
        }
        if id == *QR_ID {
            return self.qr.clone().ok_or_else(|| not_found(id));
        }
        self.source_of(id)
            .map(|s| Bytes::from_string(s.text().to_string()))
            .ok_or_else(|| not_found(id))
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.shared.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        Some(self.today)
    }
}
