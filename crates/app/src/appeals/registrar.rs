//! This instance's writer of registered appeals (group commit).
//!
//! The gapless number's counter row stays locked from the moment a number is taken until
//! the commit has reached the disk, so one transaction per appeal caps registration at one
//! commit flush at a time (about 400 a second on PostgreSQL here, with idle cores). Instead
//! each instance has one writer task: registrations prepared by the request handlers queue
//! for it, and it writes whatever has queued — up to [`MAX_BATCH`] appeals — in one
//! transaction (`abonent_storage::appeals::insert`). Under light load a batch is one appeal.
//! If a batch fails, each of its appeals is written alone, so an error reaches only the
//! registration that caused it. Numbers stay gapless: a failed transaction gives all its
//! numbers back.

use std::sync::{Arc, Mutex};

use abonent_storage::appeals::insert::{write_pooled, Prepared, Written, MAX_BATCH};
use abonent_storage::{Db, StoreError};
use tokio::sync::{mpsc, oneshot};

use crate::AppError;

/// What the specialist reads when the writer itself failed (not the appeal's data).
const NOT_WRITTEN: &str =
    "Обращение не зарегистрировано: запись в базу прервалась. Повторите регистрацию.";

type Job = (Prepared, oneshot::Sender<Result<Written, StoreError>>);

/// The writer task's queue, started on first use; shared by the clones of an `App`.
#[derive(Clone, Default)]
pub struct Registrar(Arc<Mutex<Option<mpsc::Sender<Job>>>>);

impl Registrar {
    /// Write `p` through this instance's writer task, starting it if needed.
    pub async fn submit(&self, db: &Db, p: Prepared) -> Result<Written, AppError> {
        let lost = || AppError::Internal(NOT_WRITTEN.into());
        let mut job = p;
        // A task started on a runtime that has since ended is gone: start another and retry.
        for _ in 0..2 {
            let sender = {
                let mut h = self.0.lock().map_err(|_| lost())?;
                match h.as_ref() {
                    Some(s) if !s.is_closed() => s.clone(),
                    _ => {
                        let s = start(db.clone());
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

fn start(db: Db) -> mpsc::Sender<Job> {
    let (sender, mut receiver) = mpsc::channel::<Job>(4 * MAX_BATCH);
    tokio::spawn(async move {
        while let Some(first) = receiver.recv().await {
            let mut jobs = vec![first];
            while jobs.len() < MAX_BATCH {
                match receiver.try_recv() {
                    Ok(j) => jobs.push(j),
                    Err(_) => break,
                }
            }
            run(&db, jobs).await;
        }
    });
    sender
}

/// Writes one batch and answers each registration; a failed batch is written again one
/// appeal at a time.
async fn run(db: &Db, jobs: Vec<Job>) {
    let items: Vec<&Prepared> = jobs.iter().map(|(p, _)| p).collect();
    match write_pooled(db, &items).await {
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
                let one = write_pooled(db, &[&p]).await;
                let _ = reply.send(one.map(|mut w| w.remove(0)));
            }
        }
    }
}
