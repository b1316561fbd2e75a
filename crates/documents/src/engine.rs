//! The engine: request in, PDF bytes out.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use chrono::NaiveDate;
use typst::foundations::Smart;
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, Timestamp};

use crate::error::{template_error, RenderError};
use crate::view::{prepare, Prepared};
use crate::world::{DocWorld, Shared};
use crate::{payment, samples, DocKind, Organization, TemplateInfo};

/// One document to render.
#[derive(Debug, Clone)]
pub struct RenderRequest<'a> {
    pub kind: DocKind,
    /// An administrator's edited template; None = the shipped one.
    pub template_override: Option<&'a str>,
    pub org: &'a Organization,
    /// One of the [`crate::data`] shapes as JSON (see docs/DOCUMENTS.md).
    pub data: serde_json::Value,
    /// Registration number printed on the document (given by the numbering scheme).
    pub reg_number: String,
    /// Date of issue; also typst's "today".
    pub issued_on: NaiveDate,
}

/// Renders documents. Parsed fonts and templates are shared: clone freely, use from any thread.
#[derive(Clone)]
pub struct Engine {
    shared: Arc<Shared>,
    renders: Arc<AtomicUsize>,
}

/// typst memoizes layout across compilations (that is what makes warm renders fast); without
/// eviction its cache grows with every distinct document. Every `EVICT_EVERY` renders we drop
/// what was not reused in the last `EVICT_MAX_AGE` rounds, keeping memory flat.
const EVICT_EVERY: usize = 64;
const EVICT_MAX_AGE: usize = 2;

impl Default for Engine {
    fn default() -> Self {
        Self::new()
    }
}

impl Engine {
    pub fn new() -> Engine {
        Engine {
            shared: Arc::new(Shared::new()),
            renders: Arc::new(AtomicUsize::new(0)),
        }
    }

