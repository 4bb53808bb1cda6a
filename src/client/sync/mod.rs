//! The sync engine: sends the outbox in order (with retries for the
//! network's and the server's troubles), pulls what changed, and listens to
//! the server's event stream. The TUI runs it as a background task; the CLI
//! calls `flush_once` and `pull` directly. Constructors do no I/O.

mod answer;
mod events;
mod flush;
mod pull;
mod stats;

use std::time::Duration;

pub use events::{SyncEvent, run_events};
pub use flush::{FlushReport, SentEntry};
pub use pull::{ME_KEY, ME_SERVER_KEY, PullError, PullReport};
pub use stats::{Fetch, PeriodChoice, Stale, pick_period, scope_text};

use super::http::Api;
use super::store::LocalStore;

/// How hard to try before calling it offline.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    pub min_delay: Duration,
    pub max_delay: Duration,
    pub max_times: usize,
    /// A longer `Retry-After` than this is not waited for at all: the
    /// entry stays saved ("saved offline") for a later sync.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            min_delay: Duration::from_millis(300),
            max_delay: Duration::from_secs(5),
            max_times: 4,
            max_retry_after: Duration::from_secs(60),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Engine {
    store: LocalStore,
    api: Api,
    /// Who holds outbox leases: unique per process (and per engine).
    owner: String,
    policy: RetryPolicy,
}

impl Engine {
    pub fn new(store: LocalStore, api: Api) -> Self {
        Engine {
            store,
            api,
            owner: format!(
                "{}:{}:{}",
                super::store::host_name(),
                std::process::id(),
                uuid::Uuid::new_v4()
            ),
            policy: RetryPolicy::default(),
        }
    }

    pub fn with_policy(mut self, policy: RetryPolicy) -> Self {
        self.policy = policy;
        self
    }

    pub fn store(&self) -> &LocalStore {
        &self.store
    }

    pub fn api(&self) -> &Api {
        &self.api
    }
}
