//! Sending the outbox.

use backon::{ExponentialBuilder, Retryable};
use serde::Serialize;

use super::{Engine, answer};
use crate::api::{DutyList, ItemDetail, User, paths};
use crate::client::http::{Fetched, HttpError};
use crate::client::store::StoreError;

/// The lease must outlast one entry's retries, so nobody else picks it up
/// while this process is still trying.
const LEASE_MS: i64 = 300_000;

#[derive(Debug, Clone, Serialize)]
pub struct SentEntry {
    pub id: String,
    pub summary: String,
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
    /// Still pending afterwards.
    pub waiting: i64,
    /// Why the flush stopped early (offline), as a message for people.
    pub offline: Option<String>,
    /// The server does not accept our token.
    pub unauthorized: bool,
}

impl Engine {
    /// Sends pending entries in order until none is left, the network gives
    /// out, or another process is flushing the same store.
    pub async fn flush_once(&self) -> Result<FlushReport, StoreError> {
        let mut report = FlushReport::default();
        while let Some(claim) = self.store.claim_next(&self.owner, LEASE_MS).await? {
            let entry = &claim.entry;
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
            let result =
                result.and_then(
                    |reply| match answer::not_the_answer(&entry.path, &entry.id, &reply) {
                        None => Ok(reply),
                        Some(reason) => Err(HttpError::NotTheAnswer {
                            url: format!("{}{}", self.api.base(), entry.path),
                            status: reply.status,
                            reason,
                        }),
                    },
                );
            match result {
                Ok(reply) => {
                    self.store.mark_sent(&claim).await?;
                    tracing::info!(id = %entry.id, path = %entry.path, "sent");
                    report.sent.push(SentEntry {
                        id: entry.id.clone(),
                        summary: entry.summary.clone(),
                        response: serde_json::from_slice(&reply.body).unwrap_or(serde_json::Value::Null),
                    });
                }
                Err(HttpError::Refused { problem })
                    if problem.status == 409 && self.intent_already_met(&entry.path, &entry.body).await =>
                {
                    // The first send got through but its answer was lost
                    // (crash, dropped connection); the resend finds the work done.
                    self.store.mark_sent(&claim).await?;
                    tracing::info!(id = %entry.id, path = %entry.path, "already done on the server");
                    report.sent.push(SentEntry {
                        id: entry.id.clone(),
                        summary: entry.summary.clone(),
                        response: serde_json::Value::Null,
                    });
                }
                Err(HttpError::Refused { problem }) => {
                    // In the user's words (the server's detail only when
                    // this code has none): kept with the entry and shown.
                    let message = crate::client::problem_text::words(&problem);
                    tracing::warn!(id = %entry.id, code = problem.code.as_str(), "server refused an entry");
                    self.store.mark_failed(&claim, &message).await?;
                    report.refused_codes.push((entry.id.clone(), problem.code));
                    report
                        .failed
                        .push((entry.id.clone(), entry.summary.clone(), message));
                }
                Err(e) => {
                    // Offline, or signed out: keep the entry and stop, so the
                    // order is kept for the next flush.
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
                    self.store.note_attempt(&claim, Some(&message), 0).await?;
                    self.store.release(&claim, &message).await?;
                    report.unauthorized = matches!(e, HttpError::Unauthorized { .. });
                    report.offline = Some(message);
                    break;
                }
            }
        }
        report.waiting = self.store.pending_count().await?;
        Ok(report)
    }

    /// Claims, moves and duty stamps are not records with an idempotency key on
    /// the server: a resend of one that already went through answers 409.
    /// Then the state the entry asked for is checked; if it holds, the
    /// entry is done rather than failed.
    async fn intent_already_met(&self, path: &str, body: &serde_json::Value) -> bool {
        let mut parts = path.trim_end_matches('/').rsplitn(3, '/');
        let (Some(action), Some(id)) = (parts.next(), parts.next().and_then(|i| i.parse::<i64>().ok()))
        else {
            return false;
        };
        match action {
            "claim" => {
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
            "transition" => {
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
            "typical" => {
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
            "check-in" | "check-out" => match self.api.get::<DutyList>(paths::DUTY, None).await {
                Ok(Fetched::Fresh { value, .. }) => value.shifts.iter().any(|s| {
                    s.id == id
                        && if action == "check-in" {
                            s.checked_in_at.is_some()
                        } else {
                            s.checked_out_at.is_some()
                        }
                }),
                _ => false,
            },
            _ => false,
        }
    }
}
