//! Ends the open event streams of revoked tokens (logout, `dutydesk admin
//! token revoke`, from any instance or the command line): one query per
//! heartbeat per instance, not one per stream.

use std::sync::Arc;
use std::time::Duration;

use super::bus::{Delivery, EventBus};
use super::db::Store;
use super::storage::revoked_tokens::revoked_since;
use crate::domain::EpochMs;
use crate::domain::clock::now_ms;

/// Revocations are looked for this far before the previous sweep, so a
/// revocation stamped by a slightly slower clock (another instance, the
/// admin command) is still seen.
const SLACK_MS: EpochMs = 5_000;

/// Sweeps every `every` until `closing` turns true.
pub fn spawn(
    store: Store,
    bus: Arc<dyn EventBus>,
    every: Duration,
    mut closing: tokio::sync::watch::Receiver<bool>,
) {
    tokio::spawn(async move {
        let mut since = now_ms() - SLACK_MS;
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = tick.tick() => {}
                _ = closing.wait_for(|c| *c) => return,
            }
            let started = now_ms();
            match revoked_since(&store.pool, since).await {
                Ok(ids) => {
                    since = started - SLACK_MS;
                    if !ids.is_empty() {
                        bus.deliver(Delivery::Revoked(Arc::new(ids)));
                    }
                }
                Err(e) => tracing::warn!(error = %e, "cannot read revoked tokens; trying again"),
            }
        }
    });
}