    /// The templates shipped with the product, one per kind.
    pub fn shipped_templates() -> &'static [TemplateInfo] {
        crate::kind::shipped_templates()
    }

    /// Number of font faces shipped (for diagnostics).
    pub fn font_count(&self) -> usize {
        self.shared.font_count()
    }

    /// Checks the data and the organization's details without typesetting: call it before
    /// taking a registration number, so bad input consumes none.
    pub fn validate(&self, req: &RenderRequest<'_>) -> Result<(), RenderError> {
        prepare(req).map(|_| ()).map_err(RenderError::Data)
    }

    /// Checks the data, then typesets and writes the PDF. Nothing is produced on any error.
    pub fn render(&self, req: &RenderRequest<'_>) -> Result<Vec<u8>, RenderError> {
        let prepared = prepare(req).map_err(RenderError::Data)?;
        let world = self.world(req.kind, req.template_override, prepared, req.issued_on)?;
        let doc = compile(&world)?;
        let pdf = document_pdf(&doc, &world, req)?;
        self.tick();
        Ok(pdf)
    }

    /// Many documents as one PDF for printing, in the order given: each is typeset alone
    /// (its own «Страница N из M»), then their pages are put together. Any error stops it.
    pub fn render_combined<'a>(
        &self,
        reqs: impl IntoIterator<Item = RenderRequest<'a>>,
    ) -> Result<Vec<u8>, RenderError> {
        use typst::model::Document as _;
        let mut pages = typst::ecow::EcoVec::new();
        let mut first: Option<(typst::model::DocumentInfo, _)> = None;
        for req in reqs {
            let prepared = prepare(&req).map_err(RenderError::Data)?;
            let world = self.world(req.kind, req.template_override, prepared, req.issued_on)?;
            let doc = compile(&world)?;
            pages.extend(doc.pages().iter().cloned());
            if first.is_none() {
                first = Some((doc.info().clone(), world.today()));
            }
            self.tick();
        }
        let Some((info, today)) = first else {
            return Err(RenderError::Pdf("нет ни одного документа".into()));
        };
        let doc = PagedDocument::new(pages, info);
        let options = PdfOptions {
            creator: Smart::Custom(Some("abonent".into())),
            timestamp: Some(Timestamp::new_utc(today)),
            ..PdfOptions::default()
        };
        typst_pdf::pdf(&doc, &options).map_err(|d| {
            RenderError::Pdf(
                d.first()
                    .map(|e| e.message.to_string())
                    .unwrap_or_else(|| "неизвестная ошибка".into()),
            )
        })
    }

    /// A plain document of titled tables (see [`crate::TablesDoc`]): no numbering, no
    /// organization's details, nothing to validate beyond the text itself.
    pub fn render_tables(
        &self,
        doc: &crate::TablesDoc,
        issued_on: NaiveDate,
    ) -> Result<Vec<u8>, RenderError> {
        let data = serde_json::to_vec(doc).map_err(|e| RenderError::Pdf(e.to_string()))?;
        let world = DocWorld::tables(&self.shared, data, issued_on);
        let doc = compile(&world)?;
        let options = PdfOptions {
            creator: Smart::Custom(Some("abonent".into())),
            timestamp: Some(Timestamp::new_utc(world.today())),
            ..PdfOptions::default()
        };
        let pdf = typst_pdf::pdf(&doc, &options).map_err(|d| match d.first() {
            Some(e) if e.span.id().is_some() => template_error(&world, &d),
            Some(e) => RenderError::Pdf(e.message.to_string()),
            None => RenderError::Pdf("неизвестная ошибка".into()),
        })?;
        self.tick();
        Ok(pdf)
    }

    /// Checks an edited template of `kind` by typesetting it on sample data (so a missing
    /// field is caught, not only a syntax error). Ok means it can be saved.
    pub fn check(&self, kind: DocKind, source: &str) -> Result<(), RenderError> {
        let org = samples::organization();
        let req = RenderRequest {
            kind,
            template_override: Some(source),
            org: &org,
            data: samples::data(kind),
            reg_number: "ОБРАЗЕЦ-1".into(),
            issued_on: samples::date(),
        };
        let prepared = prepare(&req).map_err(RenderError::Data)?;
        let world = self.world(kind, Some(source), prepared, req.issued_on)?;
        compile(&world).map(|_| ())
    }

    /// Renders many documents on `threads` threads, calling `on_each(index, result)` as each
    /// finishes (in any order) so the caller can store it and show progress. Requests are
    /// pulled lazily and results are not kept: memory does not grow with the batch.
    pub fn render_batch<'a, I, F>(&self, reqs: I, threads: usize, on_each: F)
    where
        I: Iterator<Item = RenderRequest<'a>> + Send,
        F: Fn(usize, Result<Vec<u8>, RenderError>) + Sync,
    {
        let queue = Mutex::new(reqs.enumerate());
        let next = || queue.lock().unwrap_or_else(|p| p.into_inner()).next();
        std::thread::scope(|s| {
            for _ in 0..threads.max(1) {
                s.spawn(|| {
                    while let Some((i, req)) = next() {
                        on_each(i, self.render(&req));
                    }
                });
            }
        });
    }

    fn world(
        &self,
        kind: DocKind,
        template: Option<&str>,
        prepared: Prepared,
        today: NaiveDate,
    ) -> Result<DocWorld<'_>, RenderError> {
        let data =
            serde_json::to_vec(&prepared.data).map_err(|e| RenderError::Pdf(e.to_string()))?;
        let qr = match &prepared.qr_payload {
            Some(bytes) => Some(payment::qr_svg(bytes).map_err(|m| {
                RenderError::Data(abonent_domain::ValidationErrors::single("qr", m))
            })?),
            None => None,
        };
        Ok(DocWorld::new(&self.shared, kind, template, data, qr, today))
    }

    fn tick(&self) {
        if self.renders.fetch_add(1, Ordering::Relaxed) % EVICT_EVERY == EVICT_EVERY - 1 {
            typst::comemo::evict(EVICT_MAX_AGE);
        }
    }
}

/// The PDF of one typeset document.
fn document_pdf(
    doc: &PagedDocument,
    world: &DocWorld<'_>,
    req: &RenderRequest<'_>,
) -> Result<Vec<u8>, RenderError> {
    let options = PdfOptions {
        // Stable document id and date: re-rendering the same input gives the same file.
        ident: Smart::Custom(format!("abonent/{}/{}", req.kind.code(), req.reg_number)),
        creator: Smart::Custom(Some("abonent".into())),
        timestamp: Some(Timestamp::new_utc(world.today())),
        ..PdfOptions::default()
    };
    typst_pdf::pdf(doc, &options).map_err(|d| match d.first() {
        Some(e) if e.span.id().is_some() => template_error(world, &d),
        Some(e) => RenderError::Pdf(e.message.to_string()),
        None => RenderError::Pdf("неизвестная ошибка".into()),
    })
}

fn compile(world: &DocWorld<'_>) -> Result<PagedDocument, RenderError> {
    typst::compile::<PagedDocument>(world)
        .output
        .map_err(|d| template_error(world, &d))
}

#[cfg(test)]
mod glyph_tests;
mod part;

pub use part::Batch;
