//! Sending the outbox.

use backon::{ExponentialBuilder, Retryable};
use serde::Serialize;

use super::Engine;
use crate::client::http::HttpError;
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
            .when(HttpError::is_transient)
            // Retry-After from the server wins over our own backoff, within reason.
            .adjust(|e: &HttpError, d| d.map(|d| e.retry_after().map(|r| r.min(max_wait).max(d)).unwrap_or(d)))
            .notify(|e, d| tracing::info!(id = %entry.id, error = %e, wait_ms = d.as_millis() as u64, "send failed; retrying"))
            .await;
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
                Err(HttpError::Refused { problem }) => {
                    let message = if problem.detail.is_empty() {
                        problem.title.clone()
                    } else {
                        problem.detail.clone()
                    };
                    tracing::warn!(id = %entry.id, code = problem.code.as_str(), "server refused an entry");
                    self.store.mark_failed(&claim, &message).await?;
                    report
                        .failed
                        .push((entry.id.clone(), entry.summary.clone(), message));
                }
                Err(e) => {
                    // Offline, or signed out: keep the entry and stop, so the
                    // order is kept for the next flush.
                    let message = e.to_string();
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
}
