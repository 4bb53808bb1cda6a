//! Group commit for keyed records on SQLite: one writer task runs the
//! writes that arrive together in one transaction, each inside its own
//! savepoint (a refused write undoes only itself), and commits once — one
//! fsync (`synchronous=FULL`) for the whole batch. Every request is
//! answered only after its batch's commit succeeded: nothing is
//! acknowledged before it is durable, and when the commit fails every
//! write of the batch is refused.
//!
//! PostgreSQL commits concurrent transactions in parallel (and groups
//! their WAL flushes itself), so it keeps one transaction per request.

use sqlx::{Any, Transaction};
use tokio::sync::{mpsc, oneshot};

use crate::api::{NewTimeEntry, ProblemCode, User};
use crate::domain::EpochMs;
use crate::server::db::Store;
use crate::server::storage::StorageError;
use crate::server::storage::{IdemRequest, StoredResponse};

/// Writes in one batch at most (a batch holds the writer while it runs).
const MAX_BATCH: usize = 64;
/// Writes waiting for a batch at most; more wait for room.
const QUEUE: usize = 1024;

/// One request's keyed write, as data: the writer task runs it inside the
/// batch's transaction (data, not a closure, so nothing is boxed).
pub enum Work {
    TimeEntry {
        me: User,
        idem: IdemRequest,
        req: NewTimeEntry,
        now: EpochMs,
    },
}

impl Work {
    async fn run(self, tx: &mut Transaction<'static, Any>) -> Result<StoredResponse, StorageError> {
        match self {
            Work::TimeEntry { me, idem, req, now } => {
                super::records::keyed_time_entry(tx, &me, &idem, &req, now).await
            }
        }
    }
}

struct Job {
    work: Work,
    answer: oneshot::Sender<Result<StoredResponse, StorageError>>,
}

pub struct GroupCommit {
    jobs: mpsc::Sender<Job>,
}

fn not_stored() -> StorageError {
    StorageError::refused(
        ProblemCode::Internal,
        "the record could not be stored (the database refused the commit); nothing was saved, send it again",
    )
}

impl GroupCommit {
    /// Starts the writer task; it ends when the last handle is dropped.
    pub fn start(store: Store) -> GroupCommit {
        let (jobs, rx) = mpsc::channel(QUEUE);
        tokio::spawn(writer(store, rx));
        GroupCommit { jobs }
    }

    /// Runs `work` in the next batch; answers once that batch committed.
    pub async fn run(&self, work: Work) -> Result<StoredResponse, StorageError> {
        let (answer, answered) = oneshot::channel();
        self.jobs
            .send(Job { work, answer })
            .await
            .map_err(|_| not_stored())?;
        answered.await.unwrap_or_else(|_| Err(not_stored()))
    }
}

async fn writer(store: Store, mut rx: mpsc::Receiver<Job>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    // Waits for the first write, then takes whatever else is waiting.
    while rx.recv_many(&mut batch, MAX_BATCH).await > 0 {
        run_batch(&store, std::mem::take(&mut batch)).await;
    }
}

async fn savepoint(tx: &mut Transaction<'static, Any>, sql: &'static str) -> Result<(), sqlx::Error> {
    sqlx::query(sql).execute(&mut **tx).await.map(|_| ())
}

async fn run_batch(store: &Store, jobs: Vec<Job>) {
    let mut w = match store.begin_write().await {
        Ok(w) => w,
        Err(e) => {
            tracing::warn!(error = %e, "group commit: cannot begin a transaction");
            for job in jobs {
                let _ = job.answer.send(Err(not_stored()));
            }
            return;
        }
    };
    let mut done = Vec::with_capacity(jobs.len());
    let mut broken = false;
    for job in jobs {
        if broken {
            done.push((job.answer, Err(not_stored())));
            continue;
        }
        if let Err(e) = savepoint(&mut w.tx, "SAVEPOINT dd_write").await {
            tracing::warn!(error = %e, "group commit: savepoint failed");
            broken = true;
            done.push((job.answer, Err(not_stored())));
            continue;
        }
        let result = job.work.run(&mut w.tx).await;
        let end = match &result {
            Ok(_) => savepoint(&mut w.tx, "RELEASE dd_write").await,
            // Undoes this write only; the others in the batch stand.
            Err(_) => match savepoint(&mut w.tx, "ROLLBACK TO dd_write").await {
                Ok(()) => savepoint(&mut w.tx, "RELEASE dd_write").await,
                Err(e) => Err(e),
            },
        };
        if let Err(e) = end {
            tracing::warn!(error = %e, "group commit: ending a savepoint failed");
            broken = true;
        }
        done.push((job.answer, result));
    }
    let crate::server::db::WriteTx { tx, guard } = w;
    let committed = if broken {
        drop(tx);
        Err(not_stored())
    } else {
        tx.commit().await.map_err(|e| {
            tracing::warn!(error = %e, "group commit: commit failed");
            not_stored()
        })
    };
    drop(guard);
    for (answer, result) in done {
        let result = match &committed {
            Ok(()) => result,
            Err(_) => result.and(Err(not_stored())),
        };
        // The request may have gone (client left): its write stands anyway.
        let _ = answer.send(result);
    }
}
