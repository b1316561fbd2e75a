//! A run's files, sent as they are made so that memory does not grow with the run: the one
//! PDF for printing, joined from its parts one part at a time, and the accounts' own files
//! (one per account, for e-mail) as one ZIP, one document at a time.

use std::io::{self, Write};

use abonent_documents::PdfJoiner;
use abonent_domain::ValidationErrors;
use abonent_storage::documents::{self, print_run};
use abonent_storage::jobs::Job;
use tokio::runtime::Handle;
use tokio::sync::mpsc;

use crate::{App, AppError};

/// The bytes of a file as they are made; an error ends it.
pub type Chunks = mpsc::Receiver<io::Result<Vec<u8>>>;

/// How much is sent at once, and how many such pieces may wait to be sent.
const PIECE: usize = 256 * 1024;
const WAITING: usize = 4;

/// A run's job (its progress and, when done, its report).
pub async fn job(app: &App, id: i64) -> Result<Job, AppError> {
    let j = app.jobs.get(id).await?;
    if j.kind != print_run::JOB_KIND {
        return Err(AppError::NotFound("печать квитанций".into()));
    }
    Ok(j)
}

/// The documents of a finished run, in print order; a person's words when there are none.
async fn issued(app: &App, id: i64) -> Result<Vec<i64>, AppError> {
    let j = job(app, id).await?;
    let ids: Vec<i64> = j
        .result
        .as_ref()
        .and_then(|r| r["document_ids"].as_array())
        .map(|a| a.iter().filter_map(|v| v.as_i64()).collect())
        .unwrap_or_default();
    if j.status != "done" || ids.is_empty() {
        return Err(AppError::Invalid(ValidationErrors::single(
            "job",
            match j.status.as_str() {
                "running" => "Квитанции ещё выпускаются: дождитесь конца печати.",
                "done" => "Ни одной квитанции не выпущено: печатать нечего.",
                _ => "Печать квитанций не удалась: запустите её снова.",
            },
        )));
    }
    Ok(ids)
}

/// Sends what is written through the channel, a piece at a time.
struct Sender {
    tx: mpsc::Sender<io::Result<Vec<u8>>>,
    buf: Vec<u8>,
}

impl Sender {
    fn send(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let piece = std::mem::replace(&mut self.buf, Vec::with_capacity(PIECE));
        self.tx
            .blocking_send(Ok(piece))
            .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "загрузка прервана"))
    }
}

impl Write for Sender {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= PIECE {
            self.send()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.send()
    }
}

/// Runs `make` on a thread of its own, writing into the returned chunks.
fn stream(make: impl FnOnce(&mut Sender, &Handle) -> io::Result<()> + Send + 'static) -> Chunks {
    let (tx, rx) = mpsc::channel(WAITING);
    let handle = Handle::current();
    tokio::task::spawn_blocking(move || {
        let mut out = Sender {
            tx: tx.clone(),
            buf: Vec::with_capacity(PIECE),
        };
        if let Err(e) = make(&mut out, &handle).and_then(|()| out.flush()) {
            tracing::warn!("print run file: {e}");
            let _ = tx.blocking_send(Err(e));
        }
    });
    rx
}

fn io_err(e: impl std::fmt::Display) -> io::Error {
    io::Error::other(e.to_string())
}

/// The run's documents as one PDF for printing, in print order, once the run is done.
pub async fn pdf(app: &App, id: i64) -> Result<Chunks, AppError> {
    issued(app, id).await?;
    let parts = print_run::parts(&app.db, id).await?;
    if parts.is_empty() {
        return Err(AppError::Invalid(ValidationErrors::single(
            "job",
            "У этой печати нет файла для печати (она выполнена прежней версией): запустите \
             печать снова.",
        )));
    }
    let db = app.db.clone();
    Ok(stream(move |out, handle| {
        let mut joiner = PdfJoiner::new(out)?;
        for part in parts {
            let pdf = handle
                .block_on(print_run::part_pdf(&db, id, part))
                .map_err(io_err)?;
            joiner.append(pdf)?;
        }
        joiner.finish().map(|_| ())
    }))
}

/// The run's documents, one PDF per account for e-mail, as one ZIP (files named by the
/// account and the document's number).
pub async fn accounts_zip(app: &App, id: i64) -> Result<Chunks, AppError> {
    let ids = issued(app, id).await?;
    let db = app.db.clone();
    Ok(stream(move |out, handle| {
        let mut zip = zip::ZipWriter::new_stream(out);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        for id in ids {
            let (d, (number, pdf)) = handle
                .block_on(async {
                    Ok::<_, abonent_storage::StoreError>((
                        documents::get(&db, id).await?,
                        documents::pdf(&db, id).await?,
                    ))
                })
                .map_err(io_err)?;
            let account = d.data["account"].as_str().unwrap_or_default().to_string();
            let name = format!("{account} {number}.pdf").replace(['/', '\\'], "-");
            zip.start_file(name, options).map_err(io_err)?;
            zip.write_all(&pdf)?;
        }
        zip.finish().map_err(io_err)?;
        Ok(())
    }))
}
