//! Sending the outbox.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard};

use backon::{ExponentialBuilder, Retryable};
use futures_util::{StreamExt, TryStreamExt};
use serde::Serialize;

use super::{Engine, answer};
use crate::api::{DutyList, ItemDetail, User, paths};
use crate::client::http::{Fetched, HttpError, Reply};
use crate::client::store::{Claim, OutboxEntry, StoreError, WriteKind};

/// The lease must outlast one entry's retries, so nobody else picks it up
/// while this process is still trying.
const LEASE_MS: i64 = 300_000;
/// How many items' queues are sent at once.
const CONCURRENCY: usize = 16;
/// Entries claimed per transaction.
const BATCH: i64 = 256;
/// Sent entries settled per transaction.
const SETTLE_EVERY: usize = 64;

#[derive(Debug, Clone, Serialize)]
pub struct SentEntry {
    pub id: String,
    pub summary: String,
    /// Where it went (a registration's answer carries conflicts).
    #[serde(skip)]
    pub path: String,
    /// The server's answer (the created record), as JSON.
    pub response: serde_json::Value,
}

#[derive(Debug, Default, Serialize)]
pub struct FlushReport {
    pub sent: Vec<SentEntry>,
    /// Entries the server refused in this flush: (id, summary, server's message).
    pub failed: Vec<(String, String, String)>,
    /// The problem code of each entry in `failed`, by entry id, so a caller
    /// can tell e.g. a lost claim race (`already_claimed`) from an error.
    pub refused_codes: Vec<(String, crate::api::ProblemCode)>,
    /// Who holds the item, by entry id, for each claim in `failed` that
    /// lost the race (the problem's `claimed_by`, when the server said).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub holders: Vec<(String, String)>,
    /// Still pending afterwards.
    pub waiting: i64,
    /// Why the flush stopped early (offline), as a message for people.
    pub offline: Option<String>,
    /// The server does not accept our token.
    pub unauthorized: bool,
}

/// What became of one entry in a flush.
enum Verdict {
    Sent(SentEntry),
    Failed {
        id: String,
        summary: String,
        message: String,
        code: crate::api::ProblemCode,
        holder: Option<String>,
    },
    /// Offline or signed out: the flush stops.
    Stopped {
        message: String,
        unauthorized: bool,
    },
}

/// What the queues of one batch share: whether to stop, and the sent
/// entries waiting to be settled together.
#[derive(Default)]
struct Shared {
    stopped: AtomicBool,
    to_settle: Mutex<Vec<Claim>>,
}

impl Engine {
    /// Sends pending entries until none is left, the network gives out, or
    /// another process is flushing the same store. Each item's writes go in
    /// order, one after another; different items' go at once (up to
    /// [`CONCURRENCY`]), over the client's kept-alive connections.
    pub async fn flush_once(&self) -> Result<FlushReport, StoreError> {
        let mut report = FlushReport::default();
        loop {
            let claims = self.store.claim_batch(&self.owner, LEASE_MS, BATCH).await?;
            if claims.is_empty() || self.send_batch(claims, &mut report).await? {
                break;
            }
        }
        report.waiting = self.store.pending_count().await?;
        Ok(report)
    }

    /// Sends one batch of claimed entries, queue by queue; true when it
    /// had to stop (offline).
    async fn send_batch(&self, claims: Vec<Claim>, report: &mut FlushReport) -> Result<bool, StoreError> {
        let shared = Shared::default();
        let results: Vec<Vec<(usize, Verdict)>> = futures_util::stream::iter(queues(claims))
            .map(|queue| self.send_queue(queue, &shared))
            .buffer_unordered(CONCURRENCY)
            .try_collect()
            .await?;
        let rest = std::mem::take(&mut *lock(&shared.to_settle));
        self.store.mark_sent_many(&rest).await?;
        // The report lists entries in the order they were queued.
        let mut verdicts: Vec<(usize, Verdict)> = results.into_iter().flatten().collect();
        verdicts.sort_by_key(|(i, _)| *i);
        for (_, verdict) in verdicts {
            match verdict {
                Verdict::Sent(sent) => report.sent.push(sent),
                Verdict::Failed {
                    id,
                    summary,
                    message,
                    code,
                    holder,
                } => {
                    report.refused_codes.push((id.clone(), code));
                    if let Some(holder) = holder {
                        report.holders.push((id.clone(), holder));
                    }
                    report.failed.push((id, summary, message));
                }
                Verdict::Stopped {
                    message,
                    unauthorized,
                } => {
                    if report.offline.is_none() {
                        report.offline = Some(message);
                        report.unauthorized = unauthorized;
                    }
                }
            }
        }
        Ok(shared.stopped.load(Ordering::SeqCst))
    }

