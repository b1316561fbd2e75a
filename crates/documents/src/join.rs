//! Joins PDFs into one, written as it goes: each PDF's pages (with what they use) are copied
//! into the output and forgotten, so memory does not grow with the number of inputs — only a
//! list of object offsets (a few bytes per object) is kept for the cross-reference table.
//! The print run joins its parts (one per batch of documents) into the one PDF for printing.

use std::io::{self, Write};

use hayro_write::hayro_syntax::Pdf;
use hayro_write::{extract, ChunkSettings, ExtractionQuery};
use pdf_writer::{Chunk, Ref};

const ROOT_PAGES: Ref = Ref::new(1);
const CATALOG: Ref = Ref::new(2);

/// Writes one PDF to `out` from the PDFs appended in order.
pub struct PdfJoiner<W: Write> {
    out: W,
    written: usize,
    next: i32,
    /// (object number, byte offset) of every object written.
    offsets: Vec<(i32, usize)>,
    /// The page tree node of each appended PDF.
    kids: Vec<Ref>,
    pages: usize,
}

fn bad(m: impl std::fmt::Display) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, m.to_string())
}

impl<W: Write> PdfJoiner<W> {
    pub fn new(mut out: W) -> io::Result<Self> {
        let header = b"%PDF-1.7\n%\x80\x80\x80\x80\n";
        out.write_all(header)?;
        Ok(PdfJoiner {
            out,
            written: header.len(),
            next: 3,
            offsets: Vec::new(),
            kids: Vec::new(),
            pages: 0,
        })
    }

    /// Pages written so far.
    pub fn pages(&self) -> usize {
        self.pages
    }

    /// Appends every page of `pdf`; answers how many.
    pub fn append(&mut self, pdf: Vec<u8>) -> io::Result<usize> {
        let doc = Pdf::new(pdf).map_err(|e| bad(format!("PDF не прочитан: {e:?}")))?;
        let count = doc.pages().len();
        let queries: Vec<ExtractionQuery> = (0..count).map(ExtractionQuery::new_page).collect();
        let mut next = self.next;
        let res = extract(
            &doc,
            Box::new(|| {
                next += 1;
                Ref::new(next - 1)
            }),
            ChunkSettings::default(),
            |_: &mut pdf_writer::writers::Group<'_>| {},
            &queries,
        )
        .map_err(|e| bad(format!("{e:?}")))?;
        self.next = next;
        let kids = res
            .root_refs
            .into_iter()
            .collect::<Result<Vec<Ref>, _>>()
            .map_err(|e| bad(format!("{e:?}")))?;
        self.write_chunk(&res.chunk)?;
        let mut node = Chunk::new();
        node.pages(res.page_tree_parent_ref)
            .parent(ROOT_PAGES)
            .count(kids.len() as i32)
            .kids(kids.iter().copied());
        self.write_chunk(&node)?;
        self.kids.push(res.page_tree_parent_ref);
        self.pages += count;
        Ok(count)
    }

    /// Writes the page tree, the catalog and the cross-reference table; answers the output.
    pub fn finish(mut self) -> io::Result<W> {
        let mut tail = Chunk::new();
        tail.pages(ROOT_PAGES)
            .count(self.pages as i32)
            .kids(self.kids.iter().copied());
        tail.indirect(CATALOG)
            .start::<pdf_writer::writers::Catalog>()
            .pages(ROOT_PAGES);
        self.write_chunk(&tail)?;
        self.offsets.sort_unstable();
        let size = self.next.max(3);
        let mut xref = format!("xref\n0 {size}\n0000000000 65535 f\r\n");
        let mut at = self.offsets.iter().peekable();
        for id in 1..size {
            match at.next_if(|(n, _)| *n == id) {
                Some((_, off)) => xref.push_str(&format!("{off:010} 00000 n\r\n")),
                None => xref.push_str("0000000000 65535 f\r\n"),
            }
        }
        xref.push_str(&format!(
            "trailer\n<< /Size {size} /Root {} 0 R >>\nstartxref\n{}\n%%EOF\n",
            CATALOG.get(),
            self.written
        ));
        self.out.write_all(xref.as_bytes())?;
        self.out.flush()?;
        Ok(self.out)
    }

    /// Writes a chunk's objects, finding where each starts: pdf-writer writes them one after
    /// another, each opening with `N 0 obj` and closing with `endobj`.
    fn write_chunk(&mut self, chunk: &Chunk) -> io::Result<()> {
        let bytes = chunk.as_bytes();
        let mut from = 0;
        for r in chunk.refs() {
            let head = format!("{} 0 obj\n", r.get());
            let at = if bytes[from..].starts_with(head.as_bytes()) {
                from
            } else {
                object_start(bytes, from, head.as_bytes())
                    .ok_or_else(|| bad(format!("объект {} не найден", r.get())))?
            };
            self.offsets.push((r.get(), self.written + at));
            from = at + head.len();
        }
        self.out.write_all(bytes)?;
        self.written += bytes.len();
        Ok(())
    }
}

/// Where the object opening with `head` starts, after `from`: right after an `endobj` line
/// (and the blank line pdf-writer may put between objects).
fn object_start(bytes: &[u8], from: usize, head: &[u8]) -> Option<usize> {
    let mut at = from;
    while let Some(i) = bytes[at..].windows(head.len()).position(|w| w == head) {
        let start = at + i;
        let before = &bytes[..start];
        if before.ends_with(b"endobj\n") || before.ends_with(b"endobj\n\n") {
            return Some(start);
        }
        at = start + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{samples, DocKind, Engine, RenderRequest};

    #[test]
    fn joined_pdf_has_every_page_in_order() {
        let engine = Engine::new();
        let org = samples::organization();
        let req = |n: &str| RenderRequest {
            kind: DocKind::RegistrationCertificate,
            template_override: None,
            org: &org,
            data: samples::data(DocKind::RegistrationCertificate),
            reg_number: n.into(),
            issued_on: samples::date(),
        };
        let a = engine
            .render_part(&[req("А-1"), req("А-2")], 2)
            .ok()
            .unwrap();
        let b = engine.render(&req("Б-3")).unwrap();
        let mut j = PdfJoiner::new(Vec::new()).unwrap();
        assert_eq!(j.append(a.part).unwrap(), 2);
        assert_eq!(j.append(b).unwrap(), 1);
        let out = j.finish().unwrap();
        let joined = Pdf::new(out).expect("the joined PDF reads back");
        assert_eq!(joined.pages().len(), 3);
        assert_eq!(a.pdfs.len(), 2);
    }
}
