//! Group commit for keyed records on SQLite: one writer task runs the
//! writes that arrive together in one transaction and commits once — one
//! fsync (`synchronous=FULL`) for the whole batch. Every request is
//! answered only after its batch's commit succeeded: nothing is
//! acknowledged before it is durable, and when the commit fails every
//! write of the batch is refused.
//!
//! A batch costs two calls to SQLite whatever its size (a call, not a
//! statement, is what costs: `script`), on a connection the writer keeps
//! for itself: one read call (BEGIN, the campaigns' revisions, and for
//! every write its key, item, day and statistics), the checks in Rust, and
//! one write call (every write that passed, each inside its own savepoint,
//! then COMMIT). A refused write writes nothing; a write whose statements
//! fail undoes only itself and the rest run in another call. A round holds
//! one write per key: a repeat of a key in the same batch runs in a later
//! round, after the first is written, and reads what it stored.
//!
//! PostgreSQL commits concurrent transactions in parallel (and groups
//! their WAL flushes itself), so it keeps one transaction per request.

mod round;

use std::sync::Arc;
use std::time::Instant;

use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Executor};
use tokio::sync::{mpsc, oneshot};

use super::idempotency::answer_for;
use super::script::Script;
use super::time_entries::{self, Asked, DayTotals, EntryFound};
use crate::api::{NewTimeEntry, ProblemCode, User};
use crate::domain::EpochMs;
use crate::domain::campaign::CampaignDef;
use crate::server::aggregate::TxReads;
use crate::server::db::Store;
use crate::server::storage::StorageError;
use crate::server::storage::aggregates::Revision;
use crate::server::storage::{IdemRequest, StoredResponse};
use round::{Round, one_per_key};

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
    fn key(&self) -> (i64, &str) {
        let Work::TimeEntry { idem, .. } = self;
        (idem.user_id, idem.key.as_str())
    }

    /// Pushes what the write is checked against onto the round's reads.
    fn ask(&self, script: &mut Script, reads: &TxReads) -> Asked {
        let Work::TimeEntry { me, idem, req, now } = self;
        time_entries::ask(script, reads, me, idem, req, *now)
    }

    /// Takes its answers off the round's reads: what is stored for its key
    /// (a replay, or a key reused for another request, writes nothing), or
    /// what it is checked against.
    fn found(
        &self,
        parts: &mut impl Iterator<Item = Vec<AnyRow>>,
        asked: Asked,
        reads: &mut TxReads,
        rules_held: bool,
    ) -> Result<Opened, StorageError> {
        let Work::TimeEntry { me, idem, req, .. } = self;
        let (row, found) = time_entries::found(parts, asked, reads, rules_held, me, req)?;
        Ok(match answer_for(row, idem)? {
            None => Opened::New(Box::new(found)),
            Some(stored) => Opened::Answered(stored),
        })
    }

    /// Checks it and pushes its statements onto `script`.
    async fn write_into(
        &self,
        tx: &mut AnyConnection,
        reads: &mut TxReads,
        found: EntryFound,
        days: &mut DayTotals,
        script: &mut Script,
    ) -> Result<StoredResponse, StorageError> {
        let Work::TimeEntry { me, idem, req, now } = self;
        time_entries::keyed_into(tx, reads, me, idem, req, *now, found, days, script).await
    }
}

/// A write whose key was looked up.
enum Opened {
    /// A new key: write it, checked against what was read.
    New(Box<EntryFound>),
    /// Answered by what is stored for the key.
    Answered(StoredResponse),
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
        let writer = Writer {
            store,
            conn: None,
            rules: None,
            metrics,
        };
        tokio::spawn(writer.run(rx));
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

type Answer = oneshot::Sender<Result<StoredResponse, StorageError>>;
type Done = Vec<(Answer, Result<StoredResponse, StorageError>)>;

/// The writer task's state between batches.
struct Writer {
    store: Store,
    /// Its own connection (transactions begun and ended by hand, in the
    /// same calls as the reads and writes); opened again after a failure.
    conn: Option<AnyConnection>,
    /// The campaigns' revisions and rules of the last batch: the next one
    /// asks for the submissions under these rules, and keeps the answers
    /// only if the revisions it reads are the same.
    rules: Option<(Vec<Revision>, Vec<Arc<CampaignDef>>)>,
    metrics: Option<BatchMetrics>,
}

/// Where a batch stands: the transaction is open, or it can no longer be
/// trusted (every write of the batch is refused).
type Broken = ();

impl Writer {
    async fn run(mut self, mut rx: mpsc::Receiver<Job>) {
        let mut batch = Vec::with_capacity(MAX_BATCH);
        // Waits for the first write, then takes whatever else is waiting.
        while rx.recv_many(&mut batch, MAX_BATCH).await > 0 {
            self.run_batch(std::mem::take(&mut batch)).await;
        }
    }

    async fn run_batch(&mut self, jobs: Vec<Job>) {
        let started = Instant::now();
        if let Some(m) = &self.metrics {
            m.writes.observe(jobs.len() as f64);
        }
        let store = self.store.clone();
        let guard = store.write_lock().await;
        let mut done = Vec::with_capacity(jobs.len());
        let mut last_call = started;
        let result = self.run_rounds(jobs, &mut done, &mut last_call).await;
        if result.is_err() {
            self.roll_back().await;
        }
        drop(guard);
        if let Some(m) = &self.metrics {
            m.statements
                .observe(last_call.duration_since(started).as_secs_f64());
            m.commit.observe(last_call.elapsed().as_secs_f64());
        }
        for (answer, answered) in done {
            let answered = match result {
                Ok(()) => answered,
                Err(()) => answered.and(Err(not_stored())),
            };
            // The request may have gone (client left): its write stands anyway.
            let _ = answer.send(answered);
        }
    }

    /// Every round of the batch; the last one's write call commits.
    async fn run_rounds(
        &mut self,
        jobs: Vec<Job>,
        done: &mut Done,
        last_call: &mut Instant,
    ) -> Result<(), Broken> {
        let conn = match &mut self.conn {
            Some(conn) => conn,
            None => match self.store.own_connection().await {
                Ok(conn) => self.conn.insert(conn),
                Err(e) => {
                    tracing::warn!(error = %e, "group commit: no connection to write on");
                    done.extend(jobs.into_iter().map(|job| (job.answer, Err(not_stored()))));
                    return Err(());
                }
            },
        };
        let mut reads = TxReads::default();
        let mut first = Some(&mut self.rules);
        let mut waiting = jobs;
        while !waiting.is_empty() {
            let (round, later) = one_per_key(waiting);
            waiting = later;
            let round = Round {
                jobs: round,
                first: first.take(),
                last: waiting.is_empty(),
            };
            if let Err(()) = round.run(conn, &mut reads, done, last_call).await {
                done.extend(waiting.into_iter().map(|job| (job.answer, Err(not_stored()))));
                return Err(());
            }
        }
        Ok(())
    }

    /// Ends a batch that can no longer be trusted; a connection that cannot
    /// even roll back is closed (and opened again for the next batch).
    async fn roll_back(&mut self) {
        let Some(conn) = self.conn.as_mut() else { return };
        if let Err(e) = conn.execute("ROLLBACK").await {
            tracing::warn!(error = %e, "group commit: rolling back failed; reconnecting");
            self.conn = None;
        }
    }
}