    /// Sends one item's entries in order; the rest of the queue is given
    /// back unsent once any queue of the batch went offline.
    async fn send_queue(
        &self,
        queue: Vec<(usize, Claim)>,
        shared: &Shared,
    ) -> Result<Vec<(usize, Verdict)>, StoreError> {
        let mut out = Vec::new();
        let mut unsent = Vec::new();
        for (i, claim) in queue {
            if shared.stopped.load(Ordering::SeqCst) {
                unsent.push(claim);
                continue;
            }
            let entry = &claim.entry;
            let result = self.send_entry(entry).await;
            let response = match result {
                Ok(reply) => {
                    tracing::info!(id = %entry.id, path = %entry.path, "sent");
                    serde_json::from_slice(&reply.body).unwrap_or(serde_json::Value::Null)
                }
                Err(HttpError::Refused { problem })
                    if problem.status == 409 && self.intent_already_met(entry).await =>
                {
                    // The first send got through but its answer was lost
                    // (crash, dropped connection); the resend finds the work done.
                    tracing::info!(id = %entry.id, path = %entry.path, "already done on the server");
                    serde_json::Value::Null
                }
                Err(HttpError::Refused { problem }) => {
                    // In the user's words (the server's detail only when
                    // this code has none): kept with the entry and shown.
                    let message = crate::client::problem_text::words(&problem);
                    tracing::warn!(id = %entry.id, code = problem.code.as_str(), "server refused an entry");
                    self.store.mark_failed(&claim, &message).await?;
                    out.push((
                        i,
                        Verdict::Failed {
                            id: entry.id.clone(),
                            summary: entry.summary.clone(),
                            message,
                            code: problem.code,
                            holder: problem.holder.map(String::from),
                        },
                    ));
                    continue;
                }
                Err(e) => {
                    // Offline, or signed out: keep the entry and stop, so
                    // each item's order is kept for the next flush.
                    let max_wait = self.policy.max_retry_after;
                    let message = match e.retry_after() {
                        Some(wait) if wait > max_wait => format!(
                            "{} {e}",
                            rust_i18n::t!(
                                "net.retry_after_too_long",
                                secs = wait.as_secs(),
                                max = max_wait.as_secs()
                            )
                        ),
                        _ => e.to_string(),
                    };
                    shared.stopped.store(true, Ordering::SeqCst);
                    self.store.note_attempt(&claim, Some(&message), 0).await?;
                    self.store.release(&claim, &message).await?;
                    out.push((
                        i,
                        Verdict::Stopped {
                            unauthorized: matches!(e, HttpError::Unauthorized { .. }),
                            message,
                        },
                    ));
                    continue;
                }
            };
            out.push((
                i,
                Verdict::Sent(SentEntry {
                    id: entry.id.clone(),
                    summary: entry.summary.clone(),
                    path: entry.path.clone(),
                    response,
                }),
            ));
            let now = entry.kind.changes_state();
            let batch = {
                let mut waiting = lock(&shared.to_settle);
                waiting.push(claim);
                if now || waiting.len() >= SETTLE_EVERY {
                    std::mem::take(&mut *waiting)
                } else {
                    Vec::new()
                }
            };
            self.store.mark_sent_many(&batch).await?;
        }
        self.store.release_unsent(&unsent).await?;
        Ok(out)
    }

    /// One entry, with retries; only the server's own answer to it counts.
    async fn send_entry(&self, entry: &OutboxEntry) -> Result<Reply, HttpError> {
        let builder = ExponentialBuilder::default()
            .with_min_delay(self.policy.min_delay)
            .with_max_delay(self.policy.max_delay)
            .with_max_times(self.policy.max_times)
            .with_jitter();
        let max_wait = self.policy.max_retry_after;
        let result = (|| async {
            self.api
                .send(&entry.method, &entry.path, Some(&entry.body), Some(&entry.id), None)
                .await
        })
        .retry(builder)
        // A server that asks for a longer wait than we allow is not
        // waited for: the entry stays saved for a later sync.
        .when(|e: &HttpError| e.is_worth_retrying() && e.retry_after().is_none_or(|r| r <= max_wait))
        // Retry-After from the server wins over our own backoff.
        .adjust(|e: &HttpError, d| d.map(|d| e.retry_after().map(|r| r.max(d)).unwrap_or(d)))
        .notify(|e, d| tracing::info!(id = %entry.id, error = %e, wait_ms = d.as_millis() as u64, "send failed; retrying"))
        .await;
        // Only the server's own answer to this entry settles it: a
        // portal's page or a middlebox's canned `{"status":"ok"}` proves nothing.
        result.and_then(
            |reply| match answer::not_the_answer(&entry.path, &entry.id, &reply) {
                None => Ok(reply),
                Some(reason) => Err(HttpError::NotTheAnswer {
                    url: format!("{}{}", self.api.base(), entry.path),
                    status: reply.status,
                    reason,
                }),
            },
        )
    }

