//! One writer task per instance for a kind of small write that many requests make at once
//! (registered appeals, entries of the personal-data access log): requests queue their item
//! and wait, the task writes whatever has queued — up to [`BatchWriter::MAX_BATCH`] items —
//! in one transaction and answers each. Under light load a batch is one item; under load the
//! cost of a commit is shared. If a batch fails, each of its items is written alone, so an
//! error reaches only the request that caused it.

use std::future::Future;
use std::sync::{Arc, Mutex};

use abonent_storage::{Db, StoreError};
use tokio::sync::{mpsc, oneshot};

use crate::AppError;

/// How one kind of item is written, several per transaction.
pub trait BatchWriter: Send + Sync + 'static {
    type Item: Send + Sync + 'static;
    type Out: Send + 'static;
    /// The most items one transaction writes.
    const MAX_BATCH: usize;
    /// Writes `items` in one transaction; answers one result per item, in their order.
    fn write(
        db: &Db,
        items: &[&Self::Item],
    ) -> impl Future<Output = Result<Vec<Self::Out>, StoreError>> + Send;
}

type Reply<W> = oneshot::Sender<Result<<W as BatchWriter>::Out, StoreError>>;
type Job<W> = (<W as BatchWriter>::Item, Reply<W>);

/// The writer task's queue, started on first use; shared by the clones of an `App`.
pub struct GroupCommit<W: BatchWriter>(Arc<Mutex<Option<mpsc::Sender<Job<W>>>>>);

impl<W: BatchWriter> Clone for GroupCommit<W> {
    fn clone(&self) -> Self {
        GroupCommit(self.0.clone())
    }
}

impl<W: BatchWriter> Default for GroupCommit<W> {
    fn default() -> Self {
        GroupCommit(Arc::new(Mutex::new(None)))
    }
}

impl<W: BatchWriter> GroupCommit<W> {
    /// Writes `item` through this instance's writer task, starting it if needed; `lost` is
    /// the error when the task itself is gone (not the item's fault).
    pub async fn submit(
        &self,
        db: &Db,
        item: W::Item,
        lost: impl Fn() -> AppError,
    ) -> Result<W::Out, AppError> {
        let mut job = item;
        // A task started on a runtime that has since ended is gone: start another and retry.
        for _ in 0..2 {
            let sender = {
                let mut h = self.0.lock().map_err(|_| lost())?;
                match h.as_ref() {
                    Some(s) if !s.is_closed() => s.clone(),
                    _ => {
                        let s = start::<W>(db.clone());
                        *h = Some(s.clone());
                        s
                    }
                }
            };
            let (tx, rx) = oneshot::channel();
            match sender.send((job, tx)).await {
                Ok(()) => return Ok(rx.await.map_err(|_| lost())??),
                Err(mpsc::error::SendError((back, _))) => job = back,
            }
        }
        Err(lost())
    }
}

fn start<W: BatchWriter>(db: Db) -> mpsc::Sender<Job<W>> {
    let (sender, mut receiver) = mpsc::channel::<Job<W>>(4 * W::MAX_BATCH);
    tokio::spawn(async move {
        while let Some(first) = receiver.recv().await {
            let mut jobs = vec![first];
            while jobs.len() < W::MAX_BATCH {
                match receiver.try_recv() {
                    Ok(j) => jobs.push(j),
                    Err(_) => break,
                }
            }
            run::<W>(&db, jobs).await;
        }
    });
    sender
}

/// Writes one batch and answers each request; a failed batch is written again one item at a
/// time. (A request that stopped waiting drops its reply: sending to it fails harmlessly.)
async fn run<W: BatchWriter>(db: &Db, jobs: Vec<Job<W>>) {
    let items: Vec<&W::Item> = jobs.iter().map(|(p, _)| p).collect();
    match W::write(db, &items).await {
        Ok(written) => {
            for ((_, reply), w) in jobs.into_iter().zip(written) {
                let _ = reply.send(Ok(w));
            }
        }
        Err(e) if jobs.len() == 1 => {
            if let Some((_, reply)) = jobs.into_iter().next() {
                let _ = reply.send(Err(e));
            }
        }
        Err(_) => {
            for (p, reply) in jobs {
                let one = W::write(db, &[&p]).await;
                let _ = reply.send(one.map(|mut w| w.remove(0)));
            }
        }
    }
}
