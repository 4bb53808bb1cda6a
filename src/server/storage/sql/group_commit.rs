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

use std::time::Instant;

use sqlx::{Any, Transaction};
use tokio::sync::{mpsc, oneshot};

use super::idempotency::answer_for;
use super::time_entries::{EntryFound, keyed_time_entry, open_keyed};
use crate::api::{NewTimeEntry, ProblemCode, User};
use crate::domain::EpochMs;
use crate::server::aggregate::TxReads;
use crate::server::db::Store;
use crate::server::storage::StorageError;
use crate::server::storage::{IdemRequest, StoredResponse};

/// Writes in one batch at most (a batch holds the writer while it runs).
const MAX_BATCH: usize = 64;
/// Writes waiting for a batch at most; more wait for room.
const QUEUE: usize = 1024;

/// One request's keyed write, as data: the writer task runs it inside the
/// batch's transaction (data, not a closure, so nothing is boxed). What the
/// statistics read is read once per batch (`TxReads`): a kind of write
/// added here must not change campaigns, items' counted columns, users or
/// submissions.
pub enum Work {
    TimeEntry {
        me: User,
        idem: IdemRequest,
        req: NewTimeEntry,
        now: EpochMs,
    },
}

impl Work {
    /// Opens the write's savepoint, looks its key up and reads what the
    /// write is checked against (one round trip).
    async fn open(
        &self,
        tx: &mut Transaction<'static, Any>,
        reads: &mut TxReads,
    ) -> Result<Opened, sqlx::Error> {
        let Work::TimeEntry { me, idem, req, now } = self;
        let (row, found) = open_keyed(tx, reads, me, idem, req, *now).await?;
        Ok(match answer_for(row, idem) {
            Ok(None) => Opened::New(found),
            // A replay, or a key reused for another request: nothing written.
            Ok(Some(stored)) => Opened::Answered(Ok(stored)),
            Err(refused) => Opened::Answered(Err(refused)),
        })
    }

    /// Checks and writes it (one round trip more).
    async fn run(
        self,
        tx: &mut Transaction<'static, Any>,
        reads: &mut TxReads,
        found: EntryFound,
    ) -> Result<StoredResponse, StorageError> {
        match self {
            Work::TimeEntry { me, idem, req, now } => {
                keyed_time_entry(tx, reads, &me, &idem, &req, now, found).await
            }
        }
    }
}

/// A write whose savepoint is open and whose key was looked up.
enum Opened {
    /// A new key: run the write, checked against what was read.
    New(EntryFound),
    /// Answered by what is stored for the key.
    Answered(Result<StoredResponse, StorageError>),
}

struct Job {
    work: Work,
    answer: oneshot::Sender<Result<StoredResponse, StorageError>>,
}

pub struct GroupCommit {
    jobs: mpsc::Sender<Job>,
}

/// What `/metrics` shows of the batches: how many writes share a commit,
/// and how a batch's time splits between its statements and its commit.
#[derive(Clone)]
pub struct BatchMetrics {
    pub writes: prometheus::Histogram,
    pub statements: prometheus::Histogram,
    pub commit: prometheus::Histogram,
}

fn not_stored() -> StorageError {
    StorageError::refused(
        ProblemCode::Internal,
        "the record could not be stored (the database refused the commit); nothing was saved, send it again",
    )
}

impl GroupCommit {
    /// Starts the writer task; it ends when the last handle is dropped.
    pub fn start(store: Store, metrics: Option<BatchMetrics>) -> GroupCommit {
        let (jobs, rx) = mpsc::channel(QUEUE);
        tokio::spawn(writer(store, rx, metrics));
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

async fn writer(store: Store, mut rx: mpsc::Receiver<Job>, metrics: Option<BatchMetrics>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    // Waits for the first write, then takes whatever else is waiting.
    while rx.recv_many(&mut batch, MAX_BATCH).await > 0 {
        run_batch(&store, std::mem::take(&mut batch), metrics.as_ref()).await;
    }
}

async fn savepoint(tx: &mut Transaction<'static, Any>, sql: &'static str) -> Result<(), sqlx::Error> {
    sqlx::query(sql).execute(&mut **tx).await.map(|_| ())
}

async fn run_batch(store: &Store, jobs: Vec<Job>, metrics: Option<&BatchMetrics>) {
    let started = Instant::now();
    if let Some(m) = metrics {
        m.writes.observe(jobs.len() as f64);
    }
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
    let mut reads = TxReads::default();
    for job in jobs {
        if broken {
            done.push((job.answer, Err(not_stored())));
            continue;
        }
        // One savepoint per write, never released: `ROLLBACK TO` goes back
        // to the newest savepoint of that name (this write's) and leaves
        // the earlier writes alone, and COMMIT ends them all. Opened with
        // the key's lookup in one round trip; if that fails, whether the
        // savepoint exists is unknown, and rolling back to the previous
        // write's would undo it: the batch is refused whole.
        let found = match job.work.open(&mut w.tx, &mut reads).await {
            Ok(Opened::New(found)) => found,
            Ok(Opened::Answered(answer)) => {
                done.push((job.answer, answer));
                continue;
            }
            Err(e) => {
                tracing::warn!(error = %e, "group commit: opening a write failed");
                broken = true;
                done.push((job.answer, Err(not_stored())));
                continue;
            }
        };
        let result = job.work.run(&mut w.tx, &mut reads, found).await;
        if result.is_err() {
            // Undoes this write only; the others in the batch stand.
            if let Err(e) = savepoint(&mut w.tx, "ROLLBACK TO dd_write").await {
                tracing::warn!(error = %e, "group commit: undoing a refused write failed");
                broken = true;
            }
        }
        done.push((job.answer, result));
    }
    let crate::server::db::WriteTx { tx, guard } = w;
    let committing = Instant::now();
    let committed = if broken {
        drop(tx);
        Err(not_stored())
    } else {
        tx.commit().await.map_err(|e| {
            tracing::warn!(error = %e, "group commit: commit failed");
            not_stored()
        })
    };
    if let Some(m) = metrics {
        m.statements
            .observe(committing.duration_since(started).as_secs_f64());
        m.commit.observe(committing.elapsed().as_secs_f64());
    }
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