    /// Claims, moves and duty stamps are not records with an idempotency key on
    /// the server: a resend of one that already went through answers 409.
    /// Then the state the entry asked for is checked; if it holds, the
    /// entry is done rather than failed. Which check is the entry's stored
    /// kind; the path gives only the item's or shift's id.
    async fn intent_already_met(&self, entry: &OutboxEntry) -> bool {
        if !entry.kind.changes_state() {
            return false;
        }
        let body = &entry.body;
        let Some(id) = target_id(&entry.path) else {
            return false;
        };
        match entry.kind {
            WriteKind::Claim => {
                let me = self.api.get::<User>(paths::ME, None).await;
                let item = self
                    .api
                    .get::<ItemDetail>(&paths::with_id(paths::ITEM, id), None)
                    .await;
                match (me, item) {
                    (Ok(Fetched::Fresh { value: me, .. }), Ok(Fetched::Fresh { value: d, .. })) => {
                        d.item.assignee.is_some_and(|a| a.id == me.id)
                    }
                    _ => false,
                }
            }
            WriteKind::Transition => {
                // A resent move answers 409 version_conflict when the first
                // went through: done if the item already is where it asked.
                let Some(to) = body.get("to").and_then(|t| t.as_str()) else {
                    return false;
                };
                match self
                    .api
                    .get::<ItemDetail>(&paths::with_id(paths::ITEM, id), None)
                    .await
                {
                    Ok(Fetched::Fresh { value: d, .. }) => d.item.status.as_str() == to,
                    _ => false,
                }
            }
            WriteKind::Typical => {
                // Like a transition: a resent flag answers 409 when the
                // first went through; done if the item already has it.
                let Some(typical) = body.get("typical").and_then(|t| t.as_bool()) else {
                    return false;
                };
                match self
                    .api
                    .get::<ItemDetail>(&paths::with_id(paths::ITEM, id), None)
                    .await
                {
                    Ok(Fetched::Fresh { value: d, .. }) => d.item.typical_case == typical,
                    _ => false,
                }
            }
            WriteKind::CheckIn | WriteKind::CheckOut => {
                match self.api.get::<DutyList>(paths::DUTY, None).await {
                    Ok(Fetched::Fresh { value, .. }) => value.shifts.iter().any(|s| {
                        s.id == id
                            && if entry.kind == WriteKind::CheckIn {
                                s.checked_in_at.is_some()
                            } else {
                                s.checked_out_at.is_some()
                            }
                    }),
                    _ => false,
                }
            }
            _ => false,
        }
    }
}

/// The entries of a batch split into queues that may go at the same time:
/// one per item (its writes in order), and one for everything else
/// (activities, duty stamps), in order too. `usize` is the place in the
/// batch. Queues come in the order of their first entry.
fn queues(claims: Vec<Claim>) -> Vec<Vec<(usize, Claim)>> {
    let mut out: Vec<Vec<(usize, Claim)>> = Vec::new();
    let mut by_key: std::collections::HashMap<Option<i64>, usize> = std::collections::HashMap::new();
    for (i, claim) in claims.into_iter().enumerate() {
        let key = item_of(&claim.entry);
        let at = *by_key.entry(key).or_insert_with(|| {
            out.push(Vec::new());
            out.len() - 1
        });
        out[at].push((i, claim));
    }
    out
}

/// The item an entry writes to: `/api/v1/items/{id}/…`, or a time
/// entry's `item_id`.
fn item_of(entry: &OutboxEntry) -> Option<i64> {
    let path = entry.path.split('?').next().unwrap_or(&entry.path);
    let mut parts = path.split('/');
    while let Some(part) = parts.next() {
        if part == "items" {
            return parts.next().and_then(|id| id.parse().ok());
        }
    }
    entry.body.get("item_id").and_then(|id| id.as_i64())
}

/// The id a state-changing entry's path names: `/api/v1/items/{id}/claim`,
/// `/api/v1/duty/{id}/check-in`, ...
fn target_id(path: &str) -> Option<i64> {
    let path = path.split('?').next().unwrap_or(path).trim_end_matches('/');
    let mut parts = path.rsplitn(3, '/');
    parts.next()?;
    parts.next()?.parse().ok()
}

/// The lock of a list no code panics while holding; a poisoned one is
/// still a valid list.
fn lock(list: &Mutex<Vec<Claim>>) -> MutexGuard<'_, Vec<Claim>> {
    list.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}
