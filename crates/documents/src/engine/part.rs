//! A batch of the print run: each document is typeset once, on a few threads, and gives both
//! its own PDF (archive, e-mail) and its pages for the batch's part of the one PDF for
//! printing (fonts shared within the part). Parts are joined by [`crate::PdfJoiner`].

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use chrono::Datelike;
use typst::foundations::Smart;
use typst::model::Document as _;
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, Timestamp};

use super::{compile, document_pdf, Engine, RenderRequest};
use crate::error::RenderError;
use crate::view::prepare;

/// A typeset batch: one PDF per request, in their order, and all their pages as one PDF.
pub struct Batch {
    pub pdfs: Vec<Vec<u8>>,
    pub part: Vec<u8>,
}

type Typeset = Result<(PagedDocument, Vec<u8>), RenderError>;

impl Engine {
    /// Typesets `reqs` on `threads` threads. The first failure is answered with the index of
    /// its request; then nothing of the batch is usable.
    pub fn render_part(
        &self,
        reqs: &[RenderRequest<'_>],
        threads: usize,
    ) -> Result<Batch, (usize, RenderError)> {
        let slots: Vec<Mutex<Option<Typeset>>> = reqs.iter().map(|_| Mutex::new(None)).collect();
        let next = AtomicUsize::new(0);
        std::thread::scope(|s| {
            for _ in 0..threads.clamp(1, reqs.len().max(1)) {
                s.spawn(|| loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(req) = reqs.get(i) else { break };
                    let done = self.typeset(req);
                    if let Ok(mut slot) = slots[i].lock() {
                        *slot = Some(done);
                    }
                });
            }
        });
        let mut pdfs = Vec::with_capacity(reqs.len());
        let mut pages = typst::ecow::EcoVec::new();
        let mut info = None;
        for (i, slot) in slots.into_iter().enumerate() {
            let done = slot
                .into_inner()
                .ok()
                .flatten()
                .unwrap_or_else(|| Err(RenderError::Pdf("документ не свёрстан".into())));
            let (doc, pdf) = done.map_err(|e| (i, e))?;
            pages.extend(doc.pages().iter().cloned());
            info.get_or_insert_with(|| doc.info().clone());
            pdfs.push(pdf);
        }
        let Some(first) = reqs.first() else {
            return Err((0, RenderError::Pdf("нет ни одного документа".into())));
        };
        let doc = PagedDocument::new(pages, info.unwrap_or_default());
        let day = typst::foundations::Datetime::from_ymd(
            first.issued_on.year(),
            first.issued_on.month() as u8,
            first.issued_on.day() as u8,
        );
        let options = PdfOptions {
            creator: Smart::Custom(Some("abonent".into())),
            timestamp: day.map(Timestamp::new_utc),
            ..PdfOptions::default()
        };
        let part = typst_pdf::pdf(&doc, &options).map_err(|d| {
            let m = d.first().map(|e| e.message.to_string());
            (
                0,
                RenderError::Pdf(m.unwrap_or_else(|| "неизвестная ошибка".into())),
            )
        })?;
        Ok(Batch { pdfs, part })
    }

    fn typeset(&self, req: &RenderRequest<'_>) -> Typeset {
        let prepared = prepare(req).map_err(RenderError::Data)?;
        let world = self.world(req.kind, req.template_override, prepared, req.issued_on)?;
        let doc = compile(&world)?;
        let pdf = document_pdf(&doc, &world, req)?;
        self.tick();
        Ok((doc, pdf))
    }
}
